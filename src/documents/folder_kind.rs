//! Folders as a kind of content: the tree of a space's library, and the
//! restrictions that narrow a folder to chosen members.

use crate::content::erasure::{delete, keep};
use crate::content::export::{Exported, exported, plain};
use crate::content::{ContentKind, Placement, Seen};

const KEPT: &str = "the folder stays; who made it shows under the neutral name";

pub static KIND: ContentKind = ContentKind {
    name: "folder",
    placement: Placement::Space { space: "space_id" },
    tables: &[
        exported(
            "folders",
            Exported {
                person: Some("created_by = ?1"),
                ..plain("folders", "id")
            },
        ),
        exported(
            "folder_access",
            Exported {
                person: Some("person_id = ?1"),
                ..plain("folder_access", "id")
            },
        ),
    ],
    // A folder is found through its files; its moves reach them (`Change::Folder`).
    search: None,
    blobs: &[],
    erasure: &[
        delete("folder_access", "person_id"),
        keep("folders", "created_by", KEPT),
        keep("folders", "deleted_by", KEPT),
    ],
    audit: &[
        "folder.create",
        "folder.rename",
        "folder.move",
        "folder.restrict",
        "folder.trash",
        "folder.untrash",
    ],
    seen: Seen {
        by: crate::access::seen::folder,
        live: &[
            "folder.create",
            "folder.rename",
            "folder.move",
            "folder.trash",
            "folder.untrash",
            "folder.restrict",
        ],
    },
    notify: crate::content::NOBODY,
    talk: crate::content::SILENT,
    pages: super::folder_routes::pages,
    api: super::folder_routes::api,
};
