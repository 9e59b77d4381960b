//! Administration of organizations and groups.

use super::require_admin;
use crate::app::AppState;
use crate::organizations::service::NewOrganization;
use crate::organizations::{OrgKind, Organization};
use crate::service::{DisplayName, Email, EmailDomain, Error, Slug};
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Turns a service error a person can fix into a message; passes on the rest.
pub fn fixable(signed: &Signed, e: Error) -> Result<String, HttpError> {
    match e {
        Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code) => {
            Ok(signed.ctx.tr.t(&format!("error-{code}")).to_string())
        }
        other => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

const NOTICES: &[Notice] = &[
    Notice::new("saved", "notice-admin-saved"),
    Notice::new("deleted", "notice-admin-deleted"),
];

pub fn notice(signed: &Signed, raw: Option<String>) -> Option<String> {
    notice::shown(&signed.ctx.tr, NOTICES, raw.as_deref())
}

#[derive(Template)]
#[template(path = "admin_orgs.html")]
struct OrgsPage {
    page: crate::web::page::Chrome,
    section: &'static str,
    orgs: Vec<Organization>,
    kinds: Vec<&'static str>,
    notice: Option<String>,
    error: Option<String>,
}

async fn orgs_page(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let orgs = crate::organizations::service::list(&state.db, &signed.actor()).await?;
    let page = OrgsPage {
        page: Chrome::admin(&signed.ctx, "admin-orgs"),
        section: "admin-orgs",
        orgs,
        kinds: OrgKind::EXTERNAL.iter().map(|k| k.as_str()).collect(),
        notice,
        error,
    };
    render(status, &page)
}

pub async fn orgs(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let n = notice(&signed, q.notice);
    orgs_page(&state, &signed, StatusCode::OK, n, None).await
}

#[derive(Deserialize)]
pub struct NewOrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    domains: String,
}

pub async fn create_org(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NewOrgForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let result = async {
        let new = NewOrganization {
            name: DisplayName::parse(&form.name)?,
            kind: OrgKind::parse(&form.kind)?,
            slug: None,
            domains: EmailDomain::parse_list(&form.domains)?,
        };
        crate::organizations::service::create(&state.db, &signed.actor(), new).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/organizations?notice=saved").into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            orgs_page(&state, &signed, StatusCode::BAD_REQUEST, None, Some(text)).await
        }
    }
}

#[derive(Deserialize)]
pub struct OrgChangesForm {
    #[serde(default)]
    domains: String,
}

/// Changes an organization's e-mail domains.
pub async fn update_org(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<OrgChangesForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let result = async {
        let changes = crate::organizations::service::Changes {
            name: None,
            domains: Some(EmailDomain::parse_list(&form.domains)?),
        };
        crate::organizations::service::update(&state.db, &signed.actor(), id, changes).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/organizations?notice=saved").into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            orgs_page(&state, &signed, StatusCode::BAD_REQUEST, None, Some(text)).await
        }
    }
}

pub async fn delete_org(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    match crate::organizations::service::delete(&state.db, &signed.actor(), id).await {
        Ok(()) => Ok(Redirect::to("/admin/organizations?notice=deleted").into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            orgs_page(&state, &signed, StatusCode::CONFLICT, None, Some(text)).await
        }
    }
}

/// A group member as the page lists them: id, name, e-mail.
type MemberLine = (i64, String, String);

#[derive(Template)]
#[template(path = "admin_groups.html")]
struct GroupsPage {
    page: crate::web::page::Chrome,
    section: &'static str,
    groups: Vec<crate::groups::Group>,
    /// The group being looked at, with its members.
    open: Option<(crate::groups::Group, Vec<MemberLine>)>,
    notice: Option<String>,
    error: Option<String>,
}

async fn groups_page(
    state: &AppState,
    signed: &Signed,
    open: Option<i64>,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let groups = crate::groups::service::list(&state.db, &actor).await?;
    let open = match open {
        Some(id) => {
            let g = crate::groups::service::get(&state.db, &actor, id).await?;
            let mut members = Vec::new();
            for pid in crate::groups::service::members(&state.db, &actor, id).await? {
                let p = crate::people::service::get(&state.db, &actor, pid).await?;
                members.push((p.id, p.display_name, p.email));
            }
            Some((g, members))
        }
        None => None,
    };
    let page = GroupsPage {
        page: Chrome::admin(&signed.ctx, "admin-groups"),
        section: "admin-groups",
        groups,
        open,
        notice,
        error,
    };
    render(status, &page)
}

pub async fn groups(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let n = notice(&signed, q.notice);
    groups_page(&state, &signed, None, StatusCode::OK, n, None).await
}

pub async fn group(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let n = notice(&signed, q.notice);
    groups_page(&state, &signed, Some(id), StatusCode::OK, n, None).await
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

pub async fn create_group(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NameForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let result = async {
        let name = DisplayName::parse(&form.name)?;
        crate::groups::service::create(&state.db, &signed.actor(), name, None).await
    }
    .await;
    match result {
        Ok(g) => Ok(Redirect::to(&format!("/admin/groups/{}?notice=saved", g.id)).into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            groups_page(
                &state,
                &signed,
                None,
                StatusCode::BAD_REQUEST,
                None,
                Some(text),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    email: String,
    /// "add" or "remove".
    #[serde(default)]
    action: String,
}

pub async fn group_member(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let actor = signed.actor();
    let g = crate::groups::service::get(&state.db, &actor, id).await?;
    let result = async {
        let email = Email::parse(&form.email)?;
        crate::groups::service::set_member(
            &state.db,
            &actor,
            &Slug::parse(&g.slug)?,
            &email,
            form.action != "remove",
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/groups/{id}?notice=saved")).into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            groups_page(
                &state,
                &signed,
                Some(id),
                StatusCode::BAD_REQUEST,
                None,
                Some(text),
            )
            .await
        }
    }
}

pub async fn delete_group(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    crate::groups::service::delete(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to("/admin/groups?notice=deleted").into_response())
}
