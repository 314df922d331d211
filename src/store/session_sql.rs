//! The SQL of checkout sessions, shared by every backend. What differs between backends (how
//! the expiry sweep claims due rows) lives in the backend modules.

use crate::domain::environment::Tenant;
use crate::domain::list_query::{SessionQuery, SortField};
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::store::list_sql::{self, Arg};
use crate::store::rows::SESSION_COLUMNS;
use crate::store::stmt::{Dialect, Stmt, args};
use crate::store::{StatusChange, StoreError, StoreResult};

pub(crate) fn json<T: serde::Serialize + ?Sized>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Reserves a checkout token for a session or a payment link. Its primary key is what makes a
/// token unique per tenant across both, with no check that could race.
pub fn reserve_token(d: Dialect, t: &Tenant, token: &str) -> Stmt {
    Stmt::new(
        d,
        "INSERT INTO checkout_tokens (client_id, environment, token) VALUES (?, ?, ?)",
        args![&t.client_id, t.environment.as_str(), token],
    )
}

/// Frees a checkout token (a deleted payment link's).
pub fn release_token(d: Dialect, t: &Tenant, token: &str) -> Stmt {
    Stmt::new(
        d,
        "DELETE FROM checkout_tokens WHERE client_id = ? AND environment = ? AND token = ?",
        args![&t.client_id, t.environment.as_str(), token],
    )
}

/// The session row itself, then one `destination` row per destination account.
pub fn insert_session(d: Dialect, s: &SessionRecord) -> StoreResult<(Stmt, Vec<Stmt>)> {
    let row = Stmt::new(
        d,
        "INSERT INTO checkout_sessions (id, client_id, environment, checkout_token, \
         public_token, payment_link_id, status, deactivated, created_at, expires_at, \
         updated_at, duration_secs, success_url, failed_url, owner_identity_id, \
         total_sort_key, body, payment_configs) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        args![
            &s.id,
            &s.tenant.client_id,
            s.tenant.environment.as_str(),
            &s.checkout_token,
            &s.public_token,
            &s.payment_link_id,
            s.status.as_str(),
            i64::from(s.deactivated),
            s.created_at,
            s.expires_at,
            s.created_at,
            s.duration_secs,
            &s.success_url,
            &s.failed_url,
            &s.body.owner.identity_id,
            &s.total_sort_key,
            json(&s.body)?,
            json(&s.payment_configs)?,
        ],
    );
    let destinations = s
        .account_numbers()
        .map(|account| {
            Stmt::new(
                d,
                "INSERT INTO session_destinations (account_number, session_id) VALUES (?, ?) \
                 ON CONFLICT DO NOTHING",
                args![account, &s.id],
            )
        })
        .collect();
    Ok((row, destinations))
}

pub fn get_session(d: Dialect, t: &Tenant, id: &str) -> Stmt {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM checkout_sessions \
         WHERE id = ? AND client_id = ? AND environment = ?"
    );
    Stmt::new(d, &sql, args![id, &t.client_id, t.environment.as_str()])
}

pub fn session_by_token(d: Dialect, t: &Tenant, token: &str) -> Stmt {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM checkout_sessions \
         WHERE client_id = ? AND environment = ? AND checkout_token = ?"
    );
    Stmt::new(d, &sql, args![&t.client_id, t.environment.as_str(), token])
}

pub fn session_by_public_token(d: Dialect, public_token: &str) -> Stmt {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM checkout_sessions WHERE public_token = ?");
    Stmt::new(d, &sql, args![public_token])
}

/// The count and the page of a session list, to be run in one read transaction.
pub fn list_sessions(d: Dialect, t: &Tenant, q: &SessionQuery, now: Timestamp) -> (Stmt, Stmt) {
    let ph = |n: usize| d.ph(n);
    let mut w = list_sql::where_clause(&t.client_id, t.environment.as_str(), q, now, &ph);
    let count = Stmt {
        sql: format!("SELECT COUNT(*) FROM checkout_sessions {}", w.sql),
        args: w.args.clone(),
    };
    // The status sort reads `now` once more; every bind follows the placeholders' order.
    let now_ph = if matches!(q.sort, SortField::Status) {
        w.push(&ph, Arg::Int(now.millis()))
    } else {
        String::new()
    };
    let limit = w.push(&ph, Arg::Int(i64::from(q.limit)));
    let offset = w.push(&ph, Arg::Int(i64::try_from(q.offset).unwrap_or(i64::MAX)));
    let page = Stmt {
        sql: format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions {} {} LIMIT {limit} OFFSET {offset}",
            w.sql,
            list_sql::order_by(q, &now_ph)
        ),
        args: w.args,
    };
    (count, page)
}

