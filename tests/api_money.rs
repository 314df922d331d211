//! Money through HTTP (CONTRACT §3–4): exact amounts, taxes, sums, canonical writing, and the
//! payment configs priced from the sandbox demo rates. Expected figures are computed here by
//! integer arithmetic, independently of kassa's own money code.
mod common;

use common::{TestApp, plain_session, session_body};
use kassa::domain::environment::Environment;
use serde_json::{Value, json};

/// The sandbox's fictional USD table (src/domain/demo_rates.rs) as (mantissa, scale):
/// 1 USD = 950 CLP = 5.5 BRL.
const USD_IN_CLP: (u128, u32) = (950, 0);
const USD_IN_BRL: (u128, u32) = (55, 1);

/// The demo cross rate `to/from` in units of 10^-8, rounded half-up, as the table derives it.
fn cross_rate_e8(from: (u128, u32), to: (u128, u32)) -> u128 {
    let num = to.0 * 10u128.pow(from.1 + 8);
    let den = from.0 * 10u128.pow(to.1);
    (2 * num + den) / (2 * den)
}

/// `value / 10^digits` with exactly `digits` fraction digits.
fn fixed(value: u128, digits: u32) -> String {
    if digits == 0 {
        return value.to_string();
    }
    let unit = 10u128.pow(digits);
    format!("{}.{:0w$}", value / unit, value % unit, w = digits as usize)
}

/// `rate_e8` (units of 10^-8) written canonically: no trailing zeros.
fn rate_string(rate_e8: u128) -> String {
    let s = fixed(rate_e8, 8);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A CLP total converted to BRL cents at `rate_e8`, rounded UP: ceil(total * rate * 100).
fn clp_to_brl_cents(total_clp: u128, rate_e8: u128) -> u128 {
    (total_clp * rate_e8 * 100).div_ceil(100_000_000)
}

fn config<'a>(session: &'a Value, currency: &str) -> &'a Value {
    session["paymentConfigs"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["currency"] == currency))
        .unwrap_or_else(|| panic!("no {currency} config in {}", session["paymentConfigs"]))
}

fn currencies(session: &Value) -> Vec<&str> {
    session["paymentConfigs"]
        .as_array()
        .map(|cs| cs.iter().filter_map(|c| c["currency"].as_str()).collect())
        .unwrap_or_default()
}

/// Asserts one payer currency's config and its single method.
#[track_caller]
fn assert_config(
    session: &Value,
    payer: &str,
    method: &str,
    rate: &str,
    amount: &str,
    enabled: bool,
) {
    let c = config(session, payer);
    let product = format!(
        "{payer}:{}",
        session["currency"].as_str().unwrap_or_default()
    );
    assert_eq!(c["product"], json!(product), "{c}");
    assert_eq!(c["exchangeRate"], rate, "{c}");
    let m = c["paymentMethods"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["type"] == method))
        .unwrap_or_else(|| panic!("no {method} in {c}"));
    assert_eq!(m["id"], json!(format!("{method}-{payer}")));
    assert_eq!(m["enabled"], enabled, "{m}");
    assert_eq!(m["purchaseAmount"], amount, "{m}");
    assert!(
        m["requiredFields"]
            .as_array()
            .is_some_and(|f| f.iter().all(Value::is_string))
    );
}

#[tokio::test]
async fn a_clp_session_paid_by_card_and_pix_prices_both_currencies() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let rate = cross_rate_e8(USD_IN_CLP, USD_IN_BRL);
    assert_eq!(rate_string(rate), "0.00578947");
    for total in [49_990u128, 10_000, 2] {
        let mut body = plain_session(
            &format!("pix-{total}"),
            "CLP",
            &total.to_string(),
            900,
            "o",
            "a",
        );
        body["paymentMethodsAllowed"] = json!(["CARD", "PIX"]);
        let s = api.create_session(&body).await;
        assert_eq!(currencies(&s), ["CLP", "BRL"]);
        assert_config(&s, "CLP", "CARD", "1", &total.to_string(), true);
        let brl = fixed(clp_to_brl_cents(total, rate), 2);
        assert_config(&s, "BRL", "PIX", &rate_string(rate), &brl, true);
    }
    // Rounded up, never to nearest: 10000 CLP is 57.8947 BRL, collected as 57.90; 2 CLP is
    // 0.01157894 BRL, collected as 0.02.
    assert_eq!(fixed(clp_to_brl_cents(10_000, rate), 2), "57.90");
    assert_eq!(fixed(clp_to_brl_cents(2, rate), 2), "0.02");
}

