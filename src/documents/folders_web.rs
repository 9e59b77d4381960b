//! Folder forms on the library page: rename, move, trash (with contents),
//! restore from the trash, and restriction to chosen members or a minimum role.

use super::folders;
use super::model::FileName;
use super::trash_web::after_untrash;
use super::web::{LibraryQuery, back, fixable, library_page};
use crate::app::AppState;
use crate::service::Result;
use crate::spaces::Role;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Signed};
use axum::extract::{RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

/// The folder's space slug, for redirects (read access is checked there).
async fn slug_of(state: &AppState, signed: &Signed, space_id: i64) -> Result<String> {
    Ok(
        crate::spaces::service::slug_of(&state.db, &signed.actor(), space_id)
            .await?
            .as_str()
            .to_string(),
    )
}

/// After a folder change: back to the folder with a notice, or its page again
/// with the reason when the person can fix it.
async fn after(
    state: &AppState,
    signed: &Signed,
    folder: i64,
    result: Result<Option<i64>>,
    notice: &str,
) -> Result<Response, HttpError> {
    let f = match folders::get(&state.db, &signed.actor(), folder).await {
        Ok(f) => f,
        Err(e) => return Err(result.err().unwrap_or(e).into()),
    };
    let slug = slug_of(state, signed, f.space_id).await?;
    match result {
        Ok(show) => Ok(back(&slug, show, notice)),
        Err(e) => match fixable(signed, &e) {
            Some(text) => {
                let q = LibraryQuery {
                    folder: Some(folder),
                    ..LibraryQuery::default()
                };
                library_page(state, signed, &slug, &q, StatusCode::CONFLICT, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

pub async fn rename(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<super::document_web::NameForm>,
) -> Result<Response, HttpError> {
    let result = match FileName::parse(&form.name) {
        Ok(name) => folders::rename(&state.db, &signed.actor(), id, name)
            .await
            .map(|()| Some(id)),
        Err(e) => Err(e),
    };
    after(&state, &signed, id, result, "folder-renamed").await
}

#[derive(Deserialize)]
pub struct MoveForm {
    /// A folder id, or empty for the library's root.
    #[serde(default)]
    to: String,
}

pub async fn relocate(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<MoveForm>,
) -> Result<Response, HttpError> {
    let f = folders::get(&state.db, &signed.actor(), id).await?;
    let to = match form.to.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .map_err(|_| HttpError::bad_request("form-invalid"))?,
        ),
    };
    let result = folders::relocate(
        &state.db,
        &signed.actor(),
        id,
        f.space_id,
        to,
        None,
        state.config.documents.space_quota_bytes,
    )
    .await
    .map(|()| Some(id));
    after(&state, &signed, id, result, "folder-moved").await
}

pub async fn trash(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    match folders::trash(&state.db, &signed.actor(), id).await {
        Ok(f) => {
            let slug = slug_of(&state, &signed, f.space_id).await?;
            Ok(back(&slug, f.parent_id, "trashed"))
        }
        Err(e) => after(&state, &signed, id, Err(e), "").await,
    }
}

#[derive(Deserialize)]
pub struct UntrashForm {
    #[serde(default)]
    space: String,
}

pub async fn untrash(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<UntrashForm>,
) -> Result<Response, HttpError> {
    let result = folders::untrash(&state.db, &signed.actor(), id)
        .await
        .map(|_| ());
    after_untrash(&state, &signed, &form.space, result).await
}

/// `min_role`, then any number of `person` and `group` ids (checkboxes).
pub async fn restrict(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    RawForm(raw): RawForm,
) -> Result<Response, HttpError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&raw).map_err(|_| HttpError::bad_request("form-invalid"))?;
    let ids = |key: &str| -> Result<Vec<i64>, HttpError> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| {
                v.parse::<i64>()
                    .map_err(|_| HttpError::bad_request("form-invalid"))
            })
            .collect()
    };
    let min_role = match pairs.iter().find(|(k, _)| k == "min_role") {
        Some((_, v)) if !v.is_empty() => Some(Role::parse(v)?),
        _ => None,
    };
    let result = folders::restrict(
        &state.db,
        &signed.actor(),
        id,
        min_role,
        ids("person")?,
        ids("group")?,
    )
    .await
    .map(|()| Some(id));
    after(&state, &signed, id, result, "folder-restricted").await
}
