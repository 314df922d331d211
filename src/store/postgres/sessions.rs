//! The expiry sweep on PostgreSQL: the one session operation whose SQL differs by backend
//! (the others are `store::pooled`).

use sqlx::Postgres;

use super::{D, PgStore};
use crate::domain::time::Timestamp;
use crate::store::pooled::Pooled;
use crate::store::rows::Decoders;
use crate::store::rows::SESSION_COLUMNS;
use crate::store::stmt::{Stmt, args};
use crate::store::{ExpiryEvents, StoreResult, work};

pub(super) async fn sweep_due(
    store: &PgStore,
    now: Timestamp,
    batch: u32,
    events: &ExpiryEvents,
) -> StoreResult<Vec<String>> {
    // One statement claims, moves and audits a batch: `FOR UPDATE SKIP LOCKED` hands each
    // due row to exactly one of the sweepers running in every process (a row another
    // transaction holds is left to it, or to the next tick), and the locked row's status
    // cannot change under the UPDATE that follows. The outbox rows join the same
    // transaction, so an expiry and its webhook are committed together or not at all.
    let claim = Stmt::new(
        D,
        &format!(
            "WITH due AS ( \
                 SELECT id AS due_id, status AS from_status FROM checkout_sessions \
                 WHERE status IN ('ATTEMPT', 'ACTIVE') AND expires_at <= ? \
                 ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED), \
             moved AS ( \
                 UPDATE checkout_sessions SET status = 'EXPIRED', updated_at = ? FROM due \
                 WHERE id = due.due_id AND status = due.from_status \
                 RETURNING from_status, {SESSION_COLUMNS}), \
             audit AS ( \
                 INSERT INTO session_status_changes (session_id, from_status, to_status, at) \
                 SELECT id, from_status, 'EXPIRED', ? FROM moved) \
             SELECT {SESSION_COLUMNS} FROM moved"
        ),
        args![now, i64::from(batch), now, now],
    );
    let mut tx = store.begin_write().await?;
    let expired = claim.fetch_all(&mut *tx, Decoders::session).await?;
    for session in &expired {
        work::insert_events::<Postgres>(&mut tx, D, &events(session)).await?;
    }
    tx.commit().await?;
    Ok(expired.into_iter().map(|s| s.id).collect())
}
