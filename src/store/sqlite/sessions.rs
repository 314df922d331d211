//! Checkout sessions on SQLite.

use async_trait::async_trait;

use super::{SqliteStore, bind_args, is_unique_violation};
use crate::domain::environment::Tenant;
use sqlx::SqliteConnection;

use crate::domain::list_query::{SessionQuery, SortField};
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::store::list_sql::{self, Arg};
use crate::store::rows::{self, SESSION_COLUMNS};
use crate::store::{SessionStore, StatusChange, StoreError, StoreResult};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let body =
            serde_json::to_string(&s.body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let configs = serde_json::to_string(&s.payment_configs)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let env = s.tenant.environment.as_str();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let won = cas(&mut tx, t, id, c, None).await?;
        tx.commit().await?;
        Ok(won)
    }

    async fn session_by_token(
        &self,
        t: &Tenant,
        token: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions \
             WHERE client_id = ? AND environment = ? AND checkout_token = ?"
        );
        let row = sqlx::query(&sql)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(token)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::session_from_row).transpose()
    }

    async fn session_by_public_token(
        &self,
        public_token: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM checkout_sessions WHERE public_token = ?");
        let row = sqlx::query(&sql)
            .bind(public_token)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::session_from_row).transpose()
    }

    async fn refresh_session(
        &self,
        t: &Tenant,
        id: &str,
        c: &StatusChange,
        expires_at: Timestamp,
        configs: &[CurrencyConfig],
    ) -> StoreResult<bool> {
        let configs =
            serde_json::to_string(configs).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let won = cas(&mut tx, t, id, c, Some((expires_at, &configs))).await?;
        tx.commit().await?;
        Ok(won)
    }

    async fn expire_due(&self, now: Timestamp, batch: u32) -> StoreResult<Vec<String>> {
        // SQLite has one writer at a time, so claiming is simply doing it inside one IMMEDIATE
        // transaction; the status guard still makes each change happen once.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let due: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, status FROM checkout_sessions \
             WHERE status IN ('ATTEMPT', 'ACTIVE') AND expires_at <= ? \
             ORDER BY expires_at LIMIT ?",
        )
        .bind(now.millis())
        .bind(i64::from(batch))
        .fetch_all(&mut *tx)
        .await?;
        let mut expired = Vec::with_capacity(due.len());
        for (id, status) in due {
            let done = sqlx::query(
                "UPDATE checkout_sessions SET status = 'EXPIRED', updated_at = ? \
                 WHERE id = ? AND status = ?",
            )
            .bind(now.millis())
            .bind(&id)
            .bind(&status)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                record_change(&mut tx, &id, &status, "EXPIRED", now).await?;
                expired.push(id);
            }
        }
        tx.commit().await?;
        Ok(expired)
    }

    async fn status_changes(
        &self,
        session_id: &str,
    ) -> StoreResult<Vec<(String, String, Timestamp)>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT from_status, to_status, at FROM session_status_changes \
             WHERE session_id = ? ORDER BY id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(f, t, at)| (f, t, Timestamp::from_millis(at)))
            .collect())
    }
}

/// The compare-and-set every session status change goes through, inside the caller's
/// transaction: it moves the row only if it is still in `c.from` and records the change.
/// With `refresh`, it also sets a new expiry and payment configs.
pub(super) async fn cas(
    conn: &mut SqliteConnection,
    t: &Tenant,
    id: &str,
    c: &StatusChange,
    refresh: Option<(Timestamp, &str)>,
) -> StoreResult<bool> {
    // A session that has already timed out cannot leave ATTEMPT/ACTIVE any way but expiry (or
    // a refresh, which exists to revive it).
    let expiry_guard = c.from.can_expire() && c.to != SessionStatus::Expired && refresh.is_none();
    let sql = format!(
        "UPDATE checkout_sessions SET status = ?, deactivated = MAX(deactivated, ?), \
         updated_at = ?{} WHERE id = ? AND client_id = ? AND environment = ? AND status = ?{}",
        if refresh.is_some() {
            ", expires_at = ?, payment_configs = ?"
        } else {
            ""
        },
        if expiry_guard {
            " AND expires_at > ?"
        } else {
            ""
        }
    );
    let mut query = sqlx::query(&sql)
        .bind(c.to.as_str())
        .bind(i64::from(c.deactivate))
        .bind(c.now.millis());
    if let Some((expires_at, configs)) = refresh {
        query = query.bind(expires_at.millis()).bind(configs);
    }
    query = query
        .bind(id)
        .bind(&t.client_id)
        .bind(t.environment.as_str())
        .bind(c.from.as_str());
    if expiry_guard {
        query = query.bind(c.now.millis());
    }
    let won = query.execute(&mut *conn).await?.rows_affected() == 1;
    if won {
        record_change(conn, id, c.from.as_str(), c.to.as_str(), c.now).await?;
    }
    Ok(won)
}

pub(super) async fn record_change(
    conn: &mut SqliteConnection,
    id: &str,
    from: &str,
    to: &str,
    at: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO session_status_changes (session_id, from_status, to_status, at) \
         VALUES (?, ?, ?, ?)",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(at.millis())
    .execute(conn)
    .await?;
    Ok(())
}
