//! Migrations embedded in the binary, so `kassa serve` needs no files beside it.
//!
//! They run through sqlx's migrator (checksums, a lock, one transaction each). A database that
//! has a migration this binary does not know was written by a newer kassa: the migrator refuses
//! it, and startup says so instead of guessing.

use std::borrow::Cow;

use futures_core::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migrate, MigrateError, Migration, MigrationSource, MigrationType, Migrator};

use crate::store::{StoreError, StoreResult};

#[derive(Debug)]
pub struct Embedded(pub &'static [(i64, &'static str, &'static str)]);

pub const SQLITE: Embedded = Embedded(&[
    (
        1,
        "initial",
        include_str!("../../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "payments",
        include_str!("../../migrations/sqlite/0002_payments.sql"),
    ),
    (
        3,
        "payment_links",
        include_str!("../../migrations/sqlite/0003_payment_links.sql"),
    ),
    (
        4,
        "webhooks",
        include_str!("../../migrations/sqlite/0004_webhooks.sql"),
    ),
    (
        5,
        "list_indexes",
        include_str!("../../migrations/sqlite/0005_list_indexes.sql"),
    ),
]);

/// Mirrors `SQLITE` version for version: the same schema in PostgreSQL's types.
pub const POSTGRES: Embedded = Embedded(&[
    (
        1,
        "initial",
        include_str!("../../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "payments",
        include_str!("../../migrations/postgres/0002_payments.sql"),
    ),
    (
        3,
        "payment_links",
        include_str!("../../migrations/postgres/0003_payment_links.sql"),
    ),
    (
        4,
        "webhooks",
        include_str!("../../migrations/postgres/0004_webhooks.sql"),
    ),
    (
        5,
        "list_indexes",
        include_str!("../../migrations/postgres/0005_list_indexes.sql"),
    ),
]);

impl Embedded {
    /// The newest schema version this binary knows.
    pub fn latest(&self) -> i64 {
        self.0.iter().map(|(v, _, _)| *v).max().unwrap_or(0)
    }
}

/// Brings the schema on `conn` up to `source`. A database with a migration this binary does
/// not know was migrated by a newer kassa: that is refused with both versions named, because
/// running old code on a newer schema could write rows the newer code misreads.
pub async fn apply<C: Migrate>(conn: &mut C, source: Embedded) -> StoreResult<()> {
    let binary = source.latest();
    match Migrator::new(source).await?.run_direct(conn).await {
        Err(MigrateError::VersionMissing(unknown)) => {
            let database = conn
                .list_applied_migrations()
                .await?
                .iter()
                .map(|m| m.version)
                .max()
                .unwrap_or(unknown);
            Err(StoreError::SchemaTooNew { database, binary })
        }
        other => Ok(other?),
    }
}

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, name, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*name),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}
