//! The forms that write, change and remove comments and toggle reactions.
//! Without JavaScript every form posts and comes back to the item.

use super::model::{On, Reaction};
use super::view::Says;
use super::{reactions, service};
use crate::app::AppState;
use crate::service::Error;
use crate::talk::Writer;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "comment_form.html")]
struct FormPage {
    page: Chrome,
    /// Where the form posts.
    action: String,
    /// The item's page, to go back to.
    back: String,
    body: String,
    error: Option<String>,
    /// After a comment was posted: those it mentions who were not told.
    not_told: Vec<Writer>,
    mentions: String,
}

impl Says for FormPage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

impl FormPage {
    fn not_told_names(&self) -> String {
        let names: Vec<String> = self.not_told.iter().map(|w| self.writer(w)).collect();
        self.page
            .tr
            .t1("discussion-not-told", "names", names.join(", "))
    }
}

struct Shown<'a> {
    on: &'a On,
    action: String,
    body: String,
    error: Option<String>,
    not_told: Vec<Writer>,
}

async fn form_page(
    state: &AppState,
    signed: &Signed,
    shown: Shown<'_>,
) -> Result<Response, HttpError> {
    let back = service::page_of(&state.db, state.kinds, &signed.actor(), shown.on.clone()).await?;
    let title = signed.ctx.tr.t("comment-form-title");
    let page = FormPage {
        page: Chrome::new(&signed.ctx, "", title),
        action: shown.action,
        back,
        body: shown.body,
        error: shown.error,
        not_told: shown.not_told,
        mentions: format!("/api/v1/comments/on/{}/mentions", shown.on.text()),
    };
    let status = if page.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

/// An error a form shows next to what was typed; any other is the page's.
fn said(signed: &Signed, e: Error) -> Result<String, HttpError> {
    match e {
        Error::Invalid { code, .. } => Ok(signed.ctx.tr.t(&format!("error-{code}")).to_string()),
        other => Err(other.into()),
    }
}

fn parse_on(raw: &str) -> Result<On, HttpError> {
    // A malformed item is as missing as one the viewer may not see.
    On::parse(raw).map_err(|_| HttpError::not_found())
}

#[derive(Deserialize)]
pub struct BodyForm {
    #[serde(default)]
    body: String,
}

pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    Path(on): Path<String>,
    Form(form): Form<BodyForm>,
) -> Result<Response, HttpError> {
    let on = parse_on(&on)?;
    let made = service::add(
        &state.db,
        state.kinds,
        &signed.actor(),
        on.clone(),
        &form.body,
    )
    .await;
    let action = format!("/on/{}/comments", on.text());
    match made {
        Ok(p) if p.not_told.is_empty() => {
            let back = service::page_of(&state.db, state.kinds, &signed.actor(), on).await?;
            Ok(Redirect::to(&format!("{back}#comment-{}", p.comment.id)).into_response())
        }
        Ok(p) => {
            let shown = Shown {
                on: &on,
                action,
                body: String::new(),
                error: None,
                not_told: p.not_told,
            };
            form_page(&state, &signed, shown).await
        }
        Err(e) => {
            let shown = Shown {
                on: &on,
                action,
                body: form.body,
                error: Some(said(&signed, e)?),
                not_told: Vec::new(),
            };
            form_page(&state, &signed, shown).await
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let c = service::get(&state.db, state.kinds, &signed.actor(), id).await?;
    if !c.mine {
        return Err(HttpError::not_found());
    }
    let on = parse_on(&c.on)?;
    let shown = Shown {
        on: &on,
        action: format!("/comments/{id}/edit"),
        body: c.body,
        error: None,
        not_told: Vec::new(),
    };
    form_page(&state, &signed, shown).await
}

pub async fn edit(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<BodyForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let done = service::edit(&state.db, state.kinds, &actor, id, &form.body).await;
    let (on, body, error, not_told) = match done {
        Ok(p) if p.not_told.is_empty() => {
            let on = parse_on(&p.comment.on)?;
            let back = service::page_of(&state.db, state.kinds, &actor, on).await?;
            return Ok(Redirect::to(&format!("{back}#comment-{id}")).into_response());
        }
        Ok(p) => (p.comment.on, String::new(), None, p.not_told),
        Err(e) => {
            let error = said(&signed, e)?;
            let c = service::get(&state.db, state.kinds, &actor, id).await?;
            (c.on, form.body, Some(error), Vec::new())
        }
    };
    let on = parse_on(&on)?;
    let shown = Shown {
        on: &on,
        action: format!("/comments/{id}/edit"),
        body,
        error,
        not_told,
    };
    form_page(&state, &signed, shown).await
}

pub async fn remove(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let on = service::remove(&state.db, state.kinds, &actor, id).await?;
    let back = service::page_of(&state.db, state.kinds, &actor, on).await?;
    Ok(Redirect::to(&format!("{back}#comments")).into_response())
}

#[derive(Deserialize)]
pub struct ReactionForm {
    #[serde(default)]
    reaction: String,
    /// `1` adds it, `0` takes it back.
    #[serde(default)]
    present: String,
}

pub async fn react(
    State(state): State<AppState>,
    signed: Signed,
    Path(on): Path<String>,
    Form(form): Form<ReactionForm>,
) -> Result<Response, HttpError> {
    let on = parse_on(&on)?;
    let reaction = Reaction::parse(&form.reaction)?;
    let present = match form.present.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(HttpError::bad_request("reaction-invalid")),
    };
    let actor = signed.actor();
    reactions::set(
        &state.db,
        state.kinds,
        &state.reactions_added,
        &actor,
        on.clone(),
        reaction,
        present,
    )
    .await?;
    let back = reactions::page_of(&state.db, state.kinds, &actor, on).await?;
    Ok(Redirect::to(&back).into_response())
}
