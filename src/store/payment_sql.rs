//! The SQL of payments, shared by every backend.

use crate::domain::environment::Tenant;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_record::PaymentRecord;
use crate::domain::time::Timestamp;
use crate::store::StoreResult;
use crate::store::rows::PAYMENT_COLUMNS;
use crate::store::session_sql::json;
use crate::store::stmt::{Dialect, Stmt, args};

pub fn insert_payment(d: Dialect, p: &PaymentRecord) -> StoreResult<Stmt> {
    Ok(Stmt::new(
        d,
        "INSERT INTO payments (id, client_id, environment, checkout_session_id, status, \
         method, created_at, updated_at, failure_reason, history, body) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        args![
            &p.id,
            &p.tenant.client_id,
            p.tenant.environment.as_str(),
            &p.session_id,
            p.status.as_str(),
            &p.method,
            p.created_at,
            p.updated_at,
            &p.failure_reason,
            json(&p.history)?,
            json(&p.body)?,
        ],
    ))
}

/// Compare-and-set on the status the payment was read with, appending to its history; exactly
/// one row affected means this call won.
pub fn settle_payment(
    d: Dialect,
    p: &PaymentRecord,
    to: PaymentStatus,
    failure_reason: Option<&str>,
    now: Timestamp,
) -> StoreResult<Stmt> {
    Ok(Stmt::new(
        d,
        "UPDATE payments SET status = ?, updated_at = ?, history = ?, \
         failure_reason = COALESCE(?, failure_reason) \
         WHERE id = ? AND client_id = ? AND environment = ? AND status = ?",
        args![
            to.as_str(),
            now,
            json(&p.history_with(to, now))?,
            failure_reason,
            &p.id,
            &p.tenant.client_id,
            p.tenant.environment.as_str(),
            p.status.as_str(),
        ],
    ))
}

pub fn get_payment(d: Dialect, t: &Tenant, id: &str) -> Stmt {
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = ? AND client_id = ? AND environment = ?"
    );
    Stmt::new(d, &sql, args![id, &t.client_id, t.environment.as_str()])
}

/// The count and the page of a payment list (newest first), to be run in one read transaction.
pub fn list_payments(
    d: Dialect,
    t: &Tenant,
    session_id: Option<&str>,
    limit: u32,
    offset: u64,
) -> (Stmt, Stmt) {
    let filter = "WHERE client_id = ? AND environment = ? \
                  AND (? IS NULL OR checkout_session_id = ?)";
    let filter_args = args![&t.client_id, t.environment.as_str(), session_id, session_id];
    let count = Stmt::new(
        d,
        &format!("SELECT COUNT(*) FROM payments {filter}"),
        filter_args.clone(),
    );
    let mut page_args = filter_args;
    page_args.extend(args![
        i64::from(limit),
        i64::try_from(offset).unwrap_or(i64::MAX)
    ]);
    let page = Stmt::new(
        d,
        &format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments {filter} \
             ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        ),
        page_args,
    );
    (count, page)
}
