//! Payments: submit on a session, read, list, and the sandbox simulations.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::domain::payment::PaymentEvent;
use crate::domain::payment_request::PaymentRequest;
use crate::domain::session_input::text;
use crate::http::extract::{Caller, JsonBody, paging};
use crate::http::{AppState, ListResponse};
use crate::service::error::Result;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkout-sessions/{id}/payments", post(submit))
        .route("/payments", get(list))
        .route("/payments/received", post(received))
        .route("/payments/{id}", get(read))
        .route("/payments/{id}/authorized", post(authorized))
        .route("/payments/{id}/captured", post(captured))
}

async fn submit(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<PaymentRequest>,
) -> Result<Response> {
    let payment = state.ctx.submit_payment(&tenant, &id, req).await?;
    Ok(Json(payment.view()).into_response())
}

async fn read(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    let payment = state.ctx.get_payment(&tenant, &id).await?;
    Ok(Json(payment.view()).into_response())
}

async fn list(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let (limit, offset, rest) = paging(raw)?;
    let session_id = rest
        .into_iter()
        .find(|(k, _)| k == "checkoutSessionId")
        .map(|(_, v)| v);
    let (pagination, page) = state
        .ctx
        .list_payments(&tenant, session_id.as_deref(), limit, offset)
        .await?;
    let results = page.iter().map(|p| p.view()).collect();
    Ok(Json(ListResponse {
        pagination,
        results,
    })
    .into_response())
}

async fn simulate(
    state: AppState,
    tenant: crate::domain::environment::Tenant,
    id: &str,
    event: PaymentEvent,
) -> Result<Response> {
    let payment = state.ctx.simulate(&tenant, id, event).await?;
    Ok(Json(payment.view()).into_response())
}

async fn authorized(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    simulate(state, tenant, &id, PaymentEvent::Authorize).await
}

async fn captured(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    simulate(state, tenant, &id, PaymentEvent::Capture).await
}

/// `{transactionId, signature}`: the sandbox accepts any non-empty signature, since it stands
/// in for a provider kassa does not talk to.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReceivedRequest {
    transaction_id: Option<String>,
    signature: Option<String>,
}

async fn received(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    JsonBody(req): JsonBody<ReceivedRequest>,
) -> Result<Response> {
    let id = text("transactionId", req.transaction_id)?;
    text("signature", req.signature)?;
    simulate(state, tenant, &id, PaymentEvent::Receive).await
}
