//! Webhook endpoints, the outbox and the delivery log on PostgreSQL.

use async_trait::async_trait;

use super::{D, PgStore};
use crate::domain::environment::Tenant;
use crate::domain::time::Timestamp;
use crate::store::pooled::Pooled;
use crate::store::rows;
use crate::store::webhook_sql as sql;
use crate::store::{
    AttemptOutcome, AttemptRecord, EndpointRecord, EventRecord, StoreResult, WebhookStore,
};

#[async_trait]
impl WebhookStore for PgStore {
    async fn upsert_endpoint(&self, e: &EndpointRecord) -> StoreResult<()> {
        sql::upsert_endpoint(D, e).execute(&self.pool).await?;
        Ok(())
    }

    async fn get_endpoint(&self, t: &Tenant) -> StoreResult<Option<EndpointRecord>> {
        sql::get_endpoint(D, t)
            .fetch_optional(&self.pool, |r| rows::endpoint_from_row(t, r))
            .await
    }

    async fn claim_due_events(
        &self,
        now: Timestamp,
        batch: u32,
        lease_until: Timestamp,
    ) -> StoreResult<Vec<EventRecord>> {
        // One statement: the lease is taken by the same UPDATE that skips the rows another
        // process is leasing at this moment.
        sql::claim_due_events(D, now, batch, lease_until)
            .fetch_all(&self.pool, rows::event_from_row)
            .await
    }

    async fn record_attempt(
        &self,
        event_id: &str,
        a: &AttemptRecord,
        outcome: AttemptOutcome,
    ) -> StoreResult<()> {
        let (log, event) = sql::record_attempt(D, event_id, a, outcome);
        let mut tx = self.begin_write().await?;
        log.execute(&mut *tx).await?;
        event.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_events(
        &self,
        t: &Tenant,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(u64, Vec<EventRecord>)> {
        let stmts = sql::list_events(D, t, limit, offset);
        self.count_and_page(stmts, rows::event_from_row).await
    }

    async fn get_event(
        &self,
        t: &Tenant,
        id: &str,
    ) -> StoreResult<Option<(EventRecord, Vec<AttemptRecord>)>> {
        let Some(event) = sql::get_event(D, t, id)
            .fetch_optional(&self.pool, rows::event_from_row)
            .await?
        else {
            return Ok(None);
        };
        let attempts = sql::event_attempts(D, id)
            .fetch_all(&self.pool, rows::attempt_from_row)
            .await?;
        Ok(Some((event, attempts)))
    }

    async fn redeliver_event(&self, t: &Tenant, id: &str, now: Timestamp) -> StoreResult<bool> {
        let done = sql::redeliver_event(D, t, id, now)
            .execute(&self.pool)
            .await?;
        Ok(done == 1)
    }
}
