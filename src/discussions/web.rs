//! The discussion pages: a space's forums, a forum's topics, a topic with
//! its replies, and the forms that write and moderate them.

use super::model::{self, Forum, ForumFields, Mode, Topic};
use super::service;
use crate::app::AppState;
use crate::service::{DisplayName, Error};
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Saying things about discussions on any of their pages.
pub trait Says {
    fn chrome(&self) -> &Chrome;

    fn writer(&self, w: &model::Writer) -> String {
        w.name
            .clone()
            .unwrap_or_else(|| self.chrome().tr.t("discussion-former-member").to_string())
    }

    fn html(&self, markdown: &str) -> String {
        crate::text::markdown::to_html(markdown)
    }

    fn mode_label(&self, m: &Mode) -> String {
        self.chrome()
            .tr
            .t(&format!("forum-mode-{}", m.name()))
            .to_string()
    }
}

macro_rules! says {
    ($($t:ty),*) => {$(
        impl Says for $t {
            fn chrome(&self) -> &Chrome {
                &self.page
            }
        }
    )*};
}

/// A space's id and name, by its address, for whoever may read it.
async fn space_by_slug(state: &AppState, slug: &str) -> Result<(i64, String, String), HttpError> {
    let slug = slug.to_string();
    let found = state
        .db
        .read(move |c| {
            use rusqlite::OptionalExtension;
            c.query_row(
                "SELECT id, name, slug FROM spaces WHERE slug = ?1",
                [&slug],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(Error::from)
        })
        .await?;
    found.ok_or_else(HttpError::not_found)
}

// A space's forums.

#[derive(Template)]
#[template(path = "forums.html")]
struct ForumsPage {
    page: Chrome,
    space_name: String,
    space_slug: String,
    forums: Vec<Forum>,
    moderator: bool,
    error: Option<String>,
    draft: ForumForm,
    notice: Option<String>,
}
says!(ForumsPage);

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ForumForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    mode: String,
}

impl ForumForm {
    fn fields(&self) -> crate::service::Result<ForumFields> {
        Ok(ForumFields {
            name: DisplayName::parse(&self.name)?,
            description: model::description(&self.description)?,
            mode: Mode::parse(&self.mode)?,
        })
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

const FORUM_NOTICES: &[Notice] = &[
    Notice::new("created", "forum-notice-created"),
    Notice::new("deleted", "forum-notice-deleted"),
];

async fn forums_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    draft: ForumForm,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, HttpError> {
    let (space, space_name, space_slug) = space_by_slug(state, slug).await?;
    let actor = signed.actor();
    let forums = service::forums(&state.db, &actor, space).await?;
    let moderator = service::moderates(&state.db, &actor, space).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let title = signed
        .ctx
        .tr
        .t1("forums-title", "space", space_name.clone());
    let page = ForumsPage {
        page: Chrome::new(&signed.ctx, "spaces", &title),
        space_name,
        space_slug,
        forums,
        moderator,
        error,
        draft,
        notice,
    };
    render(status, &page)
}

pub async fn space_forums(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    let notice = notice::shown(&signed.ctx.tr, FORUM_NOTICES, q.notice.as_deref());
    forums_page(&state, &signed, &slug, ForumForm::default(), None, notice).await
}

/// The error of a form, in the reader's language, or the error itself.
pub(super) fn said(signed: &Signed, e: Error) -> Result<String, HttpError> {
    match e {
        Error::Invalid { code, .. } | Error::Exists(code) | Error::Conflict(code) => {
            Ok(signed.ctx.tr.t(&format!("error-{code}")).to_string())
        }
        other => Err(other.into()),
    }
}

pub async fn create_forum(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(form): Form<ForumForm>,
) -> Result<Response, HttpError> {
    let (space, ..) = space_by_slug(&state, &slug).await?;
    let made = match form.fields() {
        Ok(fields) => service::create_forum(&state.db, &signed.actor(), space, fields).await,
        Err(e) => Err(e),
    };
    match made {
        Ok(f) => Ok(Redirect::to(&format!("/forums/{}", f.id)).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            forums_page(&state, &signed, &slug, form, Some(error), None).await
        }
    }
}

// A forum's topics.

#[derive(Template)]
#[template(path = "forum.html")]
struct ForumPage {
    page: Chrome,
    forum: Forum,
    space_slug: String,
    space_name: String,
    topics: Vec<Topic>,
    more: Option<String>,
    moderator: bool,
    notice: Option<String>,
}
says!(ForumPage);

#[derive(Deserialize)]
pub struct ForumQuery {
    after: Option<String>,
    notice: Option<String>,
}

const TOPIC_NOTICES: &[Notice] = &[Notice::new("deleted", "topic-notice-deleted")];

pub(super) async fn space_names(
    state: &AppState,
    space: i64,
) -> Result<(String, String), HttpError> {
    let found = state
        .db
        .read(move |c| {
            c.query_row(
                "SELECT slug, name FROM spaces WHERE id = ?1",
                [space],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(Error::from)
        })
        .await?;
    Ok(found)
}

pub async fn forum(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<ForumQuery>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let (forum, allowed) = service::forum(&state.db, &actor, id).await?;
    let after = match q.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => Some(super::api::parse_topic_cursor(raw)?),
    };
    let topics = service::topics(&state.db, &actor, id, after, model::PAGE).await?;
    let more = (topics.len() as u32 >= model::PAGE)
        .then(|| topics.last().map(super::api::after_topic))
        .flatten();
    let (space_slug, space_name) = space_names(&state, forum.space).await?;
    let page = ForumPage {
        notice: notice::shown(&signed.ctx.tr, TOPIC_NOTICES, q.notice.as_deref()),
        page: Chrome::new(&signed.ctx, "spaces", &forum.name),
        forum,
        space_slug,
        space_name,
        topics,
        more,
        moderator: allowed.moderator,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "forum_edit.html")]
struct ForumEditPage {
    page: Chrome,
    forum: Forum,
    draft: ForumForm,
    error: Option<String>,
}
says!(ForumEditPage);

pub async fn edit_forum_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let (forum, allowed) = service::forum(&state.db, &signed.actor(), id).await?;
    if !allowed.moderator {
        return Err(HttpError::not_found());
    }
    let draft = ForumForm {
        name: forum.name.clone(),
        description: forum.description.clone(),
        mode: forum.mode.name().to_string(),
    };
    let page = ForumEditPage {
        page: Chrome::new(&signed.ctx, "spaces", signed.ctx.tr.t("forum-edit")),
        forum,
        draft,
        error: None,
    };
    render(StatusCode::OK, &page)
}

pub async fn edit_forum(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<ForumForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let changed = match form.fields() {
        Ok(fields) => service::update_forum(&state.db, &actor, id, fields).await,
        Err(e) => Err(e),
    };
    match changed {
        Ok(f) => Ok(Redirect::to(&format!("/forums/{}", f.id)).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            let (forum, _) = service::forum(&state.db, &actor, id).await?;
            let page = ForumEditPage {
                page: Chrome::new(&signed.ctx, "spaces", signed.ctx.tr.t("forum-edit")),
                forum,
                draft: form,
                error: Some(error),
            };
            render(StatusCode::BAD_REQUEST, &page)
        }
    }
}

pub async fn delete_forum(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let (forum, _) = service::forum(&state.db, &actor, id).await?;
    service::delete_forum(&state.db, &actor, id).await?;
    let (slug, _) = space_names(&state, forum.space).await?;
    Ok(Redirect::to(&format!("/spaces/{slug}/discussions?notice=deleted")).into_response())
}

pub(super) use says;
