//! Checkout sessions over HTTP: create, read, list, delete, tenant isolation.
mod common;

use common::{TestApp, reply, session_body};
use kassa::clock::Clock;
use kassa::domain::environment::Environment;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

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

/// Milliseconds since the epoch of an RFC 3339 string from a response.
fn millis(v: &Value) -> i128 {
    let s = v.as_str().expect("a date-time string");
    let t = OffsetDateTime::parse(s, &Rfc3339).expect("RFC 3339");
    t.unix_timestamp_nanos() / 1_000_000
}

#[tokio::test]
async fn a_created_session_has_every_field_the_schema_requires() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let body = session_body("order-fields");
    let s = api.create_session(&body).await;
    for field in [
        "id",
        "createdAt",
        "paymentConfigs",
        "paymentMethodsAllowed",
        "items",
        "url",
        "currency",
        "destinations",
        "status",
        "preTaxAmount",
        "totalAmount",
        "expiresAt",
        "owner",
    ] {
        assert!(
            s.get(field).is_some_and(|v| !v.is_null()),
            "{field} missing: {s}"
        );
    }
    assert!(s["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(s["checkoutToken"], "order-fields");
    assert_eq!(s["status"], "ATTEMPT");
    assert_eq!(s["currency"], "CLP");
    assert_eq!(s["preTaxAmount"], "42008");
    assert_eq!(s["totalAmount"], "49990");
    assert_eq!(s["items"], body["items"]);
    assert_eq!(s["destinations"], body["destinations"]);
    assert_eq!(s["owner"], json!({"identityId": "merchant-1"}));
    assert_eq!(s["paymentMethodsAllowed"], json!(["CARD", "PIX"]));
    assert_eq!(s["paymentConfigs"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_url_opens_the_hosted_page_with_a_random_token() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let token = "merchant-reference-0123456789";
    let a = api.create_session(&session_body(token)).await;
    let b = api.create_session(&session_body("another-reference")).await;
    let mut seen = Vec::new();
    for s in [&a, &b] {
        let url = s["url"].as_str().expect("url");
        let public = url.strip_prefix("http://pay.test/c/").expect("public base");
        assert!(public.len() >= 22, "at least 128 bits: {public}");
        assert!(
            public
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "base64url: {public}"
        );
        let id = s["id"].as_str().expect("id");
        assert!(
            !public.contains(id) && !id.contains(public),
            "{public} vs id {id}"
        );
        let id_hex: String = id.chars().filter(|c| *c != '-').collect();
        assert!(!public.contains(&id_hex), "{public} vs id {id}");
        assert!(!public.contains(token) && !public.contains("another-reference"));
        seen.push(public.to_string());
    }
    assert_ne!(seen[0], seen[1]);
}

#[tokio::test]
async fn redirect_url_is_the_success_url_and_expires_at_is_created_at_plus_duration() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = session_body("order-times");
    body["duration"] = json!(1234);
    let s = api.create_session(&body).await;
    assert_eq!(s["redirectUrl"], "https://shop.example/ok");
    let created = millis(&s["createdAt"]);
    assert_eq!(created, i128::from(app.clock.now().millis()));
    assert_eq!(millis(&s["expiresAt"]) - created, 1_234_000);
}

#[tokio::test]
async fn delete_answers_200_empty_and_the_session_stays_readable_as_expired() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.create_id(&session_body("order-del")).await;
    let path = format!("/checkout-sessions/{id}");
    for _ in 0..2 {
        let r = api.delete(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body, json!({}));
        let read = api.get(&path).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(read.body["status"], "EXPIRED");
        assert_eq!(read.body["totalAmount"], "49990");
    }
    assert_eq!(api.list_ids("status=EXPIRED").await, vec![id.clone()]);
    assert!(api.list_ids("status=ATTEMPT").await.is_empty());
}

#[tokio::test]
async fn a_session_reads_expired_once_its_duration_has_passed() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.create_id(&session_body("order-exp")).await;
    let path = format!("/checkout-sessions/{id}");
    app.clock.advance_seconds(899);
    assert_eq!(api.get(&path).await.body["status"], "ATTEMPT");
    app.clock.advance_seconds(1);
    assert_eq!(api.get(&path).await.body["status"], "EXPIRED");
    let listed = api.list("").await;
    assert_eq!(listed.body["results"][0]["status"], "EXPIRED");
    let r = api.delete(&path).await;
    assert_eq!((r.status, r.body), (StatusCode::OK, json!({})));
    assert_eq!(api.get(&path).await.body["status"], "EXPIRED");
}

