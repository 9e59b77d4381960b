//! SQL for groups. Only services call this.

use super::Group;
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "g.id, g.slug, g.name, g.description, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        members: r.get(4)?,
    })
}

pub fn insert(
    c: &Connection,
    slug: &str,
    name: &str,
    description: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO groups (slug, name, description, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![slug, name, description, now],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn by_slug(c: &Connection, slug: &str) -> rusqlite::Result<Option<Group>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM groups g WHERE g.slug = ?1"),
        [slug],
        from_row,
    )
    .optional()
}

pub fn list(c: &Connection) -> rusqlite::Result<Vec<Group>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLUMNS} FROM groups g ORDER BY g.name COLLATE NOCASE"
    ))?;
    st.query_map([], from_row)?.collect()
}

/// Adds a member; returns false when they already were one.
pub fn add_member(c: &Connection, group_id: i64, person_id: i64) -> rusqlite::Result<bool> {
    let n = c.execute(
        "INSERT OR IGNORE INTO group_members (group_id, person_id) VALUES (?1, ?2)",
        params![group_id, person_id],
    )?;
    Ok(n == 1)
}

pub fn remove_member(c: &Connection, group_id: i64, person_id: i64) -> rusqlite::Result<bool> {
    let n = c.execute(
        "DELETE FROM group_members WHERE group_id = ?1 AND person_id = ?2",
        params![group_id, person_id],
    )?;
    Ok(n == 1)
}
