//! The embedded default: one SQLite file in WAL mode.
//!
//! Writers take SQLite's single write lock; `busy_timeout` makes a second writer wait for it
//! instead of failing. Every multi-row write is one transaction whose first statement writes,
//! so it never has to upgrade a read lock (the case SQLite answers with SQLITE_BUSY at once).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use futures_core::future::BoxFuture;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::domain::time::Timestamp;
use crate::store::pooled::Pooled;
use crate::store::stmt::Dialect;
use crate::store::{ExpiryEvents, Store, StoreResult, migrations};

mod sessions;

const D: Dialect = Dialect::Sqlite;

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn open(url: &str, pool_size: u32) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL survives a process crash; only an OS crash can lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(pool_size.max(1))
            .connect_with(options)
            .await?;
        migrations::apply(&mut *pool.acquire().await?, migrations::SQLITE).await?;
        Ok(SqliteStore { pool })
    }
}

/// Every store trait comes from `store::pooled`; this says how SQLite runs it.
impl Pooled for SqliteStore {
    type Db = Sqlite;
    const DIALECT: Dialect = D;

    fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Takes the write lock at once (see the module comment).
    fn begin_write(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Sqlite>>> {
        Box::pin(async move { Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?) })
    }

    /// A deferred transaction reads one snapshot in WAL mode.
    fn begin_snapshot(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Sqlite>>> {
        Box::pin(async move { Ok(self.pool.begin().await?) })
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
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}
