//! Per-request context: the client's address (forwarded headers believed only
//! from trusted proxies), the session's viewer, the language, the CSRF token.
//! On the way out it renders error responses once, in the visitor's language,
//! and marks responses `no-store` unless a handler chose a cache policy.

use super::error::{ErrorInfo, code_for_status};
use super::page;
use crate::app::AppState;
use crate::auth::session::{self, Viewer};
use crate::i18n::{Tr, negotiate};
use crate::portals::Portal;
use crate::util::random_token;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Anonymous visitors' CSRF token (double-submit) lives in this cookie.
pub const CSRF_COOKIE: &str = "__Host-parvis_csrf";
/// The language the visitor chose explicitly.
pub const LANG_COOKIE: &str = "__Host-parvis_lang";

/// A random id per request, set by the outermost middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

#[derive(Clone)]
pub struct Ctx {
    pub ip: Option<IpAddr>,
    /// The visitor reached us over HTTPS (directly or through a trusted proxy).
    pub secure: bool,
    pub tr: Tr,
    pub portal: Arc<Portal>,
    pub viewer: Option<Viewer>,
    /// The token forms must echo: the session's, or the anonymous cookie's.
    pub csrf: String,
    /// Path and query of this request, for "come back here" links.
    pub path: String,
    pub request_id: String,
    pub user_agent: String,
    /// The `Host` the visitor asked for (with its port), for WebAuthn's relying party.
    pub host: String,
    /// The time zone times are shown in: the person's, else the instance's.
    pub tz: jiff::tz::TimeZone,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = super::error::HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| {
            super::error::HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
        })
    }
}

/// Reads one cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `__Host-` cookie: Secure, path `/`, no domain; HttpOnly and SameSite=Lax.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<u64>) -> HeaderValue {
    let age = max_age_secs
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let text = format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax{age}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie(name: &str) -> HeaderValue {
    set_cookie(name, "", Some(0))
}

/// The client's address and whether it came over HTTPS. Forwarded headers
/// count only when the peer is a configured proxy; the first address from the
/// right that is not a proxy is the client.
pub fn client_origin(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> (Option<IpAddr>, bool) {
    let peer_ip = peer.map(|p| p.ip());
    let tls = state.config.tls_enabled();
    let proxies = &state.config.server.trusted_proxies;
    let trusted = |ip: &IpAddr| proxies.iter().any(|net| net.contains(ip));
    let Some(ip) = peer_ip else {
        return (None, tls);
    };
    if !trusted(&ip) {
        return (Some(ip), tls);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    let client = forwarded
        .iter()
        .rev()
        .find(|a| !trusted(a))
        .copied()
        .unwrap_or(ip);
    let proto_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().eq_ignore_ascii_case("https"));
    (Some(client), proto_https.unwrap_or(tls))
}

fn valid_token(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let headers = req.headers();
    let (ip, secure) = client_origin(&state, headers, peer);

    let viewer = match cookie(headers, session::COOKIE) {
        Some(token) => {
            match session::load(
                &state.db,
                &state.sessions,
                token,
                state.config.session.idle_timeout,
            )
            .await
            {
                Ok(v) => v,
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    None
                }
            }
        }
        None => None,
    };
    let had_session_cookie = cookie(headers, session::COOKIE).is_some();

    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    let portals = state.portals.current();
    let portal = portals.resolve(host);
    let host = host.unwrap_or("").chars().take(300).collect::<String>();
    // A session is good only on portals whose audience admits its person: a
    // cookie replayed with another Host header does not open another portal.
    let viewer = viewer
        .filter(|v| crate::access::admitted_on(portal.as_ref(), &v.principal))
        .map(|mut v| {
            v.must_enroll_mfa =
                !v.has_second_factor && portals.mfa_policy.requires(&portal, &v.principal);
            v
        });
    if let Some(v) = &viewer {
        let p = &v.principal;
        state.adoption.active(p.person_id, p.org_id, portal.id);
    }
    let locale = negotiate(
        cookie(headers, LANG_COOKIE),
        viewer.as_ref().and_then(|v| v.locale),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
        portal.default_locale,
    );
    let anon_cookie = cookie(headers, CSRF_COOKIE)
        .filter(|t| valid_token(t))
        .map(str::to_string);
    // The API and Bearer clients never need the double-submit token: handing
    // them the cookie would only make cookie-keeping scripts send it back.
    let wants_anon_cookie = !req.uri().path().starts_with("/api/") && !super::csrf::bearer(headers);
    let (csrf, new_anon_cookie) = match (&viewer, anon_cookie) {
        (Some(v), _) => (v.csrf_token.clone(), None),
        (None, Some(t)) => (t, None),
        (None, None) => {
            let t = random_token(32);
            (t.clone(), wants_anon_cookie.then_some(t))
        }
    };
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect();
    // The API, the live channel and any Bearer client read problem+json.
    let wants_json = path.starts_with("/api/")
        || path.starts_with("/events")
        || super::csrf::bearer(headers)
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"));

    let tz = crate::i18n::time::zone_or(
        viewer.as_ref().and_then(|v| v.time_zone.as_deref()),
        &state.time_zone,
    );
    let ctx = Ctx {
        tz,
        ip,
        secure,
        tr: Tr::new(state.i18n.clone(), locale),
        portal,
        viewer,
        csrf,
        path,
        request_id,
        user_agent,
        host,
    };
    req.extensions_mut().insert(ctx.clone());

    let mut res = next.run(req).await;

    // Render error statuses that no handler rendered itself.
    let status = res.status();
    if status.is_client_error() || status.is_server_error() {
        let rendered = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html") || ct.contains("json"));
        let marker = res.extensions().get::<ErrorInfo>().cloned();
        if marker.is_some() || !rendered {
            let info = marker.unwrap_or(ErrorInfo::code(code_for_status(status)));
            if status.is_server_error() {
                tracing::warn!(status = status.as_u16(), code = info.code, "error response");
            }
            // Headers that belong to the error's meaning survive the rendering.
            let kept: Vec<_> = [header::ALLOW, header::WWW_AUTHENTICATE]
                .into_iter()
                .filter_map(|name| res.headers().get(&name).cloned().map(|v| (name, v)))
                .collect();
            res = page::render_error(&ctx, status, info, wants_json);
            for (name, value) in kept {
                res.headers_mut().insert(name, value);
            }
        }
    }

    let h = res.headers_mut();
    // Every refusal for pace says when to come back, even one a handler forgot.
    if status == StatusCode::TOO_MANY_REQUESTS && !h.contains_key(header::RETRY_AFTER) {
        tracing::warn!("a 429 without Retry-After");
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    // A session cookie that no longer names a live session is removed.
    if had_session_cookie && ctx.viewer.is_none() && !h.contains_key(header::SET_COOKIE) {
        h.append(header::SET_COOKIE, clear_cookie(session::COOKIE));
    }
    if let Some(t) = new_anon_cookie {
        h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &t, None));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res.into_response()
}
