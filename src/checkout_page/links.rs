//! `/l/{publicToken}`: a payment link's address. Opening it makes a fresh checkout session from
//! the link's offer (the same service as `POST /payment-links/token/{token}/checkout-sessions`)
//! and sends the payer on to that session's page.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::checkout_page::respond::{self, redirect};
use crate::checkout_page::views::Visit;
use crate::checkout_page::{handlers, outcomes};
use crate::http::AppState;
use crate::service::error::Kind;

/// The link routes, to be nested at `/l`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{token}", get(open))
        .fallback(handlers::not_found)
        .layer(axum::middleware::map_response(respond::secure))
}

async fn open(State(state): State<AppState>, Path(token): Path<String>, visit: Visit) -> Response {
    let here = format!("/l/{token}");
    match state.ctx.session_from_link_page(&token).await {
        Ok(session) => redirect(&visit.link(&format!("/c/{}", session.public_token), &[])),
        Err(e) if e.kind == Kind::NotFound => outcomes::not_found(&visit, &here),
        Err(e) if e.kind == Kind::FailedPrecondition => outcomes::link_closed(&visit, &here),
        Err(_) => outcomes::server_error(&visit, &here),
    }
}
