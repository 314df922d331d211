//! The checkout session state machine (CONTRACT §5): one function decides every transition and
//! refuses the rest. Stores apply its answer with a compare-and-set on the status it was
//! decided from, so two racing requests can never both win.

use crate::domain::status::SessionStatus;

/// Something that happens to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The payer opens the hosted page.
    Open,
    /// A payment is submitted, from the page or the API.
    SubmitPayment,
    PaymentCaptured,
    PaymentFailed,
    /// `expiresAt` has passed.
    Expire,
    Delete,
    Refresh,
}

impl Event {
    /// How the operation is named in a refusal.
    fn verb(self) -> &'static str {
        match self {
            Event::Open => "be opened",
            Event::SubmitPayment => "take a payment",
            Event::PaymentCaptured => "finish with a captured payment",
            Event::PaymentFailed => "fail a payment",
            Event::Expire => "expire",
            Event::Delete => "be deleted",
            Event::Refresh => "be refreshed",
        }
    }
}

/// What the event does to a session in a given state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Store `to` (and mark the session deactivated for good when `deactivate`).
    Move { to: SessionStatus, deactivate: bool },
    /// Nothing to store: the session is already where the event would put it.
    Stay,
}

/// The event is not allowed in the session's current state: a 422 with the status in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the checkout session is {status}{} and cannot {}", if *.deactivated { " (deactivated)" } else { "" }, .event.verb())]
pub struct Refused {
    pub status: SessionStatus,
    pub deactivated: bool,
    pub event: Event,
}

/// Decides `event` for a session whose effective status is `current`.
pub fn decide(
    current: SessionStatus,
    deactivated: bool,
    event: Event,
) -> Result<Decision, Refused> {
    use SessionStatus::*;
    let refuse = || Refused {
        status: current,
        deactivated,
        event,
    };
    let to = |to| Decision::Move {
        to,
        deactivate: false,
    };
    // A deleted session is over for good: deleting it again is a no-op, all else is refused.
    if deactivated {
        return match event {
            Event::Delete => Ok(Decision::Stay),
            _ => Err(refuse()),
        };
    }
    match (event, current) {
        (Event::Open, Attempt) => Ok(to(Active)),
        (Event::Open, Active) => Ok(Decision::Stay),
        (Event::SubmitPayment, Attempt | Active) => Ok(to(ProcessingPayment)),
        (Event::PaymentCaptured, ProcessingPayment) => Ok(to(Finished)),
        (Event::PaymentFailed, ProcessingPayment) => Ok(to(Failed)),
        (Event::Expire, Attempt | Active) => Ok(to(Expired)),
        (Event::Delete, Attempt | Active | Failed | Expired) => Ok(Decision::Move {
            to: Expired,
            deactivate: true,
        }),
        (Event::Refresh, Attempt | Active | Failed | Expired) => Ok(to(Attempt)),
        _ => Err(refuse()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::status::ALL;
    use SessionStatus::*;

    const EVENTS: [Event; 7] = [
        Event::Open,
        Event::SubmitPayment,
        Event::PaymentCaptured,
        Event::PaymentFailed,
        Event::Expire,
        Event::Delete,
        Event::Refresh,
    ];

    fn mv(to: SessionStatus) -> Result<Decision, Refused> {
        Ok(Decision::Move {
            to,
            deactivate: false,
        })
    }

    /// The CONTRACT §5 table, row by row; every pair not listed must be refused.
    #[test]
    fn every_row_of_the_contract_table_and_nothing_else() {
        let allowed: &[(SessionStatus, bool, Event, Result<Decision, Refused>)] = &[
            (Attempt, false, Event::Open, mv(Active)),
            (Active, false, Event::Open, Ok(Decision::Stay)),
            (Attempt, false, Event::SubmitPayment, mv(ProcessingPayment)),
            (Active, false, Event::SubmitPayment, mv(ProcessingPayment)),
            (
                ProcessingPayment,
                false,
                Event::PaymentCaptured,
                mv(Finished),
            ),
            (ProcessingPayment, false, Event::PaymentFailed, mv(Failed)),
            (Attempt, false, Event::Expire, mv(Expired)),
            (Active, false, Event::Expire, mv(Expired)),
            (Attempt, false, Event::Refresh, mv(Attempt)),
            (Active, false, Event::Refresh, mv(Attempt)),
            (Failed, false, Event::Refresh, mv(Attempt)),
            (Expired, false, Event::Refresh, mv(Attempt)),
        ];
        let delete = Ok(Decision::Move {
            to: Expired,
            deactivate: true,
        });
        for status in ALL {
            for deactivated in [false, true] {
                for event in EVENTS {
                    let expected = if event == Event::Delete {
                        if deactivated {
                            Ok(Decision::Stay)
                        } else if matches!(status, ProcessingPayment | Finished) {
                            Err(Refused {
                                status,
                                deactivated,
                                event,
                            })
                        } else {
                            delete.clone()
                        }
                    } else {
                        allowed
                            .iter()
                            .find(|(s, d, e, _)| *s == status && *d == deactivated && *e == event)
                            .map(|(_, _, _, r)| r.clone())
                            .unwrap_or(Err(Refused {
                                status,
                                deactivated,
                                event,
                            }))
                    };
                    assert_eq!(
                        decide(status, deactivated, event),
                        expected,
                        "{status} deactivated={deactivated} {event:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_payment_in_flight_or_done_is_never_thrown_away() {
        for status in [ProcessingPayment, Finished] {
            for event in [
                Event::Expire,
                Event::Delete,
                Event::Refresh,
                Event::SubmitPayment,
            ] {
                assert!(decide(status, false, event).is_err(), "{status} {event:?}");
            }
        }
    }

    #[test]
    fn refusals_name_the_current_status() {
        let err = decide(Finished, false, Event::Delete).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "the checkout session is FINISHED and cannot be deleted"
        );
        let err = decide(Expired, true, Event::Refresh).expect_err("refused");
        assert!(err.to_string().contains("EXPIRED (deactivated)"), "{err}");
    }
}
