//! Uploads from a page: a plain multipart form received file by file
//! (`upload::store_multipart`), with the status and notice a refused upload
//! gets.

use super::web::{LibraryQuery, back, library_page, space_of, upload_notice};
use crate::app::AppState;
use crate::service::Error;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct UploadQuery {
    folder: Option<i64>,
}

/// The upload form: every file of a multipart form, streamed.
pub async fn upload(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<UploadQuery>,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let space = space_of(&state, &signed, &slug).await?;
    let (uploaded, failure) = super::upload::store_multipart(
        &state,
        &signed.actor(),
        space.id,
        q.folder,
        None,
        &mut multipart,
    )
    .await;
    let uploaded = uploaded.len();
    match failure {
        None if uploaded > 0 => Ok(back(&slug, q.folder, "uploaded")),
        None => {
            let text = signed.ctx.tr.t("error-upload-empty").to_string();
            let lq = LibraryQuery {
                folder: q.folder,
                ..Default::default()
            };
            library_page(
                &state,
                &signed,
                &slug,
                &lq,
                StatusCode::BAD_REQUEST,
                Some(text),
            )
            .await
        }
        Some(e) => match upload_notice(&signed, &e) {
            Some(text) => {
                let status = upload_status(&e);
                let lq = LibraryQuery {
                    folder: q.folder,
                    ..Default::default()
                };
                library_page(&state, &signed, &slug, &lq, status, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

/// The status of a refused upload whose reason is shown in the page.
pub(super) fn upload_status(e: &Error) -> StatusCode {
    match crate::web::error::status_of(e) {
        s if s.is_client_error() || s == StatusCode::INSUFFICIENT_STORAGE => s,
        _ => StatusCode::BAD_REQUEST,
    }
}
