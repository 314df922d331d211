//! Cross-cutting request handling: the trace id and the API version header (CONTRACT §1).

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::service::error::Error;

pub const TRACE_HEADER: &str = "x-trace-id";
pub const REQUEST_ID_HEADER: &str = "x-request-id";
pub const VERSION_HEADER: &str = "conomyhq-api-version";
/// The one dated version besides v1.
pub const V2: &str = "24-04-2025";

tokio::task_local! {
    static TRACE_ID: String;
}

/// The trace id of the request being served, for error bodies and logs.
pub fn current_trace_id() -> String {
    TRACE_ID
        .try_with(|t| t.clone())
        .unwrap_or_else(|_| String::from("none"))
}

/// An incoming `x-request-id` is reused when it is a sane token; anything else gets a fresh id
/// (so a client cannot inject log lines or huge headers through it).
fn trace_id_for(req: &Request) -> String {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string())
}

/// Sets the trace id for the whole request, checks `conomyhq-api-version`, and stamps both
/// headers on every response, errors included.
pub async fn trace_and_version(req: Request, next: Next) -> Response {
    let trace = trace_id_for(&req);
    let version = req
        .headers()
        .get(VERSION_HEADER)
        .map(|v| v.as_bytes().to_vec());
    TRACE_ID
        .scope(trace.clone(), async move {
            let (served, mut response) = match version.as_deref() {
                None => ("v1", next.run(req).await),
                Some(v) if v == V2.as_bytes() => (V2, next.run(req).await),
                Some(_) => (
                    "v1",
                    Error::invalid(format!("{VERSION_HEADER} must be absent (v1) or {V2} (v2)"))
                        .into_response(),
                ),
            };
            let headers = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&trace) {
                headers.insert(TRACE_HEADER, v);
            }
            headers.insert(VERSION_HEADER, HeaderValue::from_static(served));
            response
        })
        .await
}
