//! The real `kassa` binary as a child process: started as an operator would, read from its
//! stdout until it says where it listens, and killed and reaped on every path.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use super::db::TestDb;

pub const BIN: &str = env!("CARGO_BIN_EXE_kassa");

pub struct Server {
    pub child: Child,
    pub base: String,
    /// What it printed before it listened (the first client's credentials, on a fresh
    /// database).
    pub lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// SIGKILL: no graceful shutdown, no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `kassa` in `dir` on `db`: on SQLite, the default `./kassa.db` in `dir` (what an operator
/// gets with no configuration); on PostgreSQL, `--database-url`.
pub fn command(dir: &Path, db: &TestDb) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir).env_remove("KASSA_DATABASE_URL");
    if db.is_postgres() {
        cmd.args(["--database-url", &db.url]);
    }
    cmd
}

/// Starts `kassa serve` on a free port with `extra` arguments and waits for it to say where it
/// listens.
pub fn serve(dir: &Path, db: &TestDb, extra: &[&str]) -> Server {
    let mut child = command(dir, db)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "http://pay.test",
        ])
        .args(extra)
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

/// The value printed after `label` (`clientId:` …), or a panic naming what was printed.
pub fn printed(lines: &[String], label: &str) -> String {
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("{label} not printed in {lines:?}"))
}

/// Runs a `kassa` command (`clients create …`) to completion.
pub fn kassa(dir: &Path, db: &TestDb, args: &[&str]) -> std::process::Output {
    command(dir, db).args(args).output().expect("kassa runs")
}

/// `POST {prefix}/auth`.
pub async fn token(
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

/// The sandbox credentials a fresh database's first `kassa serve` printed, exchanged for an
/// access token: `(api key, access token)`.
pub async fn sandbox_access(http: &reqwest::Client, server: &Server) -> (String, String) {
    let (id, secret, key) = (
        printed(&server.lines, "clientId:"),
        printed(&server.lines, "clientSecret:"),
        printed(&server.lines, "apiKey:"),
    );
    let auth: Value = token(http, &server.base, "/sandbox", &id, &secret, &key)
        .await
        .json()
        .await
        .expect("json");
    let access = auth["accessToken"].as_str().expect("a token").to_string();
    (key, access)
}
