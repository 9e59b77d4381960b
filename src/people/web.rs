//! The people directory and profiles, trimmed by `access`.

use super::Person;
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
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
    /// Sponsor and end date are shown to the staff and to the person.
    show_access: bool,
    /// The viewer is the sponsor or an administrator.
    manage_access: bool,
    access_ended: bool,
    access_ends: String,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ProfileQuery {
    notice: Option<String>,
    until: Option<i64>,
}

pub async fn profile(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<ProfileQuery>,
) -> Result<Response, HttpError> {
    let person = super::service::get(&state.db, &signed.actor(), id).await?;
    let ctx = &signed.ctx;
    let viewer = &signed.viewer.principal;
    let external = !person.internal();
    let chrome = Chrome::new(ctx, "people", &person.display_name);
    let notice = match q.notice.as_deref() {
        Some("access-renewed") => q
            .until
            .map(|t| ctx.tr.t1("notice-access-renewed", "date", chrome.date(&t))),
        Some("access-ended") => Some(ctx.tr.t("notice-access-ended").to_string()),
        Some("invite-sent") => Some(
            ctx.tr
                .t1("notice-invite-sent", "email", person.email.clone()),
        ),
        _ => None,
    };
    let now = crate::util::now_ms();
    let sees = crate::access::person_fields(viewer, &person.facts());
    let page = ProfilePage {
        show_access: external && !person.erased && sees.access,
        manage_access: sees.manage_access,
        access_ended: person.expires_at.is_some_and(|t| t <= now),
        access_ends: person
            .expires_at
            .map(|t| chrome.date(&t))
            .unwrap_or_default(),
        page: chrome,
        person,
        notice,
    };
    render(StatusCode::OK, &page)
}

/// Where the profile goes back to after an access change, with what to say.
fn back_to(id: i64, notice: &str) -> Response {
    Redirect::to(&format!("/people/{id}?notice={notice}#access")).into_response()
}

pub async fn renew(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let until = super::lifecycle::renew(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to(&format!(
        "/people/{id}?notice=access-renewed&until={until}#access"
    ))
    .into_response())
}

pub async fn end_access(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    super::lifecycle::end_access(&state.db, &signed.actor(), id).await?;
    Ok(back_to(id, "access-ended"))
}

pub async fn resend_invite(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let mailer = crate::auth::invitations::Mailer {
        i18n: &state.i18n,
        config: &state.config,
        lifetime: state.config.auth.invitation_lifetime,
    };
    crate::auth::invitations::resend(&state.db, &mailer, &signed.actor(), id).await?;
    Ok(back_to(id, "invite-sent"))
}

/// A profile photo, for whoever may see the person; a hidden person's photo
/// is not found, like a missing one.
pub async fn photo(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Result<Response, HttpError> {
    let (content_type, data, etag) = super::service::photo(&state.db, &signed.actor(), id).await?;
    // Private: it depends on who asks.
    Ok(crate::web::stored_image::respond(
        &headers,
        &etag,
        &content_type,
        data,
        "private, max-age=300",
    ))
}
