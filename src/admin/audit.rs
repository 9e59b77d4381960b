//! The audit log in the browser: administrators page through it newest
//! first with filters, verify the chain on demand and download what they
//! filtered as CSV; a space's managers see their space's activity.

use super::require_admin;
use crate::app::AppState;
use crate::audit::browse::{self, Filters};
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// One event as the administrators' table shows it.
struct EventView {
    id: i64,
    when: String,
    iso: String,
    /// The acting person (name, e-mail, id), or the kind of actor.
    person: Option<(String, String, i64)>,
    actor: String,
    action: String,
    target: String,
    /// Where the target can be looked at, when it has a page.
    target_link: Option<String>,
    ip: String,
    detail: String,
}

/// What the banner says about the chain.
struct ChainView {
    /// Events kept, from the chain's head.
    count: i64,
    /// The outcome of the last verification, if any ran since the start.
    verified: Option<ChainOutcome>,
}

struct ChainOutcome {
    ok: bool,
    /// What the verification found, in the page's language.
    message: String,
    /// The first problem, as the verifier words it, and the row it concerns.
    problem: String,
    /// Events recorded since that verification.
    since: i64,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    page: Chrome,
    section: &'static str,
    filters: Filters,
    filter_query: String,
    events: Vec<EventView>,
    next: Option<String>,
    chain: ChainView,
    error: Option<String>,
    csv_max: usize,
    /// The actions the instance's kinds record, offered in the filter.
    actions: Vec<&'static str>,
}

fn target_link(kind: &str, id: &str) -> Option<String> {
    let id: i64 = id.parse().ok()?;
    match kind {
        "person" => Some(format!("/people/{id}")),
        "document" => Some(format!("/files/{id}")),
        "group" => Some(format!("/admin/groups/{id}")),
        "space" => Some(format!("/admin/spaces/{id}")),
        "portal" => Some(format!("/admin/portals/{id}")),
        _ => None,
    }
}

async fn chain_view(
    state: &AppState,
    signed: &Signed,
    chrome: &Chrome,
) -> Result<ChainView, HttpError> {
    let (count, last) = browse::head(&state.db, &signed.actor()).await?;
    let verified = browse::last_checkup(&state.config.data_dir).map(|c| ChainOutcome {
        ok: c.result.ok(),
        message: chrome.tr.t2(
            if c.result.ok() {
                "audit-chain-ok"
            } else {
                "audit-chain-broken"
            },
            ("count", c.result.rows as i64),
            ("when", chrome.datetime(&c.at)),
        ),
        problem: c
            .result
            .problem
            .as_ref()
            .map(|(_, why)| why.clone())
            .unwrap_or_default(),
        since: (last - c.through).max(0),
    });
    Ok(ChainView { count, verified })
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    filters: Filters,
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let chrome = Chrome::admin(&signed.ctx, "admin-audit");
    let filters = q.filters;
    let (events, next, error, status) =
        match browse::page(&state.db, &signed.actor(), &filters, &chrome.tz).await {
            Ok(p) => (p.rows, p.next, None, StatusCode::OK),
            Err(crate::service::Error::Invalid { code, .. }) => (
                Vec::new(),
                None,
                Some(signed.ctx.tr.t(&format!("error-{code}")).to_string()),
                StatusCode::BAD_REQUEST,
            ),
            Err(e) => return Err(e.into()),
        };
    let tr = &signed.ctx.tr;
    let events = events
        .into_iter()
        .map(|r| EventView {
            id: r.id,
            when: chrome.datetime(&r.at),
            iso: chrome.iso(&r.at),
            person: match (r.actor_name, r.actor_email, r.actor_id) {
                (Some(n), Some(e), Some(id)) => Some((n, e, id)),
                _ => None,
            },
            actor: match r.actor_kind.as_str() {
                "cli" => tr.t("audit-actor-cli").to_string(),
                "system" => tr.t("audit-actor-system").to_string(),
                "anonymous" => tr.t("audit-actor-anonymous").to_string(),
                _ => r.actor_id.map(|i| format!("#{i}")).unwrap_or_default(),
            },
            target_link: target_link(&r.target_type, &r.target_id),
            target: if r.target_type.is_empty() {
                String::new()
            } else {
                format!("{} #{}", r.target_type, r.target_id)
            },
            action: r.action,
            ip: r.ip,
            detail: r.detail,
        })
        .collect();
    let chain = chain_view(&state, &signed, &chrome).await?;
    let filter_query = filters.query();
    let next = next.map(|id| {
        if filter_query.is_empty() {
            format!("/admin/audit?before={id}")
        } else {
            format!("/admin/audit?{filter_query}&before={id}")
        }
    });
    let page = AuditPage {
        page: chrome,
        section: "admin-audit",
        filters,
        filter_query,
        events,
        next,
        chain,
        error,
        csv_max: browse::CSV_MAX,
        actions: state.kinds.iter().flat_map(|k| k.audit).copied().collect(),
    };
    render(status, &page)
}

