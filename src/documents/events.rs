//! The changes made to documents, as values: each is recorded (audit entry,
//! index update, and the bus after commit) by `content::events::record`.

use crate::content::events::Recorded;
use crate::search::sources::Change;
use serde::Serialize;

const KIND: &str = "document";

/// A first version (a new document) or a new version of one.
#[derive(Serialize)]
pub struct VersionAdded<'a> {
    #[serde(skip)]
    pub document: i64,
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
    pub document: i64,
    pub from: i64,
    pub version: i64,
}

#[derive(Serialize)]
pub struct Renamed<'a> {
    #[serde(skip)]
    pub document: i64,
    pub from: &'a str,
    pub to: &'a str,
}

/// New tags (and description, not repeated in the log).
#[derive(Serialize)]
pub struct Described<'a> {
    #[serde(skip)]
    pub document: i64,
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
    pub document: i64,
    pub from: Place<'a>,
    pub to: Place<'a>,
}

/// A new document sharing another's current content.
#[derive(Serialize)]
pub struct Copied {
    #[serde(skip)]
    pub document: i64,
    pub from: i64,
    pub space: i64,
    pub folder: Option<i64>,
}

#[derive(Serialize)]
pub struct Trashed {
    #[serde(skip)]
    pub document: i64,
}

#[derive(Serialize)]
pub struct Untrashed {
    #[serde(skip)]
    pub document: i64,
}

/// Each change names its action and its document, and writes its index
/// entry again.
macro_rules! recorded {
    ($($t:ty => |$s:ident| $action:expr;)*) => {$(
        impl Recorded for $t {
            fn action(&self) -> &'static str {
                let $s = self;
                $action
            }
            fn target(&self) -> (&'static str, i64) {
                (KIND, self.document)
            }
            fn reindex(&self) -> Option<Change> {
                Some(Change::Document(self.document))
            }
        }
    )*};
}

recorded! {
    VersionAdded<'_> => |s| if s.created { "document.create" } else { "document.version" };
    VersionRestored => |_s| "document.restore_version";
    Renamed<'_> => |_s| "document.rename";
    Described<'_> => |_s| "document.describe";
    Moved<'_> => |_s| "document.move";
    Copied => |_s| "document.copy";
    Trashed => |_s| "document.trash";
    Untrashed => |_s| "document.untrash";
}
