//! The use cases: each public function takes checked inputs, applies the domain rules, talks to
//! the store, and returns a result or a contract error. HTTP handlers and the CLI both call here.

pub mod auth;
pub mod checkout_sessions;
pub mod clients;
pub mod error;
pub mod rates;

use std::sync::Arc;

use crate::auth::jwt::TokenSigner;
use crate::clock::Clock;
use crate::store::DynStore;

/// What every use case needs, built once at start.
pub struct Context {
    pub store: DynStore,
    pub signer: TokenSigner,
    pub clock: Arc<dyn Clock>,
    /// Base of the hosted page links, without a trailing slash.
    pub public_url: String,
    pub limits: Vec<crate::domain::payment_config::MethodLimit>,
}
