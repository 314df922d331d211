//! Checkout sessions, on any pooled backend. Only the expiry sweep's claim differs between
//! backends (`Pooled::sweep_due`).

use async_trait::async_trait;
use sqlx::{Database, Executor};

use super::{Pooled, count_and_page};
use crate::domain::environment::Tenant;
use crate::domain::list_query::SessionQuery;
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::session::SessionRecord;
use crate::domain::time::Timestamp;
use crate::store::rows::Decoders;
use crate::store::{ExpiryEvents, SessionStore, StatusChange, StoreResult, session_sql, work};

#[async_trait]
impl<S> SessionStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let stmts = session_sql::insert_session(S::DIALECT, s)?;
        let mut tx = self.begin_write().await?;
        work::insert_with_token::<S::Db>(&mut tx, S::DIALECT, &s.tenant, &s.checkout_token, stmts)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_session(&self, t: &Tenant, id: &str) -> StoreResult<Option<SessionRecord>> {
        session_sql::get_session(S::DIALECT, t, id)
            .fetch_optional(self.pool(), Decoders::session)
            .await
    }

    async fn list_sessions(
        &self,
        t: &Tenant,
        q: &SessionQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<SessionRecord>)> {
        let stmts = session_sql::list_sessions(S::DIALECT, t, q, now);
        count_and_page(self, stmts, Decoders::session).await
    }

    async fn transition_session(
        &self,
        t: &Tenant,
        id: &str,
        c: &StatusChange,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let won = work::cas::<S::Db>(&mut tx, S::DIALECT, t, id, c, None).await?;
        tx.commit().await?;
        Ok(won)
    }

    async fn session_by_token(
        &self,
        t: &Tenant,
        token: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        session_sql::session_by_token(S::DIALECT, t, token)
            .fetch_optional(self.pool(), Decoders::session)
            .await
    }

    async fn session_by_public_token(
        &self,
        public_token: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        session_sql::session_by_public_token(S::DIALECT, public_token)
            .fetch_optional(self.pool(), Decoders::session)
            .await
    }

    async fn refresh_session(
        &self,
        t: &Tenant,
        id: &str,
        c: &StatusChange,
        expires_at: Timestamp,
        configs: &[CurrencyConfig],
    ) -> StoreResult<bool> {
        let refresh = Some((expires_at, configs));
        let mut tx = self.begin_write().await?;
        let won = work::cas::<S::Db>(&mut tx, S::DIALECT, t, id, c, refresh).await?;
        tx.commit().await?;
        Ok(won)
    }

    async fn expire_due(
        &self,
        now: Timestamp,
        batch: u32,
        events: &ExpiryEvents,
    ) -> StoreResult<Vec<String>> {
        self.sweep_due(now, batch, events).await
    }

    async fn status_changes(
        &self,
        session_id: &str,
    ) -> StoreResult<Vec<(String, String, Timestamp)>> {
        session_sql::status_changes(S::DIALECT, session_id)
            .fetch_all(self.pool(), Decoders::status_change)
            .await
    }
}
