//! Document rules: every read and write goes through `access` (space role and
//! folder restrictions). An upload streams into the blob store first (fsynced
//! and named by its hash), and only then is the database row committed, so an
//! acknowledged upload is durable and a crash leaves no half file visible.

use super::events::{self, LockChange};
use super::model::{Document, FileName, Folder, ReviewState, Version, sniff};
use super::store::{self, NewVersion};
use crate::access::{self, Actor, SpaceAction};
use crate::blobs::{BlobError, BlobStore, Stored};
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::service::{Error, Result};
use crate::spaces::Role;
use crate::util::now_ms;

/// What a library page shows.
pub struct Library {
    pub role: Role,
    pub folder: Option<Folder>,
    /// From the root down to the current folder's parent.
    pub breadcrumbs: Vec<Folder>,
    pub folders: Vec<Folder>,
    pub documents: Vec<Document>,
    /// The cursor of the next page, when there may be more.
    pub next: Option<(String, i64)>,
    /// The current folder and every folder below it (where it may not move).
    pub subtree_ids: Vec<i64>,
}

pub async fn library(
    db: &Db,
    actor: &Actor,
    space_id: i64,
    folder: Option<i64>,
    after: Option<(String, i64)>,
    state: Option<ReviewState>,
    limit: u32,
) -> Result<Library> {
    let actor = *actor;
    db.read(move |c| {
        let role = access::require_folder(c, &actor, space_id, folder, SpaceAction::Read)?;
        let current = match folder {
            Some(id) => Some(store::folder(c, id)?.ok_or(Error::NotFound)?),
            None => None,
        };
        let mut breadcrumbs = match &current {
            Some(f) => store::ancestry(c, f)?,
            None => Vec::new(),
        };
        breadcrumbs.pop();
        let filter = access::folders_filter_for(&actor, role, "f");
        let folders = if after.is_none() {
            store::subfolders(c, space_id, folder, &filter)?
        } else {
            Vec::new()
        };
        let documents = store::documents_page(
            c,
            space_id,
            folder,
            after.as_ref().map(|(n, i)| (n.as_str(), *i)),
            state,
            limit,
        )?;
        let next = (documents.len() as u32 >= limit)
            .then(|| documents.last().map(|d| (d.name.clone(), d.id)))
            .flatten();
        let subtree_ids = match &current {
            Some(f) => store::subtree_ids(c, f)?,
            None => Vec::new(),
        };
        Ok(Library {
            subtree_ids,
            role,
            folder: current,
            breadcrumbs,
            folders,
            documents,
            next,
        })
    })
    .await
}

pub async fn create_folder(
    db: &Db,
    actor: &Actor,
    space_id: i64,
    parent: Option<i64>,
    name: FileName,
) -> Result<Folder> {
    let actor = *actor;
    db.write(move |tx| {
        access::require_folder(tx, &actor, space_id, parent, SpaceAction::Contribute)?;
        let parent = match parent {
            Some(id) => Some(store::folder(tx, id)?.ok_or(Error::NotFound)?),
            None => None,
        };
        // One name, one thing: WebDAV clients see folders and files side by side.
        if store::document_by_name(tx, space_id, parent.as_ref().map(|p| p.id), name.as_str())?
            .is_some()
        {
            return Err(Error::Exists("document-exists"));
        }
        let now = now_ms();
        let by = actor.principal().map(|p| p.person_id);
        let id = match store::insert_folder(tx, space_id, parent.as_ref(), name.as_str(), by, now) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("folder-exists")),
            other => other?,
        };
        record(
            tx,
            &actor,
            &events::FolderCreated {
                id,
                space: space_id,
                name: name.as_str().to_string(),
                parent: parent.as_ref().map(|p| p.id),
            },
        )?;
        store::folder(tx, id)?.ok_or(Error::NotFound)
    })
    .await
}

/// Where an upload goes, checked before any byte is stored.
pub struct UploadTarget {
    pub space_id: i64,
    pub folder: Option<i64>,
    pub name: FileName,
    pub comment: String,
}

