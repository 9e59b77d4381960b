//! SQL for folders, documents and versions. Only the documents service calls this.

use super::model::{Document, Folder, ReviewState, Version};
use crate::access::SqlFilter;
use rusqlite::{Connection, OptionalExtension, Row, params};

const FOLDER_COLUMNS: &str = "f.id, f.space_id, f.parent_id, f.name, f.path, f.min_role, f.restricted_to_listed, f.updated_at";

fn folder_row(r: &Row<'_>) -> rusqlite::Result<Folder> {
    Ok(Folder {
        id: r.get(0)?,
        space_id: r.get(1)?,
        parent_id: r.get(2)?,
        name: r.get(3)?,
        path: r.get(4)?,
        min_role: r.get(5)?,
        restricted_to_listed: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

const DOC_COLUMNS: &str =
    "d.id, d.space_id, d.folder_id, d.name, d.description, d.tags, d.current_version,
    d.size, d.content_type, d.blob_hash, d.updated_at,
    (SELECT p.display_name FROM people p WHERE p.id = d.updated_by),
    d.locked_by, (SELECT p.display_name FROM people p WHERE p.id = d.locked_by), d.locked_until,
    CASE WHEN d.review_version = d.current_version THEN d.review_state END, d.review_lock";

fn doc_row(r: &Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        space_id: r.get(1)?,
        folder_id: r.get(2)?,
        name: r.get(3)?,
        description: r.get(4)?,
        tags: r.get(5)?,
        current_version: r.get(6)?,
        size: r.get(7)?,
        content_type: r.get(8)?,
        blob_hash: r.get(9)?,
        updated_at: r.get(10)?,
        updated_by_name: r.get(11)?,
        locked_by: r.get(12)?,
        locked_by_name: r.get(13)?,
        locked_until: r.get(14)?,
        review: r
            .get::<_, Option<String>>(15)?
            .as_deref()
            .and_then(ReviewState::parse)
            .unwrap_or_default(),
        review_lock: r.get(16)?,
    })
}

pub fn folder(c: &Connection, id: i64) -> rusqlite::Result<Option<Folder>> {
    c.prepare_cached(&format!(
        "SELECT {FOLDER_COLUMNS} FROM folders f WHERE f.id = ?1 AND f.deleted_at IS NULL"
    ))?
    .query_row([id], folder_row)
    .optional()
}

/// The folders from the library root down to `id`, for breadcrumbs.
pub fn ancestry(c: &Connection, folder: &Folder) -> rusqlite::Result<Vec<Folder>> {
    let mut out = Vec::new();
    for id in folder.path.split('/').filter_map(|p| p.parse::<i64>().ok()) {
        if let Some(f) = self::folder(c, id)? {
            out.push(f);
        }
    }
    Ok(out)
}

pub fn insert_folder(
    c: &Connection,
    space_id: i64,
    parent: Option<&Folder>,
    name: &str,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO folders (space_id, parent_id, name, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![space_id, parent.map(|p| p.id), name, by, now],
    )?;
    let id = c.last_insert_rowid();
    let path = format!("{}{id}/", parent.map_or("/", |p| p.path.as_str()));
    c.execute(
        "UPDATE folders SET path = ?2 WHERE id = ?1",
        params![id, path],
    )?;
    Ok(id)
}

/// Sub-folders of `parent` (the root when `None`) that `filter` lets through, by name.
pub fn subfolders(
    c: &Connection,
    space_id: i64,
    parent: Option<i64>,
    filter: &SqlFilter,
) -> rusqlite::Result<Vec<Folder>> {
    let sql = format!(
        "SELECT {FOLDER_COLUMNS} FROM folders f
         WHERE f.space_id = :space AND ifnull(f.parent_id, 0) = :parent AND f.deleted_at IS NULL AND {}
         ORDER BY f.name COLLATE NOCASE, f.id LIMIT 1000",
        filter.sql
    );
    let parent = parent.unwrap_or(0);
    let mut params = filter.named();
    params.push((":space", &space_id));
    params.push((":parent", &parent));
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), folder_row)?.collect()
}

