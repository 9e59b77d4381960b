//! Static assets embedded in the binary. URLs carry a content fingerprint
//! (`?v=`), so a fingerprinted response may be cached for a year; every
//! response has an ETag for revalidation.

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(RustEmbed)]
#[folder = "assets/static/"]
struct Static;

/// Path → short content fingerprint, computed from the hashes rust-embed stores at build time.
static FINGERPRINTS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    Static::iter()
        .filter_map(|p| {
            let f = Static::get(&p)?;
            let hex: String = f.metadata.sha256_hash()[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            Some((p.to_string(), hex))
        })
        .collect()
});

/// The cache-busting URL of an asset.
pub fn url(path: &str) -> String {
    match FINGERPRINTS.get(path) {
        Some(v) => format!("/static/{path}?v={v}"),
        None => format!("/static/{path}"),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        _ => "application/octet-stream",
    }
}

#[derive(serde::Deserialize)]
pub struct Version {
    v: Option<String>,
}

pub async fn serve(
    Path(path): Path<String>,
    Query(q): Query<Version>,
    headers: HeaderMap,
) -> Response {
    let Some(file) = Static::get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let fingerprint = FINGERPRINTS.get(&path).cloned().unwrap_or_default();
    let etag = format!("\"{fingerprint}\"");
    let cache = if q.v.as_deref() == Some(fingerprint.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300, must-revalidate"
    };
    let mut res = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, content_type(&path))],
            file.data.into_owned(),
        )
            .into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// The portal's colours as CSS variables, so no inline style is ever needed.
pub async fn portal_css(ctx: super::context::Ctx, headers: HeaderMap) -> Response {
    // Every value is a computed `#rrggbb`: nothing typed reaches the stylesheet.
    let color = ctx.portal.accent();
    let (header, ink, soft) = ctx.portal.header_colors();
    let (active, active_ink) = ctx.portal.header_active();
    let body = format!(
        ":root {{ --brand: {color}; --header-bg: {header}; --header-ink: {ink}; \
         --header-ink-soft: {soft}; --header-active: {active}; --header-active-ink: {active_ink}; }}\n"
    );
    let etag = format!("\"{}\"", &blake3::hash(body.as_bytes()).to_hex()[..16]);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == etag);
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], body).into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}
