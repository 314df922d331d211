//! What lets one piece of SQL serve both backends: the dialect (placeholders and the few
//! functions whose names differ), a statement with its bind values, and binding them on any
//! sqlx driver.
//!
//! Statements are written once, SQLite-style with `?` placeholders, and rendered for the
//! backend that runs them. Only what genuinely differs (how the expiry sweep claims rows, how a
//! write transaction begins) stays in the backend modules.

use futures_core::future::BoxFuture;
use sqlx::query::Query;
use sqlx::{Database, Encode, Executor, IntoArguments, Type};

use crate::store::list_sql::Arg;
use crate::store::rows::Decoders;
use crate::store::{StoreError, StoreResult};

/// The SQL dialect a statement is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The n-th placeholder (1-based): `?` on SQLite, `$n` on PostgreSQL.
    pub fn ph(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => "?".to_string(),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// The larger of two values: SQLite's scalar `MAX(a, b)` is PostgreSQL's `GREATEST(a, b)`
    /// (PostgreSQL's `MAX` is only the aggregate).
    pub fn greatest(self) -> &'static str {
        match self {
            Dialect::Sqlite => "MAX",
            Dialect::Postgres => "GREATEST",
        }
    }

    /// The suffix that makes a claiming `SELECT` skip rows another transaction holds: on
    /// PostgreSQL, several processes claim disjoint rows at once; SQLite has one writer at a
    /// time, so its IMMEDIATE transaction already is the claim.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Rewrites the `?` placeholders of `sql` in this dialect, numbering them in order. Our
    /// statements hold no `?` inside string literals, and PostgreSQL's `?` operators (jsonb)
    /// are never used, so a plain scan is exact.
    pub fn render(self, sql: &str) -> String {
        match self {
            Dialect::Sqlite => sql.to_string(),
            Dialect::Postgres => {
                let mut out = String::with_capacity(sql.len() + 16);
                let mut n = 0;
                for ch in sql.chars() {
                    if ch == '?' {
                        n += 1;
                        out.push_str(&self.ph(n));
                    } else {
                        out.push(ch);
                    }
                }
                out
            }
        }
    }
}

/// One statement, rendered for its dialect, and its bind values in placeholder order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    pub sql: String,
    pub args: Vec<Arg>,
}

impl Stmt {
    /// `sql` is written with `?` placeholders, one per element of `args`.
    pub fn new(d: Dialect, sql: &str, args: Vec<Arg>) -> Stmt {
        debug_assert_eq!(
            sql.matches('?').count(),
            args.len(),
            "placeholders and arguments differ in {sql}"
        );
        Stmt {
            sql: d.render(sql),
            args,
        }
    }

    /// The statement as a sqlx query with every argument bound, on any driver.
    pub fn query<DB: Driver>(&self) -> Query<'_, DB, <DB as Database>::Arguments<'_>> {
        DB::bind_all(sqlx::query(&self.sql), &self.args)
    }

    /// Runs the statement; returns how many rows it changed.
    pub async fn execute<'e, DB, E>(&'e self, ex: E) -> StoreResult<u64>
    where
        DB: Driver,
        E: Executor<'e, Database = DB> + 'e,
    {
        DB::execute(self, ex).await
    }

    /// Runs the statement and decodes the row it returns, if any.
    pub async fn fetch_optional<'e, DB, E, T>(
        &'e self,
        ex: E,
        decode: impl Fn(&DB::Row) -> StoreResult<T>,
    ) -> StoreResult<Option<T>>
    where
        DB: Driver,
        E: Executor<'e, Database = DB> + 'e,
    {
        let row = DB::fetch_optional(self, ex).await?;
        row.as_ref().map(decode).transpose()
    }

    /// Runs the statement and decodes every row it returns.
    pub async fn fetch_all<'e, DB, E, T>(
        &'e self,
        ex: E,
        decode: impl Fn(&DB::Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>>
    where
        DB: Driver,
        E: Executor<'e, Database = DB> + 'e,
    {
        let rows = DB::fetch_all(self, ex).await?;
        rows.iter().map(decode).collect()
    }

    /// Runs a `SELECT COUNT(*) …` and returns the count.
    pub async fn count<'e, DB, E>(&'e self, ex: E) -> StoreResult<u64>
    where
        DB: Driver,
        E: Executor<'e, Database = DB> + 'e,
    {
        let row = DB::fetch_optional(self, ex).await?;
        row.as_ref().map(Decoders::count0).unwrap_or(Ok(0))
    }
}

/// Runs `stmt` (an INSERT) and turns a unique violation into `Conflict(what)`.
pub async fn insert_unique<DB>(
    conn: &mut DB::Connection,
    stmt: &Stmt,
    what: &'static str,
) -> StoreResult<()>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    match stmt.execute(&mut *conn).await {
        Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
            Err(StoreError::Conflict(what))
        }
        other => other.map(|_| ()),
    }
}