/// One page of a folder's documents by name: those after (`name`, `id`), at most `limit`.
pub fn documents_page(
    c: &Connection,
    space_id: i64,
    folder: Option<i64>,
    after: Option<(&str, i64)>,
    state: Option<ReviewState>,
    limit: u32,
) -> rusqlite::Result<Vec<Document>> {
    let folder = folder.unwrap_or(0);
    let (after_name, after_id) = after.unwrap_or(("", 0));
    // A state narrows the same walk; a draft is a file without a state for
    // its current version.
    let state_filter = match state {
        None => "",
        Some(ReviewState::Draft) => {
            "AND (d.review_state IS NULL OR d.review_version IS NOT d.current_version)"
        }
        Some(_) => "AND d.review_state = ?5 AND d.review_version = d.current_version",
    };
    // The row-value comparison walks the listing index from the cursor on.
    let mut st = c.prepare_cached(&format!(
        "SELECT {DOC_COLUMNS} FROM documents d
         WHERE d.space_id = ?1 AND ifnull(d.folder_id, 0) = ?2 AND d.deleted_at IS NULL
           AND (d.name COLLATE NOCASE, d.id) > (?3, ?4) {state_filter}
         ORDER BY d.name COLLATE NOCASE, d.id LIMIT {limit}"
    ))?;
    let wanted = state.and_then(ReviewState::stored);
    match wanted {
        Some(w) => st.query_map(params![space_id, folder, after_name, after_id, w], doc_row)?,
        None => st.query_map(params![space_id, folder, after_name, after_id], doc_row)?,
    }
    .collect()
}

pub fn document(c: &Connection, id: i64) -> rusqlite::Result<Option<Document>> {
    c.prepare_cached(&format!(
        "SELECT {DOC_COLUMNS} FROM documents d WHERE d.id = ?1 AND d.deleted_at IS NULL"
    ))?
    .query_row([id], doc_row)
    .optional()
}

pub fn document_by_name(
    c: &Connection,
    space_id: i64,
    folder: Option<i64>,
    name: &str,
) -> rusqlite::Result<Option<Document>> {
    c.prepare_cached(&format!(
        "SELECT {DOC_COLUMNS} FROM documents d
         WHERE d.space_id = ?1 AND ifnull(d.folder_id, 0) = ?2 AND d.name = ?3 COLLATE NOCASE
           AND d.deleted_at IS NULL"
    ))?
    .query_row(params![space_id, folder.unwrap_or(0), name], doc_row)
    .optional()
}

pub fn insert_document(
    c: &Connection,
    space_id: i64,
    folder: Option<i64>,
    name: &str,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO documents (space_id, folder_id, name, created_by, created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
        params![space_id, folder, name, by, now],
    )?;
    Ok(c.last_insert_rowid())
}

/// The content of a new version.
pub struct NewVersion<'a> {
    pub blob_hash: &'a str,
    pub size: u64,
    pub content_type: &'a str,
    pub original_name: &'a str,
    pub comment: &'a str,
}

/// Appends a version and makes it current; returns its number.
pub fn add_version(
    c: &Connection,
    document: i64,
    v: &NewVersion<'_>,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<i64> {
    let number: i64 = c.query_row(
        "SELECT ifnull(max(number), 0) + 1 FROM document_versions WHERE document_id = ?1",
        [document],
        |r| r.get(0),
    )?;
    c.execute(
        "INSERT INTO document_versions (document_id, number, blob_hash, size, content_type, original_name,
                                        comment, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![document, number, v.blob_hash, v.size as i64, v.content_type, v.original_name, v.comment, by, now],
    )?;
    c.execute(
        "UPDATE documents SET current_version = ?2, size = ?3, content_type = ?4, blob_hash = ?5,
                updated_by = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            document,
            number,
            v.size as i64,
            v.content_type,
            v.blob_hash,
            by,
            now
        ],
    )?;
    // The content is referenced again: it is nobody's orphan.
    c.execute("DELETE FROM blob_orphans WHERE hash = ?1", [v.blob_hash])?;
    Ok(number)
}

pub fn versions(c: &Connection, document: i64) -> rusqlite::Result<Vec<Version>> {
    let mut st = c.prepare_cached(
        "SELECT v.id, v.number, v.size, v.content_type, v.original_name, v.comment,
                (SELECT p.display_name FROM people p WHERE p.id = v.created_by), v.created_at, v.blob_hash
         FROM document_versions v WHERE v.document_id = ?1 ORDER BY v.number DESC",
    )?;
    st.query_map([document], |r| {
        Ok(Version {
            id: r.get(0)?,
            number: r.get(1)?,
            size: r.get(2)?,
            content_type: r.get(3)?,
            original_name: r.get(4)?,
            comment: r.get(5)?,
            created_by_name: r.get(6)?,
            created_at: r.get(7)?,
            blob_hash: r.get(8)?,
        })
    })?
    .collect()
}

