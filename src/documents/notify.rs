//! Whom a document's changes concern: who made it, when someone else adds
//! a version of it.

use crate::content::{Happened, Notify, Reason, Topic};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

pub const NEW_VERSION: Notify = Notify {
    reasons: &[Reason {
        name: "document-new-version",
        topic: Topic::Documents,
    }],
    who: new_version,
    reply: None,
};

fn new_version(c: &Connection, h: &Happened) -> Result<Vec<(i64, &'static str)>> {
    if h.action != "document.version" {
        return Ok(Vec::new());
    }
    let author: Option<Option<i64>> = c
        .prepare_cached("SELECT created_by FROM documents WHERE id = ?1")?
        .query_row([h.target_id], |r| r.get(0))
        .optional()?;
    Ok(author
        .flatten()
        .map(|p| vec![(p, "document-new-version")])
        .unwrap_or_default())
}
