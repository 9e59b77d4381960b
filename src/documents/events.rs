//! The changes made to documents and folders, as values: each is recorded
//! (audit entry, index update, and the bus after commit) by
//! `content::events::record`.

use crate::content::events::recorded;
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

#[derive(Serialize)]
pub struct FolderCreated {
    #[serde(skip)]
    pub id: i64,
    pub space: i64,
    pub name: String,
    pub parent: Option<i64>,
}

/// What a lock request did to a document.
#[derive(Clone, Copy)]
pub enum LockChange {
    Locked,
    Unlocked,
    /// A manager removed someone else's lock.
    Broken,
}

#[derive(Serialize)]
pub struct Lock {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub change: LockChange,
    pub previous_holder: Option<i64>,
}

/// A share link made for a document (`id`); the link's secret is never recorded.
#[derive(Serialize)]
pub struct ShareCreated {
    #[serde(skip)]
    pub id: i64,
    pub link: i64,
    pub expires_at: i64,
    pub protected: bool,
    pub max_downloads: Option<u32>,
}

#[derive(Serialize)]
pub struct ShareRevoked {
    #[serde(skip)]
    pub id: i64,
    pub link: i64,
}

/// A visitor downloaded the document through a link.
#[derive(Serialize)]
pub struct ShareDownloaded {
    #[serde(skip)]
    pub id: i64,
    pub link: i64,
    pub version: i64,
}

/// Old trash emptied by maintenance: how many of each, no single target.
#[derive(Serialize)]
pub struct Purged {
    pub documents: usize,
    pub folders: usize,
}

recorded! {
    Purged => none, |_s| "document.purge", |_s| None;
    VersionAdded<'_> => "document", |s| if s.created { "document.create" } else { "document.version" }, |s| Some(Change::Document(s.id));
    VersionRestored => "document", |_s| "document.restore_version", |s| Some(Change::Document(s.id));
    Renamed<'_> => "document", |_s| "document.rename", |s| Some(Change::Document(s.id));
    Described<'_> => "document", |_s| "document.describe", |s| Some(Change::Document(s.id));
    Moved<'_> => "document", |_s| "document.move", |s| Some(Change::Document(s.id));
    Copied => "document", |_s| "document.copy", |s| Some(Change::Document(s.id));
    Trashed => "document", |_s| "document.trash", |s| Some(Change::Document(s.id));
    Untrashed => "document", |_s| "document.untrash", |s| Some(Change::Document(s.id));
    FolderRenamed<'_> => "folder", |_s| "folder.rename", |_s| None;
    FolderMoved<'_> => "folder", |_s| "folder.move", |s| Some(Change::Folder(s.id));
    FolderTrashed<'_> => "folder", |_s| "folder.trash", |s| Some(Change::Folder(s.id));
    FolderUntrashed => "folder", |_s| "folder.untrash", |s| Some(Change::Folder(s.id));
    FolderRestricted<'_> => "folder", |_s| "folder.restrict", |_s| None;
    FolderCreated => "folder", |_s| "folder.create", |_s| None;
    Lock => "document", |s| match s.change {
        LockChange::Locked => "document.lock",
        LockChange::Unlocked => "document.unlock",
        LockChange::Broken => "document.lock.break",
    }, |_s| None;
    ShareCreated => "document", |_s| "share.create", |_s| None;
    ShareRevoked => "document", |_s| "share.revoke", |_s| None;
    ShareDownloaded => "document", |_s| "share.download", |_s| None;
}
