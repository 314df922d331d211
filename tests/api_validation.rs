//! What `POST /checkout-sessions` refuses (CONTRACT §2–5): bodies that are not JSON or not the
//! right types (14), missing fields (12), wrong values (11), oversized bodies (413); and that a
//! refused request writes nothing.
mod common;

use common::{Api, Reply, TestApp, session_body};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn post_raw(api: &Api, body: impl Into<reqwest::Body>) -> Reply {
    let req = api
        .request(reqwest::Method::POST, "/checkout-sessions")
        .header("content-type", "application/json")
        .body(body);
    api.send(req).await
}

/// Asserts that no session exists: nothing of a refused request was written.
async fn assert_nothing_written(api: &Api) {
    let r = api.list("").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["pagination"]["total"], 0,
        "a refused create left a session behind"
    );
    assert_eq!(r.body["results"], json!([]));
}

/// `session_body` with the value at JSON pointer `at` replaced (or removed when `None`).
fn with(at: &str, value: Option<Value>) -> Value {
    let mut body = session_body("order-v");
    let (parent, key) = at.rsplit_once('/').expect("a pointer");
    let target = body.pointer_mut(parent).expect("parent exists");
    match (target, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(key.to_string(), v);
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(items), Some(v)) => {
            items[key.parse::<usize>().expect("index")] = v;
        }
        (other, _) => panic!("cannot edit {at} in {other}"),
    }
    body
}

#[tokio::test]
async fn bodies_that_are_not_a_json_object_are_400_code_14() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for raw in [
        r#"{"checkoutToken": "x","#,
        "not json",
        "",
        "[]",
        r#"[{"checkoutToken": "x"}]"#,
        r#""string""#,
        "null",
    ] {
        let r = post_raw(&api, raw).await;
        assert_eq!(r.code(), "14", "{raw:?}: {}", r.body);
        r.assert_error(400, "14", "");
    }
    assert_nothing_written(&api).await;
}

#[tokio::test]
async fn a_valid_body_followed_by_trailing_garbage_is_400_code_14() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for tail in [" trailing", " {}", "]"] {
        let raw = format!("{}{tail}", session_body("order-tail"));
        let r = post_raw(&api, raw).await;
        assert_eq!(r.status.as_u16(), 400, "tail {tail:?}: {}", r.body);
        r.assert_error(400, "14", "JSON");
    }
    assert_nothing_written(&api).await;
}

#[tokio::test]
async fn wrong_json_types_are_400_code_14_naming_the_path() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        (
            "/items/0/preTaxAmount",
            json!(42008),
            "items[0].preTaxAmount",
        ),
        ("/items/0/tax/amount", json!(7982), "items[0].tax.amount"),
        (
            "/destinations/0/amount",
            json!(49990.0),
            "destinations[0].amount",
        ),
        ("/duration", json!("900"), "duration"),
        ("/items", json!({}), "items"),
        (
            "/paymentMethodsAllowed",
            json!("CARD"),
            "paymentMethodsAllowed",
        ),
        ("/owner", json!("merchant-1"), "owner"),
        ("/owner/identityId", json!(7), "owner.identityId"),
    ];
    for (at, value, path) in cases {
        let r = api.post("/checkout-sessions", &with(at, Some(value))).await;
        assert_eq!(r.code(), "14", "{at}: {}", r.body);
        r.assert_error(400, "14", path);
    }
    assert_nothing_written(&api).await;
}

#[tokio::test]
async fn each_required_field_missing_is_400_code_12_naming_it() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        ("/checkoutToken", "checkoutToken"),
        ("/items", "items"),
        ("/currency", "currency"),
        ("/paymentMethodsAllowed", "paymentMethodsAllowed"),
        ("/destinations", "destinations"),
        ("/duration", "duration"),
        ("/owner", "owner"),
        ("/owner/identityId", "owner.identityId"),
        ("/items/0/description", "items[0].description"),
        ("/items/0/preTaxAmount", "items[0].preTaxAmount"),
        ("/items/0/totalAmount", "items[0].totalAmount"),
        ("/items/0/tax/amount", "items[0].tax.amount"),
        ("/destinations/0/amount", "destinations[0].amount"),
        ("/destinations/0/account", "destinations[0].account"),
        (
            "/destinations/0/account/accountNumber",
            "destinations[0].account.accountNumber",
        ),
        (
            "/destinations/0/account/currency",
            "destinations[0].account.currency",
        ),
    ];
    for (at, path) in cases {
        let r = api.post("/checkout-sessions", &with(at, None)).await;
        assert_eq!(r.code(), "12", "without {at}: {}", r.body);
        r.assert_error_at(400, "12", path);
        // null is as absent as a missing key.
        let r = api
            .post("/checkout-sessions", &with(at, Some(Value::Null)))
            .await;
        r.assert_error_at(400, "12", path);
    }
    assert_nothing_written(&api).await;
}

