//! Payment links, on any pooled backend.

use async_trait::async_trait;
use sqlx::{Database, Executor};

use super::{Pooled, count_and_page};
use crate::domain::environment::Tenant;
use crate::domain::link_query::LinkQuery;
use crate::domain::payment_link::{LinkRecord, LinkStatus};
use crate::domain::time::Timestamp;
use crate::store::rows::Decoders;
use crate::store::{LinkSeen, LinkStore, StoreResult, link_sql, work};

#[async_trait]
impl<S> LinkStore for S
where
    S: Pooled,
    for<'c> &'c mut <S::Db as Database>::Connection: Executor<'c, Database = S::Db>,
{
    async fn insert_link(&self, l: &LinkRecord) -> StoreResult<()> {
        let stmts = link_sql::insert_link(S::DIALECT, l)?;
        let mut tx = self.begin_write().await?;
        work::insert_with_token::<S::Db>(&mut tx, S::DIALECT, &l.tenant, &l.checkout_token, stmts)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_link(&self, t: &Tenant, id: &str) -> StoreResult<Option<LinkRecord>> {
        link_sql::get_link(S::DIALECT, t, id)
            .fetch_optional(self.pool(), Decoders::link)
            .await
    }

    async fn link_by_public_token(&self, public_token: &str) -> StoreResult<Option<LinkRecord>> {
        link_sql::link_by_public_token(S::DIALECT, public_token)
            .fetch_optional(self.pool(), Decoders::link)
            .await
    }

    async fn link_by_token(&self, t: &Tenant, token: &str) -> StoreResult<Option<LinkRecord>> {
        link_sql::link_by_token(S::DIALECT, t, token)
            .fetch_optional(self.pool(), Decoders::link)
            .await
    }

    async fn list_links(
        &self,
        t: &Tenant,
        q: &LinkQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<LinkRecord>)> {
        let stmts = link_sql::list_links(S::DIALECT, t, q, now);
        count_and_page(self, stmts, Decoders::link).await
    }

    async fn transition_link(
        &self,
        t: &Tenant,
        id: &str,
        seen: &LinkSeen,
        to: LinkStatus,
    ) -> StoreResult<bool> {
        let done = link_sql::transition_link(S::DIALECT, t, id, seen, to)
            .execute(self.pool())
            .await?;
        Ok(done == 1)
    }

    async fn delete_link(&self, t: &Tenant, id: &str, seen: &LinkSeen) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let won = work::delete_link::<S::Db>(&mut tx, S::DIALECT, t, id, seen).await?;
        if won {
            tx.commit().await?;
        }
        Ok(won)
    }
}
