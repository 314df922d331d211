//! A checkout session's `paymentConfigs`: per payer currency, the exchange rate, the amount to
//! collect and each allowed method's id, required fields and whether it is enabled.
//!
//! Shape, in the order the contract fixes:
//! - One [`CurrencyConfig`] per payer currency some allowed method takes, in order of first
//!   appearance when walking the allowed methods as given, each in its own currency order.
//! - Inside it, one [`MethodConfig`] per allowed method taking that currency, in allowed order.
//!
//! A pair with no configured rate is still listed, so a payer sees the method exists, but
//! every method in it is disabled and it carries `exchangeRate` [`NO_RATE`] (`"0"`, never a
//! valid [`Rate`]) and a zero `purchaseAmount`. That `"0"`/zero pair means "no rate
//! configured"; a conversion too large for an amount is reported the same way.

use serde::{Deserialize, Serialize};

use crate::domain::currency::Currency;
use crate::domain::customer_field::CustomerField;
use crate::domain::money::Money;
use crate::domain::payment_method::PaymentMethod;
use crate::domain::rate::Rate;

/// The `exchangeRate` of a config whose pair has no usable rate. A real rate is always
/// positive, so this value cannot be mistaken for one.
pub const NO_RATE: &str = "0";

/// One allowed method inside a payer currency's config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodConfig {
    /// `"{TYPE}-{payerCurrency}"`, e.g. `"PIX-BRL"`: unique within a session.
    pub id: String,
    /// The method's node type, e.g. `"PIX"`.
    #[serde(rename = "type")]
    pub kind: String,
    pub enabled: bool,
    /// The method's required node fields, then the session's customer fields.
    pub required_fields: Vec<String>,
    /// The session total in the payer currency, rounded up; canonical string.
    pub purchase_amount: String,
}

/// Everything a payer paying in one currency needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyConfig {
    /// The payer currency's code, e.g. `"BRL"`.
    pub currency: String,
    /// `"{payerCurrency}:{sessionCurrency}"`, e.g. `"BRL:CLP"`.
    pub product: String,
    /// Payer-currency units per one session-currency unit (canonical), or [`NO_RATE`].
    pub exchange_rate: String,
    pub payment_methods: Vec<MethodConfig>,
}

/// A merchant's amount bounds for one method when paid in one payer currency.
///
/// Bounds are inclusive. A bound in a currency other than `currency` cannot be compared
/// without a rate, so it disables the method rather than being ignored: a misconfigured
/// limit must fail closed, not let every amount through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodLimit {
    pub method: PaymentMethod,
    /// The payer currency this limit applies to; limits for other currencies are ignored.
    pub currency: Currency,
    pub min: Option<Money>,
    pub max: Option<Money>,
}

impl MethodLimit {
    fn applies_to(&self, method: PaymentMethod, payer: Currency) -> bool {
        self.method == method && self.currency == payer
    }

    /// Whether `amount` lies within both bounds, inclusive.
    fn allows(&self, amount: Money) -> bool {
        let comparable = |bound: Money| bound.currency() == amount.currency();
        let above_min = self
            .min
            .is_none_or(|min| comparable(min) && amount.minor() >= min.minor());
        let below_max = self
            .max
            .is_none_or(|max| comparable(max) && amount.minor() <= max.minor());
        above_min && below_max
    }
}

/// Builds a session's `paymentConfigs` (rules in the module comment).
///
/// `rate(session, payer)` gives payer units per session unit; it is never asked for the
/// session's own currency, which is always rate 1. A method listed twice is configured once,
/// as is a customer field requested twice: duplicate ids or paths would be ambiguous.
pub fn compute(
    total: Money,
    methods: &[PaymentMethod],
    requirements: &[CustomerField],
    rate: impl Fn(Currency, Currency) -> Option<Rate>,
    limits: &[MethodLimit],
) -> Vec<CurrencyConfig> {
    let session = total.currency();
    let methods = first_occurrences(methods.iter().copied());
    let customer_paths =
        first_occurrences(requirements.iter().map(|field| field.required_field_path()));
    let payers = first_occurrences(
        methods
            .iter()
            .flat_map(|method| method.payer_currencies(session).iter().copied()),
    );
    payers
        .into_iter()
        .map(|payer| {
            let priced = price(total, payer, &rate);
            let (exchange_rate, amount) = match &priced {
                Some((r, amount)) => (r.to_canonical(), *amount),
                None => (NO_RATE.to_string(), Money::zero(payer)),
            };
            let payment_methods = methods
                .iter()
                .copied()
                .filter(|method| method.payer_currencies(session).contains(&payer))
                .map(|method| MethodConfig {
                    id: format!("{}-{}", method.as_str(), payer.code()),
                    kind: method.as_str().to_string(),
                    enabled: priced.is_some() && within_limits(method, amount, limits),
                    required_fields: required_fields(method, &customer_paths),
                    purchase_amount: amount.to_canonical(),
                })
                .collect();
            CurrencyConfig {
                currency: payer.code().to_string(),
                product: format!("{}:{}", payer.code(), session.code()),
                exchange_rate,
                payment_methods,
            }
        })
        .collect()
}

/// The config of `method` (a node type such as `"PIX"`) in payer currency `currency`, if the
/// session offers it. Disabled configs are returned too: the caller decides what a disabled
/// method means for a submitted payment.
pub fn find_method<'a>(
    configs: &'a [CurrencyConfig],
    method: &str,
    currency: &str,
) -> Option<&'a MethodConfig> {
    configs
        .iter()
        .filter(|config| config.currency == currency)
        .flat_map(|config| config.payment_methods.iter())
        .find(|config| config.kind == method)
}

/// The rate and payer amount for one payer currency, or `None` when there is no rate or the
/// converted amount exceeds the cap (both shown to the payer as "no rate configured").
fn price(
    total: Money,
    payer: Currency,
    rate: &impl Fn(Currency, Currency) -> Option<Rate>,
) -> Option<(Rate, Money)> {
    if payer == total.currency() {
        // Paying in the session currency needs no rate table entry, by contract.
        return Some((Rate::one(), total));
    }
    let r = rate(total.currency(), payer)?;
    let amount = total.convert(&r, payer).ok()?;
    Some((r, amount))
}

/// Every limit for `method` in `amount`'s currency must allow it; other limits are ignored.
fn within_limits(method: PaymentMethod, amount: Money, limits: &[MethodLimit]) -> bool {
    limits
        .iter()
        .filter(|limit| limit.applies_to(method, amount.currency()))
        .all(|limit| limit.allows(amount))
}

/// The method's own fields, then each customer path not already listed.
fn required_fields(method: PaymentMethod, customer_paths: &[&str]) -> Vec<String> {
    let all = method
        .required_fields()
        .iter()
        .chain(customer_paths)
        .copied();
    first_occurrences(all)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Keeps the first occurrence of each value, in order. Inputs here are a handful of values,
/// so a linear scan beats hashing and needs no `Hash` bound.
fn first_occurrences<T: PartialEq>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut kept: Vec<T> = Vec::new();
    for value in values {
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    kept
}

#[cfg(test)]
mod tests;
