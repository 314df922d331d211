//! Payments on SQLite. A payment and the session status it implies are always written in one
//! transaction, so a session can never be FINISHED without its captured payment or the reverse.

use async_trait::async_trait;

use super::SqliteStore;
use super::sessions::cas;
use crate::domain::environment::Tenant;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_record::PaymentRecord;
use crate::domain::time::Timestamp;
use crate::store::rows::{self, PAYMENT_COLUMNS};
use crate::store::{PaymentStore, StatusChange, StoreError, StoreResult};

fn json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[async_trait]
impl PaymentStore for SqliteStore {
    async fn begin_payment(&self, c: &StatusChange, p: &PaymentRecord) -> StoreResult<bool> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if !cas(&mut tx, &p.tenant, &p.session_id, c, None).await? {
            // Nothing was written; dropping the transaction rolls it back.
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO payments (id, client_id, environment, checkout_session_id, status, \
             method, created_at, updated_at, failure_reason, history, body) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&p.id)
        .bind(&p.tenant.client_id)
        .bind(p.tenant.environment.as_str())
        .bind(&p.session_id)
        .bind(p.status.as_str())
        .bind(&p.method)
        .bind(p.created_at.millis())
        .bind(p.updated_at.millis())
        .bind(&p.failure_reason)
        .bind(json(&p.history)?)
        .bind(json(&p.body)?)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn settle_payment(
        &self,
        p: &PaymentRecord,
        to: PaymentStatus,
        failure_reason: Option<&str>,
        session_change: Option<&StatusChange>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query(
            "UPDATE payments SET status = ?, updated_at = ?, history = ?, \
             failure_reason = COALESCE(?, failure_reason) \
             WHERE id = ? AND client_id = ? AND environment = ? AND status = ?",
        )
        .bind(to.as_str())
        .bind(now.millis())
        .bind(json(&p.history_with(to, now))?)
        .bind(failure_reason)
        .bind(&p.id)
        .bind(&p.tenant.client_id)
        .bind(p.tenant.environment.as_str())
        .bind(p.status.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(c) = session_change {
            if !cas(&mut tx, &p.tenant, &p.session_id, c, None).await? {
                // The payment decides the session while it is PROCESSING_PAYMENT, and nothing
                // else may move it then; finding it elsewhere means the data is inconsistent,
                // so refuse the whole change rather than half-apply it.
                return Err(StoreError::Corrupt(format!(
                    "session {} was not {} when its payment {} moved to {to}",
                    p.session_id, c.from, p.id
                )));
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn get_payment(&self, t: &Tenant, id: &str) -> StoreResult<Option<PaymentRecord>> {
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = ? AND client_id = ? AND environment = ?"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::payment_from_row).transpose()
    }

    async fn list_payments(
        &self,
        t: &Tenant,
        session_id: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(u64, Vec<PaymentRecord>)> {
        let filter = "WHERE client_id = ? AND environment = ? \
                      AND (? IS NULL OR checkout_session_id = ?)";
        let mut tx = self.pool.begin().await?;
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM payments {filter}"))
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(session_id)
            .bind(session_id)
            .fetch_one(&mut *tx)
            .await?;
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments {filter} \
             ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        );
        let rows = sqlx::query(&sql)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(session_id)
            .bind(session_id)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let page = rows
            .iter()
            .map(rows::payment_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((u64::try_from(total).unwrap_or(0), page))
    }
}
