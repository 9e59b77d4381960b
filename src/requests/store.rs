//! SQL for requests, their timelines and watchers.

use super::sla::Sla;
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

/// A request as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: i64,
    pub type_id: i64,
    pub type_version: i64,
    pub space_id: i64,
    pub number: String,
    pub title: String,
    pub status: String,
    pub is_open: bool,
    pub priority: String,
    pub requester_id: Option<i64>,
    pub org_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub fields: Map<String, Value>,
    /// The values of internal fields: agents alone see them.
    pub internal_fields: Map<String, Value>,
    pub external_id: Option<String>,
    pub version: i64,
    pub internal_version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub sla: Sla,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
}

impl Row {
    /// The values of its public fields, or of its internal ones.
    pub fn values(&self, internal: bool) -> &Map<String, Value> {
        if internal {
            &self.internal_fields
        } else {
            &self.fields
        }
    }

    pub fn values_mut(&mut self, internal: bool) -> &mut Map<String, Value> {
        if internal {
            &mut self.internal_fields
        } else {
            &mut self.fields
        }
    }
}

pub const COLUMNS: &str = "r.id, r.type_id, r.type_version, r.space_id, r.number, r.title,
    r.status, r.is_open, r.priority, r.requester_id, r.org_id, r.assignee_id, r.fields,
    r.external_id, r.version, r.created_at, r.updated_at, r.closed_at, r.respond_due_at,
    r.responded_at, r.resolve_due_at, r.clock_used_ms, r.clock_since, r.respond_late,
    r.resolve_late, r.rating, r.rating_comment, r.internal_version, r.internal_fields";

pub fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let fields: String = r.get(12)?;
    Ok(Row {
        id: r.get(0)?,
        type_id: r.get(1)?,
        type_version: r.get(2)?,
        space_id: r.get(3)?,
        number: r.get(4)?,
        title: r.get(5)?,
        status: r.get(6)?,
        is_open: r.get(7)?,
        priority: r.get(8)?,
        requester_id: r.get(9)?,
        org_id: r.get(10)?,
        assignee_id: r.get(11)?,
        // The column is checked JSON, written from a map: anything else
        // would be damage, shown as no values rather than a failure.
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        external_id: r.get(13)?,
        version: r.get(14)?,
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
        closed_at: r.get(17)?,
        sla: Sla {
            respond_due_at: r.get(18)?,
            responded_at: r.get(19)?,
            resolve_due_at: r.get(20)?,
            clock_used_ms: r.get(21)?,
            clock_since: r.get(22)?,
            respond_late: r.get(23)?,
            resolve_late: r.get(24)?,
        },
        rating: r.get(25)?,
        rating_comment: r.get(26)?,
        internal_version: r.get(27)?,
        internal_fields: serde_json::from_str(&r.get::<_, String>(28)?).unwrap_or_default(),
    })
}

pub fn get(c: &Connection, id: i64) -> Result<Option<Row>> {
    Ok(
        c.prepare_cached(&format!("SELECT {COLUMNS} FROM requests r WHERE r.id = ?1"))?
            .query_row([id], row)
            .optional()?,
    )
}

pub fn by_external_id(c: &Connection, type_id: i64, external: &str) -> Result<Option<Row>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM requests r WHERE r.type_id = ?1 AND r.external_id = ?2"
    ))?
    .query_row(params![type_id, external], row)
    .optional()?)
}

fn json(v: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

/// The next number of a type in a year: `SUP-2026-00042`.
pub fn next_number(c: &Connection, type_id: i64, prefix: &str, year: i16) -> Result<String> {
    let n: i64 = c
        .prepare_cached(
            "INSERT INTO request_counters (type_id, year, last) VALUES (?1, ?2, 1)
             ON CONFLICT (type_id, year) DO UPDATE SET last = last + 1
             RETURNING last",
        )?
        .query_row(params![type_id, year], |r| r.get(0))?;
    Ok(format!("{prefix}-{year}-{n:05}"))
}

/// Keeps a new request (its id is given back; `r.id` is ignored).
pub fn insert(c: &Connection, r: &Row) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO requests (type_id, type_version, space_id, number, title, status, is_open,
            priority, requester_id, org_id, assignee_id, fields, external_id, version,
            created_at, updated_at, closed_at, respond_due_at, responded_at, resolve_due_at,
            clock_used_ms, clock_since, respond_late, resolve_late, internal_fields)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, ?14, ?14, ?15,
                 ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
    )?
    .execute(params![
        r.type_id,
        r.type_version,
        r.space_id,
        r.number,
        r.title,
        r.status,
        r.is_open,
        r.priority,
        r.requester_id,
        r.org_id,
        r.assignee_id,
        json(&r.fields)?,
        r.external_id,
        r.created_at,
        r.closed_at,
        r.sla.respond_due_at,
        r.sla.responded_at,
        r.sla.resolve_due_at,
        r.sla.clock_used_ms,
        r.sla.clock_since,
        r.sla.respond_late,
        r.sla.resolve_late,
        json(&r.internal_fields)?,
    ])?;
    Ok(c.last_insert_rowid())
}

/// Which sides of a request a change touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Touched {
    pub public: bool,
    pub internal: bool,
}

