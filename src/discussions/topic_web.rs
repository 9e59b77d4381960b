//! A topic's page: the opening text and the replies (the accepted answer
//! first), the reply form with quoting and mentions, moderation.

use super::model::{self, Forum, Moderation};
use super::service::{self, Thread};
use super::web::{Says, said, says, space_names};
use crate::app::AppState;
use crate::comments::Reacts;
use crate::comments::model::{Count, On};
use crate::comments::reactions;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

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
    /// Whom a mention just written did not reach.
    notice: Option<String>,
    /// The reactions on the topic and on each reply shown.
    reactions: Reactions,
}
says!(TopicPage);

/// Reactions on a topic and its replies, by item.
#[derive(Default)]
struct Reactions {
    topic: Vec<Count>,
    replies: HashMap<i64, Vec<Count>>,
}

impl Reacts for TopicPage {
    fn tr(&self) -> &crate::i18n::Tr {
        &self.page.tr
    }
}

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

    fn reply_reactions(&self, id: &i64) -> Vec<Count> {
        self.reactions.replies.get(id).cloned().unwrap_or_default()
    }

    fn reply_on(&self, id: &i64) -> String {
        format!("reply:{id}")
    }

    fn topic_on(&self) -> String {
        format!("topic:{}", self.thread.topic.id)
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

/// The topic, telling the writer whom their mention did not reach.
pub(super) async fn not_told_page(
    state: &AppState,
    signed: &Signed,
    topic: i64,
    who: &[model::Writer],
) -> Result<Response, HttpError> {
    let names: Vec<String> = who.iter().map(|w| writer_name(signed, w)).collect();
    let notice = signed
        .ctx
        .tr
        .t1("discussion-not-told", "names", names.join(", "));
    topic_page(state, signed, topic, 0, String::new(), None, Some(notice)).await
}

async fn topic_page(
    state: &AppState,
    signed: &Signed,
    id: i64,
    after: i64,
    draft: String,
    error: Option<String>,
    notice: Option<String>,
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
    let replies: Vec<i64> = thread.replies.iter().map(|r| r.id).collect();
    let reactions = Reactions {
        topic: reactions::of(
            &state.db,
            state.kinds,
            &actor,
            On {
                kind: "topic".into(),
                id,
            },
        )
        .await?,
        replies: reactions::of_many(&state.db, state.kinds, &actor, "reply", replies).await?,
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = TopicPage {
        notice,
        page: Chrome::new(&signed.ctx, "spaces", &thread.topic.title),
        me: signed.viewer.principal.person_id,
        thread,
        space_slug,
        space_name,
        draft,
        error,
        forums,
        next,
        reactions,
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
    topic_page(&state, &signed, id, q.after.unwrap_or(0), draft, None, None).await
}

fn writer_name(signed: &Signed, w: &model::Writer) -> String {
    w.name
        .clone()
        .unwrap_or_else(|| signed.ctx.tr.t("discussion-former-member").to_string())
}

#[derive(Debug, Default, Deserialize)]
pub struct PostForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) body: String,
}

pub async fn create_reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PostForm>,
) -> Result<Response, HttpError> {
    match service::reply(&state.db, &signed.actor(), id, &form.body).await {
        Ok(p) if !p.not_told.is_empty() => not_told_page(&state, &signed, id, &p.not_told).await,
        Ok(p) => {
            let after = last_page_start(&state, &signed, id, p.item.id).await?;
            let to = format!("/topics/{id}?after={after}#reply-{}", p.item.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let error = said(&signed, e)?;
            topic_page(&state, &signed, id, 0, form.body, Some(error), None).await
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
