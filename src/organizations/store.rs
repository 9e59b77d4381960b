//! SQL for organizations. Only the service calls this.

use super::model::{OrgKind, Organization};
use crate::access::SqlFilter;
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "o.id, o.slug, o.name, o.kind, o.created_at, \
     (SELECT COUNT(*) FROM people p WHERE p.org_id = o.id)";

/// What a principal may see of organizations: which ones (alias `o`), and
/// which of their people are counted (alias `p`).
pub struct Seen {
    pub orgs: SqlFilter,
    pub people: SqlFilter,
}

impl Seen {
    /// All of them (the operator's shell, Parvis itself).
    pub fn everything() -> Seen {
        Seen {
            orgs: SqlFilter::everything(),
            people: SqlFilter::everything(),
        }
    }
}

/// The columns, the condition and the parameters of a read as `seen` sees it
/// (everything without it).
fn as_seen(v: &Seen) -> (String, &str, Vec<(&str, &dyn rusqlite::ToSql)>) {
    (
        format!(
            "o.id, o.slug, o.name, o.kind, o.created_at, \
             (SELECT COUNT(*) FROM people p WHERE p.org_id = o.id AND {})",
            v.people.sql
        ),
        v.orgs.sql.as_str(),
        v.orgs.named_with(&v.people),
    )
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        created_at: r.get(4)?,
        people: r.get(5)?,
        domains: Vec::new(),
    })
}

/// Fills in each organization's domains (one query for all of them).
fn with_domains(
    c: &Connection,
    mut orgs: Vec<Organization>,
) -> rusqlite::Result<Vec<Organization>> {
    if orgs.is_empty() {
        return Ok(orgs);
    }
    let mut st =
        c.prepare_cached("SELECT org_id, domain FROM organization_domains ORDER BY domain")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (org, domain) = row?;
        if let Some(o) = orgs.iter_mut().find(|o| o.id == org) {
            o.domains.push(domain);
        }
    }
    Ok(orgs)
}

fn one_with_domains(
    c: &Connection,
    org: Option<Organization>,
) -> rusqlite::Result<Option<Organization>> {
    match org {
        Some(mut o) => {
            let mut st = c.prepare_cached(
                "SELECT domain FROM organization_domains WHERE org_id = ?1 ORDER BY domain",
            )?;
            o.domains = st
                .query_map([o.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(Some(o))
        }
        None => Ok(None),
    }
}

/// The organization owning an e-mail domain, if any.
pub fn by_domain(c: &Connection, domain: &str) -> rusqlite::Result<Option<Organization>> {
    let org = c
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM organizations o JOIN organization_domains d ON d.org_id = o.id \
                 WHERE d.domain = ?1"
            ),
            [domain],
            from_row,
        )
        .optional()?;
    one_with_domains(c, org)
}

/// Replaces an organization's domains; a domain another organization owns is
/// refused by the primary key.
pub fn set_domains(c: &Connection, org_id: i64, domains: &[String]) -> rusqlite::Result<()> {
    c.execute(
        "DELETE FROM organization_domains WHERE org_id = ?1",
        [org_id],
    )?;
    let mut st =
        c.prepare_cached("INSERT INTO organization_domains (domain, org_id) VALUES (?1, ?2)")?;
    for d in domains {
        st.execute(params![d, org_id])?;
    }
    Ok(())
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

pub fn list(c: &Connection, seen: &Seen) -> rusqlite::Result<Vec<Organization>> {
    let (columns, cond, params) = as_seen(seen);
    let sql = format!(
        "SELECT {columns} FROM organizations o WHERE {cond} ORDER BY o.kind = 'host' DESC, o.name"
    );
    let mut st = c.prepare(&sql)?;
    let orgs = st
        .query_map(params.as_slice(), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_domains(c, orgs)
}

pub fn by_slug(c: &Connection, slug: &str) -> rusqlite::Result<Option<Organization>> {
    let org = c
        .query_row(
            &format!("SELECT {COLUMNS} FROM organizations o WHERE o.slug = ?1"),
            [slug],
            from_row,
        )
        .optional()?;
    one_with_domains(c, org)
}

pub fn host(c: &Connection) -> rusqlite::Result<Option<Organization>> {
    let org = c
        .query_row(
            &format!("SELECT {COLUMNS} FROM organizations o WHERE o.kind = 'host'"),
            [],
            from_row,
        )
        .optional()?;
    one_with_domains(c, org)
}

pub fn by_id(c: &Connection, id: i64, seen: &Seen) -> rusqlite::Result<Option<Organization>> {
    let (columns, cond, mut params) = as_seen(seen);
    params.push((":id", &id));
    let org = c
        .prepare_cached(&format!(
            "SELECT {columns} FROM organizations o WHERE o.id = :id AND {cond}"
        ))?
        .query_row(params.as_slice(), from_row)
        .optional()?;
    one_with_domains(c, org)
}

/// One page by id, for the API: rows after `after`, at most `limit`.
pub fn page(
    c: &Connection,
    seen: &Seen,
    after: i64,
    limit: u32,
) -> rusqlite::Result<Vec<Organization>> {
    let (columns, cond, mut params) = as_seen(seen);
    params.push((":after", &after));
    let mut st = c.prepare_cached(&format!(
        "SELECT {columns} FROM organizations o WHERE o.id > :after AND {cond} ORDER BY o.id LIMIT {limit}"
    ))?;
    let orgs = st
        .query_map(params.as_slice(), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_domains(c, orgs)
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
