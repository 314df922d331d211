//! The SQL of the payment link list, shared by every backend: only the placeholder style
//! differs. Each filter is an `IN` on a column that an index of migration 0003 begins with
//! after (client_id, environment).

use crate::domain::environment::Tenant;
use crate::domain::link_query::LinkQuery;
use crate::domain::payment_link::{self, LinkRecord, LinkStatus};
use crate::domain::time::Timestamp;
use crate::store::list_sql::{Arg, Where};
use crate::store::rows::LINK_COLUMNS;
use crate::store::session_sql::json;
use crate::store::stmt::{Dialect, Stmt, args};
use crate::store::{LinkSeen, StoreResult};

/// The compare-and-set guard of `LinkSeen`: same stored status, same side of `expires_at`.
const SEEN_GUARD: &str = "status = ? AND (expires_at <= ?) = ?";

fn seen_args(seen: &LinkSeen) -> Vec<Arg> {
    args![seen.status.as_str(), seen.now, seen.expired]
}

/// The link row, then one destination row per destination account. Its checkout token is
/// reserved first with `session_sql::reserve_token`.
pub fn insert_link(d: Dialect, l: &LinkRecord) -> StoreResult<(Stmt, Vec<Stmt>)> {
    let env = l.tenant.environment.as_str();
    let row = Stmt::new(
        d,
        "INSERT INTO payment_links (id, client_id, environment, checkout_token, \
         public_token, status, created_at, expires_at, updated_at, duration_secs, \
         success_url, failed_url, owner_identity_id, customer_email, body) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        args![
            &l.id,
            &l.tenant.client_id,
            env,
            &l.checkout_token,
            &l.public_token,
            l.status.as_str(),
            l.created_at,
            l.expires_at,
            l.created_at,
            l.duration_secs,
            &l.success_url,
            &l.failed_url,
            &l.body.owner.identity_id,
            l.customer_email_key(),
            json(&l.body)?,
        ],
    );
    let destinations = l
        .account_numbers()
        .map(|account| {
            Stmt::new(
                d,
                "INSERT INTO payment_link_destinations (client_id, environment, account_number, \
                 link_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                args![&l.tenant.client_id, env, account, &l.id],
            )
        })
        .collect();
    Ok((row, destinations))
}

pub fn get_link(d: Dialect, t: &Tenant, id: &str) -> Stmt {
    let sql = format!(
        "SELECT {LINK_COLUMNS} FROM payment_links \
         WHERE id = ? AND client_id = ? AND environment = ?"
    );
    Stmt::new(d, &sql, args![id, &t.client_id, t.environment.as_str()])
}

pub fn link_by_public_token(d: Dialect, public_token: &str) -> Stmt {
    let sql = format!("SELECT {LINK_COLUMNS} FROM payment_links WHERE public_token = ?");
    Stmt::new(d, &sql, args![public_token])
}

pub fn link_by_token(d: Dialect, t: &Tenant, token: &str) -> Stmt {
    let sql = format!(
        "SELECT {LINK_COLUMNS} FROM payment_links \
         WHERE client_id = ? AND environment = ? AND checkout_token = ?"
    );
    Stmt::new(d, &sql, args![&t.client_id, t.environment.as_str(), token])
}

/// The count and the page of a link list, to be run in one read transaction.
pub fn list_links(d: Dialect, t: &Tenant, q: &LinkQuery, now: Timestamp) -> (Stmt, Stmt) {
    let ph = |n: usize| d.ph(n);
    let mut w = where_clause(&t.client_id, t.environment.as_str(), q, now, &ph);
    let count = Stmt {
        sql: format!("SELECT COUNT(*) FROM payment_links {}", w.sql),
        args: w.args.clone(),
    };
    let limit = w.push(&ph, Arg::Int(i64::from(q.limit)));
    let offset = w.push(&ph, Arg::Int(i64::try_from(q.offset).unwrap_or(i64::MAX)));
    let page = Stmt {
        sql: format!(
            "SELECT {LINK_COLUMNS} FROM payment_links {} {} LIMIT {limit} OFFSET {offset}",
            w.sql,
            order_by(q)
        ),
        args: w.args,
    };
    (count, page)
}

/// Compare-and-set: moves the link to `to` only if it is still as `seen`.
pub fn transition_link(d: Dialect, t: &Tenant, id: &str, seen: &LinkSeen, to: LinkStatus) -> Stmt {
    let sql = format!(
        "UPDATE payment_links SET status = ?, updated_at = ? \
         WHERE id = ? AND client_id = ? AND environment = ? AND {SEEN_GUARD}"
    );
    let mut a = args![
        to.as_str(),
        seen.now,
        id,
        &t.client_id,
        t.environment.as_str()
    ];
    a.extend(seen_args(seen));
    Stmt::new(d, &sql, a)
}