/// The user-facing meaning of a blob store failure.
pub fn blob_error(e: BlobError) -> Error {
    match e {
        BlobError::TooLarge { .. } => Error::TooLarge { field: "file" },
        BlobError::Interrupted(_) => Error::invalid("file", "upload-interrupted"),
        e if e.is_storage_full() => Error::StorageFull,
        other => Error::Internal(other.to_string()),
    }
}

/// Checks that the actor may write there and that the space has room for
/// `declared` more bytes (when the client said how many).
pub async fn check_upload(
    db: &Db,
    actor: &Actor,
    target: &UploadTarget,
    declared: Option<u64>,
    default_quota: u64,
) -> Result<()> {
    let (actor, space, folder) = (*actor, target.space_id, target.folder);
    let name = target.name.clone();
    db.read(move |c| {
        access::require_folder(c, &actor, space, folder, SpaceAction::Contribute)?;
        if store::folder_by_name(c, space, folder, name.as_str())?.is_some() {
            return Err(Error::Exists("folder-exists"));
        }
        if let Some(existing) = store::document_by_name(c, space, folder, name.as_str())? {
            locked_by_other(&actor, &existing)?;
        }
        if let Some(n) = declared {
            check_quota(c, space, n, default_quota)?;
        }
        Ok(())
    })
    .await
}

pub fn check_quota(
    c: &rusqlite::Connection,
    space: i64,
    adding: u64,
    default_quota: u64,
) -> Result<()> {
    let quota = store::space_quota(c, space)?
        .map(|q| q.max(0) as u64)
        .unwrap_or(default_quota);
    let used = store::space_usage(c, space)?.max(0) as u64;
    if used.saturating_add(adding) > quota {
        return Err(Error::QuotaExceeded);
    }
    Ok(())
}

fn locked_by_other(actor: &Actor, d: &Document) -> Result<()> {
    if d.review_lock {
        return Err(Error::Conflict("document-in-review"));
    }
    let me = actor.principal().map(|p| p.person_id);
    let held = d.locked_until.is_some_and(|t| t > now_ms());
    if held && d.locked_by.is_some() && d.locked_by != me {
        return Err(Error::Conflict("document-locked"));
    }
    Ok(())
}

/// Records stored content as a new document, or as a new version of the
/// document of that name. Two uploads of one name racing both become
/// versions, in commit order; none is lost.
pub async fn commit_upload(
    db: &Db,
    blobs: &BlobStore,
    actor: &Actor,
    target: UploadTarget,
    stored: Stored,
    first_bytes: Vec<u8>,
    default_quota: u64,
) -> Result<(Document, i64)> {
    let actor = *actor;
    let content_type = sniff(&first_bytes, &target.name);
    let hash = stored.hash.clone();
    let in_file = stored.inline.is_none();
    let blobs = blobs.clone();
    let result = db
        .write(move |tx| {
            access::require_folder(
                tx,
                &actor,
                target.space_id,
                target.folder,
                SpaceAction::Contribute,
            )?;
            // A small content is stored here, in this transaction. A file:
            // the collector removes orphans inside this same writer, so if it
            // took identical content an instant ago, the upload must be sent again.
            if !blobs.keep(tx, &stored).map_err(blob_error)? {
                return Err(Error::invalid("file", "upload-interrupted"));
            }
            check_quota(tx, target.space_id, stored.size, default_quota)?;
            if store::folder_by_name(tx, target.space_id, target.folder, target.name.as_str())?
                .is_some()
            {
                return Err(Error::Exists("folder-exists"));
            }
            let now = now_ms();
            let by = actor.principal().map(|p| p.person_id);
            let (doc_id, created) = match store::document_by_name(
                tx,
                target.space_id,
                target.folder,
                target.name.as_str(),
            )? {
                Some(d) => {
                    locked_by_other(&actor, &d)?;
                    (d.id, false)
                }
                None => (
                    store::insert_document(
                        tx,
                        target.space_id,
                        target.folder,
                        target.name.as_str(),
                        by,
                        now,
                    )?,
                    true,
                ),
            };
            let comment: String = target.comment.trim().chars().take(500).collect();
            let number = store::add_version(
                tx,
                doc_id,
                &NewVersion {
                    blob_hash: &stored.hash,
                    size: stored.size,
                    content_type,
                    original_name: target.name.as_str(),
                    comment: &comment,
                },
                by,
                now,
            )?;
            record(
                tx,
                &actor,
                &events::VersionAdded {
                    id: doc_id,
                    created,
                    space: target.space_id,
                    name: target.name.as_str(),
                    version: number,
                    size: stored.size,
                    hash: &stored.hash,
                    content_type,
                },
            )?;
            Ok((store::document(tx, doc_id)?.ok_or(Error::NotFound)?, number))
        })
        .await;
    if result.is_err() && in_file {
        // The content is on disk but nothing may refer to it: let the collector decide.
        let _ = db
            .write(move |tx| Ok::<_, Error>(crate::blobs::gc::note_orphan(tx, &hash, now_ms())?))
            .await;
    }
    result
}

