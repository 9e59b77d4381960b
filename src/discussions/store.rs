//! SQL of discussions.

use super::model::{ForumFields, Mode};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A forum row: id, space, name, description, mode, topics, last activity.
pub type ForumRow = (i64, i64, String, String, Mode, i64, Option<i64>);

const FORUM_COLUMNS: &str = "f.id, f.space_id, f.name, f.description, f.mode,
    (SELECT count(*) FROM topics t WHERE t.forum_id = f.id),
    (SELECT max(t.last_activity_at) FROM topics t WHERE t.forum_id = f.id)";

fn mode(raw: String) -> Mode {
    if raw == "questions" {
        Mode::Questions
    } else {
        Mode::Discussion
    }
}

fn forum_row(r: &Row<'_>) -> rusqlite::Result<ForumRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        mode(r.get(4)?),
        r.get(5)?,
        r.get(6)?,
    ))
}

pub fn forums_of(c: &Connection, space: i64) -> rusqlite::Result<Vec<ForumRow>> {
    c.prepare_cached(&format!(
        "SELECT {FORUM_COLUMNS} FROM forums f WHERE f.space_id = ?1 ORDER BY f.name COLLATE NOCASE, f.id"
    ))?
    .query_map([space], forum_row)?
    .collect()
}

pub fn forum(c: &Connection, id: i64) -> rusqlite::Result<Option<ForumRow>> {
    c.prepare_cached(&format!(
        "SELECT {FORUM_COLUMNS} FROM forums f WHERE f.id = ?1"
    ))?
    .query_row([id], forum_row)
    .optional()
}

pub fn insert_forum(
    c: &Connection,
    space: i64,
    f: &ForumFields,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<i64> {
    c.prepare_cached(
        "INSERT INTO forums (space_id, name, description, mode, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        space,
        f.name.as_str(),
        f.description,
        f.mode.name(),
        by,
        now
    ])?;
    Ok(c.last_insert_rowid())
}

pub fn update_forum(c: &Connection, id: i64, f: &ForumFields, now: i64) -> rusqlite::Result<()> {
    c.prepare_cached(
        "UPDATE forums SET name = ?2, description = ?3, mode = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.name.as_str(),
        f.description,
        f.mode.name(),
        now
    ])?;
    Ok(())
}

/// A topic row as stored.
#[derive(Debug, Clone)]
pub struct TopicRow {
    pub id: i64,
    pub forum: i64,
    pub space: i64,
    pub title: String,
    pub body: String,
    pub author: Option<i64>,
    pub pinned: bool,
    pub locked: bool,
    pub accepted_reply: Option<i64>,
    pub replies: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub last_activity_at: i64,
}

const TOPIC_COLUMNS: &str = "id, forum_id, space_id, title, body, author_id, pinned, locked,
    accepted_reply_id, reply_count, created_at, edited_at, last_activity_at";

fn topic_row(r: &Row<'_>) -> rusqlite::Result<TopicRow> {
    Ok(TopicRow {
        id: r.get(0)?,
        forum: r.get(1)?,
        space: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
        author: r.get(5)?,
        pinned: r.get(6)?,
        locked: r.get(7)?,
        accepted_reply: r.get(8)?,
        replies: r.get(9)?,
        created_at: r.get(10)?,
        edited_at: r.get(11)?,
        last_activity_at: r.get(12)?,
    })
}

pub fn topic(c: &Connection, id: i64) -> rusqlite::Result<Option<TopicRow>> {
    c.prepare_cached(&format!("SELECT {TOPIC_COLUMNS} FROM topics WHERE id = ?1"))?
        .query_row([id], topic_row)
        .optional()
}

/// A forum's topics: pinned first, then the latest activity first, after
/// the cursor `(pinned, last_activity_at, id)` when given.
pub fn topics_of(
    c: &Connection,
    forum: i64,
    after: Option<(bool, i64, i64)>,
    limit: u32,
) -> rusqlite::Result<Vec<TopicRow>> {
    let (pinned, at, id) = after.unwrap_or((true, i64::MAX, i64::MAX));
    c.prepare_cached(&format!(
        "SELECT {TOPIC_COLUMNS} FROM topics WHERE forum_id = ?1
           AND (pinned, last_activity_at, id) < (?2, ?3, ?4)
         ORDER BY pinned DESC, last_activity_at DESC, id DESC LIMIT ?5"
    ))?
    .query_map(params![forum, pinned, at, id, limit], topic_row)?
    .collect()
}

