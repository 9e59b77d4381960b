//! Files sent with requests: streamed to the blob store as a document's
//! content is, then kept in the transaction of the entry that brought them
//! (a reply, an internal note, a field's value) and seen as that entry is:
//! a public file by whoever sees the request, an internal one by its agents
//! alone. A file sent ahead of a filing (a file field's value) waits, seen
//! by its sender alone, and goes if no request takes it within a day.

use super::fields::FieldKind;
use super::types::Definition;
use crate::access::requests::require_request;
use crate::access::{Actor, Principal};
use crate::blobs::{BlobStore, Stored};
use crate::db::Db;
use crate::documents::model::FileName;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// At most this many files in one reply or note.
pub const MAX_FILES: usize = 10;

/// A waiting file no filing took is swept after this long.
pub const WAITING_FOR_MS: i64 = 24 * 3600 * 1000;

/// A file as its readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct RequestFile {
    pub id: i64,
    /// Its request; none while it waits for one.
    pub request: Option<i64>,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    /// Agents alone see it.
    pub internal: bool,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: i64,
    #[serde(skip)]
    pub blob_hash: String,
    #[serde(skip)]
    pub space_id: i64,
}

/// A file received and stored, not yet kept by any row.
pub struct Incoming {
    pub name: FileName,
    pub content_type: &'static str,
    pub stored: Stored,
}

const COLUMNS: &str = "id, request_id, name, content_type, size, internal, uploaded_by, uploaded_at, blob_hash, space_id";

fn file_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestFile> {
    Ok(RequestFile {
        id: r.get(0)?,
        request: r.get(1)?,
        name: r.get(2)?,
        content_type: r.get(3)?,
        size: r.get(4)?,
        internal: r.get(5)?,
        uploaded_by: r.get(6)?,
        uploaded_at: r.get(7)?,
        blob_hash: r.get(8)?,
        space_id: r.get(9)?,
    })
}

/// Keeps received files in `space` (for `request`, or waiting for one):
/// their contents stored, the space's quota checked. Returns them, and the
/// detail a timeline entry carries to name them.
#[allow(clippy::too_many_arguments)]
pub fn keep(
    tx: &Connection,
    blobs: &BlobStore,
    space: i64,
    request: Option<i64>,
    internal: bool,
    by: Option<i64>,
    files: &[Incoming],
    quota: u64,
) -> Result<(Vec<RequestFile>, Value)> {
    let adding: u64 = files.iter().map(|f| f.stored.size).sum();
    crate::documents::service::check_quota(tx, space, adding, quota)?;
    let now = now_ms();
    let mut kept = Vec::with_capacity(files.len());
    for f in files {
        // The collector removes orphans inside this same writer: content
        // it took an instant ago must be sent again.
        if !blobs
            .keep(tx, &f.stored)
            .map_err(crate::documents::service::blob_error)?
        {
            return Err(Error::invalid("file", "upload-interrupted"));
        }
        tx.prepare_cached(
            "INSERT INTO request_files (request_id, space_id, name, content_type, size,
                                        blob_hash, internal, uploaded_by, uploaded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            request,
            space,
            f.name.as_str(),
            f.content_type,
            f.stored.size as i64,
            f.stored.hash,
            internal,
            by,
            now
        ])?;
        kept.push(RequestFile {
            id: tx.last_insert_rowid(),
            request,
            name: f.name.as_str().to_string(),
            content_type: f.content_type.to_string(),
            size: f.stored.size as i64,
            internal,
            uploaded_by: by,
            uploaded_at: now,
            blob_hash: f.stored.hash.clone(),
            space_id: space,
        });
    }
    let named: Vec<Value> = kept
        .iter()
        .map(|f| json!({"id": f.id, "name": f.name, "size": f.size}))
        .collect();
    Ok((kept, json!({ "files": named })))
}

/// The files of a request one may see: public ones, and internal ones for
/// its agents (not when asked as the customer).
pub fn of_request(c: &Connection, request: i64, internal: bool) -> Result<Vec<RequestFile>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM request_files
             WHERE request_id = ?1 AND (internal = 0 OR ?2) ORDER BY id"
    ))?
    .query_map(params![request, internal], file_row)?
    .collect::<rusqlite::Result<_>>()?)
}

/// The files of request `id` the actor sees.
pub async fn list(db: &Db, actor: &Actor, id: i64) -> Result<Vec<RequestFile>> {
    let actor = *actor;
    db.read(move |c| {
        let (_, s) = require_request(c, &actor, id)?;
        of_request(c, id, s.agent)
    })
    .await
}

/// File `file` of request `id`, when the actor sees it: any other is not
/// found, as one that does not exist.
pub async fn for_download(db: &Db, actor: &Actor, id: i64, file: i64) -> Result<RequestFile> {
    let actor = *actor;
    db.read(move |c| {
        let (_, s) = require_request(c, &actor, id)?;
        c.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM request_files
             WHERE id = ?1 AND request_id = ?2 AND (internal = 0 OR ?3)"
        ))?
        .query_row(params![file, id, s.agent], file_row)
        .optional()?
        .ok_or(Error::NotFound)
    })
    .await
}

/// Where files sent to request `id` by the actor would go: its space, and
/// whether they may be internal (its agents').
pub async fn destination(db: &Db, actor: &Actor, id: i64, internal: bool) -> Result<i64> {
    let actor = *actor;
    db.read(move |c| {
        let (f, s) = require_request(c, &actor, id)?;
        if internal && !s.agent {
            return Err(Error::Forbidden);
        }
        Ok(f.space_id)
    })
    .await
}

