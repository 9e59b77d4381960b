//! `/api/v1/organizations`.

use super::OrgKind;
use super::service::{self, NewOrganization};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::service::{DisplayName, EmailDomain, Slug};
use crate::web::api::{PageQuery, created, no_content, page, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let limit = q.limit()?;
    let orgs = service::page(&state.db, &caller.actor(), q.after(), limit).await?;
    Ok(axum::Json(page(&orgs, limit, |o| o.id, to_json)))
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let org = service::get(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(to_json(&org)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBody {
    name: String,
    kind: String,
    slug: Option<String>,
    #[serde(default)]
    domains: Vec<String>,
}

fn domains(raw: &[String]) -> Result<Vec<EmailDomain>, crate::service::Error> {
    EmailDomain::parse_list(&raw.join(" "))
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<NewBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let new = NewOrganization {
        name: DisplayName::parse(&body.name)?,
        kind: OrgKind::parse(&body.kind)?,
        slug: body.slug.as_deref().map(Slug::parse).transpose()?,
        domains: domains(&body.domains)?,
    };
    let org = service::create(&state.db, &caller.actor(), new).await?;
    Ok(created(to_json(&org)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    name: Option<String>,
    domains: Option<Vec<String>>,
}

pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Changes>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let changes = service::Changes {
        name: body.name.as_deref().map(DisplayName::parse).transpose()?,
        domains: body.domains.as_deref().map(domains).transpose()?,
    };
    let org = service::update(&state.db, &caller.actor(), id, changes).await?;
    Ok(axum::Json(to_json(&org)))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    service::delete(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}
