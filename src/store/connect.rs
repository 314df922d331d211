//! Opening a store: the options that come from configuration, and the backend that the
//! database URL's scheme names.

use std::sync::Arc;
use std::time::Duration;

use crate::store::{DynStore, StoreError, StoreResult, db_url, postgres, sqlite};

/// How to open a store, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Connections per process.
    pub pool_size: u32,
    /// PostgreSQL: the server cancels any statement running longer, so a stuck query frees
    /// its connection instead of starving the pool. Zero turns it off.
    pub statement_timeout: Duration,
    /// PostgreSQL: how long to wait for a connection, at start and from the pool.
    pub connect_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            pool_size: 8,
            statement_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Opens the store that `url` names, creating and migrating it, with default options.
pub async fn open(url: &str, pool_size: u32) -> StoreResult<DynStore> {
    let options = StoreOptions {
        pool_size,
        ..StoreOptions::default()
    };
    open_with(url, &options).await
}

/// Opens the store that `url` names (`sqlite:…`, `postgres://…` or `postgresql://…`),
/// creating and migrating it.
pub async fn open_with(url: &str, options: &StoreOptions) -> StoreResult<DynStore> {
    match db_url::Backend::of(url) {
        Some(db_url::Backend::Sqlite) => Ok(Arc::new(
            sqlite::SqliteStore::open(url, options.pool_size).await?,
        )),
        Some(db_url::Backend::Postgres) => {
            Ok(Arc::new(postgres::PgStore::open(url, options).await?))
        }
        None => Err(StoreError::UnsupportedUrl(db_url::redact(url))),
    }
}
