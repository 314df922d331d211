//! Migrations embedded in the binary, so `kassa serve` needs no files beside it.
//!
//! They run through sqlx's migrator (checksums, a lock, one transaction each). A database that
//! has a migration this binary does not know was written by a newer kassa: the migrator refuses
//! it, and startup says so instead of guessing.

use std::borrow::Cow;

use futures_core::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

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
]);

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

pub async fn migrator(source: Embedded) -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(source).await
}
