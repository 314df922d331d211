//! Payments, on any pooled backend. A payment and the session status it implies are always
//! written in one transaction (`store::work`), so a session can never be FINISHED without its
//! captured payment or the reverse, and of N submissions on one session, from any number of
//! processes, exactly one inserts its payment.

use async_trait::async_trait;
use sqlx::{Database, Executor};

use super::{Pooled, count_and_page};
use crate::domain::environment::Tenant;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_record::PaymentRecord;
use crate::domain::time::Timestamp;
use crate::domain::webhook::NewEvent;
use crate::store::rows::Decoders;
use crate::store::{PaymentStore, StatusChange, StoreResult, payment_sql, work};

#[async_trait]
impl<S> PaymentStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    async fn begin_payment(&self, c: &StatusChange, p: &PaymentRecord) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // A loser wrote nothing; dropping its transaction rolls it back.
        let won = work::begin_payment::<S::Db>(&mut tx, S::DIALECT, c, p).await?;
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
        let settle = work::Settle {
            payment: p,
            to,
            failure_reason,
            session_change,
            now,
            events,
        };
        let won = work::settle_payment::<S::Db>(&mut tx, S::DIALECT, &settle).await?;
        if won {
            tx.commit().await?;
        }
        Ok(won)
    }

    async fn get_payment(&self, t: &Tenant, id: &str) -> StoreResult<Option<PaymentRecord>> {
        payment_sql::get_payment(S::DIALECT, t, id)
            .fetch_optional(self.pool(), Decoders::payment)
            .await
    }

    async fn list_payments(
        &self,
        t: &Tenant,
        session_id: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(u64, Vec<PaymentRecord>)> {
        let stmts = payment_sql::list_payments(S::DIALECT, t, session_id, limit, offset);
        count_and_page(self, stmts, Decoders::payment).await
    }
}
