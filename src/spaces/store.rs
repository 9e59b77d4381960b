//! SQL for spaces. Only services call this.

use super::model::{Role, Space, Visibility};
use crate::access::SqlFilter;
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "s.id, s.slug, s.name, s.description, s.visibility,
    (SELECT COUNT(*) FROM space_members m WHERE m.space_id = s.id),
    EXISTS (SELECT 1 FROM space_members m
            LEFT JOIN people mp ON mp.id = m.person_id
            LEFT JOIN organizations o ON o.id = COALESCE(m.org_id, mp.org_id)
            WHERE m.space_id = s.id AND o.kind <> 'host'),
    s.description_fr";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Space> {
    Ok(Space {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        visibility: r.get(4)?,
        members: r.get(5)?,
        shared_externally: r.get(6)?,
        description_fr: r.get(7)?,
    })
}

pub fn insert(
    c: &Connection,
    slug: &str,
    name: &str,
    description: &str,
    visibility: Visibility,
    now: i64,
) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO spaces (slug, name, description, visibility, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![slug, name, description, visibility.as_str(), now],
    )?;
    Ok(c.last_insert_rowid())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Person(i64),
    Group(i64),
    Org(i64),
}

impl Member {
    fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            Member::Person(id) => (Some(id), None, None),
            Member::Group(id) => (None, Some(id), None),
            Member::Org(id) => (None, None, Some(id)),
        }
    }
}

pub fn add_member(
    c: &Connection,
    space_id: i64,
    member: Member,
    role: Role,
    now: i64,
) -> rusqlite::Result<()> {
    let (p, g, o) = member.columns();
    c.execute(
        "INSERT INTO space_members (space_id, person_id, group_id, org_id, role, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![space_id, p, g, o, role.as_str(), now],
    )?;
    Ok(())
}

/// Grants `role`, replacing the member's previous role in this space if any.
/// Returns the previous role.
pub fn grant(
    c: &Connection,
    space_id: i64,
    member: Member,
    role: Role,
    now: i64,
) -> rusqlite::Result<Option<String>> {
    let previous = role_of(c, space_id, member)?;
    if previous.is_some() {
        let (p, g, o) = member.columns();
        c.execute(
            "UPDATE space_members SET role = ?5 WHERE space_id = ?1
               AND person_id IS ?2 AND group_id IS ?3 AND org_id IS ?4",
            params![space_id, p, g, o, role.as_str()],
        )?;
    } else {
        add_member(c, space_id, member, role, now)?;
    }
    Ok(previous)
}

pub fn role_of(c: &Connection, space_id: i64, member: Member) -> rusqlite::Result<Option<String>> {
    let (p, g, o) = member.columns();
    c.query_row(
        "SELECT role FROM space_members WHERE space_id = ?1 AND person_id IS ?2 AND group_id IS ?3 AND org_id IS ?4",
        params![space_id, p, g, o],
        |r| r.get(0),
    )
    .optional()
}

pub fn revoke(c: &Connection, space_id: i64, member: Member) -> rusqlite::Result<usize> {
    let (p, g, o) = member.columns();
    c.execute(
        "DELETE FROM space_members WHERE space_id = ?1 AND person_id IS ?2 AND group_id IS ?3 AND org_id IS ?4",
        params![space_id, p, g, o],
    )
}

pub fn id_by_slug(c: &Connection, slug: &str) -> rusqlite::Result<Option<i64>> {
    c.query_row("SELECT id FROM spaces WHERE slug = ?1", [slug], |r| {
        r.get(0)
    })
    .optional()
}

/// Narrows a listing beyond what the access filter allows.
#[derive(Debug, Clone, Default)]
pub struct Narrow<'a> {
    /// Matches name or description.
    pub search: Option<&'a str>,
    /// Only spaces published on this portal.
    pub portal: Option<i64>,
}

