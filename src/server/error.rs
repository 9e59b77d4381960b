//! The one mapping from errors to HTTP. Handlers return `HttpError`; its
//! response carries only a status and an `ErrorInfo` marker, and the context
//! middleware renders it once, in the visitor's language, as a page or as
//! `application/problem+json` — never with internal details.

use crate::service::Error;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// What the renderer needs to know about an error response.
#[derive(Debug, Clone, Copy)]
pub struct ErrorInfo {
    /// Stable code; `error-<code>` is its message in the Fluent files.
    pub code: &'static str,
    pub retry_after: Option<Duration>,
}

#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    pub info: ErrorInfo,
}

impl HttpError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        HttpError {
            status,
            info: ErrorInfo {
                code,
                retry_after: None,
            },
        }
    }

    pub fn not_found() -> Self {
        HttpError::new(StatusCode::NOT_FOUND, "not-found")
    }

    pub fn bad_request(code: &'static str) -> Self {
        HttpError::new(StatusCode::BAD_REQUEST, code)
    }
}

impl From<Error> for HttpError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound | Error::Forbidden => HttpError::not_found(),
            Error::Unauthorized => HttpError::new(StatusCode::UNAUTHORIZED, "unauthorized"),
            Error::Invalid {
                code: "file-too-large",
                ..
            } => HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, "file-too-large"),
            Error::Invalid {
                code: "quota-exceeded",
                ..
            } => HttpError::new(StatusCode::INSUFFICIENT_STORAGE, "quota-exceeded"),
            Error::Invalid { code, .. } => HttpError::new(StatusCode::BAD_REQUEST, code),
            Error::Conflict(code) => HttpError::new(StatusCode::CONFLICT, code),
            Error::TooMany { retry_after } => HttpError {
                status: StatusCode::TOO_MANY_REQUESTS,
                info: ErrorInfo {
                    code: "too-many",
                    retry_after: Some(retry_after),
                },
            },
            Error::Db(e) => {
                tracing::error!(error = %e, "database error");
                HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
            Error::Internal(msg) => {
                tracing::error!(error = %msg, "internal error");
                HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

impl From<askama::Error> for HttpError {
    fn from(e: askama::Error) -> Self {
        tracing::error!(error = %e, "template rendering failed");
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        res.extensions_mut().insert(self.info);
        res
    }
}

/// The code of a status that reached the renderer without an `ErrorInfo`
/// (axum's own rejections, the body limit, a caught panic, the timeout).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        408 => "timeout",
        409 => "conflict",
        413 => "too-large",
        414 => "uri-too-long",
        415 => "unsupported-media-type",
        422 => "bad-request",
        429 => "too-many",
        503 => "unavailable",
        _ if status.is_server_error() => "internal",
        _ => "bad-request",
    }
}
