//! Tests for `paymentConfigs`: the contract's figures as unit tests, its invariants as properties.

use std::cell::RefCell;

use serde_json::{Value, json};

use super::*;

use Currency::{Bob, Brl, Clp, Pen, Usd, Usdc, Usdt};
use CustomerField::{Email, FirstName, PhoneNumber};
use PaymentMethod::{Card, Crypto, Pix, Pse, Sip};

fn money(s: &str, c: Currency) -> Money {
    // Test inputs are literals that must parse; a bad literal fails the test loudly.
    match Money::parse(s, c) {
        Ok(m) => m,
        Err(e) => panic!("test literal {s:?} {c}: {e}"),
    }
}

fn rate(s: &str) -> Rate {
    match Rate::parse(s) {
        Ok(r) => r,
        Err(e) => panic!("test rate {s:?}: {e}"),
    }
}

fn json(configs: &[CurrencyConfig]) -> Value {
    serde_json::to_value(configs).unwrap_or_default()
}

/// A lookup that knows only `pairs`.
fn table(pairs: &[(Currency, Currency, &str)]) -> impl Fn(Currency, Currency) -> Option<Rate> {
    let pairs: Vec<_> = pairs.iter().map(|(f, t, r)| (*f, *t, rate(r))).collect();
    move |from, to| {
        pairs
            .iter()
            .find(|(f, t, _)| *f == from && *t == to)
            .map(|(_, _, r)| r.clone())
    }
}

/// `(id, purchaseAmount, enabled)` of every method config, in order.
fn summary(configs: &[CurrencyConfig]) -> Vec<(&str, &str, bool)> {
    let methods = configs.iter().flat_map(|c| c.payment_methods.iter());
    methods
        .map(|m| (m.id.as_str(), m.purchase_amount.as_str(), m.enabled))
        .collect()
}

/// Whether `method` paid in `currency` is offered and enabled.
fn enabled(configs: &[CurrencyConfig], method: &str, currency: &str) -> Option<bool> {
    find_method(configs, method, currency).map(|m| m.enabled)
}

fn no_rates(_: Currency, _: Currency) -> Option<Rate> {
    None
}

#[test]
fn clp_session_with_card_and_pix_follows_the_contract_example() {
    let rates = table(&[(Clp, Brl, "0.0055")]);
    let configs = compute(money("49990", Clp), &[Card, Pix], &[], rates, &[]);
    // 49990 × 0.0055 = 274.945 BRL, rounded up to the centavo.
    let expected = json!([
        {"currency": "CLP", "product": "CLP:CLP", "exchangeRate": "1", "paymentMethods": [
            {"id": "CARD-CLP", "type": "CARD", "enabled": true,
             "requiredFields": ["card.token"], "purchaseAmount": "49990"}]},
        {"currency": "BRL", "product": "BRL:CLP", "exchangeRate": "0.0055", "paymentMethods": [
            {"id": "PIX-BRL", "type": "PIX", "enabled": true,
             "requiredFields": ["pix.data", "pix.customer", "pix.customer.firstName"],
             "purchaseAmount": "274.95"}]},
    ]);
    assert_eq!(json(&configs), expected);
}

#[test]
fn usd_session_with_crypto_and_card_offers_both_stablecoins_then_usd() {
    let rates = table(&[(Usd, Usdc, "1"), (Usd, Usdt, "1.000")]);
    let configs = compute(money("10.00", Usd), &[Crypto, Card], &[], rates, &[]);
    let expected = json!([
        {"currency": "USDC", "product": "USDC:USD", "exchangeRate": "1", "paymentMethods": [
            {"id": "CRYPTO-USDC", "type": "CRYPTO", "enabled": true,
             "requiredFields": ["wallet.address"], "purchaseAmount": "10.000000"}]},
        {"currency": "USDT", "product": "USDT:USD", "exchangeRate": "1", "paymentMethods": [
            {"id": "CRYPTO-USDT", "type": "CRYPTO", "enabled": true,
             "requiredFields": ["wallet.address"], "purchaseAmount": "10.000000"}]},
        {"currency": "USD", "product": "USD:USD", "exchangeRate": "1", "paymentMethods": [
            {"id": "CARD-USD", "type": "CARD", "enabled": true,
             "requiredFields": ["card.token"], "purchaseAmount": "10.00"}]},
    ]);
    assert_eq!(json(&configs), expected);
}

