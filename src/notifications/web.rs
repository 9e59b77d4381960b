//! The notifications page: newest first, unread ones marked; opening one
//! marks it read and goes to what it names.

use super::service::{self, Shown};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    page: Chrome,
    items: Vec<Shown>,
    unread: usize,
}

impl ListPage {
    /// The sentence telling what happened, in the reader's language.
    fn sentence(&self, n: &Shown) -> String {
        service::sentence(&self.page.tr, n)
    }
}

pub async fn list(State(state): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    let items = service::list(&state.db, state.kinds, &signed.viewer.principal, 0, 100).await?;
    let unread = items.iter().filter(|n| !n.read).count();
    let page = ListPage {
        page: Chrome::new(
            &signed.ctx,
            "notifications",
            signed.ctx.tr.t("notifications-title"),
        ),
        items,
        unread,
    };
    render(StatusCode::OK, &page)
}

/// Marks it read and goes to what it names.
pub async fn open(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let shown = service::mark_read(&state.db, state.kinds, &signed.viewer.principal, Some(id))
        .await?
        .ok_or_else(HttpError::not_found)?;
    Ok(Redirect::to(&shown.url).into_response())
}

pub async fn read_all(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, HttpError> {
    service::mark_read(&state.db, state.kinds, &signed.viewer.principal, None).await?;
    Ok(Redirect::to("/notifications").into_response())
}
