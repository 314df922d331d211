//! Headers every response carries: the API version and the trace id (CONTRACT §1).
mod common;

use common::{TestApp, reply, session_body};
use reqwest::StatusCode;

#[tokio::test]
async fn the_api_version_is_v1_when_absent_and_the_dated_version_is_echoed() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let r = api.get("/checkout-sessions").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["conomyhq-api-version"], "v1");
    let req = api
        .request(reqwest::Method::GET, "/checkout-sessions")
        .header("conomyhq-api-version", "24-04-2025");
    let r = api.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["conomyhq-api-version"], "24-04-2025");
    // Error answers echo it too.
    let req = api
        .request(reqwest::Method::GET, "/checkout-sessions/nope")
        .header("conomyhq-api-version", "24-04-2025");
    let r = api.send(req).await;
    r.assert_error(404, "31", "nope");
    assert_eq!(r.headers["conomyhq-api-version"], "24-04-2025");
}

#[tokio::test]
async fn an_unknown_api_version_is_400_code_11() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for bad in ["v2", "2025-04-24", "24/04/2025", "v1"] {
        let req = api
            .request(reqwest::Method::GET, "/checkout-sessions")
            .header("conomyhq-api-version", bad);
        let r = api.send(req).await;
        assert_eq!(r.status.as_u16(), 400, "{bad:?}: {}", r.body);
        r.assert_error(400, "11", "conomyhq-api-version");
    }
}

#[tokio::test]
async fn every_response_carries_a_trace_id() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let created = api.post("/checkout-sessions", &session_body("t-1")).await;
    let listed = api.get("/checkout-sessions").await;
    let invalid = api.list("limit=0").await;
    let missing_key = reply(
        app.http
            .get(api.url("/checkout-sessions"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    let unknown = api.get("/nowhere").await;
    let wrong_method = api
        .send(api.request(reqwest::Method::PUT, "/checkout-sessions"))
        .await;
    let replies = [created, listed, invalid, missing_key, unknown, wrong_method];
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(statuses, [201, 200, 400, 400, 404, 405]);
    for r in &replies {
        let trace = r.headers.get("x-trace-id").and_then(|v| v.to_str().ok());
        assert!(
            trace.is_some_and(|t| !t.is_empty()),
            "{} without x-trace-id",
            r.status
        );
        if !r.status.is_success() {
            assert_eq!(r.body["traceId"].as_str(), trace, "error body traceId");
        }
    }
}

#[tokio::test]
async fn an_incoming_request_id_is_reused_as_the_trace_id() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let ok = api
        .send(
            api.request(reqwest::Method::GET, "/checkout-sessions")
                .header("x-request-id", "req-123_abc.9"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.headers["x-trace-id"], "req-123_abc.9");
    let failed = api
        .send(
            api.request(reqwest::Method::GET, "/checkout-sessions/missing")
                .header("x-request-id", "req-456"),
        )
        .await;
    failed.assert_error(404, "31", "missing");
    assert_eq!(failed.headers["x-trace-id"], "req-456");
    assert_eq!(failed.body["traceId"], "req-456");
}
