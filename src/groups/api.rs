//! `/api/v1/groups`: internal structure, visible to internal people only.

use super::service;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::service::{DisplayName, Email, Slug};
use crate::web::api::{PageQuery, created, no_content, page, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let limit = q.limit()?;
    let groups = service::page(&state.db, &caller.actor(), q.after(), limit).await?;
    Ok(axum::Json(page(&groups, limit, |g| g.id, to_json)))
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let actor = caller.actor();
    let g = service::get(&state.db, &actor, id).await?;
    let members = service::members(&state.db, &actor, id).await?;
    let mut v = to_json(&g);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("member_ids".into(), json!(members));
    }
    Ok(axum::Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBody {
    name: String,
    slug: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<NewBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let g = service::create(
        &state.db,
        &caller.actor(),
        DisplayName::parse(&body.name)?,
        body.slug.as_deref().map(Slug::parse).transpose()?,
    )
    .await?;
    Ok(created(to_json(&g)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    name: Option<String>,
    description: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Changes>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let name = body.name.as_deref().map(DisplayName::parse).transpose()?;
    let g = service::update(&state.db, &caller.actor(), id, name, body.description).await?;
    Ok(axum::Json(to_json(&g)))
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

async fn set_member(
    state: &AppState,
    caller: &ApiCaller,
    group: i64,
    person: i64,
    add: bool,
) -> Result<Response, HttpError> {
    require_scope(caller, Scope::Admin)?;
    let actor = caller.actor();
    let g = service::get(&state.db, &actor, group).await?;
    let p = crate::people::service::get(&state.db, &actor, person).await?;
    service::set_member(
        &state.db,
        &actor,
        &Slug::parse(&g.slug)?,
        &Email::parse(&p.email)?,
        add,
    )
    .await?;
    Ok(no_content())
}

pub async fn add_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((group, person)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    set_member(&state, &caller, group, person, true).await
}

pub async fn remove_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((group, person)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    set_member(&state, &caller, group, person, false).await
}
