//! The hosted checkout page's use cases (CONTRACT §5): the public token alone finds the
//! session; opening it moves ATTEMPT to ACTIVE; paying, retrying and the sandbox's simulated
//! outcomes go through the same services as the API (`submit_payment`, `refresh_session`,
//! `simulate`), never around them.

use crate::domain::environment::Environment;
use crate::domain::lifecycle::Event;
use crate::domain::payer_flow::PayerFlow;
use crate::domain::payment::{PaymentEvent, PaymentStatus};
use crate::domain::payment_method::{NodeType, PaymentMethod};
use crate::domain::payment_record::PaymentRecord;
use crate::domain::payment_request::PaymentRequest;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::service::Context;
use crate::service::error::{Error, Kind, Result};

/// What the payer chose on the sandbox's simulation screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxOutcome {
    Approve,
    Reject,
}

impl Context {
    /// The session a hosted page link opens, or a 404 that says nothing about other sessions.
    pub async fn session_for_page(&self, public_token: &str) -> Result<SessionRecord> {
        self.store
            .session_by_public_token(public_token)
            .await?
            .ok_or_else(|| Error::not_found("no checkout session has this link"))
    }

    /// The payer opens the page: an ATTEMPT session becomes ACTIVE (compare-and-set). Any other
    /// status is returned as it is, so the page can tell the payer where things stand.
    pub async fn open_page(&self, public_token: &str) -> Result<SessionRecord> {
        let session = self.session_for_page(public_token).await?;
        if session.effective_status(self.clock.now()) != SessionStatus::Attempt {
            return Ok(session);
        }
        match self.apply(session, Event::Open).await {
            Ok(opened) => Ok(opened),
            // Expired or paid between the read and the write: show what it is now.
            Err(e) if e.kind == Kind::FailedPrecondition => {
                self.session_for_page(public_token).await
            }
            Err(e) => Err(e),
        }
    }

    /// Whether payments can be taken in `env` at all (production has no processor until an
    /// acquirer connector is configured; its submissions answer 501).
    pub fn takes_payments(&self, env: Environment) -> bool {
        env == Environment::Sandbox || self.processors.production.is_some()
    }

    /// The page's payment: exactly the API's `submit_payment`.
    pub async fn pay_on_page(
        &self,
        session: &SessionRecord,
        req: PaymentRequest,
    ) -> Result<PaymentRecord> {
        self.submit_payment(&session.tenant, &session.id, req).await
    }

    /// The session's newest payment, if any.
    pub async fn latest_payment(&self, session: &SessionRecord) -> Result<Option<PaymentRecord>> {
        let (_, mut page) = self
            .store
            .list_payments(&session.tenant, Some(&session.id), 1, 0)
            .await?;
        Ok(page.pop())
    }

    /// The sandbox screen's buttons: settle the session's pending payment as a provider would,
    /// through the same `simulate` as `/sandbox/payments/…` (so it is refused in production).
    pub async fn simulate_on_page(
        &self,
        session: &SessionRecord,
        outcome: SandboxOutcome,
    ) -> Result<PaymentRecord> {
        let payment = self
            .latest_payment(session)
            .await?
            .filter(|p| matches!(p.status, PaymentStatus::Pending | PaymentStatus::Authorized))
            .ok_or_else(|| Error::precondition("the checkout session has no pending payment"))?;
        let event = match outcome {
            SandboxOutcome::Reject => PaymentEvent::Fail,
            SandboxOutcome::Approve => NodeType::parse(&payment.method)
                .ok()
                .and_then(|n| PaymentMethod::from_node_type(n).ok())
                .map(|m| PayerFlow::of(m).approval_event())
                .unwrap_or(PaymentEvent::Capture),
        };
        self.simulate(&session.tenant, &payment.id, event).await
    }

    /// "Try again" after a failed payment: the API's refresh (back to ATTEMPT, new expiry,
    /// rates recomputed). Only a FAILED session: a payer must not revive an expired one.
    pub async fn retry_on_page(&self, session: &SessionRecord) -> Result<SessionRecord> {
        let status = session.effective_status(self.clock.now());
        if status != SessionStatus::Failed || session.deactivated {
            return Err(Error::precondition(format!(
                "the checkout session is {status} and cannot be retried from the page"
            )));
        }
        self.refresh_session(&session.tenant, &session.checkout_token)
            .await
    }
}
