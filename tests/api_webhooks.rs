//! Webhooks end to end with a real local receiver: every event type once with valid
//! signatures, the retry schedule on an injected clock, secret rolls, redelivery, and the
//! production guard against private targets.
mod common;

use std::sync::Arc;

use common::receiver::{Receiver, verify, verify_headers};
use common::{Api, TestApp, card_payment, session_body};
use kassa::domain::environment::Environment;
use kassa::workers::{expiry, webhooks};
use serde_json::{Value, json};

async fn set_endpoint(api: &Api, url: &str, roll: bool) -> Value {
    let r = api
        .send(
            api.request(reqwest::Method::PUT, "/webhook-endpoint")
                .json(&json!({"url": url, "rollSecret": roll})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    r.body
}

/// Runs the delivery worker until a round finds nothing due.
async fn deliver_all(app: &TestApp, sender: &Arc<webhooks::Sender>) -> usize {
    let ctx = app.ctx.clone();
    let mut total = 0;
    loop {
        let n = webhooks::run_once(&ctx, sender).await.expect("round runs");
        if n == 0 {
            return total;
        }
        total += n;
    }
}

fn sandbox_sender() -> Arc<webhooks::Sender> {
    Arc::new(webhooks::Sender::new(true).expect("client"))
}

#[tokio::test]
async fn every_event_type_arrives_once_with_valid_signatures() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let receiver = Receiver::start(0).await;
    let secret = set_endpoint(&api, &receiver.url, false).await["secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(secret.starts_with("whsec_"));

    let paid = api.new_session("paid").await;
    api.pay(&paid, &card_payment("4242424242424242")).await;
    let declined = api.new_session("declined").await;
    api.pay(&declined, &card_payment("4000000000000002")).await;
    let pending = api.new_session("pending").await;
    let p = api.pay(&pending, &card_payment("4000000000000259")).await;
    let pid = p.body["id"].as_str().unwrap_or_default().to_string();
    api.post(&format!("/payments/{pid}/captured"), &json!({}))
        .await;
    api.post(
        "/payments/received",
        &json!({"transactionId": pid, "signature": "s"}),
    )
    .await;
    let mut short = session_body("short");
    short["duration"] = json!(30);
    let expiring = api.create_session(&short).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    app.clock.advance_seconds(31);
    assert_eq!(expiry::run_once(&app.ctx).await.ok(), Some(1));

    let sender = sandbox_sender();
    assert_eq!(deliver_all(&app, &sender).await, 8);
    assert_eq!(deliver_all(&app, &sender).await, 0, "nothing is sent twice");
    let got = receiver.received();
    let mut names: Vec<String> = got.iter().map(|r| r.event()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "CheckoutSession.Expired",
            "CheckoutSession.Failed",
            "CheckoutSession.Finished",
            "CheckoutSession.Finished",
            "Transaction.Captured",
            "Transaction.Captured",
            "Transaction.Failed",
            "Transaction.Received",
        ]
    );
    for r in &got {
        assert!(verify(r, &secret), "signatures of {}", r.body);
        assert!(!r.header("x-webhook-id").is_empty());
        assert_eq!(r.header("x-webhook-event"), r.event());
    }
    let by = |name: &str, id: &str| {
        got.iter()
            .filter(|r| {
                r.event() == name
                    && (r.json()["data"]["id"] == id || r.json()["data"]["checkoutSessionId"] == id)
            })
            .count()
    };
    assert_eq!(by("Transaction.Captured", &paid), 1);
    assert_eq!(by("CheckoutSession.Finished", &paid), 1);
    assert_eq!(by("Transaction.Failed", &declined), 1);
    assert_eq!(by("CheckoutSession.Failed", &declined), 1);
    assert_eq!(by("Transaction.Captured", &pending), 1);
    assert_eq!(by("Transaction.Received", &pending), 1);
    assert_eq!(by("CheckoutSession.Finished", &pending), 1);
    assert_eq!(by("CheckoutSession.Expired", &expiring), 1);
    let finished = got
        .iter()
        .find(|r| r.event() == "CheckoutSession.Finished")
        .map(|r| r.json()["data"]["status"].clone());
    assert_eq!(
        finished,
        Some(json!("FINISHED")),
        "data is the session after the change"
    );
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt_on_schedule() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let receiver = Receiver::start(2).await;
    set_endpoint(&api, &receiver.url, false).await;
    // One event only: a session that expires.
    let mut short = session_body("exp");
    short["duration"] = json!(30);
    api.create_session(&short).await;
    app.clock.advance_seconds(30);
    expiry::run_once(&app.ctx).await.expect("sweep");
    let sender = sandbox_sender();
    let t0 = app.clock_now_ms();
    assert_eq!(deliver_all(&app, &sender).await, 1);
    app.clock.advance_seconds(30);
    assert_eq!(
        deliver_all(&app, &sender).await,
        1,
        "second attempt at +30 s"
    );
    app.clock.advance_seconds(59);
    assert_eq!(
        deliver_all(&app, &sender).await,
        0,
        "third not before +90 s"
    );
    app.clock.advance_seconds(1);
    assert_eq!(
        deliver_all(&app, &sender).await,
        1,
        "third attempt at +90 s"
    );
    assert_eq!(receiver.received().len(), 1);
    let list = api.get("/webhook-events").await;
    let ev_id = list.body["results"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let detail = api.get(&format!("/webhook-events/{ev_id}")).await;
    assert_eq!(detail.body["status"], "delivered", "{}", detail.body);
    let codes: Vec<Value> = detail.body["deliveries"]
        .as_array()
        .map(|d| d.iter().map(|a| a["statusCode"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(codes, [json!(500), json!(500), json!(200)]);
    let times: Vec<i64> = detail.body["deliveries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|d| {
            kassa::domain::time::Timestamp::parse_rfc3339(d["at"].as_str()?)
                .map(|t| t.millis() - t0)
        })
        .collect();
    assert_eq!(times, [0, 30_000, 90_000]);
    assert_eq!(detail.body["attempts"], 3);
}

#[tokio::test]
async fn a_rolled_secret_signs_beside_the_new_one_and_redelivery_sends_again() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let receiver = Receiver::start(0).await;
    let old = set_endpoint(&api, &receiver.url, false).await["secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let rolled = set_endpoint(&api, &receiver.url, true).await;
    let new = rolled["secret"].as_str().unwrap_or_default().to_string();
    assert_ne!(old, new);
    assert!(rolled["previousSecretExpiresAt"].is_string());
    let again = set_endpoint(&api, &receiver.url, false).await;
    assert!(
        again.get("secret").is_none(),
        "a secret is shown only when made"
    );
    let id = api.new_session("roll").await;
    api.pay(&id, &card_payment("4000000000000002")).await;
    let sender = sandbox_sender();
    deliver_all(&app, &sender).await;
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        assert!(verify(r, &new), "new secret signs body and headers");
        assert!(
            verify_headers(r, &old),
            "old secret still signs the headers"
        );
        assert_eq!(r.header("x-webhook-signature").split(',').count(), 2);
    }
    // A day later the old secret is gone.
    app.clock.advance_seconds(24 * 3600 + 1);
    let ev = api.get("/webhook-events?limit=1").await;
    assert_eq!(
        ev.status.as_u16(),
        401,
        "the token expired too; fetch a new one"
    );
    let mut api = api;
    app.reauth(&mut api).await;
    let ev = api.get("/webhook-events?limit=1").await;
    let ev_id = ev.body["results"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = api
        .post(&format!("/webhook-events/{ev_id}/redeliver"), &json!({}))
        .await;
    assert_eq!(r.body["status"], "pending", "{}", r.body);
    deliver_all(&app, &sender).await;
    let got = receiver.received();
    assert_eq!(got.len(), 3, "redelivered once");
    assert_eq!(got[2].header("x-webhook-signature").split(',').count(), 1);
    assert!(verify(&got[2], &new));
    assert_eq!(got[2].header("x-webhook-id"), ev_id);
}

#[tokio::test]
async fn production_refuses_private_targets_by_default() {
    let app = TestApp::spawn().await;
    let prod = app.api(Environment::Production).await;
    let receiver = Receiver::start(0).await;
    set_endpoint(&prod, &receiver.url, false).await;
    let id = prod.new_session("prod").await;
    prod.delete(&format!("/checkout-sessions/{id}")).await; // CheckoutSession.Expired
    let strict = Arc::new(webhooks::Sender::new(true).expect("client"));
    assert_eq!(deliver_all(&app, &strict).await, 1);
    assert_eq!(receiver.seen(), 0, "nothing reached the loopback receiver");
    let ev = prod.get("/webhook-events").await;
    let last_error = ev.body["results"][0]["lastError"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(last_error.contains("private or loopback"), "{last_error}");
    // An operator who allows it (a private network deployment) gets deliveries.
    app.clock.advance_seconds(30);
    let open = Arc::new(webhooks::Sender::new(false).expect("client"));
    assert_eq!(deliver_all(&app, &open).await, 1);
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn the_endpoint_api_validates_and_isolates_tenants() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let other = app.sandbox().await;
    api.get("/webhook-endpoint")
        .await
        .assert_error(404, "31", "PUT /webhook-endpoint");
    for bad in ["not a url", "ftp://x.example/h", ""] {
        let r = api
            .send(
                api.request(reqwest::Method::PUT, "/webhook-endpoint")
                    .json(&json!({"url": bad})),
            )
            .await;
        assert_eq!(r.status.as_u16(), 400, "{bad}: {}", r.body);
    }
    set_endpoint(&api, "https://hooks.example.com/kassa", false).await;
    let read = api.get("/webhook-endpoint").await;
    assert_eq!(read.body["url"], "https://hooks.example.com/kassa");
    assert!(
        read.body.get("secret").is_none(),
        "the secret is never read back"
    );
    other
        .get("/webhook-endpoint")
        .await
        .assert_error(404, "31", "");
    let id = api.new_session("iso").await;
    api.delete(&format!("/checkout-sessions/{id}")).await;
    let ev = api.get("/webhook-events").await;
    assert_eq!(ev.body["pagination"]["total"], 1);
    let ev_id = ev.body["results"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    other
        .get(&format!("/webhook-events/{ev_id}"))
        .await
        .assert_error(404, "31", &ev_id);
    other
        .post(&format!("/webhook-events/{ev_id}/redeliver"), &json!({}))
        .await
        .assert_error(404, "31", &ev_id);
    assert_eq!(
        other.get("/webhook-events").await.body["pagination"]["total"],
        0
    );
}
