//! Extractors that turn a request into checked inputs, answering the contract's errors when
//! they cannot: a size-capped JSON body with path-precise type errors, and the caller's
//! authenticated tenant.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, USER_AGENT};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::domain::environment::{Environment, Tenant};
use crate::domain::list_query;
use crate::http::AppState;
use crate::service::error::{Error, Kind};

/// Bodies over this are refused with 413 before they are read in full.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

fn too_large() -> Error {
    Error::new(
        Kind::PayloadTooLarge,
        format!("the request body is larger than {MAX_BODY_BYTES} bytes (1 MiB)"),
    )
}

/// A JSON body decoded into `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, _: &S) -> Result<Self, Error> {
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return Err(too_large());
        }
        let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| too_large())?;
        decode(&bytes).map(JsonBody)
    }
}

/// Decodes with the failing field's path in the message.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(Error::new(
            Kind::ParsingResource,
            "the request body must be a JSON object",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner();
        let detail = if inner.is_syntax() || inner.is_eof() || path == "." {
            format!("the request body is not valid JSON: {inner}")
        } else {
            format!("{path} has the wrong JSON type: {inner}")
        };
        Error::new(Kind::ParsingResource, detail)
    })?;
    // Trailing bytes after the object (`{…} xyz`, two objects) make the body not JSON.
    de.end().map_err(|e| {
        Error::new(
            Kind::ParsingResource,
            format!("the request body is not valid JSON: {e}"),
        )
    })?;
    Ok(value)
}

/// An empty JSON body is accepted where the contract's body is `{}`.
pub async fn read_optional_object(body: Body) -> Result<(), Error> {
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    decode::<serde_json::Map<String, serde_json::Value>>(&bytes).map(|_| ())
}

/// The environment a route was mounted under (`/` or `/sandbox`).
pub fn environment(parts: &Parts) -> Environment {
    parts
        .extensions
        .get::<Environment>()
        .copied()
        .unwrap_or(Environment::Production)
}

pub fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The caller, proven by Bearer token + `x-api-key` + `User-Agent` (CONTRACT §1).
pub struct Caller(pub Tenant);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let env = environment(parts);
        if header(parts, USER_AGENT.as_str()).is_none() {
            return Err(Error::missing("the User-Agent header is required"));
        }
        let api_key = header(parts, "x-api-key")
            .ok_or_else(|| Error::unauthorized("the x-api-key header is required"))?;
        let token = header(parts, AUTHORIZATION.as_str())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(|| {
                Error::unauthorized(
                    "the Authorization header must be \"Bearer <accessToken>\" with a token from POST /auth",
                )
            })?;
        let tenant = state.ctx.authenticate(env, api_key, token).await?;
        Ok(Caller(tenant))
    }
}

/// The other decoded query parameters of a list, for the caller to read.
pub type QueryRest = Vec<(String, String)>;

/// `limit` and `offset` of a simple list, by the same rules as the session list (CONTRACT §7).
pub fn paging(raw: Option<String>) -> Result<(u32, u64, QueryRest), Error> {
    let (mut limit, mut offset, mut rest) = (list_query::DEFAULT_LIMIT, 0u64, Vec::new());
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned() {
        match k.as_str() {
            "limit" => limit = list_query::limit(&v)?,
            "offset" => offset = list_query::offset(&v)?,
            _ => rest.push((k, v)),
        }
    }
    Ok((limit, offset, rest))
}
