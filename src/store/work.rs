//! The units of work that take more than one statement, written once for every backend. Each
//! runs inside the caller's transaction (`conn`); the backend chooses how that transaction
//! begins (SQLite takes its write lock at once, PostgreSQL relies on row locks) and commits it.
//!
//! Every status change here is a compare-and-set: an UPDATE guarded by the status it was
//! decided from. On SQLite one writer runs at a time; on PostgreSQL a concurrent writer of
//! the same row waits for the row lock and then re-checks the guard against the committed row,
//! so of N racing changes — from any number of processes — exactly one affects a row.

use sqlx::{Database, Executor, Pool};

use crate::domain::environment::Tenant;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::payment_record::PaymentRecord;
use crate::domain::time::Timestamp;
use crate::domain::webhook::NewEvent;
use crate::store::rows::Decoders;
use crate::store::stmt::{Dialect, Driver, Stmt, insert_unique};
use crate::store::{
    LinkSeen, StatusChange, StoreError, StoreResult, client_sql, link_sql, payment_sql,
    session_sql, webhook_sql,
};

/// `setting_or_init`: insert unless present, then read. Race-free across processes: the
/// INSERT either wins or does nothing, and every caller then reads the one stored value.
pub async fn setting_or_init<DB>(
    pool: &Pool<DB>,
    d: Dialect,
    key: &str,
    init: &str,
) -> StoreResult<String>
where
    DB: Driver,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
{
    client_sql::init_setting(d, key, init).execute(pool).await?;
    let value = client_sql::get_setting(d, key)
        .fetch_optional(pool, Decoders::text0)
        .await?;
    value.ok_or_else(|| StoreError::Corrupt(format!("setting {key} vanished")))
}

/// Writes events to the outbox.
pub async fn insert_events<DB>(
    conn: &mut DB::Connection,
    d: Dialect,
    events: &[NewEvent],
) -> StoreResult<()>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    for e in events {
        webhook_sql::insert_event(d, e)?.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Reserves `token` for a new session or link (`Conflict("checkoutToken")` when taken), then
/// inserts its row and its destination rows.
pub async fn insert_with_token<DB>(
    conn: &mut DB::Connection,
    d: Dialect,
    tenant: &Tenant,
    token: &str,
    (row, destinations): (Stmt, Vec<Stmt>),
) -> StoreResult<()>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let reserve = session_sql::reserve_token(d, tenant, token);
    insert_unique::<DB>(&mut *conn, &reserve, "checkoutToken").await?;
    row.execute(&mut *conn).await?;
    for stmt in &destinations {
        stmt.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The compare-and-set every session status change goes through. The winner records the
/// change and writes its outbox events; a loser writes nothing.
pub async fn cas<DB>(
    conn: &mut DB::Connection,
    d: Dialect,
    t: &Tenant,
    id: &str,
    c: &StatusChange,
    refresh: Option<(Timestamp, &[CurrencyConfig])>,
) -> StoreResult<bool>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let won = session_sql::cas(d, t, id, c, refresh)?
        .execute(&mut *conn)
        .await?
        == 1;
    if won {
        session_sql::record_change(d, id, c.from.as_str(), c.to.as_str(), c.now)
            .execute(&mut *conn)
            .await?;
        insert_events::<DB>(conn, d, &c.events).await?;
    }
    Ok(won)
}

/// Moves the session by `c` and inserts the payment, both or neither: false (and nothing
/// written, once the caller drops the transaction) when another submission won.
pub async fn begin_payment<DB>(
    conn: &mut DB::Connection,
    d: Dialect,
    c: &StatusChange,
    p: &PaymentRecord,
) -> StoreResult<bool>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let insert = payment_sql::insert_payment(d, p)?;
    if !cas::<DB>(&mut *conn, d, &p.tenant, &p.session_id, c, None).await? {
        return Ok(false);
    }
    insert.execute(conn).await?;
    Ok(true)
}

/// A payment's move: to `to` (with `failure_reason`), its session's move, and the events.
pub struct Settle<'a> {
    pub payment: &'a PaymentRecord,
    pub to: PaymentStatus,
    pub failure_reason: Option<&'a str>,
    pub session_change: Option<&'a StatusChange>,
    pub now: Timestamp,
    pub events: &'a [NewEvent],
}

/// Moves the payment (compare-and-set on the status it was read with) and its session, and
/// writes the events. False when another settlement won.
pub async fn settle_payment<DB>(
    conn: &mut DB::Connection,
    d: Dialect,
    s: &Settle<'_>,
) -> StoreResult<bool>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let p = s.payment;
    let settle = payment_sql::settle_payment(d, p, s.to, s.failure_reason, s.now)?;
    if settle.execute(&mut *conn).await? != 1 {
        return Ok(false);
    }
    if let Some(c) = s.session_change {
        if !cas::<DB>(&mut *conn, d, &p.tenant, &p.session_id, c, None).await? {
            // The payment decides the session while it is PROCESSING_PAYMENT, and nothing
            // else may move it then; finding it elsewhere means the data is inconsistent,
            // so refuse the whole change rather than half-apply it.
            return Err(StoreError::Corrupt(format!(
                "session {} was not {} when its payment {} moved to {}",
                p.session_id, c.from, p.id, s.to
            )));
        }
    }
    insert_events::<DB>(conn, d, s.events).await?;
    Ok(true)
}

/// Compare-and-set delete of a link, releasing its checkout token. False when the link was no
/// longer as `seen`.
pub async fn delete_link<DB>(
    conn: &mut DB::Connection,
    d: Dialect,
    t: &Tenant,
    id: &str,
    seen: &LinkSeen,
) -> StoreResult<bool>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let token = link_sql::delete_link(d, t, id, seen)
        .fetch_optional(&mut *conn, Decoders::text0)
        .await?;
    let Some(token) = token else {
        return Ok(false);
    };
    session_sql::release_token(d, t, &token)
        .execute(conn)
        .await?;
    Ok(true)
}