#[tokio::test]
async fn another_clients_session_is_404_and_absent_from_its_list() {
    let app = TestApp::spawn().await;
    let owner = app.sandbox().await;
    let other = app.sandbox().await;
    let id = owner.create_id(&session_body("order-iso")).await;
    let path = format!("/checkout-sessions/{id}");
    other.get(&path).await.assert_error(404, "31", &id);
    other.delete(&path).await.assert_error(404, "31", &id);
    let listed = other.list("").await;
    assert_eq!(listed.body["results"], json!([]));
    assert_eq!(listed.body["pagination"]["total"], 0);
    // The failed delete changed nothing.
    assert_eq!(owner.get(&path).await.body["status"], "ATTEMPT");
}

#[tokio::test]
async fn a_sandbox_session_is_404_on_the_production_path_for_a_production_client() {
    let app = TestApp::spawn().await;
    let sandbox = app.sandbox().await;
    let production = app.api(Environment::Production).await;
    let id = sandbox.create_id(&session_body("order-env")).await;
    let path = format!("/checkout-sessions/{id}");
    production.get(&path).await.assert_error(404, "31", &id);
    production.delete(&path).await.assert_error(404, "31", &id);
    assert!(production.list_ids("").await.is_empty());
    assert_eq!(sandbox.get(&path).await.body["status"], "ATTEMPT");
}

#[tokio::test]
async fn a_duplicate_checkout_token_is_409_but_another_client_may_use_it() {
    let app = TestApp::spawn().await;
    let a = app.sandbox().await;
    let b = app.sandbox().await;
    a.create_session(&session_body("order-dup")).await;
    let r = a
        .post("/checkout-sessions", &session_body("order-dup"))
        .await;
    r.assert_error(409, "13", "checkoutToken");
    assert_eq!(a.list("").await.body["pagination"]["total"], 1);
    b.create_session(&session_body("order-dup")).await;
}

#[tokio::test]
async fn an_unknown_session_id_is_404_code_31() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = "0197a1b2-0000-7000-8000-000000000000";
    let path = format!("/checkout-sessions/{id}");
    api.get(&path).await.assert_error(404, "31", id);
    api.delete(&path).await.assert_error(404, "31", id);
}

#[tokio::test]
async fn an_unknown_route_is_404_code_31() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for path in [
        "/nowhere",
        "/sandbox/nowhere",
        "/checkout-sessions/a/b",
        "/sandbox/",
    ] {
        let r = reply(
            app.http
                .get(format!("{}{path}", app.base))
                .send()
                .await
                .expect("sent"),
        )
        .await;
        r.assert_error(404, "31", "");
    }
    api.get("/nowhere")
        .await
        .assert_error(404, "31", "/sandbox/nowhere");
}

#[tokio::test]
async fn a_wrong_method_is_405_code_11_with_the_contract_body() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        (Method::PUT, "/checkout-sessions"),
        (Method::PUT, "/sandbox/checkout-sessions"),
        (Method::PATCH, "/sandbox/checkout-sessions/some-id"),
        (Method::GET, "/auth"),
        (Method::DELETE, "/sandbox/auth"),
    ];
    for (method, path) in cases {
        let r = api
            .send(
                app.http
                    .request(method.clone(), format!("{}{path}", app.base))
                    .bearer_auth(&api.token)
                    .header("x-api-key", &api.creds.api_key)
                    .header("user-agent", "kassa-tests"),
            )
            .await;
        assert_eq!(r.status.as_u16(), 405, "{method} {path}: {}", r.body);
        r.assert_error(405, "11", method.as_str());
        assert_eq!(r.body["type"], "invalidParam");
        assert_eq!(r.body["error"], "invalidParam");
        assert_eq!(r.body["status"], 405);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_checkout_token_give_one_201_and_409s() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let body = session_body("order-race");
    let replies = futures_join_all((0..8).map(|_| api.post("/checkout-sessions", &body))).await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [201, 409, 409, 409, 409, 409, 409, 409],
        "{replies:?}"
    );
    for r in replies.iter().filter(|r| r.status == StatusCode::CONFLICT) {
        r.assert_error(409, "13", "checkoutToken");
    }
    assert_eq!(api.list("").await.body["pagination"]["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_deletes_of_one_session_all_answer_200() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = api.create_id(&session_body("order-del-race")).await;
    let path = format!("/checkout-sessions/{id}");
    let replies = futures_join_all((0..6).map(|_| api.delete(&path))).await;
    for r in &replies {
        assert_eq!((r.status, &r.body), (StatusCode::OK, &json!({})), "{r:?}");
    }
    assert_eq!(api.get(&path).await.body["status"], "EXPIRED");
}

/// Runs the futures concurrently on this task and returns their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}
