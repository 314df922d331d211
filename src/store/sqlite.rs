//! The embedded default: one SQLite file in WAL mode.
//!
//! Writers take SQLite's single write lock; `busy_timeout` makes a second writer wait for it
//! instead of failing. Every multi-row write is one transaction whose first statement writes,
//! so it never has to upgrade a read lock (the case SQLite answers with SQLITE_BUSY at once).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::domain::environment::{Environment, Tenant};
use crate::domain::list_query::SessionQuery;
use crate::domain::session::SessionRecord;
use crate::store::list_sql::{self, Arg};
use crate::store::rows::{self, CLIENT_COLUMNS, SESSION_COLUMNS};
use crate::store::{
    ClientRecord, RateRecord, StatusChange, Store, StoreError, StoreResult, migrations,
};

pub struct SqliteStore {
    pool: SqlitePool,
}

/// SQLite's extended result code for a violated PRIMARY KEY or UNIQUE constraint.
fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl SqliteStore {
    pub async fn open(url: &str, pool_size: u32) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL survives a process crash; only an OS crash can lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(pool_size.max(1))
            .connect_with(options)
            .await?;
        migrations::migrator(migrations::SQLITE)
            .await?
            .run(&pool)
            .await?;
        Ok(SqliteStore { pool })
    }
}

