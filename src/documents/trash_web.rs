//! A space's trash: what was trashed, restored from there.

use super::document_web::{CopyForm, DocQuery};
use super::service::{self};
use super::web::{fixable, space_of};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "trash.html")]
struct TrashPage {
    page: Chrome,
    space: crate::spaces::Space,
    items: Vec<(super::Document, String)>,
    folders: Vec<(super::Folder, String)>,
    notice: Option<String>,
    error: Option<String>,
}

pub async fn trash(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<DocQuery>,
) -> Result<Response, HttpError> {
    trash_page(&state, &signed, &slug, StatusCode::OK, q.notice, None).await
}

pub(super) async fn trash_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let space = space_of(state, signed, slug).await?;
    let chrome = Chrome::new(&signed.ctx, "spaces", signed.ctx.tr.t("docs-trash"));
    let items = service::trash_of(&state.db, &signed.actor(), space.id)
        .await?
        .into_iter()
        .map(|(d, at)| {
            let when = chrome.datetime(&at);
            (d, when)
        })
        .collect();
    let folders = super::folders::trashed(&state.db, &signed.actor(), space.id)
        .await?
        .into_iter()
        .map(|(f, at)| {
            let when = chrome.datetime(&at);
            (f, when)
        })
        .collect();
    let notice = notice
        .filter(|n| n == "untrashed")
        .map(|n| signed.ctx.tr.t(&format!("notice-docs-{n}")).to_string());
    render(
        status,
        &TrashPage {
            page: chrome,
            space,
            items,
            folders,
            notice,
            error,
        },
    )
}

pub async fn untrash(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<CopyForm>,
) -> Result<Response, HttpError> {
    let result = service::untrash(&state.db, &signed.actor(), id).await;
    after_untrash(&state, &signed, &form.space, result).await
}

/// Back to the trash with a notice, or the trash again with the reason.
pub(super) async fn after_untrash(
    state: &AppState,
    signed: &Signed,
    space: &str,
    result: crate::service::Result<()>,
) -> Result<Response, HttpError> {
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/spaces/{space}/files/trash?notice=untrashed")).into_response(),
        ),
        Err(e) => match fixable(signed, &e) {
            Some(text) => {
                trash_page(state, signed, space, StatusCode::CONFLICT, None, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct RestoreForm {
    version: i64,
}

pub async fn restore(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, HttpError> {
    service::restore_version(&state.db, &signed.actor(), id, form.version).await?;
    Ok(Redirect::to(&format!("/files/{id}?notice=restored")).into_response())
}