/// The bytes a space holds: every version of its documents (the trash
/// included) and the files sent with its requests.
pub fn space_usage(c: &Connection, space_id: i64) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT (SELECT ifnull(sum(v.size), 0) FROM document_versions v
                 JOIN documents d ON d.id = v.document_id WHERE d.space_id = ?1)
              + (SELECT ifnull(sum(size), 0) FROM request_files WHERE space_id = ?1)",
        [space_id],
        |r| r.get(0),
    )
}

pub fn space_quota(c: &Connection, space_id: i64) -> rusqlite::Result<Option<i64>> {
    c.query_row(
        "SELECT quota_bytes FROM spaces WHERE id = ?1",
        [space_id],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

pub fn rename_document(
    c: &Connection,
    id: i64,
    name: &str,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE documents SET name = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, name, by, now],
    )
}

pub fn move_document(
    c: &Connection,
    id: i64,
    space_id: i64,
    folder: Option<i64>,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE documents SET space_id = ?2, folder_id = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, space_id, folder, now],
    )
}

pub fn trash_document(
    c: &Connection,
    id: i64,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE documents SET deleted_at = ?3, deleted_by = ?2, locked_by = NULL, locked_until = NULL
         WHERE id = ?1 AND deleted_at IS NULL",
        params![id, by, now],
    )
}

pub fn untrash_document(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE documents SET deleted_at = NULL, deleted_by = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
        [id],
    )
}

/// A document in the trash (for restoring it).
pub fn trashed_document(c: &Connection, id: i64) -> rusqlite::Result<Option<Document>> {
    c.prepare_cached(&format!(
        "SELECT {DOC_COLUMNS} FROM documents d WHERE d.id = ?1 AND d.deleted_at IS NOT NULL"
    ))?
    .query_row([id], doc_row)
    .optional()
}

/// A space's trash, newest first.
pub fn trash(c: &Connection, space_id: i64) -> rusqlite::Result<Vec<(Document, i64)>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {DOC_COLUMNS}, d.deleted_at FROM documents d
         WHERE d.space_id = ?1 AND d.deleted_at IS NOT NULL AND d.trashed_with IS NULL
         ORDER BY d.deleted_at DESC LIMIT 500"
    ))?;
    st.query_map([space_id], |r| Ok((doc_row(r)?, r.get(17)?)))?
        .collect()
}

pub fn set_lock(
    c: &Connection,
    id: i64,
    by: Option<i64>,
    until: Option<i64>,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE documents SET locked_by = ?2, locked_until = ?3 WHERE id = ?1",
        params![id, by, until],
    )
}

/// Removes documents trashed before `before`, for good; their blobs become
/// orphans the collector may remove. Returns how many went.
pub fn purge_trash(c: &Connection, before: i64, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT OR IGNORE INTO blob_orphans (hash, since)
         SELECT DISTINCT v.blob_hash, ?2 FROM document_versions v JOIN documents d ON d.id = v.document_id
         WHERE d.deleted_at IS NOT NULL AND d.deleted_at < ?1",
        params![before, now],
    )?;
    c.execute(
        "DELETE FROM documents WHERE deleted_at IS NOT NULL AND deleted_at < ?1",
        [before],
    )
}

/// Every folder of a space that `filter` lets through, by path.
pub fn all_folders(
    c: &Connection,
    space_id: i64,
    filter: &SqlFilter,
) -> rusqlite::Result<Vec<Folder>> {
    let sql = format!(
        "SELECT {FOLDER_COLUMNS} FROM folders f
         WHERE f.space_id = :space AND f.deleted_at IS NULL AND {} ORDER BY f.path LIMIT 5000",
        filter.sql
    );
    let mut params = filter.named();
    params.push((":space", &space_id));
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), folder_row)?.collect()
}

pub fn folder_by_name(
    c: &Connection,
    space_id: i64,
    parent: Option<i64>,
    name: &str,
) -> rusqlite::Result<Option<Folder>> {
    c.prepare_cached(&format!(
        "SELECT {FOLDER_COLUMNS} FROM folders f
         WHERE f.space_id = ?1 AND ifnull(f.parent_id, 0) = ?2 AND f.name = ?3 COLLATE NOCASE
           AND f.deleted_at IS NULL"
    ))?
    .query_row(params![space_id, parent.unwrap_or(0), name], folder_row)
    .optional()
}

pub fn rename_folder(c: &Connection, id: i64, name: &str, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE folders SET name = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, name, now],
    )
}

