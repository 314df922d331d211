//! A payment link's address (`/l/{publicToken}`): opening an ACTIVE link makes a session from
//! its offer and sends the payer to that session's page; any other link shows a closed page.
mod common;
mod page_support;

use common::TestApp;
use common::links::{activate, create_link, link_body};
use page_support::Browserless;
use reqwest::StatusCode;

fn path_of(url: &serde_json::Value) -> String {
    let url = url.as_str().unwrap_or_default();
    url.strip_prefix("http://pay.test")
        .unwrap_or(url)
        .to_string()
}

#[tokio::test]
async fn opening_an_active_link_starts_a_fresh_session_each_time() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let link = create_link(
        &api,
        &link_body("shop-link", "merchant-1", "100200300", None),
    )
    .await;
    let path = path_of(&link["url"]);
    assert!(path.starts_with("/l/"), "{link}");
    let b = Browserless::new(&app);

    // Not activated yet: nothing is made.
    let closed = b.get(&path).await;
    assert_eq!(closed.status, StatusCode::GONE);
    closed.assert_contains("no está disponible");
    assert_eq!(
        api.get("/checkout-sessions").await.body["pagination"]["total"],
        0
    );

    let id = link["id"].as_str().unwrap_or_default();
    assert_eq!(activate(&api, id).await.status, StatusCode::OK);
    let first = b.get(&format!("{path}?lang=en")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert!(first.location().starts_with("/c/"), "{}", first.location());
    assert!(
        first.location().ends_with("lang=en"),
        "the language is kept: {}",
        first.location()
    );
    let page = b.get(first.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("49,990");

    let second = b.get(&path).await;
    assert_ne!(
        second.location(),
        first.location(),
        "every visit gets its own session"
    );
    let sessions = api.get("/checkout-sessions").await;
    assert_eq!(sessions.body["pagination"]["total"], 2);
    for s in sessions.body["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        assert_eq!(s["paymentLinkId"], link["id"]);
    }

    // Once the link expires, its address closes.
    app.clock.advance_seconds(901);
    assert_eq!(b.get(&path).await.status, StatusCode::GONE);
    assert_eq!(b.get("/l/no-such-link").await.status, StatusCode::NOT_FOUND);
}
