//! Payments: their statuses, the moves between them, and what each move does to the session.

use std::fmt;

use crate::domain::lifecycle::Event;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    Pending,
    Authorized,
    Captured,
    Received,
    Failed,
}

const ALL: [PaymentStatus; 5] = [
    PaymentStatus::Pending,
    PaymentStatus::Authorized,
    PaymentStatus::Captured,
    PaymentStatus::Received,
    PaymentStatus::Failed,
];

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "PENDING",
            PaymentStatus::Authorized => "AUTHORIZED",
            PaymentStatus::Captured => "CAPTURED",
            PaymentStatus::Received => "RECEIVED",
            PaymentStatus::Failed => "FAILED",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentStatus> {
        ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Money has moved (or is certain to): the session is paid.
    pub fn is_paid(self) -> bool {
        matches!(self, PaymentStatus::Captured | PaymentStatus::Received)
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a processor or a sandbox simulation reports about a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentEvent {
    Authorize,
    Capture,
    /// The funds arrived in the destination account (bank transfers report only this).
    Receive,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the payment is {from} and cannot be {}", match .event {
    PaymentEvent::Authorize => "authorized",
    PaymentEvent::Capture => "captured",
    PaymentEvent::Receive => "received",
    PaymentEvent::Fail => "failed",
})]
pub struct PaymentRefused {
    pub from: PaymentStatus,
    pub event: PaymentEvent,
}

/// The payment's next status, or a refusal (422) naming the current one.
pub fn advance(from: PaymentStatus, event: PaymentEvent) -> Result<PaymentStatus, PaymentRefused> {
    use PaymentStatus::*;
    match (from, event) {
        (Pending, PaymentEvent::Authorize) => Ok(Authorized),
        (Pending | Authorized, PaymentEvent::Capture) => Ok(Captured),
        (Pending | Authorized | Captured, PaymentEvent::Receive) => Ok(Received),
        (Pending | Authorized, PaymentEvent::Fail) => Ok(Failed),
        _ => Err(PaymentRefused { from, event }),
    }
}

/// The session event a payment move causes, if any: the first time money is certain the
/// session finishes; a failure fails it. RECEIVED after CAPTURED changes nothing more.
pub fn session_event(from: PaymentStatus, to: PaymentStatus) -> Option<Event> {
    match to {
        _ if to.is_paid() && !from.is_paid() => Some(Event::PaymentCaptured),
        PaymentStatus::Failed => Some(Event::PaymentFailed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentStatus::*;

    #[test]
    fn statuses_round_trip() {
        for s in ALL {
            assert_eq!(PaymentStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(PaymentStatus::parse("pending"), None);
    }

    #[test]
    fn every_allowed_move_and_every_refusal() {
        let events = [
            PaymentEvent::Authorize,
            PaymentEvent::Capture,
            PaymentEvent::Receive,
            PaymentEvent::Fail,
        ];
        let allowed = [
            (Pending, PaymentEvent::Authorize, Authorized),
            (Pending, PaymentEvent::Capture, Captured),
            (Authorized, PaymentEvent::Capture, Captured),
            (Pending, PaymentEvent::Receive, Received),
            (Authorized, PaymentEvent::Receive, Received),
            (Captured, PaymentEvent::Receive, Received),
            (Pending, PaymentEvent::Fail, Failed),
            (Authorized, PaymentEvent::Fail, Failed),
        ];
        for from in ALL {
            for event in events {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to)
                    .ok_or(PaymentRefused { from, event });
                assert_eq!(advance(from, event), expected, "{from} {event:?}");
            }
        }
    }

    #[test]
    fn only_the_first_paid_status_finishes_the_session() {
        assert_eq!(
            session_event(Pending, Captured),
            Some(Event::PaymentCaptured)
        );
        assert_eq!(
            session_event(Authorized, Received),
            Some(Event::PaymentCaptured)
        );
        assert_eq!(session_event(Captured, Received), None);
        assert_eq!(session_event(Pending, Authorized), None);
        assert_eq!(
            session_event(Authorized, Failed),
            Some(Event::PaymentFailed)
        );
    }
}
