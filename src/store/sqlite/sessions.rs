//! Checkout sessions on SQLite.

use async_trait::async_trait;

use super::{SqliteStore, bind_args, is_unique_violation};
use crate::domain::environment::Tenant;
use crate::domain::list_query::{SessionQuery, SortField};
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::store::list_sql::{self, Arg};
use crate::store::rows::{self, SESSION_COLUMNS};
use crate::store::{SessionStore, StatusChange, StoreError, StoreResult};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let body = serde_json::to_string(&s.body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let configs = serde_json::to_string(&s.payment_configs)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let env = s.tenant.environment.as_str();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO checkout_tokens (client_id, environment, token) VALUES (?, ?, ?)")
            .bind(&s.tenant.client_id)
            .bind(env)
            .bind(&s.checkout_token)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Conflict("checkoutToken")
                } else {
                    e.into()
                }
            })?;
        sqlx::query(
            "INSERT INTO checkout_sessions (id, client_id, environment, checkout_token, \
             public_token, payment_link_id, status, deactivated, created_at, expires_at, \
             updated_at, duration_secs, success_url, failed_url, owner_identity_id, \
             total_sort_key, body, payment_configs) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.id)
        .bind(&s.tenant.client_id)
        .bind(env)
        .bind(&s.checkout_token)
        .bind(&s.public_token)
        .bind(&s.payment_link_id)
        .bind(s.status.as_str())
        .bind(i64::from(s.deactivated))
        .bind(s.created_at.millis())
        .bind(s.expires_at.millis())
        .bind(s.created_at.millis())
        .bind(s.duration_secs)
        .bind(&s.success_url)
        .bind(&s.failed_url)
        .bind(&s.body.owner.identity_id)
        .bind(&s.total_sort_key)
        .bind(body)
        .bind(configs)
        .execute(&mut *tx)
        .await?;
        for account in s.account_numbers() {
            sqlx::query(
                "INSERT INTO session_destinations (account_number, session_id) VALUES (?, ?) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(account)
            .bind(&s.id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_session(&self, t: &Tenant, id: &str) -> StoreResult<Option<SessionRecord>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions \
             WHERE id = ? AND client_id = ? AND environment = ?"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::session_from_row).transpose()
    }

    async fn list_sessions(
        &self,
        t: &Tenant,
        q: &SessionQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<SessionRecord>)> {
        let ph = |_: usize| "?".to_string();
        let w = list_sql::where_clause(&t.client_id, t.environment.as_str(), q, now, &ph);
        // One read transaction, so the total and the page come from the same snapshot.
        let mut tx = self.pool.begin().await?;
        let count_sql = format!("SELECT COUNT(*) FROM checkout_sessions {}", w.sql);
        let total: i64 = {
            let mut query = sqlx::query_scalar(&count_sql);
            for a in &w.args {
                query = match a {
                    Arg::Text(s) => query.bind(s.as_str()),
                    Arg::Int(i) => query.bind(*i),
                };
            }
            query.fetch_one(&mut *tx).await?
        };
        let page_sql = format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions {} {} LIMIT ? OFFSET ?",
            w.sql,
            list_sql::order_by(q, "?")
        );
        let mut query = bind_args(sqlx::query(&page_sql), &w.args);
        if matches!(q.sort, SortField::Status) {
            query = query.bind(now.millis());
        }
        let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
        let rows = query
            .bind(i64::from(q.limit))
            .bind(offset)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let page = rows
            .iter()
            .map(rows::session_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((u64::try_from(total).unwrap_or(0), page))
    }

    async fn transition_session(
        &self,
        t: &Tenant,
        id: &str,
        c: &StatusChange,
    ) -> StoreResult<bool> {
        // The guard on expires_at makes a session that has already timed out unwinnable for a
        // transition out of ATTEMPT/ACTIVE other than expiry itself.
        let expiry_guard = c.from.can_expire() && c.to != SessionStatus::Expired;
        let sql = format!(
            "UPDATE checkout_sessions SET status = ?, deactivated = MAX(deactivated, ?), \
             updated_at = ? WHERE id = ? AND client_id = ? AND environment = ? AND status = ?{}",
            if expiry_guard { " AND expires_at > ?" } else { "" }
        );
        let mut query = sqlx::query(&sql)
            .bind(c.to.as_str())
            .bind(i64::from(c.deactivate))
            .bind(c.now.millis())
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(c.from.as_str());
        if expiry_guard {
            query = query.bind(c.now.millis());
        }
        let done = query.execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }
}
