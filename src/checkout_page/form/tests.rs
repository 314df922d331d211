use serde_json::json;

use super::*;
use crate::domain::currency::Currency;
use crate::domain::environment::{Environment, Tenant};
use crate::domain::money::Money;
use crate::domain::payment_config;
use crate::domain::rate::Rate;
use crate::domain::session::SessionBody;
use crate::domain::status::SessionStatus;

/// 2025-04-15T12:00:00Z.
const NOW: Timestamp = Timestamp::from_millis(1_744_718_400_000);

/// A CLP session taking CARD and PIX (at a demo rate), asking for the payer's email.
fn session(requirements: &[&str]) -> SessionRecord {
    let body: SessionBody = serde_json::from_value(json!({
        "items": [{"preTaxAmount": "1000", "totalAmount": "1000", "description": "Tea"}],
        "currency": "CLP", "preTaxAmount": "1000", "totalAmount": "1000",
        "paymentMethodsAllowed": ["CARD", "PIX"],
        "destinations": [{"type": "ACCOUNT", "amount": "1000", "account": {"type": "CHECKING",
            "currency": "CLP", "accountNumber": "1", "accountHolder": "Shop"}}],
        "customerRequirements": requirements,
        "owner": {"identityId": "m1"}
    }))
    .expect("a valid body");
    let offer = body.offer().expect("a valid offer");
    let configs = payment_config::compute(
        offer.total,
        &offer.methods,
        &offer.requirements,
        |_, _| Rate::parse("0.0055").ok(),
        &[],
    );
    SessionRecord {
        id: "s1".into(),
        tenant: Tenant {
            client_id: "c1".into(),
            environment: Environment::Sandbox,
        },
        checkout_token: "order-1".into(),
        public_token: "pub".into(),
        payment_link_id: None,
        status: SessionStatus::Active,
        deactivated: false,
        created_at: NOW,
        expires_at: NOW.plus_seconds(900),
        duration_secs: 900,
        success_url: None,
        failed_url: None,
        total_sort_key: Money::zero(Currency::Clp).sort_key(),
        body,
        payment_configs: configs,
    }
}

fn pairs(values: &[(&str, &str)]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const CARD: Choice<'static> = Choice {
    method: PaymentMethod::Card,
    currency: "CLP",
};

#[test]
fn a_method_asks_for_its_own_fields_and_the_required_customer_fields() {
    let s = session(&["email", "firstName"]);
    let card = payment_config::find_method(&s.payment_configs, "CARD", "CLP").expect("card");
    assert_eq!(
        fields_for(PaymentMethod::Card, &card.required_fields),
        [
            Field::Pan,
            Field::Holder,
            Field::Expiry,
            Field::Customer(CustomerField::FirstName),
            Field::Customer(CustomerField::Email),
        ]
    );
    let s = session(&[]);
    let pix = payment_config::find_method(&s.payment_configs, "PIX", "BRL").expect("pix");
    assert_eq!(
        fields_for(PaymentMethod::Pix, &pix.required_fields),
        [Field::Customer(CustomerField::FirstName)],
        "PIX's own node requires the payer's first name"
    );
}

#[test]
fn domain_paths_map_back_to_form_fields() {
    let cases = [
        ("origins[0].card.pan", "card", Some(Field::Pan)),
        (
            "origins[0].card.pan (the card number, e.g. the sandbox test card 4242424242424242)",
            "card",
            Some(Field::Pan),
        ),
        ("origins[0].card.token", "card", Some(Field::Pan)),
        (
            "origins[0].pix.customer.email (the session's customerRequirements ask for it)",
            "pix",
            Some(Field::Customer(CustomerField::Email)),
        ),
        (
            "origins[0].fedNow.customer.address",
            "fedNow",
            Some(Field::Customer(CustomerField::Address)),
        ),
        (
            "customer.email",
            "",
            Some(Field::Customer(CustomerField::Email)),
        ),
        ("holder", "", Some(Field::Holder)),
        ("origins[0].type", "card", None),
        ("origins[0].currency", "card", None),
        ("origins[0].card.customer.nickname", "card", None),
    ];
    for (path, key, want) in cases {
        assert_eq!(field_for_path(path, key), want, "{path}");
    }
    let missing = FieldError::missing("origins[0].card.pan (the card number)");
    assert_eq!(
        problem_for(&missing, "card"),
        Problem {
            field: Some(Field::Pan),
            message: "err_required"
        }
    );
    let bad_type = FieldError::invalid("origins[0].type", "is not allowed");
    assert_eq!(
        problem_for(&bad_type, "card").message,
        "err_method_unavailable"
    );
}

