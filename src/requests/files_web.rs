//! Files sent with requests over HTTP: sent through the API (to a request,
//! or ahead of a filing for a file field), listed, and handed out to those
//! who see them, on the pages and the API alike.

use super::conversation;
use super::files;
use super::upload;
use crate::access::Actor;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::documents::download::{Content, respond_content};
use crate::web::api::{created, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Path, Query, Signed, declared_length};
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendQuery {
    name: String,
    /// Sent as an internal note: agents alone see it.
    #[serde(default)]
    internal: bool,
}

/// `POST /api/v1/requests/{id}/files?name=`: one file, sent as a reply
/// (or, `internal=true`, as an agents' note).
pub async fn send(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<SendQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let actor = caller.actor();
    // Asked before a byte is stored: whoever may not send here fills no disk.
    files::destination(&state.db, &actor, id, q.internal).await?;
    let file = upload::one(
        &state,
        &q.name,
        declared_length(&headers),
        body.into_data_stream(),
    )
    .await?;
    let batch = upload::batch(&state, vec![file]);
    let Some(batch) = batch else {
        return Err(HttpError::bad_request("form-invalid"));
    };
    let kept = conversation::send_files(&state.db, &actor, id, q.internal, batch).await?;
    noted(&state, &actor, &kept);
    Ok(created(json!({ "items": to_json(&kept) })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitingQuery {
    name: String,
}

/// `POST /api/v1/spaces/{id}/request-files?name=`: a file sent ahead of a
/// filing in that space, to be named in a file field; it waits a day.
pub async fn send_waiting(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Query(q): Query<WaitingQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let actor = caller.actor();
    files::may_send_waiting(&state.db, &actor, space).await?;
    let file = upload::one(
        &state,
        &q.name,
        declared_length(&headers),
        body.into_data_stream(),
    )
    .await?;
    let kept = files::send_waiting(
        &state.db,
        &state.blobs,
        &actor,
        space,
        file,
        state.config.documents.space_quota_bytes,
    )
    .await?;
    noted(&state, &actor, std::slice::from_ref(&kept));
    Ok(created(to_json(&kept)))
}

/// Counts files received for the adoption figures.
pub fn noted(state: &AppState, actor: &Actor, kept: &[files::RequestFile]) {
    for f in kept {
        let upload = crate::adoption::Metric::Upload;
        crate::documents::download::note(state, actor, upload, f.space_id, f.size);
    }
}

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<serde_json::Value>, HttpError> {
    let all = files::list(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(json!({ "items": to_json(&all) })))
}

#[derive(Debug, Default, Deserialize)]
pub struct DownloadQuery {
    inline: Option<u8>,
}

async fn serve(
    state: &AppState,
    actor: &Actor,
    (id, file): (i64, i64),
    inline: bool,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let f = files::for_download(&state.db, actor, id, file).await?;
    let content = Content {
        name: &f.name,
        content_type: &f.content_type,
        hash: &f.blob_hash,
        size: f.size,
    };
    let res = respond_content(state, content, inline, headers).await?;
    crate::documents::download::note_download(state, actor, f.space_id, f.size, headers, &res);
    Ok(res)
}

/// `GET /requests/{id}/files/{file}`.
pub async fn download(
    State(state): State<AppState>,
    signed: Signed,
    Path(ids): Path<(i64, i64)>,
    Query(q): Query<DownloadQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    serve(&state, &signed.actor(), ids, q.inline == Some(1), &headers).await
}

/// `GET /api/v1/requests/{id}/files/{file}`.
pub async fn download_api(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(ids): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    serve(&state, &caller.actor(), ids, false, &headers).await
}
