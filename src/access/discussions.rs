//! Who may do what in discussions. A forum, its topics and their replies
//! are read and written by whoever reads the forum's space; an author
//! changes their own words; the space's managers (and administrators)
//! moderate. A discussion in a space one may not see is not found; one
//! seen but not theirs to change is forbidden.

use super::{Actor, Who, space_role};
use crate::domain::Role;
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// What is asked of a forum, topic or reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Read it.
    Read,
    /// Write in it: a topic in a forum, a reply in a topic (not once locked).
    Post,
    /// Change or remove one's own words (moderators may too).
    Edit,
    /// Pin, lock, move, delete; create and change forums.
    Moderate,
}

/// A forum, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForumRef {
    pub id: i64,
    pub space: i64,
    pub questions: bool,
}

/// A topic, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicRef {
    pub id: i64,
    pub forum: ForumRef,
    pub author: Option<i64>,
    pub locked: bool,
}

/// What the actor may do, once allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed {
    pub moderator: bool,
}

fn role(c: &Connection, actor: &Actor, space: i64) -> Result<Option<Role>> {
    match actor.who {
        Who::Cli | Who::System => Ok(Some(Role::Manager)),
        Who::Person(p) => Ok(space_role(c, &p, space)?),
        Who::Anonymous => Err(Error::Unauthorized),
    }
}

fn decide(
    c: &Connection,
    actor: &Actor,
    space: i64,
    author: Option<i64>,
    locked: bool,
    act: Act,
) -> Result<Allowed> {
    let Some(role) = role(c, actor, space)? else {
        return Err(Error::NotFound);
    };
    let moderator = role == Role::Manager;
    let mine = author.is_some() && actor.principal().map(|p| p.person_id) == author;
    let allowed = Allowed { moderator };
    match act {
        Act::Read => Ok(allowed),
        Act::Post if locked && !moderator => Err(Error::Conflict("topic-locked")),
        Act::Post => Ok(allowed),
        Act::Edit if mine || moderator => Ok(allowed),
        Act::Moderate if moderator => Ok(allowed),
        Act::Edit | Act::Moderate => Err(Error::Forbidden),
    }
}

pub fn forum_ref(c: &Connection, id: i64) -> Result<Option<ForumRef>> {
    Ok(
        c.prepare_cached("SELECT space_id, mode FROM forums WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(ForumRef {
                    id,
                    space: r.get(0)?,
                    questions: r.get::<_, String>(1)? == "questions",
                })
            })
            .optional()?,
    )
}

pub fn topic_ref(c: &Connection, id: i64) -> Result<Option<TopicRef>> {
    Ok(c.prepare_cached(
        "SELECT f.id, f.space_id, f.mode, t.author_id, t.locked
             FROM topics t JOIN forums f ON f.id = t.forum_id WHERE t.id = ?1",
    )?
    .query_row([id], |r| {
        Ok(TopicRef {
            id,
            forum: ForumRef {
                id: r.get(0)?,
                space: r.get(1)?,
                questions: r.get::<_, String>(2)? == "questions",
            },
            author: r.get(3)?,
            locked: r.get(4)?,
        })
    })
    .optional()?)
}

/// A forum the actor may `act` on (posting is writing a topic in it).
pub fn require_forum(c: &Connection, actor: &Actor, id: i64, act: Act) -> Result<ForumRef> {
    let forum = forum_ref(c, id)?.ok_or(Error::NotFound)?;
    // Only moderators change a forum; nobody is its author.
    decide(c, actor, forum.space, None, false, act)?;
    Ok(forum)
}

/// A topic the actor may `act` on (posting is replying to it).
pub fn require_topic(
    c: &Connection,
    actor: &Actor,
    id: i64,
    act: Act,
) -> Result<(TopicRef, Allowed)> {
    let topic = topic_ref(c, id)?.ok_or(Error::NotFound)?;
    let allowed = decide(c, actor, topic.forum.space, topic.author, topic.locked, act)?;
    Ok((topic, allowed))
}

/// A reply the actor may `act` on (editing: its author or a moderator),
/// with its topic.
pub fn require_reply(
    c: &Connection,
    actor: &Actor,
    id: i64,
    act: Act,
) -> Result<(TopicRef, Option<i64>, Allowed)> {
    let row: Option<(i64, Option<i64>)> = c
        .prepare_cached("SELECT topic_id, author_id FROM replies WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (topic, author) = row.ok_or(Error::NotFound)?;
    let topic = topic_ref(c, topic)?.ok_or(Error::NotFound)?;
    let allowed = decide(c, actor, topic.forum.space, author, topic.locked, act)?;
    Ok((topic, author, allowed))
}

/// Accepting an answer: the question's asker, or a moderator, in a forum
/// of questions.
pub fn require_accept(c: &Connection, actor: &Actor, reply: i64) -> Result<TopicRef> {
    let (topic, _, allowed) = require_reply(c, actor, reply, Act::Read)?;
    let asker = topic.author.is_some() && actor.principal().map(|p| p.person_id) == topic.author;
    if !(asker || allowed.moderator) {
        return Err(Error::Forbidden);
    }
    if !topic.forum.questions {
        return Err(Error::Conflict("forum-not-questions"));
    }
    Ok(topic)
}
