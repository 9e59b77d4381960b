//! WebDAV at `/dav/`: the spaces a person may see, as folders, so Parvis can
//! be mounted as a network drive. Basic authentication takes the person's
//! e-mail and a personal access token (an "app password"); the file system
//! (`fs`) goes through the same paths, access checks and service functions as
//! the pages. Class 2 locks are held by dav-server's lock table and mirrored
//! as Parvis check-outs, so people on the web see who is editing.

pub mod file;
pub mod fs;
pub mod locks;
pub mod props;

use crate::access::{Actor, admitted_on};
use crate::app::AppState;
use crate::auth::tokens::{self, Scope};
use crate::documents::paths::{self, Node};
use crate::service::Error;
use crate::web::context::Ctx;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use dav_server::DavHandler;
use dav_server::davpath::DavPath;
use dav_server::fs::FsError;
use std::time::Duration;

/// Where WebDAV lives.
pub const PREFIX: &str = "/dav";

/// Who a WebDAV request acts for, handed to every file system call.
#[derive(Clone)]
pub struct DavUser {
    pub state: AppState,
    pub actor: Actor,
    pub scope: Scope,
    /// What this request already resolved (one request, one person: never shared).
    pub memo: std::sync::Arc<std::sync::Mutex<fs::Memo>>,
    /// The comment a saved file's new version carries (see `version_comment`).
    pub comment: String,
}

/// What a version saved over WebDAV says about itself: the client's own words
/// when it sends an `X-Version-Comment` header (percent-encoded UTF-8, as
/// `rclone --header-upload` can), else which program saved it.
pub fn version_comment(headers: &axum::http::HeaderMap, user_agent: &str) -> String {
    let given = headers
        .get("x-version-comment")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .chars()
                .filter(|c| !c.is_control())
                .take(500)
                .collect::<String>()
        })
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    given.unwrap_or_else(|| {
        // The product token ("rclone/v1.60.1" → "rclone"): enough to know the
        // program, without keeping a fingerprint of the machine.
        let client: String = user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || " -_.".contains(*c))
            .take(40)
            .collect();
        if client.is_empty() {
            "WebDAV".to_string()
        } else {
            format!("WebDAV ({client})")
        }
    })
}

/// The WebDAV meaning of a service error.
pub fn fs_error(e: &Error) -> FsError {
    match e {
        Error::NotFound => FsError::NotFound,
        Error::Unauthorized | Error::Forbidden => FsError::Forbidden,
        Error::Exists(_) => FsError::Exists,
        Error::Conflict(_) => FsError::Forbidden,
        Error::StorageFull | Error::QuotaExceeded => FsError::InsufficientStorage,
        Error::TooLarge { .. } => FsError::TooLarge,
        Error::Invalid { code, .. } => match *code {
            "file-name-too-long" => FsError::PathTooLong,
            "folder-into-itself" => FsError::Forbidden,
            _ => FsError::Forbidden,
        },
        _ => FsError::GeneralFailure,
    }
}

/// The lock table WebDAV clients share (kept in memory: locks are short
/// leases that clients refresh; a restart lets them go).
pub fn lock_table() -> locks::LockTable {
    locks::LockTable::default()
}

fn unauthorized(ctx: &Ctx) -> Response {
    let mut res = (
        StatusCode::UNAUTHORIZED,
        ctx.tr.t("error-dav-unauthorized").to_string(),
    )
        .into_response();
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Parvis\", charset=\"UTF-8\""),
    );
    res
}

/// The e-mail and token of a Basic Authorization header.
fn basic_credentials(headers: &axum::http::HeaderMap) -> Option<(String, String)> {
    let raw = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(raw.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (email, token) = text.split_once(':')?;
    Some((email.to_string(), token.to_string()))
}

async fn authenticate(
    state: &AppState,
    ctx: &Ctx,
    credentials: Option<(String, String)>,
    comment: String,
) -> Option<DavUser> {
    let (email, token) = credentials?;
    match tokens::authenticate_as(&state.db, &email, &token).await {
        Ok(Some((principal, scope))) if admitted_on(ctx.portal.as_ref(), &principal) => {
            // A mapped drive is use of the product as much as a page is.
            let p = &principal;
            state.adoption.active(p.person_id, p.org_id, ctx.portal.id);
            Some(DavUser {
                state: state.clone(),
                actor: Actor::person(principal, ctx.ip),
                scope,
                memo: Default::default(),
                comment,
            })
        }
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "webdav authentication failed");
            None
        }
    }
}

/// The path's names below `/dav`, decoded.
fn segments_of(uri: &axum::http::Uri) -> Option<Vec<String>> {
    let mut p = DavPath::from_uri(uri).ok()?;
    p.set_prefix(PREFIX).ok()?;
    let raw = std::str::from_utf8(p.as_bytes()).ok()?;
    Some(
        raw.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// Mirrors a granted or released WebDAV lock on a file as a Parvis check-out,
/// ending when the lease does.
async fn mirror_lock(user: &DavUser, uri: &axum::http::Uri, on: bool, lease: Duration) {
    let Some(segs) = segments_of(uri) else { return };
    let state = &user.state;
    if let Ok(Node::Document { doc, .. }) = paths::resolve(&state.db, &user.actor, segs).await {
        let duration = lease.min(state.config.documents.lock_duration);
        if let Err(e) =
            crate::documents::service::lock(&state.db, &user.actor, doc.id, on, duration).await
        {
            tracing::debug!(error = %e, document = doc.id, "webdav lock not mirrored");
        }
    }
}

pub async fn handle(State(state): State<AppState>, ctx: Ctx, req: Request) -> Response {
    let credentials = basic_credentials(req.headers());
    let comment = version_comment(req.headers(), &ctx.user_agent);
    let Some(user) = authenticate(&state, &ctx, credentials, comment).await else {
        return unauthorized(&ctx);
    };
    let method = req.method().clone();
    let uri = req.uri().clone();
    let (mut parts, body) = req.into_parts();
    if method == Method::DELETE {
        // A folder goes to the trash whole, in one step, rather than file by
        // file: it can then be restored whole.
        parts.headers.insert("depth", HeaderValue::from_static("0"));
    }
    let principal = user
        .actor
        .principal()
        .map(|p| p.person_id.to_string())
        .unwrap_or_default();
    let lease = locks::requested_lease(&parts.headers);
    // Locks are looked at only through what this person may see.
    let view = locks::View::new(
        state.dav_locks.clone(),
        user.clone(),
        principal.clone(),
        lease,
    );
    let handler = DavHandler::builder()
        .filesystem(Box::new(fs::ParvisFs))
        .locksystem(Box::new(view))
        .strip_prefix(PREFIX)
        .build_handler();
    let res = handler
        .handle_guarded(Request::from_parts(parts, body), principal, user.clone())
        .await;
    let status = res.status();
    if method.as_str() == "LOCK" && status == StatusCode::OK {
        mirror_lock(&user, &uri, true, lease).await;
    } else if method.as_str() == "UNLOCK" && status == StatusCode::NO_CONTENT {
        mirror_lock(&user, &uri, false, lease).await;
    }
    let mut res = res.map(Body::new);
    let h = res.headers_mut();
    // Nothing from here is ever rendered as a page of the portal's origin.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if (method == Method::GET || method == Method::HEAD) && status.is_success() {
        h.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    res
}
