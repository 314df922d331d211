//! The SQL of the session list, shared by every backend: only the placeholder style differs.
//!
//! Every filter is a sargable condition on an indexed column, and every sort an index order
//! plus `id` as the tie-breaker, so a page costs an index range scan whatever is asked.

use crate::domain::list_query::{SessionQuery, SortField};
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;

/// A bind value of the list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Int(i64),
}

/// Builds `WHERE …` for the query; `ph(n)` writes the n-th placeholder (1-based).
pub struct Where {
    pub sql: String,
    pub args: Vec<Arg>,
}

impl Where {
    fn push(&mut self, ph: &dyn Fn(usize) -> String, arg: Arg) -> String {
        self.args.push(arg);
        ph(self.args.len())
    }
}

/// The status a reader sees (CONTRACT §5: reads see expiry at once), as SQL.
pub fn effective_status_sql(now: &str) -> String {
    format!(
        "CASE WHEN status IN ('ATTEMPT', 'ACTIVE') AND expires_at <= {now} \
         THEN 'EXPIRED' ELSE status END"
    )
}

pub fn where_clause(
    client_id: &str,
    environment: &str,
    q: &SessionQuery,
    now: Timestamp,
    ph: &dyn Fn(usize) -> String,
) -> Where {
    let mut w = Where {
        sql: String::new(),
        args: Vec::new(),
    };
    let c = w.push(ph, Arg::Text(client_id.to_owned()));
    let e = w.push(ph, Arg::Text(environment.to_owned()));
    w.sql = format!("WHERE client_id = {c} AND environment = {e}");
    if let Some(id) = &q.identity_id {
        let p = w.push(ph, Arg::Text(id.clone()));
        w.sql += &format!(" AND owner_identity_id = {p}");
    }
    if let Some(acc) = &q.account_number {
        let p = w.push(ph, Arg::Text(acc.clone()));
        w.sql += &format!(
            " AND id IN (SELECT session_id FROM session_destinations WHERE account_number = {p})"
        );
    }
    if let Some(from) = q.created_from {
        let p = w.push(ph, Arg::Int(from.millis()));
        w.sql += &format!(" AND created_at >= {p}");
    }
    if let Some(before) = q.created_before {
        let p = w.push(ph, Arg::Int(before.millis()));
        w.sql += &format!(" AND created_at < {p}");
    }
    if !q.statuses.is_empty() {
        let mut parts = Vec::new();
        for st in &q.statuses {
            let n = w.push(ph, Arg::Int(now.millis()));
            parts.push(match st {
                SessionStatus::Expired => format!(
                    "(status = 'EXPIRED' OR (status IN ('ATTEMPT', 'ACTIVE') AND expires_at <= {n}))"
                ),
                s if s.can_expire() => {
                    format!("(status = '{}' AND expires_at > {n})", s.as_str())
                }
                s => format!("status = '{}'", s.as_str()),
            });
        }
        w.sql += &format!(" AND ({})", parts.join(" OR "));
    }
    w
}

/// `ORDER BY …`; `now_ph` is a placeholder already bound to now (used by the status sort).
pub fn order_by(q: &SessionQuery, now_ph: &str) -> String {
    let dir = if q.descending { "DESC" } else { "ASC" };
    let column = match q.sort {
        SortField::CreatedAt => "created_at".to_string(),
        SortField::ExpiresAt => "expires_at".to_string(),
        SortField::TotalAmount => "total_sort_key".to_string(),
        SortField::Status => effective_status_sql(now_ph),
    };
    format!("ORDER BY {column} {dir}, id {dir}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q_mark(_: usize) -> String {
        "?".into()
    }

    #[test]
    fn binds_in_placeholder_order() {
        let q = SessionQuery {
            identity_id: Some("o1".into()),
            statuses: vec![SessionStatus::Expired, SessionStatus::Finished],
            ..SessionQuery::default()
        };
        let w = where_clause("c1", "sandbox", &q, Timestamp::from_millis(5), &|n| format!("${n}"));
        assert_eq!(w.args.len(), 5);
        assert!(w.sql.contains("owner_identity_id = $3"), "{}", w.sql);
        assert!(w.sql.contains("expires_at <= $4"), "{}", w.sql);
        assert!(w.sql.contains("status = 'FINISHED'"), "{}", w.sql);
        let w = where_clause("c1", "sandbox", &SessionQuery::default(), Timestamp::from_millis(5), &q_mark);
        assert_eq!(w.sql, "WHERE client_id = ? AND environment = ?");
    }

    #[test]
    fn every_sort_breaks_ties_by_id_in_the_same_direction() {
        let q = SessionQuery { sort: SortField::TotalAmount, descending: false, ..SessionQuery::default() };
        assert_eq!(order_by(&q, "?"), "ORDER BY total_sort_key ASC, id ASC");
        let q = SessionQuery::default();
        assert_eq!(order_by(&q, "?"), "ORDER BY created_at DESC, id DESC");
    }
}
