//! HTTP: every route and the middleware order in one place, the accept loop,
//! TLS, and the pieces every handler shares.

pub mod api;
pub mod headers;
pub mod idle;
pub mod limits;
pub mod listener;
pub mod observe;
pub mod openapi;
mod openapi_adoption;
mod openapi_approvals;
mod openapi_requests;

use crate::admin;
use crate::app::AppState;
use crate::auth::mfa::web as mfa;
use crate::web::{assets, context, csrf, error};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, any, get, post};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// The whole application. Layers listed last wrap the ones above them, so a
/// request passes, from the outside in:
/// 1. `observe` — request id and span first, so everything below is logged under them;
/// 2. `headers` — security headers on every response, even those made by later layers;
/// 3. `context` — client address, session, language; renders every error response
///    below it in the visitor's language;
/// 4. panic catcher — a bug becomes a 500 page, never a dropped connection;
/// 5. body limit and timeout — bounded work, answered as localized 413 / 503
///    (uploads have their own, larger ones);
/// 6. `csrf` (per route, see `guard`) — refuses state-changing requests without the
///    right token, before any handler.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.server.max_body_bytes;
    let timeout = state.config.server.request_timeout;

    // Every page route goes through the guard, which adds the CSRF check to
    // its handlers only: an unsupported method still gets its honest 405.
    let g = csrf::Guard { max_form: max_body };
    let guard = |r: MethodRouter<AppState>| g.on(r);
    let kinds = state.kinds;
    let mut pages = Router::new()
        .route("/signout", guard(post(crate::auth::web::signout)))
        .route(
            "/signin/verify/passkey-options",
            guard(post(mfa::passkey_options)),
        )
        .route("/signin/verify/passkey", guard(post(mfa::passkey_verify)))
        .route("/account/security/totp/begin", guard(post(mfa::totp_begin)))
        .route(
            "/account/security/totp/confirm",
            guard(post(mfa::totp_confirm)),
        )
        .route(
            "/account/security/totp/remove",
            guard(post(mfa::totp_remove)),
        )
        .route(
            "/account/security/recovery",
            guard(post(mfa::recovery_regenerate)),
        )
        .route(
            "/account/security/passkeys/options",
            guard(post(mfa::passkey_register_options)),
        )
        .route(
            "/account/security/passkeys",
            guard(post(mfa::passkey_register)),
        )
        .route(
            "/account/security/passkeys/{id}/remove",
            guard(post(mfa::passkey_remove)),
        )
        .route("/language", guard(post(crate::auth::web::set_language)))
        .route(
            "/account/password",
            guard(post(crate::auth::web::change_password)),
        )
        .route(
            "/account/profile",
            guard(post(crate::auth::account_web::profile)),
        )
        .route(
            "/account/email",
            guard(post(crate::auth::account_web::email)),
        )
        .route(
            "/account/data",
            guard(post(crate::people::data_web::account_export)),
        )
        .route(
            "/account/photo",
            guard(post(crate::auth::account_web::photo)),
        )
        .route(
            "/account/tokens",
            guard(post(crate::auth::account_web::create_token)),
        )
        .route(
            "/account/tokens/{id}/revoke",
            guard(post(crate::auth::account_web::revoke_token)),
        )
        .route(
            "/account/signout-others",
            guard(post(crate::auth::web::signout_others)),
        )
        .route("/admin/audit/verify", guard(post(admin::audit::verify)));
    let own = own_pages(&g);
    pages = pages.merge(own.router);
    let mut page_uploads = Router::new();
    for kind in kinds {
        let own = (kind.pages)(&g);
        pages = pages.merge(own.router);
        page_uploads = page_uploads.merge(own.uploads);
    }
    let api = crate::server::api::routes(&g, kinds);
    let (api, api_uploads) = (api.router, api.uploads);

    let ordinary = Router::new()
        .merge(pages)
        .merge(api)
        .route("/healthz", get(healthz))
        .route("/static/{*path}", get(assets::serve))
        .route("/portal.css", get(assets::portal_css))
        .route("/portal/logo", get(crate::portals::web::logo))
        .route("/portal/favicon", get(crate::portals::web::favicon))
        .fallback(fallback)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(from_fn_with_state(max_body, limits::body));
    // Uploads stream large bodies straight to disk: their own limit (the
    // largest file plus the multipart framing) and a long deadline. Every
    // other route keeps the small limits above.
    let upload_limit = usize::try_from(state.config.documents.max_file_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1024 * 1024);
    let uploads = page_uploads
        .merge(api_uploads)
        // WebDAV answers every method itself (PROPFIND, MKCOL, LOCK, …) and
        // authenticates each request: no session, so no CSRF token either.
        .route(crate::dav::PREFIX, any(crate::dav::handle))
        .route("/dav/", any(crate::dav::handle))
        .route("/dav/{*rest}", any(crate::dav::handle))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(6 * 3600),
        ))
        .layer(RequestBodyLimitLayer::new(upload_limit))
        .layer(DefaultBodyLimit::disable())
        .layer(from_fn_with_state(upload_limit, limits::body));

    Router::new()
        .merge(ordinary)
        .merge(uploads)
        .layer(from_fn(limits::head))
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), context::middleware))
        .layer(from_fn_with_state(state.clone(), headers::middleware))
        .layer(from_fn_with_state(
            state.activity.clone(),
            observe::middleware,
        ))
        .with_state(state)
}

