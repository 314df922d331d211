//! Checkout sessions: create, read, list and deactivate (CONTRACT §3–5, §7).

use crate::auth::credentials::random_token;
use crate::domain::environment::Tenant;
use crate::domain::list_query::{Pagination, SessionQuery};
use crate::domain::new_session::NewSession;
use crate::domain::payment_config;
use crate::domain::session::SessionRecord;
use crate::domain::session_input::CreateSessionRequest;
use crate::domain::status::SessionStatus;
use crate::service::Context;
use crate::service::error::{Error, Result};
use crate::store::StatusChange;

/// One page of sessions with the contract's pagination block.
pub struct Page {
    pub pagination: Pagination,
    pub results: Vec<SessionRecord>,
}

fn not_found(id: &str) -> Error {
    Error::not_found(format!("no checkout session with id {id:?}"))
}

impl Context {
    pub async fn create_session(&self, tenant: &Tenant, req: CreateSessionRequest) -> Result<SessionRecord> {
        let new = NewSession::parse(req)?;
        let rates = self.rates_from(tenant.environment, new.currency).await?;
        let configs = payment_config::compute(
            new.total,
            &new.methods,
            &new.requirements,
            |from, to| rates.get(&(from, to)).cloned(),
            &self.limits,
        );
        let now = self.clock.now();
        let record = SessionRecord {
            id: uuid::Uuid::now_v7().to_string(),
            tenant: tenant.clone(),
            checkout_token: new.checkout_token.into_string(),
            // 256 random bits, derived from nothing else: knowing any other id gives no way in.
            public_token: random_token(32),
            payment_link_id: None,
            status: SessionStatus::Attempt,
            deactivated: false,
            created_at: now,
            expires_at: now.plus_seconds(new.duration_secs),
            duration_secs: new.duration_secs,
            success_url: new.success_url.map(|u| u.as_str().to_owned()),
            failed_url: new.failed_url.map(|u| u.as_str().to_owned()),
            total_sort_key: new.total.sort_key(),
            body: new.body,
            payment_configs: configs,
        };
        self.store.insert_session(&record).await?;
        Ok(record)
    }

    pub async fn get_session(&self, tenant: &Tenant, id: &str) -> Result<SessionRecord> {
        self.store
            .get_session(tenant, id)
            .await?
            .ok_or_else(|| not_found(id))
    }

    pub async fn list_sessions(&self, tenant: &Tenant, query: &SessionQuery) -> Result<Page> {
        let (total, results) = self
            .store
            .list_sessions(tenant, query, self.clock.now())
            .await?;
        Ok(Page {
            pagination: Pagination::new(query.offset, query.limit, total, results.len()),
            results,
        })
    }

    /// `DELETE`: EXPIRED and deactivated for good, from any status that has no payment in
    /// flight or done. Idempotent: deleting a deactivated session answers the same.
    pub async fn delete_session(&self, tenant: &Tenant, id: &str) -> Result<()> {
        // A lost compare-and-set means another request moved the session first: read again and
        // decide on what is there now. Three rounds is plenty; each loss means real progress.
        for _ in 0..3 {
            let session = self.get_session(tenant, id).await?;
            if session.deactivated {
                return Ok(());
            }
            let now = self.clock.now();
            let current = session.effective_status(now);
            if !crate::domain::lifecycle::can_delete(current) {
                return Err(Error::precondition(format!(
                    "checkout session {id} is {current} and can no longer be deleted"
                )));
            }
            let change = StatusChange {
                from: session.status,
                to: SessionStatus::Expired,
                deactivate: true,
                now,
            };
            if self.store.transition_session(tenant, id, &change).await? {
                return Ok(());
            }
        }
        Err(Error::new(
            crate::service::error::Kind::Server,
            "the checkout session kept changing while it was being deleted; retry",
        ))
    }
}