/// A document the actor may read, with the folder check.
fn readable(c: &rusqlite::Connection, actor: &Actor, id: i64) -> Result<(Document, Role)> {
    let d = store::document(c, id)?.ok_or(Error::NotFound)?;
    let role = access::require_folder(c, actor, d.space_id, d.folder_id, SpaceAction::Read)?;
    Ok((d, role))
}

/// A document and the version to serve (the current one unless `number`).
pub async fn for_download(
    db: &Db,
    actor: &Actor,
    id: i64,
    number: Option<i64>,
) -> Result<(Document, Version)> {
    let actor = *actor;
    db.read(move |c| {
        let (d, _) = readable(c, &actor, id)?;
        let wanted = number.unwrap_or(d.current_version);
        let v = store::versions(c, id)?
            .into_iter()
            .find(|v| v.number == wanted)
            .ok_or(Error::NotFound)?;
        Ok((d, v))
    })
    .await
}

/// A document page: the document, its versions and the actor's role.
pub async fn details(db: &Db, actor: &Actor, id: i64) -> Result<(Document, Vec<Version>, Role)> {
    let actor = *actor;
    db.read(move |c| {
        let (d, role) = readable(c, &actor, id)?;
        Ok((d, store::versions(c, id)?, role))
    })
    .await
}

/// Makes an earlier version current again, as a new version (history is kept).
pub async fn restore_version(db: &Db, actor: &Actor, id: i64, number: i64) -> Result<i64> {
    let actor = *actor;
    db.write(move |tx| {
        let d = store::document(tx, id)?.ok_or(Error::NotFound)?;
        access::require_folder(tx, &actor, d.space_id, d.folder_id, SpaceAction::Contribute)?;
        locked_by_other(&actor, &d)?;
        let old = store::versions(tx, id)?
            .into_iter()
            .find(|v| v.number == number)
            .ok_or(Error::NotFound)?;
        let comment = format!("restored from version {number}");
        let new = store::add_version(
            tx,
            id,
            &NewVersion {
                blob_hash: &old.blob_hash,
                size: old.size.max(0) as u64,
                content_type: &old.content_type,
                original_name: &old.original_name,
                comment: &comment,
            },
            actor.principal().map(|p| p.person_id),
            now_ms(),
        )?;
        record(
            tx,
            &actor,
            &events::VersionRestored {
                id,
                from: number,
                version: new,
            },
        )?;
        Ok(new)
    })
    .await
}

/// Opens the stored content of a version, wherever it is kept.
pub async fn open_blob(blobs: &BlobStore, v: &Version) -> Result<crate::blobs::AsyncBlob> {
    open_hash(blobs, &v.blob_hash).await
}

/// Stored content by its hash; missing content is damage, not "not found".
pub async fn open_hash(blobs: &BlobStore, hash: &str) -> Result<crate::blobs::AsyncBlob> {
    match blobs.open_async(hash).await.map_err(blob_error)? {
        Some(blob) => Ok(blob),
        None => {
            tracing::error!(hash = %hash, "blob missing");
            Err(Error::Internal(format!("blob {hash} missing")))
        }
    }
}

/// A document the actor may change: contributor where it is, not checked out by someone else.
fn writable(c: &rusqlite::Connection, actor: &Actor, id: i64) -> Result<(Document, Role)> {
    let d = store::document(c, id)?.ok_or(Error::NotFound)?;
    let role = access::require_folder(c, actor, d.space_id, d.folder_id, SpaceAction::Contribute)?;
    locked_by_other(actor, &d)?;
    Ok((d, role))
}

