//! Several `kassa serve` processes on one PostgreSQL database, as deployed behind a load
//! balancer: whatever must happen once happens once, whichever process is asked, and a process
//! that dies loses nothing it acknowledged. PostgreSQL only: on SQLite each test says why it
//! is skipped and passes.
mod common;

use std::time::{Duration, Instant};

use common::binary::{Server, printed, sandbox_access, serve};
use common::db::TestDb;
use common::{card_payment, session_body};
use serde_json::Value;
use sqlx::Connection;

const SIGNING_KEY: &str = "multiprocess-test-signing-key-0123456789";

/// A fresh PostgreSQL database, or `None` (with the reason printed) when the suite runs on
/// SQLite.
async fn postgres() -> Option<TestDb> {
    let db = TestDb::fresh().await;
    if !db.is_postgres() {
        eprintln!(
            "skipped: several kassa processes share a database only on PostgreSQL \
             (set {}; scripts/test does)",
            common::db::ENV
        );
        return None;
    }
    eprintln!("backend: postgres");
    Some(db)
}

/// An integrator with a sandbox access token, talking to any of the processes.
struct Client {
    http: reqwest::Client,
    key: String,
    token: String,
}

impl Client {
    async fn of(server: &Server) -> Client {
        let http = reqwest::Client::new();
        let (key, token) = sandbox_access(&http, server).await;
        Client { http, key, token }
    }

    fn request(&self, method: reqwest::Method, url: String) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .bearer_auth(&self.token)
            .header("x-api-key", &self.key)
            .header("user-agent", "e2e-multiprocess")
    }

    /// `(status, body)`, or the transport error (a killed process).
    async fn send(&self, req: reqwest::RequestBuilder) -> Result<(u16, Value), reqwest::Error> {
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    async fn create(&self, base: &str, body: &Value) -> Result<(u16, Value), reqwest::Error> {
        let url = format!("{base}/sandbox/checkout-sessions");
        self.send(self.request(reqwest::Method::POST, url).json(body))
            .await
    }

    async fn get(&self, base: &str, path: &str) -> (u16, Value) {
        let url = format!("{base}/sandbox{path}");
        self.send(self.request(reqwest::Method::GET, url))
            .await
            .expect("the live process answers")
    }
}

/// Two processes on `db` with one configured signing key; the first one bootstraps.
fn two_processes(db: &TestDb) -> (Server, Server) {
    let a = serve(&db.dir(), db, &["--signing-key", SIGNING_KEY]);
    let b = serve(&db.dir(), db, &["--signing-key", SIGNING_KEY]);
    (a, b)
}

async fn sql(db: &TestDb) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(&db.url)
        .await
        .expect("the test database")
}

#[tokio::test]
async fn a_token_issued_by_one_process_is_accepted_by_the_other() {
    let Some(db) = postgres().await else { return };
    let (a, b) = two_processes(&db);
    let client = Client::of(&a).await;
    let (status, created) = client
        .create(&a.base, &session_body("shared-1"))
        .await
        .expect("A answers");
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("an id");
    let (status, read) = client
        .get(&b.base, &format!("/checkout-sessions/{id}"))
        .await;
    assert_eq!(status, 200, "B accepts A's token: {read}");
    assert_eq!(read["checkoutToken"], "shared-1");
    // The checkout token is unique across processes too.
    let (status, again) = client
        .create(&b.base, &session_body("shared-1"))
        .await
        .expect("B answers");
    assert_eq!(status, 409, "{again}");
}

#[tokio::test]
async fn processes_started_together_share_one_generated_key_and_one_bootstrap() {
    let Some(db) = postgres().await else { return };
    // No --signing-key: the first process to store one wins, and both use it.
    let (dir_a, dir_b) = (db.dir(), db.dir());
    let (db_a, db_b) = (&db, &db);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| serve(&dir_a, db_a, &[]));
        let b = s.spawn(|| serve(&dir_b, db_b, &[]));
        (a.join().expect("A starts"), b.join().expect("B starts"))
    });
    let bootstrapped: Vec<&Server> = [&a, &b]
        .into_iter()
        .filter(|s| s.lines.iter().any(|l| l.trim().starts_with("clientId:")))
        .collect();
    assert_eq!(
        bootstrapped.len(),
        1,
        "exactly one process prints credentials"
    );
    let first = bootstrapped[0];
    let other = if std::ptr::eq(first, &a) { &b } else { &a };
    printed(&first.lines, "apiKey:");
    let client = Client::of(first).await;
    let (status, body) = client.get(&other.base, "/checkout-sessions").await;
    assert_eq!(
        status, 200,
        "a token of one process works on the other: {body}"
    );
    let mut conn = sql(&db).await;
    let clients: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clients")
        .fetch_one(&mut conn)
        .await
        .expect("count");
    assert_eq!(clients, 1);
}