/// Moves a folder and everything below it under `parent` (the root when
/// `None`) of `space_id`: parent, paths and spaces of the whole subtree.
pub fn move_folder(
    c: &Connection,
    folder: &Folder,
    space_id: i64,
    parent: Option<&Folder>,
    now: i64,
) -> rusqlite::Result<()> {
    let new_path = format!("{}{}/", parent.map_or("/", |p| p.path.as_str()), folder.id);
    c.execute(
        "UPDATE folders SET parent_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![folder.id, parent.map(|p| p.id), now],
    )?;
    c.execute(
        "UPDATE folders SET path = ?1 || substr(path, length(?2) + 1), space_id = ?3
         WHERE substr(path, 1, length(?2)) = ?2",
        params![new_path, folder.path, space_id],
    )?;
    if space_id != folder.space_id {
        c.execute(
            "UPDATE documents SET space_id = ?2 WHERE folder_id IN
               (SELECT id FROM folders WHERE substr(path, 1, length(?1)) = ?1)",
            params![new_path, space_id],
        )?;
    }
    Ok(())
}

/// Bytes held by a folder's subtree (every version, trash included).
pub fn folder_usage(c: &Connection, folder: &Folder) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT ifnull(sum(v.size), 0) FROM document_versions v
         JOIN documents d ON d.id = v.document_id
         JOIN folders f ON f.id = d.folder_id
         WHERE substr(f.path, 1, length(?1)) = ?1",
        [&folder.path],
        |r| r.get(0),
    )
}

/// Whether someone other than `me` holds a live check-out below the folder.
pub fn locked_inside(
    c: &Connection,
    folder: &Folder,
    me: Option<i64>,
    now: i64,
) -> rusqlite::Result<bool> {
    c.query_row(
        "SELECT EXISTS (SELECT 1 FROM documents d JOIN folders f ON f.id = d.folder_id
           WHERE substr(f.path, 1, length(?1)) = ?1 AND d.deleted_at IS NULL
             AND (d.review_lock = 1 OR
                  d.locked_until > ?3 AND d.locked_by IS NOT NULL AND d.locked_by IS NOT ?2))",
        params![folder.path, me, now],
        |r| r.get(0),
    )
}

/// Puts a folder, its sub-folders and their documents in the trash together.
pub fn trash_folder(
    c: &Connection,
    folder: &Folder,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE documents SET deleted_at = ?3, deleted_by = ?2, trashed_with = ?4,
                locked_by = NULL, locked_until = NULL
         WHERE deleted_at IS NULL AND folder_id IN
           (SELECT id FROM folders WHERE substr(path, 1, length(?1)) = ?1 AND deleted_at IS NULL)",
        params![folder.path, by, now, folder.id],
    )?;
    c.execute(
        "UPDATE folders SET deleted_at = ?3, deleted_by = ?2,
                trashed_with = CASE WHEN id = ?4 THEN NULL ELSE ?4 END
         WHERE substr(path, 1, length(?1)) = ?1 AND deleted_at IS NULL",
        params![folder.path, by, now, folder.id],
    )?;
    Ok(())
}

/// A folder in the trash that was trashed on its own (with what came along).
pub fn trashed_folder(c: &Connection, id: i64) -> rusqlite::Result<Option<Folder>> {
    c.prepare_cached(&format!(
        "SELECT {FOLDER_COLUMNS} FROM folders f
         WHERE f.id = ?1 AND f.deleted_at IS NOT NULL AND f.trashed_with IS NULL"
    ))?
    .query_row([id], folder_row)
    .optional()
}

/// Brings a folder back with everything that went to the trash with it.
pub fn untrash_folder(c: &Connection, id: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE folders SET deleted_at = NULL, deleted_by = NULL, trashed_with = NULL
         WHERE id = ?1 OR trashed_with = ?1",
        [id],
    )?;
    c.execute(
        "UPDATE documents SET deleted_at = NULL, deleted_by = NULL, trashed_with = NULL
         WHERE trashed_with = ?1",
        [id],
    )?;
    Ok(())
}

/// A space's trashed folders (those trashed on their own), newest first.
pub fn trashed_folders(c: &Connection, space_id: i64) -> rusqlite::Result<Vec<(Folder, i64)>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {FOLDER_COLUMNS}, f.deleted_at FROM folders f
         WHERE f.space_id = ?1 AND f.deleted_at IS NOT NULL AND f.trashed_with IS NULL
         ORDER BY f.deleted_at DESC LIMIT 500"
    ))?;
    st.query_map([space_id], |r| Ok((folder_row(r)?, r.get(8)?)))?
        .collect()
}