/// Runs a list's count and its page on `conn` (inside the caller's read transaction, so both
/// see one snapshot) and decodes the page.
pub async fn count_and_page<DB, T>(
    conn: &mut DB::Connection,
    (count, page): (Stmt, Stmt),
    decode: impl Fn(&DB::Row) -> StoreResult<T>,
) -> StoreResult<(u64, Vec<T>)>
where
    DB: Driver,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let total = count.count(&mut *conn).await?;
    let rows = page.fetch_all(&mut *conn, decode).await?;
    Ok((total, rows))
}

/// A sqlx driver that can bind every `Arg` and run and decode what the shared statements
/// need. Both backends are, through the blanket impl below, whose bounds hold for each
/// concrete driver; shared code then names this one bound instead of a dozen.
pub trait Driver: Database<Row: Decoders> {
    fn bind_all<'q>(
        query: Query<'q, Self, <Self as Database>::Arguments<'q>>,
        args: &'q [Arg],
    ) -> Query<'q, Self, <Self as Database>::Arguments<'q>>;

    fn execute<'e, E>(s: &'e Stmt, ex: E) -> BoxFuture<'e, StoreResult<u64>>
    where
        E: Executor<'e, Database = Self> + 'e;

    fn fetch_optional<'e, E>(s: &'e Stmt, ex: E) -> BoxFuture<'e, StoreResult<Option<Self::Row>>>
    where
        E: Executor<'e, Database = Self> + 'e;

    fn fetch_all<'e, E>(s: &'e Stmt, ex: E) -> BoxFuture<'e, StoreResult<Vec<Self::Row>>>
    where
        E: Executor<'e, Database = Self> + 'e;
}

impl<DB> Driver for DB
where
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    DB::Row: Decoders,
    DB::QueryResult: RowsAffected,
{
    fn bind_all<'q>(
        query: Query<'q, DB, <DB as Database>::Arguments<'q>>,
        args: &'q [Arg],
    ) -> Query<'q, DB, <DB as Database>::Arguments<'q>> {
        bind(query, args)
    }

    fn execute<'e, E>(s: &'e Stmt, ex: E) -> BoxFuture<'e, StoreResult<u64>>
    where
        E: Executor<'e, Database = DB> + 'e,
    {
        Box::pin(async move { Ok(s.query().execute(ex).await?.rows_affected()) })
    }

    fn fetch_optional<'e, E>(s: &'e Stmt, ex: E) -> BoxFuture<'e, StoreResult<Option<DB::Row>>>
    where
        E: Executor<'e, Database = DB> + 'e,
    {
        Box::pin(async move { Ok(s.query().fetch_optional(ex).await?) })
    }

    fn fetch_all<'e, E>(s: &'e Stmt, ex: E) -> BoxFuture<'e, StoreResult<Vec<DB::Row>>>
    where
        E: Executor<'e, Database = DB> + 'e,
    {
        Box::pin(async move { Ok(s.query().fetch_all(ex).await?) })
    }
}

/// sqlx gives each driver's query result a `rows_affected` of its own, not through a trait.
pub trait RowsAffected {
    fn rows_affected(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::sqlite::SqliteQueryResult::rows_affected(self)
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::postgres::PgQueryResult::rows_affected(self)
    }
}

/// Binds `args` in order onto `query`, on any driver.
pub fn bind<'q, DB>(
    mut query: Query<'q, DB, <DB as Database>::Arguments<'q>>,
    args: &'q [Arg],
) -> Query<'q, DB, <DB as Database>::Arguments<'q>>
where
    DB: Database,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
{
    for a in args {
        query = match a {
            Arg::Text(s) => query.bind(s.as_str()),
            Arg::Int(i) => query.bind(*i),
            Arg::OptText(s) => query.bind(s.as_deref()),
            Arg::OptInt(i) => query.bind(*i),
            Arg::Bool(b) => query.bind(*b),
        };
    }
    query
}

/// `args![a, b, …]`: bind values from anything `Arg` converts from.
macro_rules! args {
    ($($a:expr),* $(,)?) => { vec![$($crate::store::list_sql::Arg::from($a)),*] };
}
pub(crate) use args;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_numbers_placeholders_in_order() {
        let s = Stmt::new(
            Dialect::Postgres,
            "UPDATE t SET a = ? WHERE b = ? AND c = ?",
            args!["x", 1_i64, true],
        );
        assert_eq!(s.sql, "UPDATE t SET a = $1 WHERE b = $2 AND c = $3");
        let s = Stmt::new(Dialect::Sqlite, "SELECT ?", args![Some("x")]);
        assert_eq!(s.sql, "SELECT ?");
    }
}
