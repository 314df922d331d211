//! Checkout sessions: create, read, list and deactivate (CONTRACT §3–5, §7).

use crate::auth::credentials::random_token;
use crate::domain::environment::{Environment, Tenant};
use crate::domain::lifecycle::{Decision, Event, decide};
use crate::domain::list_query::{Pagination, SessionQuery};
use crate::domain::new_session::NewSession;
use crate::domain::payment_config;
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::payment_link;
use crate::domain::session::{Offer, SessionRecord};
use crate::domain::session_input::CreateSessionRequest;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::service::Context;
use crate::service::error::{Error, Kind, Result};
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
    pub async fn create_session(
        &self,
        tenant: &Tenant,
        req: CreateSessionRequest,
    ) -> Result<SessionRecord> {
        let new = NewSession::parse(req)?;
        let offer = Offer {
            total: new.total,
            methods: new.methods.clone(),
            requirements: new.requirements.clone(),
        };
        let configs = self.configs_for_offer(tenant.environment, &offer).await?;
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
    pub async fn delete_session(&self, tenant: &Tenant, id: &str) -> Result<SessionRecord> {
        let session = self.get_session(tenant, id).await?;
        self.apply(session, Event::Delete).await
    }

    /// `POST /checkout-sessions/token/{token}/refresh`: back to ATTEMPT with a new expiry and
    /// payment configs computed at today's rates.
    pub async fn refresh_session(&self, tenant: &Tenant, token: &str) -> Result<SessionRecord> {
        let session = self
            .store
            .session_by_token(tenant, token)
            .await?
            .ok_or_else(|| {
                Error::not_found(format!("no checkout session with checkoutToken {token:?}"))
            })?;
        self.apply(session, Event::Refresh).await
    }

    /// Decides `event` on the session as it is now and stores the outcome with a
    /// compare-and-set. A lost race means another request moved the session first: read it
    /// again and decide on what is there now.
    pub(crate) async fn apply(
        &self,
        mut session: SessionRecord,
        event: Event,
    ) -> Result<SessionRecord> {
        for _ in 0..5 {
            let now = self.clock.now();
            let current = session.effective_status(now);
            let (to, deactivate) = match decide(current, session.deactivated, event) {
                Err(refused) => return Err(Error::precondition(refused.to_string())),
                Ok(Decision::Stay) => return Ok(session),
                Ok(Decision::Move { to, deactivate }) => (to, deactivate),
            };
            let change = StatusChange {
                from: session.status,
                to,
                deactivate,
                now,
                events: self.session_events(&session, to, now),
            };
            let won = if event == Event::Refresh {
                let expires_at = self.refreshed_expiry(&session, now).await?;
                let configs = self.payment_configs_for(&session).await?;
                self.store
                    .refresh_session(&session.tenant, &session.id, &change, expires_at, &configs)
                    .await?
            } else {
                self.store
                    .transition_session(&session.tenant, &session.id, &change)
                    .await?
            };
            let fresh = self.get_session(&session.tenant, &session.id).await?;
            if won {
                return Ok(fresh);
            }
            session = fresh;
        }
        Err(Error::new(
            Kind::Server,
            "the checkout session kept changing under this request; retry",
        ))
    }

    /// A refreshed session lives `duration` again, but a session made from a payment link never
    /// outlives the link (as when it was made); once the link has expired it cannot be revived.
    async fn refreshed_expiry(&self, session: &SessionRecord, now: Timestamp) -> Result<Timestamp> {
        let Some(link_id) = &session.payment_link_id else {
            return Ok(now.plus_seconds(session.duration_secs));
        };
        let link = self.store.get_link(&session.tenant, link_id).await?;
        match link {
            Some(link) if link.expires_at > now => Ok(payment_link::session_expiry(
                link.expires_at,
                now,
                session.duration_secs,
            )),
            _ => Err(Error::precondition(format!(
                "the payment link {link_id} of this checkout session has expired or was deleted; \
                 make a new session from an active link"
            ))),
        }
    }

    /// Payment configs for an existing session's offer at the current rates.
    async fn payment_configs_for(&self, session: &SessionRecord) -> Result<Vec<CurrencyConfig>> {
        let offer = session.body.offer().map_err(Error::internal)?;
        self.configs_for_offer(session.tenant.environment, &offer)
            .await
    }

    /// Payment configs for an offer at the rates stored now (CONTRACT §4): one query for the
    /// rates out of the session currency, then pure computation.
    pub async fn configs_for_offer(
        &self,
        env: Environment,
        offer: &Offer,
    ) -> Result<Vec<CurrencyConfig>> {
        let rates = self.rates_from(env, offer.total.currency()).await?;
        Ok(payment_config::compute(
            offer.total,
            &offer.methods,
            &offer.requirements,
            |from, to| rates.get(&(from, to)).cloned(),
            &self.limits,
        ))
    }
}