#[tokio::test]
async fn out_of_range_values_are_400_code_11_naming_them() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        ("/duration", json!(29), "duration"),
        ("/duration", json!(2_592_001), "duration"),
        ("/duration", json!(30.5), "duration"),
        ("/duration", json!(-900), "duration"),
        ("/items", json!([]), "items"),
        ("/destinations", json!([]), "destinations"),
        ("/paymentMethodsAllowed", json!([]), "paymentMethodsAllowed"),
        (
            "/paymentMethodsAllowed",
            json!(["WIRE"]),
            "paymentMethodsAllowed[0]",
        ),
        (
            "/paymentMethodsAllowed",
            json!(["CARD", "SEPA"]),
            "paymentMethodsAllowed[1]",
        ),
        (
            "/paymentMethodsAllowed",
            json!(["CARD", "card"]),
            "paymentMethodsAllowed[1]",
        ),
        ("/currency", json!("XYZ"), "currency"),
        ("/currency", json!("clp"), "currency"),
        ("/successUrl", json!("not a url"), "successUrl"),
        ("/successUrl", json!("/relative/ok"), "successUrl"),
        ("/failedUrl", json!("ftp://x"), "failedUrl"),
        ("/failedUrl", json!("javascript:alert(1)"), "failedUrl"),
        ("/checkoutToken", json!("has space"), "checkoutToken"),
        ("/checkoutToken", json!("a".repeat(129)), "checkoutToken"),
        ("/checkoutToken", json!(""), "checkoutToken"),
        ("/owner/role", json!("admin"), "owner.role"),
        ("/owner/identityId", json!("   "), "owner.identityId"),
        (
            "/items/0/description",
            json!("x".repeat(1001)),
            "items[0].description",
        ),
        (
            "/destinations/0/type",
            json!("CARD"),
            "destinations[0].type",
        ),
        (
            "/destinations/0/account/type",
            json!("WALLET"),
            "destinations[0].account.type",
        ),
        (
            "/customerRequirements",
            json!(["firstName", "shoeSize"]),
            "customerRequirements[1]",
        ),
    ];
    for (at, value, path) in cases {
        let r = api
            .post("/checkout-sessions", &with(at, Some(value.clone())))
            .await;
        assert_eq!(r.code(), "11", "{at} = {value}: {}", r.body);
        r.assert_error_at(400, "11", path);
    }
    assert_nothing_written(&api).await;
}

#[tokio::test]
async fn values_on_the_boundaries_are_accepted() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        ("/duration", json!(30)),
        ("/duration", json!(2_592_000)),
        ("/checkoutToken", json!("A".repeat(128))),
        ("/checkoutToken", json!("a.b_c-D9")),
        ("/successUrl", json!("http://localhost:3000/ok?x=1")),
        ("/items/0/description", json!("x".repeat(1000))),
    ];
    for (i, (at, value)) in cases.into_iter().enumerate() {
        let mut body = with(at, Some(value.clone()));
        if at != "/checkoutToken" {
            body["checkoutToken"] = json!(format!("edge-{i}"));
        }
        let r = api.post("/checkout-sessions", &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{at} = {value}: {}", r.body);
    }
}

#[tokio::test]
async fn a_body_over_one_mib_is_rejected_with_413() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let huge = with(
        "/items/0/description",
        Some(json!("x".repeat(1024 * 1024 + 1))),
    );
    let r = post_raw(&api, huge.to_string()).await;
    r.assert_error(413, "11", "");
    assert_eq!(r.body["status"], 413);
    assert!(r.body["type"].as_str().is_some_and(|t| !t.is_empty()));
    assert_nothing_written(&api).await;
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
    let huge = with(
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

#[tokio::test]
async fn the_specs_placeholder_body_is_400_naming_currency_and_never_500() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = spec_placeholder_body();
    let r = api.post("/checkout-sessions", &body).await;
    r.assert_error_at(400, "11", "currency");
    // Fix each reported field in turn: every step names the next one, none is a 500.
    let steps = [
        ("/currency", "11", "currency", json!("CLP")),
        (
            "/items/0/preTaxAmount",
            "11",
            "items[0].preTaxAmount",
            json!("1000"),
        ),
        (
            "/items/0/tax/value",
            "11",
            "items[0].tax.value",
            json!("100"),
        ),
        (
            "/items/0/tax/amount",
            "11",
            "items[0].tax.amount",
            json!("100"),
        ),
        (
            "/items/0/totalAmount",
            "11",
            "items[0].totalAmount",
            json!("1100"),
        ),
        (
            "/destinations/0/amount",
            "11",
            "destinations[0].amount",
            json!("1100"),
        ),
        (
            "/destinations/0/account/type",
            "12",
            "destinations[0].account.type",
            json!("CHECKING"),
        ),
        (
            "/destinations/0/account/currency",
            "12",
            "destinations[0].account.currency",
            json!("CLP"),
        ),
        (
            "/destinations/0/account/accountNumber",
            "12",
            "destinations[0].account.accountNumber",
            json!("1"),
        ),
        (
            "/destinations/0/account/accountHolder",
            "12",
            "destinations[0].account.accountHolder",
            json!("H"),
        ),
        ("/duration", "11", "duration", json!(900)),
        (
            "/successUrl",
            "11",
            "successUrl",
            json!("https://shop.example/ok"),
        ),
        (
            "/failedUrl",
            "11",
            "failedUrl",
            json!("https://shop.example/ko"),
        ),
    ];
    for (at, code, path, fix) in steps {
        let r = api.post("/checkout-sessions", &body).await;
        assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
        r.assert_error_at(400, code, path);
        *body.pointer_mut(at).expect("field exists") = fix;
    }
    assert_nothing_written(&api).await;
    let created = api.create_session(&body).await;
    assert_eq!(created["checkoutToken"], "string");
    assert_eq!(created["totalAmount"], "1100");
}

#[tokio::test]
async fn a_refused_create_does_not_reserve_its_checkout_token() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let refusals = [
        with("/duration", Some(json!(29))),
        with("/destinations/0/amount", Some(json!("1"))),
        with("/owner/extra", Some(json!("x"))),
        with("/failedUrl", Some(json!("ftp://x"))),
    ];
    for body in &refusals {
        let r = api.post("/checkout-sessions", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
    assert_nothing_written(&api).await;
    let created = api.create_session(&session_body("order-v")).await;
    assert_eq!(created["checkoutToken"], "order-v");
    assert_eq!(api.list("").await.body["pagination"]["total"], 1);
}