pub fn list(
    c: &Connection,
    filter: &SqlFilter,
    narrow: &Narrow<'_>,
    limit: u32,
) -> rusqlite::Result<Vec<Space>> {
    let like = narrow
        .search
        .map(|s| format!("%{}%", crate::people::store::escape_like(s)));
    let mut cond = String::new();
    if like.is_some() {
        cond.push_str(" AND (s.name LIKE :q ESCAPE '\\' OR s.description LIKE :q ESCAPE '\\')");
    }
    if narrow.portal.is_some() {
        cond.push_str(
            " AND s.id IN (SELECT sp.space_id FROM space_portals sp WHERE sp.portal_id = :portal)",
        );
    }
    // The limit is written into the SQL, not bound: SQLite re-prepares a statement
    // whose bound LIMIT changes, which made every listing parse its SQL again.
    let sql = format!(
        "SELECT {COLUMNS} FROM spaces s WHERE {}{cond} ORDER BY s.name COLLATE NOCASE, s.id LIMIT {limit}",
        filter.sql
    );
    let mut params = filter.named();
    if let Some(q) = &like {
        params.push((":q", q));
    }
    if let Some(p) = &narrow.portal {
        params.push((":portal", p));
    }
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), from_row)?.collect()
}

/// External organizations already in a space: as members, or through their
/// people who are members.
pub fn external_orgs_in(c: &Connection, space_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT o.id FROM organizations o WHERE o.kind <> 'host' AND o.id IN (
             SELECT m.org_id FROM space_members m WHERE m.space_id = ?1 AND m.org_id IS NOT NULL
             UNION SELECT p.org_id FROM space_members m JOIN people p ON p.id = m.person_id
              WHERE m.space_id = ?1)
         ORDER BY o.id",
    )?;
    st.query_map([space_id], |r| r.get(0))?.collect()
}

/// Names of the spaces a person was made a member of directly, by name.
pub fn names_of_direct_memberships(
    c: &Connection,
    person_id: i64,
) -> rusqlite::Result<Vec<String>> {
    let mut st = c.prepare_cached(
        "SELECT s.name FROM space_members sm JOIN spaces s ON s.id = sm.space_id
         WHERE sm.person_id = ?1 ORDER BY s.name",
    )?;
    st.query_map([person_id], |r| r.get(0))?.collect()
}

/// One space, whoever asks: callers check access first.
pub fn by_id(c: &Connection, id: i64) -> rusqlite::Result<Option<Space>> {
    c.prepare_cached(&format!("SELECT {COLUMNS} FROM spaces s WHERE s.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub use super::model::MemberRow;

pub fn members(c: &Connection, space_id: i64) -> rusqlite::Result<Vec<MemberRow>> {
    let mut st = c.prepare_cached(
        "SELECT CASE WHEN m.person_id IS NOT NULL THEN 'person' WHEN m.group_id IS NOT NULL THEN 'group' ELSE 'organization' END,
                COALESCE(m.person_id, m.group_id, m.org_id),
                COALESCE(p.display_name, g.name, o.name),
                m.role,
                COALESCE(o.kind = 'host', 0),
                COALESCE(p.email, g.slug, o.slug),
                m.added_at
         FROM space_members m
         LEFT JOIN people p ON p.id = m.person_id
         LEFT JOIN groups g ON g.id = m.group_id
         LEFT JOIN organizations o ON o.id = m.org_id
         WHERE m.space_id = ?1
         ORDER BY CASE m.role WHEN 'manager' THEN 0 WHEN 'contributor' THEN 1 ELSE 2 END,
                  3 COLLATE NOCASE",
    )?;
    st.query_map([space_id], |r| {
        let kind: String = r.get(0)?;
        Ok(MemberRow {
            kind: match kind.as_str() {
                "person" => "person",
                "group" => "group",
                _ => "organization",
            },
            id: r.get(1)?,
            name: r.get(2)?,
            role: r.get(3)?,
            is_host: r.get(4)?,
            key: r.get(5)?,
            added_at: r.get(6)?,
        })
    })?
    .collect()
}

pub fn page(
    c: &Connection,
    filter: &SqlFilter,
    after: i64,
    limit: u32,
) -> rusqlite::Result<Vec<Space>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM spaces s WHERE s.id > :after AND {} ORDER BY s.id LIMIT {limit}",
        filter.sql
    );
    let mut params = filter.named();
    params.push((":after", &after));
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), from_row)?.collect()
}

/// What `update` writes.
pub struct Fields<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub description_fr: &'a str,
    pub visibility: Visibility,
}

pub fn update(c: &Connection, id: i64, f: &Fields<'_>, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE spaces SET name = ?2, description = ?3, description_fr = ?4, visibility = ?5,
                updated_at = ?6 WHERE id = ?1",
        params![
            id,
            f.name,
            f.description,
            f.description_fr,
            f.visibility.as_str(),
            now
        ],
    )
}

pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM spaces WHERE id = ?1", [id])
}
