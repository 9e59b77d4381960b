//! SQL for request types and their versions.

pub use super::types::TypeRow;
use super::types::{Definition, Visibility};
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};

fn parse(json: &str) -> Result<Definition> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("a kept request type: {e}")))
}

const COLUMNS: &str = "t.id, t.key, t.space_id, t.agent_group_id, t.version, t.archived_at,
                       t.created_at, t.updated_at, v.definition";

type Raw = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    i64,
    i64,
    String,
);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn rows(c: &Connection, filter: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<TypeRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM request_types t
         JOIN request_type_versions v ON v.type_id = t.id AND v.version = t.version
         WHERE {filter} ORDER BY t.key"
    );
    let found = c
        .prepare_cached(&sql)?
        .query_map(p, row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    found
        .into_iter()
        .map(
            |(id, key, space, agent_group, version, archived, created_at, updated_at, json)| {
                Ok(TypeRow {
                    id,
                    key,
                    space,
                    agent_group,
                    version,
                    archived: archived.is_some(),
                    created_at,
                    updated_at,
                    definition: parse(&json)?,
                })
            },
        )
        .collect()
}

pub fn by_id(c: &Connection, id: i64) -> Result<Option<TypeRow>> {
    Ok(rows(c, "t.id = ?1", &[&id])?.pop())
}

pub fn by_key(c: &Connection, key: &str) -> Result<Option<TypeRow>> {
    Ok(rows(c, "t.key = ?1", &[&key])?.pop())
}

pub fn all(c: &Connection) -> Result<Vec<TypeRow>> {
    rows(c, "1", &[])
}

/// The types offered in a space: its own and the instance's, not archived.
pub fn offered_in(c: &Connection, space: i64) -> Result<Vec<TypeRow>> {
    rows(
        c,
        "(t.space_id IS NULL OR t.space_id = ?1) AND t.archived_at IS NULL",
        &[&space],
    )
}

/// The definition a request was filed under.
pub fn version(c: &Connection, type_id: i64, version: i64) -> Result<Definition> {
    let json: Option<String> = c
        .prepare_cached(
            "SELECT definition FROM request_type_versions WHERE type_id = ?1 AND version = ?2",
        )?
        .query_row([type_id, version], |r| r.get(0))
        .optional()?;
    parse(&json.ok_or(Error::NotFound)?)
}

/// Whether another type than `except` numbers with `prefix` or is `key`.
pub fn taken(c: &Connection, key: &str, prefix: &str, except: i64) -> Result<Option<&'static str>> {
    let (k, p): (bool, bool) = c
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM request_types WHERE key = ?1 AND id <> ?3),
                    EXISTS (SELECT 1 FROM request_types WHERE prefix = ?2 AND id <> ?3)",
        )?
        .query_row(params![key, prefix, except], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(if k {
        Some("request-type-key-taken")
    } else if p {
        Some("request-type-prefix-taken")
    } else {
        None
    })
}

pub struct NewType<'a> {
    pub key: &'a str,
    pub space: Option<i64>,
    pub agent_group: Option<i64>,
    pub definition: &'a Definition,
    pub by: Option<i64>,
    pub now: i64,
}

fn json(d: &Definition) -> Result<String> {
    serde_json::to_string(d).map_err(|e| Error::Internal(e.to_string()))
}

pub fn insert(c: &Connection, t: &NewType<'_>) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO request_types
           (key, prefix, space_id, agent_group_id, version, org_visible, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?6)",
    )?
    .execute(params![
        t.key,
        t.definition.prefix,
        t.space,
        t.agent_group,
        t.definition.visibility == Visibility::Organization,
        t.now
    ])?;
    let id = c.last_insert_rowid();
    add_version(c, id, 1, t)?;
    Ok(id)
}

fn add_version(c: &Connection, id: i64, version: i64, t: &NewType<'_>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO request_type_versions (type_id, version, definition, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, version, json(t.definition)?, t.by, t.now])?;
    Ok(())
}

/// Keeps `t` as the type's next version (its key and space stay).
pub fn new_version(c: &Connection, id: i64, version: i64, t: &NewType<'_>) -> Result<()> {
    add_version(c, id, version, t)?;
    c.prepare_cached(
        "UPDATE request_types SET version = ?2, prefix = ?3, agent_group_id = ?4,
                org_visible = ?5, updated_at = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id,
        version,
        t.definition.prefix,
        t.agent_group,
        t.definition.visibility == Visibility::Organization,
        t.now
    ])?;
    Ok(())
}

pub fn set_archived(c: &Connection, id: i64, at: Option<i64>, now: i64) -> Result<()> {
    c.prepare_cached("UPDATE request_types SET archived_at = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, at, now])?;
    Ok(())
}

pub fn request_count(c: &Connection, id: i64) -> Result<i64> {
    Ok(
        c.prepare_cached("SELECT count(*) FROM requests WHERE type_id = ?1")?
            .query_row([id], |r| r.get(0))?,
    )
}

pub fn delete(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached("DELETE FROM request_types WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::store;

    #[test]
    fn a_type_and_a_request_are_kept_and_numbered() {
        let (_dir, c) = crate::content::tests::schema();
        c.execute_batch(
            "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
             VALUES (5, 'deal', 'Deal', 'members', 0, 0)",
        )
        .unwrap();
        let def = crate::requests::types::example("SUP", "Support", "Assistance", "UTC");
        let t = NewType {
            key: "support",
            space: Some(5),
            agent_group: None,
            definition: &def,
            by: None,
            now: 1,
        };
        let id = insert(&c, &t).unwrap();
        let kept = by_key(&c, "support").unwrap().unwrap();
        assert_eq!((kept.id, kept.version, kept.definition), (id, 1, def));
        assert_eq!(
            store::next_number(&c, id, "SUP", 2026).unwrap(),
            "SUP-2026-00001"
        );
        assert_eq!(
            store::next_number(&c, id, "SUP", 2026).unwrap(),
            "SUP-2026-00002"
        );
        assert_eq!(
            store::next_number(&c, id, "SUP", 2027).unwrap(),
            "SUP-2027-00001"
        );
        let row = store::Row {
            id: 0,
            type_id: id,
            type_version: 1,
            space_id: 5,
            number: "SUP-2026-00001".into(),
            title: "T".into(),
            status: "new".into(),
            is_open: true,
            priority: "normal".into(),
            requester_id: None,
            org_id: None,
            assignee_id: None,
            fields: serde_json::Map::new(),
            internal_fields: serde_json::Map::new(),
            external_id: None,
            version: 1,
            internal_version: 1,
            created_at: 1,
            updated_at: 1,
            closed_at: None,
            sla: Default::default(),
            rating: None,
            rating_comment: None,
        };
        let r = store::insert(&c, &row).unwrap();
        let back = store::get(&c, r).unwrap().unwrap();
        assert_eq!(back, store::Row { id: r, ..row });
    }
}