pub async fn rename(db: &Db, actor: &Actor, id: i64, name: FileName) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let (d, _) = writable(tx, &actor, id)?;
        match store::rename_document(
            tx,
            id,
            name.as_str(),
            actor.principal().map(|p| p.person_id),
            now_ms(),
        ) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("document-exists")),
            other => other?,
        };
        record(
            tx,
            &actor,
            &events::Renamed {
                id,
                from: &d.name,
                to: name.as_str(),
            },
        )?;
        Ok(())
    })
    .await
}

/// Sets a document's description and tags (as typed; see `parse_tags`).
pub async fn describe(
    db: &Db,
    actor: &Actor,
    id: i64,
    description: &str,
    tags: &str,
) -> Result<()> {
    let description = crate::service::description(description)?;
    let tags = super::model::parse_tags(tags)?;
    let actor = *actor;
    db.write(move |tx| {
        writable(tx, &actor, id)?;
        store::describe(
            tx,
            id,
            &description,
            &tags,
            actor.principal().map(|p| p.person_id),
            now_ms(),
        )?;
        record(tx, &actor, &events::Described { id, tags: &tags })?;
        Ok(())
    })
    .await
}

/// Moves a document to a folder (or the root) of a space the actor may write
/// to, under a new name when `name` is given, in one step.
pub async fn relocate(
    db: &Db,
    actor: &Actor,
    id: i64,
    space_id: i64,
    folder: Option<i64>,
    name: Option<FileName>,
) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let (d, _) = writable(tx, &actor, id)?;
        access::require_folder(tx, &actor, space_id, folder, SpaceAction::Contribute)?;
        let now = now_ms();
        let moved = store::move_document(tx, id, space_id, folder, now).and_then(|n| match &name {
            Some(name) => store::rename_document(
                tx,
                id,
                name.as_str(),
                actor.principal().map(|p| p.person_id),
                now,
            ),
            None => Ok(n),
        });
        match moved {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("document-exists")),
            other => other?,
        };
        record(
            tx,
            &actor,
            &events::Moved {
                id,
                from: events::Place {
                    space: d.space_id,
                    folder: d.folder_id,
                    name: Some(&d.name),
                },
                to: events::Place {
                    space: space_id,
                    folder,
                    name: name.as_ref().map(FileName::as_str),
                },
            },
        )?;
        Ok(())
    })
    .await
}

/// Copies a document's current version as a new document, under `name` or
/// its own (the content is shared, not duplicated).
pub async fn copy(
    db: &Db,
    actor: &Actor,
    id: i64,
    space_id: i64,
    folder: Option<i64>,
    name: Option<FileName>,
    default_quota: u64,
) -> Result<i64> {
    let actor = *actor;
    db.write(move |tx| {
        let (d, _) = readable(tx, &actor, id)?;
        access::require_folder(tx, &actor, space_id, folder, SpaceAction::Contribute)?;
        check_quota(tx, space_id, d.size.max(0) as u64, default_quota)?;
        let now = now_ms();
        let by = actor.principal().map(|p| p.person_id);
        let new_name = name.as_ref().map_or(d.name.as_str(), FileName::as_str);
        let new = match store::insert_document(tx, space_id, folder, new_name, by, now) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("document-exists")),
            other => other?,
        };
        let comment = format!("copy of document {id}");
        store::add_version(
            tx,
            new,
            &NewVersion {
                blob_hash: &d.blob_hash,
                size: d.size.max(0) as u64,
                content_type: &d.content_type,
                original_name: new_name,
                comment: &comment,
            },
            by,
            now,
        )?;
        record(
            tx,
            &actor,
            &events::Copied {
                id: new,
                from: id,
                space: space_id,
                folder,
            },
        )?;
        Ok(new)
    })
    .await
}

/// Puts a document in its space's trash.
pub async fn trash(db: &Db, actor: &Actor, id: i64) -> Result<Document> {
    let actor = *actor;
    db.write(move |tx| {
        let (d, _) = writable(tx, &actor, id)?;
        store::trash_document(tx, id, actor.principal().map(|p| p.person_id), now_ms())?;
        record(tx, &actor, &events::Trashed { id })?;
        Ok(d)
    })
    .await
}

