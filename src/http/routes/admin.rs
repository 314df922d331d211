//! The operator's admin API, mounted once at `/admin` (not per environment) and guarded by its
//! own bearer token, separate from every API client's credentials.

use axum::extract::{FromRequestParts, RawQuery, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::domain::environment::Environment;
use crate::domain::session_input::text;
use crate::http::AppState;
use crate::http::extract::{JsonBody, header};
use crate::service::error::{Error, Result};
use crate::service::rates::set_rate;
use crate::store::RateRecord;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/rates", get(list).put(set))
}

/// Proof that the request carries the admin token.
struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let Some(expected) = state.ctx.admin_token.as_deref() else {
            return Err(Error::not_found(
                "the admin API is off; start kassa with KASSA_ADMIN_TOKEN to turn it on",
            ));
        };
        let given = header(parts, "authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Constant time, so response timing does not reveal how much of a guess was right.
        if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(Admin)
        } else {
            Err(Error::unauthorized(
                "the admin API needs \"Authorization: Bearer <KASSA_ADMIN_TOKEN>\"",
            ))
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RateView {
    environment: &'static str,
    from: String,
    to: String,
    rate: String,
    updated_at: String,
}

impl From<RateRecord> for RateView {
    fn from(r: RateRecord) -> Self {
        RateView {
            environment: r.environment.as_str(),
            from: r.from,
            to: r.to,
            rate: r.rate,
            updated_at: r.updated_at.to_rfc3339(),
        }
    }
}

fn environment(raw: &str) -> Result<Environment> {
    Environment::parse(raw)
        .ok_or_else(|| Error::invalid("environment must be \"sandbox\" or \"production\""))
}

async fn list(State(state): State<AppState>, _: Admin, RawQuery(q): RawQuery) -> Result<Response> {
    let mut env = None;
    for (k, v) in form_urlencoded::parse(q.unwrap_or_default().as_bytes()) {
        if k == "environment" {
            env = Some(environment(&v)?);
        }
    }
    let rates = state.ctx.store.list_rates(env).await?;
    let results: Vec<RateView> = rates.into_iter().map(RateView::from).collect();
    Ok(Json(serde_json::json!({ "results": results })).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct SetRate {
    environment: Option<String>,
    from: Option<String>,
    to: Option<String>,
    rate: Option<String>,
}

async fn set(
    State(state): State<AppState>,
    _: Admin,
    JsonBody(req): JsonBody<SetRate>,
) -> Result<Response> {
    let env = environment(&text("environment", req.environment)?)?;
    let from = text("from", req.from)?;
    let to = text("to", req.to)?;
    let rate = text("rate", req.rate)?;
    let ctx = &state.ctx;
    let record = set_rate(ctx.store.as_ref(), env, &from, &to, &rate, ctx.clock.now()).await?;
    Ok(Json(RateView::from(record)).into_response())
}
