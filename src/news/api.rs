//! `/api/v1/news`: the feed, posts, acknowledgements and their report.

use super::feed::{self, Scope};
use super::form::{Fields, target_name};
use super::model::{NewFile, Post};
use super::{report, service};
use crate::app::AppState;
use crate::auth::tokens::Scope as TokenScope;
use crate::web::api::{created, no_content, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

fn post_json(p: &Post) -> Value {
    let mut v = to_json(p);
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "state".into(),
            json!(p.state(crate::util::now_ms()).as_str()),
        );
        obj.insert("url".into(), json!(format!("/news/{}", p.id)));
        obj.insert("html".into(), json!(p.html()));
    }
    v
}

fn posts_json(posts: &[Post]) -> Value {
    Value::Array(posts.iter().map(post_json).collect())
}

#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    /// `<publish_at>.<id>` of the last post of the previous page.
    before: Option<String>,
    limit: Option<u32>,
    space: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<FeedQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let limit = match q.limit {
        None => 20,
        Some(n) if (1..=100).contains(&n) => n,
        Some(_) => return Err(HttpError::bad_request("limit-invalid")),
    };
    let before = match q.before.as_deref().filter(|b| !b.is_empty()) {
        None => None,
        Some(raw) => {
            let (t, id) = raw
                .split_once('.')
                .and_then(|(t, id)| Some((t.parse().ok()?, id.parse().ok()?)))
                .ok_or_else(|| HttpError::bad_request("cursor-invalid"))?;
            Some((t, id))
        }
    };
    let scope = Scope {
        space: q.space,
        before,
        portal: None,
    };
    let f = feed::feed(&state.db, &caller.actor(), scope, limit).await?;
    let next = (f.posts.len() as u32 == limit)
        .then(|| f.posts.last())
        .flatten()
        .map(|p| format!("{}.{}", p.publish_at.unwrap_or_default(), p.id));
    Ok(axum::Json(json!({
        "pinned": posts_json(&f.pinned),
        "to_acknowledge": posts_json(&f.to_acknowledge),
        "items": posts_json(&f.posts),
        "next_before": next,
    })))
}

pub async fn written(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<axum::Json<Value>, HttpError> {
    let posts = feed::written(&state.db, &caller.actor(), 200).await?;
    Ok(axum::Json(json!({"items": posts_json(&posts)})))
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let full = service::get(&state.db, &caller.actor(), id).await?;
    let mut v = post_json(&full.post);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("files".into(), to_json(&full.files));
        if full.writes {
            let audience: Vec<String> = full.targets.iter().map(|t| target_name(*t)).collect();
            obj.insert("audience".into(), json!(audience));
        }
    }
    Ok(axum::Json(v))
}

/// A post as the API sends it: the form's fields, times in RFC 3339.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    title: String,
    body: String,
    /// `instance` or `space:<id>` (creation only; a post does not move).
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    audience: Vec<String>,
    publish: String,
    #[serde(default)]
    publish_at: Option<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    pinned: bool,
    #[serde(default)]
    requires_ack: bool,
}

impl Body {
    fn fields(self) -> Fields {
        Fields {
            title: self.title,
            body: self.body,
            place: self.place.unwrap_or_default(),
            audience: self.audience,
            publish: self.publish,
            publish_at: self.publish_at.unwrap_or_default(),
            expires_at: self.expires_at.unwrap_or_default(),
            pinned: self.pinned,
            requires_ack: self.requires_ack,
            ..Fields::default()
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<Body>,
) -> Result<Response, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let fields = body.fields();
    let place = fields.place()?;
    let draft = fields.draft(&caller.ctx.tz)?;
    let actor = caller.actor();
    let id = service::create(&state.db, &actor, place, draft, service::Extras::default()).await?;
    let full = service::get(&state.db, &actor, id).await?;
    Ok(created(post_json(&full.post)))
}

pub async fn replace(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Body>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let draft = body.fields().draft(&caller.ctx.tz)?;
    let actor = caller.actor();
    service::update(&state.db, &actor, id, draft, service::Extras::default()).await?;
    let full = service::get(&state.db, &actor, id).await?;
    Ok(axum::Json(post_json(&full.post)))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    service::delete(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn acknowledge(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let new = service::acknowledge(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(json!({"acknowledged": true, "new": new})))
}

pub async fn acknowledgements(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let r = report::report(&state.db, &caller.actor(), id).await?;
    let mut v = to_json(&r);
    if let Some(audiences) = v.get_mut("audiences").and_then(Value::as_array_mut) {
        for (a, original) in audiences.iter_mut().zip(&r.audiences) {
            a["target"] = json!(target_name(original.target));
        }
    }
    Ok(axum::Json(v))
}

pub async fn remind(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let pending = report::remind(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(json!({"reminded": pending})))
}

pub async fn set_cover(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let image = crate::portals::Image::parse(body.to_vec())?;
    let extras = service::Extras {
        cover: Some(Some(image)),
        ..service::Extras::default()
    };
    change_extras(&state, &caller, id, extras).await?;
    Ok(no_content())
}

pub async fn remove_cover(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let extras = service::Extras {
        cover: Some(None),
        ..service::Extras::default()
    };
    change_extras(&state, &caller, id, extras).await?;
    Ok(no_content())
}

async fn change_extras(
    state: &AppState,
    caller: &ApiCaller,
    id: i64,
    extras: service::Extras,
) -> Result<(), HttpError> {
    Ok(service::change_extras(&state.db, &caller.actor(), id, extras).await?)
}

#[derive(Debug, Deserialize)]
pub struct FileQuery {
    name: String,
}

pub async fn add_file(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<FileQuery>,
    body: Bytes,
) -> Result<Response, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let file = NewFile::check(&q.name, body.to_vec())?;
    let extras = service::Extras {
        add: vec![file],
        ..service::Extras::default()
    };
    change_extras(&state, &caller, id, extras).await?;
    let full = service::get(&state.db, &caller.actor(), id).await?;
    Ok(created(to_json(&full.files)))
}

pub async fn file(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    let (name, data) = service::file(&state.db, &caller.actor(), id, file).await?;
    Ok(crate::web::download::attachment(&name, data))
}

pub async fn remove_file(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    require_scope(&caller, TokenScope::Write)?;
    let exists = service::get(&state.db, &caller.actor(), id)
        .await?
        .files
        .iter()
        .any(|f| f.id == file);
    if !exists {
        return Err(HttpError::not_found());
    }
    let extras = service::Extras {
        remove: vec![file],
        ..service::Extras::default()
    };
    change_extras(&state, &caller, id, extras).await?;
    Ok(no_content())
}
