//! Which webhook events a change causes (CONTRACT §8), with the object as it is after the
//! change as `data`. The store writes them in the same transaction as the change.

use serde_json::Value;

use crate::domain::payment::PaymentStatus;
use crate::domain::payment_record::PaymentRecord;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::domain::webhook::{self, NewEvent};
use crate::service::Context;

/// The session event for a move from `from` to `to`, if the move is one merchants hear about.
pub fn session_event_name(from: SessionStatus, to: SessionStatus) -> Option<&'static str> {
    match to {
        SessionStatus::Finished => Some(webhook::SESSION_FINISHED),
        SessionStatus::Failed => Some(webhook::SESSION_FAILED),
        SessionStatus::Expired if from != SessionStatus::Expired => Some(webhook::SESSION_EXPIRED),
        _ => None,
    }
}

pub fn payment_event_name(to: PaymentStatus) -> Option<&'static str> {
    match to {
        PaymentStatus::Captured => Some(webhook::TRANSACTION_CAPTURED),
        PaymentStatus::Received => Some(webhook::TRANSACTION_RECEIVED),
        PaymentStatus::Failed => Some(webhook::TRANSACTION_FAILED),
        PaymentStatus::Pending | PaymentStatus::Authorized => None,
    }
}

/// The session's wire JSON as a reader would see it with `status` stored.
pub fn session_data(public_url: &str, session: &SessionRecord, now: Timestamp) -> Value {
    serde_json::to_value(session.view(public_url, now)).unwrap_or(Value::Null)
}

impl Context {
    /// Events of a session moving from its stored status to `to`.
    pub(crate) fn session_events(
        &self,
        session: &SessionRecord,
        to: SessionStatus,
        now: Timestamp,
    ) -> Vec<NewEvent> {
        let Some(name) = session_event_name(session.status, to) else {
            return Vec::new();
        };
        let mut after = session.clone();
        after.status = to;
        let data = session_data(&self.public_url, &after, now);
        vec![NewEvent::new(&session.tenant, name, data, now)]
    }

    /// Events of a payment moving to `to`.
    pub(crate) fn payment_events(
        &self,
        payment: &PaymentRecord,
        to: PaymentStatus,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Vec<NewEvent> {
        let Some(name) = payment_event_name(to) else {
            return Vec::new();
        };
        let mut after = payment.clone();
        after.history = payment.history_with(to, now);
        after.status = to;
        after.updated_at = now;
        if let Some(r) = reason {
            after.failure_reason = Some(r.to_string());
        }
        let data = serde_json::to_value(after.view()).unwrap_or(Value::Null);
        vec![NewEvent::new(&payment.tenant, name, data, now)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionStatus::*;

    #[test]
    fn only_outcomes_are_announced() {
        assert_eq!(
            session_event_name(ProcessingPayment, Finished),
            Some(webhook::SESSION_FINISHED)
        );
        assert_eq!(
            session_event_name(ProcessingPayment, Failed),
            Some(webhook::SESSION_FAILED)
        );
        assert_eq!(
            session_event_name(Attempt, Expired),
            Some(webhook::SESSION_EXPIRED)
        );
        assert_eq!(
            session_event_name(Expired, Expired),
            None,
            "deleting an expired session"
        );
        assert_eq!(session_event_name(Attempt, Active), None);
        assert_eq!(session_event_name(Active, ProcessingPayment), None);
        assert_eq!(payment_event_name(PaymentStatus::Authorized), None);
        assert_eq!(
            payment_event_name(PaymentStatus::Received),
            Some(webhook::TRANSACTION_RECEIVED)
        );
    }
}
