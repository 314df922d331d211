//! The error every use case returns: a contract error kind (CONTRACT §2) and a `detail` that
//! tells the developer what to fix. Internal causes are logged, never put in `detail`.

use crate::domain::session_input::{FieldError, FieldErrorKind};
use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 500, code 01.
    Server,
    /// 400, code 11: present but wrong.
    InvalidParam,
    /// 400, code 12: required and absent.
    MissingParam,
    /// 409, code 13.
    AlreadyExist,
    /// 400, code 14: not JSON, or not the right JSON types.
    ParsingResource,
    /// 422, code 21: the resource's state forbids it.
    FailedPrecondition,
    /// 404, code 31: absent or another client's.
    NotFound,
    /// 429, code 32.
    TooManyRequests,
    /// 401, code 41.
    Unauthorized,
    /// 501, code 42.
    Unimplemented,
    /// 403, code 43.
    Forbidden,
    /// 405 with code 11: the path exists, the method does not.
    MethodNotAllowed,
    /// 413 with code 11: the body is over the size cap.
    PayloadTooLarge,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct Error {
    pub kind: Kind,
    pub detail: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: Kind, detail: impl Into<String>) -> Error {
        Error {
            kind,
            detail: detail.into(),
        }
    }

    pub fn invalid(detail: impl Into<String>) -> Error {
        Error::new(Kind::InvalidParam, detail)
    }

    pub fn missing(detail: impl Into<String>) -> Error {
        Error::new(Kind::MissingParam, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Error {
        Error::new(Kind::NotFound, detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Error {
        Error::new(Kind::Unauthorized, detail)
    }

    pub fn precondition(detail: impl Into<String>) -> Error {
        Error::new(Kind::FailedPrecondition, detail)
    }

    /// Logs the cause with the request's trace id and answers an opaque 500.
    pub fn internal(cause: impl std::fmt::Display) -> Error {
        tracing::error!(%cause, "internal error");
        Error::new(
            Kind::Server,
            "kassa could not complete the request; retry later, and quote the traceId if it persists",
        )
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Error {
        let kind = match e.kind {
            FieldErrorKind::Missing => Kind::MissingParam,
            FieldErrorKind::Invalid => Kind::InvalidParam,
        };
        Error::new(kind, e.detail())
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Conflict(what) => Error::new(
                Kind::AlreadyExist,
                format!("{what} is already in use by another checkout session or payment link"),
            ),
            other => Error::internal(other),
        }
    }
}
