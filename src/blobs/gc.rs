//! Collection of stored files nothing refers to any more. What refers to a
//! file is not known here: the caller says (every kind of content declares
//! its blob columns, `content::blob_referenced`), and says which caches
//! keyed by a file go with it (thumbnails, extracted text).

use super::{BlobError, BlobStore};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::{Connection, params};
use std::sync::Arc;

/// Whether anything still refers to a file.
pub type Referenced = Arc<dyn Fn(&Connection, &str) -> rusqlite::Result<bool> + Send + Sync>;

/// What the collector asks of the rest of the instance.
pub struct Hooks {
    /// Whether anything still refers to a file.
    pub referenced: Referenced,
    /// Forgets what the rest keeps about a file that goes (caches keyed by
    /// it; its extracted text is forgotten here).
    pub forget: fn(&Connection, &str, i64) -> rusqlite::Result<()>,
}

/// Notes a file as unreferenced from now (collected after the grace period
/// unless something refers to it again meanwhile).
pub fn note_orphan(c: &Connection, hash: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO blob_orphans (hash, since) VALUES (?1, ?2)",
        params![hash, now],
    )?;
    Ok(())
}

fn collectable(c: &Connection, before: i64) -> rusqlite::Result<Vec<String>> {
    c.prepare("SELECT hash FROM blob_orphans WHERE since < ?1")?
        .query_map([before], |r| r.get(0))?
        .collect()
}

fn forget_orphan(c: &Connection, hash: &str) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM blob_orphans WHERE hash = ?1", [hash])
}

fn blob_error(e: BlobError) -> Error {
    if e.is_storage_full() {
        Error::StorageFull
    } else {
        Error::Internal(e.to_string())
    }
}

/// Removes files nothing refers to, once they have been orphans for `grace`
/// (an upload of the same content may be about to refer to one again). Files
/// on disk that no row ever noted (a crash between the write and the commit)
/// are noted now and removed at a later pass. Returns how many were removed.
pub async fn collect(
    db: &Db,
    blobs: &BlobStore,
    grace: std::time::Duration,
    hooks: Hooks,
) -> Result<usize> {
    let on_disk = blobs.list().map_err(blob_error)?;
    let now = now_ms();
    let referenced = hooks.referenced.clone();
    db.write(move |tx| {
        let in_db = super::small::list(tx).map_err(blob_error)?;
        for hash in on_disk.iter().chain(&in_db) {
            if !referenced(tx, hash)? {
                note_orphan(tx, hash, now)?;
            }
        }
        Ok::<_, Error>(())
    })
    .await?;
    let before = now - grace.as_millis() as i64;
    let due = db
        .read(move |c| Ok::<_, Error>(collectable(c, before)?))
        .await?;
    let mut removed = 0;
    for hash in due {
        let blobs = blobs.clone();
        let (forget, referenced) = (hooks.forget, hooks.referenced.clone());
        // Checked again and forgotten in the writer, so an upload committing
        // the same content at this moment either comes first (and keeps the
        // file) or finds it gone and has written it anew.
        let gone = db
            .write(move |tx| {
                if referenced(tx, &hash)? {
                    forget_orphan(tx, &hash)?;
                    return Ok::<_, Error>(false);
                }
                let removed = blobs.remove(&hash).map_err(blob_error)?;
                let removed_row = super::small::remove(tx, &hash).map_err(blob_error)?;
                forget_orphan(tx, &hash)?;
                super::extracts::forget(tx, &hash)?;
                forget(tx, &hash, now_ms())?;
                Ok(removed || removed_row)
            })
            .await?;
        removed += usize::from(gone);
    }
    Ok(removed)
}