/// Keeps a file sent ahead of a filing in `space` (whoever reads it), for
/// a file field of the request they are about to file.
pub async fn send_waiting(
    db: &Db,
    blobs: &BlobStore,
    actor: &Actor,
    space: i64,
    file: Incoming,
    quota: u64,
) -> Result<RequestFile> {
    let actor = *actor;
    let blobs = blobs.clone();
    db.write(move |tx| {
        crate::access::require_space(tx, &actor, space, crate::access::SpaceAction::Read)?;
        let by = actor.principal().map(|p| p.person_id);
        let (mut kept, _) = keep(tx, &blobs, space, None, false, by, &[file], quota)?;
        kept.pop()
            .ok_or_else(|| Error::Internal("no file kept".into()))
    })
    .await
}

/// Whether `p` may name file `id` in a field of a request in `space`
/// (`request`: the one being changed; none: one being filed): a public
/// file of that request, or one they sent to that space that waits.
pub fn usable(
    c: &Connection,
    p: &Principal,
    id: i64,
    space: i64,
    request: Option<i64>,
) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT 1 FROM request_files WHERE id = ?1 AND space_id = ?4 AND internal = 0
           AND ((request_id IS NULL AND uploaded_by = ?2) OR request_id = ?3)",
    )?
    .query_row(params![id, p.person_id, request, space], |_| Ok(()))
    .optional()?
    .is_some())
}

/// Binds the waiting files a request's fields name to it; one named in an
/// internal field becomes internal.
pub fn attach_waiting(
    c: &Connection,
    request: i64,
    person: i64,
    values: &Map<String, Value>,
    def: &Definition,
) -> Result<()> {
    for f in &def.fields {
        if let (FieldKind::File {}, Some(id)) =
            (&f.kind, values.get(&f.key).and_then(Value::as_i64))
        {
            c.prepare_cached(
                "UPDATE request_files SET request_id = ?1, internal = ?4
                 WHERE id = ?2 AND request_id IS NULL AND uploaded_by = ?3",
            )?
            .execute(params![request, id, person, f.internal])?;
        }
    }
    Ok(())
}

/// Removes waiting files no filing took before `before`; their contents
/// go to the collector. How many.
pub fn sweep_waiting(c: &Connection, before: i64) -> Result<usize> {
    let hashes: Vec<String> = c
        .prepare_cached(
            "DELETE FROM request_files WHERE request_id IS NULL AND uploaded_at < ?1
             RETURNING blob_hash",
        )?
        .query_map([before], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let now = now_ms();
    for h in &hashes {
        crate::blobs::gc::note_orphan(c, h, now)?;
    }
    Ok(hashes.len())
}

/// Files arriving with a reply or a note, and where they are kept.
pub struct Batch {
    pub blobs: BlobStore,
    /// The space quota when the space sets none.
    pub quota: u64,
    pub files: Vec<Incoming>,
}

impl Batch {
    pub fn is_empty(b: &Option<Batch>) -> bool {
        b.as_ref().is_none_or(|b| b.files.is_empty())
    }

    /// Keeps the files for request `id` in `space`; the detail naming them.
    pub fn keep(
        &self,
        tx: &Connection,
        space: i64,
        id: i64,
        internal: bool,
        by: Option<i64>,
    ) -> Result<(Vec<RequestFile>, Value)> {
        if self.files.len() > MAX_FILES {
            return Err(Error::invalid("file", "request-too-many-files"));
        }
        keep(
            tx,
            &self.blobs,
            space,
            Some(id),
            internal,
            by,
            &self.files,
            self.quota,
        )
    }
}

/// Whether the actor may send a waiting file to `space` (whoever reads it),
/// asked before a byte is stored.
pub async fn may_send_waiting(db: &Db, actor: &Actor, space: i64) -> Result<()> {
    let actor = *actor;
    db.read(move |c| {
        crate::access::require_space(c, &actor, space, crate::access::SpaceAction::Read)?;
        Ok(())
    })
    .await
}

/// The name of waiting file `id`, when the actor sent it (a form shown
/// again names what it already holds); none for anyone else's.
pub async fn waiting_name(db: &Db, actor: &Actor, id: i64) -> Result<Option<String>> {
    let Some(p) = actor.principal() else {
        return Ok(None);
    };
    let me = p.person_id;
    db.read(move |c| {
        Ok(c.prepare_cached(
            "SELECT name FROM request_files
             WHERE id = ?1 AND request_id IS NULL AND uploaded_by = ?2",
        )?
        .query_row([id, me], |r| r.get(0))
        .optional()?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::sweep_waiting;

    /// A file no filing took goes after its day, and its content is left
    /// to the collector; one a request took, or a recent one, stays.
    #[test]
    fn waiting_files_go_after_their_day() {
        let (_dir, c) = crate::content::tests::schema();
        c.execute_batch(
            "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
               VALUES (1, 's', 'S', 'members', 0, 0);
             INSERT INTO request_files (id, request_id, space_id, name, content_type, size,
                                        blob_hash, uploaded_at)
               VALUES (1, NULL, 1, 'old.pdf', 'application/pdf', 3, 'aa', 100),
                      (2, NULL, 1, 'new.pdf', 'application/pdf', 3, 'bb', 5000);",
        )
        .unwrap();
        assert_eq!(sweep_waiting(&c, 1000).unwrap(), 1);
        let left: Vec<i64> = c
            .prepare("SELECT id FROM request_files ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(left, [2]);
        let orphans: i64 = c
            .query_row(
                "SELECT count(*) FROM blob_orphans WHERE hash = 'aa'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphans, 1);
        assert_eq!(sweep_waiting(&c, 1000).unwrap(), 0);
    }
}
