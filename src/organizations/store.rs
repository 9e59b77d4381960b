//! SQL for organizations. Only the service calls this.

use super::model::{OrgKind, Organization};
use crate::access::SqlFilter;
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "o.id, o.slug, o.name, o.kind, o.created_at, \
     (SELECT COUNT(*) FROM people p WHERE p.org_id = o.id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        created_at: r.get(4)?,
        people: r.get(5)?,
    })
}

pub fn insert(
    c: &Connection,
    slug: &str,
    name: &str,
    kind: OrgKind,
    now: i64,
) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO organizations (slug, name, kind, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![slug, name, kind.as_str(), now],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn list(c: &Connection, filter: Option<&SqlFilter>) -> rusqlite::Result<Vec<Organization>> {
    let cond = filter.map(|f| f.sql.as_str()).unwrap_or("1");
    let sql = format!(
        "SELECT {COLUMNS} FROM organizations o WHERE {cond} ORDER BY o.kind = 'host' DESC, o.name"
    );
    let mut st = c.prepare(&sql)?;
    let params = filter.map(|f| f.named()).unwrap_or_default();
    st.query_map(params.as_slice(), from_row)?.collect()
}

pub fn by_slug(c: &Connection, slug: &str) -> rusqlite::Result<Option<Organization>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM organizations o WHERE o.slug = ?1"),
        [slug],
        from_row,
    )
    .optional()
}

pub fn host(c: &Connection) -> rusqlite::Result<Option<Organization>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM organizations o WHERE o.kind = 'host'"),
        [],
        from_row,
    )
    .optional()
}

pub fn by_id(
    c: &Connection,
    id: i64,
    filter: Option<&SqlFilter>,
) -> rusqlite::Result<Option<Organization>> {
    let cond = filter.map(|f| f.sql.as_str()).unwrap_or("1");
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":id", &id)];
    if let Some(f) = filter {
        params.extend(f.named());
    }
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM organizations o WHERE o.id = :id AND {cond}"
    ))?
    .query_row(params.as_slice(), from_row)
    .optional()
}

/// One page by id, for the API: rows after `after`, at most `limit`.
pub fn page(
    c: &Connection,
    filter: Option<&SqlFilter>,
    after: i64,
    limit: u32,
) -> rusqlite::Result<Vec<Organization>> {
    let cond = filter.map(|f| f.sql.as_str()).unwrap_or("1");
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":after", &after)];
    if let Some(f) = filter {
        params.extend(f.named());
    }
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM organizations o WHERE o.id > :after AND {cond} ORDER BY o.id LIMIT {limit}"
    ))?;
    st.query_map(params.as_slice(), from_row)?.collect()
}

pub fn rename(c: &Connection, id: i64, name: &str, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE organizations SET name = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, name, now],
    )
}

pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute(
        "DELETE FROM organizations WHERE id = ?1 AND kind <> 'host'",
        [id],
    )
}
