//! The changes made to discussions, as values (see `content::events`).

use crate::content::events::recorded;
use crate::search::sources::Change;
use serde::Serialize;

fn topic(id: i64) -> Option<Change> {
    Some(Change::item(&super::kind::TOPIC, id))
}

fn reply(id: i64) -> Option<Change> {
    Some(Change::item(&super::kind::REPLY, id))
}

#[derive(Serialize)]
pub struct ForumCreated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub space: i64,
    pub name: &'a str,
    pub mode: &'static str,
}

#[derive(Serialize)]
pub struct ForumUpdated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub name: &'a str,
    pub mode: &'static str,
}

/// A forum removed with its topics (`topics` of them).
#[derive(Serialize)]
pub struct ForumDeleted {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub topics: i64,
}

#[derive(Serialize)]
pub struct TopicCreated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub forum: i64,
    pub space: i64,
    pub title: &'a str,
    /// The people it mentions who may read it (they are told).
    pub mentions: Vec<i64>,
}

/// New words by their author (or a moderator); the old ones are kept.
#[derive(Serialize)]
pub struct TopicEdited<'a> {
    #[serde(skip)]
    pub id: i64,
    pub title: &'a str,
    /// The people the new words mention, and the old did not.
    pub mentions: Vec<i64>,
}

/// Pinned, locked or moved by a moderator.
#[derive(Serialize)]
pub struct TopicModerated {
    #[serde(skip)]
    pub id: i64,
    pub pinned: bool,
    pub locked: bool,
    pub forum: i64,
    /// The forum it left, when it moved.
    pub moved_from: Option<i64>,
}

#[derive(Serialize)]
pub struct TopicDeleted {
    #[serde(skip)]
    pub id: i64,
    pub title: String,
    pub replies: i64,
}

#[derive(Serialize)]
pub struct ReplyCreated {
    #[serde(skip)]
    pub id: i64,
    pub topic: i64,
    pub mentions: Vec<i64>,
}

#[derive(Serialize)]
pub struct ReplyEdited {
    #[serde(skip)]
    pub id: i64,
    pub topic: i64,
    pub mentions: Vec<i64>,
}

#[derive(Serialize)]
pub struct ReplyDeleted {
    #[serde(skip)]
    pub id: i64,
    pub topic: i64,
}

/// An answer accepted for its question, or no longer.
#[derive(Serialize)]
pub struct AnswerAccepted {
    #[serde(skip)]
    pub id: i64,
    pub topic: i64,
    pub accepted: bool,
}

recorded! {
    ForumCreated<'_> => "forum", |_s| "forum.create", |_s| None;
    ForumUpdated<'_> => "forum", |_s| "forum.update", |_s| None;
    ForumDeleted => "forum", |_s| "forum.delete", |_s| None;
    TopicCreated<'_> => "topic", |_s| "topic.create", |s| topic(s.id);
    TopicEdited<'_> => "topic", |_s| "topic.update", |s| topic(s.id);
    TopicModerated => "topic", |_s| "topic.moderate", |s| topic(s.id);
    TopicDeleted => "topic", |_s| "topic.delete", |s| topic(s.id);
    ReplyCreated => "reply", |_s| "reply.create", |s| reply(s.id);
    ReplyEdited => "reply", |_s| "reply.update", |s| reply(s.id);
    ReplyDeleted => "reply", |_s| "reply.delete", |s| reply(s.id);
    AnswerAccepted => "reply", |_s| "reply.accept", |_s| None;
}
