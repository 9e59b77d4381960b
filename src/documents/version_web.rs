//! A new version of one document from its page: the file chosen becomes the
//! document's next version whatever it is called on the sender's disk, with
//! the comment written beside it (shown in the version table).

use super::document_web::document_page;
use super::model::FileName;
use super::upload::store_multipart;
use super::upload_web::upload_status;
use super::web::upload_notice;
use crate::app::AppState;
use crate::service::Error;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Signed};
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

pub async fn upload(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let (doc, _, _) = super::service::details(&state.db, &actor, id).await?;
    let name = FileName::parse(&doc.name)?;
    let (stored, failure) = store_multipart(
        &state,
        &actor,
        doc.space_id,
        doc.folder_id,
        Some(&name),
        &mut multipart,
    )
    .await;
    let failure = match (stored.is_empty(), failure) {
        (_, Some(e)) => e,
        (true, None) => Error::invalid("file", "upload-empty"),
        (false, None) => {
            return Ok(Redirect::to(&format!("/files/{id}?notice=new-version")).into_response());
        }
    };
    match upload_notice(&signed, &failure) {
        Some(text) => {
            let status = upload_status(&failure);
            document_page(&state, &signed, id, status, None, Some(text)).await
        }
        None => Err(failure.into()),
    }
}
