//! Whole-body refusals of `POST /checkout-sessions`: bodies over the 1 MiB cap (413, declared
//! or chunked), the upstream spec's placeholder body (400, never 500), refusals that must not
//! reserve anything, and the one error body every refusal carries (CONTRACT §2).
mod common;

use common::{Api, TestApp, session_body, session_body_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn a_body_over_one_mib_is_rejected_with_413() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let huge = session_body_with(
        "/items/0/description",
        Some(json!("x".repeat(1024 * 1024 + 1))),
    );
    let r = api.post_raw(huge.to_string()).await;
    r.assert_error(413, "11", "");
    assert_eq!(r.body["status"], 413);
    assert!(r.body["type"].as_str().is_some_and(|t| !t.is_empty()));
    api.assert_no_sessions().await;
    // The server is still serving after refusing it.
    api.create_session(&session_body("after-413")).await;
}

/// Sends `body` with chunked transfer encoding (no Content-Length, so the cap can only be
/// enforced while reading) over a plain socket; returns the status code and the body.
fn post_chunked(base: &str, api: &Api, body: &[u8]) -> (u16, Value) {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    let head = format!(
        "POST {}/checkout-sessions HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         x-api-key: {}\r\nUser-Agent: kassa-tests\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        api.prefix, api.token, api.creds.api_key
    );
    let mut wire = head.into_bytes();
    for chunk in body.chunks(64 * 1024) {
        wire.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        wire.extend_from_slice(chunk);
        wire.extend_from_slice(b"\r\n");
    }
    wire.extend_from_slice(b"0\r\n\r\n");
    // The server may answer and close before reading everything; the answer is what counts.
    let _ = stream.write_all(&wire);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json = text
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    (status, json)
}

#[tokio::test]
async fn a_chunked_body_over_one_mib_is_rejected_with_413() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let huge = session_body_with(
        "/items/0/description",
        Some(json!("x".repeat(1024 * 1024 + 1))),
    );
    let base = app.base.clone();
    let (status, body) =
        tokio::task::spawn_blocking(move || post_chunked(&base, &api, huge.to_string().as_bytes()))
            .await
            .expect("no panic");
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["statusCode"], 413);
    assert_eq!(body["code"], "11");
    assert!(body["traceId"].as_str().is_some_and(|t| !t.is_empty()));
    let api = app.sandbox().await;
    // A small chunked body goes through the same path and is accepted.
    let base = app.base.clone();
    let small = session_body("chunked-ok");
    let (status, body) = tokio::task::spawn_blocking(move || {
        post_chunked(&base, &api, small.to_string().as_bytes())
    })
    .await
    .expect("no panic");
    assert_eq!(status, 201, "{body}");
}

/// What an "example request" generated from the upstream schema looks like: every string
/// "string", enums at their first value, account fields null, numbers 0.
fn spec_placeholder_body() -> Value {
    let s = "string";
    json!({
        "checkoutToken": s,
        "items": [{
            "preTaxAmount": s, "totalAmount": s, "description": s,
            "tax": {"name": s, "type": "FIXED", "value": s, "amount": s}
        }],
        "currency": s,
        "paymentMethodsAllowed": ["CARD"],
        "customer": {
            "id": s, "firstName": s, "email": s, "lastName": s, "phoneNumber": s,
            "phoneNumberPrefix": s, "documentType": s, "documentNumber": s,
            "address": {"administrativeAreaLevel1": s, "street": s, "country": s, "zipcode": s}
        },
        "destinations": [{
            "name": s, "type": "ACCOUNT", "externalId": s, "amount": s,
            "metadata": {"image": s, "description": s, "category": s},
            "account": {"type": null, "currency": null, "accountNumber": null,
                        "accountHolder": null}
        }],
        "duration": 0,
        "customerRequirements": ["firstName"],
        "owner": {"identityId": s, "name": s, "lastname": s, "nickname": s,
                  "documentNumber": s, "entityType": s},
        "successUrl": s,
        "failedUrl": s
    })
}

