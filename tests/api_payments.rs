//! Payments end to end over HTTP: every sandbox card outcome, every simulated method path, and
//! the session status each one leaves behind.
mod common;

use common::{TestApp, card_payment, pix_payment};
use kassa::domain::environment::Environment;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn history(payment: &Value) -> Vec<String> {
    payment["statusHistory"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(|e| e["status"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_4242_card_is_captured_and_finishes_the_session() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.new_session("pay-4242").await;
    let r = api.pay(&id, &card_payment("4242424242424242")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = &r.body;
    assert_eq!(p["status"], "CAPTURED");
    assert_eq!(p["type"], "PURCHASE");
    assert_eq!(p["purchaseAmount"], "49990");
    assert_eq!(p["purchaseCurrency"], "CLP");
    assert_eq!(p["totalAmount"], "49990");
    assert_eq!(p["product"], "CLP:CLP");
    assert_eq!(p["checkoutSessionId"], id.as_str());
    assert_eq!(history(p), ["PENDING", "CAPTURED"]);
    assert!(p["capturedAt"].is_string());
    assert_eq!(api.session_status(&id).await, "FINISHED");
    // The card number is never echoed back: only its last four digits.
    let text = p.to_string();
    assert!(!text.contains("4242424242424242"), "{text}");
    assert_eq!(p["origins"][0]["card"]["mask"], "4242");
    let read = api
        .get(&format!(
            "/payments/{}",
            p["id"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(read.body, r.body);
}

#[tokio::test]
async fn declined_and_insufficient_funds_cards_fail_the_session() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for (n, (number, reason)) in [
        ("4000000000000002", "card_declined"),
        ("4000000000009995", "insufficient_funds"),
    ]
    .into_iter()
    .enumerate()
    {
        let id = api.new_session(&format!("fail-{n}")).await;
        let r = api.pay(&id, &card_payment(number)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["status"], "FAILED");
        assert!(
            r.body["failureReason"]
                .as_str()
                .unwrap_or("")
                .starts_with(reason),
            "{}",
            r.body
        );
        assert_eq!(history(&r.body), ["PENDING", "FAILED"]);
        assert_eq!(api.session_status(&id).await, "FAILED");
    }
}

#[tokio::test]
async fn the_pending_card_waits_for_the_simulated_capture_and_receipt() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.new_session("pending-card").await;
    let r = api.pay(&id, &card_payment("4000000000000259")).await;
    assert_eq!(r.body["status"], "PENDING", "{}", r.body);
    assert_eq!(api.session_status(&id).await, "PROCESSING_PAYMENT");
    let pid = r.body["id"].as_str().unwrap_or_default().to_string();
    let c = api
        .post(&format!("/payments/{pid}/captured"), &json!({}))
        .await;
    assert_eq!(c.body["status"], "CAPTURED", "{}", c.body);
    assert_eq!(api.session_status(&id).await, "FINISHED");
    let rcv = api
        .post(
            "/payments/received",
            &json!({"transactionId": pid, "signature": "sandbox"}),
        )
        .await;
    assert_eq!(rcv.body["status"], "RECEIVED", "{}", rcv.body);
    assert_eq!(history(&rcv.body), ["PENDING", "CAPTURED", "RECEIVED"]);
    assert_eq!(api.session_status(&id).await, "FINISHED");
    // A captured payment cannot be captured again.
    api.post(&format!("/payments/{pid}/captured"), &json!({}))
        .await
        .assert_error(422, "21", "RECEIVED");
}

#[tokio::test]
async fn pix_is_authorized_then_received_in_brl() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.new_session("pix-1").await;
    let r = api.pay(&id, &pix_payment()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "PENDING");
    assert_eq!(r.body["purchaseCurrency"], "BRL");
    assert_eq!(r.body["product"], "BRL:CLP");
    let pid = r.body["id"].as_str().unwrap_or_default().to_string();
    let a = api
        .post(&format!("/payments/{pid}/authorized"), &json!({}))
        .await;
    assert_eq!(a.body["status"], "AUTHORIZED", "{}", a.body);
    assert_eq!(api.session_status(&id).await, "PROCESSING_PAYMENT");
    let rcv = api
        .post(
            "/payments/received",
            &json!({"transactionId": pid, "signature": "sig"}),
        )
        .await;
    assert_eq!(history(&rcv.body), ["PENDING", "AUTHORIZED", "RECEIVED"]);
    assert_eq!(api.session_status(&id).await, "FINISHED");
}

#[tokio::test]
async fn simulations_are_forbidden_in_production_and_production_has_no_processor() {
    let app = TestApp::spawn().await;
    let prod = app.api(Environment::Production).await;
    prod.post("/payments/some-id/captured", &json!({}))
        .await
        .assert_error(403, "43", "sandbox");
    prod.post(
        "/payments/received",
        &json!({"transactionId": "x", "signature": "s"}),
    )
    .await
    .assert_error(403, "43", "sandbox");
    let id = prod.new_session("prod-1").await;
    prod.pay(&id, &card_payment("4242424242424242"))
        .await
        .assert_error(501, "42", "no payment processor");
    assert_eq!(
        prod.session_status(&id).await,
        "ATTEMPT",
        "nothing was written"
    );
}

#[tokio::test]
async fn a_bad_payment_is_a_400_naming_the_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.new_session("bad-pay").await;
    let cases = [
        (json!({}), 400, "12", "origins"),
        (
            json!({"origins": []}),
            400,
            "11",
            "origins must hold exactly one",
        ),
        (
            card_payment("4242424242424241"),
            400,
            "11",
            "origins[0].card.pan is not a valid card number",
        ),
        (
            json!({"origins": [{"type": "CARD", "currency": "CLP"}]}),
            400,
            "12",
            "origins[0].card.pan",
        ),
        (
            json!({"origins": [{"type": "SPEI", "currency": "MXN"}]}),
            400,
            "11",
            "origins[0].type SPEI is not allowed",
        ),
        (
            json!({"origins": [{"type": "CARD", "currency": "USD", "card": {"pan": "4242424242424242"}}]}),
            400,
            "11",
            "origins[0].currency",
        ),
        (
            json!({"origins": [{"type": "CARD", "currency": "CLP", "amount": "49989", "card": {"pan": "4242424242424242"}}]}),
            400,
            "11",
            "origins[0].amount must be 49990",
        ),
    ];
    for (body, status, code, needle) in cases {
        api.pay(&id, &body).await.assert_error(status, code, needle);
    }
    assert_eq!(api.session_status(&id).await, "ATTEMPT");
    let list = api.get(&format!("/payments?checkoutSessionId={id}")).await;
    assert_eq!(list.body["pagination"]["total"], 0, "{}", list.body);
}

#[tokio::test]
async fn payments_list_by_session_and_are_isolated_per_client() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let other = app.sandbox().await;
    let a = api.new_session("list-a").await;
    let b = api.new_session("list-b").await;
    let pa = api.pay(&a, &card_payment("4242424242424242")).await;
    api.pay(&b, &card_payment("4000000000000002")).await;
    let list = api.get(&format!("/payments?checkoutSessionId={a}")).await;
    assert_eq!(list.body["pagination"]["total"], 1);
    assert_eq!(list.body["results"][0]["id"], pa.body["id"]);
    let all = api.get("/payments?limit=1").await;
    assert_eq!(
        all.body["pagination"],
        json!({"count": 1, "next": 1, "previous": 0, "total": 2})
    );
    let pid = pa.body["id"].as_str().unwrap_or_default();
    other
        .get(&format!("/payments/{pid}"))
        .await
        .assert_error(404, "31", pid);
    other
        .pay(&a, &card_payment("4242424242424242"))
        .await
        .assert_error(404, "31", &a);
    api.get("/payments?limit=0")
        .await
        .assert_error(400, "11", "limit");
}
