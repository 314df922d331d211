//! Payments on SQLite. A payment and the session status it implies are always written in one
//! transaction (`store::work`), so a session can never be FINISHED without its captured payment
//! or the reverse.

use async_trait::async_trait;
use sqlx::Sqlite;

use super::{D, SqliteStore};
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
impl PaymentStore for SqliteStore {
    async fn begin_payment(&self, c: &StatusChange, p: &PaymentRecord) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // A loser wrote nothing; dropping its transaction rolls it back.
        let won = work::begin_payment::<Sqlite>(&mut tx, D, c, p).await?;
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
        let won = work::settle_payment::<Sqlite>(
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