#[tokio::test]
async fn fifty_concurrent_payments_over_two_processes_accept_exactly_one() {
    let Some(db) = postgres().await else { return };
    let (a, b) = two_processes(&db);
    let client = Client::of(&a).await;
    let (status, created) = client
        .create(&a.base, &session_body("race-1"))
        .await
        .expect("A answers");
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("an id").to_string();
    let client = std::sync::Arc::new(client);
    let bases = [a.base.clone(), b.base.clone()];
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (client, base, id) = (client.clone(), bases[i % 2].clone(), id.clone());
            tokio::spawn(async move {
                let url = format!("{base}/sandbox/checkout-sessions/{id}/payments");
                let req = client
                    .request(reqwest::Method::POST, url)
                    .json(&card_payment("4242424242424242"));
                client.send(req).await.expect("answered").0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let refused = statuses.iter().filter(|s| **s == 422).count();
    assert_eq!((ok, refused), (1, 49), "{statuses:?}");
    let mut conn = sql(&db).await;
    let payments: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE checkout_session_id = $1")
            .bind(&id)
            .fetch_one(&mut conn)
            .await
            .expect("count");
    assert_eq!(payments, 1, "exactly one payment row");
    let submitted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_status_changes \
         WHERE session_id = $1 AND to_status = 'PROCESSING_PAYMENT'",
    )
    .bind(&id)
    .fetch_one(&mut conn)
    .await
    .expect("count");
    assert_eq!(submitted, 1);
}

/// Real time, both sweepers: 1,000 sessions of 30 s, created through both processes, are each
/// stored EXPIRED exactly once.
#[tokio::test]
#[ignore = "slow (30 s of real time); scripts/test runs it with --run-ignored all"]
async fn slow_a_thousand_sessions_expire_exactly_once_with_two_sweepers() {
    let Some(db) = postgres().await else { return };
    let (a, b) = two_processes(&db);
    let client = std::sync::Arc::new(Client::of(&a).await);
    let bases = [a.base.clone(), b.base.clone()];
    let started = Instant::now();
    // 16 creators, each alternating between the processes.
    let tasks: Vec<_> = (0..16)
        .map(|w| {
            let (client, bases) = (client.clone(), bases.clone());
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in (w..1000).step_by(16) {
                    let mut body = session_body(&format!("expire-{n}"));
                    body["duration"] = 30.into();
                    let (status, created) =
                        client.create(&bases[n % 2], &body).await.expect("answered");
                    assert_eq!(status, 201, "{created}");
                    ids.push(created["id"].as_str().unwrap_or_default().to_string());
                }
                ids
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.extend(t.await.expect("creator"));
    }
    assert_eq!(ids.len(), 1000);
    eprintln!("created 1000 sessions in {:?}", started.elapsed());
    let mut conn = sql(&db).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM checkout_sessions WHERE status IN ('ATTEMPT', 'ACTIVE')",
        )
        .fetch_one(&mut conn)
        .await
        .expect("count");
        if waiting == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{waiting} sessions never expired"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    eprintln!(
        "all stored EXPIRED {:?} after the first create",
        started.elapsed()
    );
    let per_session: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.id, COUNT(c.id) FROM checkout_sessions s \
         LEFT JOIN session_status_changes c ON c.session_id = s.id \
         AND c.from_status = 'ATTEMPT' AND c.to_status = 'EXPIRED' GROUP BY s.id",
    )
    .fetch_all(&mut conn)
    .await
    .expect("changes");
    assert_eq!(per_session.len(), 1000);
    let wrong: Vec<_> = per_session.iter().filter(|(_, n)| *n != 1).collect();
    assert!(wrong.is_empty(), "not exactly one expiry: {wrong:?}");
    let all_changes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM session_status_changes")
        .fetch_one(&mut conn)
        .await
        .expect("count");
    assert_eq!(all_changes, 1000, "no other change was recorded");
    let mut stored: Vec<String> = per_session.into_iter().map(|(id, _)| id).collect();
    stored.sort();
    ids.sort();
    assert_eq!(stored, ids);
}

#[tokio::test]
async fn every_acknowledged_create_survives_a_sigkill_of_its_process() {
    let Some(db) = postgres().await else { return };
    let (mut a, b) = two_processes(&db);
    let client = std::sync::Arc::new(Client::of(&a).await);
    // Four creators stream into A until it stops answering.
    let tasks: Vec<_> = (0..4)
        .map(|w| {
            let (client, base) = (client.clone(), a.base.clone());
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                for n in 0.. {
                    let body = session_body(&format!("kill-{w}-{n}"));
                    match client.create(&base, &body).await {
                        Ok((201, created)) => {
                            acknowledged.push(created["id"].as_str().unwrap_or("").to_string())
                        }
                        Ok((status, body)) => panic!("create answered {status}: {body}"),
                        Err(_) => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    a.kill();
    let mut acknowledged = Vec::new();
    for t in tasks {
        acknowledged.extend(t.await.expect("creator"));
    }
    assert!(
        acknowledged.len() >= 10,
        "the stream ran before the kill ({} creates)",
        acknowledged.len()
    );
    eprintln!(
        "{} creates were acknowledged before SIGKILL",
        acknowledged.len()
    );
    for id in &acknowledged {
        let (status, read) = client
            .get(&b.base, &format!("/checkout-sessions/{id}"))
            .await;
        assert_eq!(
            status, 200,
            "{id} was acknowledged by A but B cannot read it: {read}"
        );
        assert_eq!(read["status"], "ATTEMPT");
    }
    // B carries on alone.
    let (status, created) = client
        .create(&b.base, &session_body("after-the-kill"))
        .await
        .expect("B answers");
    assert_eq!(status, 201, "{created}");
}