fn bind_args<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    for a in args {
        query = match a {
            Arg::Text(s) => query.bind(s.as_str()),
            Arg::Int(i) => query.bind(*i),
        };
    }
    query
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn setting_or_init(&self, key: &str, init: &str) -> StoreResult<String> {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(init)
            .execute(&self.pool)
            .await?;
        let value: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(value)
    }

    async fn insert_client(&self, c: &ClientRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO clients (id, name, environment, secret_hash, api_key_hash, created_at, \
             revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(c.environment.as_str())
        .bind(&c.secret_hash)
        .bind(&c.api_key_hash)
        .bind(c.created_at.millis())
        .bind(c.revoked_at.map(|t| t.millis()))
        .execute(&self.pool)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict("client id or API key")
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    async fn list_clients(&self) -> StoreResult<Vec<ClientRecord>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients ORDER BY created_at, id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(rows::client_from_row).collect()
    }

    async fn count_clients(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM clients")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn revoke_client(&self, id: &str, at: crate::domain::time::Timestamp) -> StoreResult<bool> {
        let found: Option<String> = sqlx::query_scalar(
            "UPDATE clients SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING id",
        )
        .bind(at.millis())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    async fn client_by_api_key_hash(&self, hash: &str) -> StoreResult<Option<ClientRecord>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE api_key_hash = ?");
        let row = sqlx::query(&sql)
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::client_from_row).transpose()
    }

    async fn upsert_rate(&self, r: &RateRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO rates (environment, from_currency, to_currency, rate, updated_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (environment, from_currency, to_currency) \
             DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at",
        )
        .bind(r.environment.as_str())
        .bind(&r.from)
        .bind(&r.to)
        .bind(&r.rate)
        .bind(r.updated_at.millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_rates(&self, env: Option<Environment>) -> StoreResult<Vec<RateRecord>> {
        let rows = sqlx::query(
            "SELECT environment, from_currency, to_currency, rate, updated_at FROM rates \
             WHERE (? IS NULL OR environment = ?) ORDER BY environment, from_currency, to_currency",
        )
        .bind(env.map(Environment::as_str))
        .bind(env.map(Environment::as_str))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::rate_from_row).collect()
    }

    async fn rates_from(&self, env: Environment, from: &str) -> StoreResult<Vec<RateRecord>> {
        let rows = sqlx::query(
            "SELECT environment, from_currency, to_currency, rate, updated_at FROM rates \
             WHERE environment = ? AND from_currency = ?",
        )
        .bind(env.as_str())
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::rate_from_row).collect()
    }

    async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let body = serde_json::to_string(&s.body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let configs = serde_json::to_string(&s.payment_configs)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let env = s.tenant.environment.as_str();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO checkout_tokens (client_id, environment, token) VALUES (?, ?, ?)")
            .bind(&s.tenant.client_id)
            .bind(env)
            .bind(&s.checkout_token)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Conflict("checkoutToken")
                } else {
                    e.into()
                }
            })?;
        sqlx::query(
            "INSERT INTO checkout_sessions (id, client_id, environment, checkout_token, \
             public_token, payment_link_id, status, deactivated, created_at, expires_at, \
             updated_at, duration_secs, success_url, failed_url, owner_identity_id, \
             total_sort_key, body, payment_configs) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.id)
        .bind(&s.tenant.client_id)
        .bind(env)
        .bind(&s.checkout_token)
        .bind(&s.public_token)
        .bind(&s.payment_link_id)
        .bind(s.status.as_str())
        .bind(i64::from(s.deactivated))
        .bind(s.created_at.millis())
        .bind(s.expires_at.millis())
        .bind(s.created_at.millis())
        .bind(s.duration_secs)
        .bind(&s.success_url)
        .bind(&s.failed_url)
        .bind(&s.body.owner.identity_id)
        .bind(&s.total_sort_key)
        .bind(body)
        .bind(configs)
        .execute(&mut *tx)
        .await?;
        for account in s.account_numbers() {
            sqlx::query(
                "INSERT INTO session_destinations (account_number, session_id) VALUES (?, ?) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(account)
            .bind(&s.id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_session(&self, t: &Tenant, id: &str) -> StoreResult<Option<SessionRecord>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions \
             WHERE id = ? AND client_id = ? AND environment = ?"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::session_from_row).transpose()
    }

    async fn list_sessions(
        &self,
        t: &Tenant,
        q: &SessionQuery,
        now: crate::domain::time::Timestamp,
    ) -> StoreResult<(u64, Vec<SessionRecord>)> {
        let ph = |_: usize| "?".to_string();
        let w = list_sql::where_clause(&t.client_id, t.environment.as_str(), q, now, &ph);
        // One read transaction, so the total and the page come from the same snapshot.
        let mut tx = self.pool.begin().await?;
        let count_sql = format!("SELECT COUNT(*) FROM checkout_sessions {}", w.sql);
        let total: i64 = {
            let mut query = sqlx::query_scalar(&count_sql);
            for a in &w.args {
                query = match a {
                    Arg::Text(s) => query.bind(s.as_str()),
                    Arg::Int(i) => query.bind(*i),
                };
            }
            query.fetch_one(&mut *tx).await?
        };
        let page_sql = format!(
            "SELECT {SESSION_COLUMNS} FROM checkout_sessions {} {} LIMIT ? OFFSET ?",
            w.sql,
            list_sql::order_by(q, "?")
        );
        let mut query = bind_args(sqlx::query(&page_sql), &w.args);
        if matches!(q.sort, crate::domain::list_query::SortField::Status) {
            query = query.bind(now.millis());
        }
        let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
        let rows = query
            .bind(i64::from(q.limit))
            .bind(offset)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let page = rows
            .iter()
            .map(rows::session_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((u64::try_from(total).unwrap_or(0), page))
    }

    async fn transition_session(
        &self,
        t: &Tenant,
        id: &str,
        c: &StatusChange,
    ) -> StoreResult<bool> {
        // The guard on expires_at makes a session that has already timed out unwinnable for a
        // transition out of ATTEMPT/ACTIVE other than expiry itself.
        let expiry_guard = c.from.can_expire() && c.to != crate::domain::status::SessionStatus::Expired;
        let sql = format!(
            "UPDATE checkout_sessions SET status = ?, deactivated = MAX(deactivated, ?), \
             updated_at = ? WHERE id = ? AND client_id = ? AND environment = ? AND status = ?{}",
            if expiry_guard { " AND expires_at > ?" } else { "" }
        );
        let mut query = sqlx::query(&sql)
            .bind(c.to.as_str())
            .bind(i64::from(c.deactivate))
            .bind(c.now.millis())
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(c.from.as_str());
        if expiry_guard {
            query = query.bind(c.now.millis());
        }
        let done = query.execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }
}
