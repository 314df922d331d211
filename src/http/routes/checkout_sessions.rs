//! `/checkout-sessions`: create, read, list, delete.

use axum::extract::Request;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::domain::list_query::SessionQuery;
use crate::domain::session_input::CreateSessionRequest;
use crate::http::extract::{Caller, JsonBody, read_optional_object};
use crate::http::{AppState, ListResponse};
use crate::service::error::Result;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkout-sessions", get(list).post(create))
        .route("/checkout-sessions/{id}", get(read).delete(delete))
        .route("/checkout-sessions/token/{token}/refresh", post(refresh))
}

async fn create(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    JsonBody(req): JsonBody<CreateSessionRequest>,
) -> Result<Response> {
    let ctx = &state.ctx;
    let session = ctx.create_session(&tenant, req).await?;
    let view = session.view(&ctx.public_url, ctx.clock.now());
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

async fn read(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    let ctx = &state.ctx;
    let session = ctx.get_session(&tenant, &id).await?;
    Ok(Json(session.view(&ctx.public_url, ctx.clock.now())).into_response())
}

async fn list(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let ctx = &state.ctx;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let query = SessionQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let page = ctx.list_sessions(&tenant, &query).await?;
    let now = ctx.clock.now();
    let results: Vec<_> = page
        .results
        .iter()
        .map(|s| s.view(&ctx.public_url, now))
        .collect();
    Ok(Json(ListResponse {
        pagination: page.pagination,
        results,
    })
    .into_response())
}

async fn delete(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    state.ctx.delete_session(&tenant, &id).await?;
    Ok(Json(json!({})).into_response())
}

/// The body is `{}` upstream; an empty body is accepted too.
async fn refresh(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(token): Path<String>,
    req: Request,
) -> Result<Response> {
    read_optional_object(req.into_body()).await?;
    let ctx = &state.ctx;
    let session = ctx.refresh_session(&tenant, &token).await?;
    Ok((
        StatusCode::CREATED,
        Json(session.view(&ctx.public_url, ctx.clock.now())),
    )
        .into_response())
}
