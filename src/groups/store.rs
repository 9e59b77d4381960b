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

pub fn by_id(c: &Connection, id: i64) -> rusqlite::Result<Option<Group>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM groups g WHERE g.id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

pub fn page(c: &Connection, after: i64, limit: u32) -> rusqlite::Result<Vec<Group>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM groups g WHERE g.id > ?1 ORDER BY g.id LIMIT {limit}"
    ))?;
    st.query_map([after], from_row)?.collect()
}

pub fn update(c: &Connection, id: i64, name: &str, description: &str) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE groups SET name = ?2, description = ?3 WHERE id = ?1",
        params![id, name, description],
    )
}

pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM groups WHERE id = ?1", [id])
}

/// Ids of a group's members.
pub fn member_ids(c: &Connection, id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT gm.person_id FROM group_members gm JOIN people p ON p.id = gm.person_id
         WHERE gm.group_id = ?1 ORDER BY p.display_name COLLATE NOCASE",
    )?;
    st.query_map([id], |r| r.get(0))?.collect()
}