/// Takes a document out of the trash (contributors of its folder).
pub async fn untrash(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let d = store::trashed_document(tx, id)?.ok_or(Error::NotFound)?;
        access::require_folder(tx, &actor, d.space_id, d.folder_id, SpaceAction::Contribute)?;
        match store::untrash_document(tx, id) {
            // Meanwhile another file took its name.
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("document-exists")),
            other => other?,
        };
        record(tx, &actor, &events::Untrashed { id })?;
        Ok(())
    })
    .await
}

/// A space's trash as the actor may see it (what sat in folders they may see).
pub async fn trash_of(db: &Db, actor: &Actor, space_id: i64) -> Result<Vec<(Document, i64)>> {
    let actor = *actor;
    db.read(move |c| {
        access::require_space(c, &actor, space_id, SpaceAction::Contribute)?;
        let mut out = Vec::new();
        for (d, at) in store::trash(c, space_id)? {
            if access::require_folder(c, &actor, d.space_id, d.folder_id, SpaceAction::Read).is_ok()
            {
                out.push((d, at));
            }
        }
        Ok(out)
    })
    .await
}

/// Checks a document out (`on`) or releases it. The holder releases; a
/// manager may break someone else's lock.
pub async fn lock(
    db: &Db,
    actor: &Actor,
    id: i64,
    on: bool,
    duration: std::time::Duration,
) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let d = store::document(tx, id)?.ok_or(Error::NotFound)?;
        let role =
            access::require_folder(tx, &actor, d.space_id, d.folder_id, SpaceAction::Contribute)?;
        let me = actor.principal().map(|p| p.person_id);
        let held_by_other = d.locked_until.is_some_and(|t| t > now_ms())
            && d.locked_by.is_some()
            && d.locked_by != me;
        let change = if on {
            if held_by_other {
                return Err(Error::Conflict("document-locked"));
            }
            store::set_lock(tx, id, me, Some(now_ms() + duration.as_millis() as i64))?;
            LockChange::Locked
        } else {
            if held_by_other && !access::can(role, SpaceAction::Manage) {
                return Err(Error::Conflict("document-locked"));
            }
            store::set_lock(tx, id, None, None)?;
            if held_by_other {
                LockChange::Broken
            } else {
                LockChange::Unlocked
            }
        };
        record(
            tx,
            &actor,
            &events::Lock {
                id,
                change,
                previous_holder: d.locked_by,
            },
        )?;
        Ok(())
    })
    .await
}

/// Empties trash older than `retention` (maintenance).
pub async fn purge_trash(db: &Db, retention: std::time::Duration) -> Result<usize> {
    db.write(move |tx| {
        let now = now_ms();
        let before = now - retention.as_millis() as i64;
        let n = store::purge_trash(tx, before, now)?;
        let folders = store::purge_folders(tx, before)?;
        if n + folders > 0 {
            record(
                tx,
                &Actor::system(),
                &events::Purged {
                    documents: n,
                    folders,
                },
            )?;
        }
        Ok(n)
    })
    .await
}

/// The folders of a space the actor may see, each with its full display path
/// ("Contracts / 2026"), for "move to" choices.
pub async fn folder_choices(db: &Db, actor: &Actor, space_id: i64) -> Result<Vec<(i64, String)>> {
    let actor = *actor;
    db.read(move |c| {
        let role = access::require_space(c, &actor, space_id, SpaceAction::Read)?;
        let filter = access::folders_filter_for(&actor, role, "f");
        let folders = store::all_folders(c, space_id, &filter)?;
        let names: std::collections::HashMap<i64, String> =
            folders.iter().map(|f| (f.id, f.name.clone())).collect();
        Ok(folders
            .iter()
            .map(|f| {
                let path = f
                    .path
                    .split('/')
                    .filter_map(|p| p.parse::<i64>().ok())
                    .filter_map(|id| names.get(&id).cloned())
                    .collect::<Vec<_>>()
                    .join(" / ");
                (f.id, path)
            })
            .collect())
    })
    .await
}
