//! The sandbox processor (CONTRACT §6): deterministic outcomes chosen by the test card number;
//! every other method waits for the sandbox simulation endpoints.

use async_trait::async_trait;

use crate::domain::payment_method::PaymentMethod;
use crate::processor::{Charge, Outcome, PaymentProcessor, ProcessorError};

pub const CARD_CAPTURED: &str = "4242424242424242";
pub const CARD_DECLINED: &str = "4000000000000002";
pub const CARD_INSUFFICIENT_FUNDS: &str = "4000000000009995";
pub const CARD_PENDING: &str = "4000000000000259";

pub struct SandboxProcessor;

#[async_trait]
impl PaymentProcessor for SandboxProcessor {
    async fn charge(&self, charge: &Charge<'_>) -> Result<Outcome, ProcessorError> {
        if charge.method != PaymentMethod::Card {
            return Ok(Outcome::Pending);
        }
        let Some(card) = charge.card else {
            return Ok(Outcome::Failed("no card number was given".into()));
        };
        Ok(match card.expose() {
            CARD_DECLINED => Outcome::Failed("card_declined: the issuer declined the card".into()),
            CARD_INSUFFICIENT_FUNDS => {
                Outcome::Failed("insufficient_funds: the card has insufficient funds".into())
            }
            CARD_PENDING => Outcome::Pending,
            // Like real sandboxes, any other valid number succeeds, so integrators can use
            // their own test numbers.
            _ => Outcome::Captured,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card::CardNumber;
    use crate::domain::currency::Currency;

    async fn outcome(method: PaymentMethod, number: Option<&str>) -> Outcome {
        let card = number.map(|n| CardNumber::parse(n).expect("valid test card"));
        let charge = Charge {
            payment_id: "p1",
            method,
            currency: Currency::Clp,
            amount: "1000",
            card: card.as_ref(),
        };
        SandboxProcessor
            .charge(&charge)
            .await
            .expect("sandbox never errs")
    }

    #[tokio::test]
    async fn each_test_card_has_its_outcome() {
        assert_eq!(
            outcome(PaymentMethod::Card, Some(CARD_CAPTURED)).await,
            Outcome::Captured
        );
        assert!(
            matches!(outcome(PaymentMethod::Card, Some(CARD_DECLINED)).await, Outcome::Failed(r) if r.starts_with("card_declined"))
        );
        assert!(
            matches!(outcome(PaymentMethod::Card, Some(CARD_INSUFFICIENT_FUNDS)).await, Outcome::Failed(r) if r.starts_with("insufficient_funds"))
        );
        assert_eq!(
            outcome(PaymentMethod::Card, Some(CARD_PENDING)).await,
            Outcome::Pending
        );
        assert_eq!(outcome(PaymentMethod::Pix, None).await, Outcome::Pending);
    }
}
