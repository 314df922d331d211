//! The HTTP edge: extract, call one service function, answer. Every route is mounted twice,
//! at `/…` for production and at `/sandbox/…` for the sandbox (CONTRACT §1).

pub mod error;
pub mod extract;
pub mod middleware;
pub mod routes;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::Method;
use axum::response::IntoResponse;

use crate::domain::environment::Environment;
use crate::service::Context;
use crate::service::error::{Error, Kind};

/// Every list's body: `{pagination, results}` (upstream `pagination` schema).
#[derive(serde::Serialize)]
pub struct ListResponse<T: serde::Serialize> {
    pub pagination: crate::domain::list_query::Pagination,
    pub results: Vec<T>,
}

#[derive(Clone)]
pub struct AppState {
    pub ctx: Arc<Context>,
}

/// The API routes of one environment.
fn api(env: Environment) -> Router<AppState> {
    Router::new()
        .merge(routes::auth::router())
        .merge(routes::checkout_sessions::router())
        .merge(routes::payment_links::router())
        .merge(routes::payments::router())
        .merge(routes::webhooks::router())
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::Extension(env))
}

pub fn router(ctx: Arc<Context>) -> Router {
    Router::new()
        .merge(api(Environment::Production))
        .nest("/sandbox", api(Environment::Sandbox))
        .merge(routes::admin::router().method_not_allowed_fallback(method_not_allowed))
        // The hosted page: outside the per-environment API, as the public token alone
        // identifies the session (and so its environment).
        .nest("/c", crate::checkout_page::router())
        .nest("/l", crate::checkout_page::links::router())
        .fallback(not_found)
        // JsonBody enforces its own cap with the contract's 413 body.
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(middleware::trace_and_version))
        .with_state(AppState { ctx })
}

// OriginalUri: inside `/sandbox` the nested router sees the path without its prefix.
async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> impl IntoResponse {
    Error::not_found(format!("there is no route {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> impl IntoResponse {
    Error::new(
        Kind::MethodNotAllowed,
        format!("{} does not accept {method}", uri.path()),
    )
}
