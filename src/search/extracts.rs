//! SQL for `text_extracts`: the text of each stored content, extracted once.

use super::extract::Extract;
use rusqlite::{Connection, OptionalExtension, params};

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
