//! Administration of people: the list with search, suspend and reactivate,
//! second-factor reset, creation, and the CSV import with its dry run.

use super::require_admin;
use crate::app::AppState;
use crate::people::roster::Filters;
use crate::people::{Person, PersonStatus};
use crate::service::{Email, Error};
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    page: crate::web::page::Chrome,
    section: &'static str,
    filters: Filters,
    /// The filters as a query string, kept by the bulk form.
    filter_query: String,
    rows: Vec<RowView>,
    orgs: Vec<crate::organizations::Organization>,
    kinds: &'static [&'static str],
    draft: Draft,
    notice: Option<String>,
    error: Option<String>,
    /// Each person a bulk change was refused for, with the reason.
    refusals: Vec<String>,
    /// The administrator looking at the page (who may not suspend themself).
    me: i64,
}

/// One person as the administration's list shows them.
struct RowView {
    p: Person,
    /// The end of access, as a date; empty when there is none.
    ends: String,
    ends_iso: String,
    /// Access ends within 30 days.
    ends_soon: bool,
    /// Access has ended.
    ended: bool,
    /// The last sign-in, as a date and time; empty: never.
    last_signin: String,
    last_signin_iso: String,
    totp: bool,
    passkeys: i64,
}

impl RowView {
    fn new(
        row: crate::people::store::RosterRow,
        page: &crate::web::page::Chrome,
        now: i64,
    ) -> RowView {
        let ends = row.person.expires_at;
        RowView {
            ends: ends.map(|t| page.date(&t)).unwrap_or_default(),
            ends_iso: ends.map(|t| page.iso(&t)).unwrap_or_default(),
            ends_soon: ends.is_some_and(|t| t > now && t <= now + 30 * 24 * 3600 * 1000),
            ended: ends.is_some_and(|t| t <= now),
            last_signin: row
                .last_signin_at
                .map(|t| page.datetime(&t))
                .unwrap_or_default(),
            last_signin_iso: row.last_signin_at.map(|t| page.iso(&t)).unwrap_or_default(),
            totp: row.totp,
            passkeys: row.passkeys,
            p: row.person,
        }
    }
}

#[derive(Default, Deserialize)]
pub struct Draft {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    organization: String,
    /// The organization the administrator confirmed although the address's
    /// domain disagrees with it.
    #[serde(default)]
    org_confirmed: String,
    /// Set when the form must ask for that confirmation.
    #[serde(skip)]
    confirm: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    filters: Filters,
    notice: Option<String>,
}

const NOTICES: &[Notice] = &[
    Notice::new("person-created", "notice-person-created"),
    Notice::new("status-changed", "notice-status-changed"),
    Notice::new("mfa-reset-done", "notice-mfa-reset-done"),
    Notice::new("person-erased", "notice-person-erased"),
];

/// What the page says besides the list.
#[derive(Default)]
struct Said {
    notice: Option<String>,
    error: Option<String>,
    refusals: Vec<String>,
}

async fn people_page(
    state: &AppState,
    signed: &Signed,
    filters: Filters,
    status: StatusCode,
    draft: Draft,
    said: Said,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let rows = crate::people::roster::list(&state.db, &actor, &filters).await?;
    let orgs = crate::organizations::service::list(&state.db, &actor).await?;
    let chrome = Chrome::admin(&signed.ctx, "admin-people");
    let now = crate::util::now_ms();
    let rows = rows
        .into_iter()
        .map(|r| RowView::new(r, &chrome, now))
        .collect();
    let page = PeoplePage {
        page: chrome,
        section: "admin-people",
        filter_query: filters.query(),
        filters,
        rows,
        orgs,
        kinds: crate::people::roster::KINDS,
        draft,
        notice: said.notice,
        error: said.error,
        refusals: said.refusals,
        me: signed.viewer.principal.person_id,
    };
    render(status, &page)
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let notice = notice::shown(&signed.ctx.tr, NOTICES, q.notice.as_deref());
    people_page(
        &state,
        &signed,
        q.filters,
        StatusCode::OK,
        Draft::default(),
        Said {
            notice,
            ..Said::default()
        },
    )
    .await
}

