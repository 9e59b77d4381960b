//! Discussion rules: every read and write asked of `access::discussions`,
//! every change audited in its own transaction.

use super::events;
use super::model::{self, Forum, Moderation, Posted, Reply, Revision, Topic};
use super::store::{self, ReplyRow, TopicRow};
use crate::access::Actor;
use crate::access::discussions::{Act, require_forum, require_topic};
use crate::content::events::record;
use crate::db::Db;
use crate::search::sources::{Change, enqueue};
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::Connection;

pub use super::forums::{create_forum, delete_forum, forum, forums, moderates, update_forum};
pub use super::mentions::mention_suggestions;
pub(super) use super::mentions::sort_mentions;
pub use super::replies::{
    accept, delete_reply, edit_reply, get_reply, replies, reply, reply_history,
};
pub use crate::talk::Suggestion;
pub(crate) use crate::talk::{Writers, me};

pub(super) fn forum_of(row: store::ForumRow) -> Forum {
    let (id, space, name, description, mode, topics, last_activity_at) = row;
    Forum {
        id,
        space,
        name,
        description,
        mode,
        topics,
        last_activity_at,
    }
}

fn topic_of(c: &Connection, w: &mut Writers<'_>, t: TopicRow) -> Result<Topic> {
    Ok(Topic {
        author: w.of(c, t.author)?,
        id: t.id,
        forum: t.forum,
        space: t.space,
        title: t.title,
        body: t.body,
        pinned: t.pinned,
        locked: t.locked,
        accepted_reply: t.accepted_reply,
        replies: t.replies,
        created_at: t.created_at,
        edited_at: t.edited_at,
        last_activity_at: t.last_activity_at,
    })
}

pub(super) fn reply_of(
    c: &Connection,
    w: &mut Writers<'_>,
    r: ReplyRow,
    accepted: Option<i64>,
) -> Result<Reply> {
    let (id, topic, body, author, created_at, edited_at) = r;
    Ok(Reply {
        author: w.of(c, author)?,
        accepted: accepted == Some(id),
        id,
        topic,
        body,
        created_at,
        edited_at,
    })
}

// Topics.

/// A page of a forum's topics: pinned first, then by latest activity.
pub async fn topics(
    db: &Db,
    actor: &Actor,
    forum: i64,
    after: Option<(bool, i64, i64)>,
    limit: u32,
) -> Result<Vec<Topic>> {
    let actor = *actor;
    db.read(move |c| {
        require_forum(c, &actor, forum, Act::Read)?;
        let mut w = Writers::new(&actor);
        store::topics_of(c, forum, after, limit)?
            .into_iter()
            .map(|t| topic_of(c, &mut w, t))
            .collect()
    })
    .await
}

/// Starts a topic in a forum; its author follows it.
pub async fn create_topic(
    db: &Db,
    actor: &Actor,
    forum: i64,
    title: &str,
    body: &str,
) -> Result<Posted<Topic>> {
    let title = model::title(title)?;
    let body = model::body(body)?;
    let named = model::mentioned(&body)?;
    let actor = *actor;
    db.write(move |tx| {
        let f = require_forum(tx, &actor, forum, Act::Post)?;
        let now = now_ms();
        let id = store::insert_topic(tx, forum, f.space, &title, &body, me(&actor), now)?;
        if let Some(p) = me(&actor) {
            store::set_following(tx, id, p, true, true)?;
        }
        let (mentions, not_told) = sort_mentions(tx, &actor, id, &named)?;
        record(
            tx,
            &actor,
            &events::TopicCreated {
                id,
                forum,
                space: f.space,
                title: &title,
                mentions,
            },
        )?;
        let t = store::topic(tx, id)?.ok_or(Error::NotFound)?;
        Ok(Posted {
            item: topic_of(tx, &mut Writers::new(&actor), t)?,
            not_told,
        })
    })
    .await
}

/// A topic with a page of its replies (after reply `after`); in a forum of
/// questions the accepted answer comes first.
pub struct Thread {
    pub topic: Topic,
    pub forum: Forum,
    pub replies: Vec<Reply>,
    /// More replies after these.
    pub more: bool,
    pub following: bool,
    pub moderator: bool,
    pub questions: bool,
}

pub async fn thread(db: &Db, actor: &Actor, id: i64, after: i64) -> Result<Thread> {
    let actor = *actor;
    db.read(move |c| {
        let (t, allowed) = require_topic(c, &actor, id, Act::Read)?;
        let row = store::topic(c, id)?.ok_or(Error::NotFound)?;
        let accepted = row.accepted_reply;
        let mut w = Writers::new(&actor);
        let mut rows = store::replies_of(c, id, after, model::PAGE + 1)?;
        let more = rows.len() > model::PAGE as usize;
        rows.truncate(model::PAGE as usize);
        let mut replies = Vec::with_capacity(rows.len() + 1);
        if let Some(a) = accepted.filter(|_| after == 0)
            && let Some(r) = store::reply(c, a)?
        {
            replies.push(reply_of(c, &mut w, r, accepted)?);
        }
        for r in rows {
            if after == 0 && Some(r.0) == accepted {
                continue;
            }
            replies.push(reply_of(c, &mut w, r, accepted)?);
        }
        let following = match me(&actor) {
            Some(p) => store::following(c, id, p)? == Some(true),
            None => false,
        };
        Ok(Thread {
            topic: topic_of(c, &mut w, row)?,
            forum: forum_of(store::forum(c, t.forum.id)?.ok_or(Error::NotFound)?),
            replies,
            more,
            following,
            moderator: allowed.moderator,
            questions: t.forum.questions,
        })
    })
    .await
}

