//! The people directory and profiles, trimmed by `access`.

use super::Person;
use crate::app::AppState;
use crate::server::error::HttpError;
use crate::server::extract::{Path, Query, Signed};
use crate::server::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DirectoryQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct DirectoryPage {
    page: Chrome,
    q: String,
    people: Vec<Person>,
}

pub async fn directory(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, HttpError> {
    let q = query.q.unwrap_or_default();
    let people = super::service::list(&state.db, &signed.actor(), Some(q.clone()), 500).await?;
    let ctx = &signed.ctx;
    let page = DirectoryPage {
        page: Chrome::new(ctx, "people", ctx.tr.t("people-title")),
        q,
        people,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "person.html")]
struct ProfilePage {
    page: Chrome,
    person: Person,
}

pub async fn profile(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let person = super::service::get(&state.db, &signed.actor(), id).await?;
    let ctx = &signed.ctx;
    let page = ProfilePage {
        page: Chrome::new(ctx, "people", &person.display_name),
        person,
    };
    render(StatusCode::OK, &page)
}