/// Renews or ends access for every selected person: the whole request is
/// checked first (a selection, an action, a sensible number of days), then
/// each person goes through the lifecycle service on their own, and the
/// page says who changed and who did not, and why.
pub async fn bulk(
    State(state): State<AppState>,
    signed: Signed,
    Query(filters): Query<Filters>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let tr = &signed.ctx.tr;
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let parsed = crate::people::roster::parse_selection(
        pairs
            .iter()
            .filter(|(k, _)| k == "person")
            .map(|(_, v)| v.as_str()),
    )
    .and_then(|ids| {
        crate::people::roster::BulkAction::parse(value("action"), value("days")).map(|a| (ids, a))
    });
    let (ids, action) = match parsed {
        Ok(p) => p,
        Err(Error::Invalid { code, .. }) => {
            let said = Said {
                error: Some(tr.t(&format!("error-{code}")).to_string()),
                ..Said::default()
            };
            return people_page(
                &state,
                &signed,
                filters,
                StatusCode::BAD_REQUEST,
                Draft::default(),
                said,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let outcome = crate::people::roster::bulk(&state.db, &signed.actor(), &ids, action).await?;
    let key = match action {
        crate::people::roster::BulkAction::Renew(_) => "roster-renewed",
        crate::people::roster::BulkAction::End => "roster-ended",
    };
    let notice = (!outcome.done.is_empty()).then(|| tr.t1(key, "count", outcome.done.len() as i64));
    let error = (!outcome.refused.is_empty())
        .then(|| tr.t1("roster-refused", "count", outcome.refused.len() as i64));
    let refusals = outcome
        .refused
        .iter()
        .map(|r| {
            tr.t2(
                "roster-refusal",
                ("name", r.name.clone()),
                ("reason", tr.t(&format!("error-{}", r.code)).to_string()),
            )
        })
        .collect();
    let status = if outcome.done.is_empty() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    people_page(
        &state,
        &signed,
        filters,
        status,
        Draft::default(),
        Said {
            notice,
            error,
            refusals,
        },
    )
    .await
}

/// Creates an account and mails it a single-use link to choose a password.
pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    Form(draft): Form<Draft>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    if draft.organization.trim().is_empty() {
        let text = signed.ctx.tr.t("error-invite-org-required").to_string();
        return people_page(
            &state,
            &signed,
            Filters::default(),
            StatusCode::BAD_REQUEST,
            draft,
            Said {
                error: Some(text),
                ..Said::default()
            },
        )
        .await;
    }
    let confirmed = !draft.org_confirmed.is_empty() && draft.org_confirmed == draft.organization;
    let line = format!(
        "email,name,organization,title,department\n\"{}\",\"{}\",\"{}\",\"{}\",\"{}\"\n",
        draft.email.replace('"', "\"\""),
        draft.name.replace('"', "\"\""),
        draft.organization.replace('"', "\"\""),
        draft.title.replace('"', "\"\""),
        draft.department.replace('"', "\"\""),
    );
    // One row through the import keeps a single set of rules for new accounts.
    let report = crate::people::import::run(
        &state.db,
        &signed.actor(),
        line.into_bytes(),
        Some(super::import_mailer(&state)),
        confirmed,
    )
    .await?;
    if report.imported == 1 {
        return Ok(Redirect::to("/admin/people?notice=person-created").into_response());
    }
    let codes: Vec<&str> = report
        .file_error
        .into_iter()
        .chain(report.rows.iter().flat_map(|r| r.errors.iter().copied()))
        .collect();
    let text = codes
        .iter()
        .map(|c| signed.ctx.tr.t(&format!("error-{c}")).to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let mut draft = draft;
    draft.confirm = codes
        .iter()
        .any(|c| matches!(*c, "org-domain-elsewhere" | "org-domain-unlisted"));
    people_page(
        &state,
        &signed,
        Filters::default(),
        StatusCode::BAD_REQUEST,
        draft,
        Said {
            error: Some(text),
            ..Said::default()
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let actor = signed.actor();
    let status = PersonStatus::parse(&form.status)?;
    let person = crate::people::service::get(&state.db, &actor, id).await?;
    match crate::people::service::set_status(
        &state.db,
        &actor,
        &Email::parse(&person.email)?,
        status,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/people?notice=status-changed").into_response()),
        Err(Error::Conflict(code)) => {
            let text = signed.ctx.tr.t(&format!("error-{code}")).to_string();
            people_page(
                &state,
                &signed,
                Filters::default(),
                StatusCode::CONFLICT,
                Draft::default(),
                Said {
                    error: Some(text),
                    ..Said::default()
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn mfa_reset(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    crate::people::service::get(&state.db, &signed.actor(), id).await?;
    crate::auth::mfa::reset(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to("/admin/people?notice=mfa-reset-done").into_response())
}

#[derive(Template)]
#[template(path = "admin_import.html")]
struct ImportPage {
    page: crate::web::page::Chrome,
    section: &'static str,
    /// Each row with its messages in the page's language.
    rows: Vec<(crate::people::import::RowReport, Vec<String>)>,
    notice: Option<String>,
    error: Option<String>,
}

pub async fn import_form(State(_): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let page = ImportPage {
        page: Chrome::admin(&signed.ctx, "admin-import-title"),
        section: "admin-people",
        rows: Vec::new(),
        notice: None,
        error: None,
    };
    render(StatusCode::OK, &page)
}

pub async fn import_submit(
    State(state): State<AppState>,
    signed: Signed,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let fields =
        crate::web::extract::multipart_fields(multipart, crate::people::import::MAX_BYTES).await?;
    let file = fields
        .iter()
        .find(|(name, _)| name == "file")
        .map(|(_, data)| data.clone())
        .unwrap_or_default();
    let real = fields
        .iter()
        .any(|(name, data)| name == "mode" && data.as_slice() == b"import");
    let mailer = real.then(|| super::import_mailer(&state));
    let report =
        crate::people::import::run(&state.db, &signed.actor(), file, mailer, false).await?;
    let tr = &signed.ctx.tr;
    let (status, notice, error) = if let Some(code) = report.file_error {
        (
            StatusCode::BAD_REQUEST,
            None,
            Some(tr.t(&format!("error-{code}")).to_string()),
        )
    } else if report.imported > 0 {
        (
            StatusCode::OK,
            Some(tr.t1("admin-import-done", "count", report.imported as i64)),
            None,
        )
    } else if report.ok() {
        (
            StatusCode::OK,
            Some(tr.t1("admin-import-ready", "count", report.rows.len() as i64)),
            None,
        )
    } else {
        let bad = report.rows.iter().filter(|r| !r.errors.is_empty()).count();
        (
            StatusCode::BAD_REQUEST,
            None,
            Some(tr.t1("admin-import-errors", "count", bad as i64)),
        )
    };
    let rows = report
        .rows
        .into_iter()
        .map(|r| {
            let messages = r
                .errors
                .iter()
                .map(|c| tr.t(&format!("error-{c}")).to_string())
                .collect();
            (r, messages)
        })
        .collect();
    let page = ImportPage {
        page: Chrome::admin(&signed.ctx, "admin-import-title"),
        section: "admin-people",
        rows,
        notice,
        error,
    };
    render(status, &page)
}
