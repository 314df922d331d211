//! The payer's form: which fields a method asks for, turning what was posted into the API's
//! `PaymentRequest`, and mapping the domain's `FieldError` paths back onto form fields so each
//! message appears next to its input.
//!
//! The page checks only what the domain does not know about (a required field left empty, the
//! card's expiry); everything else is the domain's own `payment_request::parse`, run on the very
//! request that will be submitted, so the page can never accept what the API would refuse.

use serde_json::{Map, Value, json};

use crate::domain::card_expiry::{CardExpiry, CardExpiryError};
use crate::domain::customer_field::CustomerField;
use crate::domain::payment_method::PaymentMethod;
use crate::domain::payment_request::{self, PaymentRequest};
use crate::domain::session::{Customer, SessionRecord};
use crate::domain::session_input::{self, FieldError, FieldErrorKind};
use crate::domain::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Pan,
    Holder,
    Expiry,
    Customer(CustomerField),
}

/// The order customer fields appear in: as people write them, not upstream's enum order.
const CUSTOMER_ORDER: [CustomerField; 8] = [
    CustomerField::FirstName,
    CustomerField::LastName,
    CustomerField::Email,
    CustomerField::PhoneNumberPrefix,
    CustomerField::PhoneNumber,
    CustomerField::DocumentType,
    CustomerField::DocumentNumber,
    CustomerField::Address,
];

impl Field {
    /// The form control's `name` (and, prefixed with `f-`, its `id`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Pan => "pan",
            Field::Holder => "holder",
            Field::Expiry => "expiry",
            Field::Customer(c) => c.as_str(),
        }
    }

    /// The catalogue key of the field's label.
    pub fn label_key(self) -> &'static str {
        use CustomerField as C;
        match self {
            Field::Pan => "field_pan",
            Field::Holder => "field_holder",
            Field::Expiry => "field_expiry",
            Field::Customer(C::FirstName) => "field_first_name",
            Field::Customer(C::LastName) => "field_last_name",
            Field::Customer(C::Email) => "field_email",
            Field::Customer(C::PhoneNumberPrefix) => "field_phone_prefix",
            Field::Customer(C::PhoneNumber) => "field_phone",
            Field::Customer(C::DocumentType) => "field_document_type",
            Field::Customer(C::DocumentNumber) => "field_document_number",
            Field::Customer(C::Address) => "field_address",
        }
    }

    /// The catalogue key of a hint shown under the label, if the field has one.
    pub fn hint_key(self) -> Option<&'static str> {
        match self {
            Field::Expiry => Some("hint_expiry"),
            Field::Customer(CustomerField::PhoneNumberPrefix) => Some("hint_phone_prefix"),
            Field::Customer(CustomerField::DocumentType) => Some("hint_document_type"),
            _ => None,
        }
    }

    pub fn input_type(self) -> &'static str {
        match self {
            Field::Customer(CustomerField::Email) => "email",
            Field::Customer(CustomerField::PhoneNumber | CustomerField::PhoneNumberPrefix) => "tel",
            _ => "text",
        }
    }

    /// The `autocomplete` token, so browsers and password managers fill the right thing.
    pub fn autocomplete(self) -> &'static str {
        use CustomerField as C;
        match self {
            Field::Pan => "cc-number",
            Field::Holder => "cc-name",
            Field::Expiry => "cc-exp",
            Field::Customer(C::FirstName) => "given-name",
            Field::Customer(C::LastName) => "family-name",
            Field::Customer(C::Email) => "email",
            Field::Customer(C::PhoneNumberPrefix) => "tel-country-code",
            Field::Customer(C::PhoneNumber) => "tel-national",
            Field::Customer(C::Address) => "street-address",
            Field::Customer(C::DocumentType | C::DocumentNumber) => "off",
        }
    }

    pub fn inputmode(self) -> &'static str {
        match self {
            Field::Pan | Field::Expiry => "numeric",
            Field::Customer(CustomerField::Email) => "email",
            Field::Customer(CustomerField::PhoneNumber | CustomerField::PhoneNumberPrefix) => "tel",
            _ => "text",
        }
    }
}

