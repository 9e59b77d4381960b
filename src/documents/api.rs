//! `/api/v1` routes for libraries: folders, documents, versions (upload as a
//! raw streamed body, download with ranges), restore, trash and check-out.

use super::model::{FileName, ReviewState};
use super::service::{self, UploadTarget};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::service::Error;
use crate::web::api::{created, no_content, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct LibraryQuery {
    folder: Option<i64>,
    after_name: Option<String>,
    after_id: Option<i64>,
    limit: Option<u32>,
    state: Option<String>,
}

pub async fn library(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Query(q): Query<LibraryQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let after = match (q.after_name, q.after_id) {
        (Some(n), Some(i)) => Some((n, i)),
        _ => None,
    };
    let limit = crate::web::api::library_limit(q.limit)?;
    let wanted = ReviewState::filter(q.state.as_deref())?;
    let lib = service::library(
        &state.db,
        &caller.actor(),
        space,
        q.folder,
        after,
        wanted,
        limit,
    )
    .await?;
    Ok(axum::Json(json!({
        "role": lib.role,
        "folder": lib.folder,
        "folders": lib.folders,
        "items": lib.documents,
        "next": lib.next.map(|(name, id)| json!({"after_name": name, "after_id": id})),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewFolder {
    name: String,
    parent: Option<i64>,
}

pub async fn create_folder(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Json(body): Json<NewFolder>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let f = service::create_folder(
        &state.db,
        &caller.actor(),
        space,
        body.parent,
        FileName::parse(&body.name)?,
    )
    .await?;
    Ok(created(to_json(&f)))
}

#[derive(Deserialize)]
pub struct UploadQuery {
    name: String,
    folder: Option<i64>,
    comment: Option<String>,
}

/// The request body is the file itself, streamed to disk; a body longer than
/// the largest file, or shorter than its Content-Length, stores nothing.
pub async fn upload(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let actor = caller.actor();
    let target = UploadTarget {
        space_id: space,
        folder: q.folder,
        name: FileName::parse(&q.name)?,
        comment: q.comment.unwrap_or_default(),
    };
    let declared = crate::web::extract::declared_length(&headers);
    let (doc, version) =
        super::upload::receive(&state, &actor, target, declared, body.into_data_stream()).await?;
    Ok(created(json!({"document": doc, "version": version})))
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let (doc, versions, role) = service::details(&state.db, &caller.actor(), id).await?;
    let mut v = to_json(&doc);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("versions".into(), to_json(&versions));
        obj.insert("role".into(), json!(role));
    }
    Ok(axum::Json(v))
}

#[derive(Deserialize)]
pub struct ContentQuery {
    version: Option<i64>,
}

pub async fn content(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<ContentQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    super::download::serve(&state, &caller.actor(), id, q.version, false, &headers).await
}

pub async fn restore(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, number)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let n = service::restore_version(&state.db, &caller.actor(), id, number).await?;
    Ok(created(json!({"version": n})))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::trash(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn lock(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let d = state.config.documents.lock_duration;
    service::lock(&state.db, &caller.actor(), id, true, d).await?;
    Ok(no_content())
}

pub async fn unlock(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let d = state.config.documents.lock_duration;
    service::lock(&state.db, &caller.actor(), id, false, d).await?;
    Ok(no_content())
}

/// Files sent as `multipart/form-data`: each `file` part is streamed and
/// recorded in turn (an optional `comment` part before them applies to them).
pub async fn upload_form(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Query(q): Query<FolderQuery>,
    req: axum::extract::Request,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let mut multipart =
        <axum::extract::Multipart as axum::extract::FromRequest<AppState>>::from_request(
            req, &state,
        )
        .await
        .map_err(|_| HttpError::bad_request("form-invalid"))?;
    let actor = caller.actor();
    let (files, failure) =
        super::upload::store_multipart(&state, &actor, space, q.folder, None, &mut multipart).await;
    if let Some(e) = failure {
        return Err(e.into());
    }
    if files.is_empty() {
        return Err(Error::invalid("file", "upload-empty").into());
    }
    let files: Vec<Value> = files
        .into_iter()
        .map(|(document, version)| json!({"document": document, "version": version}))
        .collect();
    Ok(created(json!({ "files": files })))
}

#[derive(Deserialize)]
pub struct FolderQuery {
    folder: Option<i64>,
}

/// `folder`/`parent` in a change: absent keeps it, `null` is the library's root.
fn placement(v: &Option<Value>) -> Result<Option<Option<i64>>, Error> {
    match v {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(|id| Some(Some(id)))
            .ok_or(Error::invalid("folder", "form-invalid")),
        Some(_) => Err(Error::invalid("folder", "form-invalid")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentChanges {
    name: Option<String>,
    space: Option<i64>,
    folder: Option<Value>,
    description: Option<String>,
    tags: Option<String>,
}

/// Describes, tags, renames and/or moves a document (the move and the
/// rename in one step).
pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<DocumentChanges>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let actor = caller.actor();
    let name = body.name.as_deref().map(FileName::parse).transpose()?;
    let folder = placement(&body.folder)?;
    if body.description.is_some() || body.tags.is_some() {
        let (doc, _, _) = service::details(&state.db, &actor, id).await?;
        let description = body.description.as_deref().unwrap_or(&doc.description);
        let tags = body.tags.as_deref().unwrap_or(&doc.tags);
        service::describe(&state.db, &actor, id, description, tags).await?;
    }
    if body.space.is_none() && folder.is_none() {
        if let Some(name) = name {
            service::rename(&state.db, &actor, id, name).await?;
        }
    } else {
        let (doc, _, _) = service::details(&state.db, &actor, id).await?;
        let space = body.space.unwrap_or(doc.space_id);
        let folder = folder.unwrap_or(if space == doc.space_id {
            doc.folder_id
        } else {
            None
        });
        service::relocate(&state.db, &actor, id, space, folder, name).await?;
    }
    get(State(state), caller, Path(id))
        .await
        .map(IntoResponse::into_response)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyTarget {
    space: i64,
    folder: Option<i64>,
    name: Option<String>,
}

pub async fn copy(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<CopyTarget>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let name = body.name.as_deref().map(FileName::parse).transpose()?;
    let new = service::copy(
        &state.db,
        &caller.actor(),
        id,
        body.space,
        body.folder,
        name,
        state.config.documents.space_quota_bytes,
    )
    .await?;
    Ok(created(json!({ "id": new })))
}

pub async fn untrash(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::untrash(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn trash(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let actor = caller.actor();
    let documents: Vec<Value> = service::trash_of(&state.db, &actor, space)
        .await?
        .into_iter()
        .map(|(d, at)| json!({"document": d, "deleted_at": at}))
        .collect();
    let folders: Vec<Value> = super::folders::trashed(&state.db, &actor, space)
        .await?
        .into_iter()
        .map(|(f, at)| json!({"folder": f, "deleted_at": at}))
        .collect();
    Ok(axum::Json(
        json!({"documents": documents, "folders": folders}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderChanges {
    name: Option<String>,
    space: Option<i64>,
    parent: Option<Value>,
}

/// Renames and/or moves a folder (with everything below it) in one step.
pub async fn update_folder(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<FolderChanges>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let actor = caller.actor();
    let name = body.name.as_deref().map(FileName::parse).transpose()?;
    let parent = placement(&body.parent)?;
    let f = super::folders::get(&state.db, &actor, id).await?;
    if body.space.is_none() && parent.is_none() {
        if let Some(name) = name {
            super::folders::rename(&state.db, &actor, id, name).await?;
        }
    } else {
        let space = body.space.unwrap_or(f.space_id);
        let parent = parent.unwrap_or(if space == f.space_id {
            f.parent_id
        } else {
            None
        });
        super::folders::relocate(
            &state.db,
            &actor,
            id,
            space,
            parent,
            name,
            state.config.documents.space_quota_bytes,
        )
        .await?;
    }
    Ok(axum::Json(to_json(
        &super::folders::get(&state.db, &actor, id).await?,
    )))
}

pub async fn remove_folder(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    super::folders::trash(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn untrash_folder(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    super::folders::untrash(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

fn restriction_json(r: &super::folders::Restriction) -> Value {
    let named = |list: &[(i64, String)]| -> Vec<Value> {
        list.iter()
            .map(|(id, name)| json!({"id": id, "name": name}))
            .collect()
    };
    json!({"min_role": r.min_role, "people": named(&r.people), "groups": named(&r.groups)})
}

pub async fn restriction(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let (_, r) = super::folders::restriction(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(restriction_json(&r)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRestriction {
    min_role: Option<String>,
    #[serde(default)]
    people: Vec<i64>,
    #[serde(default)]
    groups: Vec<i64>,
}

pub async fn restrict(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<NewRestriction>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let role = body
        .min_role
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(crate::spaces::Role::parse)
        .transpose()?;
    let actor = caller.actor();
    super::folders::restrict(&state.db, &actor, id, role, body.people, body.groups).await?;
    let (_, r) = super::folders::restriction(&state.db, &actor, id).await?;
    Ok(axum::Json(restriction_json(&r)))
}

pub async fn shares(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let links = super::share::list(&state.db, &caller.actor(), space).await?;
    Ok(axum::Json(json!({ "items": links, "next_after": null })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewShare {
    days: u32,
    password: Option<String>,
    max_downloads: Option<u32>,
}

/// Creates a public link; its URL (holding the secret) is shown this once.
pub async fn share(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<NewShare>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let password = body
        .password
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(|p| crate::service::NewPassword::parse(p, &[]))
        .transpose()?;
    let portal = &caller.ctx.portal;
    let token = super::share::create(
        &state.db,
        &state.hasher,
        &caller.actor(),
        &**portal,
        id,
        super::share::NewLink {
            days: body.days,
            password,
            max_downloads: body.max_downloads,
        },
    )
    .await?;
    let base = state
        .config
        .public_url_for(portal.hostnames.first().map(String::as_str));
    Ok(created(
        json!({ "url": format!("{base}/s/{}", token.expose()) }),
    ))
}

pub async fn revoke_share(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    super::share::revoke(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}