/// The value that fixes each field the placeholder body gets wrong, by its JSON path.
const PLACEHOLDER_FIXES: [(&str, &str); 16] = [
    ("currency", r#""CLP""#),
    ("items[0].preTaxAmount", r#""1000""#),
    ("items[0].tax.value", r#""100""#),
    ("items[0].tax.amount", r#""100""#),
    ("items[0].totalAmount", r#""1100""#),
    ("destinations[0].amount", r#""1100""#),
    ("destinations[0].account.type", r#""CHECKING""#),
    ("destinations[0].account.currency", r#""CLP""#),
    ("destinations[0].account.accountNumber", r#""1""#),
    ("destinations[0].account.accountHolder", r#""Holder""#),
    ("duration", "900"),
    ("customer.email", r#""ana@example.com""#),
    ("customer.documentType", r#""RUT""#),
    ("customer.address.country", r#""CHL""#),
    ("successUrl", r#""https://shop.example/ok""#),
    ("failedUrl", r#""https://shop.example/ko""#),
];

/// `items[0].tax.value` as a JSON pointer, `/items/0/tax/value`.
fn pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.') {
        match part.split_once('[') {
            Some((name, index)) => {
                out += &format!("/{name}/{}", index.trim_end_matches(']'));
            }
            None => out += &format!("/{part}"),
        }
    }
    out
}

#[tokio::test]
async fn the_specs_placeholder_body_is_400_naming_currency_and_never_500() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = spec_placeholder_body();
    let r = api.post("/checkout-sessions", &body).await;
    r.assert_error_at(400, "11", "currency");
    // Fix each reported field in turn: every answer is a 400 naming a field, never a 500,
    // until the body is valid.
    for _ in 0..=PLACEHOLDER_FIXES.len() {
        let r = api.post("/checkout-sessions", &body).await;
        if r.status == StatusCode::CREATED {
            assert_eq!(r.body["checkoutToken"], "string");
            assert_eq!(r.body["totalAmount"], "1100");
            return;
        }
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(["11", "12"].contains(&r.code()), "{}", r.body);
        let (path, fix) = PLACEHOLDER_FIXES
            .iter()
            .find(|(path, _)| r.detail().starts_with(&format!("{path} ")))
            .unwrap_or_else(|| panic!("unexpected complaint: {}", r.detail()));
        api.assert_no_sessions().await;
        let slot = body.pointer_mut(&pointer(path)).expect("field exists");
        *slot = serde_json::from_str(fix).expect("fix is JSON");
    }
    panic!("the placeholder body never became valid");
}

#[tokio::test]
async fn a_refused_create_does_not_reserve_its_checkout_token() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let refusals = [
        session_body_with("/duration", Some(json!(29))),
        session_body_with("/destinations/0/amount", Some(json!("1"))),
        session_body_with("/owner/extra", Some(json!("x"))),
        session_body_with("/failedUrl", Some(json!("ftp://x"))),
    ];
    for body in &refusals {
        let r = api.post("/checkout-sessions", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
    api.assert_no_sessions().await;
    let created = api.create_session(&session_body("order-v")).await;
    assert_eq!(created["checkoutToken"], "order-v");
    assert_eq!(api.list("").await.body["pagination"]["total"], 1);
}

#[tokio::test]
async fn every_error_body_carries_both_documented_shapes() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    api.create_session(&session_body("order-e")).await;
    let put = api.request(Method::PUT, "/checkout-sessions");
    let no_key = app
        .http
        .get(api.url("/checkout-sessions"))
        .header("user-agent", "t");
    let mut missing = session_body("order-m");
    if let Some(b) = missing.as_object_mut() {
        b.remove("owner");
    }
    let huge = json!({"checkoutToken": "x".repeat(1024 * 1024 + 1)});
    let replies = [
        (api.list("limit=0").await, 400, "11", "invalidParam"),
        (
            api.post("/checkout-sessions", &missing).await,
            400,
            "12",
            "missingParam",
        ),
        (
            api.post("/checkout-sessions", &session_body("order-e"))
                .await,
            409,
            "13",
            "alreadyExist",
        ),
        (
            api.send(api.request(Method::POST, "/checkout-sessions").body("{"))
                .await,
            400,
            "14",
            "parsingResource",
        ),
        (
            api.get("/checkout-sessions/none").await,
            404,
            "31",
            "notFound",
        ),
        (api.send(no_key).await, 401, "41", "unauthorized"),
        (api.send(put).await, 405, "11", "invalidParam"),
        (
            api.post("/checkout-sessions", &huge).await,
            413,
            "11",
            "invalidParam",
        ),
    ];
    for (r, status, code, kind) in &replies {
        let keys: Vec<&str> = r
            .body
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code",
                "detail",
                "error",
                "message",
                "status",
                "statusCode",
                "traceId",
                "type"
            ],
            "{}",
            r.body
        );
        assert_eq!(r.status.as_u16(), *status, "{}", r.body);
        assert_eq!(r.body["status"], *status);
        assert_eq!(r.body["statusCode"], *status);
        assert_eq!(r.body["code"], *code, "{}", r.body);
        assert_eq!(r.body["type"], *kind, "{}", r.body);
        assert_eq!(r.body["error"], *kind, "{}", r.body);
        assert!(!r.detail().is_empty());
        assert_eq!(r.body["message"], r.body["detail"]);
        assert_eq!(
            r.body["traceId"].as_str(),
            r.headers.get("x-trace-id").and_then(|v| v.to_str().ok())
        );
    }
}
