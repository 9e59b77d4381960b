//! The header search box's results page. Until the full-text index arrives it
//! matches the names of spaces and people the person may see, through the
//! same access-trimmed service listings as the directory pages.

use crate::app::AppState;
use crate::people::Person;
use crate::server::error::HttpError;
use crate::server::extract::{Query, Signed};
use crate::server::page::{Chrome, render};
use crate::spaces::Space;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct ResultsPage {
    page: Chrome,
    q: String,
    spaces: Vec<Space>,
    people: Vec<Person>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<SearchQuery>,
) -> Result<Response, HttpError> {
    let q: String = query
        .q
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let q = q.trim().to_string();
    let actor = signed.actor();
    let (spaces, people) = if q.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            crate::spaces::service::list(&state.db, &actor, Some(q.clone()), 50).await?,
            crate::people::service::list(&state.db, &actor, Some(q.clone()), 50).await?,
        )
    };
    let ctx = &signed.ctx;
    let page = ResultsPage {
        page: Chrome::new(ctx, "search", ctx.tr.t("search-title")).with_query(&q),
        q,
        spaces,
        people,
    };
    render(StatusCode::OK, &page)
}
