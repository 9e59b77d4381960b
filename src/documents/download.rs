//! Downloads: ranges, ETags, a safe Content-Disposition, and no active
//! content ever rendered inline; thumbnails.

use super::model::inline_safe;
use super::service::{self};
use crate::app::AppState;
pub use crate::web::download::content_disposition;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DownloadQuery {
    v: Option<i64>,
    inline: Option<u8>,
}

/// One `bytes=a-b` range within `len`, or why not.
fn range(headers: &HeaderMap, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(raw) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some(spec) = raw.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        // Several ranges: serve the whole file, as the RFC allows.
        return Ok(None);
    }
    let (a, b) = spec.split_once('-').ok_or(())?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().map_err(|_| ())?;
            if n == 0 {
                return Err(());
            }
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        (s, "") => (s.parse().map_err(|_| ())?, len.saturating_sub(1)),
        (s, e) => (
            s.parse().map_err(|_| ())?,
            e.parse::<u64>().map_err(|_| ())?.min(len.saturating_sub(1)),
        ),
    };
    if len == 0 || start > end || start >= len {
        return Err(());
    }
    Ok(Some((start, end)))
}

pub async fn download(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    serve(
        &state,
        &signed.actor(),
        id,
        q.v,
        q.inline == Some(1),
        &headers,
    )
    .await
}

/// A version's content as an HTTP response (pages and API alike).
pub async fn serve(
    state: &AppState,
    actor: &crate::access::Actor,
    id: i64,
    number: Option<i64>,
    want_inline: bool,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let (doc, version) = service::for_download(&state.db, actor, id, number).await?;
    let res = respond(state, &doc, &version, want_inline, headers).await?;
    note_download(state, actor, doc.space_id, version.size, headers, &res);
    Ok(res)
}

/// Counts a transfer in a space for the adoption figures (a person's, by
/// their organization).
pub fn note(
    state: &AppState,
    actor: &crate::access::Actor,
    metric: crate::adoption::Metric,
    space: i64,
    size: i64,
) {
    if let Some(p) = actor.principal() {
        let bytes = u64::try_from(size).unwrap_or(0);
        state
            .adoption
            .transfer(metric, p.person_id, p.org_id, space, bytes);
    }
}

/// Counts a download once: the whole content, or the first of its pieces;
/// not a revalidation, nor the later pieces of a resumed download.
pub fn note_download(
    state: &AppState,
    actor: &crate::access::Actor,
    space: i64,
    size: i64,
    headers: &HeaderMap,
    res: &Response,
) {
    let first = match res.status() {
        StatusCode::OK => true,
        StatusCode::PARTIAL_CONTENT => headers
            .get(header::RANGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|r| r.trim().starts_with("bytes=0-")),
        _ => false,
    };
    if first {
        note(state, actor, crate::adoption::Metric::Download, space, size);
    }
}

/// The response carrying a version's content, once access was decided.
pub async fn respond(
    state: &AppState,
    doc: &super::Document,
    version: &super::Version,
    want_inline: bool,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let content = Content {
        name: &doc.name,
        content_type: &version.content_type,
        hash: &version.blob_hash,
        size: version.size,
    };
    respond_content(state, content, want_inline, headers).await
}

/// Stored content to hand out: what it is called and holds, where it is.
pub struct Content<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub hash: &'a str,
    pub size: i64,
}

/// The response carrying stored content, once access was decided (a
/// document's version, a file sent with a request).
pub async fn respond_content(
    state: &AppState,
    content: Content<'_>,
    want_inline: bool,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let etag = format!("\"{}\"", content.hash);
    let len = content.size.max(0) as u64;
    let fresh = crate::web::stored_image::fresh(headers, &etag);
    let inline = want_inline && inline_safe(content.content_type);
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut file = service::open_hash(&state.blobs, content.hash).await?;
        match range(headers, len) {
            Err(()) => {
                let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    r.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return Ok(r);
            }
            Ok(Some((start, end))) => {
                file.seek(std::io::SeekFrom::Start(start))
                    .await
                    .map_err(|_| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
                let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(
                    file.take(end - start + 1),
                ));
                let mut r = (StatusCode::PARTIAL_CONTENT, body).into_response();
                let h = r.headers_mut();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                    h.insert(header::CONTENT_RANGE, v);
                }
                h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start + 1));
                r
            }
            Ok(None) => {
                let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
                let mut r = body.into_response();
                r.headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
                r
            }
        }
    };
    let h = res.headers_mut();
    let ct = if inline {
        content.content_type
    } else {
        "application/octet-stream"
    };
    if let Ok(v) = HeaderValue::from_str(ct) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(content.name, inline)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    // Whatever the file holds, it never runs as a page of this origin. A PDF
    // shown inline is the exception that proves it: browsers refuse to start
    // their PDF viewer in a sandbox, and that viewer runs apart from the
    // page's origin anyway; it may be framed by the document page only.
    if inline && content.content_type == "application/pdf" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
            ),
        );
        h.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    } else {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}

/// The thumbnail of a document's image (current version, or `?v=`), made on
/// first request and cached.
pub async fn thumbnail(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (_, version) = service::for_download(&state.db, &signed.actor(), id, q.v).await?;
    let (hash, ct) = super::preview::thumbnail(&state.db, &state.blobs, &version).await?;
    let data = {
        use tokio::io::AsyncReadExt;
        let mut blob = state
            .blobs
            .open_async(&hash)
            .await
            .map_err(service::blob_error)?
            .ok_or_else(|| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        let mut data = Vec::new();
        blob.read_to_end(&mut data)
            .await
            .map_err(|_| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        data
    };
    Ok(crate::web::stored_image::respond(
        &headers,
        &hash,
        &ct,
        data,
        "private, max-age=86400",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_never_break_the_header() {
        let d = content_disposition("rapport \"final\"\r\n été.pdf", false);
        assert!(
            d.starts_with("attachment; filename=\"rapport _final___ _t_.pdf\""),
            "{d}"
        );
        assert!(d.contains("filename*=UTF-8''rapport%20%22final%22%0D%0A%20%C3%A9t%C3%A9%2Epdf"));
        assert!(HeaderValue::from_str(&d).is_ok());
    }

    #[test]
    fn ranges() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::RANGE, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(range(&HeaderMap::new(), 10), Ok(None));
        assert_eq!(range(&h("bytes=0-3"), 10), Ok(Some((0, 3))));
        assert_eq!(range(&h("bytes=5-"), 10), Ok(Some((5, 9))));
        assert_eq!(range(&h("bytes=-4"), 10), Ok(Some((6, 9))));
        assert_eq!(range(&h("bytes=8-100"), 10), Ok(Some((8, 9))));
        assert_eq!(range(&h("bytes=10-"), 10), Err(()));
        assert_eq!(range(&h("bytes=5-2"), 10), Err(()));
        assert_eq!(range(&h("bytes=x-y"), 10), Err(()));
        assert_eq!(range(&h("bytes=0-1,3-4"), 10), Ok(None));
    }
}