/// Compare-and-set delete, returning the checkout token to release in the same transaction;
/// the destination rows follow by ON DELETE CASCADE.
pub fn delete_link(d: Dialect, t: &Tenant, id: &str, seen: &LinkSeen) -> Stmt {
    let sql = format!(
        "DELETE FROM payment_links \
         WHERE id = ? AND client_id = ? AND environment = ? AND {SEEN_GUARD} \
         RETURNING checkout_token"
    );
    let mut a = args![id, &t.client_id, t.environment.as_str()];
    a.extend(seen_args(seen));
    Stmt::new(d, &sql, a)
}

/// The one order links are listed in: newest first, ties by id (descending too, so a page
/// boundary never splits a tie differently between two requests).
///
/// With an `id` filter the unary `+` stops SQLite's planner, which keeps no statistics, from
/// walking the tenant's whole created-at index just to skip sorting: the primary key finds at
/// most `MAX_VALUES` rows, and sorting those is nothing. PostgreSQL reads `+` on an integer as
/// a no-op.
pub fn order_by(q: &LinkQuery) -> &'static str {
    if q.ids.is_empty() {
        "ORDER BY created_at DESC, id DESC"
    } else {
        "ORDER BY +created_at DESC, id DESC"
    }
}

pub fn where_clause(
    client_id: &str,
    environment: &str,
    q: &LinkQuery,
    now: Timestamp,
    ph: &dyn Fn(usize) -> String,
) -> Where {
    let mut w = Where::tenant(client_id, environment, ph);
    if !q.ids.is_empty() {
        let list = w.in_list(ph, &q.ids);
        w.sql += &format!(" AND id IN {list}");
    }
    if !q.account_numbers.is_empty() {
        // The destination rows carry the tenant too, so the subquery is one index range.
        let c = w.push(ph, Arg::Text(client_id.to_owned()));
        let e = w.push(ph, Arg::Text(environment.to_owned()));
        let list = w.in_list(ph, &q.account_numbers);
        w.sql += &format!(
            " AND id IN (SELECT link_id FROM payment_link_destinations \
             WHERE client_id = {c} AND environment = {e} AND account_number IN {list})"
        );
    }
    if !q.customer_emails.is_empty() {
        let list = w.in_list(ph, &q.customer_emails);
        w.sql += &format!(" AND customer_email IN {list}");
    }
    if !q.owner_identity_ids.is_empty() {
        let list = w.in_list(ph, &q.owner_identity_ids);
        w.sql += &format!(" AND owner_identity_id IN {list}");
    }
    let expiring: Vec<&str> = payment_link::ALL
        .iter()
        .filter(|s| s.can_expire())
        .map(|s| s.as_str())
        .collect();
    let parts: Vec<String> = q
        .statuses
        .iter()
        .map(|st: &LinkStatus| w.effective_status_is(ph, st.as_str(), &expiring, now))
        .collect();
    w.and_any(&parts);
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dollar(n: usize) -> String {
        format!("${n}")
    }

    #[test]
    fn no_filter_is_just_the_tenant() {
        let w = where_clause(
            "c1",
            "sandbox",
            &LinkQuery::default(),
            Timestamp::from_millis(5),
            &dollar,
        );
        assert_eq!(w.sql, "WHERE client_id = $1 AND environment = $2");
        assert_eq!(w.args.len(), 2);
    }

    #[test]
    fn only_an_id_filter_lets_go_of_the_index_order() {
        assert_eq!(
            order_by(&LinkQuery::default()),
            "ORDER BY created_at DESC, id DESC"
        );
        let q = LinkQuery {
            ids: vec!["l1".into()],
            ..LinkQuery::default()
        };
        assert_eq!(order_by(&q), "ORDER BY +created_at DESC, id DESC");
    }

    #[test]
    fn every_placeholder_has_exactly_one_argument_in_order() {
        let q = LinkQuery {
            ids: vec!["l1".into(), "l2".into()],
            account_numbers: vec!["100".into()],
            customer_emails: vec!["a@b.cl".into()],
            owner_identity_ids: vec!["m1".into()],
            statuses: vec![
                LinkStatus::Expired,
                LinkStatus::Finished,
                LinkStatus::Attempt,
            ],
            ..LinkQuery::default()
        };
        let w = where_clause("c1", "sandbox", &q, Timestamp::from_millis(5), &dollar);
        let marks = w.sql.matches('$').count();
        assert_eq!(marks, w.args.len(), "{}", w.sql);
        assert!(w.sql.contains("id IN ($3, $4)"), "{}", w.sql);
        assert!(w.sql.contains("account_number IN ($7)"), "{}", w.sql);
        assert!(w.sql.contains("customer_email IN ($8)"), "{}", w.sql);
        assert!(w.sql.contains("owner_identity_id IN ($9)"), "{}", w.sql);
        assert!(w.sql.contains("expires_at <= $10"), "{}", w.sql);
        assert!(w.sql.contains("status = 'FINISHED'"), "{}", w.sql);
        assert!(
            w.sql.contains("(status = 'ATTEMPT' AND +expires_at > $11)"),
            "{}",
            w.sql
        );
        assert_eq!(w.args[9], Arg::Int(5));
    }
}
