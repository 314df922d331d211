//! `/webhook-endpoint` and `/webhook-events`: where events go, and what happened to them.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::domain::session_input::text;
use crate::http::extract::{Caller, JsonBody, paging};
use crate::http::{AppState, ListResponse};
use crate::service::error::Result;
use crate::service::webhooks::set_endpoint;
use crate::store::{AttemptRecord, EndpointRecord, EventRecord};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/webhook-endpoint", get(read_endpoint).put(put_endpoint))
        .route("/webhook-events", get(list_events))
        .route("/webhook-events/{id}", get(read_event))
        .route("/webhook-events/{id}/redeliver", post(redeliver))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EndpointView<'a> {
    url: &'a str,
    /// Present only in the answer that created or rolled it.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_secret_expires_at: Option<String>,
    created_at: String,
    updated_at: String,
}

fn endpoint_view<'a>(e: &'a EndpointRecord, secret: Option<&'a str>) -> EndpointView<'a> {
    EndpointView {
        url: &e.url,
        secret,
        previous_secret_expires_at: e.previous_expires_at.map(|t| t.to_rfc3339()),
        created_at: e.created_at.to_rfc3339(),
        updated_at: e.updated_at.to_rfc3339(),
    }
}

async fn read_endpoint(State(state): State<AppState>, Caller(tenant): Caller) -> Result<Response> {
    let e = state.ctx.get_endpoint(&tenant).await?;
    Ok(Json(endpoint_view(&e, None)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PutEndpoint {
    url: Option<String>,
    roll_secret: Option<bool>,
}

async fn put_endpoint(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    JsonBody(req): JsonBody<PutEndpoint>,
) -> Result<Response> {
    let url = text("url", req.url)?;
    let ctx = &state.ctx;
    let (e, secret) = set_endpoint(
        ctx.store.as_ref(),
        &tenant,
        &url,
        req.roll_secret.unwrap_or(false),
        ctx.clock.now(),
    )
    .await?;
    Ok(Json(endpoint_view(&e, secret.as_deref())).into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventView<'a> {
    id: &'a str,
    event: &'a str,
    data: &'a serde_json::Value,
    created_at: String,
    status: &'a str,
    attempts: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_attempt_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivered_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deliveries: Option<Vec<AttemptView<'a>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttemptView<'a> {
    at: String,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_code: Option<u16>,
    latency_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

fn event_view<'a>(e: &'a EventRecord, attempts: Option<&'a [AttemptRecord]>) -> EventView<'a> {
    EventView {
        id: &e.id,
        event: &e.event,
        data: &e.data,
        created_at: e.created_at.to_rfc3339(),
        status: &e.status,
        attempts: e.attempts,
        next_attempt_at: e.next_attempt_at.map(|t| t.to_rfc3339()),
        delivered_at: e.delivered_at.map(|t| t.to_rfc3339()),
        last_error: e.last_error.as_deref(),
        deliveries: attempts.map(|list| {
            list.iter()
                .map(|a| AttemptView {
                    at: a.at.to_rfc3339(),
                    url: &a.url,
                    status_code: a.status_code,
                    latency_ms: a.latency_ms,
                    error: a.error.as_deref(),
                })
                .collect()
        }),
    }
}

async fn list_events(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let (limit, offset, _) = paging(raw)?;
    let (pagination, page) = state.ctx.list_events(&tenant, limit, offset).await?;
    let results = page.iter().map(|e| event_view(e, None)).collect();
    Ok(Json(ListResponse {
        pagination,
        results,
    })
    .into_response())
}

async fn read_event(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    let (e, attempts) = state.ctx.get_event(&tenant, &id).await?;
    Ok(Json(event_view(&e, Some(&attempts))).into_response())
}

async fn redeliver(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    let (e, attempts) = state.ctx.redeliver_event(&tenant, &id).await?;
    Ok(Json(event_view(&e, Some(&attempts))).into_response())
}
