//! Checkout sessions over HTTP: create, read, list, delete, tenant isolation.
mod common;

use common::{TestApp, session_body};
use reqwest::StatusCode;

#[tokio::test]
async fn a_created_session_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let created = api.create_session(&session_body("order-1")).await;
    assert_eq!(created["status"], "ATTEMPT");
    assert_eq!(created["totalAmount"], "49990");
    let id = created["id"].as_str().expect("id");
    let read = api.get(&format!("/checkout-sessions/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, created);
}