/// The instance's own pages — a visitor's (sign-in, forgotten password,
/// reset and invitation links) and a signed-in person's (home, account,
/// search, the audit log) — with who may read each, for the role matrix.
pub fn own_pages(g: &csrf::Guard) -> crate::content::Pages {
    use crate::web::api::Need;
    crate::content::Pages::default()
        .page("/", Need::Signed, g.on(get(crate::home::web::page)))
        .page(
            "/signin",
            Need::Visitor,
            g.on(get(crate::auth::web::signin_page).post(crate::auth::web::signin_submit)),
        )
        .page(
            "/forgot",
            Need::Public,
            g.on(get(crate::auth::web::forgot_page).post(crate::auth::web::forgot_submit)),
        )
        .page(
            "/reset/{token}",
            Need::Token,
            g.on(get(crate::auth::web::reset_form).post(crate::auth::web::reset_submit)),
        )
        .page(
            "/signin/verify",
            Need::Token,
            g.on(get(mfa::verify_page).post(mfa::verify_submit)),
        )
        .page(
            "/invite/{token}",
            Need::Token,
            g.on(get(crate::auth::invite_web::form).post(crate::auth::invite_web::accept)),
        )
        .page(
            "/account",
            Need::Signed,
            g.on(get(crate::auth::web::account)),
        )
        .page("/account/security", Need::Signed, g.on(get(mfa::security)))
        .page("/search", Need::Signed, g.on(get(crate::search::web::page)))
        .page("/admin/audit", Need::Admin, g.on(get(admin::audit::list)))
        .page(
            "/admin/adoption",
            Need::Admin,
            g.on(get(admin::adoption::page)),
        )
        .page(
            "/admin/audit.csv",
            Need::Admin,
            g.on(get(admin::audit::csv)),
        )
}

async fn fallback() -> impl IntoResponse {
    error::HttpError::not_found()
}

