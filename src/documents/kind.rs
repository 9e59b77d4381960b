//! Documents as a kind of content: files with versions in a space's
//! library, their thumbnails and their WebDAV properties.

use crate::access::search::library_tokens;
use crate::content::erasure::{keep, run};
use crate::content::export::{Exported, Files, derived, exported, plain};
use crate::content::search::{Entry, Source};
use crate::content::{BlobRef, ContentKind, Placement, Seen};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

const KEPT: &str = "what they wrote stays readable, signed by the neutral name";

pub static KIND: ContentKind = ContentKind {
    name: "document",
    placement: Placement::Folder {
        space: "space_id",
        folder: "folder_id",
    },
    tables: &[
        exported(
            "documents",
            Exported {
                csv: true,
                person: Some(
                    "created_by = ?1 OR id IN (SELECT document_id FROM document_versions WHERE created_by = ?1)",
                ),
                ..plain("documents", "id")
            },
        ),
        exported(
            "document_versions",
            Exported {
                csv: true,
                files: Files::Versions,
                person: Some("created_by = ?1"),
                ..plain("document_versions", "id")
            },
        ),
        exported("dav_properties", plain("dav_properties", "id")),
        derived("previews", "thumbnails, made again from the files"),
    ],
    search: Some(Source {
        all: "SELECT id FROM documents WHERE deleted_at IS NULL",
        load: document,
    }),
    blobs: &[
        BlobRef {
            table: "document_versions",
            column: "blob_hash",
            live: "",
            required: true,
        },
        BlobRef {
            table: "documents",
            column: "blob_hash",
            live: "",
            required: true,
        },
        // A thumbnail lives as long as a version of the file it shows.
        BlobRef {
            table: "previews",
            column: "blob_hash",
            live: "EXISTS (SELECT 1 FROM document_versions v WHERE v.blob_hash = previews.source_hash)",
            required: false,
        },
    ],
    erasure: &[
        // A check-out of theirs would otherwise hold the document forever.
        run(
            "documents",
            "locked_by",
            "UPDATE documents SET locked_by = NULL, locked_until = NULL WHERE locked_by = ?1",
        ),
        keep("documents", "created_by", KEPT),
        keep("documents", "updated_by", KEPT),
        keep("documents", "deleted_by", KEPT),
        keep("document_versions", "created_by", KEPT),
    ],
    audit: &[
        "document.create",
        "document.version",
        "document.describe",
        "document.rename",
        "document.move",
        "document.copy",
        "document.trash",
        "document.untrash",
        "document.purge",
        "document.restore_version",
        "document.lock",
        "document.unlock",
        "document.lock.break",
    ],
    seen: Seen {
        by: crate::access::seen::document,
        live: &[
            "document.create",
            "document.version",
            "document.restore_version",
            "document.rename",
            "document.describe",
            "document.move",
            "document.copy",
            "document.trash",
            "document.untrash",
            "document.lock",
            "document.unlock",
            "document.lock.break",
        ],
    },
    notify: super::notify::NEW_VERSION,
    talk: crate::content::Talk {
        readers: Some(crate::access::comments::reads_document),
        comments: Some(crate::access::comments::moderates_document),
        reactions: true,
    },
    pages: super::document_routes::pages,
    api: super::document_routes::api,
};

fn document(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT d.name, d.description, d.tags, d.space_id, d.updated_by, d.updated_at,
                    d.content_type, d.blob_hash, f.path,
                    CASE WHEN d.review_version = d.current_version THEN d.review_state END
             FROM documents d LEFT JOIN folders f ON f.id = d.folder_id
             WHERE d.id = ?1 AND d.deleted_at IS NULL AND (f.id IS NULL OR f.deleted_at IS NULL)",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })
        .optional()?;
    let Some((name, description, tags, space, author, updated, ct, hash, path, review)) = row
    else {
        return Ok(None);
    };
    let (allow, restrict) = library_tokens(space, path.as_deref());
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .filter(|e| e.len() <= 8)
        .unwrap_or_default();
    Ok(Some(Entry {
        allow,
        restrict,
        title: name,
        tags,
        body: description,
        space: Some(space),
        author,
        ext,
        updated,
        url: format!("/files/{id}"),
        // A version no flow ran on is a draft, whatever an older one became.
        state: Some(
            review
                .as_deref()
                .and_then(crate::documents::ReviewState::parse)
                .unwrap_or_default()
                .as_str(),
        ),
        file: (!hash.is_empty()).then_some((hash, ct)),
        ..Entry::default()
    }))
}