/// The fields a payer is asked for when paying with `method`: the card's own for CARD, then
/// every customer field the method's `requiredFields` name, whether the method needs it
/// (`pix.customer.firstName`) or the session's `customerRequirements` do (`customer.email`).
pub fn fields_for(method: PaymentMethod, required_fields: &[String]) -> Vec<Field> {
    let mut fields = Vec::new();
    if method == PaymentMethod::Card {
        fields.extend([Field::Pan, Field::Holder, Field::Expiry]);
    }
    let asked: Vec<CustomerField> = required_fields
        .iter()
        .filter_map(|path| {
            let mut segments = path.split('.');
            segments.find(|s| *s == "customer")?;
            CustomerField::parse(segments.next()?).ok()
        })
        .collect();
    fields.extend(
        CUSTOMER_ORDER
            .into_iter()
            .filter(|f| asked.contains(f))
            .map(Field::Customer),
    );
    fields
}

/// What the merchant already told us about the payer, to pre-fill a field. Never the card.
pub fn prefill(field: Field, customer: Option<&Customer>) -> String {
    use CustomerField as C;
    let Some(c) = customer else {
        return String::new();
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match field {
        Field::Pan | Field::Expiry => String::new(),
        Field::Holder => [&c.first_name, &c.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        Field::Customer(C::FirstName) => text(&c.first_name),
        Field::Customer(C::LastName) => text(&c.last_name),
        Field::Customer(C::Email) => text(&c.email),
        Field::Customer(C::PhoneNumberPrefix) => text(&c.phone_number_prefix),
        Field::Customer(C::PhoneNumber) => text(&c.phone_number),
        Field::Customer(C::DocumentType) => text(&c.document_type),
        Field::Customer(C::DocumentNumber) => text(&c.document_number),
        Field::Customer(C::Address) => c
            .address
            .as_ref()
            .map(|a| {
                [&a.street, &a.street_number]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default(),
    }
}

/// One thing to fix: on a field, or about the payment as a whole (`field: None`). `message`
/// is a catalogue key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Option<Field>,
    pub message: &'static str,
}

/// The form field a domain `FieldError` path points at, if any. Paths are those of the
/// payment request (`origins[0].card.pan`, `origins[0].pix.customer.email (…)`) or of the
/// customer check (`customer.email`); anything about the node's type, currency or amount
/// concerns the payment as a whole.
pub fn field_for_path(path: &str, node_key: &str) -> Option<Field> {
    // Some paths carry an explanation after a space: "origins[0].card.pan (the card number…)".
    let path = path.split(' ').next().unwrap_or("");
    let path = path.strip_prefix("origins[0].").unwrap_or(path);
    let path = path
        .strip_prefix(node_key)
        .and_then(|p| p.strip_prefix('.'))
        .unwrap_or(path);
    match path {
        "pan" | "token" => Some(Field::Pan),
        "holder" => Some(Field::Holder),
        "expiry" => Some(Field::Expiry),
        _ => path
            .strip_prefix("customer.")
            .and_then(|f| CustomerField::parse(f).ok())
            .map(Field::Customer),
    }
}

/// The domain's error as a problem on the page.
pub fn problem_for(error: &FieldError, node_key: &str) -> Problem {
    let field = field_for_path(&error.path, node_key);
    let message = match (error.kind, field) {
        (_, None) => "err_method_unavailable",
        (FieldErrorKind::Missing, Some(_)) => "err_required",
        (FieldErrorKind::Invalid, Some(Field::Pan)) => "err_pan",
        (FieldErrorKind::Invalid, Some(Field::Customer(CustomerField::Email))) => "err_email",
        (FieldErrorKind::Invalid, Some(_)) => "err_invalid",
    };
    Problem { field, message }
}

/// The posted form, as `(name, value)` pairs.
pub struct Posted<'a>(pub &'a [(String, String)]);

impl Posted<'_> {
    /// The value of `name`, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.get_raw(name).map_or("", str::trim)
    }

    /// The value of `name` as posted.
    pub fn get_raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the payer is paying with: a method in one payer currency.
#[derive(Debug, Clone, Copy)]
pub struct Choice<'a> {
    pub method: PaymentMethod,
    pub currency: &'a str,
}

