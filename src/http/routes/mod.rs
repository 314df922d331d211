//! One module per resource, each exporting `router()`.

pub mod admin;
pub mod auth;
pub mod checkout_sessions;
pub mod payment_links;
pub mod payments;
pub mod webhooks;
