//! Webhook endpoints, the outbox and the delivery log, on any pooled backend. Claiming due
//! events is one UPDATE whose inner SELECT skips rows another process is claiming (PostgreSQL's
//! `FOR UPDATE SKIP LOCKED`; SQLite's write lock does the same by having one writer).

use async_trait::async_trait;
use sqlx::{Database, Executor};

use super::{Pooled, count_and_page};
use crate::domain::environment::Tenant;
use crate::domain::time::Timestamp;
use crate::store::rows::Decoders;
use crate::store::{
    AttemptOutcome, AttemptRecord, EndpointRecord, EventRecord, StoreResult, WebhookStore,
    webhook_sql,
};

#[async_trait]
impl<S> WebhookStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    async fn upsert_endpoint(&self, e: &EndpointRecord) -> StoreResult<()> {
        webhook_sql::upsert_endpoint(S::DIALECT, e)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    async fn get_endpoint(&self, t: &Tenant) -> StoreResult<Option<EndpointRecord>> {
        webhook_sql::get_endpoint(S::DIALECT, t)
            .fetch_optional(self.pool(), |r| r.endpoint(t))
            .await
    }

    async fn claim_due_events(
        &self,
        now: Timestamp,
        batch: u32,
        lease_until: Timestamp,
    ) -> StoreResult<Vec<EventRecord>> {
        let claim = webhook_sql::claim_due_events(S::DIALECT, now, batch, lease_until);
        let mut tx = self.begin_write().await?;
        let claimed = claim.fetch_all(&mut *tx, Decoders::event).await?;
        tx.commit().await?;
        Ok(claimed)
    }

    async fn record_attempt(
        &self,
        event_id: &str,
        a: &AttemptRecord,
        outcome: AttemptOutcome,
    ) -> StoreResult<()> {
        let (log, event) = webhook_sql::record_attempt(S::DIALECT, event_id, a, outcome);
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
        let stmts = webhook_sql::list_events(S::DIALECT, t, limit, offset);
        count_and_page(self, stmts, Decoders::event).await
    }

    async fn get_event(
        &self,
        t: &Tenant,
        id: &str,
    ) -> StoreResult<Option<(EventRecord, Vec<AttemptRecord>)>> {
        let Some(event) = webhook_sql::get_event(S::DIALECT, t, id)
            .fetch_optional(self.pool(), Decoders::event)
            .await?
        else {
            return Ok(None);
        };
        let attempts = webhook_sql::event_attempts(S::DIALECT, id)
            .fetch_all(self.pool(), Decoders::attempt)
            .await?;
        Ok(Some((event, attempts)))
    }

    async fn redeliver_event(&self, t: &Tenant, id: &str, now: Timestamp) -> StoreResult<bool> {
        let done = webhook_sql::redeliver_event(S::DIALECT, t, id, now)
            .execute(self.pool())
            .await?;
        Ok(done == 1)
    }
}
