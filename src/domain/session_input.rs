//! The create-checkout-session request as received, and the rules that turn it into a
//! `NewSession` or into the first error a developer has to fix.
//!
//! Every field of the raw request is optional so that a missing one is reported by its path
//! (code 12) instead of by the JSON decoder; wrong JSON types are left to the decoder (code 14).
//! Fields are checked in a fixed order (token, currency, items, methods, destinations, duration,
//! customer, requirements, owner, URLs) because amounts can only be read once the currency is
//! known; the first failure is the one reported.

use serde::Deserialize;
use serde_json::{Map, Number, Value};

pub use crate::domain::field_error::{
    FieldError, FieldErrorKind, FieldResult, MAX_TEXT, optional_text, text,
};

use crate::domain::checkout_token::CheckoutToken;
use crate::domain::currency::Currency;
use crate::domain::customer_field::CustomerField;
use crate::domain::money::Money;
use crate::domain::payment_method::{NodeType, PaymentMethod};
use crate::domain::redirect_url::RedirectUrl;
use crate::domain::session::{AccountView, Customer, DestinationView, Metadata, Owner};
use crate::domain::tax::{TaxType, TaxValue};

pub const MIN_DURATION_SECS: i64 = 30;
/// Thirty days: long enough for an invoice, short enough that a forgotten session dies.
pub const MAX_DURATION_SECS: i64 = 30 * 86_400;
pub const MAX_ITEMS: usize = 100;
pub const MAX_DESTINATIONS: usize = 20;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionRequest {
    pub checkout_token: Option<String>,
    pub items: Option<Vec<ItemInput>>,
    pub currency: Option<String>,
    pub payment_methods_allowed: Option<Vec<String>>,
    pub customer: Option<Customer>,
    pub destinations: Option<Vec<DestinationInput>>,
    pub duration: Option<Number>,
    pub customer_requirements: Option<Vec<String>>,
    pub owner: Option<OwnerInput>,
    pub success_url: Option<String>,
    pub failed_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemInput {
    pub pre_tax_amount: Option<String>,
    pub total_amount: Option<String>,
    pub description: Option<String>,
    pub tax: Option<TaxInput>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TaxInput {
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub value: Option<String>,
    pub amount: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationInput {
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub external_id: Option<String>,
    pub amount: Option<String>,
    pub metadata: Option<MetadataInput>,
    pub account: Option<AccountInput>,
}

#[derive(Debug, Default, Deserialize)]
pub struct MetadataInput {
    pub image: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub currency: Option<String>,
    pub account_number: Option<String>,
    pub account_holder: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerInput {
    pub identity_id: Option<String>,
    pub name: Option<String>,
    pub lastname: Option<String>,
    pub nickname: Option<String>,
    pub document_number: Option<String>,
    pub entity_type: Option<String>,
    /// Upstream declares `additionalProperties: false` for `node-identity`.
    #[serde(flatten)]
    pub unknown: Map<String, Value>,
}

pub fn currency(path: &str, value: Option<String>) -> FieldResult<Currency> {
    let code = value.ok_or_else(|| FieldError::missing(path))?;
    Currency::parse(&code).map_err(|e| FieldError::invalid(path, e))
}

pub fn money(path: &str, value: Option<&str>, cur: Currency) -> FieldResult<Money> {
    let s = value.ok_or_else(|| FieldError::missing(path))?;
    Money::parse(s, cur).map_err(|e| FieldError::invalid(path, e))
}

/// A validated line item, with its amounts proven consistent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub description: String,
    pub pre_tax: Money,
    pub tax: Option<(String, TaxValue, Money)>,
    pub total: Money,
}

/// Reads one item and checks `tax.amount` and `totalAmount` against their definitions
/// (CONTRACT §3), naming the expected figure when the client's disagrees.
pub fn item(path: &str, input: ItemInput, cur: Currency) -> FieldResult<Item> {
    let pre_tax = money(
        &format!("{path}.preTaxAmount"),
        input.pre_tax_amount.as_deref(),
        cur,
    )?;
    let tax = match input.tax {
        None => None,
        Some(t) => Some(tax(&format!("{path}.tax"), t, pre_tax, cur)?),
    };
    let tax_amount = tax.as_ref().map(|(_, _, a)| *a).unwrap_or(Money::zero(cur));
    let total_path = format!("{path}.totalAmount");
    let expected = pre_tax
        .checked_add(tax_amount)
        .map_err(|e| FieldError::invalid(&total_path, e))?;
    let total = money(&total_path, input.total_amount.as_deref(), cur)?;
    if total != expected {
        let why = match &tax {
            Some(_) => format!("preTaxAmount {pre_tax} + tax.amount {tax_amount}"),
            None => "equal to preTaxAmount when there is no tax".to_string(),
        };
        return Err(FieldError::invalid(
            total_path,
            format_args!("must be {expected} ({why})"),
        ));
    }
    let description = text(&format!("{path}.description"), input.description)?;
    Ok(Item {
        description,
        pre_tax,
        tax,
        total,
    })
}

fn tax(
    path: &str,
    input: TaxInput,
    pre_tax: Money,
    cur: Currency,
) -> FieldResult<(String, TaxValue, Money)> {
    let name = text(&format!("{path}.name"), input.name)?;
    let type_path = format!("{path}.type");
    let kind = input.kind.ok_or_else(|| FieldError::missing(&type_path))?;
    let kind = TaxType::parse(&kind).map_err(|e| FieldError::invalid(&type_path, e))?;
    let value_path = format!("{path}.value");
    let value = input
        .value
        .ok_or_else(|| FieldError::missing(&value_path))?;
    let value =
        TaxValue::parse(kind, &value, cur).map_err(|e| FieldError::invalid(&value_path, e))?;
    let amount_path = format!("{path}.amount");
    let expected = value
        .amount_on(pre_tax)
        .map_err(|e| FieldError::invalid(&amount_path, e))?;
    let amount = money(&amount_path, input.amount.as_deref(), cur)?;
    if amount != expected {
        let why = match &value {
            TaxValue::Fixed(_) => "a FIXED tax's amount equals its value".to_string(),
            TaxValue::Percentage(p) => {
                format!(
                    "{p}% of {pre_tax}, rounded half-up to {} decimals",
                    cur.digits()
                )
            }
        };
        return Err(FieldError::invalid(
            amount_path,
            format_args!("must be {expected} ({why})"),
        ));
    }
    Ok((name, value, amount))
}

pub fn destination(
    path: &str,
    input: DestinationInput,
    cur: Currency,
) -> FieldResult<(Money, DestinationView)> {
    let type_path = format!("{path}.type");
    match input.kind.as_deref() {
        None => return Err(FieldError::missing(type_path)),
        Some("ACCOUNT") => {}
        Some(_) => {
            return Err(FieldError::invalid(
                type_path,
                "must be ACCOUNT: a checkout session pays into accounts",
            ));
        }
    }
    let amount = money(&format!("{path}.amount"), input.amount.as_deref(), cur)?;
    let account_path = format!("{path}.account");
    let acc = input
        .account
        .ok_or_else(|| FieldError::missing(&account_path))?;
    let acc_type_path = format!("{account_path}.type");
    let acc_type = acc
        .kind
        .ok_or_else(|| FieldError::missing(&acc_type_path))?;
    if !["CHECKING", "ASSET", "SAVINGS", "ESCROW", "FEE"].contains(&acc_type.as_str()) {
        return Err(FieldError::invalid(
            acc_type_path,
            "must be one of CHECKING, ASSET, SAVINGS, ESCROW, FEE",
        ));
    }
    let acc_cur_path = format!("{account_path}.currency");
    let acc_cur = currency(&acc_cur_path, acc.currency)?;
    if acc_cur != cur {
        return Err(FieldError::invalid(
            acc_cur_path,
            format_args!("must be the session currency {cur}, not {acc_cur}"),
        ));
    }
    let account = AccountView {
        kind: acc_type,
        currency: acc_cur.code().to_string(),
        account_number: text(&format!("{account_path}.accountNumber"), acc.account_number)?,
        account_holder: text(&format!("{account_path}.accountHolder"), acc.account_holder)?,
    };
    let metadata = match input.metadata {
        None => None,
        Some(m) => Some(Metadata {
            image: text(&format!("{path}.metadata.image"), m.image)?,
            description: text(&format!("{path}.metadata.description"), m.description)?,
            category: text(&format!("{path}.metadata.category"), m.category)?,
        }),
    };
    let view = DestinationView {
        name: optional_text(&format!("{path}.name"), input.name)?,
        kind: "ACCOUNT".to_string(),
        external_id: optional_text(&format!("{path}.externalId"), input.external_id)?,
        amount: amount.to_string(),
        metadata,
        account,
    };
    Ok((amount, view))
}

pub fn methods(path: &str, input: Option<Vec<String>>) -> FieldResult<Vec<PaymentMethod>> {
    let list = input.ok_or_else(|| FieldError::missing(path))?;
    if list.is_empty() {
        return Err(FieldError::invalid(
            path,
            "must list at least one payment method",
        ));
    }
    let mut out: Vec<PaymentMethod> = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let node = NodeType::parse(raw).map_err(|e| FieldError::invalid(&p, e))?;
        let method = PaymentMethod::from_node_type(node).map_err(|e| FieldError::invalid(&p, e))?;
        if !out.contains(&method) {
            out.push(method);
        }
    }
    Ok(out)
}

pub fn duration(path: &str, input: Option<Number>) -> FieldResult<i64> {
    let n = input.ok_or_else(|| FieldError::missing(path))?;
    let secs = n.as_i64().ok_or_else(|| {
        FieldError::invalid(path, "must be a whole number of seconds such as 900")
    })?;
    if !(MIN_DURATION_SECS..=MAX_DURATION_SECS).contains(&secs) {
        return Err(FieldError::invalid(
            path,
            format_args!(
                "must be between {MIN_DURATION_SECS} and {MAX_DURATION_SECS} seconds, got {secs}"
            ),
        ));
    }
    Ok(secs)
}

pub fn requirements(path: &str, input: Option<Vec<String>>) -> FieldResult<Vec<CustomerField>> {
    let mut out: Vec<CustomerField> = Vec::new();
    for (i, raw) in input.unwrap_or_default().iter().enumerate() {
        let f = CustomerField::parse(raw)
            .map_err(|e| FieldError::invalid(format!("{path}[{i}]"), e))?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    Ok(out)
}

pub fn owner(path: &str, input: Option<OwnerInput>) -> FieldResult<Owner> {
    let o = input.ok_or_else(|| FieldError::missing(path))?;
    if let Some(key) = o.unknown.keys().next() {
        return Err(FieldError::invalid(
            format!("{path}.{key}"),
            "is not a property of owner (allowed: identityId, name, lastname, nickname, documentNumber, entityType)",
        ));
    }
    Ok(Owner {
        identity_id: text(&format!("{path}.identityId"), o.identity_id)?,
        name: optional_text(&format!("{path}.name"), o.name)?,
        lastname: optional_text(&format!("{path}.lastname"), o.lastname)?,
        nickname: optional_text(&format!("{path}.nickname"), o.nickname)?,
        document_number: optional_text(&format!("{path}.documentNumber"), o.document_number)?,
        entity_type: optional_text(&format!("{path}.entityType"), o.entity_type)?,
    })
}

/// The customer is optional and every field in it too; what is given must be sane text, and an
/// email must look like one (the hosted page pre-fills from it).
pub fn customer(path: &str, input: Option<Customer>) -> FieldResult<Option<Customer>> {
    let Some(c) = input else { return Ok(None) };
    let fields = [
        ("id", &c.id),
        ("firstName", &c.first_name),
        ("email", &c.email),
        ("lastName", &c.last_name),
        ("phoneNumber", &c.phone_number),
        ("phoneNumberPrefix", &c.phone_number_prefix),
        ("documentType", &c.document_type),
        ("documentNumber", &c.document_number),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            if v.chars().count() > MAX_TEXT {
                return Err(FieldError::invalid(
                    format!("{path}.{name}"),
                    format_args!("is longer than {MAX_TEXT} characters"),
                ));
            }
        }
    }
    if let Some(email) = &c.email {
        let ok = email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !email.contains(char::is_whitespace)
        });
        if !ok {
            return Err(FieldError::invalid(
                format!("{path}.email"),
                "must be an email address such as \"ana@example.com\"",
            ));
        }
    }
    Ok(Some(c))
}

pub fn redirect_url(path: &str, input: Option<String>) -> FieldResult<Option<RedirectUrl>> {
    input
        .map(|u| RedirectUrl::parse(&u).map_err(|e| FieldError::invalid(path, e)))
        .transpose()
}

pub fn checkout_token(path: &str, input: Option<String>) -> FieldResult<CheckoutToken> {
    let raw = input.ok_or_else(|| FieldError::missing(path))?;
    CheckoutToken::parse(&raw).map_err(|e| FieldError::invalid(path, e))
}