#[test]
fn stablecoin_session_pays_card_in_usd() {
    let rates = table(&[(Usdc, Usd, "1"), (Usdc, Usdt, "1")]);
    let configs = compute(money("12.345678", Usdc), &[Card, Crypto], &[], rates, &[]);
    // Card pays in USD: 12.345678 rounds UP to 12.35, never down to 12.34.
    let expected = [
        ("CARD-USD", "12.35", true),
        ("CRYPTO-USDC", "12.345678", true),
        ("CRYPTO-USDT", "12.345678", true),
    ];
    assert_eq!(summary(&configs), expected);
    let products: Vec<_> = configs.iter().map(|c| c.product.as_str()).collect();
    assert_eq!(products, ["USD:USDC", "USDC:USDC", "USDT:USDC"]);
}

#[test]
fn the_session_currency_is_never_looked_up() {
    let asked = RefCell::new(Vec::new());
    let lookup = |from, to| {
        asked.borrow_mut().push((from, to));
        Some(rate("950"))
    };
    let configs = compute(money("10.00", Usd), &[Card, Crypto], &[], lookup, &[]);
    assert_eq!(*asked.borrow(), [(Usd, Usdc), (Usd, Usdt)]);
    assert_eq!(configs.first().map(|c| c.exchange_rate.as_str()), Some("1"));
}

#[test]
fn a_missing_rate_lists_the_pair_disabled_with_zero_rate_and_amount() {
    let configs = compute(money("49990", Clp), &[Card, Pix], &[], no_rates, &[]);
    let expected = json!([
        {"currency": "CLP", "product": "CLP:CLP", "exchangeRate": "1", "paymentMethods": [
            {"id": "CARD-CLP", "type": "CARD", "enabled": true,
             "requiredFields": ["card.token"], "purchaseAmount": "49990"}]},
        {"currency": "BRL", "product": "BRL:CLP", "exchangeRate": "0", "paymentMethods": [
            {"id": "PIX-BRL", "type": "PIX", "enabled": false,
             "requiredFields": ["pix.data", "pix.customer", "pix.customer.firstName"],
             "purchaseAmount": "0.00"}]},
    ]);
    assert_eq!(json(&configs), expected);
    // Stablecoins get their own zero, with their own digits.
    let crypto = compute(money("1", Usd), &[Crypto], &[], no_rates, &[]);
    let expected = [
        ("CRYPTO-USDC", "0.000000", false),
        ("CRYPTO-USDT", "0.000000", false),
    ];
    assert_eq!(summary(&crypto), expected);
}

#[test]
fn a_conversion_too_large_is_treated_as_no_rate() {
    // 10^24 - 1 CLP at 999999999999 BRL/CLP overflows the 24-integer-digit cap.
    let total = money(&"9".repeat(24), Clp);
    let rates = table(&[(Clp, Brl, "999999999999")]);
    let configs = compute(total, &[Pix], &[], rates, &[]);
    assert_eq!(summary(&configs), [("PIX-BRL", "0.00", false)]);
    let rates: Vec<_> = configs.iter().map(|c| c.exchange_rate.as_str()).collect();
    assert_eq!(rates, [NO_RATE]);
}

fn limit(method: PaymentMethod, c: Currency, min: Option<&str>, max: Option<&str>) -> MethodLimit {
    let bound = |s: Option<&str>| s.map(|s| money(s, c));
    MethodLimit {
        method,
        currency: c,
        min: bound(min),
        max: bound(max),
    }
}

/// Whether BRL PIX (274.95 for the contract example) is enabled under `limits`.
fn pix_enabled(limits: &[MethodLimit]) -> Option<bool> {
    let rates = table(&[(Clp, Brl, "0.0055")]);
    let configs = compute(money("49990", Clp), &[Card, Pix], &[], rates, limits);
    enabled(&configs, "PIX", "BRL")
}

#[test]
fn limits_are_inclusive_at_both_ends() {
    let cases = [
        (Some("274.95"), None, true),
        (Some("274.96"), None, false),
        (None, Some("274.95"), true),
        (None, Some("274.94"), false),
        (Some("274.95"), Some("274.95"), true),
        (None, None, true),
    ];
    for (min, max, expected) in cases {
        let limits = [limit(Pix, Brl, min, max)];
        assert_eq!(pix_enabled(&limits), Some(expected), "{min:?}..{max:?}");
    }
    // Every applicable limit must allow the amount.
    let two = [
        limit(Pix, Brl, Some("1"), None),
        limit(Pix, Brl, None, Some("100")),
    ];
    assert_eq!(pix_enabled(&two), Some(false));
}

