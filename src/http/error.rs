//! Renders `service::Error` as the contract's one error body (CONTRACT §2), which carries both
//! shapes Conomy documents so a client written against either works.

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::http::middleware::current_trace_id;
use crate::service::error::{Error, Kind};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    status: u16,
    code: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    detail: &'a str,
    trace_id: String,
    status_code: u16,
    error: &'static str,
    message: &'a str,
}

/// `(HTTP status, code, type)` of each kind, from the contract's table.
fn describe(kind: Kind) -> (StatusCode, &'static str, &'static str) {
    match kind {
        Kind::Server => (StatusCode::INTERNAL_SERVER_ERROR, "01", "serverError"),
        Kind::InvalidParam => (StatusCode::BAD_REQUEST, "11", "invalidParam"),
        Kind::MissingParam => (StatusCode::BAD_REQUEST, "12", "missingParam"),
        Kind::AlreadyExist => (StatusCode::CONFLICT, "13", "alreadyExist"),
        Kind::ParsingResource => (StatusCode::BAD_REQUEST, "14", "parsingResource"),
        Kind::FailedPrecondition => (StatusCode::UNPROCESSABLE_ENTITY, "21", "failedPrecondition"),
        Kind::NotFound => (StatusCode::NOT_FOUND, "31", "notFound"),
        Kind::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "32", "tooManyRequests"),
        Kind::Unauthorized => (StatusCode::UNAUTHORIZED, "41", "unauthorized"),
        Kind::Unimplemented => (StatusCode::NOT_IMPLEMENTED, "42", "unimplemented"),
        Kind::Forbidden => (StatusCode::FORBIDDEN, "43", "forbiddenOperation"),
        Kind::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "11", "invalidParam"),
        Kind::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "11", "invalidParam"),
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code, kind) = describe(self.kind);
        let body = Body {
            status: status.as_u16(),
            code,
            kind,
            detail: &self.detail,
            trace_id: current_trace_id(),
            status_code: status.as_u16(),
            error: kind,
            message: &self.detail,
        };
        let mut response = (status, Json(body)).into_response();
        if self.kind == Kind::Unauthorized {
            response
                .headers_mut()
                .insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_maps_to_the_contract_table() {
        assert_eq!(
            describe(Kind::NotFound),
            (StatusCode::NOT_FOUND, "31", "notFound")
        );
        assert_eq!(describe(Kind::MethodNotAllowed).1, "11");
        assert_eq!(
            describe(Kind::PayloadTooLarge).0,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(describe(Kind::Forbidden).2, "forbiddenOperation");
    }
}