/// Writes what may change of `r`, if each side the change touches is still
/// at the version `r` carries; those versions go up by one. A request
/// changed meanwhile is a conflict.
pub fn save(c: &Connection, r: &Row, t: Touched) -> Result<()> {
    let n = c
        .prepare_cached(
            "UPDATE requests SET title = ?3, status = ?4, is_open = ?5, priority = ?6,
                assignee_id = ?7, fields = ?8, updated_at = ?9, closed_at = ?10,
                respond_due_at = ?11, responded_at = ?12, resolve_due_at = ?13,
                clock_used_ms = ?14, clock_since = ?15, respond_late = ?16, resolve_late = ?17,
                rating = ?18, rating_comment = ?19, internal_fields = ?23,
                version = version + ?21, internal_version = internal_version + ?22
             WHERE id = ?1 AND (NOT ?21 OR version = ?2) AND (NOT ?22 OR internal_version = ?20)",
        )?
        .execute(params![
            r.id,
            r.version,
            r.title,
            r.status,
            r.is_open,
            r.priority,
            r.assignee_id,
            json(&r.fields)?,
            r.updated_at,
            r.closed_at,
            r.sla.respond_due_at,
            r.sla.responded_at,
            r.sla.resolve_due_at,
            r.sla.clock_used_ms,
            r.sla.clock_since,
            r.sla.respond_late,
            r.sla.resolve_late,
            r.rating,
            r.rating_comment,
            r.internal_version,
            t.public,
            t.internal,
            json(&r.internal_fields)?,
        ])?;
    if n == 1 {
        Ok(())
    } else {
        Err(Error::Conflict("request-changed"))
    }
}

/// One entry of a timeline, public or internal.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub actor: Option<i64>,
    pub what: String,
    pub body: String,
    pub detail: Value,
    pub by_mail: bool,
    /// From the internal timeline (agents alone read it).
    pub internal: bool,
}

/// What a timeline entry says: a change (`detail`) or words (`body`).
#[derive(Debug, Clone, Copy)]
pub struct Said<'a> {
    pub what: &'a str,
    pub body: &'a str,
    pub detail: &'a Value,
    pub by_mail: bool,
}

impl<'a> Said<'a> {
    pub fn change(what: &'a str, detail: &'a Value) -> Said<'a> {
        Said {
            what,
            body: "",
            detail,
            by_mail: false,
        }
    }

    pub fn words(what: &'a str, body: &'a str) -> Said<'a> {
        Said {
            what,
            body,
            detail: &Value::Null,
            by_mail: false,
        }
    }
}

/// Adds to the public timeline; its id back.
pub fn add_event(
    c: &Connection,
    request: i64,
    at: i64,
    actor: Option<i64>,
    said: Said<'_>,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO request_events (request_id, at, actor_id, what, body, detail, by_mail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        request,
        at,
        actor,
        said.what,
        said.body,
        json(said.detail)?,
        said.by_mail
    ])?;
    Ok(c.last_insert_rowid())
}

/// Adds to the internal timeline; its id back.
pub fn add_note(
    c: &Connection,
    request: i64,
    at: i64,
    actor: Option<i64>,
    said: Said<'_>,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO request_notes (request_id, at, actor_id, what, body, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        request,
        at,
        actor,
        said.what,
        said.body,
        json(said.detail)?
    ])?;
    Ok(c.last_insert_rowid())
}

fn entries(c: &Connection, sql: &str, request: i64, internal: bool) -> Result<Vec<Entry>> {
    let found = c
        .prepare_cached(sql)?
        .query_map([request], |r| {
            let detail: String = r.get(5)?;
            Ok(Entry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                what: r.get(3)?,
                body: r.get(4)?,
                detail: serde_json::from_str(&detail).unwrap_or(Value::Null),
                by_mail: r.get(6)?,
                internal,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found)
}

/// The public timeline, oldest first.
pub fn events(c: &Connection, request: i64) -> Result<Vec<Entry>> {
    entries(
        c,
        "SELECT id, at, actor_id, what, body, detail, by_mail FROM request_events
         WHERE request_id = ?1 ORDER BY id",
        request,
        false,
    )
}

/// The internal timeline, oldest first.
pub fn notes(c: &Connection, request: i64) -> Result<Vec<Entry>> {
    entries(
        c,
        "SELECT id, at, actor_id, what, body, detail, 0 FROM request_notes
         WHERE request_id = ?1 ORDER BY id",
        request,
        true,
    )
}

/// The request a note belongs to.
pub fn note_request(c: &Connection, note: i64) -> Result<Option<i64>> {
    Ok(
        c.prepare_cached("SELECT request_id FROM request_notes WHERE id = ?1")?
            .query_row([note], |r| r.get(0))
            .optional()?,
    )
}

pub fn watch(c: &Connection, request: i64, person: i64, on: bool) -> Result<()> {
    let sql = if on {
        "INSERT OR IGNORE INTO request_watchers (request_id, person_id) VALUES (?1, ?2)"
    } else {
        "DELETE FROM request_watchers WHERE request_id = ?1 AND person_id = ?2"
    };
    c.prepare_cached(sql)?.execute([request, person])?;
    Ok(())
}

pub fn watchers(c: &Connection, request: i64) -> Result<Vec<i64>> {
    Ok(
        c.prepare_cached("SELECT person_id FROM request_watchers WHERE request_id = ?1")?
            .query_map([request], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    )
}
