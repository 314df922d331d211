//! The hosted checkout page at `/c/{publicToken}`: where a payer sees the order, picks a
//! method (and currency), pays, and is sent back to the merchant (CONTRACT §5).
//!
//! It is mounted outside the per-environment API because the public token alone identifies
//! the session. It works without JavaScript (plain forms, POST-redirect-GET); the one script
//! only makes the countdown live. Every payment goes through the same services as the API.

mod assets;
mod catalogue;
mod csrf;
mod escape;
mod form;
mod format;
mod handlers;
mod i18n;
pub mod links;
mod outcomes;
mod pages;
mod respond;
mod sandbox;
mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::http::AppState;

/// The page's routes, to be nested at `/c`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/{name}", get(assets::serve))
        .route("/{token}", get(handlers::show))
        .route("/{token}/choose", post(handlers::choose))
        .route("/{token}/pay", get(handlers::pay_form).post(handlers::pay))
        .route("/{token}/result", get(handlers::result))
        .route("/{token}/simulate", post(handlers::simulate))
        .route("/{token}/retry", post(handlers::retry))
        .fallback(handlers::not_found)
        .layer(axum::middleware::map_response(respond::secure))
}
