//! Every store trait, implemented once for any backend that has a sqlx pool. A backend only
//! says which pool and dialect it has, how its transactions begin, and how its expiry sweep
//! claims rows (`Pooled`); the statements are in `store::*_sql`, the multi-statement units of
//! work in `store::work`. This file: the trait, settings, API clients and exchange rates.

use async_trait::async_trait;
use futures_core::future::BoxFuture;
use sqlx::{Database, Executor, Pool, Transaction};

use crate::domain::environment::Environment;
use crate::domain::time::Timestamp;
use crate::store::rows::Decoders;
use crate::store::stmt::{self, Dialect, Driver, Stmt, insert_unique};
use crate::store::{
    ClientRecord, ClientStore, ExpiryEvents, RateRecord, RateStore, SettingsStore, StoreResult,
    client_sql, work,
};

mod links;
mod payments;
mod sessions;
mod webhooks;

/// A store backed by one sqlx pool.
pub trait Pooled: Send + Sync {
    type Db: Driver;
    const DIALECT: Dialect;

    fn pool(&self) -> &Pool<Self::Db>;

    /// A transaction that is going to write.
    fn begin_write(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Self::Db>>>;

    /// A read-only transaction whose statements all see one snapshot.
    fn begin_snapshot(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Self::Db>>>;

    /// `SessionStore::expire_due`: moves up to `batch` due sessions to EXPIRED, recording each
    /// change and its outbox events, each session at most once however many sweepers run.
    fn sweep_due<'a>(
        &'a self,
        now: Timestamp,
        batch: u32,
        events: &'a ExpiryEvents,
    ) -> BoxFuture<'a, StoreResult<Vec<String>>>;
}

/// Runs a list's count and page in one snapshot.
pub async fn count_and_page<S, T>(
    store: &S,
    stmts: (Stmt, Stmt),
    decode: impl Fn(&<S::Db as Database>::Row) -> StoreResult<T>,
) -> StoreResult<(u64, Vec<T>)>
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    let mut tx = store.begin_snapshot().await?;
    let page = stmt::count_and_page::<S::Db, _>(&mut tx, stmts, decode).await?;
    tx.commit().await?;
    Ok(page)
}

#[async_trait]
impl<S> SettingsStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    async fn setting_or_init(&self, key: &str, init: &str) -> StoreResult<String> {
        work::setting_or_init(self.pool(), S::DIALECT, key, init).await
    }
}

#[async_trait]
impl<S> ClientStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    async fn insert_client(&self, c: &ClientRecord) -> StoreResult<()> {
        let mut conn = self.pool().acquire().await?;
        let insert = client_sql::insert_client(S::DIALECT, c);
        insert_unique::<S::Db>(&mut conn, &insert, "client id or API key").await
    }

    async fn list_clients(&self) -> StoreResult<Vec<ClientRecord>> {
        client_sql::list_clients(S::DIALECT)
            .fetch_all(self.pool(), Decoders::client)
            .await
    }

    async fn count_clients(&self) -> StoreResult<i64> {
        let n = client_sql::count_clients(S::DIALECT)
            .count(self.pool())
            .await?;
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }

    async fn revoke_client(&self, id: &str, at: Timestamp) -> StoreResult<bool> {
        let found = client_sql::revoke_client(S::DIALECT, id, at)
            .fetch_optional(self.pool(), Decoders::text0)
            .await?;
        Ok(found.is_some())
    }

    async fn client_by_api_key_hash(&self, hash: &str) -> StoreResult<Option<ClientRecord>> {
        client_sql::client_by_api_key_hash(S::DIALECT, hash)
            .fetch_optional(self.pool(), Decoders::client)
            .await
    }
}

#[async_trait]
impl<S> RateStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    async fn upsert_rate(&self, r: &RateRecord) -> StoreResult<()> {
        client_sql::upsert_rate(S::DIALECT, r)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    async fn list_rates(&self, env: Option<Environment>) -> StoreResult<Vec<RateRecord>> {
        client_sql::list_rates(S::DIALECT, env)
            .fetch_all(self.pool(), Decoders::rate)
            .await
    }

    async fn rates_from(&self, env: Environment, from: &str) -> StoreResult<Vec<RateRecord>> {
        client_sql::rates_from(S::DIALECT, env, from)
            .fetch_all(self.pool(), Decoders::rate)
            .await
    }
}
