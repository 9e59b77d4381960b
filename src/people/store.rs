//! SQL for people. Only services call this.

use super::model::{Credentials, Person, PersonStatus};
use crate::access::SqlFilter;
use crate::service::Locale;
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "p.id, p.email, p.display_name, p.title, p.department, p.phone, p.locale, \
     p.is_admin, p.status, p.expires_at, o.id, o.slug, o.name, o.kind, p.created_at, \
     p.skills, p.sponsor_id, (SELECT sp.display_name FROM people sp WHERE sp.id = p.sponsor_id), \
     p.password_hash IS NULL AND p.invited_at IS NOT NULL, p.portal_id, \
     (SELECT ph.etag FROM person_photos ph WHERE ph.person_id = p.id), p.erased_at IS NOT NULL, \
     p.time_zone";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        email: r.get(1)?,
        display_name: r.get(2)?,
        title: r.get(3)?,
        department: r.get(4)?,
        phone: r.get(5)?,
        locale: r.get(6)?,
        is_admin: r.get(7)?,
        status: r.get(8)?,
        expires_at: r.get(9)?,
        org_id: r.get(10)?,
        org_slug: r.get(11)?,
        org_name: r.get(12)?,
        org_kind: r.get(13)?,
        created_at: r.get(14)?,
        skills: r.get(15)?,
        sponsor_id: r.get(16)?,
        sponsor_name: r.get(17)?,
        invitation_pending: r.get(18)?,
        portal_id: r.get(19)?,
        photo_etag: r.get(20)?,
        erased: r.get(21)?,
        time_zone: r.get(22)?,
    })
}

pub struct NewRow<'a> {
    pub org_id: i64,
    pub email: &'a str,
    pub display_name: &'a str,
    pub title: &'a str,
    pub department: &'a str,
    pub phone: &'a str,
    pub locale: Option<Locale>,
    pub is_admin: bool,
    pub password_hash: Option<&'a str>,
    pub password_must_change: bool,
    pub expires_at: Option<i64>,
}

pub fn insert(c: &Connection, row: &NewRow<'_>, now: i64) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO people (org_id, email, display_name, title, department, phone, locale, is_admin,
                             password_hash, password_must_change, expires_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            row.org_id, row.email, row.display_name, row.title, row.department, row.phone,
            row.locale, row.is_admin, row.password_hash, row.password_must_change, row.expires_at, now
        ],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn by_id(c: &Connection, id: i64, filter: &SqlFilter) -> rusqlite::Result<Option<Person>> {
    let cond = filter.sql.as_str();
    let sql = format!(
        "SELECT {COLUMNS} FROM people p JOIN organizations o ON o.id = p.org_id WHERE p.id = :id AND {cond}"
    );
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":id", &id)];
    params.extend(filter.named());
    c.prepare_cached(&sql)?
        .query_row(params.as_slice(), from_row)
        .optional()
}

pub fn by_email(c: &Connection, email: &str) -> rusqlite::Result<Option<Person>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM people p JOIN organizations o ON o.id = p.org_id WHERE p.email = ?1"),
        [email],
        from_row,
    )
    .optional()
}

/// What a directory search looks at.
const SEARCH_COND: &str = "AND (p.display_name LIKE :q ESCAPE '\\' OR p.email LIKE :q ESCAPE '\\' \
      OR p.title LIKE :q ESCAPE '\\' OR p.department LIKE :q ESCAPE '\\' OR p.skills LIKE :q ESCAPE '\\')";

/// People visible through `filter`, ordered by name; `search` matches name,
/// e-mail, title, department and skills.
pub fn list(
    c: &Connection,
    filter: &SqlFilter,
    search: Option<&str>,
    limit: u32,
) -> rusqlite::Result<Vec<Person>> {
    let cond = filter.sql.as_str();
    let like = search.map(|s| format!("%{}%", escape_like(s)));
    let search_cond = if like.is_some() { SEARCH_COND } else { "" };
    let sql = format!(
        "SELECT {COLUMNS} FROM people p JOIN organizations o ON o.id = p.org_id
         WHERE {cond} {search_cond} ORDER BY p.display_name COLLATE NOCASE, p.id LIMIT {limit}"
    );
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = filter.named();
    if let Some(q) = &like {
        params.push((":q", q));
    }
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), from_row)?.collect()
}

pub fn count(c: &Connection, filter: &SqlFilter) -> rusqlite::Result<i64> {
    let cond = filter.sql.as_str();
    let params = filter.named();
    c.prepare_cached(&format!(
        "SELECT COUNT(*) FROM people p WHERE p.status = 'active' AND {cond}"
    ))?
    .query_row(params.as_slice(), |r| r.get(0))
}

fn credentials_row(r: &Row<'_>) -> rusqlite::Result<Credentials> {
    Ok(Credentials {
        person_id: r.get(0)?,
        password_hash: r.get(1)?,
        status: r.get(2)?,
        expires_at: r.get(3)?,
    })
}

pub fn credentials(c: &Connection, email: &str) -> rusqlite::Result<Option<Credentials>> {
    c.query_row(
        "SELECT id, password_hash, status, expires_at FROM people WHERE email = ?1",
        [email],
        credentials_row,
    )
    .optional()
}

pub fn credentials_by_id(c: &Connection, id: i64) -> rusqlite::Result<Option<Credentials>> {
    c.query_row(
        "SELECT id, password_hash, status, expires_at FROM people WHERE id = ?1",
        [id],
        credentials_row,
    )
    .optional()
}

