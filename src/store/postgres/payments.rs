//! Payments on PostgreSQL. A payment and the session status it implies are always written in
//! one transaction, so a session can never be FINISHED without its captured payment or the
//! reverse, and of N submissions on one session (from any number of processes) the session's
//! compare-and-set lets exactly one insert its payment.

use async_trait::async_trait;
use sqlx::Postgres;

use super::{D, PgStore};
use crate::domain::environment::Tenant;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_record::PaymentRecord;
use crate::domain::time::Timestamp;
use crate::domain::webhook::NewEvent;
use crate::store::payment_sql as sql;
use crate::store::pooled::Pooled;
use crate::store::rows;
use crate::store::{PaymentStore, StatusChange, StoreResult, work};

#[async_trait]
impl PaymentStore for PgStore {
    async fn begin_payment(&self, c: &StatusChange, p: &PaymentRecord) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // A loser wrote nothing; dropping its transaction rolls it back.
        let won = work::begin_payment::<Postgres>(&mut tx, D, c, p).await?;
        if won {
            tx.commit().await?;
        }
        Ok(won)
    }

    async fn settle_payment(
        &self,
        p: &PaymentRecord,
        to: PaymentStatus,
        failure_reason: Option<&str>,
        session_change: Option<&StatusChange>,
        now: Timestamp,
        events: &[NewEvent],
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let won = work::settle_payment::<Postgres>(
            &mut tx,
            D,
            p,
            to,
            failure_reason,
            session_change,
            now,
            events,
        )
        .await?;
        if won {
            tx.commit().await?;
        }
        Ok(won)
    }

    async fn get_payment(&self, t: &Tenant, id: &str) -> StoreResult<Option<PaymentRecord>> {
        sql::get_payment(D, t, id)
            .fetch_optional(&self.pool, rows::payment_from_row)
            .await
    }

    async fn list_payments(
        &self,
        t: &Tenant,
        session_id: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(u64, Vec<PaymentRecord>)> {
        let stmts = sql::list_payments(D, t, session_id, limit, offset);
        self.count_and_page(stmts, rows::payment_from_row).await
    }
}