/// The latest topics of the spaces `filter` lets through (alias `s`):
/// each space's latest by its index, then the latest of those, so the cost
/// follows the number of spaces, not of topics.
pub fn latest_topics(
    c: &Connection,
    filter: &crate::access::SqlFilter,
    limit: u32,
) -> rusqlite::Result<Vec<TopicRow>> {
    let spaces: Vec<i64> = c
        .prepare_cached(&format!("SELECT s.id FROM spaces s WHERE {}", filter.sql))?
        .query_map(filter.named().as_slice(), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = c.prepare_cached(&format!(
        "SELECT {TOPIC_COLUMNS} FROM topics WHERE space_id = ?1
         ORDER BY last_activity_at DESC, id DESC LIMIT ?2"
    ))?;
    let mut all = Vec::new();
    for space in spaces {
        all.extend(
            st.query_map(params![space, limit], topic_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    all.sort_by_key(|t| std::cmp::Reverse((t.last_activity_at, t.id)));
    all.truncate(limit as usize);
    Ok(all)
}

pub fn insert_topic(
    c: &Connection,
    forum: i64,
    space: i64,
    title: &str,
    body: &str,
    author: Option<i64>,
    now: i64,
) -> rusqlite::Result<i64> {
    c.prepare_cached(
        "INSERT INTO topics (forum_id, space_id, title, body, author_id, created_at, last_activity_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![forum, space, title, body, author, now])?;
    Ok(c.last_insert_rowid())
}

/// Keeps the replaced text, then writes the new one.
pub fn edit_topic(
    c: &Connection,
    t: &TopicRow,
    title: &str,
    body: &str,
    now: i64,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO topic_revisions (topic_id, title, body, written_by, written_at, replaced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        t.id,
        t.title,
        t.body,
        t.author,
        t.edited_at.unwrap_or(t.created_at),
        now
    ])?;
    c.prepare_cached("UPDATE topics SET title = ?2, body = ?3, edited_at = ?4 WHERE id = ?1")?
        .execute(params![t.id, title, body, now])?;
    Ok(())
}

pub fn moderate(
    c: &Connection,
    id: i64,
    pinned: bool,
    locked: bool,
    forum: i64,
    space: i64,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "UPDATE topics SET pinned = ?2, locked = ?3, forum_id = ?4, space_id = ?5 WHERE id = ?1",
    )?
    .execute(params![id, pinned, locked, forum, space])?;
    c.prepare_cached("UPDATE replies SET space_id = ?2 WHERE topic_id = ?1")?
        .execute(params![id, space])?;
    Ok(())
}

pub fn set_accepted(c: &Connection, topic: i64, reply: Option<i64>) -> rusqlite::Result<()> {
    c.prepare_cached("UPDATE topics SET accepted_reply_id = ?2 WHERE id = ?1")?
        .execute(params![topic, reply])?;
    Ok(())
}

/// A reply row: id, topic, body, author, created, edited.
pub type ReplyRow = (i64, i64, String, Option<i64>, i64, Option<i64>);

fn reply_row(r: &Row<'_>) -> rusqlite::Result<ReplyRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

pub fn reply(c: &Connection, id: i64) -> rusqlite::Result<Option<ReplyRow>> {
    c.prepare_cached(
        "SELECT id, topic_id, body, author_id, created_at, edited_at FROM replies WHERE id = ?1",
    )?
    .query_row([id], reply_row)
    .optional()
}

/// A topic's replies in order, after reply `after`.
pub fn replies_of(
    c: &Connection,
    topic: i64,
    after: i64,
    limit: u32,
) -> rusqlite::Result<Vec<ReplyRow>> {
    c.prepare_cached(
        "SELECT id, topic_id, body, author_id, created_at, edited_at FROM replies
         WHERE topic_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?
    .query_map(params![topic, after, limit], reply_row)?
    .collect()
}

pub fn insert_reply(
    c: &Connection,
    topic: i64,
    body: &str,
    author: Option<i64>,
    now: i64,
) -> rusqlite::Result<i64> {
    c.prepare_cached(
        "INSERT INTO replies (topic_id, space_id, body, author_id, created_at)
         VALUES (?1, (SELECT space_id FROM topics WHERE id = ?1), ?2, ?3, ?4)",
    )?
    .execute(params![topic, body, author, now])?;
    let id = c.last_insert_rowid();
    c.prepare_cached(
        "UPDATE topics SET reply_count = reply_count + 1, last_activity_at = ?2 WHERE id = ?1",
    )?
    .execute(params![topic, now])?;
    Ok(id)
}

pub fn edit_reply(c: &Connection, r: &ReplyRow, body: &str, now: i64) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO reply_revisions (reply_id, body, written_by, written_at, replaced_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![r.0, r.2, r.3, r.5.unwrap_or(r.4), now])?;
    c.prepare_cached("UPDATE replies SET body = ?2, edited_at = ?3 WHERE id = ?1")?
        .execute(params![r.0, body, now])?;
    Ok(())
}

pub fn delete_reply(c: &Connection, id: i64, topic: i64) -> rusqlite::Result<()> {
    c.prepare_cached("DELETE FROM replies WHERE id = ?1")?
        .execute([id])?;
    c.prepare_cached(
        "UPDATE topics SET reply_count = max(reply_count - 1, 0),
           accepted_reply_id = CASE WHEN accepted_reply_id = ?2 THEN NULL ELSE accepted_reply_id END
         WHERE id = ?1",
    )?
    .execute(params![topic, id])?;
    Ok(())
}

/// The reply ids of a topic (to take them out of the index with it).
pub fn reply_ids(c: &Connection, topic: i64) -> rusqlite::Result<Vec<i64>> {
    c.prepare_cached("SELECT id FROM replies WHERE topic_id = ?1")?
        .query_map([topic], |r| r.get(0))?
        .collect()
}

/// A revision: title (topics only), body, written by, written at, replaced at.
pub type RevisionRow = (Option<String>, String, Option<i64>, i64, i64);

pub fn topic_revisions(c: &Connection, topic: i64) -> rusqlite::Result<Vec<RevisionRow>> {
    c.prepare_cached(
        "SELECT title, body, written_by, written_at, replaced_at FROM topic_revisions
         WHERE topic_id = ?1 ORDER BY id DESC LIMIT 100",
    )?
    .query_map([topic], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?
    .collect()
}

pub fn reply_revisions(c: &Connection, reply: i64) -> rusqlite::Result<Vec<RevisionRow>> {
    c.prepare_cached(
        "SELECT NULL, body, written_by, written_at, replaced_at FROM reply_revisions
         WHERE reply_id = ?1 ORDER BY id DESC LIMIT 100",
    )?
    .query_map([reply], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?
    .collect()
}

/// Whether the person follows the topic (`None`: never said).
pub fn following(c: &Connection, topic: i64, person: i64) -> rusqlite::Result<Option<bool>> {
    c.prepare_cached("SELECT following FROM topic_follows WHERE topic_id = ?1 AND person_id = ?2")?
        .query_row(params![topic, person], |r| r.get(0))
        .optional()
}

/// Says the person follows or not; `only_if_new`: unless they said so before
/// (writing in a topic follows it, but not after "stop following").
pub fn set_following(
    c: &Connection,
    topic: i64,
    person: i64,
    on: bool,
    only_if_new: bool,
) -> rusqlite::Result<()> {
    let sql = if only_if_new {
        "INSERT OR IGNORE INTO topic_follows (topic_id, person_id, following) VALUES (?1, ?2, ?3)"
    } else {
        "INSERT INTO topic_follows (topic_id, person_id, following) VALUES (?1, ?2, ?3)
         ON CONFLICT (topic_id, person_id) DO UPDATE SET following = excluded.following"
    };
    c.prepare_cached(sql)?.execute(params![topic, person, on])?;
    Ok(())
}

pub fn followers(c: &Connection, topic: i64) -> rusqlite::Result<Vec<i64>> {
    c.prepare_cached("SELECT person_id FROM topic_follows WHERE topic_id = ?1 AND following = 1")?
        .query_map([topic], |r| r.get(0))?
        .collect()
}
