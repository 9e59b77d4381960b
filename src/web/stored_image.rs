//! Small stored images (profile photos, portal logos, thumbnails): named by
//! a content fingerprint, revalidated by ETag, and never active content.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Whether the client's `If-None-Match` already names `etag` (quoted).
pub fn fresh(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
}

/// The image, or 304 when the client has it; `cache` is the Cache-Control
/// value (private when the answer depends on who asks).
pub fn respond(
    headers: &HeaderMap,
    fingerprint: &str,
    content_type: &str,
    data: Vec<u8>,
    cache: &'static str,
) -> Response {
    let etag = format!("\"{fingerprint}\"");
    let mut res = if fresh(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        data.into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}