#[test]
fn a_complete_card_form_becomes_the_api_request_without_the_expiry() {
    let s = session(&["email"]);
    let fields = fields_for(PaymentMethod::Card, &["customer.email".into()]);
    let posted = pairs(&[
        ("pan", "4242 4242 4242 4242"),
        ("holder", "Ana Pérez"),
        ("expiry", "12/30"),
        ("email", " ana@example.com "),
    ]);
    let req = check(CARD, &fields, &Posted(&posted), &s, NOW).expect("valid form");
    let origin = serde_json::to_value(&req.origins).expect("json");
    assert_eq!(
        origin,
        json!([{"type": "CARD", "currency": "CLP", "card": {
            "pan": "4242 4242 4242 4242", "holder": "Ana Pérez",
            "customer": {"email": "ana@example.com"}}}])
    );
}

#[test]
fn every_problem_is_reported_on_its_field() {
    let s = session(&["email"]);
    let fields = fields_for(PaymentMethod::Card, &["customer.email".into()]);
    let posted = pairs(&[
        ("pan", "4242424242424241"),
        ("holder", ""),
        ("expiry", "01/20"),
        ("email", "not-an-email"),
    ]);
    let problems = check(CARD, &fields, &Posted(&posted), &s, NOW).expect_err("invalid");
    let got: Vec<_> = problems.iter().map(|p| (p.field, p.message)).collect();
    assert_eq!(
        got,
        [
            (Some(Field::Holder), "err_required"),
            (Some(Field::Expiry), "err_expiry_past"),
            (Some(Field::Customer(CustomerField::Email)), "err_email"),
            (Some(Field::Pan), "err_pan"),
        ]
    );
}

#[test]
fn a_customer_field_the_session_requires_is_checked_by_the_domain_too() {
    // The page did not ask for the email (as if the method config had no such field), so the
    // domain's own customerRequirements check is what catches it, on the right field.
    let s = session(&["email"]);
    let fields = [Field::Pan, Field::Holder, Field::Expiry];
    let posted = pairs(&[
        ("pan", "4242424242424242"),
        ("holder", "Ana"),
        ("expiry", "12/30"),
    ]);
    let problems = check(CARD, &fields, &Posted(&posted), &s, NOW).expect_err("email missing");
    assert_eq!(
        problems,
        [Problem {
            field: Some(Field::Customer(CustomerField::Email)),
            message: "err_required"
        }]
    );
}

#[test]
fn a_currency_the_session_does_not_offer_is_a_problem_of_the_whole_payment() {
    let s = session(&[]);
    let fields = fields_for(PaymentMethod::Card, &[]);
    let posted = pairs(&[
        ("pan", "4242424242424242"),
        ("holder", "Ana"),
        ("expiry", "12/30"),
    ]);
    let usd = Choice {
        method: PaymentMethod::Card,
        currency: "USD",
    };
    let problems = check(usd, &fields, &Posted(&posted), &s, NOW).expect_err("no USD");
    assert_eq!(
        problems,
        [Problem {
            field: None,
            message: "err_method_unavailable"
        }]
    );
}

#[test]
fn prefill_uses_the_sessions_customer_but_never_the_card() {
    let c = Customer {
        first_name: Some("Ana".into()),
        last_name: Some("Pérez".into()),
        email: Some("ana@example.com".into()),
        ..Customer::default()
    };
    assert_eq!(prefill(Field::Holder, Some(&c)), "Ana Pérez");
    assert_eq!(
        prefill(Field::Customer(CustomerField::Email), Some(&c)),
        "ana@example.com"
    );
    assert_eq!(prefill(Field::Pan, Some(&c)), "");
    assert_eq!(prefill(Field::Customer(CustomerField::Email), None), "");
}
