//! Authentication over HTTP (CONTRACT §1–2): `POST /auth`, what every protected route demands,
//! the API version header and the trace id.
mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Reply, TestApp, reply, session_body};
use hmac::{Hmac, Mac};
use kassa::clock::Clock;
use kassa::domain::environment::Environment;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

/// `POST {prefix}/auth` with a raw body and an optional API key.
async fn post_auth(app: &TestApp, prefix: &str, key: Option<&str>, body: &str) -> Reply {
    let mut req = app
        .http
        .post(format!("{}{prefix}/auth", app.base))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(key) = key {
        req = req.header("x-api-key", key);
    }
    reply(req.send().await.expect("request sent")).await
}

/// An HS256 JWT built by hand (RFC 7515), signed with `key`.
fn hand_made_token(key: &[u8], claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(format!("{header}.{payload}").as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{header}.{payload}.{sig}")
}

fn decode_part(part: &str) -> Value {
    let bytes = URL_SAFE_NO_PAD.decode(part).expect("base64url part");
    serde_json::from_slice(&bytes).expect("JSON part")
}

#[tokio::test]
async fn auth_answers_a_bearer_jwt_valid_for_an_hour_in_both_environments() {
    let app = TestApp::spawn().await;
    for env in [Environment::Production, Environment::Sandbox] {
        let c = app.credentials(env).await;
        let r = app
            .auth(
                env.path_prefix(),
                &c.api_key,
                &c.client_id,
                &c.client_secret,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{env}: {}", r.body);
        assert_eq!(r.body["tokenType"], "Bearer");
        assert_eq!(r.body["expiresIn"], json!(3600));
        let token = r.body["accessToken"].as_str().expect("accessToken");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "a JWT has three parts: {token}");
        assert!(parts.iter().all(|p| !p.is_empty()));
        assert_eq!(decode_part(parts[0])["alg"], "HS256");
        let claims = decode_part(parts[1]);
        assert_eq!(
            claims["exp"].as_i64(),
            claims["iat"].as_i64().map(|i| i + 3600)
        );
    }
}

#[tokio::test]
async fn auth_without_an_api_key_is_401_code_41() {
    let app = TestApp::spawn().await;
    let c = app.credentials(Environment::Sandbox).await;
    let body = json!({"clientId": c.client_id, "clientSecret": c.client_secret}).to_string();
    let r = post_auth(&app, "/sandbox", None, &body).await;
    r.assert_error(401, "41", "x-api-key");
}

#[tokio::test]
async fn auth_with_a_wrong_api_key_or_secret_or_another_clients_id_is_401() {
    let app = TestApp::spawn().await;
    let a = app.credentials(Environment::Sandbox).await;
    let b = app.credentials(Environment::Sandbox).await;
    let cases = [
        ("wrong key", "ak_test_nope", &a.client_id, &a.client_secret),
        ("wrong secret", &a.api_key, &a.client_id, &b.client_secret),
        (
            "other id, own secret",
            &a.api_key,
            &b.client_id,
            &a.client_secret,
        ),
        (
            "other id and secret",
            &a.api_key,
            &b.client_id,
            &b.client_secret,
        ),
    ];
    for (case, key, id, secret) in cases {
        let r = app.auth("/sandbox", key, id, secret).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{case}: {}", r.body);
        r.assert_error(401, "41", "");
        assert!(r.body.get("accessToken").is_none(), "{case}");
    }
}

#[tokio::test]
async fn sandbox_credentials_on_the_production_auth_path_are_401() {
    let app = TestApp::spawn().await;
    let c = app.credentials(Environment::Sandbox).await;
    let r = app
        .auth("", &c.api_key, &c.client_id, &c.client_secret)
        .await;
    r.assert_error(401, "41", "sandbox");
}

#[tokio::test]
async fn auth_without_client_id_or_client_secret_is_400_code_12() {
    let app = TestApp::spawn().await;
    let c = app.credentials(Environment::Sandbox).await;
    let no_id = json!({"clientSecret": c.client_secret}).to_string();
    post_auth(&app, "/sandbox", Some(&c.api_key), &no_id)
        .await
        .assert_error_at(400, "12", "clientId");
    let no_secret = json!({"clientId": c.client_id}).to_string();
    post_auth(&app, "/sandbox", Some(&c.api_key), &no_secret)
        .await
        .assert_error_at(400, "12", "clientSecret");
}

#[tokio::test]
async fn auth_with_malformed_json_is_400_code_14() {
    let app = TestApp::spawn().await;
    let c = app.credentials(Environment::Sandbox).await;
    for body in [r#"{"clientId": "#, "not json", "[]"] {
        let r = post_auth(&app, "/sandbox", Some(&c.api_key), body).await;
        assert_eq!(r.code(), "14", "{body:?}: {}", r.body);
        r.assert_error(400, "14", "");
    }
}

#[tokio::test]
async fn auth_with_trailing_garbage_after_the_json_is_400_code_14() {
    let app = TestApp::spawn().await;
    let c = app.credentials(Environment::Sandbox).await;
    let body = json!({"clientId": c.client_id, "clientSecret": c.client_secret});
    let r = post_auth(
        &app,
        "/sandbox",
        Some(&c.api_key),
        &format!("{body} garbage"),
    )
    .await;
    assert!(
        r.body.get("accessToken").is_none(),
        "a token was issued: {}",
        r.body
    );
    r.assert_error(400, "14", "JSON");
}

#[tokio::test]
async fn a_protected_route_without_authorization_or_api_key_is_401() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let url = api.url("/checkout-sessions");
    let no_bearer = app
        .http
        .get(&url)
        .header("x-api-key", &api.creds.api_key)
        .header("user-agent", "kassa-tests");
    reply(no_bearer.send().await.expect("sent"))
        .await
        .assert_error(401, "41", "Authorization");
    let no_key = app
        .http
        .get(&url)
        .bearer_auth(&api.token)
        .header("user-agent", "kassa-tests");
    reply(no_key.send().await.expect("sent"))
        .await
        .assert_error(401, "41", "x-api-key");
}

