//! The SQL of the session list, shared by every backend: only the placeholder style differs.
//!
//! Every filter is a sargable condition on an indexed column, and every sort an index order
//! plus `id` as the tie-breaker, so a page costs an index range scan whatever is asked.

use crate::domain::list_query::{SessionQuery, SortField};
use crate::domain::status;
use crate::domain::time::Timestamp;

/// A bind value of a shared statement (see `store::stmt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Int(i64),
    OptText(Option<String>),
    OptInt(Option<i64>),
    Bool(bool),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(i: i64) -> Arg {
        Arg::Int(i)
    }
}

impl From<bool> for Arg {
    fn from(b: bool) -> Arg {
        Arg::Bool(b)
    }
}

impl From<Option<&str>> for Arg {
    fn from(s: Option<&str>) -> Arg {
        Arg::OptText(s.map(str::to_owned))
    }
}

impl From<&Option<String>> for Arg {
    fn from(s: &Option<String>) -> Arg {
        Arg::OptText(s.clone())
    }
}

impl From<Option<String>> for Arg {
    fn from(s: Option<String>) -> Arg {
        Arg::OptText(s)
    }
}

impl From<Option<Timestamp>> for Arg {
    fn from(t: Option<Timestamp>) -> Arg {
        Arg::OptInt(t.map(Timestamp::millis))
    }
}

impl From<Option<i64>> for Arg {
    fn from(i: Option<i64>) -> Arg {
        Arg::OptInt(i)
    }
}

impl From<Timestamp> for Arg {
    fn from(t: Timestamp) -> Arg {
        Arg::Int(t.millis())
    }
}

/// Builds `WHERE …` for the query; `ph(n)` writes the n-th placeholder (1-based).
pub struct Where {
    pub sql: String,
    pub args: Vec<Arg>,
}

impl Where {
    /// `WHERE client_id = … AND environment = …`: every list is scoped to its tenant first,
    /// which is also how each list's indexes begin.
    pub fn tenant(client_id: &str, environment: &str, ph: &dyn Fn(usize) -> String) -> Where {
        let mut w = Where {
            sql: String::new(),
            args: Vec::new(),
        };
        let c = w.push(ph, Arg::Text(client_id.to_owned()));
        let e = w.push(ph, Arg::Text(environment.to_owned()));
        w.sql = format!("WHERE client_id = {c} AND environment = {e}");
        w
    }

    /// Binds `arg` and returns its placeholder. Bind only what the SQL reads, once per use:
    /// a `?` placeholder takes the next argument, so an unused one shifts every later bind.
    pub fn push(&mut self, ph: &dyn Fn(usize) -> String, arg: Arg) -> String {
        self.args.push(arg);
        ph(self.args.len())
    }

    /// Binds each value and returns `(p1, p2, …)` for `IN`; `values` must not be empty.
    pub fn in_list(&mut self, ph: &dyn Fn(usize) -> String, values: &[String]) -> String {
        let marks: Vec<String> = values
            .iter()
            .map(|v| self.push(ph, Arg::Text(v.clone())))
            .collect();
        format!("({})", marks.join(", "))
    }

    /// The condition that a row reads as `status` (reads see expiry at once, CONTRACT §5), for
    /// a resource whose `expiring` statuses read EXPIRED once `expires_at` has passed. Status
    /// names are the domain's own `as_str` values, never client text, so they are inlined.
    pub fn effective_status_is(
        &mut self,
        ph: &dyn Fn(usize) -> String,
        status: &str,
        expiring: &[&str],
        now: Timestamp,
    ) -> String {
        let waiting = expiring
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        if status == "EXPIRED" {
            let n = self.push(ph, Arg::Int(now.millis()));
            format!("(status = 'EXPIRED' OR (status IN ({waiting}) AND expires_at <= {n}))")
        } else if expiring.contains(&status) {
            let n = self.push(ph, Arg::Int(now.millis()));
            // The unary plus keeps SQLite's planner off the expires_at index here: the status
            // index (which carries expires_at) answers both the count and the page alone
            // (benches/hot_paths.rs). PostgreSQL reads `+x` as plain `x`.
            format!("(status = '{status}' AND +expires_at > {n})")
        } else {
            format!("status = '{status}'")
        }
    }

    /// `AND (a OR b …)`; nothing when `conditions` is empty.
    pub fn and_any(&mut self, conditions: &[String]) {
        if !conditions.is_empty() {
            self.sql += &format!(" AND ({})", conditions.join(" OR "));
        }
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
    let mut w = Where::tenant(client_id, environment, ph);
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
    let expiring: Vec<&str> = status::ALL
        .iter()
        .filter(|s| s.can_expire())
        .map(|s| s.as_str())
        .collect();
    let parts: Vec<String> = q
        .statuses
        .iter()
        .map(|st| w.effective_status_is(ph, st.as_str(), &expiring, now))
        .collect();
    w.and_any(&parts);
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
    use crate::domain::status::SessionStatus;

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
        let w = where_clause("c1", "sandbox", &q, Timestamp::from_millis(5), &|n| {
            format!("${n}")
        });
        // FINISHED never expires, so it binds no `now`: an unread argument would shift the
        // page's LIMIT and OFFSET binds under `?` placeholders.
        assert_eq!(w.args.len(), 4);
        assert!(w.sql.contains("owner_identity_id = $3"), "{}", w.sql);
        assert!(w.sql.contains("expires_at <= $4"), "{}", w.sql);
        assert!(w.sql.contains("status = 'FINISHED'"), "{}", w.sql);
        let w = where_clause(
            "c1",
            "sandbox",
            &SessionQuery::default(),
            Timestamp::from_millis(5),
            &q_mark,
        );
        assert_eq!(w.sql, "WHERE client_id = ? AND environment = ?");
    }

    #[test]
    fn every_sort_breaks_ties_by_id_in_the_same_direction() {
        let q = SessionQuery {
            sort: SortField::TotalAmount,
            descending: false,
            ..SessionQuery::default()
        };
        assert_eq!(order_by(&q, "?"), "ORDER BY total_sort_key ASC, id ASC");
        let q = SessionQuery::default();
        assert_eq!(order_by(&q, "?"), "ORDER BY created_at DESC, id DESC");
    }
}
