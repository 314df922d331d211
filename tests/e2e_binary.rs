//! The real `kassa` binary, started as an operator would: a fresh directory, `kassa serve`, the
//! credentials it prints, and the README's walk-through; plus the client commands.
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_kassa");

struct Server {
    child: Child,
    base: String,
    lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `kassa serve` in `dir` on a free port and waits for it to say where it listens.
fn serve(dir: &Path) -> Server {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "http://pay.test",
        ])
        .current_dir(dir)
        .env_remove("KASSA_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kassa starts");
    let stdout = child.stdout.take();
    // Owned by `Server` from here on, so the process is killed and reaped on every path.
    let mut server = Server {
        child,
        base: String::new(),
        lines: Vec::new(),
    };
    let stdout = stdout.expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("kassa says it listens");
        server.lines.push(line.clone());
        if let Some(rest) = line.strip_prefix("kassa listening on ") {
            server.base = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            return server;
        }
    }
}

fn printed(lines: &[String], label: &str) -> String {
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("{label} not printed in {lines:?}"))
}

fn kassa(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("KASSA_DATABASE_URL")
        .output()
        .expect("kassa runs")
}

async fn token(
    http: &reqwest::Client,
    base: &str,
    prefix: &str,
    id: &str,
    secret: &str,
    key: &str,
) -> reqwest::Response {
    http.post(format!("{base}{prefix}/auth"))
        .header("x-api-key", key)
        .json(&json!({"clientId": id, "clientSecret": secret}))
        .send()
        .await
        .expect("auth sent")
}

#[tokio::test]
async fn a_fresh_directory_serves_the_walk_through_with_the_printed_credentials() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = serve(dir.path());
    assert!(
        dir.path().join("kassa.db").exists(),
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
    let revoke = kassa(dir.path(), &["clients", "revoke", &id]);
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

#[test]
fn clients_create_prints_json_once_and_list_never_shows_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = kassa(
        dir.path(),
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
    let list = kassa(dir.path(), &["clients", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains(creds["clientId"].as_str().unwrap_or("?")),
        "{text}"
    );
    assert!(text.contains("production") && text.contains("Shop"));
    assert!(!text.contains(creds["clientSecret"].as_str().unwrap_or("?")));
    assert!(!text.contains(creds["apiKey"].as_str().unwrap_or("?")));
    let bad = kassa(dir.path(), &["clients", "revoke", "no-such-client"]);
    assert!(!bad.status.success());
    let migrate = kassa(dir.path(), &["migrate"]);
    assert!(migrate.status.success());
}

/// Real time, real sweeper: a `duration: 30` session is stored EXPIRED 30 s later.
#[tokio::test]
#[ignore = "slow (30 s of real time); scripts/test runs it with --run-ignored all"]
async fn slow_a_thirty_second_session_is_expired_by_the_running_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = serve(dir.path());
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
    let store = kassa::store::open(
        &format!("sqlite://{}", dir.path().join("kassa.db").display()),
        1,
    )
    .await
    .expect("store");
    let changes = store.status_changes(&sid).await.expect("changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (changes[0].0.as_str(), changes[0].1.as_str()),
        ("ATTEMPT", "EXPIRED")
    );
}
