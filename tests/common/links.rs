//! Payment link helpers shared by the payment link test files.

use kassa::domain::time::Timestamp;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Api, Reply, session_body};

/// The common CLP offer (49990, CARD and PIX, 900 s) with the owner, account and customer
/// email the list filters look at.
pub fn link_body(token: &str, owner: &str, account: &str, email: Option<&str>) -> Value {
    let mut body = session_body(token);
    body["owner"]["identityId"] = json!(owner);
    body["destinations"][0]["account"]["accountNumber"] = json!(account);
    if let Some(email) = email {
        body["customer"] = json!({"firstName": "Ana", "email": email});
    }
    body
}

pub async fn create_link(api: &Api, body: &Value) -> Value {
    let r = api.post("/payment-links", body).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "create link failed: {}",
        r.body
    );
    r.body
}

/// Creates the common offer under `token` and returns the link's id.
pub async fn link_id(api: &Api, token: &str) -> String {
    let link = create_link(api, &link_body(token, "merchant-1", "100200300", None)).await;
    link["id"].as_str().expect("id").to_string()
}

pub async fn activate(api: &Api, id: &str) -> Reply {
    api.post(&format!("/payment-links/{id}/activate"), &json!({}))
        .await
}

pub async fn session_from(api: &Api, link_token: &str) -> Reply {
    let path = format!("/payment-links/token/{link_token}/checkout-sessions");
    api.post(&path, &json!({})).await
}

pub async fn list(api: &Api, query: &str) -> Reply {
    api.get(&format!("/payment-links?{query}")).await
}

pub async fn list_ids(api: &Api, query: &str) -> Vec<String> {
    let r = list(api, query).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "list {query:?} failed: {}",
        r.body
    );
    r.ids()
}

pub fn instant(v: &Value) -> Timestamp {
    v.as_str()
        .and_then(Timestamp::parse_rfc3339)
        .unwrap_or_else(|| panic!("{v} is not an RFC 3339 instant"))
}
