//! Replies: written, read a page at a time, changed with their history
//! kept, deleted, and accepted as the answer to a question.

use super::events;
use super::model::{self, Posted, Reply, Revision};
use super::service::{Writers, me, reply_of, revisions, sort_mentions};
use super::store;
use crate::access::Actor;
use crate::access::discussions::{Act, Allowed, require_accept, require_reply, require_topic};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;

/// Replies in a topic (not once it is locked, moderators aside); the
/// writer follows the topic unless they stopped.
pub async fn reply(db: &Db, actor: &Actor, topic: i64, body: &str) -> Result<Posted<Reply>> {
    let body = model::body(body)?;
    let named = model::mentioned(&body)?;
    let actor = *actor;
    db.write(move |tx| {
        require_topic(tx, &actor, topic, Act::Post)?;
        let id = store::insert_reply(tx, topic, &body, me(&actor), now_ms())?;
        if let Some(p) = me(&actor) {
            store::set_following(tx, topic, p, true, true)?;
        }
        let (mentions, not_told) = sort_mentions(tx, &actor, topic, &named)?;
        record(
            tx,
            &actor,
            &events::ReplyCreated {
                id,
                topic,
                mentions,
            },
        )?;
        let r = store::reply(tx, id)?.ok_or(Error::NotFound)?;
        Ok(Posted {
            item: reply_of(tx, &mut Writers::new(&actor), r, None)?,
            not_told,
        })
    })
    .await
}

/// A page of a topic's replies in the order they were written, after
/// reply `after`.
pub async fn replies(
    db: &Db,
    actor: &Actor,
    topic: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<Reply>> {
    let actor = *actor;
    db.read(move |c| {
        require_topic(c, &actor, topic, Act::Read)?;
        let accepted = store::topic(c, topic)?.and_then(|t| t.accepted_reply);
        let mut w = Writers::new(&actor);
        store::replies_of(c, topic, after, limit)?
            .into_iter()
            .map(|r| reply_of(c, &mut w, r, accepted))
            .collect()
    })
    .await
}

/// One reply, for whoever reads its topic.
pub async fn get_reply(db: &Db, actor: &Actor, id: i64) -> Result<(Reply, Allowed)> {
    let actor = *actor;
    db.read(move |c| {
        let (t, _, allowed) = require_reply(c, &actor, id, Act::Read)?;
        let accepted = store::topic(c, t.id)?.and_then(|t| t.accepted_reply);
        let r = store::reply(c, id)?.ok_or(Error::NotFound)?;
        Ok((
            reply_of(c, &mut Writers::new(&actor), r, accepted)?,
            allowed,
        ))
    })
    .await
}

pub async fn edit_reply(db: &Db, actor: &Actor, id: i64, body: &str) -> Result<Posted<Reply>> {
    let body = model::body(body)?;
    let named = model::mentioned(&body)?;
    let actor = *actor;
    db.write(move |tx| {
        let (t, _, _) = require_reply(tx, &actor, id, Act::Edit)?;
        let old = store::reply(tx, id)?.ok_or(Error::NotFound)?;
        let before = crate::text::markdown::mentions(&old.2);
        let added: Vec<i64> = named.into_iter().filter(|p| !before.contains(p)).collect();
        let (mentions, not_told) = sort_mentions(tx, &actor, t.id, &added)?;
        if old.2 != body {
            store::edit_reply(tx, &old, &body, now_ms())?;
            record(
                tx,
                &actor,
                &events::ReplyEdited {
                    id,
                    topic: t.id,
                    mentions,
                },
            )?;
        }
        let accepted = store::topic(tx, t.id)?.and_then(|t| t.accepted_reply);
        let r = store::reply(tx, id)?.ok_or(Error::NotFound)?;
        Ok(Posted {
            item: reply_of(tx, &mut Writers::new(&actor), r, accepted)?,
            not_told,
        })
    })
    .await
}

/// Removes a reply: its author or a moderator. Returns its topic.
pub async fn delete_reply(db: &Db, actor: &Actor, id: i64) -> Result<i64> {
    let actor = *actor;
    db.write(move |tx| {
        let (t, _, _) = require_reply(tx, &actor, id, Act::Edit)?;
        store::delete_reply(tx, id, t.id)?;
        record(tx, &actor, &events::ReplyDeleted { id, topic: t.id })?;
        Ok(t.id)
    })
    .await
}

pub async fn reply_history(db: &Db, actor: &Actor, id: i64) -> Result<Vec<Revision>> {
    let actor = *actor;
    db.read(move |c| {
        require_reply(c, &actor, id, Act::Read)?;
        revisions(c, &actor, store::reply_revisions(c, id)?)
    })
    .await
}

/// Accepts an answer to a question (one at a time), or takes it back:
/// the asker or a moderator. Returns the topic.
pub async fn accept(db: &Db, actor: &Actor, reply: i64, accepted: bool) -> Result<i64> {
    let actor = *actor;
    db.write(move |tx| {
        let t = require_accept(tx, &actor, reply)?;
        let current = store::topic(tx, t.id)?.and_then(|t| t.accepted_reply);
        let next = if accepted {
            Some(reply)
        } else if current == Some(reply) {
            None
        } else {
            return Ok(t.id);
        };
        if next != current {
            store::set_accepted(tx, t.id, next)?;
            record(
                tx,
                &actor,
                &events::AnswerAccepted {
                    id: reply,
                    topic: t.id,
                    accepted,
                },
            )?;
        }
        Ok(t.id)
    })
    .await
}
