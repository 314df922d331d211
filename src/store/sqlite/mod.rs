//! The embedded default: one SQLite file in WAL mode.
//!
//! Writers take SQLite's single write lock; `busy_timeout` makes a second writer wait for it
//! instead of failing. Every multi-row write is one transaction whose first statement writes,
//! so it never has to upgrade a read lock (the case SQLite answers with SQLITE_BUSY at once).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::store::list_sql::Arg;
use crate::store::{SettingsStore, Store, StoreResult, migrations};

mod clients;
mod links;
mod payments;
mod sessions;

pub struct SqliteStore {
    pool: SqlitePool,
}

/// SQLite's extended result code for a violated PRIMARY KEY or UNIQUE constraint.
pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
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
        migrations::migrator(migrations::SQLITE)
            .await?
            .run(&pool)
            .await?;
        Ok(SqliteStore { pool })
    }
}

pub(super) fn bind_args<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    for a in args {
        query = match a {
            Arg::Text(s) => query.bind(s.as_str()),
            Arg::Int(i) => query.bind(*i),
        };
    }
    query
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

#[async_trait]
impl SettingsStore for SqliteStore {
    async fn setting_or_init(&self, key: &str, init: &str) -> StoreResult<String> {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(init)
            .execute(&self.pool)
            .await?;
        let value: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(value)
    }
}
