//! Checkout sessions made from payment links over HTTP, and checkout-token uniqueness across
//! links and sessions.
mod common;

use common::links::{activate, create_link, instant, link_id, session_from};
use common::{TestApp, session_body};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_session_made_from_a_link_carries_its_offer_its_id_and_a_derived_token() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let link = create_link(&api, &session_body("coffee-link")).await;
    let link_id = link["id"].as_str().expect("id");
    assert_eq!(activate(&api, link_id).await.status, StatusCode::OK);

    let r = session_from(&api, "coffee-link").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let s = &r.body;
    assert_eq!(s["paymentLinkId"], json!(link_id));
    assert_eq!(s["status"], "ATTEMPT");
    for field in [
        "items",
        "currency",
        "preTaxAmount",
        "totalAmount",
        "destinations",
        "owner",
    ] {
        assert_eq!(s[field], link[field], "{field}");
    }
    let token = s["checkoutToken"].as_str().expect("token");
    let suffix = token
        .strip_prefix("coffee-link-")
        .expect("derived from the link's token");
    assert_eq!(suffix.len(), 16, "{token}");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    );
    assert!(
        s["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http://pay.test/c/"))
    );
    assert_eq!(s["redirectUrl"], "https://shop.example/ok");
    // Payment configs are computed as for any new session of the same offer.
    let direct = api.create_session(&session_body("direct")).await;
    assert_eq!(s["paymentConfigs"], direct["paymentConfigs"]);

    let id = s["id"].as_str().expect("id");
    let read = api.get(&format!("/checkout-sessions/{id}")).await;
    assert_eq!(read.body, r.body);
    // Each session gets its own token; an empty body is accepted like `{}`.
    let path = "/payment-links/token/coffee-link/checkout-sessions";
    let again = api.send(api.request(reqwest::Method::POST, path)).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_ne!(again.body["checkoutToken"], s["checkoutToken"]);
    let sessions = api.get("/checkout-sessions").await;
    assert_eq!(sessions.ids().len(), 3);
}

#[tokio::test]
async fn a_session_never_outlives_the_link_it_was_made_from() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let link = create_link(&api, &session_body("deadline")).await;
    let link_id = link["id"].as_str().expect("id");
    let link_expiry = instant(&link["createdAt"]).plus_seconds(900);
    activate(&api, link_id).await;

    let early = session_from(&api, "deadline").await;
    assert_eq!(instant(&early.body["expiresAt"]), link_expiry);
    app.clock.advance_seconds(600);
    let late = session_from(&api, "deadline").await;
    assert_eq!(late.status, StatusCode::CREATED);
    // now + 900 s would be 600 s past the link's end.
    assert_eq!(instant(&late.body["expiresAt"]), link_expiry);
    assert!(instant(&late.body["createdAt"]) < link_expiry);

    // A refresh revives the session, still within the link's life.
    let token = late.body["checkoutToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    app.clock.advance_seconds(100);
    let refreshed = api
        .post(
            &format!("/checkout-sessions/token/{token}/refresh"),
            &json!({}),
        )
        .await;
    assert_eq!(refreshed.status, StatusCode::CREATED, "{}", refreshed.body);
    assert_eq!(instant(&refreshed.body["expiresAt"]), link_expiry);

    app.clock.advance_seconds(200);
    session_from(&api, "deadline")
        .await
        .assert_error(422, "21", "EXPIRED");
    // Past the link's end, its sessions cannot be revived either.
    api.post(
        &format!("/checkout-sessions/token/{token}/refresh"),
        &json!({}),
    )
    .await
    .assert_error(422, "21", "payment link");
}

#[tokio::test]
async fn only_an_active_link_makes_sessions_and_only_a_link_token_is_found() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    link_id(&api, "waiting").await;
    session_from(&api, "waiting")
        .await
        .assert_error(422, "21", "ATTEMPT");
    session_from(&api, "nobody")
        .await
        .assert_error(404, "31", "nobody");
    // A session's token is not a link's.
    api.create_session(&session_body("a-session")).await;
    session_from(&api, "a-session")
        .await
        .assert_error(404, "31", "a-session");
    let r = api
        .post("/payment-links/token/waiting/checkout-sessions", &json!([]))
        .await;
    r.assert_error(400, "14", "JSON object");
}

#[tokio::test]
async fn the_longest_link_token_still_makes_a_valid_session_token() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let long = "L".repeat(128);
    let id = link_id(&api, &long).await;
    activate(&api, &id).await;
    let r = session_from(&api, &long).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.body["checkoutToken"].as_str().expect("token");
    assert_eq!(token.len(), 100 + 1 + 16);
    assert!(token.starts_with(&format!("{}-", "L".repeat(100))));
}

#[tokio::test]
async fn a_checkout_token_names_one_link_or_session_per_client() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    api.create_session(&session_body("shared-1")).await;
    let r = api.post("/payment-links", &session_body("shared-1")).await;
    r.assert_error(409, "13", "checkoutToken");

    link_id(&api, "shared-2").await;
    let r = api
        .post("/checkout-sessions", &session_body("shared-2"))
        .await;
    r.assert_error(409, "13", "checkoutToken");
    let r = api.post("/payment-links", &session_body("shared-2")).await;
    r.assert_error(409, "13", "checkoutToken");

    // Another client has its own namespace.
    let other = app.sandbox().await;
    create_link(&other, &session_body("shared-2")).await;
}
