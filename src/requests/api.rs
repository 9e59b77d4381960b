//! `/api/v1`: request types (administrators), the types offered in a
//! space, requests and their timelines, notes.

use super::conversation;
use super::filing;
use super::list::{self, Filter};
use super::service::{self, NewRequest};
use super::type_service::{self, NewTypeBody};
use super::types::Definition;
use super::work::{self, Patch};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::web::api::{created, no_content, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

type JsonResult = Result<axum::Json<Value>, HttpError>;

fn ok<T: serde::Serialize>(v: &T) -> JsonResult {
    Ok(axum::Json(to_json(v)))
}

pub async fn types(State(state): State<AppState>, caller: ApiCaller) -> JsonResult {
    require_scope(&caller, Scope::Admin)?;
    let all = type_service::list(&state.db, &caller.actor()).await?;
    Ok(axum::Json(json!({ "items": to_json(&all) })))
}

pub async fn create_type(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<NewTypeBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let t = type_service::create(&state.db, &caller.actor(), body).await?;
    Ok(created(to_json(&t)))
}

pub async fn get_type(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    require_scope(&caller, Scope::Admin)?;
    ok(&type_service::get(&state.db, &caller.actor(), id).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeVersion {
    definition: Definition,
    #[serde(default)]
    agent_group: Option<i64>,
}

pub async fn update_type(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<TypeVersion>,
) -> JsonResult {
    require_scope(&caller, Scope::Admin)?;
    let t = type_service::update(
        &state.db,
        &caller.actor(),
        id,
        body.definition,
        body.agent_group,
    )
    .await?;
    ok(&t)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    archived: bool,
}

pub async fn archive_type(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Archive>,
) -> JsonResult {
    require_scope(&caller, Scope::Admin)?;
    ok(&type_service::archive(&state.db, &caller.actor(), id, body.archived).await?)
}

pub async fn delete_type(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    type_service::delete(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn offered(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
) -> JsonResult {
    let types = service::offered(&state.db, &caller.actor(), space).await?;
    Ok(axum::Json(json!({ "items": to_json(&types) })))
}

pub async fn file(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Json(body): Json<NewRequest>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let r = filing::file(&state.db, &caller.actor(), space, body).await?;
    Ok(created(to_json(&r)))
}

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(f): Query<Filter>,
) -> JsonResult {
    ok(&list::list(&state.db, &caller.actor(), f).await?)
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    ok(&service::get(&state.db, &caller.actor(), id, false).await?)
}

pub async fn preview(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let actor = caller.actor();
    let request = service::get(&state.db, &actor, id, true).await?;
    let timeline = service::timeline(&state.db, &actor, id, true).await?;
    Ok(axum::Json(json!({
        "request": to_json(&request),
        "timeline": {"items": to_json(&timeline)},
    })))
}

pub async fn timeline(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let items = service::timeline(&state.db, &caller.actor(), id, false).await?;
    Ok(axum::Json(json!({ "items": to_json(&items) })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    status: String,
    version: String,
}

pub async fn move_to(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<MoveBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    ok(&work::move_to(&state.db, &caller.actor(), id, body.status, body.version).await?)
}

pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Patch>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    ok(&work::update(&state.db, &caller.actor(), id, body).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    assignee: Option<i64>,
}

pub async fn assign(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<AssignBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    ok(&work::assign(&state.db, &caller.actor(), id, body.assignee).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyText {
    body: String,
}

pub async fn reply(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<BodyText>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let r = conversation::reply(&state.db, &caller.actor(), id, &body.body, false, None).await?;
    Ok(created(to_json(&r)))
}

pub async fn note(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<BodyText>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let r = conversation::note(&state.db, &caller.actor(), id, &body.body, None).await?;
    Ok(created(to_json(&r)))
}

pub async fn watch(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    ok(&work::watch(&state.db, &caller.actor(), id, true).await?)
}

pub async fn unwatch(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    ok(&work::watch(&state.db, &caller.actor(), id, false).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    rating: i64,
    #[serde(default)]
    comment: String,
}

pub async fn rate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<RatingBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    ok(&work::rate(&state.db, &caller.actor(), id, body.rating, &body.comment).await?)
}

pub async fn upsert(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((type_key, external)): Path<(String, String)>,
    Json(body): Json<filing::Upsert>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let (done, r) = filing::upsert(&state.db, &caller.actor(), &type_key, &external, body).await?;
    let body = json!({
        "request": to_json(&r),
        "outcome": match done {
            filing::Upserted::Created => "created",
            filing::Upserted::Changed => "changed",
            filing::Upserted::Unchanged => "unchanged",
        },
    });
    Ok(match done {
        filing::Upserted::Created => created(body),
        _ => axum::response::IntoResponse::into_response(axum::Json(body)),
    })
}

pub async fn bulk(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<super::bulk::Bulk>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    ok(&super::bulk::apply(&state.db, &caller.actor(), body).await?)
}
