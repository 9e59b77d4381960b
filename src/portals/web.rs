//! The portal's own images: its logo (shown on the sign-in page too, so
//! anyone who reaches the portal may load it) and its favicon.

use super::model::PortalImage;
use crate::app::AppState;
use crate::web::context::Ctx;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

async fn respond(state: &AppState, ctx: &Ctx, headers: &HeaderMap, which: PortalImage) -> Response {
    let found = match super::service::image(&state.db, ctx.portal.id, which).await {
        Ok(found) => found,
        Err(e) => return crate::web::error::HttpError::from(e).into_response(),
    };
    let Some((content_type, data, etag)) = found else {
        return crate::web::error::HttpError::not_found().into_response();
    };
    // The URL carries the fingerprint (`?v=`), so the browser may keep it.
    crate::web::stored_image::respond(headers, &etag, &content_type, data, "public, max-age=86400")
}

pub async fn logo(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    respond(&state, &ctx, &headers, PortalImage::Logo).await
}

/// The portal's favicon, for every page's `<link rel="icon">`.
pub async fn favicon(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    respond(&state, &ctx, &headers, PortalImage::Favicon).await
}
