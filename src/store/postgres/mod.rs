//! PostgreSQL: the backend for several kassa processes sharing one database.
//!
//! The SQL is the shared statements of `store::*_sql` rendered with `$n` placeholders, run by
//! `store::pooled`; this module connects, begins transactions and claims due sessions (its own
//! SQL, in `sessions.rs`). What must happen once happens once whatever the number of
//! processes: every status change is a compare-and-set (`UPDATE … WHERE status = $n`, which a
//! concurrent writer re-checks after waiting for the row lock), a checkout token's uniqueness
//! is a primary key, settings are `INSERT … ON CONFLICT DO NOTHING` then `SELECT`, and the
//! expiry sweep claims its rows with `FOR UPDATE SKIP LOCKED`. Transactions run at READ
//! COMMITTED, except the list reads, which take one REPEATABLE READ snapshot so a page and its
//! total agree.

use std::str::FromStr;

use async_trait::async_trait;
use futures_core::future::BoxFuture;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, Postgres, Transaction};

use crate::domain::time::Timestamp;
use crate::store::db_url;
use crate::store::pooled::Pooled;
use crate::store::stmt::Dialect;
use crate::store::{ExpiryEvents, Store, StoreError, StoreOptions, StoreResult, migrations};

mod sessions;

const D: Dialect = Dialect::Postgres;

pub struct PgStore {
    pool: PgPool,
}

/// The read transaction of a list: its count and its page see one snapshot.
const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

impl PgStore {
    pub async fn open(url: &str, o: &StoreOptions) -> StoreResult<PgStore> {
        let secret = db_url::password(url);
        let scrub = |e: &dyn std::fmt::Display| db_url::scrub(&e.to_string(), secret.as_deref());
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unreachable(format!("bad PostgreSQL URL: {}", scrub(&e))))?
            .application_name("kassa");
        let server = match options.get_socket() {
            Some(dir) => format!("{} (socket {})", options.get_host(), dir.display()),
            None => format!("{}:{}", options.get_host(), options.get_port()),
        };
        // One connection first, bounded by the connect timeout, so an unreachable server is
        // one clear line at once rather than the pool's silent retries. It also runs the
        // migrations, without the statement timeout: a migration may rightly take longer.
        let first = tokio::time::timeout(
            o.connect_timeout,
            options
                .clone()
                .options([("statement_timeout", "0")])
                .connect(),
        )
        .await;
        let mut conn = match first {
            Ok(Ok(conn)) => conn,
            Ok(Err(e @ sqlx::Error::Database(_))) => {
                return Err(StoreError::Unreachable(format!(
                    "PostgreSQL at {server} refused the connection: {}",
                    scrub(&e)
                )));
            }
            Ok(Err(e)) => {
                return Err(StoreError::Unreachable(format!(
                    "cannot reach PostgreSQL at {server}: {}",
                    scrub(&e)
                )));
            }
            Err(_) => {
                return Err(StoreError::Unreachable(format!(
                    "cannot reach PostgreSQL at {server}: no answer within {} ms",
                    o.connect_timeout.as_millis()
                )));
            }
        };
        let migrated = migrations::apply(&mut conn, migrations::POSTGRES).await;
        let _ = conn.close().await;
        migrated?;
        let timeout_ms = o.statement_timeout.as_millis().to_string();
        let pool = PgPoolOptions::new()
            .max_connections(o.pool_size.max(1))
            .acquire_timeout(o.connect_timeout)
            .connect_lazy_with(options.options([("statement_timeout", timeout_ms.as_str())]));
        Ok(PgStore { pool })
    }
}

/// Every store trait comes from `store::pooled`; this says how PostgreSQL runs it.
impl Pooled for PgStore {
    type Db = Postgres;
    const DIALECT: Dialect = D;

    fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// READ COMMITTED: the compare-and-set guards, row locks and unique keys make every
    /// write race-safe without serializable isolation (and its retries).
    fn begin_write(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Postgres>>> {
        Box::pin(async move { Ok(self.pool.begin().await?) })
    }

    /// Each READ COMMITTED statement takes its own snapshot; a list's count and page must
    /// share one.
    fn begin_snapshot(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Postgres>>> {
        Box::pin(async move { Ok(self.pool.begin_with(BEGIN_SNAPSHOT).await?) })
    }

    fn sweep_due<'a>(
        &'a self,
        now: Timestamp,
        batch: u32,
        events: &'a ExpiryEvents,
    ) -> BoxFuture<'a, StoreResult<Vec<String>>> {
        Box::pin(sessions::sweep_due(self, now, batch, events))
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }
}
