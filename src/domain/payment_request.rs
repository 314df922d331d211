//! A payment submitted on a session (CONTRACT §6), checked against what the session offers:
//! the method must be allowed and enabled, the currency one of its configs, an amount equal to
//! that config's `purchaseAmount`, and the customer fields the session requires present.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::domain::card::CardNumber;
use crate::domain::currency::Currency;
use crate::domain::customer_field::CustomerField;
use crate::domain::money::Money;
use crate::domain::payment_config::find_method;
use crate::domain::payment_method::{NodeType, PaymentMethod};
use crate::domain::session::{Customer, SessionRecord};
use crate::domain::session_input::{FieldError, FieldResult};

#[derive(Debug, Default, Deserialize)]
pub struct PaymentRequest {
    pub description: Option<String>,
    pub origins: Option<Vec<Map<String, Value>>>,
}

/// A payment the session can take, ready for a processor.
#[derive(Debug)]
pub struct PaymentIntent {
    pub method: PaymentMethod,
    pub currency: Currency,
    /// Canonical, equal to the config's `purchaseAmount`.
    pub purchase_amount: String,
    pub product: String,
    pub description: Option<String>,
    /// Present for CARD; dropped once the processor has answered.
    pub card: Option<CardNumber>,
    /// The origin node as kassa stores and answers it: no card number, only its last four.
    pub origin: Map<String, Value>,
}

fn text_field<'a>(
    node: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> FieldResult<Option<&'a str>> {
    match node.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(FieldError::invalid(
            format!("{path}.{key}"),
            "must be a string",
        )),
    }
}

pub fn parse(req: PaymentRequest, session: &SessionRecord) -> FieldResult<PaymentIntent> {
    let origins = req.origins.ok_or_else(|| FieldError::missing("origins"))?;
    if origins.len() != 1 {
        return Err(FieldError::invalid(
            "origins",
            format_args!("must hold exactly one payment node, got {}", origins.len()),
        ));
    }
    let mut node = origins.into_iter().next().unwrap_or_default();
    let path = "origins[0]";

    let raw_type = text_field(&node, "type", path)?
        .ok_or_else(|| FieldError::missing(format!("{path}.type")))?;
    let type_path = format!("{path}.type");
    let node_type = NodeType::parse(raw_type).map_err(|e| FieldError::invalid(&type_path, e))?;
    let allowed = &session.body.payment_methods_allowed;
    let method = PaymentMethod::from_node_type(node_type)
        .ok()
        .filter(|m| allowed.iter().any(|a| a == m.as_str()))
        .ok_or_else(|| {
            FieldError::invalid(
                &type_path,
                format_args!(
                    "{raw_type} is not allowed on this session (allowed: {})",
                    allowed.join(", ")
                ),
            )
        })?;

    let cur_path = format!("{path}.currency");
    let raw_cur =
        text_field(&node, "currency", path)?.ok_or_else(|| FieldError::missing(&cur_path))?;
    let currency = Currency::parse(raw_cur).map_err(|e| FieldError::invalid(&cur_path, e))?;
    let config = session
        .payment_configs
        .iter()
        .find(|c| c.currency == currency.code());
    let method_config = find_method(&session.payment_configs, method.as_str(), currency.code())
        .ok_or_else(|| {
            let offered: Vec<&str> = session
                .payment_configs
                .iter()
                .filter(|c| c.payment_methods.iter().any(|m| m.kind == method.as_str()))
                .map(|c| c.currency.as_str())
                .collect();
            FieldError::invalid(
                &cur_path,
                format_args!(
                    "{method} is not paid in {currency} on this session (it takes: {})",
                    offered.join(", ")
                ),
            )
        })?;
    if !method_config.enabled {
        return Err(FieldError::invalid(
            &type_path,
            format_args!(
                "{} is not enabled on this session (no exchange rate for {} or outside the method's limits)",
                method_config.id,
                config.map(|c| c.product.as_str()).unwrap_or("the pair")
            ),
        ));
    }
    if let Some(raw_amount) = text_field(&node, "amount", path)? {
        let amount_path = format!("{path}.amount");
        let amount =
            Money::parse(raw_amount, currency).map_err(|e| FieldError::invalid(&amount_path, e))?;
        if amount.to_string() != method_config.purchase_amount {
            return Err(FieldError::invalid(
                amount_path,
                format_args!(
                    "must be {}, the purchaseAmount of {} (or leave it out)",
                    method_config.purchase_amount, method_config.id
                ),
            ));
        }
    }

    let key = method.node_key();
    let node_path = format!("{path}.{key}");
    let mut method_node = match node.remove(key) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(FieldError::invalid(&node_path, "must be an object")),
    };
    let card = if method == PaymentMethod::Card {
        Some(take_card(&mut method_node, &node_path)?)
    } else {
        None
    };
    check_customer(session, &method_node, &node_path)?;

    let mut origin = Map::new();
    origin.insert("type".into(), Value::from(method.as_str()));
    origin.insert("currency".into(), Value::from(currency.code()));
    origin.insert(
        "amount".into(),
        Value::from(method_config.purchase_amount.clone()),
    );
    for k in ["name", "externalId"] {
        if let Some(v) = text_field(&node, k, path)? {
            origin.insert(k.into(), Value::from(v));
        }
    }
    origin.insert(key.into(), Value::Object(method_node));
    Ok(PaymentIntent {
        method,
        currency,
        purchase_amount: method_config.purchase_amount.clone(),
        product: config.map(|c| c.product.clone()).unwrap_or_default(),
        description: req.description,
        card,
        origin,
    })
}

