//! The session lifecycle over HTTP (CONTRACT §5): every refused transition, refresh, racing
//! payment submissions, and the expiry sweep driven with an injected clock.
mod common;

use common::{TestApp, card_payment, session_body};
use kassa::workers::expiry;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn finished_and_processing_sessions_refuse_delete_refresh_and_a_second_payment() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let done = api.new_session("done").await;
    api.pay(&done, &card_payment("4242424242424242")).await;
    let busy = api.new_session("busy").await;
    api.pay(&busy, &card_payment("4000000000000259")).await;
    for (id, token, status) in [
        (&done, "done", "FINISHED"),
        (&busy, "busy", "PROCESSING_PAYMENT"),
    ] {
        api.delete(&format!("/checkout-sessions/{id}"))
            .await
            .assert_error(422, "21", status);
        api.post(
            &format!("/checkout-sessions/token/{token}/refresh"),
            &json!({}),
        )
        .await
        .assert_error(422, "21", status);
        api.pay(id, &card_payment("4242424242424242"))
            .await
            .assert_error(422, "21", status);
        // Time passing does not expire a payment in flight or done (the token lives 1 h).
        app.clock.advance_seconds(1000);
        assert_eq!(api.session_status(id).await, status);
    }
    assert_eq!(expiry::run_once(&app.ctx).await.ok(), Some(0));
}

#[tokio::test]
async fn expired_failed_and_deleted_sessions_refuse_payments() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let failed = api.new_session("failed").await;
    api.pay(&failed, &card_payment("4000000000000002")).await;
    api.pay(&failed, &card_payment("4242424242424242"))
        .await
        .assert_error(422, "21", "FAILED");
    let deleted = api.new_session("deleted").await;
    assert_eq!(
        api.delete(&format!("/checkout-sessions/{deleted}"))
            .await
            .body,
        json!({})
    );
    api.pay(&deleted, &card_payment("4242424242424242"))
        .await
        .assert_error(422, "21", "EXPIRED (deactivated)");
    api.post("/checkout-sessions/token/deleted/refresh", &json!({}))
        .await
        .assert_error(422, "21", "deactivated");
    let late = api.new_session("late").await;
    app.clock.advance_seconds(901);
    api.pay(&late, &card_payment("4242424242424242"))
        .await
        .assert_error(422, "21", "EXPIRED");
}

#[tokio::test]
async fn refresh_revives_a_failed_or_expired_session_with_a_new_expiry() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.new_session("again").await;
    api.pay(&id, &card_payment("4000000000000002")).await;
    app.clock.advance_seconds(60);
    let r = api
        .post("/checkout-sessions/token/again/refresh", &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], "ATTEMPT");
    let expected = kassa::domain::time::Timestamp::from_millis(app.clock_now_ms() + 900_000);
    assert_eq!(r.body["expiresAt"], expected.to_rfc3339());
    let paid = api.pay(&id, &card_payment("4242424242424242")).await;
    assert_eq!(paid.body["status"], "CAPTURED", "{}", paid.body);
    // An expired one comes back too, and an empty body is accepted.
    let old = api.new_session("old").await;
    app.clock.advance_seconds(1000);
    assert_eq!(api.session_status(&old).await, "EXPIRED");
    let r = api
        .send(api.request(
            reqwest::Method::POST,
            "/checkout-sessions/token/old/refresh",
        ))
        .await;
    assert_eq!(r.body["status"], "ATTEMPT", "{}", r.body);
    api.post("/checkout-sessions/token/nope/refresh", &json!({}))
        .await
        .assert_error(404, "31", "nope");
}

#[tokio::test]
async fn of_fifty_simultaneous_payments_exactly_one_is_accepted() {
    let app = TestApp::spawn().await;
    let api = std::sync::Arc::new(app.sandbox().await);
    let id = api.new_session("race").await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (api, id) = (api.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            api.pay(&id, &card_payment("4000000000000259"))
                .await
                .status
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap_or(0));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        49,
        "{statuses:?}"
    );
    let list = api.get(&format!("/payments?checkoutSessionId={id}")).await;
    assert_eq!(
        list.body["pagination"]["total"], 1,
        "exactly one payment row"
    );
    let changes = app.store.status_changes(&id).await.unwrap_or_default();
    assert_eq!(changes.len(), 1, "{changes:?}");
}

#[tokio::test]
async fn the_sweep_expires_due_sessions_once_and_leaves_the_rest() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut short = Vec::new();
    for i in 0..5 {
        let mut body = session_body(&format!("short-{i}"));
        body["duration"] = json!(30);
        short.push(
            api.create_session(&body).await["id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let long = api.new_session("long").await;
    let paying = {
        let mut body = session_body("paying");
        body["duration"] = json!(30);
        let id = api.create_session(&body).await["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        api.pay(&id, &card_payment("4000000000000259")).await;
        id
    };
    assert_eq!(
        expiry::run_once(&app.ctx).await.ok(),
        Some(0),
        "nothing is due yet"
    );
    app.clock.advance_seconds(29);
    assert_eq!(
        expiry::run_once(&app.ctx).await.ok(),
        Some(0),
        "29 s is not 30 s"
    );
    app.clock.advance_seconds(1);
    assert_eq!(expiry::run_once(&app.ctx).await.ok(), Some(5));
    assert_eq!(
        expiry::run_once(&app.ctx).await.ok(),
        Some(0),
        "a second sweep finds nothing"
    );
    for id in &short {
        let changes = app.store.status_changes(id).await.unwrap_or_default();
        assert_eq!(changes.len(), 1, "{id}: {changes:?}");
        assert_eq!(
            (changes[0].0.as_str(), changes[0].1.as_str()),
            ("ATTEMPT", "EXPIRED")
        );
        assert_eq!(api.session_status(id).await, "EXPIRED");
    }
    assert_eq!(api.session_status(&long).await, "ATTEMPT");
    assert_eq!(api.session_status(&paying).await, "PROCESSING_PAYMENT");
}
