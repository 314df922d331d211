//! Checkout sessions on SQLite.

use async_trait::async_trait;

use sqlx::{Row, Sqlite, SqliteConnection};

use super::webhooks::insert_events;
use super::{D, SqliteStore};
use crate::domain::environment::Tenant;
use crate::domain::list_query::SessionQuery;
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::store::pooled::Pooled;
use crate::store::rows::{self, SESSION_COLUMNS};
use crate::store::session_sql as sql;
use crate::store::{ExpiryEvents, SessionStore, StatusChange, StoreResult, work};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let stmts = sql::insert_session(D, s)?;
        let mut tx = self.begin_write().await?;
        work::insert_with_token::<Sqlite>(&mut tx, D, &s.tenant, &s.checkout_token, stmts).await?;
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
        let won = work::cas::<Sqlite>(&mut tx, D, t, id, c, None).await?;
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
        let won = work::cas::<Sqlite>(&mut tx, D, t, id, c, Some((expires_at, configs))).await?;
        tx.commit().await?;
        Ok(won)
    }

    async fn expire_due(
        &self,
        now: Timestamp,
        batch: u32,
        events: &ExpiryEvents,
    ) -> StoreResult<Vec<String>> {
        // SQLite has one writer at a time, so claiming is simply doing it inside one IMMEDIATE
        // transaction; the status guard still makes each change happen once.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions \
             WHERE status IN ('ATTEMPT', 'ACTIVE') AND expires_at <= ? \
             ORDER BY expires_at LIMIT ?"
        );
        let due = sqlx::query(&sql)
            .bind(now.millis())
            .bind(i64::from(batch))
            .fetch_all(&mut *tx)
            .await?;
        let mut expired = Vec::with_capacity(due.len());
        for row in &due {
            let mut session = rows::session_from_row(row)?;
            let done = sqlx::query(
                "UPDATE checkout_sessions SET status = 'EXPIRED', updated_at = ? \
                 WHERE id = ? AND status = ?",
            )
            .bind(now.millis())
            .bind(&session.id)
            .bind(session.status.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                record_change(
                    &mut tx,
                    &session.id,
                    session.status.as_str(),
                    "EXPIRED",
                    now,
                )
                .await?;
                session.status = SessionStatus::Expired;
                insert_events(&mut tx, &events(&session)).await?;
                expired.push(session.id);
            }
        }
        tx.commit().await?;
        Ok(expired)
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

/// The audit row of a change the sweep made (other changes go through `store::work::cas`).
pub(super) async fn record_change(
    conn: &mut SqliteConnection,
    id: &str,
    from: &str,
    to: &str,
    at: Timestamp,
) -> StoreResult<()> {
    sql::record_change(D, id, from, to, at)
        .execute(conn)
        .await?;
    Ok(())
}