#[test]
fn limits_for_another_currency_or_method_do_not_apply() {
    let configs_with = |limits: &[MethodLimit]| {
        let rates = table(&[(Clp, Brl, "0.0055")]);
        compute(money("49990", Clp), &[Card, Pix], &[], rates, limits)
    };
    // CARD limits in BRL or USD say nothing about CARD in CLP, nor about PIX.
    let configs = configs_with(&[
        limit(Card, Brl, None, Some("1")),
        limit(Card, Usd, None, Some("1")),
        limit(Pix, Clp, None, Some("1")),
    ]);
    assert_eq!(enabled(&configs, "CARD", "CLP"), Some(true));
    assert_eq!(enabled(&configs, "PIX", "BRL"), Some(true));
    let configs = configs_with(&[limit(Card, Clp, Some("50000"), None)]);
    assert_eq!(enabled(&configs, "CARD", "CLP"), Some(false));
    assert_eq!(enabled(&configs, "PIX", "BRL"), Some(true));
}

#[test]
fn a_bound_in_the_wrong_currency_fails_closed() {
    let mismatched = MethodLimit {
        method: Pix,
        currency: Brl,
        min: Some(money("1", Clp)),
        max: None,
    };
    assert_eq!(pix_enabled(&[mismatched]), Some(false));
}

#[test]
fn limits_cannot_enable_a_pair_without_a_rate() {
    let limits = [limit(Pix, Brl, None, None)];
    let configs = compute(money("100", Clp), &[Pix], &[], no_rates, &limits);
    assert_eq!(enabled(&configs, "PIX", "BRL"), Some(false));
}

#[test]
fn customer_requirements_are_appended_once_each_in_order() {
    let reqs = [Email, FirstName, Email, PhoneNumber, FirstName];
    let configs = compute(money("1.00", Usd), &[Card], &reqs, no_rates, &[]);
    let fields = find_method(&configs, "CARD", "USD").map(|m| json!(m.required_fields));
    let expected = [
        "card.token",
        "customer.email",
        "customer.firstName",
        "customer.phoneNumber",
    ];
    assert_eq!(fields, Some(json!(expected)));
}

#[test]
fn order_follows_first_appearance_and_duplicates_collapse() {
    let rates = table(&[(Usd, Brl, "5.5"), (Usd, Pen, "3.75"), (Usd, Bob, "6.9")]);
    let methods = [Sip, Pix, Card, Sip, PaymentMethod::Ligo, Pix];
    let configs = compute(money("1.00", Usd), &methods, &[], rates, &[]);
    let ids: Vec<_> = summary(&configs).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(
        ids,
        ["SIP-PEN", "LIGO-PEN", "SIP-BOB", "PIX-BRL", "CARD-USD"]
    );
    let currencies: Vec<_> = configs.iter().map(|c| c.currency.as_str()).collect();
    assert_eq!(currencies, ["PEN", "BOB", "BRL", "USD"]);
    assert!(compute(money("1.00", Usd), &[], &[Email], no_rates, &[]).is_empty());
}

#[test]
fn serialises_with_the_contract_field_names() {
    let rates = table(&[(Clp, Brl, "0.0055")]);
    let configs = compute(money("49990", Clp), &[Pix], &[Email], rates, &[]);
    let json = serde_json::to_string(&configs).unwrap_or_default();
    assert_eq!(
        json,
        r#"[{"currency":"BRL","product":"BRL:CLP","exchangeRate":"0.0055","paymentMethods":[{"id":"PIX-BRL","type":"PIX","enabled":true,"requiredFields":["pix.data","pix.customer","pix.customer.firstName","customer.email"],"purchaseAmount":"274.95"}]}]"#
    );
    let back: Result<Vec<CurrencyConfig>, _> = serde_json::from_str(&json);
    assert_eq!(back.ok(), Some(configs));
}

#[test]
fn find_method_matches_type_and_payer_currency() {
    let configs = compute(money("49990", Clp), &[Card, Pix, Pse], &[], no_rates, &[]);
    let id = |method, currency| find_method(&configs, method, currency).map(|m| m.id.as_str());
    assert_eq!(id("CARD", "CLP"), Some("CARD-CLP"));
    assert_eq!(id("PSE", "COP"), Some("PSE-COP"));
    // Disabled configs are found too; the caller judges them.
    assert_eq!(enabled(&configs, "PIX", "BRL"), Some(false));
    for (method, currency) in [
        ("PIX", "CLP"),
        ("CARD", "BRL"),
        ("card", "CLP"),
        ("SPEI", "MXN"),
    ] {
        assert_eq!(id(method, currency), None, "{method} {currency}");
    }
    assert_eq!(find_method(&[], "CARD", "CLP"), None);
}

mod props;
