//! What an operator reads when kassa cannot start on its database: one clear line, never the
//! password of the database URL.
mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::binary::BIN;
use common::db::TestDb;
use sqlx::Connection;

/// `kassa --database-url URL ARGS…` in `dir`.
fn kassa(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("KASSA_DATABASE_URL")
        .args(["--database-url", url])
        .args(args)
        .output()
        .expect("kassa runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn an_unreachable_postgresql_is_named_without_its_password() {
    let db = TestDb::fresh().await;
    eprintln!("backend: {}", db.backend);
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let url = "postgres://kassa:hunter2-secret@127.0.0.1:1/kassa";
    let out = kassa(&db.dir(), url, &["migrate"]);
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(
        text.contains("cannot reach PostgreSQL at 127.0.0.1:1"),
        "{text}"
    );
    assert!(
        !text.contains("hunter2-secret"),
        "the password leaked: {text}"
    );
    assert!(
        text.contains("postgres://kassa:***@127.0.0.1:1/kassa"),
        "{text}"
    );
}

#[tokio::test]
async fn an_unknown_scheme_is_refused_without_the_password() {
    let db = TestDb::fresh().await;
    eprintln!("backend: {}", db.backend);
    let url = "mysql://kassa:hunter2-secret@127.0.0.1/kassa";
    let out = kassa(&db.dir(), url, &["migrate"]);
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(text.contains("unsupported database URL"), "{text}");
    assert!(
        !text.contains("hunter2-secret"),
        "the password leaked: {text}"
    );
}

#[tokio::test]
async fn a_schema_newer_than_the_binary_is_refused_with_both_versions() {
    let db = TestDb::fresh().await;
    eprintln!("backend: {}", db.backend);
    let url = if db.is_postgres() {
        db.url.clone()
    } else {
        format!("sqlite://{}", db.dir().join("kassa.db").display())
    };
    let migrate = kassa(&db.dir(), &url, &["migrate"]);
    assert!(migrate.status.success(), "{}", stderr(&migrate));
    // What a newer kassa would leave behind: a migration this binary has never heard of.
    let newer = "INSERT INTO _sqlx_migrations \
                 (version, description, success, checksum, execution_time) \
                 VALUES (9999, 'from the future', TRUE, X'00', 0)";
    if db.is_postgres() {
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
        sqlx::query(&newer.replace("X'00'", "'\\x00'::bytea"))
            .execute(&mut conn)
            .await
            .expect("insert");
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("connect");
        sqlx::query(newer).execute(&mut conn).await.expect("insert");
    }
    let out = kassa(&db.dir(), &url, &["migrate"]);
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(
        text.contains("the database schema (version 9999) is newer than this kassa binary"),
        "{text}"
    );
    assert!(text.contains("upgrade kassa"), "{text}");
}
