//! The discussion pages: a space's forums, a forum's topics, a topic with
//! its replies, and the forms that write and moderate them.

use super::model::{self, Forum, ForumFields, Mode, Moderation, Reply, Revision, Topic};
use super::service::{self, Thread};
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
fn said(signed: &Signed, e: Error) -> Result<String, HttpError> {
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

async fn space_names(state: &AppState, space: i64) -> Result<(String, String), HttpError> {
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

// A topic.

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    page: Chrome,
    thread: Thread,
    space_slug: String,
    space_name: String,
    me: i64,
    /// The reply form's text (a quote, or what was refused).
    draft: String,
    error: Option<String>,
    /// Forums the topic may move to (its space's, for its moderators).
    forums: Vec<Forum>,
    next: Option<i64>,
}
says!(TopicPage);

impl TopicPage {
    fn mine(&self, w: &model::Writer) -> bool {
        w.id == Some(self.me)
    }

    fn may_edit(&self, w: &model::Writer) -> bool {
        self.thread.moderator || self.mine(w)
    }

    fn may_accept(&self) -> bool {
        self.thread.questions && (self.thread.moderator || self.mine(&self.thread.topic.author))
    }

    fn may_reply(&self) -> bool {
        !self.thread.topic.locked || self.thread.moderator
    }
}

#[derive(Deserialize)]
pub struct TopicQuery {
    /// A reply to quote in the reply form, or `topic` for the opening text.
    quote: Option<String>,
    after: Option<i64>,
}

/// The Markdown quoting `text` by `who`, to start a reply with.
fn quoted(tr: &crate::i18n::Tr, who: &str, text: &str) -> String {
    let mut out = format!("> {}\n", tr.t1("discussion-wrote", "name", who.to_string()));
    for line in text.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

async fn topic_page(
    state: &AppState,
    signed: &Signed,
    id: i64,
    after: i64,
    draft: String,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let thread = service::thread(&state.db, &actor, id, after).await?;
    let (space_slug, space_name) = space_names(state, thread.topic.space).await?;
    let forums = if thread.moderator {
        service::forums(&state.db, &actor, thread.topic.space).await?
    } else {
        Vec::new()
    };
    let next = thread
        .more
        .then(|| thread.replies.iter().map(|r| r.id).max())
        .flatten();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = TopicPage {
        page: Chrome::new(&signed.ctx, "spaces", &thread.topic.title),
        me: signed.viewer.principal.person_id,
        thread,
        space_slug,
        space_name,
        draft,
        error,
        forums,
        next,
    };
    render(status, &page)
}

pub async fn topic(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<TopicQuery>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let draft = match q.quote.as_deref() {
        Some("topic") => {
            let t = service::thread(&state.db, &actor, id, 0).await?.topic;
            quoted(&signed.ctx.tr, &writer_name(&signed, &t.author), &t.body)
        }
        Some(raw) => match raw.parse::<i64>() {
            Ok(reply) => {
                let (r, _) = service::get_reply(&state.db, &actor, reply).await?;
                if r.topic != id {
                    return Err(HttpError::not_found());
                }
                quoted(&signed.ctx.tr, &writer_name(&signed, &r.author), &r.body)
            }
            Err(_) => return Err(HttpError::bad_request("quote-invalid")),
        },
        None => String::new(),
    };
    topic_page(&state, &signed, id, q.after.unwrap_or(0), draft, None).await
}

fn writer_name(signed: &Signed, w: &model::Writer) -> String {
    w.name
        .clone()
        .unwrap_or_else(|| signed.ctx.tr.t("discussion-former-member").to_string())
}

#[derive(Debug, Default, Deserialize)]
pub struct PostForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

pub async fn create_reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PostForm>,
) -> Result<Response, HttpError> {
    match service::reply(&state.db, &signed.actor(), id, &form.body).await {
        Ok(r) => Ok(Redirect::to(&format!(
            "/topics/{id}?after={}#reply-{}",
            last_page_start(&state, &signed, id, r.id).await?,
            r.id
        ))
        .into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            topic_page(&state, &signed, id, 0, form.body, Some(error)).await
        }
    }
}

/// Where the page showing reply `reply` starts (replies come a page at a time).
async fn last_page_start(
    state: &AppState,
    signed: &Signed,
    topic: i64,
    reply: i64,
) -> Result<i64, HttpError> {
    let replies = service::replies(&state.db, &signed.actor(), topic, 0, u32::MAX).await?;
    let index = replies.iter().position(|r| r.id == reply).unwrap_or(0);
    let page_start = index / model::PAGE as usize * model::PAGE as usize;
    Ok(match page_start {
        0 => 0,
        n => replies.get(n - 1).map(|r| r.id).unwrap_or(0),
    })
}

#[derive(Template)]
#[template(path = "topic_form.html")]
struct PostPage {
    page: Chrome,
    heading: String,
    action: String,
    back: String,
    with_title: bool,
    draft: PostForm,
    error: Option<String>,
}
says!(PostPage);

fn post_page(
    signed: &Signed,
    heading: String,
    action: String,
    back: String,
    with_title: bool,
    draft: PostForm,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = PostPage {
        page: Chrome::new(&signed.ctx, "spaces", &heading),
        heading,
        action,
        back,
        with_title,
        draft,
        error,
    };
    render(status, &page)
}

pub async fn new_topic_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let (forum, _) = service::forum(&state.db, &signed.actor(), id).await?;
    let heading = signed
        .ctx
        .tr
        .t1("topic-new-in", "forum", forum.name.clone());
    post_page(
        &signed,
        heading,
        format!("/forums/{id}/new"),
        format!("/forums/{id}"),
        true,
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
        Ok(t) => Ok(Redirect::to(&format!("/topics/{}", t.id)).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            let (forum, _) = service::forum(&state.db, &actor, id).await?;
            let heading = signed
                .ctx
                .tr
                .t1("topic-new-in", "forum", forum.name.clone());
            post_page(
                &signed,
                heading,
                format!("/forums/{id}/new"),
                format!("/forums/{id}"),
                true,
                form,
                Some(error),
            )
        }
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
    let heading = signed.ctx.tr.t("topic-edit").to_string();
    post_page(
        &signed,
        heading,
        format!("/topics/{id}/edit"),
        format!("/topics/{id}"),
        true,
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
        Ok(_) => Ok(Redirect::to(&format!("/topics/{id}")).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            let heading = signed.ctx.tr.t("topic-edit").to_string();
            post_page(
                &signed,
                heading,
                format!("/topics/{id}/edit"),
                format!("/topics/{id}"),
                true,
                form,
                Some(error),
            )
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
    let heading = signed.ctx.tr.t("reply-edit").to_string();
    let draft = PostForm {
        title: String::new(),
        body: r.body,
    };
    post_page(
        &signed,
        heading,
        format!("/replies/{id}/edit"),
        format!("/topics/{}#reply-{id}", r.topic),
        false,
        draft,
        None,
    )
}

pub async fn edit_reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PostForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    match service::edit_reply(&state.db, &actor, id, &form.body).await {
        Ok(r) => Ok(Redirect::to(&format!("/topics/{}#reply-{id}", r.topic)).into_response()),
        Err(e) => {
            let error = said(&signed, e)?;
            let (r, _) = service::get_reply(&state.db, &actor, id).await?;
            let heading = signed.ctx.tr.t("reply-edit").to_string();
            let back = format!("/topics/{}#reply-{id}", r.topic);
            post_page(
                &signed,
                heading,
                format!("/replies/{id}/edit"),
                back,
                false,
                form,
                Some(error),
            )
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

#[derive(Debug, Default, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    accepted: String,
}

pub async fn accept(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, HttpError> {
    let on = match form.accepted.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(HttpError::bad_request("accepted-invalid")),
    };
    let topic = service::accept(&state.db, &signed.actor(), id, on).await?;
    Ok(Redirect::to(&format!("/topics/{topic}#reply-{id}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct ModerationForm {
    #[serde(default)]
    pinned: Option<String>,
    #[serde(default)]
    locked: Option<String>,
    #[serde(default)]
    forum: Option<String>,
}

fn flag(raw: Option<&str>) -> Result<Option<bool>, HttpError> {
    match raw {
        None | Some("") => Ok(None),
        Some("1") => Ok(Some(true)),
        Some("0") => Ok(Some(false)),
        Some(_) => Err(HttpError::bad_request("moderation-invalid")),
    }
}

pub async fn moderate(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<ModerationForm>,
) -> Result<Response, HttpError> {
    let forum = match form.forum.as_deref().filter(|f| !f.is_empty()) {
        None => None,
        Some(raw) => Some(
            raw.parse()
                .map_err(|_| HttpError::bad_request("moderation-invalid"))?,
        ),
    };
    let m = Moderation {
        pinned: flag(form.pinned.as_deref())?,
        locked: flag(form.locked.as_deref())?,
        forum,
    };
    service::moderate(&state.db, &signed.actor(), id, m).await?;
    Ok(Redirect::to(&format!("/topics/{id}")).into_response())
}

pub async fn delete_topic(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let forum = service::delete_topic(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to(&format!("/forums/{forum}?notice=deleted")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    following: String,
}

pub async fn follow(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<FollowForm>,
) -> Result<Response, HttpError> {
    let on = match form.following.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(HttpError::bad_request("following-invalid")),
    };
    service::follow(&state.db, &signed.actor(), id, on).await?;
    Ok(Redirect::to(&format!("/topics/{id}")).into_response())
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
