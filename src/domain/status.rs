//! Checkout session statuses and the rules that read them (CONTRACT §5).

use std::fmt;

use crate::domain::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionStatus {
    Attempt,
    Active,
    ProcessingPayment,
    Finished,
    Failed,
    Expired,
}

pub const ALL: [SessionStatus; 6] = [
    SessionStatus::Attempt,
    SessionStatus::Active,
    SessionStatus::ProcessingPayment,
    SessionStatus::Finished,
    SessionStatus::Failed,
    SessionStatus::Expired,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of ATTEMPT, ACTIVE, PROCESSING_PAYMENT, FINISHED, FAILED, EXPIRED")]
pub struct UnknownStatus;

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Attempt => "ATTEMPT",
            SessionStatus::Active => "ACTIVE",
            SessionStatus::ProcessingPayment => "PROCESSING_PAYMENT",
            SessionStatus::Finished => "FINISHED",
            SessionStatus::Failed => "FAILED",
            SessionStatus::Expired => "EXPIRED",
        }
    }

    pub fn parse(s: &str) -> Result<SessionStatus, UnknownStatus> {
        ALL.into_iter()
            .find(|st| st.as_str() == s)
            .ok_or(UnknownStatus)
    }

    /// Only a session waiting for its payer can run out of time; a payment in flight or done is
    /// never thrown away by expiry.
    pub fn can_expire(self) -> bool {
        matches!(self, SessionStatus::Attempt | SessionStatus::Active)
    }

    /// What a reader sees: a session past `expiresAt` reads EXPIRED even before the sweeper
    /// has stored that.
    pub fn effective(self, expires_at: Timestamp, now: Timestamp) -> SessionStatus {
        if self.can_expire() && expires_at <= now {
            SessionStatus::Expired
        } else {
            self
        }
    }
}

impl fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_unknown_ones_are_rejected() {
        for s in ALL {
            assert_eq!(SessionStatus::parse(s.as_str()), Ok(s));
        }
        assert_eq!(SessionStatus::parse("attempt"), Err(UnknownStatus));
    }

    #[test]
    fn only_waiting_sessions_read_as_expired_once_due() {
        let due = Timestamp::from_millis(1000);
        let before = Timestamp::from_millis(999);
        for s in ALL {
            let expected = if s.can_expire() {
                SessionStatus::Expired
            } else {
                s
            };
            assert_eq!(s.effective(due, due), expected, "{s} at expiry");
            assert_eq!(s.effective(due, before), s, "{s} before expiry");
        }
    }
}
