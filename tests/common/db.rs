//! A fresh, empty database per test, on the backend the suite runs against.
//!
//! `KASSA_TEST_DATABASE_URL` naming a PostgreSQL server (`postgres://…/maintenance-db`) makes
//! every test create its own database there (`CREATE DATABASE kassa_t_<random>`), dropped
//! again when the test ends; unset (or `sqlite:`), every test gets a SQLite file in a temporary
//! directory. `scripts/test` runs the whole suite once each way.

use std::path::PathBuf;

use sqlx::Connection;

pub const ENV: &str = "KASSA_TEST_DATABASE_URL";

pub struct TestDb {
    /// The database URL to give kassa.
    pub url: String,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    dir: tempfile::TempDir,
    /// PostgreSQL: the maintenance URL and the name of the database to drop.
    drop: Option<(String, String)>,
}

/// The PostgreSQL server the suite runs against, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var(ENV)
        .ok()
        .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
}

impl TestDb {
    pub async fn fresh() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match postgres_url() {
            None => TestDb {
                url: format!("sqlite://{}", dir.path().join("kassa.db").display()),
                backend: "sqlite",
                dir,
                drop: None,
            },
            Some(admin) => {
                let name = format!("kassa_t_{:016x}", rand::random::<u64>());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL ({ENV}): {e}"));
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("CREATE DATABASE");
                let _ = conn.close().await;
                let mut url = reqwest::Url::parse(&admin).expect("a URL");
                url.set_path(&format!("/{name}"));
                TestDb {
                    url: url.to_string(),
                    backend: "postgres",
                    dir,
                    drop: Some((admin, name)),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.drop.is_some()
    }

    /// A scratch directory that lives as long as the database.
    pub fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for TestDb {
    /// Drops the PostgreSQL database, terminating whatever still holds a connection to it (a
    /// pool, a killed kassa's leftovers). On its own thread and runtime: `Drop` cannot await,
    /// and the test's runtime may be a current-thread one that is busy dropping us.
    fn drop(&mut self) {
        let Some((admin, name)) = self.drop.take() else {
            return;
        };
        let shown = name.clone();
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .ok()?;
                conn.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            // A throw-away cluster takes it away with everything else.
            eprintln!("note: test database {shown} was left behind");
        }
    }
}
