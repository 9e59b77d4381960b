//! The forms that write: a new topic, an edited topic or reply, and the
//! history of the texts edits replaced.

use super::model::{Forum, Reply, Revision};
use super::service;
use super::topic_web::{PostForm, not_told_page};
use super::web::{Says, said, says};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "topic_form.html")]
struct PostPage {
    page: Chrome,
    heading: String,
    action: String,
    back: String,
    with_title: bool,
    /// Where the text area asks whom it may mention.
    mentions: Option<String>,
    draft: PostForm,
    error: Option<String>,
}
says!(PostPage);

/// What a writing form is for: its heading, where it posts, where
/// "cancel" goes, whether it has a title, and its forum (for mentions).
struct Writing {
    heading: String,
    action: String,
    back: String,
    with_title: bool,
    forum: Option<i64>,
}

fn post_page(
    signed: &Signed,
    w: Writing,
    draft: PostForm,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = PostPage {
        page: Chrome::new(&signed.ctx, "spaces", &w.heading),
        heading: w.heading,
        action: w.action,
        back: w.back,
        with_title: w.with_title,
        mentions: w.forum.map(|f| format!("/api/v1/forums/{f}/mentions")),
        draft,
        error,
    };
    render(status, &page)
}

/// The form that starts a topic in `forum`.
fn new_topic(signed: &Signed, forum: &Forum) -> Writing {
    Writing {
        heading: signed
            .ctx
            .tr
            .t1("topic-new-in", "forum", forum.name.clone()),
        action: format!("/forums/{}/new", forum.id),
        back: format!("/forums/{}", forum.id),
        with_title: true,
        forum: Some(forum.id),
    }
}

pub async fn new_topic_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let (forum, _) = service::forum(&state.db, &signed.actor(), id).await?;
    post_page(
        &signed,
        new_topic(&signed, &forum),
        PostForm::default(),
        None,
    )
}

pub async fn create_topic(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PostForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    match service::create_topic(&state.db, &actor, id, &form.title, &form.body).await {
        Ok(p) if !p.not_told.is_empty() => {
            not_told_page(&state, &signed, p.item.id, &p.not_told).await
        }
        Ok(p) => Ok(Redirect::to(&format!("/topics/{}", p.item.id)).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            let (forum, _) = service::forum(&state.db, &actor, id).await?;
            post_page(&signed, new_topic(&signed, &forum), form, Some(error))
        }
    }
}

/// The form that changes topic `id` (its forum, for mentions, when known).
fn topic_edit(signed: &Signed, id: i64, forum: Option<i64>) -> Writing {
    Writing {
        heading: signed.ctx.tr.t("topic-edit").to_string(),
        action: format!("/topics/{id}/edit"),
        back: format!("/topics/{id}"),
        with_title: true,
        forum,
    }
}

/// The form that changes reply `id` of `topic`.
fn reply_edit(signed: &Signed, id: i64, topic: i64) -> Writing {
    Writing {
        heading: signed.ctx.tr.t("reply-edit").to_string(),
        action: format!("/replies/{id}/edit"),
        back: format!("/topics/{topic}#reply-{id}"),
        with_title: false,
        forum: None,
    }
}

pub async fn edit_topic_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let thread = service::thread(&state.db, &actor, id, 0).await?;
    if !(thread.moderator || thread.topic.author.id == Some(signed.viewer.principal.person_id)) {
        return Err(HttpError::not_found());
    }
    let draft = PostForm {
        title: thread.topic.title.clone(),
        body: thread.topic.body.clone(),
    };
    post_page(
        &signed,
        topic_edit(&signed, id, Some(thread.forum.id)),
        draft,
        None,
    )
}

pub async fn edit_topic(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PostForm>,
) -> Result<Response, HttpError> {
    match service::edit_topic(
        &state.db,
        &signed.actor(),
        id,
        Some(&form.title),
        Some(&form.body),
    )
    .await
    {
        Ok(p) if !p.not_told.is_empty() => not_told_page(&state, &signed, id, &p.not_told).await,
        Ok(_) => Ok(Redirect::to(&format!("/topics/{id}")).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            post_page(&signed, topic_edit(&signed, id, None), form, Some(error))
        }
    }
}

pub async fn edit_reply_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let (r, allowed) = service::get_reply(&state.db, &signed.actor(), id).await?;
    if !(allowed.moderator || r.author.id == Some(signed.viewer.principal.person_id)) {
        return Err(HttpError::not_found());
    }
    let draft = PostForm {
        title: String::new(),
        body: r.body,
    };
    post_page(&signed, reply_edit(&signed, id, r.topic), draft, None)
}

pub async fn edit_reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PostForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    match service::edit_reply(&state.db, &actor, id, &form.body).await {
        Ok(p) if !p.not_told.is_empty() => {
            not_told_page(&state, &signed, p.item.topic, &p.not_told).await
        }
        Ok(p) => Ok(Redirect::to(&format!("/topics/{}#reply-{id}", p.item.topic)).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            let (r, _) = service::get_reply(&state.db, &actor, id).await?;
            post_page(&signed, reply_edit(&signed, id, r.topic), form, Some(error))
        }
    }
}

pub async fn delete_reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let topic = service::delete_reply(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to(&format!("/topics/{topic}")).into_response())
}

// Edit history.

#[derive(Template)]
#[template(path = "discussion_history.html")]
struct HistoryPage {
    page: Chrome,
    back: String,
    current: String,
    revisions: Vec<Revision>,
}
says!(HistoryPage);

impl HistoryPage {
    fn revision_line(&self, r: &Revision) -> String {
        self.page.tr.t2(
            "discussion-revision",
            ("name", self.writer(&r.written_by)),
            ("date", self.page.datetime(&r.written_at)),
        )
    }
}

pub async fn topic_history(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let revisions = service::topic_history(&state.db, &actor, id).await?;
    let t = service::thread(&state.db, &actor, id, 0).await?.topic;
    history_page(&signed, format!("/topics/{id}"), t.body, revisions)
}

pub async fn reply_history(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let revisions = service::reply_history(&state.db, &actor, id).await?;
    let (r, _): (Reply, _) = service::get_reply(&state.db, &actor, id).await?;
    history_page(
        &signed,
        format!("/topics/{}#reply-{id}", r.topic),
        r.body,
        revisions,
    )
}

fn history_page(
    signed: &Signed,
    back: String,
    current: String,
    revisions: Vec<Revision>,
) -> Result<Response, HttpError> {
    let page = HistoryPage {
        page: Chrome::new(&signed.ctx, "spaces", signed.ctx.tr.t("discussion-history")),
        back,
        current,
        revisions,
    };
    render(StatusCode::OK, &page)
}
