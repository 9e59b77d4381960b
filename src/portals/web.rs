//! The portal's own assets: its logo (shown on the sign-in page too, so
//! anyone who reaches the portal may load it).

use crate::app::AppState;
use crate::server::context::Ctx;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

pub async fn logo(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    let found = match super::service::logo(&state.db, ctx.portal.id).await {
        Ok(found) => found,
        Err(e) => return crate::server::error::HttpError::from(e).into_response(),
    };
    let Some((content_type, data, etag)) = found else {
        return crate::server::error::HttpError::not_found().into_response();
    };
    // The URL carries the fingerprint (`?v=`), so the browser may keep it.
    crate::server::stored_image::respond(
        &headers,
        &etag,
        &content_type,
        data,
        "public, max-age=86400",
    )
}

/// The portal's favicon, for every page's `<link rel="icon">`.
pub async fn favicon(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    let found = match super::service::favicon(&state.db, ctx.portal.id).await {
        Ok(found) => found,
        Err(e) => return crate::server::error::HttpError::from(e).into_response(),
    };
    let Some((content_type, data, etag)) = found else {
        return crate::server::error::HttpError::not_found().into_response();
    };
    crate::server::stored_image::respond(
        &headers,
        &etag,
        &content_type,
        data,
        "public, max-age=86400",
    )
}
