//! Payment processors: what actually moves money. The lifecycle talks only to this trait, so an
//! acquirer connector can be added beside the sandbox without touching it.

pub mod sandbox;

use async_trait::async_trait;

use crate::domain::card::CardNumber;
use crate::domain::currency::Currency;
use crate::domain::payment_method::PaymentMethod;

/// What a processor is asked to do for one payment.
pub struct Charge<'a> {
    pub payment_id: &'a str,
    pub method: PaymentMethod,
    pub currency: Currency,
    /// Canonical amount in `currency`.
    pub amount: &'a str,
    pub card: Option<&'a CardNumber>,
}

/// The processor's first answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Money is taken; the session finishes.
    Captured,
    /// Refused by the issuer or the rail; the reason is shown to the merchant.
    Failed(String),
    /// The outcome comes later (bank transfers, QR codes, 3-D Secure…).
    Pending,
}

#[derive(Debug, thiserror::Error)]
#[error("payment processor unavailable: {0}")]
pub struct ProcessorError(pub String);

#[async_trait]
pub trait PaymentProcessor: Send + Sync {
    async fn charge(&self, charge: &Charge<'_>) -> Result<Outcome, ProcessorError>;
}
