//! The portal's own assets: its logo (shown on the sign-in page too, so
//! anyone who reaches the portal may load it).

use crate::app::AppState;
use crate::server::context::Ctx;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn logo(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    let found = match super::service::logo(&state.db, ctx.portal.id).await {
        Ok(found) => found,
        Err(e) => return crate::server::error::HttpError::from(e).into_response(),
    };
    let Some((content_type, data, etag)) = found else {
        return crate::server::error::HttpError::not_found().into_response();
    };
    let etag = format!("\"{etag}\"");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], data).into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    // The URL carries the fingerprint (`?v=`), so the browser may keep it.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}