/// Records that a session was just opened for the person.
pub fn record_signin(c: &Connection, id: i64, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE people SET last_signin_at = ?2 WHERE id = ?1",
        params![id, now],
    )
}

pub fn password_hash(c: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT password_hash FROM people WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

pub fn set_status(
    c: &Connection,
    id: i64,
    status: PersonStatus,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE people SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), now],
    )
}

pub fn set_password(
    c: &Connection,
    id: i64,
    hash: &str,
    must_change: bool,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE people SET password_hash = ?2, password_must_change = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, hash, must_change, now],
    )
}

pub fn set_locale(c: &Connection, id: i64, locale: Locale, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE people SET locale = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, locale, now],
    )
}

pub fn count_admins(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT COUNT(*) FROM people WHERE is_admin = 1 AND status = 'active'",
        [],
        |r| r.get(0),
    )
}

/// `%`, `_` and `\` typed by a person are literal characters.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One page by id, for the API.
pub fn page(
    c: &Connection,
    filter: &SqlFilter,
    search: Option<&str>,
    after: i64,
    limit: u32,
) -> rusqlite::Result<Vec<Person>> {
    let cond = filter.sql.as_str();
    let like = search.map(|s| format!("%{}%", escape_like(s)));
    let search_cond = if like.is_some() { SEARCH_COND } else { "" };
    let sql = format!(
        "SELECT {COLUMNS} FROM people p JOIN organizations o ON o.id = p.org_id
         WHERE p.id > :after AND {cond} {search_cond} ORDER BY p.id LIMIT {limit}"
    );
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":after", &after)];
    params.extend(filter.named());
    if let Some(q) = &like {
        params.push((":q", q));
    }
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), from_row)?.collect()
}

/// The profile fields a person (or an administrator) may change.
pub struct Profile<'a> {
    pub display_name: &'a str,
    pub title: &'a str,
    pub department: &'a str,
    pub phone: &'a str,
    pub skills: &'a str,
    pub locale: Option<Locale>,
    pub time_zone: Option<&'a str>,
}

pub fn update_profile(
    c: &Connection,
    id: i64,
    p: &Profile<'_>,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE people SET display_name = ?2, title = ?3, department = ?4, phone = ?5, skills = ?6,
                locale = ?7, updated_at = ?8, time_zone = ?9 WHERE id = ?1",
        params![
            id,
            p.display_name,
            p.title,
            p.department,
            p.phone,
            p.skills,
            p.locale,
            now,
            p.time_zone
        ],
    )
}

pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM people WHERE id = ?1", [id])
}

pub fn set_email(c: &Connection, id: i64, email: &str, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE people SET email = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, email, now],
    )
}

pub fn set_photo(
    c: &Connection,
    id: i64,
    content_type: &str,
    data: &[u8],
    etag: &str,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO person_photos (person_id, content_type, data, etag, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (person_id) DO UPDATE SET content_type = excluded.content_type,
             data = excluded.data, etag = excluded.etag, updated_at = excluded.updated_at",
        params![id, content_type, data, etag, now],
    )?;
    Ok(())
}

pub fn remove_photo(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM person_photos WHERE person_id = ?1", [id])
}

pub fn photo(c: &Connection, id: i64) -> rusqlite::Result<Option<(String, Vec<u8>, String)>> {
    c.query_row(
        "SELECT content_type, data, etag FROM person_photos WHERE person_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

/// What the administration's list of people narrows by.
pub struct RosterQuery<'a> {
    /// Words of the name, e-mail, title, department or skills.
    pub search: Option<&'a str>,
    pub org_id: Option<i64>,
    /// An organization kind (`host` for the staff).
    pub kind: Option<&'a str>,
    /// Access ends after the first instant and no later than the second.
    pub ends_between: Option<(i64, i64)>,
}

/// One person with what administering them needs: when they last signed in
/// and which second factors they have.
pub struct RosterRow {
    pub person: Person,
    pub last_signin_at: Option<i64>,
    pub totp: bool,
    pub passkeys: i64,
}

/// Every person matching `q`, by name (administrators see everyone).
pub fn roster(c: &Connection, q: &RosterQuery<'_>, limit: u32) -> rusqlite::Result<Vec<RosterRow>> {
    let like = q.search.map(|s| format!("%{}%", escape_like(s)));
    let mut cond = String::new();
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    if let Some(like) = &like {
        cond.push_str(SEARCH_COND);
        params.push((":q", like));
    }
    if let Some(org) = &q.org_id {
        cond.push_str(" AND p.org_id = :org");
        params.push((":org", org));
    }
    if let Some(kind) = &q.kind {
        cond.push_str(" AND o.kind = :kind");
        params.push((":kind", kind));
    }
    if let Some((after, until)) = &q.ends_between {
        cond.push_str(" AND p.expires_at > :after AND p.expires_at <= :until");
        params.push((":after", after));
        params.push((":until", until));
    }
    let sql = format!(
        "SELECT {COLUMNS}, p.last_signin_at,
                EXISTS (SELECT 1 FROM mfa_totp t WHERE t.person_id = p.id AND t.confirmed_at IS NOT NULL),
                (SELECT COUNT(*) FROM webauthn_credentials w WHERE w.person_id = p.id)
         FROM people p JOIN organizations o ON o.id = p.org_id
         WHERE 1 {cond} ORDER BY p.display_name COLLATE NOCASE, p.id LIMIT {limit}"
    );
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), |r| {
        Ok(RosterRow {
            person: from_row(r)?,
            last_signin_at: r.get(23)?,
            totp: r.get(24)?,
            passkeys: r.get(25)?,
        })
    })?
    .collect()
}
