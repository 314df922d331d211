//! The outbox survives a crash: with the receiver down, kassa is killed with SIGKILL after the
//! payment but before any delivery; once the receiver and kassa are back, every event arrives.
mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::receiver::{Receiver, verify};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_kassa");

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `kassa serve` in `dir`; returns the process, its base URL and what it printed first.
fn serve(dir: &Path) -> (Proc, String, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .env_remove("KASSA_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kassa starts");
    let stdout = child.stdout.take();
    let proc = Proc(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Some(out) = stdout else { return };
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("kassa says it listens");
        if let Some(rest) = line.strip_prefix("kassa listening on ") {
            let base = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            return (proc, base, lines);
        }
        lines.push(line);
    }
}

fn printed(lines: &[String], label: &str) -> String {
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_string()))
        .unwrap_or_default()
}

#[tokio::test]
#[ignore = "slow (waits for the 30 s retry); scripts/test runs it with --run-ignored all"]
async fn slow_events_survive_a_sigkill_and_arrive_after_the_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let (first, base, lines) = serve(dir.path());
    let (id, secret, key) = (
        printed(&lines, "clientId:"),
        printed(&lines, "clientSecret:"),
        printed(&lines, "apiKey:"),
    );
    let hook_url = format!("http://127.0.0.1:{port}/hook");
    let set = Command::new(BIN)
        .args(["webhooks", "set", "--client", &id, &hook_url])
        .current_dir(dir.path())
        .env_remove("KASSA_DATABASE_URL")
        .output()
        .expect("cli runs");
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
    let (_second, _, _) = serve(dir.path());
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
