//! Which status changes are allowed (CONTRACT §5).

use crate::domain::status::SessionStatus;

/// `DELETE` deactivates any session that holds no payment in flight or done.
pub fn can_delete(current: SessionStatus) -> bool {
    !matches!(
        current,
        SessionStatus::ProcessingPayment | SessionStatus::Finished
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::status::ALL;

    #[test]
    fn delete_is_refused_only_with_a_payment_in_flight_or_done() {
        for s in ALL {
            let refused = matches!(s, SessionStatus::ProcessingPayment | SessionStatus::Finished);
            assert_eq!(can_delete(s), !refused, "{s}");
        }
    }
}