/// 200 when the database answers a query within a second, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let probe = state.db.read(|c| {
        c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
            .map_err(crate::db::DbError::from)
    });
    match tokio::time::timeout(Duration::from_secs(1), probe).await {
        Ok(Ok(1)) => (
            StatusCode::OK,
            [("content-type", "text/plain; charset=utf-8")],
            "ok\n",
        )
            .into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            [("content-type", "text/plain; charset=utf-8")],
            "database unavailable\n",
        )
            .into_response(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

/// Prepares TLS (generating the self-signed certificate when needed); returns
/// the rustls configuration, or `None` when TLS is off.
pub fn prepare_tls(
    state: &AppState,
) -> Result<Option<std::sync::Arc<rustls::ServerConfig>>, ServeError> {
    let portal_names = state.portals.current().hostnames();
    Ok(
        match crate::tls::server_config(&state.config, &portal_names)? {
            Some((config, store)) => {
                if state.config.tls.mode == crate::config::TlsMode::Files {
                    crate::tls::reload_on_sighup(store);
                }
                Some(config)
            }
            None => None,
        },
    )
}

/// Serves until `shutdown` resolves, then drains requests and checkpoints the WAL.
pub async fn run(
    state: AppState,
    listener: tokio::net::TcpListener,
    tls: Option<std::sync::Arc<rustls::ServerConfig>>,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> Result<(), ServeError> {
    // Before anything of this process can write (the listener accepts below),
    // every partial file no writer holds is a leftover of an earlier run.
    let swept = state.blobs.sweep_stale(Duration::ZERO);
    if swept > 0 {
        tracing::info!(files = swept, "leftovers of interrupted uploads removed");
    }
    let limits = listener::ConnLimits {
        header_timeout: state.config.server.header_timeout,
        shutdown_grace: state.config.server.shutdown_grace,
    };
    let maintenance = tokio::spawn(maintenance(state.clone()));
    let portals = tokio::spawn(refresh_portals(state.clone()));
    let idle = tokio::spawn(idle::release_when_idle(state.clone()));
    let backups = tokio::spawn(crate::ops::backup::schedule(state.config.clone()));
    let wake_mailer = std::sync::Arc::new(tokio::sync::Notify::new());
    let notifier = tokio::spawn(crate::notifications::worker::run(
        state.db.clone(),
        state.kinds,
        state.live.clone(),
        state.time_zone.clone(),
        wake_mailer.clone(),
    ));
    let mailer = tokio::spawn(crate::notifications::mailer::run(
        state.clone(),
        wake_mailer,
    ));
    let publisher = tokio::spawn(crate::news::publisher::run(state.db.clone()));
    let breaches = tokio::spawn(crate::requests::breaches::run(state.db.clone()));
    let replies = tokio::spawn(crate::requests::mailbox::run(state.clone()));
    let approvals = tokio::spawn(crate::approvals::follower::run(state.db.clone()));
    let submissions = tokio::spawn(crate::approvals::submissions::run(state.db.clone()));
    let signatories = tokio::spawn(crate::approvals::signatories::run(
        state.db.clone(),
        crate::approvals::signatories::Mailer {
            i18n: state.i18n.clone(),
            public_url: state.config.public_url(),
        },
    ));
    let deadlines = tokio::spawn(crate::approvals::deadlines::run(
        state.db.clone(),
        state.time_zone.clone(),
    ));
    let adoption = tokio::spawn(crate::adoption::run(
        state.adoption.clone(),
        state.db.clone(),
    ));
    let live = tokio::spawn(crate::live::dispatch::run(
        state.live.clone(),
        state.db.clone(),
        state.kinds,
        state.config.session.idle_timeout,
    ));
    let indexer = match crate::search::start(&state).await {
        Ok(task) => Some(task),
        Err(e) => {
            tracing::error!(error = %e, "search is unavailable");
            None
        }
    };
    let mail = match crate::mail::handler(&state.config.mail) {
        Ok(handler) => Some(crate::outbox::spawn_worker(
            state.db.clone(),
            state.outbox.clone(),
            crate::mail::KIND,
            handler,
        )),
        Err(e) => {
            tracing::error!(error = %e, "mail is not sent; messages wait in the outbox");
            None
        }
    };
    // Streams never end by themselves: stopping ends them, so that the
    // drain does not wait out its grace period for them.
    let hub = state.live.clone();
    let shutdown = async move {
        shutdown.await;
        hub.close_all();
    };
    listener::serve(listener, router(state.clone()), tls, limits, shutdown).await;
    maintenance.abort();
    portals.abort();
    idle.abort();
    backups.abort();
    live.abort();
    notifier.abort();
    mailer.abort();
    publisher.abort();
    breaches.abort();
    replies.abort();
    adoption.abort();
    approvals.abort();
    deadlines.abort();
    submissions.abort();
    signatories.abort();
    if let Err(e) = state.adoption.flush(&state.db).await {
        tracing::warn!(error = %e, "the last adoption figures could not be written");
    }
    if let Some(task) = indexer {
        task.abort();
    }
    if let Some(worker) = mail {
        worker.abort();
    }
    state.db.checkpoint().await?;
    tracing::info!("stopped");
    Ok(())
}

/// Portals changed from the command line reach the running server within
/// seconds; changes made through the server reload at once.
async fn refresh_portals(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3));
    loop {
        tick.tick().await;
        if let Err(e) = state.portals.reload(&state.db).await {
            tracing::warn!(error = %e, "portal reload failed");
        }
    }
}

