//! The one mapping from errors to HTTP. Handlers return `HttpError`; its
//! response carries only a status and an `ErrorInfo` marker, and the context
//! middleware renders it once, in the visitor's language, as a page or as
//! `application/problem+json` — never with internal details.

use crate::service::Error;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// What the renderer needs to know about an error response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Stable code; `error-<code>` is its message in the Fluent files.
    pub code: &'static str,
    pub retry_after: Option<Duration>,
    /// The input field at fault (invalid input), for API clients.
    pub field: Option<&'static str>,
    /// The entry of that input at fault (a request field's key), if any.
    pub item: Option<std::sync::Arc<str>>,
}

impl ErrorInfo {
    pub fn code(code: &'static str) -> Self {
        ErrorInfo {
            code,
            retry_after: None,
            field: None,
            item: None,
        }
    }
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
            info: ErrorInfo::code(code),
        }
    }

    pub fn not_found() -> Self {
        HttpError::new(StatusCode::NOT_FOUND, "not-found")
    }

    pub fn bad_request(code: &'static str) -> Self {
        HttpError::new(StatusCode::BAD_REQUEST, code)
    }
}

/// The status of a service error: the one mapping, used by every handler
/// (pages that show the reason themselves take the status from here too).
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound | Error::Forbidden => StatusCode::NOT_FOUND,
        Error::Unauthorized => StatusCode::UNAUTHORIZED,
        Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Error::QuotaExceeded | Error::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
        Error::Invalid { .. } | Error::InvalidItem { .. } => StatusCode::BAD_REQUEST,
        Error::Conflict(_) | Error::Exists(_) => StatusCode::CONFLICT,
        Error::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Db(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a page can say of a failure the reader can fix (bad input, a
/// conflict), in their language; `None` for the rest, answered as errors.
pub fn fixable_text(tr: &crate::i18n::Tr, e: &Error) -> Option<String> {
    match e {
        Error::Invalid { code, .. }
        | Error::InvalidItem { code, .. }
        | Error::Conflict(code)
        | Error::Exists(code) => Some(tr.t(&format!("error-{code}")).to_string()),
        _ => None,
    }
}

impl From<Error> for HttpError {
    fn from(e: Error) -> Self {
        let status = status_of(&e);
        let field = e.field();
        let with = |code| HttpError {
            status,
            info: ErrorInfo {
                field,
                ..ErrorInfo::code(code)
            },
        };
        match e {
            Error::NotFound | Error::Forbidden => HttpError::not_found(),
            Error::Unauthorized => with("unauthorized"),
            Error::TooLarge { .. } => with("file-too-large"),
            Error::QuotaExceeded => with("quota-exceeded"),
            Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code) => with(code),
            Error::InvalidItem { code, item, .. } => HttpError {
                status,
                info: ErrorInfo {
                    field,
                    item: Some(item.into()),
                    ..ErrorInfo::code(code)
                },
            },
            Error::TooMany { retry_after } => HttpError {
                status,
                info: ErrorInfo {
                    retry_after: Some(retry_after),
                    ..ErrorInfo::code("too-many")
                },
            },
            Error::StorageFull => {
                tracing::error!(
                    "no room left on the disk of the data directory: a write was refused"
                );
                with("storage-full")
            }
            Error::Unavailable(what) => {
                tracing::warn!(what, "a request met a part not ready yet");
                HttpError {
                    status,
                    info: ErrorInfo {
                        retry_after: Some(Duration::from_secs(5)),
                        ..ErrorInfo::code("unavailable")
                    },
                }
            }
            Error::Db(e) => {
                tracing::error!(error = %e, "database error");
                with("internal")
            }
            Error::Internal(msg) => {
                tracing::error!(error = %msg, "internal error");
                with("internal")
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
        507 => "storage-full",
        _ if status.is_server_error() => "internal",
        _ => "bad-request",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, DbError};

    /// SQLITE_FULL (here from the database's own size limit, the same
    /// answer as a full disk) is a 507 with its own message, and the writer
    /// takes writes again as soon as there is room.
    #[tokio::test]
    async fn a_database_out_of_room_answers_507_then_writes_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db"), 1, Duration::from_secs(5)).unwrap();
        db.write(|tx| {
            tx.execute_batch("CREATE TABLE t (v BLOB)")
                .map_err(DbError::from)
        })
        .await
        .unwrap();
        let limit = |pages: i64| {
            db.with_writer(move |c| {
                c.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
                    .map_err(DbError::from)
            })
        };
        let insert = || {
            db.write(|tx| {
                tx.execute("INSERT INTO t (v) VALUES (zeroblob(200000))", [])?;
                Ok::<_, Error>(())
            })
        };
        let pages: i64 = db
            .read(|c| {
                c.query_row("PRAGMA page_count", [], |r| r.get(0))
                    .map_err(DbError::from)
            })
            .await
            .unwrap();
        limit(pages).await.unwrap();
        let err = insert().await.unwrap_err();
        assert!(matches!(err, Error::StorageFull), "{err:?}");
        let http = HttpError::from(err);
        assert_eq!(http.status, StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(http.info.code, "storage-full");
        limit(1_000_000).await.unwrap();
        insert().await.unwrap();
        assert_eq!(
            code_for_status(StatusCode::INSUFFICIENT_STORAGE),
            "storage-full"
        );
    }
}
