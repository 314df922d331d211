//! Webhook endpoints, the outbox and the delivery log on SQLite.

use async_trait::async_trait;
use sqlx::{Row, SqliteConnection};

use super::SqliteStore;
use crate::domain::environment::Tenant;
use crate::domain::time::Timestamp;
use crate::domain::webhook::NewEvent;
use crate::store::rows::{self, EVENT_COLUMNS};
use crate::store::{
    AttemptOutcome, AttemptRecord, EndpointRecord, EventRecord, StoreError, StoreResult,
    WebhookStore,
};

/// Writes events to the outbox inside the caller's transaction.
pub(super) async fn insert_events(
    conn: &mut SqliteConnection,
    events: &[NewEvent],
) -> StoreResult<()> {
    for e in events {
        let data =
            serde_json::to_string(&e.data).map_err(|err| StoreError::Corrupt(err.to_string()))?;
        sqlx::query(
            "INSERT INTO webhook_events (id, client_id, environment, event, data, created_at, \
             next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&e.id)
        .bind(&e.tenant.client_id)
        .bind(e.tenant.environment.as_str())
        .bind(e.event)
        .bind(data)
        .bind(e.created_at.millis())
        .bind(e.created_at.millis())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl WebhookStore for SqliteStore {
    async fn upsert_endpoint(&self, e: &EndpointRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO webhook_endpoints (client_id, environment, url, secret, previous_secret, \
             previous_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (client_id, environment) DO UPDATE SET url = excluded.url, \
             secret = excluded.secret, previous_secret = excluded.previous_secret, \
             previous_expires_at = excluded.previous_expires_at, updated_at = excluded.updated_at",
        )
        .bind(&e.tenant.client_id)
        .bind(e.tenant.environment.as_str())
        .bind(&e.url)
        .bind(&e.secret)
        .bind(&e.previous_secret)
        .bind(e.previous_expires_at.map(Timestamp::millis))
        .bind(e.created_at.millis())
        .bind(e.updated_at.millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_endpoint(&self, t: &Tenant) -> StoreResult<Option<EndpointRecord>> {
        let row = sqlx::query(
            "SELECT url, secret, previous_secret, previous_expires_at, created_at, updated_at \
             FROM webhook_endpoints WHERE client_id = ? AND environment = ?",
        )
        .bind(&t.client_id)
        .bind(t.environment.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| -> StoreResult<EndpointRecord> {
            Ok(EndpointRecord {
                tenant: t.clone(),
                url: r.try_get("url")?,
                secret: r.try_get("secret")?,
                previous_secret: r.try_get("previous_secret")?,
                previous_expires_at: r
                    .try_get::<Option<i64>, _>("previous_expires_at")?
                    .map(Timestamp::from_millis),
                created_at: Timestamp::from_millis(r.try_get("created_at")?),
                updated_at: Timestamp::from_millis(r.try_get("updated_at")?),
            })
        })
        .transpose()
    }

    async fn claim_due_events(
        &self,
        now: Timestamp,
        batch: u32,
        lease_until: Timestamp,
    ) -> StoreResult<Vec<EventRecord>> {
        // One writer at a time on SQLite: the IMMEDIATE transaction is the claim's lock.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let sql = format!(
            "UPDATE webhook_events SET locked_until = ? WHERE id IN (SELECT id FROM webhook_events \
             WHERE status = 'pending' AND next_attempt_at <= ? \
             AND (locked_until IS NULL OR locked_until <= ?) ORDER BY next_attempt_at LIMIT ?) \
             RETURNING {EVENT_COLUMNS}"
        );
        let rows = sqlx::query(&sql)
            .bind(lease_until.millis())
            .bind(now.millis())
            .bind(now.millis())
            .bind(i64::from(batch))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        rows.iter().map(rows::event_from_row).collect()
    }

    async fn record_attempt(
        &self,
        event_id: &str,
        a: &AttemptRecord,
        outcome: AttemptOutcome,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO webhook_attempts (event_id, at, url, status_code, latency_ms, error) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(event_id)
        .bind(a.at.millis())
        .bind(&a.url)
        .bind(a.status_code.map(i64::from))
        .bind(a.latency_ms)
        .bind(&a.error)
        .execute(&mut *tx)
        .await?;
        let (status, next, delivered) = match outcome {
            AttemptOutcome::Delivered => ("delivered", None, Some(a.at.millis())),
            AttemptOutcome::RetryAt(t) => ("pending", Some(t.millis()), None),
            AttemptOutcome::GiveUp => ("failed", None, None),
        };
        sqlx::query(
            "UPDATE webhook_events SET status = ?, next_attempt_at = ?, \
             delivered_at = COALESCE(?, delivered_at), attempts = attempts + 1, \
             last_error = ?, locked_until = NULL WHERE id = ?",
        )
        .bind(status)
        .bind(next)
        .bind(delivered)
        .bind(&a.error)
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_events(
        &self,
        t: &Tenant,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(u64, Vec<EventRecord>)> {
        let mut tx = self.pool.begin().await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_events WHERE client_id = ? AND environment = ?",
        )
        .bind(&t.client_id)
        .bind(t.environment.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM webhook_events WHERE client_id = ? AND environment = ? \
             ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        );
        let rows = sqlx::query(&sql)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let page = rows
            .iter()
            .map(rows::event_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((u64::try_from(total).unwrap_or(0), page))
    }

    async fn get_event(
        &self,
        t: &Tenant,
        id: &str,
    ) -> StoreResult<Option<(EventRecord, Vec<AttemptRecord>)>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM webhook_events \
             WHERE id = ? AND client_id = ? AND environment = ?"
        );
        let Some(row) = sqlx::query(&sql)
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let event = rows::event_from_row(&row)?;
        let attempts = sqlx::query(
            "SELECT at, url, status_code, latency_ms, error FROM webhook_attempts \
             WHERE event_id = ? ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let attempts = attempts
            .iter()
            .map(rows::attempt_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some((event, attempts)))
    }

    async fn redeliver_event(&self, t: &Tenant, id: &str, now: Timestamp) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE webhook_events SET status = 'pending', next_attempt_at = ?, locked_until = NULL \
             WHERE id = ? AND client_id = ? AND environment = ?",
        )
        .bind(now.millis())
        .bind(id)
        .bind(&t.client_id)
        .bind(t.environment.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
