//! The changes made to documents and folders, as values: each is recorded
//! (audit entry, index update, and the bus after commit) by
//! `content::events::record`.

use crate::content::events::Recorded;
use crate::search::sources::Change;
use serde::Serialize;

/// A first version (a new document) or a new version of one.
#[derive(Serialize)]
pub struct VersionAdded<'a> {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub created: bool,
    pub space: i64,
    pub name: &'a str,
    pub version: i64,
    pub size: u64,
    pub hash: &'a str,
    pub content_type: &'a str,
}

/// An earlier version made current again, as a new version.
#[derive(Serialize)]
pub struct VersionRestored {
    #[serde(skip)]
    pub id: i64,
    pub from: i64,
    pub version: i64,
}

#[derive(Serialize)]
pub struct Renamed<'a> {
    #[serde(skip)]
    pub id: i64,
    pub from: &'a str,
    pub to: &'a str,
}

/// New tags (and description, not repeated in the log).
#[derive(Serialize)]
pub struct Described<'a> {
    #[serde(skip)]
    pub id: i64,
    pub tags: &'a str,
}

/// Where a document was and is: its space, folder and name.
#[derive(Serialize)]
pub struct Place<'a> {
    pub space: i64,
    pub folder: Option<i64>,
    pub name: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Moved<'a> {
    #[serde(skip)]
    pub id: i64,
    pub from: Place<'a>,
    pub to: Place<'a>,
}

/// A new document sharing another's current content.
#[derive(Serialize)]
pub struct Copied {
    #[serde(skip)]
    pub id: i64,
    pub from: i64,
    pub space: i64,
    pub folder: Option<i64>,
}

#[derive(Serialize)]
pub struct Trashed {
    #[serde(skip)]
    pub id: i64,
}

#[derive(Serialize)]
pub struct Untrashed {
    #[serde(skip)]
    pub id: i64,
}

/// A folder's new name (its files' entries do not show it).
#[derive(Serialize)]
pub struct FolderRenamed<'a> {
    #[serde(skip)]
    pub id: i64,
    pub from: &'a str,
    pub to: &'a str,
}

/// Where a folder was and is: its space, parent and name.
#[derive(Serialize)]
pub struct FolderPlace<'a> {
    pub space: i64,
    pub parent: Option<i64>,
    pub name: Option<&'a str>,
}

/// A folder moved with everything below it.
#[derive(Serialize)]
pub struct FolderMoved<'a> {
    #[serde(skip)]
    pub id: i64,
    pub from: FolderPlace<'a>,
    pub to: FolderPlace<'a>,
}

/// A folder put in the trash with everything below it.
#[derive(Serialize)]
pub struct FolderTrashed<'a> {
    #[serde(skip)]
    pub id: i64,
    pub space: i64,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct FolderUntrashed {
    #[serde(skip)]
    pub id: i64,
}

/// A folder's restriction: who sees it is decided when searching, so its
/// files' entries stay as they are.
#[derive(Serialize)]
pub struct FolderRestricted<'a> {
    #[serde(skip)]
    pub id: i64,
    pub min_role: Option<&'a str>,
    pub people: &'a [i64],
    pub groups: &'a [i64],
}

/// Each change names its action, its kind and item, and what the index
/// writes again.
macro_rules! recorded {
    ($($t:ty => $kind:literal, |$s:ident| $action:expr, $reindex:expr;)*) => {$(
        impl Recorded for $t {
            fn action(&self) -> &'static str {
                let $s = self;
                $action
            }
            fn target(&self) -> (&'static str, i64) {
                ($kind, self.id)
            }
            fn reindex(&self) -> Option<Change> {
                let reindex: fn(i64) -> Option<Change> = $reindex;
                reindex(self.id)
            }
        }
    )*};
}

const DOCUMENT: fn(i64) -> Option<Change> = |id| Some(Change::Document(id));
const FOLDER: fn(i64) -> Option<Change> = |id| Some(Change::Folder(id));
const NOTHING: fn(i64) -> Option<Change> = |_| None;

recorded! {
    VersionAdded<'_> => "document", |s| if s.created { "document.create" } else { "document.version" }, DOCUMENT;
    VersionRestored => "document", |_s| "document.restore_version", DOCUMENT;
    Renamed<'_> => "document", |_s| "document.rename", DOCUMENT;
    Described<'_> => "document", |_s| "document.describe", DOCUMENT;
    Moved<'_> => "document", |_s| "document.move", DOCUMENT;
    Copied => "document", |_s| "document.copy", DOCUMENT;
    Trashed => "document", |_s| "document.trash", DOCUMENT;
    Untrashed => "document", |_s| "document.untrash", DOCUMENT;
    FolderRenamed<'_> => "folder", |_s| "folder.rename", NOTHING;
    FolderMoved<'_> => "folder", |_s| "folder.move", FOLDER;
    FolderTrashed<'_> => "folder", |_s| "folder.trash", FOLDER;
    FolderUntrashed => "folder", |_s| "folder.untrash", FOLDER;
    FolderRestricted<'_> => "folder", |_s| "folder.restrict", NOTHING;
}