#[tokio::test]
async fn a_usd_session_allowing_crypto_offers_usdc_and_usdt_with_six_digits() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = plain_session("crypto", "USD", "10.5", 900, "o", "a");
    body["paymentMethodsAllowed"] = json!(["CARD", "CRYPTO"]);
    let s = api.create_session(&body).await;
    assert_eq!(currencies(&s), ["USD", "USDC", "USDT"]);
    assert_config(&s, "USD", "CARD", "1", "10.50", true);
    assert_config(&s, "USDC", "CRYPTO", "1", "10.500000", true);
    assert_config(&s, "USDT", "CRYPTO", "1", "10.500000", true);
}

#[tokio::test]
async fn a_stablecoin_session_charges_cards_in_usd() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = plain_session("usdc", "USDC", "1.5", 900, "o", "a");
    body["paymentMethodsAllowed"] = json!(["CARD", "CRYPTO"]);
    let s = api.create_session(&body).await;
    assert_eq!(s["totalAmount"], "1.500000");
    assert_eq!(currencies(&s), ["USD", "USDC", "USDT"]);
    assert_config(&s, "USD", "CARD", "1", "1.50", true);
    assert_config(&s, "USDC", "CRYPTO", "1", "1.500000", true);
}

#[tokio::test]
async fn an_eighteen_digit_clp_amount_with_19_percent_vat_round_trips_exactly() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let pre: u128 = 123_456_789_012_345_678;
    let tax = (pre * 19 + 50) / 100; // half-up
    let total = pre + tax;
    assert_eq!(tax, 23_456_789_912_345_679);
    let mut body = session_body("big");
    body["items"][0] = json!({
        "description": "Big",
        "preTaxAmount": pre.to_string(),
        "tax": {"name": "IVA", "type": "PERCENTAGE", "value": "19", "amount": tax.to_string()},
        "totalAmount": total.to_string()
    });
    body["destinations"][0]["amount"] = json!(total.to_string());
    let s = api.create_session(&body).await;
    assert_eq!(s["items"], body["items"]);
    assert_eq!(s["preTaxAmount"], pre.to_string());
    assert_eq!(s["totalAmount"], total.to_string());
    assert_eq!(s["destinations"][0]["amount"], total.to_string());
    let rate = cross_rate_e8(USD_IN_CLP, USD_IN_BRL);
    let brl = fixed(clp_to_brl_cents(total, rate), 2);
    assert_config(&s, "BRL", "PIX", "0.00578947", &brl, true);
    let read = api
        .get(&format!(
            "/checkout-sessions/{}",
            s["id"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(read.body, s);
}

#[tokio::test]
async fn session_totals_are_the_sums_over_items() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = session_body("sums");
    body["currency"] = json!("USD");
    body["items"] = json!([
        {"description": "A", "preTaxAmount": "0.05",
         "tax": {"name": "T", "type": "PERCENTAGE", "value": "10", "amount": "0.01"},
         "totalAmount": "0.06"},
        {"description": "B", "preTaxAmount": "19.99",
         "tax": {"name": "T", "type": "FIXED", "value": "1.5", "amount": "1.50"},
         "totalAmount": "21.49"},
        {"description": "C", "preTaxAmount": "3", "totalAmount": "3.00"}
    ]);
    body["paymentMethodsAllowed"] = json!(["CARD"]);
    body["destinations"][0]["amount"] = json!("20");
    body["destinations"][0]["account"]["currency"] = json!("USD");
    let mut second = body["destinations"][0].clone();
    second["amount"] = json!("4.55");
    body["destinations"]
        .as_array_mut()
        .expect("array")
        .push(second);
    let s = api.create_session(&body).await;
    assert_eq!(s["preTaxAmount"], "23.04");
    assert_eq!(s["totalAmount"], "24.55");
    assert_eq!(s["items"][1]["tax"]["value"], "1.50");
    assert_eq!(s["items"][2]["preTaxAmount"], "3.00");
    assert_eq!(s["destinations"][0]["amount"], "20.00");
}

#[tokio::test]
async fn amounts_are_written_canonically() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for (currency, given, canonical) in [
        ("USD", "10.5", "10.50"),
        ("USD", "007.5", "7.50"),
        ("CLP", "0049990", "49990"),
        ("USDT", "2.25", "2.250000"),
    ] {
        let token = format!("canon-{currency}-{}", given.replace('.', "_"));
        let s = api
            .create_session(&plain_session(&token, currency, given, 900, "o", "a"))
            .await;
        for amount in [
            &s["preTaxAmount"],
            &s["totalAmount"],
            &s["items"][0]["preTaxAmount"],
            &s["items"][0]["totalAmount"],
            &s["destinations"][0]["amount"],
        ] {
            assert_eq!(amount, canonical, "{currency} {given}");
        }
    }
}

