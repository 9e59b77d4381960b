//! `/api/v1`: forums of a space, topics of a forum, replies of a topic.

use super::model::{self, ForumFields, Mode, Moderation, Reply, Topic};
use super::service;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::service::DisplayName;
use crate::web::api::{created, no_content, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

type JsonResult = Result<axum::Json<Value>, HttpError>;

fn topic_json(t: &Topic) -> Value {
    let mut v = to_json(t);
    if let Some(o) = v.as_object_mut() {
        o.insert("url".into(), json!(format!("/topics/{}", t.id)));
        o.insert(
            "html".into(),
            json!(crate::text::markdown::to_html(&t.body)),
        );
    }
    v
}

fn reply_json(r: &Reply) -> Value {
    let mut v = to_json(r);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "url".into(),
            json!(format!("/topics/{}#reply-{}", r.topic, r.id)),
        );
        o.insert(
            "html".into(),
            json!(crate::text::markdown::to_html(&r.body)),
        );
    }
    v
}

/// What was written, with the people it mentions who may not read it.
fn posted<T>(p: &model::Posted<T>, json_of: fn(&T) -> Value) -> Value {
    let mut v = json_of(&p.item);
    if let Some(o) = v.as_object_mut() {
        o.insert("not_told".into(), to_json(&p.not_told));
    }
    v
}

fn limit(raw: Option<u32>) -> Result<u32, HttpError> {
    match raw {
        None => Ok(model::PAGE),
        Some(n) if (1..=model::PAGE).contains(&n) => Ok(n),
        Some(_) => Err(HttpError::bad_request("limit-invalid")),
    }
}

// Forums.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForumBody {
    name: String,
    #[serde(default)]
    description: String,
    /// No default: `discussion` or `questions`.
    #[serde(default)]
    mode: String,
}

impl ForumBody {
    fn fields(self) -> Result<ForumFields, HttpError> {
        Ok(ForumFields {
            name: DisplayName::parse(&self.name)?,
            description: model::description(&self.description)?,
            mode: Mode::parse(&self.mode)?,
        })
    }
}

pub async fn forums(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
) -> JsonResult {
    let forums = service::forums(&state.db, &caller.actor(), space).await?;
    Ok(axum::Json(to_json(&forums)))
}

pub async fn create_forum(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Json(body): Json<ForumBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let forum = service::create_forum(&state.db, &caller.actor(), space, body.fields()?).await?;
    Ok(created(to_json(&forum)))
}

pub async fn forum(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let (forum, _) = service::forum(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(to_json(&forum)))
}

pub async fn update_forum(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<ForumBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let forum = service::update_forum(&state.db, &caller.actor(), id, body.fields()?).await?;
    Ok(axum::Json(to_json(&forum)))
}

