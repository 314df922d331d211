//! Payment links on SQLite.

use async_trait::async_trait;
use sqlx::Row;

use super::{SqliteStore, bind_args, is_unique_violation};
use crate::domain::environment::Tenant;
use crate::domain::link_query::LinkQuery;
use crate::domain::payment_link::{LinkRecord, LinkStatus};
use crate::domain::time::Timestamp;
use crate::store::link_sql;
use crate::store::rows::{self, LINK_COLUMNS};
use crate::store::{LinkSeen, LinkStore, StoreError, StoreResult};

/// The compare-and-set guard of `LinkSeen`: same stored status, same side of `expires_at`.
/// Binds, in order: status, now, expired.
const SEEN_GUARD: &str = "status = ? AND (expires_at <= ?) = ?";

#[async_trait]
impl LinkStore for SqliteStore {
    async fn insert_link(&self, l: &LinkRecord) -> StoreResult<()> {
        let body =
            serde_json::to_string(&l.body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let env = l.tenant.environment.as_str();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO checkout_tokens (client_id, environment, token) VALUES (?, ?, ?)")
            .bind(&l.tenant.client_id)
            .bind(env)
            .bind(&l.checkout_token)
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
            "INSERT INTO payment_links (id, client_id, environment, checkout_token, \
             public_token, status, created_at, expires_at, updated_at, duration_secs, \
             success_url, failed_url, owner_identity_id, customer_email, body) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&l.id)
        .bind(&l.tenant.client_id)
        .bind(env)
        .bind(&l.checkout_token)
        .bind(&l.public_token)
        .bind(l.status.as_str())
        .bind(l.created_at.millis())
        .bind(l.expires_at.millis())
        .bind(l.created_at.millis())
        .bind(l.duration_secs)
        .bind(&l.success_url)
        .bind(&l.failed_url)
        .bind(&l.body.owner.identity_id)
        .bind(l.customer_email_key())
        .bind(body)
        .execute(&mut *tx)
        .await?;
        for account in l.account_numbers() {
            sqlx::query(
                "INSERT INTO payment_link_destinations (client_id, environment, account_number, \
                 link_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            )
            .bind(&l.tenant.client_id)
            .bind(env)
            .bind(account)
            .bind(&l.id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_link(&self, t: &Tenant, id: &str) -> StoreResult<Option<LinkRecord>> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM payment_links \
             WHERE id = ? AND client_id = ? AND environment = ?"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::link_from_row).transpose()
    }

    async fn link_by_token(&self, t: &Tenant, token: &str) -> StoreResult<Option<LinkRecord>> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM payment_links \
             WHERE client_id = ? AND environment = ? AND checkout_token = ?"
        );
        let row = sqlx::query(&sql)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(token)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::link_from_row).transpose()
    }

    async fn list_links(
        &self,
        t: &Tenant,
        q: &LinkQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<LinkRecord>)> {
        let ph = |_: usize| "?".to_string();
        let w = link_sql::where_clause(&t.client_id, t.environment.as_str(), q, now, &ph);
        // One read transaction, so the total and the page come from the same snapshot.
        let mut tx = self.pool.begin().await?;
        let count_sql = format!("SELECT COUNT(*) FROM payment_links {}", w.sql);
        let total: i64 = bind_args(sqlx::query(&count_sql), &w.args)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let page_sql = format!(
            "SELECT {LINK_COLUMNS} FROM payment_links {} {} LIMIT ? OFFSET ?",
            w.sql,
            link_sql::order_by(q)
        );
        let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
        let rows = bind_args(sqlx::query(&page_sql), &w.args)
            .bind(i64::from(q.limit))
            .bind(offset)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let page = rows
            .iter()
            .map(rows::link_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((u64::try_from(total).unwrap_or(0), page))
    }

    async fn transition_link(
        &self,
        t: &Tenant,
        id: &str,
        seen: &LinkSeen,
        to: LinkStatus,
    ) -> StoreResult<bool> {
        let sql = format!(
            "UPDATE payment_links SET status = ?, updated_at = ? \
             WHERE id = ? AND client_id = ? AND environment = ? AND {SEEN_GUARD}"
        );
        let done = sqlx::query(&sql)
            .bind(to.as_str())
            .bind(seen.now.millis())
            .bind(id)
            .bind(&t.client_id)
            .bind(t.environment.as_str())
            .bind(seen.status.as_str())
            .bind(seen.now.millis())
            .bind(seen.expired)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_link(&self, t: &Tenant, id: &str, seen: &LinkSeen) -> StoreResult<bool> {
        let env = t.environment.as_str();
        // The DELETE goes first so the transaction writes from its first statement; its
        // destination rows follow by ON DELETE CASCADE.
        let mut tx = self.pool.begin().await?;
        let sql = format!(
            "DELETE FROM payment_links \
             WHERE id = ? AND client_id = ? AND environment = ? AND {SEEN_GUARD} \
             RETURNING checkout_token"
        );
        let token: Option<String> = sqlx::query_scalar(&sql)
            .bind(id)
            .bind(&t.client_id)
            .bind(env)
            .bind(seen.status.as_str())
            .bind(seen.now.millis())
            .bind(seen.expired)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(token) = token else {
            tx.rollback().await?;
            return Ok(false);
        };
        sqlx::query(
            "DELETE FROM checkout_tokens WHERE client_id = ? AND environment = ? AND token = ?",
        )
        .bind(&t.client_id)
        .bind(env)
        .bind(&token)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
