//! The list of spaces a person may see.

use super::Space;
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "spaces.html")]
struct ListPage {
    page: Chrome,
    q: String,
    spaces: Vec<Space>,
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<ListQuery>,
) -> Result<Response, HttpError> {
    let q = query.q.unwrap_or_default();
    let spaces = super::service::list(&state.db, &signed.actor(), Some(q.clone()), 500).await?;
    let ctx = &signed.ctx;
    let page = ListPage {
        page: Chrome::new(ctx, "spaces", ctx.tr.t("spaces-title")),
        q,
        spaces,
    };
    render(StatusCode::OK, &page)
}