/// New title and words, by the author or a moderator; the old ones are
/// kept. Those the new words mention, and the old did not, are told.
pub async fn edit_topic(
    db: &Db,
    actor: &Actor,
    id: i64,
    title: Option<&str>,
    body: Option<&str>,
) -> Result<Posted<Topic>> {
    let title = title.map(model::title).transpose()?;
    let body = body.map(model::body).transpose()?;
    let named = body.as_deref().map(model::mentioned).transpose()?;
    let actor = *actor;
    db.write(move |tx| {
        require_topic(tx, &actor, id, Act::Edit)?;
        let old = store::topic(tx, id)?.ok_or(Error::NotFound)?;
        let new_title = title.unwrap_or_else(|| old.title.clone());
        let new_body = body.unwrap_or_else(|| old.body.clone());
        let before = crate::text::markdown::mentions(&old.body);
        let added: Vec<i64> = named
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        let (mentions, not_told) = sort_mentions(tx, &actor, id, &added)?;
        if new_title != old.title || new_body != old.body {
            store::edit_topic(tx, &old, &new_title, &new_body, now_ms())?;
            record(
                tx,
                &actor,
                &events::TopicEdited {
                    id,
                    title: &new_title,
                    mentions,
                },
            )?;
        }
        let t = store::topic(tx, id)?.ok_or(Error::NotFound)?;
        Ok(Posted {
            item: topic_of(tx, &mut Writers::new(&actor), t)?,
            not_told,
        })
    })
    .await
}

/// Pins, locks or moves a topic: its space's managers (a move, also the
/// managers of the space it goes to).
pub async fn moderate(db: &Db, actor: &Actor, id: i64, m: Moderation) -> Result<Topic> {
    let actor = *actor;
    db.write(move |tx| {
        let (t, _) = require_topic(tx, &actor, id, Act::Moderate)?;
        let old = store::topic(tx, id)?.ok_or(Error::NotFound)?;
        let (forum, space) = match m.forum {
            Some(f) if f != old.forum => {
                let to = require_forum(tx, &actor, f, Act::Moderate)?;
                // An accepted answer means nothing in a forum of discussions.
                if !to.questions {
                    store::set_accepted(tx, id, None)?;
                }
                (to.id, to.space)
            }
            _ => (old.forum, old.space),
        };
        let pinned = m.pinned.unwrap_or(old.pinned);
        let locked = m.locked.unwrap_or(old.locked);
        store::moderate(tx, id, pinned, locked, forum, space)?;
        if space != t.forum.space {
            // Its replies are read by the readers of the new space now.
            for r in store::reply_ids(tx, id)? {
                enqueue(tx, Change::item(&super::kind::REPLY, r))?;
            }
        }
        record(
            tx,
            &actor,
            &events::TopicModerated {
                id,
                pinned,
                locked,
                forum,
                moved_from: (forum != old.forum).then_some(old.forum),
            },
        )?;
        let t = store::topic(tx, id)?.ok_or(Error::NotFound)?;
        topic_of(tx, &mut Writers::new(&actor), t)
    })
    .await
}

/// Removes a topic with its replies: moderators.
pub async fn delete_topic(db: &Db, actor: &Actor, id: i64) -> Result<i64> {
    let actor = *actor;
    db.write(move |tx| {
        let (t, _) = require_topic(tx, &actor, id, Act::Moderate)?;
        let old = store::topic(tx, id)?.ok_or(Error::NotFound)?;
        for r in store::reply_ids(tx, id)? {
            enqueue(tx, Change::item(&super::kind::REPLY, r))?;
        }
        tx.execute("DELETE FROM topics WHERE id = ?1", [id])?;
        record(
            tx,
            &actor,
            &events::TopicDeleted {
                id,
                title: old.title,
                replies: old.replies,
            },
        )?;
        Ok(t.forum.id)
    })
    .await
}

/// Follows a topic (told of its replies) or stops.
pub async fn follow(db: &Db, actor: &Actor, id: i64, on: bool) -> Result<()> {
    let actor = *actor;
    let person = me(&actor).ok_or(Error::Unauthorized)?;
    db.write(move |tx| {
        require_topic(tx, &actor, id, Act::Read)?;
        store::set_following(tx, id, person, on, false)?;
        Ok(())
    })
    .await
}

pub async fn topic_history(db: &Db, actor: &Actor, id: i64) -> Result<Vec<Revision>> {
    let actor = *actor;
    db.read(move |c| {
        require_topic(c, &actor, id, Act::Read)?;
        revisions(c, &actor, store::topic_revisions(c, id)?)
    })
    .await
}

pub(super) fn revisions(
    c: &Connection,
    actor: &Actor,
    rows: Vec<store::RevisionRow>,
) -> Result<Vec<Revision>> {
    let mut w = Writers::new(actor);
    rows.into_iter()
        .map(|(title, body, by, written_at, replaced_at)| {
            Ok(Revision {
                title,
                body,
                written_by: w.of(c, by)?,
                written_at,
                replaced_at,
            })
        })
        .collect()
}

/// The latest topics in the spaces the actor belongs to (their home).
pub async fn latest(db: &Db, actor: &Actor, limit: u32) -> Result<Vec<Topic>> {
    let filter = crate::access::filter_for(actor, crate::access::member_spaces_filter, "s")?;
    let actor = *actor;
    db.read(move |c| {
        let mut w = Writers::new(&actor);
        store::latest_topics(c, &filter, limit)?
            .into_iter()
            .map(|t| topic_of(c, &mut w, t))
            .collect()
    })
    .await
}
