//! `POST /auth`: client credentials for an access token.

use axum::extract::State;
use axum::http::request::Parts;
use axum::routing::post;
use axum::{Json, Router};

use crate::http::AppState;
use crate::http::extract::{JsonBody, environment, header};
use crate::service::auth::{AuthRequest, AuthResponse};
use crate::service::error::Result;

pub fn router() -> Router<AppState> {
    Router::new().route("/auth", post(issue))
}

async fn issue(
    State(state): State<AppState>,
    parts: Parts,
    JsonBody(req): JsonBody<AuthRequest>,
) -> Result<Json<AuthResponse>> {
    let env = environment(&parts);
    let api_key = header(&parts, "x-api-key");
    Ok(Json(state.ctx.issue_token(env, api_key, req).await?))
}
