//! How a payer completes each pay-in method once the payment is submitted, and so how the
//! sandbox settles it when the payer approves it on the hosted page.
//!
//! A card is charged at once. A redirect method sends the payer to their bank or wallet to
//! approve, and the provider then captures the payment. A transfer method hands the payer a
//! code or reference to pay from their own bank, and the payment counts when the funds are
//! received (CONTRACT §6: "Capture" versus "Receive").

use crate::domain::payment::PaymentEvent;
use crate::domain::payment_method::PaymentMethod;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayerFlow {
    Card,
    Redirect,
    Transfer,
}

impl PayerFlow {
    /// Spelled out per method, with no catch-all, so a new method must be placed here.
    pub fn of(method: PaymentMethod) -> PayerFlow {
        use PaymentMethod as M;
        match method {
            M::Card => PayerFlow::Card,
            M::Webpay
            | M::Etpay
            | M::Fintoc
            | M::Pse
            | M::Bancolombia
            | M::Davivienda
            | M::Daviplata
            | M::Nequi
            | M::Wompi => PayerFlow::Redirect,
            M::Pix
            | M::Crypto
            | M::Pct
            | M::Cvu
            | M::Spei
            | M::Ligo
            | M::Sip
            | M::Ach
            | M::Fednow
            | M::Rtp => PayerFlow::Transfer,
        }
    }

    /// What an approved payment of this flow reports: money taken (captured) or money that
    /// arrived (received).
    pub fn approval_event(self) -> PaymentEvent {
        match self {
            PayerFlow::Card | PayerFlow::Redirect => PaymentEvent::Capture,
            PayerFlow::Transfer => PaymentEvent::Receive,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_and_redirects_are_captured_and_transfers_received() {
        assert_eq!(PayerFlow::of(PaymentMethod::Card), PayerFlow::Card);
        assert_eq!(PayerFlow::of(PaymentMethod::Webpay), PayerFlow::Redirect);
        assert_eq!(PayerFlow::of(PaymentMethod::Pix), PayerFlow::Transfer);
        assert_eq!(PayerFlow::Card.approval_event(), PaymentEvent::Capture);
        assert_eq!(PayerFlow::Redirect.approval_event(), PaymentEvent::Capture);
        assert_eq!(PayerFlow::Transfer.approval_event(), PaymentEvent::Receive);
        // Every method has a flow (the match is exhaustive; this guards the table's reach).
        assert_eq!(PaymentMethod::all().map(PayerFlow::of).count(), 20);
    }
}
