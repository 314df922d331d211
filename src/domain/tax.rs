//! Item taxes: the FIXED/PERCENTAGE types, exact percents, and half-up tax amounts.

use std::fmt;

use crate::domain::currency::Currency;
use crate::domain::decimal;
use crate::domain::money::{AmountError, Money};

/// Most fraction digits a percent may have.
pub const MAX_PERCENT_FRAC_DIGITS: u32 = 6;

/// Percents are stored in millionths of a percent, so 6 fraction digits are exact.
const PERCENT_SCALE: u128 = 1_000_000;
/// 100% in millionths of a percent.
const HUNDRED: u128 = 100 * PERCENT_SCALE;

/// How an item's tax `value` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxType {
    Fixed,
    Percentage,
}

impl TaxType {
    /// Parses the wire name; names are case-sensitive like every enum on the wire.
    pub fn parse(s: &str) -> Result<TaxType, TaxError> {
        match s {
            "FIXED" => Ok(TaxType::Fixed),
            "PERCENTAGE" => Ok(TaxType::Percentage),
            _ => Err(TaxError::UnknownType),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TaxType::Fixed => "FIXED",
            TaxType::Percentage => "PERCENTAGE",
        }
    }
}

impl fmt::Display for TaxType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a tax was rejected. Messages follow a JSON path, e.g. `items[0].tax.value ...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    #[error("must be \"FIXED\" or \"PERCENTAGE\"")]
    UnknownType,
    #[error(
        "must be a percent between 0 and 100 such as \"19\" or \"7.125\" (a decimal string; no sign, exponent or \"%\")"
    )]
    NotPercent,
    #[error("has more than {MAX_PERCENT_FRAC_DIGITS} decimal places, the most a percent allows")]
    PercentTooManyDecimals,
    #[error("must be a percent between 0 and 100 inclusive")]
    PercentOutOfRange,
    /// A FIXED value is an amount in the session currency and fails like one.
    #[error(transparent)]
    Amount(#[from] AmountError),
}

/// An exact percent in 0..=100 with at most 6 fraction digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percent {
    millionths: u32,
}

impl Percent {
    /// Parses a percent under the same lexical rules as amounts ("19", "19.5", "7.125").
    pub fn parse(s: &str) -> Result<Percent, TaxError> {
        let lexed = decimal::lex(s).ok_or(TaxError::NotPercent)?;
        // Counted as written, like amounts: "19.0000000" has too many places.
        let frac_len = u32::try_from(lexed.frac_digits()).unwrap_or(u32::MAX);
        let Some(missing) = MAX_PERCENT_FRAC_DIGITS.checked_sub(frac_len) else {
            return Err(TaxError::PercentTooManyDecimals);
        };
        // More than 3 significant integer digits is above 100 whatever follows; checking
        // first keeps the arithmetic below small.
        if lexed.int_digits() > 3 {
            return Err(TaxError::PercentOutOfRange);
        }
        let value = decimal::push_digits(0, lexed.int)
            .and_then(|int| decimal::push_digits(int, lexed.frac))
            .and_then(|v| v.checked_mul(decimal::pow10(missing)?))
            .filter(|v| *v <= HUNDRED)
            .ok_or(TaxError::PercentOutOfRange)?;
        let millionths = u32::try_from(value).map_err(|_| TaxError::PercentOutOfRange)?;
        Ok(Percent { millionths })
    }

    /// The percent in millionths of a percent (19% is 19_000_000).
    pub fn millionths(&self) -> u32 {
        self.millionths
    }

    /// Canonical string: no trailing fraction zeros, no trailing dot ("19", "7.125").
    pub fn to_canonical(&self) -> String {
        decimal::format_trimmed(u128::from(self.millionths), MAX_PERCENT_FRAC_DIGITS)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical())
    }
}

/// `amount × pct / 100`, rounded half-up to the amount's minor unit.
pub fn percentage_of(amount: Money, pct: &Percent) -> Result<Money, AmountError> {
    // minor < 10^30 and millionths <= 10^8, so the product is < 10^38 < u128::MAX.
    let num = amount
        .minor()
        .checked_mul(u128::from(pct.millionths))
        .ok_or(AmountError::TooLarge)?;
    let (quot, rem) = (num / HUNDRED, num % HUNDRED);
    // Half-up: a remainder of at least half the divisor rounds away from zero.
    // HUNDRED is even, so HUNDRED / 2 is exact.
    let minor = if rem >= HUNDRED / 2 {
        quot.checked_add(1).ok_or(AmountError::TooLarge)?
    } else {
        quot
    };
    Money::from_minor(minor, amount.currency())
}

/// A parsed tax value, typed by its tax type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxValue {
    Fixed(Money),
    Percentage(Percent),
}

impl TaxValue {
    /// Parses `value` as `tax_type` says: FIXED as an amount in `currency` (the session
    /// currency), PERCENTAGE as a percent.
    pub fn parse(tax_type: TaxType, value: &str, currency: Currency) -> Result<TaxValue, TaxError> {
        match tax_type {
            TaxType::Fixed => Ok(TaxValue::Fixed(Money::parse(value, currency)?)),
            TaxType::Percentage => Ok(TaxValue::Percentage(Percent::parse(value)?)),
        }
    }

    pub fn tax_type(&self) -> TaxType {
        match self {
            TaxValue::Fixed(_) => TaxType::Fixed,
            TaxValue::Percentage(_) => TaxType::Percentage,
        }
    }

    /// The tax amount on `pre_tax`, in `pre_tax`'s currency.
    pub fn amount_on(&self, pre_tax: Money) -> Result<Money, AmountError> {
        match self {
            TaxValue::Fixed(m) if m.currency() != pre_tax.currency() => {
                Err(AmountError::CurrencyMismatch {
                    expected: pre_tax.currency(),
                    found: m.currency(),
                })
            }
            TaxValue::Fixed(m) => Ok(*m),
            TaxValue::Percentage(p) => percentage_of(pre_tax, p),
        }
    }

    /// Canonical `value` for responses: the money string for FIXED, the percent for PERCENTAGE.
    pub fn value_string(&self) -> String {
        match self {
            TaxValue::Fixed(m) => m.to_canonical(),
            TaxValue::Percentage(p) => p.to_canonical(),
        }
    }
}

/// An item's `totalAmount`: `preTaxAmount + tax.amount`, or `preTaxAmount` with no tax.
pub fn item_total(pre_tax: Money, tax: Option<&TaxValue>) -> Result<Money, AmountError> {
    match tax {
        Some(tax) => pre_tax.checked_add(tax.amount_on(pre_tax)?),
        None => Ok(pre_tax),
    }
}

#[cfg(test)]
mod tests;