pub async fn delete_forum(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::delete_forum(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

// Topics.

#[derive(Debug, Default, Deserialize)]
pub struct TopicsQuery {
    /// `next_after` of the previous page.
    after: Option<String>,
    limit: Option<u32>,
}

/// A topics cursor (`<pinned>.<last activity>.<id>`), as `after_topic` writes it.
pub fn parse_topic_cursor(raw: &str) -> Result<(bool, i64, i64), HttpError> {
    let mut parts = raw.split('.');
    let parsed = (|| {
        let pinned = match parts.next()? {
            "1" => true,
            "0" => false,
            _ => return None,
        };
        let at = parts.next()?.parse().ok()?;
        let id = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some((pinned, at, id))
    })();
    parsed.ok_or_else(|| HttpError::bad_request("cursor-invalid"))
}

/// The cursor after a topic, as `topics` reads it.
pub fn after_topic(t: &Topic) -> String {
    format!("{}.{}.{}", u8::from(t.pinned), t.last_activity_at, t.id)
}

pub async fn topics(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(forum): Path<i64>,
    Query(q): Query<TopicsQuery>,
) -> JsonResult {
    let limit = limit(q.limit)?;
    let after = match q.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => Some(parse_topic_cursor(raw)?),
    };
    let items = service::topics(&state.db, &caller.actor(), forum, after, limit).await?;
    let next = (items.len() as u32 >= limit)
        .then(|| items.last().map(after_topic))
        .flatten();
    Ok(axum::Json(json!({
        "items": items.iter().map(topic_json).collect::<Vec<_>>(),
        "next_after": next,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTopic {
    title: String,
    body: String,
}

pub async fn create_topic(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(forum): Path<i64>,
    Json(body): Json<NewTopic>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let t =
        service::create_topic(&state.db, &caller.actor(), forum, &body.title, &body.body).await?;
    Ok(created(posted(&t, topic_json)))
}

pub async fn thread(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let t = service::thread(&state.db, &caller.actor(), id, 0).await?;
    let next = t
        .more
        .then(|| t.replies.iter().map(|r| r.id).max())
        .flatten();
    Ok(axum::Json(json!({
        "topic": topic_json(&t.topic),
        "forum": to_json(&t.forum),
        "replies": t.replies.iter().map(reply_json).collect::<Vec<_>>(),
        "next_after": next,
        "following": t.following,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicChanges {
    title: Option<String>,
    body: Option<String>,
}

pub async fn edit_topic(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<TopicChanges>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let t = service::edit_topic(
        &state.db,
        &caller.actor(),
        id,
        body.title.as_deref(),
        body.body.as_deref(),
    )
    .await?;
    Ok(axum::Json(posted(&t, topic_json)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicModeration {
    pinned: Option<bool>,
    locked: Option<bool>,
    forum: Option<i64>,
}

pub async fn moderate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<TopicModeration>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let m = Moderation {
        pinned: body.pinned,
        locked: body.locked,
        forum: body.forum,
    };
    let t = service::moderate(&state.db, &caller.actor(), id, m).await?;
    Ok(axum::Json(topic_json(&t)))
}

pub async fn delete_topic(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::delete_topic(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn topic_history(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let revisions = service::topic_history(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(to_json(&revisions)))
}

pub async fn follow(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::follow(&state.db, &caller.actor(), id, true).await?;
    Ok(no_content())
}

pub async fn unfollow(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::follow(&state.db, &caller.actor(), id, false).await?;
    Ok(no_content())
}

// Replies.

#[derive(Debug, Default, Deserialize)]
pub struct RepliesQuery {
    /// The last reply id of the previous page.
    after: Option<i64>,
    limit: Option<u32>,
}

pub async fn replies(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(topic): Path<i64>,
    Query(q): Query<RepliesQuery>,
) -> JsonResult {
    let limit = limit(q.limit)?;
    let items = service::replies(
        &state.db,
        &caller.actor(),
        topic,
        q.after.unwrap_or(0),
        limit,
    )
    .await?;
    let next = (items.len() as u32 >= limit)
        .then(|| items.last().map(|r| r.id))
        .flatten();
    Ok(axum::Json(json!({
        "items": items.iter().map(reply_json).collect::<Vec<_>>(),
        "next_after": next,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    body: String,
}

pub async fn create_reply(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(topic): Path<i64>,
    Json(body): Json<ReplyBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let r = service::reply(&state.db, &caller.actor(), topic, &body.body).await?;
    Ok(created(posted(&r, reply_json)))
}

pub async fn reply(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let (r, _) = service::get_reply(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(reply_json(&r)))
}

pub async fn edit_reply(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<ReplyBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let r = service::edit_reply(&state.db, &caller.actor(), id, &body.body).await?;
    Ok(axum::Json(posted(&r, reply_json)))
}

pub async fn delete_reply(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::delete_reply(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn reply_history(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let revisions = service::reply_history(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(to_json(&revisions)))
}

pub async fn accept(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::accept(&state.db, &caller.actor(), id, true).await?;
    Ok(no_content())
}

pub async fn unaccept(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::accept(&state.db, &caller.actor(), id, false).await?;
    Ok(no_content())
}

pub async fn mentions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(forum): Path<i64>,
    Query(q): Query<crate::talk::MentionQuery>,
) -> JsonResult {
    let found = service::mention_suggestions(&state.db, &caller.actor(), forum, &q.q).await?;
    Ok(axum::Json(to_json(&found)))
}
