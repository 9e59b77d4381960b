//! The outermost layer: a request id, a tracing span around the whole request,
//! one log line per response.

use crate::web::context::RequestId;
use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

pub async fn middleware(
    axum::extract::State(activity): axum::extract::State<std::sync::Arc<crate::util::Activity>>,
    mut req: Request,
    next: Next,
) -> Response {
    let _in_flight = activity.begin();
    let id = crate::util::random_token(9);
    req.extensions_mut().insert(RequestId(id.clone()));
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().chars().take(200).collect());
    let span = tracing::info_span!("request", id = %id, method = %req.method(), route = %route);
    let start = Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    let _enter = span.enter();
    tracing::info!(
        status = res.status().as_u16(),
        // A tenth of a millisecond is all a reader needs.
        ms = (start.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
        "response"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}