/// Checks the posted form and returns the `PaymentRequest` to submit, or every problem found.
pub fn check(
    choice: Choice<'_>,
    fields: &[Field],
    posted: &Posted<'_>,
    session: &SessionRecord,
    now: Timestamp,
) -> Result<PaymentRequest, Vec<Problem>> {
    let mut problems = page_problems(fields, posted, now);
    let node_key = choice.method.node_key();
    if let Err(e) = payment_request::parse(request(choice, fields, posted), session) {
        let p = problem_for(&e, node_key);
        if !problems
            .iter()
            .any(|q| q.field.is_some() && q.field == p.field)
        {
            problems.push(p);
        }
    }
    if problems.is_empty() {
        Ok(request(choice, fields, posted))
    } else {
        Err(problems)
    }
}

/// What only the page can judge: required fields left empty, the card's expiry, and the
/// customer fields' own rules (the same `session_input::customer` a session's customer meets).
fn page_problems(fields: &[Field], posted: &Posted<'_>, now: Timestamp) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut customer = Customer::default();
    for &field in fields {
        let value = posted.get(field.name());
        if value.is_empty() {
            problems.push(Problem {
                field: Some(field),
                message: "err_required",
            });
            continue;
        }
        let message = match field {
            Field::Expiry => match CardExpiry::parse(value, now) {
                Ok(_) => None,
                Err(CardExpiryError::Malformed) => Some("err_expiry_format"),
                Err(CardExpiryError::Expired) => Some("err_expiry_past"),
            },
            Field::Holder => session_input::text("holder", Some(value.to_string()))
                .err()
                .map(|_| "err_invalid"),
            Field::Customer(c) => {
                set_customer_text(&mut customer, c, value);
                None
            }
            Field::Pan => None,
        };
        if let Some(message) = message {
            problems.push(Problem {
                field: Some(field),
                message,
            });
        }
    }
    if let Err(e) = session_input::customer("customer", Some(customer)) {
        problems.push(problem_for(&e, ""));
    }
    problems
}

fn set_customer_text(c: &mut Customer, field: CustomerField, value: &str) {
    use CustomerField as C;
    let v = Some(value.to_string());
    match field {
        C::FirstName => c.first_name = v,
        C::LastName => c.last_name = v,
        C::Email => c.email = v,
        C::PhoneNumberPrefix => c.phone_number_prefix = v,
        C::PhoneNumber => c.phone_number = v,
        C::DocumentType => c.document_type = v,
        C::DocumentNumber => c.document_number = v,
        // An address is an object; its one line is checked as the street when the node is built.
        C::Address => {}
    }
}

/// The API request for what was posted: one origin node of the chosen method and currency,
/// carrying the card (number and holder; the expiry is checked here and not sent, as the
/// sandbox has no use for it) and the customer fields the payer gave.
pub fn request(choice: Choice<'_>, fields: &[Field], posted: &Posted<'_>) -> PaymentRequest {
    let mut node = Map::new();
    let mut customer = Map::new();
    for &field in fields {
        let value = posted.get(field.name());
        if value.is_empty() {
            continue;
        }
        match field {
            Field::Pan => {
                node.insert("pan".into(), Value::from(value));
            }
            Field::Holder => {
                node.insert("holder".into(), Value::from(value));
            }
            Field::Expiry => {}
            Field::Customer(CustomerField::Address) => {
                customer.insert("address".into(), json!({ "street": value }));
            }
            Field::Customer(c) => {
                customer.insert(c.as_str().into(), Value::from(value));
            }
        }
    }
    if !customer.is_empty() {
        node.insert("customer".into(), Value::Object(customer));
    }
    let mut origin = Map::new();
    origin.insert("type".into(), Value::from(choice.method.as_str()));
    origin.insert("currency".into(), Value::from(choice.currency));
    origin.insert(choice.method.node_key().into(), Value::Object(node));
    PaymentRequest {
        description: None,
        origins: Some(vec![origin]),
    }
}

#[cfg(test)]
mod tests;
