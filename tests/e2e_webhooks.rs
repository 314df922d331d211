//! The outbox survives a crash: with the receiver down, kassa is killed with SIGKILL after the
//! payment but before any delivery; once the receiver and kassa are back, every event arrives.
mod common;

use std::time::{Duration, Instant};

use common::binary::{kassa, printed, serve};
use common::db::TestDb;
use common::receiver::{Receiver, verify};
use serde_json::{Value, json};

#[tokio::test]
#[ignore = "slow (waits for the 30 s retry); scripts/test runs it with --run-ignored all"]
async fn slow_events_survive_a_sigkill_and_arrive_after_the_restart() {
    let db = TestDb::fresh().await;
    eprintln!("backend: {}", db.backend);
    let dir = db.dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let first = serve(&dir, &db, &[]);
    let (base, lines) = (first.base.clone(), first.lines.clone());
    let (id, secret, key) = (
        printed(&lines, "clientId:"),
        printed(&lines, "clientSecret:"),
        printed(&lines, "apiKey:"),
    );
    let hook_url = format!("http://127.0.0.1:{port}/hook");
    let set = kassa(&dir, &db, &["webhooks", "set", "--client", &id, &hook_url]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let out = String::from_utf8_lossy(&set.stdout).to_string();
    let whsec = out
        .lines()
        .find_map(|l| l.strip_prefix("signing secret (shown once): "))
        .unwrap_or_default()
        .to_string();
    assert!(whsec.starts_with("whsec_"), "{out}");

    let http = reqwest::Client::new();
    let auth: Value = http
        .post(format!("{base}/sandbox/auth"))
        .header("x-api-key", &key)
        .json(&json!({"clientId": id, "clientSecret": secret}))
        .send()
        .await
        .expect("auth")
        .json()
        .await
        .expect("json");
    let token = auth["accessToken"].as_str().unwrap_or_default().to_string();
    let body: Value = serde_json::from_str(include_str!("fixtures/session.json")).expect("fixture");
    let send = |req: reqwest::RequestBuilder| {
        req.bearer_auth(&token)
            .header("x-api-key", &key)
            .header("user-agent", "e2e")
            .send()
    };
    let session: Value = send(
        http.post(format!("{base}/sandbox/checkout-sessions"))
            .json(&body),
    )
    .await
    .expect("create")
    .json()
    .await
    .expect("json");
    let sid = session["id"].as_str().unwrap_or_default().to_string();
    let paid = send(
        http.post(format!("{base}/sandbox/checkout-sessions/{sid}/payments"))
            .json(&json!({"origins": [{"type": "CARD", "currency": "CLP", "card": {"pan": "4242424242424242"}}]})),
    )
    .await
    .expect("pay");
    assert_eq!(paid.status().as_u16(), 200);

    // The state change is committed; the receiver is down, so nothing can be delivered yet.
    drop(first); // SIGKILL, then reap
    let receiver = Receiver::start_on(&format!("127.0.0.1:{port}"), 0).await;
    let _second = serve(&dir, &db, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while receiver.received().len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let got = receiver.received();
    let mut names: Vec<String> = got.iter().map(|r| r.event()).collect();
    names.sort();
    assert_eq!(names, ["CheckoutSession.Finished", "Transaction.Captured"]);
    for r in &got {
        assert!(
            verify(r, &whsec),
            "signed with the endpoint secret: {}",
            r.body
        );
    }
}
