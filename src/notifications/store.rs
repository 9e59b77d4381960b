//! SQL of notifications.

use rusqlite::{Connection, OptionalExtension, params};

/// One row, as stored.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub reason: String,
    pub target_type: String,
    pub target_id: i64,
    pub actor_id: Option<i64>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Where the notifier stands in the audit log.
const POSITION: &str = "notifier_position";

pub fn position(c: &Connection) -> rusqlite::Result<Option<i64>> {
    c.prepare_cached("SELECT value FROM instance_settings WHERE key = ?1")?
        .query_row([POSITION], |r| r.get::<_, String>(0))
        .optional()
        .map(|v| v.and_then(|v| v.parse().ok()))
}

pub fn set_position(c: &Connection, id: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO instance_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![POSITION, id.to_string()],
    )?;
    Ok(())
}

/// A row to write.
pub struct New<'a> {
    pub person: i64,
    pub reason: &'a str,
    pub target: (&'a str, i64),
    pub actor: Option<i64>,
    /// The change (audit entry) it tells of.
    pub audit_id: i64,
    /// When to e-mail it, if it is to be.
    pub mail_due: Option<i64>,
}

/// Writes one row unless the same person was already told of the same
/// change for the same reason; whether it was written.
pub fn insert(c: &Connection, new: &New<'_>, now: i64) -> rusqlite::Result<bool> {
    let n = c
        .prepare_cached(
            "INSERT OR IGNORE INTO notifications
               (person_id, reason, target_type, target_id, actor_id, audit_id, created_at, mail_due_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            new.person,
            new.reason,
            new.target.0,
            new.target.1,
            new.actor,
            new.audit_id,
            now,
            new.mail_due
        ])?;
    Ok(n > 0)
}

/// A person's rows, newest first, before `before` (0: from the newest).
pub fn page(c: &Connection, person: i64, before: i64, limit: u32) -> rusqlite::Result<Vec<Row>> {
    let before = if before <= 0 { i64::MAX } else { before };
    c.prepare_cached(
        "SELECT id, reason, target_type, target_id, actor_id, created_at, read_at
         FROM notifications WHERE person_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
    )?
    .query_map(params![person, before, limit], row)?
    .collect()
}

/// A person's unread rows (at most `limit`), newest first.
pub fn unread(c: &Connection, person: i64, limit: u32) -> rusqlite::Result<Vec<Row>> {
    c.prepare_cached(
        "SELECT id, reason, target_type, target_id, actor_id, created_at, read_at
         FROM notifications WHERE person_id = ?1 AND read_at IS NULL ORDER BY id DESC LIMIT ?2",
    )?
    .query_map(params![person, limit], row)?
    .collect()
}

pub(super) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        reason: r.get(1)?,
        target_type: r.get(2)?,
        target_id: r.get(3)?,
        actor_id: r.get(4)?,
        created_at: r.get(5)?,
        read_at: r.get(6)?,
    })
}

/// An audit entry as the notifier reads it: id, action, target type and id,
/// actor, details.
pub type Change = (i64, String, String, String, Option<i64>, String);

/// The changes after `position` (at most `limit`), as the notifier reads them.
pub fn changes_after(c: &Connection, position: i64, limit: u32) -> rusqlite::Result<Vec<Change>> {
    c.prepare_cached(
        "SELECT id, action, target_type, target_id, actor_id, detail FROM audit_events
         WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?
    .query_map(params![position, limit], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?
    .collect()
}

/// Marks one of the person's rows read (`Some`) or all of them (`None`);
/// how many changed.
pub fn mark_read(
    c: &Connection,
    person: i64,
    id: Option<i64>,
    now: i64,
) -> rusqlite::Result<usize> {
    match id {
        Some(id) => c.execute(
            "UPDATE notifications SET read_at = ?3 WHERE person_id = ?1 AND id = ?2 AND read_at IS NULL",
            params![person, id, now],
        ),
        None => c.execute(
            "UPDATE notifications SET read_at = ?2 WHERE person_id = ?1 AND read_at IS NULL",
            params![person, now],
        ),
    }
}

/// One of the person's rows.
pub fn one(c: &Connection, person: i64, id: i64) -> rusqlite::Result<Option<Row>> {
    Ok(page(c, person, id + 1, 1)?.into_iter().find(|r| r.id == id))
}

/// The changes the notifier has not read yet: how many, and when the oldest
/// was made (`None` when it is up to date or has not started).
pub fn backlog(c: &Connection) -> rusqlite::Result<Option<(i64, i64)>> {
    let Some(position) = position(c)? else {
        return Ok(None);
    };
    c.query_row(
        "SELECT count(*), min(at) FROM audit_events WHERE id > ?1",
        [position],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)),
    )
    .map(|(n, oldest)| oldest.map(|o| (n, o)))
}
