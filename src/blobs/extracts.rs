//! The text read out of each stored file, kept with the file (the
//! `text_extracts` table, keyed by its hash): read once, whatever refers to
//! it, and forgotten when the file is collected.

use rusqlite::{Connection, OptionalExtension, params};

/// What extraction gave: the text, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extract {
    Text(String),
    /// Not a format with text we read (images, archives…).
    NoText(String),
    /// A readable format that could not be read (damaged, too large, too slow).
    Failed(String),
}

pub fn get(c: &Connection, hash: &str) -> rusqlite::Result<Option<Extract>> {
    c.prepare_cached("SELECT status, reason, text FROM text_extracts WHERE blob_hash = ?1")?
        .query_row([hash], |r| {
            let status: String = r.get(0)?;
            Ok(match status.as_str() {
                "text" => Extract::Text(r.get(2)?),
                "none" => Extract::NoText(r.get(1)?),
                _ => Extract::Failed(r.get(1)?),
            })
        })
        .optional()
}

pub fn save(c: &Connection, hash: &str, e: &Extract, now: i64) -> rusqlite::Result<()> {
    let (status, reason, text) = match e {
        Extract::Text(t) => ("text", "", t.as_str()),
        Extract::NoText(r) => ("none", r.as_str(), ""),
        Extract::Failed(r) => ("failed", r.as_str(), ""),
    };
    c.execute(
        "INSERT OR REPLACE INTO text_extracts (blob_hash, status, reason, text, extracted_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, status, reason, text, now],
    )?;
    Ok(())
}

/// The content is gone: so is its text.
pub fn forget(c: &Connection, hash: &str) -> rusqlite::Result<()> {
    c.execute("DELETE FROM text_extracts WHERE blob_hash = ?1", [hash])?;
    Ok(())
}
