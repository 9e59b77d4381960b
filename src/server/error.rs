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
            Error::StorageFull => {
                tracing::error!(
                    "no room left on the disk of the data directory: a write was refused"
                );
                HttpError::new(StatusCode::INSUFFICIENT_STORAGE, "storage-full")
            }
            Error::Unavailable(what) => {
                tracing::warn!(what, "a request met a part not ready yet");
                HttpError {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    info: ErrorInfo {
                        code: "unavailable",
                        retry_after: Some(Duration::from_secs(5)),
                    },
                }
            }
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
