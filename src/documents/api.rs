//! `/api/v1` routes for libraries: folders, documents, versions (upload as a
//! raw streamed body, download with ranges), restore, trash and check-out.

use super::model::FileName;
use super::service::{self, UploadTarget};
use crate::api::{created, no_content, require_scope, to_json};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::server::error::HttpError;
use crate::server::extract::{ApiCaller, Json, Path, Query};
use crate::service::Error;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct LibraryQuery {
    folder: Option<i64>,
    after_name: Option<String>,
    after_id: Option<i64>,
    limit: Option<u32>,
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
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let lib = service::library(&state.db, &caller.actor(), space, q.folder, after, limit).await?;
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
    let limits = &state.config.documents;
    let target = UploadTarget {
        space_id: space,
        folder: q.folder,
        name: FileName::parse(&q.name)?,
        comment: q.comment.unwrap_or_default(),
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_file_bytes) {
        return Err(Error::invalid("file", "file-too-large").into());
    }
    service::check_upload(
        &state.db,
        &actor,
        &target,
        declared,
        limits.space_quota_bytes,
    )
    .await?;
    let (stored, first) =
        super::web::store_stream(&state.blobs, limits.max_file_bytes, body.into_data_stream())
            .await?;
    if declared.is_some_and(|n| n != stored.size) {
        // The body and its Content-Length disagree: keep nothing.
        return Err(Error::invalid("file", "upload-interrupted").into());
    }
    let (doc, version) = service::commit_upload(
        &state.db,
        &state.blobs,
        &actor,
        target,
        stored,
        first,
        limits.space_quota_bytes,
    )
    .await?;
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
    super::web::serve(&state, &caller.actor(), id, q.version, false, &headers).await
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