#[tokio::test]
async fn every_wrong_figure_is_400_naming_its_path_and_the_expected_value() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let base = session_body("wrong");
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut b = base.clone();
        f(&mut b);
        b
    };
    let usd = |b: &mut Value| {
        b["currency"] = json!("USD");
        b["destinations"][0]["account"]["currency"] = json!("USD");
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            edit(&|b| b["items"][0]["tax"]["amount"] = json!("7981")),
            "items[0].tax.amount",
            "must be 7982",
        ),
        (
            edit(&|b| b["items"][0]["totalAmount"] = json!("49989")),
            "items[0].totalAmount",
            "must be 49990",
        ),
        (
            edit(&|b| {
                if let Some(item) = b["items"][0].as_object_mut() {
                    item.remove("tax");
                }
                b["items"][0]["totalAmount"] = json!("42009");
            }),
            "items[0].totalAmount",
            "must be 42008",
        ),
        (
            edit(&|b| b["destinations"][0]["amount"] = json!("49000")),
            "destinations",
            "49990",
        ),
        (
            edit(&|b| b["destinations"][0]["account"]["currency"] = json!("USD")),
            "destinations[0].account.currency",
            "CLP",
        ),
        (
            edit(&|b| b["items"][0]["preTaxAmount"] = json!("42008.5")),
            "items[0].preTaxAmount",
            "CLP",
        ),
        (
            edit(&|b| {
                usd(b);
                b["items"][0]["preTaxAmount"] = json!("1.005");
            }),
            "items[0].preTaxAmount",
            "2 decimal places",
        ),
        (
            edit(&|b| {
                usd(b);
                b["items"][0]["preTaxAmount"] = json!("10.500");
            }),
            "items[0].preTaxAmount",
            "2 decimal places",
        ),
        (
            edit(&|b| {
                usd(b);
                b["items"][0] = json!({"description": "A", "preTaxAmount": "0.05",
                    "tax": {"name": "T", "type": "PERCENTAGE", "value": "10", "amount": "0.00"},
                    "totalAmount": "0.05"});
            }),
            "items[0].tax.amount",
            "must be 0.01",
        ),
        (
            edit(&|b| {
                b["items"][0]["tax"] =
                    json!({"name": "Fee", "type": "FIXED", "value": "1000", "amount": "999"});
                b["items"][0]["totalAmount"] = json!("43007");
            }),
            "items[0].tax.amount",
            "must be 1000",
        ),
        (
            edit(&|b| b["items"][0]["tax"]["value"] = json!("100.5")),
            "items[0].tax.value",
            "100",
        ),
        (
            edit(&|b| b["items"][0]["preTaxAmount"] = json!("-1")),
            "items[0].preTaxAmount",
            "decimal",
        ),
        (
            edit(&|b| b["items"][0]["preTaxAmount"] = json!("1e5")),
            "items[0].preTaxAmount",
            "decimal",
        ),
        (
            edit(&|b| b["items"][0]["preTaxAmount"] = json!("42,008")),
            "items[0].preTaxAmount",
            "decimal",
        ),
        (
            edit(&|b| {
                b["items"][0] =
                    json!({"description": "Free", "preTaxAmount": "0", "totalAmount": "0"});
                b["destinations"][0]["amount"] = json!("0");
            }),
            "items",
            "greater than zero",
        ),
    ];
    for (body, path, expected) in &cases {
        let r = api.post("/checkout-sessions", body).await;
        assert_eq!(r.code(), "11", "{path}: {}", r.body);
        r.assert_error_at(400, "11", path);
        assert!(
            r.detail().contains(expected),
            "{:?} should state {expected:?}",
            r.detail()
        );
    }
    assert_eq!(api.list("").await.body["pagination"]["total"], 0);
    // A FIXED tax whose amount equals its value is accepted.
    let ok = edit(&|b| {
        b["items"][0]["tax"] =
            json!({"name": "Fee", "type": "FIXED", "value": "1000", "amount": "1000"});
        b["items"][0]["totalAmount"] = json!("43008");
        b["destinations"][0]["amount"] = json!("43008");
    });
    let s = api.create_session(&ok).await;
    assert_eq!(s["totalAmount"], "43008");
}

#[tokio::test]
async fn a_production_client_without_rates_sees_pix_disabled_with_rate_zero() {
    let app = TestApp::spawn().await;
    let api = app.api(Environment::Production).await;
    let s = api.create_session(&session_body("prod")).await;
    assert_eq!(currencies(&s), ["CLP", "BRL"]);
    assert_config(&s, "CLP", "CARD", "1", "49990", true);
    let brl = config(&s, "BRL");
    assert_eq!(brl["exchangeRate"], "0");
    assert_eq!(brl["paymentMethods"][0]["type"], "PIX");
    assert_eq!(brl["paymentMethods"][0]["enabled"], false);
}