/// Verifies the chain now; the page then says what was found.
pub async fn verify(State(state): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    browse::verify_now(&state.db, &signed.actor(), &state.config.data_dir).await?;
    Ok(Redirect::to("/admin/audit#chain").into_response())
}

/// The filtered events as a CSV file (the newest `CSV_MAX`).
pub async fn csv(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let (text, cut) = browse::csv(&state.db, &signed.actor(), &q.filters, &signed.ctx.tz).await?;
    let mut res = crate::web::download::csv("parvis-audit.csv", text);
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if cut {
        h.insert("x-parvis-truncated", HeaderValue::from_static("1"));
    }
    Ok(res)
}

/// One line of a space's activity.
struct SpaceEventView {
    when: String,
    iso: String,
    who: String,
    action: String,
    /// The document or folder it concerns, with its link; empty: the space.
    target: String,
    target_link: Option<String>,
}

#[derive(Template)]
#[template(path = "space_activity.html")]
struct SpaceActivityPage {
    page: Chrome,
    slug: String,
    name: String,
    events: Vec<SpaceEventView>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SpaceQuery {
    #[serde(default)]
    before: String,
}

/// `GET /spaces/{slug}/activity`: for the space's managers only.
pub async fn space_activity(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<SpaceQuery>,
) -> Result<Response, HttpError> {
    let before = match q.before.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().ok().filter(|b| *b > 0).ok_or(
            crate::service::Error::invalid("before", "audit-page-invalid"),
        )?),
    };
    let found = browse::space_activity(&state.db, &signed.actor(), &slug, before).await?;
    let ctx = &signed.ctx;
    let chrome = Chrome::new(
        ctx,
        "spaces",
        &ctx.tr
            .t1("space-activity-title", "space", found.name.clone()),
    );
    let tr = &ctx.tr;
    let events = found
        .events
        .into_iter()
        .map(|e| SpaceEventView {
            when: chrome.datetime(&e.at),
            iso: chrome.iso(&e.at),
            who: match (e.who, e.actor_kind.as_str()) {
                (Some(n), _) => n,
                (None, "cli") => tr.t("audit-actor-cli").to_string(),
                (None, "system") => tr.t("audit-actor-system").to_string(),
                (None, "anonymous") => tr.t("audit-actor-anonymous").to_string(),
                (None, _) => tr.t("audit-actor-someone").to_string(),
            },
            target_link: match e.target_type.as_str() {
                "document" => Some(format!("/files/{}", e.target_id)),
                _ => None,
            },
            target: match e.target_type.as_str() {
                "space" => String::new(),
                _ => e
                    .target_name
                    .unwrap_or_else(|| format!("{} #{}", e.target_type, e.target_id)),
            },
            action: e.action,
        })
        .collect();
    let next = found
        .next
        .map(|id| format!("/spaces/{slug}/activity?before={id}"));
    let page = SpaceActivityPage {
        page: chrome,
        slug,
        name: found.name,
        events,
        next,
    };
    render(StatusCode::OK, &page)
}