/// Removes folders trashed before `before` for good (their documents went
/// with `purge_trash` first, as they carry the same time).
pub fn purge_folders(c: &Connection, before: i64) -> rusqlite::Result<usize> {
    c.execute(
        "DELETE FROM folders WHERE deleted_at IS NOT NULL AND deleted_at < ?1",
        [before],
    )
}

/// Sets a folder's restriction: a minimum role and/or a list of people and groups.
pub fn set_restriction(
    c: &Connection,
    folder: i64,
    min_role: Option<&str>,
    people: &[i64],
    groups: &[i64],
    now: i64,
) -> rusqlite::Result<()> {
    let listed = !(people.is_empty() && groups.is_empty());
    c.execute(
        "UPDATE folders SET min_role = ?2, restricted_to_listed = ?3, updated_at = ?4 WHERE id = ?1",
        params![folder, min_role, listed, now],
    )?;
    c.execute("DELETE FROM folder_access WHERE folder_id = ?1", [folder])?;
    for p in people {
        c.execute(
            "INSERT OR IGNORE INTO folder_access (folder_id, person_id) VALUES (?1, ?2)",
            params![folder, p],
        )?;
    }
    for g in groups {
        c.execute(
            "INSERT OR IGNORE INTO folder_access (folder_id, group_id) VALUES (?1, ?2)",
            params![folder, g],
        )?;
    }
    Ok(())
}

/// (id, name) pairs.
pub type Named = Vec<(i64, String)>;

/// Who a restricted folder lists: people (id, name) and groups (id, name).
pub fn folder_access(c: &Connection, folder: i64) -> rusqlite::Result<(Named, Named)> {
    let mut st = c.prepare_cached(
        "SELECT p.id, p.display_name FROM folder_access fa JOIN people p ON p.id = fa.person_id
         WHERE fa.folder_id = ?1 ORDER BY p.display_name",
    )?;
    let people = st
        .query_map([folder], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = c.prepare_cached(
        "SELECT g.id, g.name FROM folder_access fa JOIN groups g ON g.id = fa.group_id
         WHERE fa.folder_id = ?1 ORDER BY g.name",
    )?;
    let groups = st
        .query_map([folder], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((people, groups))
}

/// The ids of a folder and of every live folder below it.
pub fn subtree_ids(c: &Connection, folder: &Folder) -> rusqlite::Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT id FROM folders WHERE substr(path, 1, length(?1)) = ?1 AND deleted_at IS NULL LIMIT 5000",
    )?;
    st.query_map([&folder.path], |r| r.get(0))?.collect()
}

/// The cached preview of a content, if any: (blob hash, content type).
pub fn preview(
    c: &Connection,
    source: &str,
    kind: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    c.prepare_cached(
        "SELECT blob_hash, content_type FROM previews WHERE source_hash = ?1 AND kind = ?2",
    )?
    .query_row(params![source, kind], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

pub fn save_preview(
    c: &Connection,
    source: &str,
    kind: &str,
    blob: &str,
    content_type: &str,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR REPLACE INTO previews (source_hash, kind, blob_hash, content_type, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![source, kind, blob, content_type, now],
    )?;
    c.execute("DELETE FROM blob_orphans WHERE hash = ?1", [blob])?;
    Ok(())
}

/// Drops the previews made from a content that is going away; their blobs
/// become orphans for the collector.
pub fn drop_previews(c: &Connection, source: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO blob_orphans (hash, since)
         SELECT blob_hash, ?2 FROM previews WHERE source_hash = ?1",
        params![source, now],
    )?;
    c.execute("DELETE FROM previews WHERE source_hash = ?1", [source])?;
    Ok(())
}

pub fn describe(
    c: &Connection,
    id: i64,
    description: &str,
    tags: &str,
    by: Option<i64>,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE documents SET description = ?2, tags = ?3, updated_by = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, description, tags, by, now],
    )
}

/// Sets a file's review state for `version` (approval flows call this), and
/// whether it is locked meanwhile: whether its state, as shown, changed.
pub fn set_review(
    c: &Connection,
    id: i64,
    state: ReviewState,
    version: i64,
    lock: bool,
) -> rusqlite::Result<bool> {
    let changed = c
        .prepare_cached(
            "UPDATE documents SET review_state = ?2, review_version = ?3, review_lock = ?4
              WHERE id = ?1
                AND (review_state IS NOT ?2 OR review_version IS NOT ?3 OR review_lock IS NOT ?4)",
        )?
        .execute(params![id, state.stored(), version, lock])?;
    Ok(changed > 0)
}