/// Personal data kept no longer than `[retention]` says: old audit events,
/// external people whose access ended long ago.
async fn retention(state: &AppState) {
    let keep = state.config.retention.audit_log;
    if !keep.is_zero() {
        let before = crate::util::now_ms() - keep.as_millis() as i64;
        let pruned = state
            .db
            .write(move |tx| crate::audit::prune(tx, &crate::access::Actor::system(), before))
            .await;
        match pruned {
            Ok(n) if n > 0 => tracing::info!(events = n, "old audit events dropped"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "audit retention failed"),
        }
    }
    match crate::people::erasure::erase_expired(
        &state.db,
        state.kinds,
        state.config.retention.erase_expired_external_after,
    )
    .await
    {
        Ok(n) if n > 0 => {
            tracing::info!(people = n, "expired external accounts erased");
            crate::auth::session::sessions_changed();
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "erasure of expired accounts failed"),
    }
}

/// Periodic housekeeping: expired sessions, stale throttle entries, reminders
/// to sponsors whose external people's access ends soon.
async fn maintenance(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        let idle = state.config.session.idle_timeout.as_millis() as i64;
        let purged = state
            .db
            .write(move |tx| {
                crate::auth::session::store::purge_expired(tx, crate::util::now_ms(), idle)
                    .map_err(crate::db::DbError::from)
            })
            .await;
        match purged {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "purged expired sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session purge failed"),
        }
        state.throttle.prune();
        match crate::documents::service::purge_trash(
            &state.db,
            state.config.documents.trash_retention,
        )
        .await
        {
            Ok(n) if n > 0 => tracing::info!(documents = n, "trash purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "trash purge failed"),
        }
        let before = crate::util::now_ms() - crate::requests::files::WAITING_FOR_MS;
        let swept = state
            .db
            .write(move |tx| crate::requests::files::sweep_waiting(tx, before))
            .await;
        match swept {
            Ok(n) if n > 0 => tracing::info!(files = n, "files no filing took removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "sweep of waiting request files failed"),
        }
        state.blobs.sweep_stale(Duration::from_secs(24 * 3600));
        crate::people::data_web::sweep(&state.config.data_dir, Duration::from_secs(3600));
        match crate::content::collect_garbage(
            &state.db,
            &state.blobs,
            state.kinds,
            Duration::from_secs(24 * 3600),
        )
        .await
        {
            Ok(n) if n > 0 => tracing::info!(blobs = n, "unreferenced blobs removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "blob collection failed"),
        }
        retention(&state).await;
        match crate::people::lifecycle::send_reminders(
            &state.db,
            &state.i18n,
            &state.config,
            state.config.auth.expiry_reminder,
        )
        .await
        {
            Ok(n) if n > 0 => {
                tracing::info!(reminders = n, "sponsors reminded of ending access");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "expiry reminders failed"),
        }
    }
}
