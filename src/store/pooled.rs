//! The resources whose every statement is the same on both backends — settings, API clients,
//! exchange rates and payment links — implemented once for any store that has a sqlx pool.
//! A backend only says which pool and dialect it has and how a write transaction begins
//! (`Pooled`); the statements are in `*_sql`, the multi-statement work in `work`.

use async_trait::async_trait;
use futures_core::future::BoxFuture;
use sqlx::{ColumnIndex, Database, Decode, Executor, Pool, Transaction, Type};

use crate::domain::environment::{Environment, Tenant};
use crate::domain::link_query::LinkQuery;
use crate::domain::payment_link::{LinkRecord, LinkStatus};
use crate::domain::time::Timestamp;
use crate::store::stmt::{self, Dialect, Driver, Stmt, insert_unique};
use crate::store::{
    ClientRecord, ClientStore, LinkSeen, LinkStore, RateRecord, RateStore, SettingsStore,
    StoreResult, client_sql, link_sql, rows, work,
};

/// A store backed by one sqlx pool.
pub trait Pooled: Send + Sync {
    type Db: Driver;
    const DIALECT: Dialect;

    fn pool(&self) -> &Pool<Self::Db>;

    /// A transaction that is going to write.
    fn begin_write(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Self::Db>>>;

    /// A read-only transaction whose statements all see one snapshot.
    fn begin_snapshot(&self) -> BoxFuture<'_, StoreResult<Transaction<'static, Self::Db>>>;
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
    &'static str: ColumnIndex<<S::Db as Database>::Row>,
    for<'r> String: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> Option<String>: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> i64: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> Option<i64>: Decode<'r, S::Db> + Type<S::Db>,
{
    async fn insert_client(&self, c: &ClientRecord) -> StoreResult<()> {
        let mut conn = self.pool().acquire().await?;
        let insert = client_sql::insert_client(S::DIALECT, c);
        insert_unique::<S::Db>(&mut conn, &insert, "client id or API key").await
    }

    async fn list_clients(&self) -> StoreResult<Vec<ClientRecord>> {
        client_sql::list_clients(S::DIALECT)
            .fetch_all(self.pool(), rows::client_from_row)
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
            .fetch_optional(self.pool(), S::Db::first_text)
            .await?;
        Ok(found.is_some())
    }

    async fn client_by_api_key_hash(&self, hash: &str) -> StoreResult<Option<ClientRecord>> {
        client_sql::client_by_api_key_hash(S::DIALECT, hash)
            .fetch_optional(self.pool(), rows::client_from_row)
            .await
    }
}

#[async_trait]
impl<S> RateStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
    &'static str: ColumnIndex<<S::Db as Database>::Row>,
    for<'r> String: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> Option<String>: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> i64: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> Option<i64>: Decode<'r, S::Db> + Type<S::Db>,
{
    async fn upsert_rate(&self, r: &RateRecord) -> StoreResult<()> {
        client_sql::upsert_rate(S::DIALECT, r)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    async fn list_rates(&self, env: Option<Environment>) -> StoreResult<Vec<RateRecord>> {
        client_sql::list_rates(S::DIALECT, env)
            .fetch_all(self.pool(), rows::rate_from_row)
            .await
    }

    async fn rates_from(&self, env: Environment, from: &str) -> StoreResult<Vec<RateRecord>> {
        client_sql::rates_from(S::DIALECT, env, from)
            .fetch_all(self.pool(), rows::rate_from_row)
            .await
    }
}

#[async_trait]
impl<S> LinkStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
    &'static str: ColumnIndex<<S::Db as Database>::Row>,
    for<'r> String: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> Option<String>: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> i64: Decode<'r, S::Db> + Type<S::Db>,
    for<'r> Option<i64>: Decode<'r, S::Db> + Type<S::Db>,
{
    async fn insert_link(&self, l: &LinkRecord) -> StoreResult<()> {
        let stmts = link_sql::insert_link(S::DIALECT, l)?;
        let mut tx = self.begin_write().await?;
        work::insert_with_token::<S::Db>(&mut tx, S::DIALECT, &l.tenant, &l.checkout_token, stmts)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_link(&self, t: &Tenant, id: &str) -> StoreResult<Option<LinkRecord>> {
        link_sql::get_link(S::DIALECT, t, id)
            .fetch_optional(self.pool(), rows::link_from_row)
            .await
    }

    async fn link_by_token(&self, t: &Tenant, token: &str) -> StoreResult<Option<LinkRecord>> {
        link_sql::link_by_token(S::DIALECT, t, token)
            .fetch_optional(self.pool(), rows::link_from_row)
            .await
    }

    async fn list_links(
        &self,
        t: &Tenant,
        q: &LinkQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<LinkRecord>)> {
        let stmts = link_sql::list_links(S::DIALECT, t, q, now);
        count_and_page(self, stmts, rows::link_from_row).await
    }

    async fn transition_link(
        &self,
        t: &Tenant,
        id: &str,
        seen: &LinkSeen,
        to: LinkStatus,
    ) -> StoreResult<bool> {
        let done = link_sql::transition_link(S::DIALECT, t, id, seen, to)
            .execute(self.pool())
            .await?;
        Ok(done == 1)
    }

    async fn delete_link(&self, t: &Tenant, id: &str, seen: &LinkSeen) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let won = work::delete_link::<S::Db>(&mut tx, S::DIALECT, t, id, seen).await?;
        if won {
            tx.commit().await?;
        }
        Ok(won)
    }
}
