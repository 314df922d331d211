//! The expiry sweep on SQLite: the one session operation whose SQL differs by backend (the
//! others are `store::pooled`).

use sqlx::Sqlite;

use super::{D, SqliteStore};
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::store::pooled::Pooled;
use crate::store::rows::Decoders;
use crate::store::rows::SESSION_COLUMNS;
use crate::store::stmt::{Stmt, args};
use crate::store::{ExpiryEvents, StoreResult, session_sql, work};

/// SQLite has one writer at a time, so claiming is simply doing it inside one IMMEDIATE
/// transaction; the status guard still makes each change happen once.
pub(super) async fn sweep_due(
    store: &SqliteStore,
    now: Timestamp,
    batch: u32,
    events: &ExpiryEvents,
) -> StoreResult<Vec<String>> {
    let due = Stmt::new(
        D,
        &format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions \
             WHERE status IN ('ATTEMPT', 'ACTIVE') AND expires_at <= ? \
             ORDER BY expires_at LIMIT ?"
        ),
        args![now, i64::from(batch)],
    );
    let mut tx = store.begin_write().await?;
    let due = due.fetch_all(&mut *tx, Decoders::session).await?;
    let mut expired = Vec::with_capacity(due.len());
    for mut session in due {
        let from = session.status.as_str();
        let expire = Stmt::new(
            D,
            "UPDATE checkout_sessions SET status = 'EXPIRED', updated_at = ? \
             WHERE id = ? AND status = ?",
            args![now, &session.id, from],
        );
        if expire.execute(&mut *tx).await? == 1 {
            session_sql::record_change(D, &session.id, from, "EXPIRED", now)
                .execute(&mut *tx)
                .await?;
            session.status = SessionStatus::Expired;
            work::insert_events::<Sqlite>(&mut tx, D, &events(&session)).await?;
            expired.push(session.id);
        }
    }
    tx.commit().await?;
    Ok(expired)
}
