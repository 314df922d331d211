//! Checkout sessions on PostgreSQL.

use async_trait::async_trait;
use sqlx::Postgres;
use sqlx::Row;

use super::{D, PgStore};
use crate::domain::environment::Tenant;
use crate::domain::list_query::SessionQuery;
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::session::SessionRecord;
use crate::domain::time::Timestamp;
use crate::store::pooled::Pooled;
use crate::store::rows::{self, SESSION_COLUMNS};
use crate::store::session_sql as sql;
use crate::store::stmt::{Stmt, args};
use crate::store::{ExpiryEvents, SessionStore, StatusChange, StoreResult, work};

#[async_trait]
impl SessionStore for PgStore {
    async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let stmts = sql::insert_session(D, s)?;
        let mut tx = self.begin_write().await?;
        work::insert_with_token::<Postgres>(&mut tx, D, &s.tenant, &s.checkout_token, stmts)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_session(&self, t: &Tenant, id: &str) -> StoreResult<Option<SessionRecord>> {
        sql::get_session(D, t, id)
            .fetch_optional(&self.pool, rows::session_from_row)
            .await
    }

    async fn list_sessions(
        &self,
        t: &Tenant,
        q: &SessionQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<SessionRecord>)> {
        self.count_and_page(sql::list_sessions(D, t, q, now), rows::session_from_row)
            .await
    }

    async fn transition_session(
        &self,
        t: &Tenant,
        id: &str,
        c: &StatusChange,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let won = work::cas::<Postgres>(&mut tx, D, t, id, c, None).await?;
        tx.commit().await?;
        Ok(won)
    }

    async fn session_by_token(
        &self,
        t: &Tenant,
        token: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        sql::session_by_token(D, t, token)
            .fetch_optional(&self.pool, rows::session_from_row)
            .await
    }

    async fn session_by_public_token(
        &self,
        public_token: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        sql::session_by_public_token(D, public_token)
            .fetch_optional(&self.pool, rows::session_from_row)
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
        let mut tx = self.begin_write().await?;
        let won = work::cas::<Postgres>(&mut tx, D, t, id, c, Some((expires_at, configs))).await?;
        tx.commit().await?;
        Ok(won)
    }

    async fn expire_due(
        &self,
        now: Timestamp,
        batch: u32,
        events: &ExpiryEvents,
    ) -> StoreResult<Vec<String>> {
        // One statement claims, moves and audits a batch: `FOR UPDATE SKIP LOCKED` hands each
        // due row to exactly one of the sweepers running in every process (a row another
        // transaction holds is left to it, or to the next tick), and the locked row's status
        // cannot change under the UPDATE that follows. The outbox rows join the same
        // transaction, so an expiry and its webhook are committed together or not at all.
        let claim = Stmt::new(
            D,
            &format!(
                "WITH due AS ( \
                     SELECT id AS due_id, status AS from_status FROM checkout_sessions \
                     WHERE status IN ('ATTEMPT', 'ACTIVE') AND expires_at <= ? \
                     ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED), \
                 moved AS ( \
                     UPDATE checkout_sessions SET status = 'EXPIRED', updated_at = ? FROM due \
                     WHERE id = due.due_id AND status = due.from_status \
                     RETURNING from_status, {SESSION_COLUMNS}), \
                 audit AS ( \
                     INSERT INTO session_status_changes (session_id, from_status, to_status, at) \
                     SELECT id, from_status, 'EXPIRED', ? FROM moved) \
                 SELECT {SESSION_COLUMNS} FROM moved"
            ),
            args![now, i64::from(batch), now, now],
        );
        let mut tx = self.begin_write().await?;
        let expired = claim.fetch_all(&mut *tx, rows::session_from_row).await?;
        for session in &expired {
            work::insert_events::<Postgres>(&mut tx, D, &events(session)).await?;
        }
        tx.commit().await?;
        Ok(expired.into_iter().map(|s| s.id).collect())
    }

    async fn status_changes(
        &self,
        session_id: &str,
    ) -> StoreResult<Vec<(String, String, Timestamp)>> {
        sql::status_changes(D, session_id)
            .fetch_all(&self.pool, |r| {
                Ok((
                    r.try_get("from_status")?,
                    r.try_get("to_status")?,
                    Timestamp::from_millis(r.try_get("at")?),
                ))
            })
            .await
    }
}
