//! `/api/v1`: comments on an item, one comment, reactions on an item.

use super::model::{Comment, On, Reaction};
use super::{reactions, service};
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

fn comment_json(c: &Comment) -> Value {
    let mut v = to_json(c);
    if let Some(o) = v.as_object_mut() {
        o.insert("html".into(), json!(c.html()));
    }
    v
}

fn posted(p: &service::Posted) -> Value {
    let mut v = comment_json(&p.comment);
    if let Some(o) = v.as_object_mut() {
        o.insert("not_told".into(), to_json(&p.not_told));
    }
    v
}

fn on(raw: &str) -> Result<On, HttpError> {
    Ok(On::parse(raw)?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreadQuery {
    #[serde(default)]
    after: i64,
}

pub async fn thread(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(item): Path<String>,
    Query(q): Query<ThreadQuery>,
) -> JsonResult {
    let t = service::thread(&state.db, state.kinds, &caller.actor(), on(&item)?, q.after).await?;
    Ok(axum::Json(json!({
        "on": t.on,
        "total": t.total,
        "items": t.comments.iter().map(comment_json).collect::<Vec<_>>(),
        "next_after": t.next,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    body: String,
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(item): Path<String>,
    Json(body): Json<CommentBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let p = service::add(
        &state.db,
        state.kinds,
        &caller.actor(),
        on(&item)?,
        &body.body,
    )
    .await?;
    Ok(created(posted(&p)))
}

pub async fn get_one(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let c = service::get(&state.db, state.kinds, &caller.actor(), id).await?;
    Ok(axum::Json(comment_json(&c)))
}

pub async fn edit(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<CommentBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let p = service::edit(&state.db, state.kinds, &caller.actor(), id, &body.body).await?;
    Ok(axum::Json(posted(&p)))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::remove(&state.db, state.kinds, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn mentions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(item): Path<String>,
    Query(q): Query<crate::talk::MentionQuery>,
) -> JsonResult {
    let found =
        service::mention_suggestions(&state.db, state.kinds, &caller.actor(), on(&item)?, &q.q)
            .await?;
    Ok(axum::Json(to_json(&found)))
}

pub async fn reactions_of(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(item): Path<String>,
) -> JsonResult {
    let counts = reactions::of(&state.db, state.kinds, &caller.actor(), on(&item)?).await?;
    Ok(axum::Json(json!({ "items": counts })))
}

async fn set_reaction(
    state: AppState,
    caller: ApiCaller,
    (item, reaction): (String, String),
    present: bool,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let on = on(&item)?;
    let reaction = Reaction::parse(&reaction)?;
    let counts = reactions::set(
        &state.db,
        state.kinds,
        &state.reactions_added,
        &caller.actor(),
        on,
        reaction,
        present,
    )
    .await?;
    Ok(axum::Json(json!({ "items": counts })))
}

pub async fn react(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(p): Path<(String, String)>,
) -> JsonResult {
    set_reaction(state, caller, p, true).await
}

pub async fn unreact(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(p): Path<(String, String)>,
) -> JsonResult {
    set_reaction(state, caller, p, false).await
}
