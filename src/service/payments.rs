//! Payments on a session (CONTRACT §6): submit, settle, read, and the sandbox simulations.

use crate::domain::environment::{Environment, Tenant};
use crate::domain::lifecycle::{Decision, Event, decide};
use crate::domain::list_query::Pagination;
use crate::domain::payment::{PaymentEvent, advance, session_event};
use crate::domain::payment_record::PaymentRecord;
use crate::domain::payment_request::{self, PaymentRequest};
use crate::domain::status::SessionStatus;
use crate::processor::{Charge, Outcome, PaymentProcessor};
use crate::service::Context;
use crate::service::error::{Error, Kind, Result};
use crate::store::StatusChange;

impl Context {
    fn processor(&self, env: Environment) -> Result<&dyn PaymentProcessor> {
        match env {
            Environment::Sandbox => Ok(self.processors.sandbox.as_ref()),
            Environment::Production => self.processors.production.as_deref().ok_or_else(|| {
                Error::new(
                    Kind::Unimplemented,
                    "no payment processor is configured for production; use the sandbox \
                     (/sandbox/…) to take test payments",
                )
            }),
        }
    }

    /// Takes one payment on a session. Of any number of concurrent submissions exactly one
    /// wins the compare-and-set that moves the session to PROCESSING_PAYMENT and stores the
    /// payment; the others get a 422 and write nothing.
    pub async fn submit_payment(
        &self,
        tenant: &Tenant,
        session_id: &str,
        req: PaymentRequest,
    ) -> Result<PaymentRecord> {
        let processor = self.processor(tenant.environment)?;
        let session = self.get_session(tenant, session_id).await?;
        let now = self.clock.now();
        let current = session.effective_status(now);
        decide(current, session.deactivated, Event::SubmitPayment)
            .map_err(|refused| Error::precondition(refused.to_string()))?;
        let intent = payment_request::parse(req, &session)?;
        let payment = PaymentRecord::new(uuid::Uuid::now_v7().to_string(), &session, &intent, now);
        let change = StatusChange {
            from: session.status,
            to: SessionStatus::ProcessingPayment,
            deactivate: false,
            now,
            events: Vec::new(),
        };
        if !self.store.begin_payment(&change, &payment).await? {
            let now_status = self.get_session(tenant, session_id).await?;
            let status = now_status.effective_status(self.clock.now());
            return Err(Error::precondition(format!(
                "the checkout session is {status} and cannot take a payment"
            )));
        }
        let charge = Charge {
            payment_id: &payment.id,
            method: intent.method,
            currency: intent.currency,
            amount: &intent.purchase_amount,
            card: intent.card.as_ref(),
        };
        match processor.charge(&charge).await {
            Ok(Outcome::Captured) => {
                self.move_payment(payment, PaymentEvent::Capture, None)
                    .await
            }
            Ok(Outcome::Failed(reason)) => {
                self.move_payment(payment, PaymentEvent::Fail, Some(&reason))
                    .await
            }
            Ok(Outcome::Pending) => Ok(payment),
            Err(e) => {
                // The payment stays PENDING and the session PROCESSING_PAYMENT: nothing is lost,
                // and the processor's later notice (or an operator) settles it.
                tracing::warn!(payment = %payment.id, error = %e, "processor did not answer");
                Ok(payment)
            }
        }
    }

    /// Applies `event` to a payment and, in the same transaction, what it means for its session.
    pub async fn move_payment(
        &self,
        mut payment: PaymentRecord,
        event: PaymentEvent,
        reason: Option<&str>,
    ) -> Result<PaymentRecord> {
        for _ in 0..5 {
            let to =
                advance(payment.status, event).map_err(|r| Error::precondition(r.to_string()))?;
            let now = self.clock.now();
            let session_change = match session_event(payment.status, to) {
                None => None,
                Some(ev) => {
                    let session = self
                        .get_session(&payment.tenant, &payment.session_id)
                        .await?;
                    let current = session.effective_status(now);
                    match decide(current, session.deactivated, ev) {
                        Ok(Decision::Move { to, deactivate }) => Some(StatusChange {
                            from: session.status,
                            to,
                            deactivate,
                            now,
                            events: self.session_events(&session, to, now),
                        }),
                        Ok(Decision::Stay) => None,
                        Err(refused) => return Err(Error::internal(refused)),
                    }
                }
            };
            if self
                .store
                .settle_payment(
                    &payment,
                    to,
                    reason,
                    session_change.as_ref(),
                    now,
                    &self.payment_events(&payment, to, reason, now),
                )
                .await?
            {
                return self.get_payment(&payment.tenant, &payment.id).await;
            }
            payment = self.get_payment(&payment.tenant, &payment.id).await?;
        }
        Err(Error::new(
            Kind::Server,
            "the payment kept changing under this request; retry",
        ))
    }

    /// The sandbox's stand-in for a processor's notice: forbidden in production.
    pub async fn simulate(
        &self,
        tenant: &Tenant,
        payment_id: &str,
        event: PaymentEvent,
    ) -> Result<PaymentRecord> {
        if tenant.environment != Environment::Sandbox {
            return Err(Error::new(
                Kind::Forbidden,
                "payment simulations exist only in the sandbox; call /sandbox/payments/…",
            ));
        }
        let payment = self.get_payment(tenant, payment_id).await?;
        self.move_payment(payment, event, None).await
    }

    pub async fn get_payment(&self, tenant: &Tenant, id: &str) -> Result<PaymentRecord> {
        self.store
            .get_payment(tenant, id)
            .await?
            .ok_or_else(|| Error::not_found(format!("no payment with id {id:?}")))
    }

    pub async fn list_payments(
        &self,
        tenant: &Tenant,
        session_id: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<(Pagination, Vec<PaymentRecord>)> {
        let (total, page) = self
            .store
            .list_payments(tenant, session_id, limit, offset)
            .await?;
        Ok((Pagination::new(offset, limit, total, page.len()), page))
    }
}