/// Reads the card number from `card.pan` (or, in the sandbox style, a numeric `card.token`),
/// and rewrites the node so that only `mask` and `scheme` remain of it.
fn take_card(node: &mut Map<String, Value>, path: &str) -> FieldResult<CardNumber> {
    let pan = node.remove("pan");
    let token = node.remove("token");
    let (raw, from) = match (&pan, &token) {
        (Some(Value::String(p)), _) => (p.clone(), "pan"),
        (_, Some(Value::String(t))) => (t.clone(), "token"),
        _ => {
            return Err(FieldError::missing(format!(
                "{path}.pan (the card number, e.g. the sandbox test card 4242424242424242)"
            )));
        }
    };
    let number =
        CardNumber::parse(&raw).map_err(|e| FieldError::invalid(format!("{path}.{from}"), e))?;
    node.insert("mask".into(), Value::from(number.last4()));
    node.insert("scheme".into(), Value::from(number.scheme()));
    Ok(number)
}

/// Every field `customerRequirements` names must be known: from the session's `customer`, or
/// given by the payer in the method node's `customer`.
fn check_customer(
    session: &SessionRecord,
    node: &Map<String, Value>,
    path: &str,
) -> FieldResult<()> {
    let given = node.get("customer").and_then(Value::as_object);
    let known = session.body.customer.as_ref();
    for raw in &session.body.customer_requirements {
        let Ok(field) = CustomerField::parse(raw) else {
            continue;
        };
        let in_node = given
            .and_then(|c| c.get(field.as_str()))
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
        if !in_node && !has_field(known, field) {
            return Err(FieldError::missing(format!(
                "{path}.customer.{} (the session's customerRequirements ask for it)",
                field.as_str()
            )));
        }
    }
    Ok(())
}

fn has_field(c: Option<&Customer>, f: CustomerField) -> bool {
    let Some(c) = c else { return false };
    let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    match f {
        CustomerField::FirstName => present(&c.first_name),
        CustomerField::Email => present(&c.email),
        CustomerField::LastName => present(&c.last_name),
        CustomerField::PhoneNumber => present(&c.phone_number),
        CustomerField::PhoneNumberPrefix => present(&c.phone_number_prefix),
        CustomerField::Address => c.address.is_some(),
        CustomerField::DocumentNumber => present(&c.document_number),
        CustomerField::DocumentType => present(&c.document_type),
    }
}
