//! The admin rates API: its own token, validation, and rates that new sessions use at once.
mod common;

use common::{TestApp, reply, session_body};
use kassa::domain::environment::Environment;
use serde_json::json;

async fn put(app: &TestApp, token: &str, body: serde_json::Value) -> common::Reply {
    let resp = app
        .http
        .put(format!("{}/admin/rates", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("sent");
    reply(resp).await
}

#[tokio::test]
async fn an_operator_sets_a_production_rate_and_new_sessions_use_it() {
    let app = TestApp::spawn_with(|s| s.admin_token = Some("admin-secret".into())).await;
    let prod = app.api(Environment::Production).await;
    let before = prod.create_session(&session_body("before")).await;
    assert_eq!(before["paymentConfigs"][1]["exchangeRate"], "0", "{before}");
    assert_eq!(
        before["paymentConfigs"][1]["paymentMethods"][0]["enabled"],
        false
    );

    let r = put(
        &app,
        "admin-secret",
        json!({"environment": "production", "from": "CLP", "to": "BRL", "rate": "0.0060"}),
    )
    .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert_eq!(r.body["rate"], "0.006", "stored canonically");

    let after = prod.create_session(&session_body("after")).await;
    let brl = &after["paymentConfigs"][1];
    assert_eq!(brl["exchangeRate"], "0.006");
    // 49990 × 0.006 = 299.94 exactly.
    assert_eq!(brl["paymentMethods"][0]["purchaseAmount"], "299.94");
    assert_eq!(brl["paymentMethods"][0]["enabled"], true);

    let list = reply(
        app.http
            .get(format!("{}/admin/rates?environment=production", app.base))
            .bearer_auth("admin-secret")
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        list.body["results"].as_array().map(Vec::len),
        Some(1),
        "{}",
        list.body
    );
}

#[tokio::test]
async fn the_admin_api_refuses_bad_tokens_and_bad_rates() {
    let app = TestApp::spawn_with(|s| s.admin_token = Some("admin-secret".into())).await;
    let ok = |from: &str, to: &str, rate: &str| json!({"environment": "sandbox", "from": from, "to": to, "rate": rate});
    put(&app, "wrong", ok("CLP", "BRL", "1"))
        .await
        .assert_error(401, "41", "KASSA_ADMIN_TOKEN");
    put(&app, "admin-secret", ok("CLP", "XXX", "1"))
        .await
        .assert_error(400, "11", "to must be one of");
    put(&app, "admin-secret", ok("CLP", "CLP", "1"))
        .await
        .assert_error(400, "11", "must differ");
    put(&app, "admin-secret", ok("CLP", "BRL", "-1"))
        .await
        .assert_error(400, "11", "rate");
    put(&app, "admin-secret", ok("CLP", "BRL", "0"))
        .await
        .assert_error(400, "11", "rate");
    put(&app, "admin-secret", json!({"from": "CLP"}))
        .await
        .assert_error(400, "12", "environment");
    // Client credentials are no admin token.
    let api = app.sandbox().await;
    put(&app, &api.token, ok("CLP", "BRL", "1"))
        .await
        .assert_error(401, "41", "admin");
}

#[tokio::test]
async fn without_a_configured_token_the_admin_api_is_off() {
    let app = TestApp::spawn().await;
    put(&app, "anything", json!({}))
        .await
        .assert_error(404, "31", "admin API is off");
}
