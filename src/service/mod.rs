//! The use cases: each public function takes checked inputs, applies the domain rules, talks to
//! the store, and returns a result or a contract error. HTTP handlers and the CLI both call here.

pub mod auth;
pub mod checkout_sessions;
pub mod clients;
pub mod error;
pub mod events;
pub mod hosted_page;
pub mod payment_links;
pub mod payments;
pub mod rates;
pub mod webhooks;

use std::sync::Arc;

use crate::auth::jwt::TokenSigner;
use crate::clock::Clock;
use crate::processor::PaymentProcessor;
use crate::store::DynStore;

/// What every use case needs, built once at start.
pub struct Context {
    pub store: DynStore,
    pub signer: TokenSigner,
    pub clock: Arc<dyn Clock>,
    /// Base of the hosted page links, without a trailing slash.
    pub public_url: String,
    pub limits: Vec<crate::domain::payment_config::MethodLimit>,
    pub processors: Processors,
    /// Bearer token of the admin API; `None` turns the admin API off.
    pub admin_token: Option<String>,
}

/// The processor of each environment. Production has none until an acquirer connector is
/// configured; its payment submissions answer 501 instead of pretending.
pub struct Processors {
    pub sandbox: Arc<dyn PaymentProcessor>,
    pub production: Option<Arc<dyn PaymentProcessor>>,
}
