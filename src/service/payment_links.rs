//! Payment links: create, read, list, delete, activate, and make checkout sessions from them.
//!
//! Every state-dependent write is decided on the link's effective status and stored with a
//! compare-and-set on what that decision saw (`LinkSeen`); a lost race reads the link again
//! and decides on what is there now.

use crate::auth::credentials::random_token;
use crate::domain::environment::Tenant;
use crate::domain::link_query::LinkQuery;
use crate::domain::list_query::Pagination;
use crate::domain::new_session::NewSession;
use crate::domain::payment_link::{self, LinkRecord, LinkStatus};
use crate::domain::session::SessionRecord;
use crate::domain::session_input::CreateSessionRequest;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::service::Context;
use crate::service::error::{Error, Kind, Result};
use crate::store::LinkSeen;

/// One page of links with the contract's pagination block.
pub struct LinkPage {
    pub pagination: Pagination,
    pub results: Vec<LinkRecord>,
}

/// Rounds of read-decide-write before giving up; each lost round means another request
/// really changed the link, and a link has only two moves (activate, delete), so three
/// rounds are never all lost in practice.
const ROUNDS: usize = 3;

fn not_found(id: &str) -> Error {
    Error::not_found(format!("no payment link with id {id:?}"))
}

fn kept_changing() -> Error {
    Error::new(
        Kind::Server,
        "the payment link kept changing under this request; retry",
    )
}

fn seen(link: &LinkRecord, now: Timestamp) -> LinkSeen {
    LinkSeen {
        status: link.status,
        expired: link.expires_at <= now,
        now,
    }
}

impl Context {
    /// `POST /payment-links`: the same body and rules as a checkout session; starts in
    /// ATTEMPT and expires `duration` seconds after creation.
    pub async fn create_link(
        &self,
        tenant: &Tenant,
        req: CreateSessionRequest,
    ) -> Result<LinkRecord> {
        let new = NewSession::parse(req)?;
        let now = self.clock.now();
        let link = LinkRecord {
            id: uuid::Uuid::now_v7().to_string(),
            tenant: tenant.clone(),
            checkout_token: new.checkout_token.into_string(),
            // 256 random bits, derived from nothing else, as a session's.
            public_token: random_token(32),
            status: LinkStatus::Attempt,
            created_at: now,
            expires_at: now.plus_seconds(new.duration_secs),
            duration_secs: new.duration_secs,
            success_url: new.success_url.map(|u| u.as_str().to_owned()),
            failed_url: new.failed_url.map(|u| u.as_str().to_owned()),
            body: new.body,
        };
        self.store.insert_link(&link).await?;
        Ok(link)
    }

    pub async fn get_link(&self, tenant: &Tenant, id: &str) -> Result<LinkRecord> {
        self.store
            .get_link(tenant, id)
            .await?
            .ok_or_else(|| not_found(id))
    }

    pub async fn list_links(&self, tenant: &Tenant, query: &LinkQuery) -> Result<LinkPage> {
        let (total, results) = self
            .store
            .list_links(tenant, query, self.clock.now())
            .await?;
        Ok(LinkPage {
            pagination: Pagination::new(query.offset, query.limit, total, results.len()),
            results,
        })
    }

    /// `DELETE`: only an ATTEMPT or EXPIRED link; it is gone afterwards and its checkout token
    /// free again. Sessions it made keep their `paymentLinkId`.
    pub async fn delete_link(&self, tenant: &Tenant, id: &str) -> Result<()> {
        for _ in 0..ROUNDS {
            let link = self.get_link(tenant, id).await?;
            let now = self.clock.now();
            let current = link.effective_status(now);
            if !payment_link::can_delete(current) {
                return Err(Error::precondition(format!(
                    "payment link {id} is {current}; only ATTEMPT and EXPIRED links can be deleted"
                )));
            }
            if self
                .store
                .delete_link(tenant, id, &seen(&link, now))
                .await?
            {
                return Ok(());
            }
        }
        Err(kept_changing())
    }

    /// `activate`: ATTEMPT to ACTIVE, so the link starts making checkout sessions.
    pub async fn activate_link(&self, tenant: &Tenant, id: &str) -> Result<LinkRecord> {
        for _ in 0..ROUNDS {
            let mut link = self.get_link(tenant, id).await?;
            let now = self.clock.now();
            let current = link.effective_status(now);
            if !payment_link::can_activate(current) {
                return Err(Error::precondition(format!(
                    "payment link {id} is {current}; only an ATTEMPT link can be activated"
                )));
            }
            let to = LinkStatus::Active;
            if self
                .store
                .transition_link(tenant, id, &seen(&link, now), to)
                .await?
            {
                link.status = to;
                return Ok(link);
            }
        }
        Err(kept_changing())
    }

    /// `POST /payment-links/token/{checkoutToken}/checkout-sessions`: a new session with the
    /// link's offer, payment configs at today's rates, a token derived from the link's, and an
    /// expiry that never passes the link's own.
    pub async fn create_session_from_link(
        &self,
        tenant: &Tenant,
        link_token: &str,
    ) -> Result<SessionRecord> {
        let link = self
            .store
            .link_by_token(tenant, link_token)
            .await?
            .ok_or_else(|| {
                Error::not_found(format!("no payment link with checkoutToken {link_token:?}"))
            })?;
        self.session_from_link(link).await
    }

    /// A payer opened the link's page (`/l/{publicToken}`): a fresh session from its offer,
    /// as `POST /payment-links/token/{token}/checkout-sessions` would make.
    pub async fn session_from_link_page(&self, public_token: &str) -> Result<SessionRecord> {
        let link = self
            .store
            .link_by_public_token(public_token)
            .await?
            .ok_or_else(|| Error::not_found("no payment link has this address"))?;
        self.session_from_link(link).await
    }

    async fn session_from_link(&self, link: LinkRecord) -> Result<SessionRecord> {
        let tenant = &link.tenant;
        let now = self.clock.now();
        let current = link.effective_status(now);
        if !payment_link::can_make_session(current) {
            return Err(Error::precondition(format!(
                "payment link {} is {current}; only an ACTIVE link makes checkout sessions",
                link.id
            )));
        }
        // No compare-and-set on the link: an ACTIVE link never moves back, and it can only be
        // deleted once expired, by when every session made from it has expired too.
        let offer = link.body.offer().map_err(Error::internal)?;
        let configs = self.configs_for_offer(tenant.environment, &offer).await?;
        let suffix = random_token(payment_link::SESSION_TOKEN_SUFFIX_BYTES);
        let checkout_token =
            payment_link::session_token(&link.checkout_token, &suffix).map_err(Error::internal)?;
        let session = SessionRecord {
            id: uuid::Uuid::now_v7().to_string(),
            tenant: tenant.clone(),
            checkout_token: checkout_token.into_string(),
            public_token: random_token(32),
            payment_link_id: Some(link.id.clone()),
            status: SessionStatus::Attempt,
            deactivated: false,
            created_at: now,
            expires_at: payment_link::session_expiry(link.expires_at, now, link.duration_secs),
            duration_secs: link.duration_secs,
            success_url: link.success_url.clone(),
            failed_url: link.failed_url.clone(),
            total_sort_key: offer.total.sort_key(),
            body: link.body,
            payment_configs: configs,
        };
        self.store.insert_session(&session).await?;
        Ok(session)
    }
}
