//! A flow's internal discussion: notes that people of the host
//! organization who read its file write and read, beside the decisions'
//! comments, which every reader of the file sees. Its external readers (a
//! supplier who submitted the file, a client approving it) never get a
//! note on any channel: notes are not search entries, are not told, stay
//! out of the signed record, and the API and pages answer them as if
//! there were none.

use super::events::Noted;
use super::store;
use crate::access::Actor;
use crate::content::events::record;
use crate::service::{Error, Result};
use rusqlite::{Connection, Transaction, params};

pub const MAX_NOTE: usize = 4_000;

/// A note as its readers see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Note {
    pub id: i64,
    pub flow: i64,
    /// Gone once its writer was erased (shown under the neutral name).
    pub author: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// The note's words as kept: line breaks as browsers send them made one,
/// trimmed; empty, too long or with control characters refused (said of
/// the request's `field`).
pub fn clean(body: &str, field: &'static str) -> Result<String> {
    let body = body.replace("\r\n", "\n");
    let body = body.trim();
    if body.is_empty()
        || body.chars().count() > MAX_NOTE
        || body.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(Error::invalid(field, "approval-note"));
    }
    Ok(body.to_string())
}

/// Allows flow `id`'s internal discussion to the actor: its file's folder
/// read by someone of the host organization.
fn require(c: &Connection, actor: &Actor, id: i64) -> Result<()> {
    let flow = store::flow(c, id)?.ok_or(Error::NotFound)?;
    let doc = super::subject::Subject::of_flow(c, &flow)?.ok_or(Error::NotFound)?;
    match doc.on {
        super::subject::On::Document(_) => {
            crate::access::require_internal_folder(c, actor, doc.space_id, doc.folder_id)?;
        }
        // A request's internal side is its agents'.
        super::subject::On::Request(r) => {
            crate::access::requests::require_agent(c, actor, r)?;
        }
    }
    Ok(())
}

/// Whether the actor takes part in flow `id`'s internal discussion.
pub fn allowed(c: &Connection, actor: &Actor, id: i64) -> Result<bool> {
    match require(c, actor, id) {
        Ok(()) => Ok(true),
        Err(Error::NotFound | Error::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Adds a note to flow `id`'s discussion, already cleaned (see `clean`),
/// audited without its words.
pub fn add_in(tx: &Transaction<'_>, actor: &Actor, id: i64, body: &str) -> Result<Note> {
    require(tx, actor, id)?;
    let author = actor.principal().map(|p| p.person_id);
    tx.prepare_cached(
        "INSERT INTO approval_notes (flow_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, author, body, crate::util::now_ms()])?;
    let note = tx.last_insert_rowid();
    record(tx, actor, &Noted { id, note })?;
    notes(tx, id)?
        .into_iter()
        .find(|n| n.id == note)
        .ok_or(Error::NotFound)
}

/// Flow `id`'s notes, oldest first, for those who take part in its discussion.
pub fn of_flow(c: &Connection, actor: &Actor, id: i64) -> Result<Vec<Note>> {
    require(c, actor, id)?;
    notes(c, id)
}

/// Flow `id`'s notes, oldest first, whoever asks: callers check first.
pub(super) fn notes(c: &Connection, id: i64) -> Result<Vec<Note>> {
    let mut st = c.prepare_cached(
        "SELECT n.id, n.flow_id, n.author_id, p.display_name, n.body, n.created_at
           FROM approval_notes n LEFT JOIN people p ON p.id = n.author_id
          WHERE n.flow_id = ?1 ORDER BY n.id",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(Note {
            id: r.get(0)?,
            flow: r.get(1)?,
            author: r.get(2)?,
            author_name: r.get(3)?,
            body: r.get(4)?,
            created_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
