//! SQL for comments and reactions.

use super::model::{Count, Reaction};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// A comment row: id, kind, item, body, author, created, edited.
pub type Row = (i64, String, i64, String, Option<i64>, i64, Option<i64>);

const COLUMNS: &str = "id, target_type, target_id, body, author_id, created_at, edited_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

pub fn insert(
    c: &Connection,
    kind: &str,
    item: i64,
    body: &str,
    author: i64,
    now: i64,
) -> rusqlite::Result<i64> {
    c.prepare_cached(
        "INSERT INTO comments (target_type, target_id, body, author_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![kind, item, body, author, now])?;
    Ok(c.last_insert_rowid())
}

pub fn get(c: &Connection, id: i64) -> rusqlite::Result<Option<Row>> {
    c.prepare_cached(&format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"))?
        .query_row([id], row)
        .optional()
}

/// An item's comments after `after`, oldest first.
pub fn list(
    c: &Connection,
    kind: &str,
    item: i64,
    after: i64,
    limit: u32,
) -> rusqlite::Result<Vec<Row>> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM comments
         WHERE target_type = ?1 AND target_id = ?2 AND id > ?3 ORDER BY id LIMIT ?4"
    ))?
    .query_map(params![kind, item, after, limit], row)?
    .collect()
}

pub fn count(c: &Connection, kind: &str, item: i64) -> rusqlite::Result<i64> {
    c.prepare_cached("SELECT count(*) FROM comments WHERE target_type = ?1 AND target_id = ?2")?
        .query_row(params![kind, item], |r| r.get(0))
}

/// Everyone who commented on an item.
pub fn commenters(c: &Connection, kind: &str, item: i64) -> rusqlite::Result<Vec<i64>> {
    c.prepare_cached(
        "SELECT DISTINCT author_id FROM comments
         WHERE target_type = ?1 AND target_id = ?2 AND author_id IS NOT NULL",
    )?
    .query_map(params![kind, item], |r| r.get(0))?
    .collect()
}

pub fn edit(c: &Connection, id: i64, body: &str, now: i64) -> rusqlite::Result<usize> {
    c.prepare_cached("UPDATE comments SET body = ?2, edited_at = ?3 WHERE id = ?1")?
        .execute(params![id, body, now])
}

pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.prepare_cached("DELETE FROM comments WHERE id = ?1")?
        .execute([id])
}

/// The reactions on items of `kind`, per item, in the fixed order.
pub fn reactions(
    c: &Connection,
    kind: &str,
    items: &[i64],
    me: i64,
) -> rusqlite::Result<HashMap<i64, Vec<Count>>> {
    let mut out: HashMap<i64, Vec<Count>> = HashMap::new();
    let mut st = c.prepare_cached(
        "SELECT reaction, count(*), max(person_id = ?3) FROM reactions
         WHERE target_type = ?1 AND target_id = ?2 GROUP BY reaction",
    )?;
    for &item in items {
        let mut counts: Vec<Count> = st
            .query_map(params![kind, item, me], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, bool>(2)?,
                ))
            })?
            .filter_map(|row| match row {
                Ok((name, count, mine)) => Reaction::parse(&name).ok().map(|reaction| {
                    Ok(Count {
                        reaction,
                        count,
                        mine,
                    })
                }),
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<_>>()?;
        counts.sort_by_key(|c| Reaction::ALL.iter().position(|r| *r == c.reaction));
        out.insert(item, counts);
    }
    Ok(out)
}

/// Adds or removes one reaction; whether anything changed.
pub fn set_reaction(
    c: &Connection,
    kind: &str,
    item: i64,
    person: i64,
    reaction: Reaction,
    present: bool,
    now: i64,
) -> rusqlite::Result<bool> {
    let n = if present {
        c.prepare_cached(
            "INSERT OR IGNORE INTO reactions (target_type, target_id, person_id, reaction, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![kind, item, person, reaction.name(), now])?
    } else {
        c.prepare_cached(
            "DELETE FROM reactions
             WHERE target_type = ?1 AND target_id = ?2 AND person_id = ?3 AND reaction = ?4",
        )?
        .execute(params![kind, item, person, reaction.name()])?
    };
    Ok(n > 0)
}
