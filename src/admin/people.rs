//! Administration of people: the list with search, suspend and reactivate,
//! second-factor reset, creation, and the CSV import with its dry run.

use super::{AdminPage, multipart_fields, require_admin};
use crate::app::AppState;
use crate::people::{Person, PersonStatus};
use crate::server::error::HttpError;
use crate::server::extract::{Form, Path, Query, Signed};
use crate::server::page::render;
use crate::service::{Email, Error};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    page: crate::server::page::Chrome,
    section: &'static str,
    q: String,
    people: Vec<Person>,
    orgs: Vec<crate::organizations::Organization>,
    draft: Draft,
    notice: Option<String>,
    error: Option<String>,
    /// The administrator looking at the page (who may not suspend themself).
    me: i64,
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
    q: Option<String>,
    notice: Option<String>,
}

const NOTICES: &[&str] = &[
    "person-created",
    "status-changed",
    "mfa-reset-done",
    "person-erased",
];

async fn people_page(
    state: &AppState,
    signed: &Signed,
    q: String,
    status: StatusCode,
    draft: Draft,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let people = crate::people::service::list(&state.db, &actor, Some(q.clone()), 500).await?;
    let orgs = crate::organizations::service::list(&state.db, &actor).await?;
    let page = PeoplePage {
        page: AdminPage::chrome(&signed.ctx, "admin-people"),
        section: "admin-people",
        q,
        people,
        orgs,
        draft,
        notice,
        error,
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
    let notice = q
        .notice
        .filter(|n| NOTICES.contains(&n.as_str()))
        .map(|n| signed.ctx.tr.t(&format!("notice-{n}")).to_string());
    people_page(
        &state,
        &signed,
        q.q.unwrap_or_default(),
        StatusCode::OK,
        Draft::default(),
        notice,
        None,
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
            String::new(),
            StatusCode::BAD_REQUEST,
            draft,
            None,
            Some(text),
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
        state.outbox.ring();
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
        String::new(),
        StatusCode::BAD_REQUEST,
        draft,
        None,
        Some(text),
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
                String::new(),
                StatusCode::CONFLICT,
                Draft::default(),
                None,
                Some(text),
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
    page: crate::server::page::Chrome,
    section: &'static str,
    /// Each row with its messages in the page's language.
    rows: Vec<(crate::people::import::RowReport, Vec<String>)>,
    notice: Option<String>,
    error: Option<String>,
}

pub async fn import_form(State(_): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let page = ImportPage {
        page: AdminPage::chrome(&signed.ctx, "admin-import-title"),
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
    let fields = multipart_fields(multipart, crate::people::import::MAX_BYTES).await?;
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
    if report.imported > 0 {
        state.outbox.ring();
    }
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
        page: AdminPage::chrome(&signed.ctx, "admin-import-title"),
        section: "admin-people",
        rows,
        notice,
        error,
    };
    render(status, &page)
}
