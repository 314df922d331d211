//! The SQL of webhook endpoints, the outbox and the delivery log, shared by every backend.

use crate::domain::environment::Tenant;
use crate::domain::time::Timestamp;
use crate::domain::webhook::NewEvent;
use crate::store::rows::EVENT_COLUMNS;
use crate::store::session_sql::json;
use crate::store::stmt::{Dialect, Stmt, args};
use crate::store::{AttemptOutcome, AttemptRecord, EndpointRecord, StoreResult};

/// One outbox row, written inside the transaction of the change it reports.
pub fn insert_event(d: Dialect, e: &NewEvent) -> StoreResult<Stmt> {
    Ok(Stmt::new(
        d,
        "INSERT INTO webhook_events (id, client_id, environment, event, data, created_at, \
         next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        args![
            &e.id,
            &e.tenant.client_id,
            e.tenant.environment.as_str(),
            e.event,
            json(&e.data)?,
            e.created_at,
            e.created_at,
        ],
    ))
}

pub fn upsert_endpoint(d: Dialect, e: &EndpointRecord) -> Stmt {
    Stmt::new(
        d,
        "INSERT INTO webhook_endpoints (client_id, environment, url, secret, previous_secret, \
         previous_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (client_id, environment) DO UPDATE SET url = excluded.url, \
         secret = excluded.secret, previous_secret = excluded.previous_secret, \
         previous_expires_at = excluded.previous_expires_at, updated_at = excluded.updated_at",
        args![
            &e.tenant.client_id,
            e.tenant.environment.as_str(),
            &e.url,
            &e.secret,
            &e.previous_secret,
            e.previous_expires_at,
            e.created_at,
            e.updated_at,
        ],
    )
}

pub fn get_endpoint(d: Dialect, t: &Tenant) -> Stmt {
    Stmt::new(
        d,
        "SELECT url, secret, previous_secret, previous_expires_at, created_at, updated_at \
         FROM webhook_endpoints WHERE client_id = ? AND environment = ?",
        args![&t.client_id, t.environment.as_str()],
    )
}

/// Leases up to `batch` due pending events until `lease_until`. On PostgreSQL the inner
/// select skips rows another process is claiming at this moment (`FOR UPDATE SKIP LOCKED`);
/// on SQLite the caller's IMMEDIATE transaction is the lock.
pub fn claim_due_events(d: Dialect, now: Timestamp, batch: u32, lease_until: Timestamp) -> Stmt {
    let sql = format!(
        "UPDATE webhook_events SET locked_until = ? WHERE id IN (SELECT id FROM webhook_events \
         WHERE status = 'pending' AND next_attempt_at <= ? \
         AND (locked_until IS NULL OR locked_until <= ?) ORDER BY next_attempt_at LIMIT ?{}) \
         RETURNING {EVENT_COLUMNS}",
        d.skip_locked()
    );
    Stmt::new(d, &sql, args![lease_until, now, now, i64::from(batch)])
}

/// The delivery log row of one attempt, and the event's move that follows from it.
pub fn record_attempt(
    d: Dialect,
    event_id: &str,
    a: &AttemptRecord,
    outcome: AttemptOutcome,
) -> (Stmt, Stmt) {
    let log = Stmt::new(
        d,
        "INSERT INTO webhook_attempts (event_id, at, url, status_code, latency_ms, error) \
         VALUES (?, ?, ?, ?, ?, ?)",
        args![
            event_id,
            a.at,
            &a.url,
            a.status_code.map(i64::from),
            a.latency_ms,
            &a.error,
        ],
    );
    let (status, next, delivered) = match outcome {
        AttemptOutcome::Delivered => ("delivered", None, Some(a.at)),
        AttemptOutcome::RetryAt(t) => ("pending", Some(t), None),
        AttemptOutcome::GiveUp => ("failed", None, None),
    };
    let event = Stmt::new(
        d,
        "UPDATE webhook_events SET status = ?, next_attempt_at = ?, \
         delivered_at = COALESCE(?, delivered_at), attempts = attempts + 1, \
         last_error = ?, locked_until = NULL WHERE id = ?",
        args![status, next, delivered, &a.error, event_id],
    );
    (log, event)
}

/// The count and the page of a tenant's event log (newest first).
pub fn list_events(d: Dialect, t: &Tenant, limit: u32, offset: u64) -> (Stmt, Stmt) {
    let count = Stmt::new(
        d,
        "SELECT COUNT(*) FROM webhook_events WHERE client_id = ? AND environment = ?",
        args![&t.client_id, t.environment.as_str()],
    );
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM webhook_events WHERE client_id = ? AND environment = ? \
         ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
    );
    let page = Stmt::new(
        d,
        &sql,
        args![
            &t.client_id,
            t.environment.as_str(),
            i64::from(limit),
            i64::try_from(offset).unwrap_or(i64::MAX)
        ],
    );
    (count, page)
}

pub fn get_event(d: Dialect, t: &Tenant, id: &str) -> Stmt {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM webhook_events \
         WHERE id = ? AND client_id = ? AND environment = ?"
    );
    Stmt::new(d, &sql, args![id, &t.client_id, t.environment.as_str()])
}

pub fn event_attempts(d: Dialect, event_id: &str) -> Stmt {
    Stmt::new(
        d,
        "SELECT at, url, status_code, latency_ms, error FROM webhook_attempts \
         WHERE event_id = ? ORDER BY id",
        args![event_id],
    )
}

pub fn redeliver_event(d: Dialect, t: &Tenant, id: &str, now: Timestamp) -> Stmt {
    Stmt::new(
        d,
        "UPDATE webhook_events SET status = 'pending', next_attempt_at = ?, locked_until = NULL \
         WHERE id = ? AND client_id = ? AND environment = ?",
        args![now, id, &t.client_id, t.environment.as_str()],
    )
}
