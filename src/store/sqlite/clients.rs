//! API clients and exchange rates on SQLite.

use async_trait::async_trait;

use super::{SqliteStore, is_unique_violation};
use crate::domain::environment::Environment;
use crate::domain::time::Timestamp;
use crate::store::rows::{self, CLIENT_COLUMNS};
use crate::store::{ClientRecord, ClientStore, RateRecord, RateStore, StoreError, StoreResult};

#[async_trait]
impl ClientStore for SqliteStore {
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

    async fn revoke_client(&self, id: &str, at: Timestamp) -> StoreResult<bool> {
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
}

#[async_trait]
impl RateStore for SqliteStore {
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
}