#[tokio::test]
async fn garbage_and_hand_made_tokens_are_401() {
    let app = TestApp::spawn().await;
    let mut api = app.sandbox().await;
    let now = app.clock.now().unix_seconds();
    let claims = json!({"iss": "kassa", "sub": api.creds.client_id, "env": "sandbox",
                        "iat": now, "exp": now + 3600, "jti": "forged"});
    let none_alg = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let cases = [
        ("garbage", "garbage".to_string(), "malformed"),
        (
            "another key",
            hand_made_token(b"not kassa's key", &claims),
            "signature",
        ),
        ("alg none", none_alg, "malformed"),
    ];
    for (case, token, needle) in cases {
        api.token = token;
        let r = api.get("/checkout-sessions").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{case}: {}", r.body);
        r.assert_error(401, "41", needle);
    }
}

#[tokio::test]
async fn a_token_expires_after_exactly_one_hour() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    app.clock.advance_seconds(3599);
    assert_eq!(api.get("/checkout-sessions").await.status, StatusCode::OK);
    app.clock.advance_seconds(1);
    api.get("/checkout-sessions")
        .await
        .assert_error(401, "41", "expired");
}

#[tokio::test]
async fn a_token_and_key_of_the_other_environment_are_401_on_this_environments_paths() {
    let app = TestApp::spawn().await;
    let mut sandbox = app.sandbox().await;
    let mut production = app.api(Environment::Production).await;
    // Each client's own token and key, sent to the other environment's paths.
    (sandbox.prefix, production.prefix) = ("", "/sandbox");
    sandbox
        .get("/checkout-sessions")
        .await
        .assert_error(401, "41", "sandbox");
    production
        .get("/checkout-sessions")
        .await
        .assert_error(401, "41", "production");
}

#[tokio::test]
async fn a_token_whose_claims_name_the_other_environment_is_401() {
    let app = TestApp::spawn().await;
    let mut api = app.sandbox().await;
    // Signed with kassa's own key, for this very client, but claiming production.
    api.token = app.ctx.signer.issue(
        &api.creds.client_id,
        Environment::Production,
        app.clock.now(),
    );
    api.get("/checkout-sessions")
        .await
        .assert_error(401, "41", "");
}

#[tokio::test]
async fn a_valid_token_with_the_api_key_of_another_client_is_401() {
    let app = TestApp::spawn().await;
    let mut a = app.sandbox().await;
    let b = app.sandbox().await;
    a.creds.api_key = b.creds.api_key.clone();
    a.get("/checkout-sessions")
        .await
        .assert_error(401, "41", "different clients");
    let r = a.post("/checkout-sessions", &session_body("order-1")).await;
    r.assert_error(401, "41", "");
    assert_eq!(b.list_ids("").await, Vec::<String>::new());
}

#[tokio::test]
async fn a_revoked_client_is_refused_on_its_next_request() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    assert_eq!(api.get("/checkout-sessions").await.status, StatusCode::OK);
    let revoked = app
        .store
        .revoke_client(&api.creds.client_id, app.clock.now())
        .await
        .expect("store answers");
    assert!(revoked);
    api.get("/checkout-sessions")
        .await
        .assert_error(401, "41", "revoked");
    let c = &api.creds;
    app.auth("/sandbox", &c.api_key, &c.client_id, &c.client_secret)
        .await
        .assert_error(401, "41", "revoked");
}

#[tokio::test]
async fn a_protected_request_without_a_user_agent_is_400_code_12() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for ua in [None, Some("   ")] {
        let mut req = app
            .http
            .get(api.url("/checkout-sessions"))
            .bearer_auth(&api.token)
            .header("x-api-key", &api.creds.api_key);
        if let Some(ua) = ua {
            req = req.header("user-agent", ua);
        }
        let r = reply(req.send().await.expect("sent")).await;
        r.assert_error(400, "12", "User-Agent");
    }
}