/// The compare-and-set every session status change goes through: it moves the row only if it
/// is still in `c.from`. With `refresh`, it also sets a new expiry and payment configs.
/// Exactly one row affected means this call won; `record_change` must follow in the same
/// transaction.
pub fn cas(
    d: Dialect,
    t: &Tenant,
    id: &str,
    c: &StatusChange,
    refresh: Option<(Timestamp, &[CurrencyConfig])>,
) -> StoreResult<Stmt> {
    // A session that has already timed out cannot leave ATTEMPT/ACTIVE any way but expiry (or
    // a refresh, which exists to revive it).
    let expiry_guard = c.from.can_expire() && c.to != SessionStatus::Expired && refresh.is_none();
    let sql = format!(
        "UPDATE checkout_sessions SET status = ?, deactivated = {}(deactivated, ?), \
         updated_at = ?{} WHERE id = ? AND client_id = ? AND environment = ? AND status = ?{}",
        d.greatest(),
        if refresh.is_some() {
            ", expires_at = ?, payment_configs = ?"
        } else {
            ""
        },
        if expiry_guard {
            " AND expires_at > ?"
        } else {
            ""
        }
    );
    let mut a = args![c.to.as_str(), i64::from(c.deactivate), c.now];
    if let Some((expires_at, configs)) = refresh {
        a.extend(args![expires_at, json(configs)?]);
    }
    a.extend(args![
        id,
        &t.client_id,
        t.environment.as_str(),
        c.from.as_str()
    ]);
    if expiry_guard {
        a.push(c.now.into());
    }
    Ok(Stmt::new(d, &sql, a))
}

/// The audit row of one stored status change.
pub fn record_change(d: Dialect, id: &str, from: &str, to: &str, at: Timestamp) -> Stmt {
    Stmt::new(
        d,
        "INSERT INTO session_status_changes (session_id, from_status, to_status, at) \
         VALUES (?, ?, ?, ?)",
        args![id, from, to, at],
    )
}

pub fn status_changes(d: Dialect, session_id: &str) -> Stmt {
    Stmt::new(
        d,
        "SELECT from_status, to_status, at FROM session_status_changes \
         WHERE session_id = ? ORDER BY id",
        args![session_id],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::environment::Environment;

    #[test]
    fn the_status_sort_binds_now_between_the_filters_and_the_page() {
        let t = Tenant {
            client_id: "c1".into(),
            environment: Environment::Sandbox,
        };
        let q = SessionQuery {
            sort: SortField::Status,
            ..SessionQuery::default()
        };
        let (count, page) = list_sessions(Dialect::Postgres, &t, &q, Timestamp::from_millis(7));
        assert_eq!(count.args.len(), 2);
        assert!(page.sql.contains("expires_at <= $3"), "{}", page.sql);
        assert!(page.sql.ends_with("LIMIT $4 OFFSET $5"), "{}", page.sql);
        assert_eq!(page.args.len(), 5);
        let (_, page) = list_sessions(Dialect::Sqlite, &t, &q, Timestamp::from_millis(7));
        assert_eq!(page.sql.matches('?').count(), page.args.len());
    }

    #[test]
    fn a_cas_has_one_argument_per_placeholder_in_both_dialects() {
        let t = Tenant {
            client_id: "c1".into(),
            environment: Environment::Sandbox,
        };
        let c = StatusChange {
            from: SessionStatus::Attempt,
            to: SessionStatus::ProcessingPayment,
            deactivate: false,
            now: Timestamp::from_millis(1),
            events: Vec::new(),
        };
        let s = cas(Dialect::Postgres, &t, "s1", &c, None).expect("cas");
        assert!(s.sql.contains("GREATEST(deactivated, $2)"), "{}", s.sql);
        assert!(s.sql.ends_with("AND expires_at > $8"), "{}", s.sql);
        assert_eq!(s.args.len(), 8);
        let s = cas(Dialect::Sqlite, &t, "s1", &c, Some((c.now, &[]))).expect("cas");
        assert!(s.sql.contains("MAX(deactivated, ?)"), "{}", s.sql);
        assert_eq!(s.sql.matches('?').count(), s.args.len());
    }
}
