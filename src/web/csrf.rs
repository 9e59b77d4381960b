//! CSRF protection for every state-changing request. The token comes from the
//! `X-CSRF-Token` header, the `_csrf` field of a URL-encoded form, or the
//! `_csrf` query parameter (multipart forms); it must equal the session's
//! token, or for visitors not signed in, their CSRF cookie (double submit).
//! Cross-site requests announced by the browser are refused outright.

use super::context::Ctx;
use super::error::HttpError;
use crate::util::constant_time_eq;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";

fn token_in(pairs: &[(String, String)]) -> Option<&str> {
    pairs
        .iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.as_str())
}

/// The request presents a Bearer token (scripts with a personal access token).
pub fn bearer(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v.as_bytes().starts_with(b"Bearer "))
}

/// `max_form` bounds how much of a URL-encoded body is read to find the token.
pub async fn middleware(State(max_form): State<usize>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // The API authenticates a Bearer request by its token alone, whatever
    // cookies come with it, and a foreign site cannot make a browser send that
    // header: the token itself is the proof of intent.
    let api = req.uri().path().starts_with("/api/");
    let no_cookie = !req.headers().contains_key(header::COOKIE);
    // An API call without any cookie carries no session to borrow either: it
    // is answered by the API's own authentication (401), not as a forgery.
    if api && (bearer(req.headers()) || no_cookie) {
        return next.run(req).await;
    }
    let forbidden = || HttpError::new(StatusCode::FORBIDDEN, "csrf").into_response();
    let Some(expected) = req.extensions().get::<Ctx>().map(|c| c.csrf.clone()) else {
        return forbidden();
    };
    if req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return forbidden();
    }
    let matches = |t: &str| constant_time_eq(t.as_bytes(), expected.as_bytes());

    if let Some(t) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if matches(t) {
            next.run(req).await
        } else {
            forbidden()
        };
    }
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    if let Some(t) = token_in(&query) {
        return if matches(t) {
            next.run(req).await
        } else {
            forbidden()
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return forbidden();
    }
    // Read the (bounded) form to find the token, then hand the same bytes on.
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, max_form).await {
        Ok(b) => b,
        Err(_) => {
            return HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large").into_response();
        }
    };
    let pairs: Vec<(String, String)> = match serde_urlencoded::from_bytes(&bytes) {
        Ok(p) => p,
        Err(_) => return HttpError::bad_request("form-invalid").into_response(),
    };
    match token_in(&pairs) {
        Some(t) if matches(t) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => forbidden(),
    }
}

/// Puts the CSRF check in front of a route's handlers (and only them: an
/// unsupported method still gets its honest 405). Every page and API route
/// goes through one.
#[derive(Debug, Clone, Copy)]
pub struct Guard {
    pub max_form: usize,
}

impl Guard {
    pub fn on(
        &self,
        r: axum::routing::MethodRouter<crate::app::AppState>,
    ) -> axum::routing::MethodRouter<crate::app::AppState> {
        r.route_layer(axum::middleware::from_fn_with_state(
            self.max_form,
            middleware,
        ))
    }
}
