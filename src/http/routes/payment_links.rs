//! `/payment-links`: create, read, list, delete, activate, and make a checkout session.

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::domain::link_query::LinkQuery;
use crate::domain::session_input::CreateSessionRequest;
use crate::http::extract::{Caller, JsonBody, read_optional_object};
use crate::http::{AppState, ListResponse};
use crate::service::error::Result;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/payment-links", get(list).post(create))
        .route("/payment-links/{id}", get(read).delete(delete))
        .route("/payment-links/{id}/activate", post(activate))
        .route(
            "/payment-links/token/{token}/checkout-sessions",
            post(create_session),
        )
}

async fn create(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    JsonBody(req): JsonBody<CreateSessionRequest>,
) -> Result<Response> {
    let ctx = &state.ctx;
    let link = ctx.create_link(&tenant, req).await?;
    let view = link.view(&ctx.public_url, ctx.clock.now());
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

async fn read(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    let ctx = &state.ctx;
    let link = ctx.get_link(&tenant, &id).await?;
    Ok(Json(link.view(&ctx.public_url, ctx.clock.now())).into_response())
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
    let query = LinkQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let page = ctx.list_links(&tenant, &query).await?;
    let now = ctx.clock.now();
    let results: Vec<_> = page
        .results
        .iter()
        .map(|l| l.view(&ctx.public_url, now))
        .collect();
    Ok(Json(ListResponse {
        pagination: page.pagination,
        results,
    })
    .into_response())
}

/// Upstream answers 204 with no body.
async fn delete(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    state.ctx.delete_link(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Upstream declares no body; whatever is sent is ignored.
async fn activate(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    let ctx = &state.ctx;
    let link = ctx.activate_link(&tenant, &id).await?;
    Ok(Json(link.view(&ctx.public_url, ctx.clock.now())).into_response())
}

/// The body is `{}` upstream; an empty body is accepted too.
async fn create_session(
    State(state): State<AppState>,
    Caller(tenant): Caller,
    Path(token): Path<String>,
    req: Request,
) -> Result<Response> {
    read_optional_object(req.into_body()).await?;
    let ctx = &state.ctx;
    let session = ctx.create_session_from_link(&tenant, &token).await?;
    let view = session.view(&ctx.public_url, ctx.clock.now());
    Ok((StatusCode::CREATED, Json(view)).into_response())
}
