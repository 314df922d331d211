//! The real `kassa` binary, started as an operator would: a fresh directory, `kassa serve`, the
//! credentials it prints, and the README's walk-through; plus the client commands.
mod common;

use std::time::Duration;

use common::binary::{kassa, printed, serve, token};
use common::db::TestDb;
use serde_json::{Value, json};

#[tokio::test]
async fn a_fresh_directory_serves_the_walk_through_with_the_printed_credentials() {
    let db = TestDb::fresh().await;
    eprintln!("backend: {}", db.backend);
    let dir = tempfile::tempdir().expect("tempdir");
    let server = serve(dir.path(), &db, &[]);
    assert!(
        db.is_postgres() || dir.path().join("kassa.db").exists(),
        "./kassa.db is created"
    );
    let (id, secret, key) = (
        printed(&server.lines, "clientId:"),
        printed(&server.lines, "clientSecret:"),
        printed(&server.lines, "apiKey:"),
    );
    let http = reqwest::Client::new();
    let auth: Value = token(&http, &server.base, "/sandbox", &id, &secret, &key)
        .await
        .json()
        .await
        .expect("json");
    let access = auth["accessToken"].as_str().expect("a token");
    let body = json!({
        "checkoutToken": "order-1001", "currency": "CLP",
        "items": [{"description": "Café", "preTaxAmount": "42008",
                   "tax": {"name": "IVA", "type": "PERCENTAGE", "value": "19", "amount": "7982"},
                   "totalAmount": "49990"}],
        "paymentMethodsAllowed": ["CARD"],
        "destinations": [{"type": "ACCOUNT", "amount": "49990",
            "account": {"type": "CHECKING", "currency": "CLP", "accountNumber": "1", "accountHolder": "Shop"}}],
        "duration": 900, "owner": {"identityId": "shop-1"}
    });
    let created = http
        .post(format!("{}/sandbox/checkout-sessions", server.base))
        .bearer_auth(access)
        .header("x-api-key", &key)
        .header("user-agent", "e2e")
        .json(&body)
        .send()
        .await
        .expect("create sent");
    assert_eq!(created.status().as_u16(), 201);
    let created: Value = created.json().await.expect("json");
    assert!(
        created["url"]
            .as_str()
            .unwrap_or("")
            .starts_with("http://pay.test/c/")
    );

    // The same credentials are refused on production paths.
    let prod = token(&http, &server.base, "", &id, &secret, &key).await;
    assert_eq!(prod.status().as_u16(), 401);

    // Revoking from the command line takes effect at once on the running server.
    let revoke = kassa(dir.path(), &db, &["clients", "revoke", &id]);
    assert!(
        revoke.status.success(),
        "{}",
        String::from_utf8_lossy(&revoke.stderr)
    );
    let after = http
        .get(format!("{}/sandbox/checkout-sessions", server.base))
        .bearer_auth(access)
        .header("x-api-key", &key)
        .header("user-agent", "e2e")
        .send()
        .await
        .expect("sent");
    assert_eq!(after.status().as_u16(), 401);
}

#[tokio::test]
async fn clients_create_prints_json_once_and_list_never_shows_secrets() {
    let db = TestDb::fresh().await;
    eprintln!("backend: {}", db.backend);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = kassa(
        dir.path(),
        &db,
        &[
            "clients",
            "create",
            "--environment",
            "production",
            "--name",
            "Shop",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let creds: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    for k in ["clientId", "clientSecret", "apiKey"] {
        assert!(
            creds[k].as_str().is_some_and(|v| v.len() > 10),
            "{k} in {creds}"
        );
    }
    let list = kassa(dir.path(), &db, &["clients", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains(creds["clientId"].as_str().unwrap_or("?")),
        "{text}"
    );
    assert!(text.contains("production") && text.contains("Shop"));
    assert!(!text.contains(creds["clientSecret"].as_str().unwrap_or("?")));
    assert!(!text.contains(creds["apiKey"].as_str().unwrap_or("?")));
    let bad = kassa(dir.path(), &db, &["clients", "revoke", "no-such-client"]);
    assert!(!bad.status.success());
    let migrate = kassa(dir.path(), &db, &["migrate"]);
    assert!(migrate.status.success());
}

/// Real time, real sweeper: a `duration: 30` session is stored EXPIRED 30 s later.
#[tokio::test]
#[ignore = "slow (30 s of real time); scripts/test runs it with --run-ignored all"]
async fn slow_a_thirty_second_session_is_expired_by_the_running_server() {
    let db = TestDb::fresh().await;
    eprintln!("backend: {}", db.backend);
    let dir = tempfile::tempdir().expect("tempdir");
    let server = serve(dir.path(), &db, &[]);
    let (id, secret, key) = (
        printed(&server.lines, "clientId:"),
        printed(&server.lines, "clientSecret:"),
        printed(&server.lines, "apiKey:"),
    );
    let http = reqwest::Client::new();
    let auth: Value = token(&http, &server.base, "/sandbox", &id, &secret, &key)
        .await
        .json()
        .await
        .expect("json");
    let access = auth["accessToken"].as_str().unwrap_or_default().to_string();
    let mut body: Value =
        serde_json::from_str(include_str!("fixtures/session.json")).expect("fixture");
    body["duration"] = json!(30);
    let send = |req: reqwest::RequestBuilder| {
        req.bearer_auth(&access)
            .header("x-api-key", &key)
            .header("user-agent", "e2e")
            .send()
    };
    let created: Value = send(
        http.post(format!("{}/sandbox/checkout-sessions", server.base))
            .json(&body),
    )
    .await
    .expect("sent")
    .json()
    .await
    .expect("json");
    let sid = created["id"].as_str().unwrap_or_default().to_string();
    tokio::time::sleep(Duration::from_secs(29)).await;
    let read: Value = send(http.get(format!("{}/sandbox/checkout-sessions/{sid}", server.base)))
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(read["status"], "ATTEMPT", "not yet at 29 s");
    tokio::time::sleep(Duration::from_secs(4)).await;
    // The stored status, not just the computed one: read the database itself.
    let url = if db.is_postgres() {
        db.url.clone()
    } else {
        format!("sqlite://{}", dir.path().join("kassa.db").display())
    };
    let store = kassa::store::open(&url, 1).await.expect("store");
    let changes = store.status_changes(&sid).await.expect("changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (changes[0].0.as_str(), changes[0].1.as_str()),
        ("ATTEMPT", "EXPIRED")
    );
}
