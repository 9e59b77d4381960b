//! One home for every kind of content. Each kind (documents, spaces, people…)
//! declares itself once, in its own folder, as a [`ContentKind`]: the tables
//! it owns and how each is exported, where it sits, how it is searched, which
//! stored files it refers to, what erasing a person does to its rows, the
//! audit actions it records, its pages and its API routes. Everything that
//! must not forget a kind — the indexer, `reindex`, blob collection, erasure,
//! export and import, `parvis check`, the routers, the role matrix, the
//! demo — walks [`KINDS`] (or the list the application was opened with), and
//! a test per concern fails when a kind leaves one out.

pub mod erasure;
pub mod events;
pub mod export;
pub mod search;
#[cfg(test)]
pub(crate) mod tests;

use crate::app::AppState;
use crate::web::api::{Api, Need};
use crate::web::csrf::Guard;
use axum::Router;
use axum::routing::MethodRouter;
pub use export::{Exported, Files, Table, Treatment};

/// A kind of content, described once.
pub struct ContentKind {
    /// Its name: the search entry's type, the index key's prefix and the
    /// audit log's target type (`document`, `space`…).
    pub name: &'static str,
    /// Where an item sits; the index follows moves and removals from it.
    pub placement: Placement,
    /// The tables it owns, in the order an import inserts them (the first is
    /// the kind's own table, with an `id` column), and how each is exported.
    pub tables: &'static [Table],
    /// How its items become search entries, if they are searched.
    pub search: Option<search::Source>,
    /// The columns of its tables that name stored files (blob hashes).
    pub blobs: &'static [BlobRef],
    /// What erasing a person does to each of its columns that names one.
    pub erasure: &'static [erasure::Rule],
    /// The audit actions it records (`document.create`…).
    pub audit: &'static [&'static str],
    /// Who may know of one of its items, and which changes they are told of.
    pub seen: Seen,
    /// Whom a change to one of its items concerns, to be notified.
    pub notify: Notify,
    /// Whether people comment on and react to its items.
    pub talk: Talk,
    /// Its pages, each behind the CSRF guard.
    pub pages: fn(&Guard) -> Pages,
    /// Its routes under `/api/v1`, each with its description.
    pub api: fn(Api, &Guard) -> Api,
}

/// Who may know of an item, asked for each recipient of anything that
/// tells people of changes (live events, and notifications after them).
pub struct Seen {
    /// Whether the principal may know of item `id`. Anything but a clear
    /// yes is no: a refusal or a missing item is `false`.
    pub by:
        fn(&rusqlite::Connection, &crate::access::Principal, i64) -> crate::service::Result<bool>,
    /// The audit actions whose changes reach everyone who sees the item as
    /// they happen (never an account's events, nor anything naming a secret).
    pub live: &'static [&'static str],
}

/// Whether people comment on and react to a kind's items, and who.
#[derive(Clone, Copy)]
pub struct Talk {
    /// Who reads an item's comments and reactions, comments and reacts:
    /// when `None`, whoever may know of it (`Seen::by`). A kind whose
    /// items may be known but not open (a file in the trash, a draft
    /// post) says who may talk about them.
    pub readers: Option<ItemRule>,
    /// Its items take comments; who moderates them (removes anyone's),
    /// beside each comment's writer.
    pub comments: Option<ItemRule>,
    /// Its items take reactions.
    pub reactions: bool,
}

/// A yes or no about a principal and one item (anything but a clear yes
/// is no).
pub type ItemRule =
    fn(&rusqlite::Connection, &crate::access::Principal, i64) -> crate::service::Result<bool>;

/// For kinds nobody comments on or reacts to.
pub const SILENT: Talk = Talk {
    readers: None,
    comments: None,
    reactions: false,
};

impl ContentKind {
    /// Who reads, writes and reacts about its items.
    pub fn talk_readers(&self) -> ItemRule {
        self.talk.readers.unwrap_or(self.seen.by)
    }
}

/// A committed change as the notifier reads it back from the audit log.
#[derive(Debug, Clone)]
pub struct Happened {
    /// The audit entry's id.
    pub id: i64,
    pub action: String,
    pub target_id: i64,
    pub actor: Option<i64>,
    pub detail: serde_json::Value,
}

/// Whom a change concerns: the notifier asks the changed item's kind, then
/// keeps only those who may see the item (`Seen::by`) and are not its author.
pub struct Notify {
    /// The reasons it gives (`space-added`…), each under the topic its
    /// reader chooses how to be told of; each is `notification-<reason>` in
    /// the translations.
    pub reasons: &'static [Reason],
    /// The people a change concerns, each with its reason.
    pub who: fn(&rusqlite::Connection, &Happened) -> crate::service::Result<Concerned>,
    /// For kinds that take answers by e-mail: the reply address of an
    /// e-mail about one item (`item`) to one person, from the mailbox's
    /// local part and domain.
    pub reply: Option<ReplyAddress>,
}

/// See `Notify::reply`.
pub type ReplyAddress =
    fn(&rusqlite::Connection, (&str, &str), i64, i64) -> crate::service::Result<Option<String>>;

impl Notify {
    /// The topic of one of its reasons.
    pub fn topic_of(&self, reason: &str) -> Option<Topic> {
        self.reasons
            .iter()
            .find(|r| r.name == reason)
            .map(|r| r.topic)
    }
}

/// Why a person is told of a change.
#[derive(Debug, Clone, Copy)]
pub struct Reason {
    pub name: &'static str,
    pub topic: Topic,
}

/// What a notification is about, as its reader chooses how to be told:
/// each topic has its own delivery (in the application, by e-mail at once,
/// as a digest) and its own unsubscribe link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// Someone named the reader.
    Mentions,
    /// An answer in a discussion the reader follows.
    Replies,
    /// A comment on something the reader wrote or commented on.
    Comments,
    /// A new discussion in a space the reader belongs to.
    Discussions,
    /// An announcement the reader must acknowledge.
    Acknowledgements,
    /// News addressed to the reader.
    News,
    /// A space was opened to the reader.
    Spaces,
    /// A file the reader made changed.
    Documents,
    /// A request the reader filed, follows or handles.
    Requests,
    /// A file waiting for the reader's approval, or a flow they started.
    Approvals,
}

impl Topic {
    pub const ALL: [Topic; 10] = [
        Topic::Mentions,
        Topic::Replies,
        Topic::Comments,
        Topic::Discussions,
        Topic::Acknowledgements,
        Topic::News,
        Topic::Spaces,
        Topic::Documents,
        Topic::Requests,
        Topic::Approvals,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Topic::Mentions => "mentions",
            Topic::Replies => "replies",
            Topic::Comments => "comments",
            Topic::Discussions => "discussions",
            Topic::Acknowledgements => "acknowledgements",
            Topic::News => "news",
            Topic::Spaces => "spaces",
            Topic::Documents => "documents",
            Topic::Requests => "requests",
            Topic::Approvals => "approvals",
        }
    }

    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The people a change concerns, each with the reason.
pub type Concerned = Vec<(i64, &'static str)>;

/// For kinds whose changes concern nobody in particular.
pub const NOBODY: Notify = Notify {
    reasons: &[],
    who: |_, _| Ok(Vec::new()),
    reply: None,
};

/// The kind that tells of `action` on an item of `target_type` as it
/// happens, if one does.
pub fn live_kind(
    kinds: &[&'static ContentKind],
    target_type: &str,
    action: &str,
) -> Option<&'static ContentKind> {
    find(kinds, target_type).filter(|k| k.seen.live.contains(&action))
}

/// A kind's pages: ordinary ones, those whose body is a whole file (the
/// server gives them the upload limits), and who may read each page (the
/// role matrix asks every one).
#[derive(Default)]
pub struct Pages {
    pub router: Router<AppState>,
    pub uploads: Router<AppState>,
    pub reads: Vec<(&'static str, Need)>,
}

impl Pages {
    /// A page read with GET (and perhaps sent a form), readable by `need`.
    pub fn page(
        mut self,
        path: &'static str,
        need: Need,
        methods: MethodRouter<AppState>,
    ) -> Pages {
        self.router = self.router.route(path, methods);
        self.reads.push((path, need));
        self
    }

    /// A route that only takes forms (each checks its caller in `access`).
    pub fn route(mut self, path: &'static str, methods: MethodRouter<AppState>) -> Pages {
        self.router = self.router.route(path, methods);
        self
    }

    pub fn uploads(mut self, uploads: Router<AppState>) -> Pages {
        self.uploads = uploads;
        self
    }
}

/// Where an item of a kind sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Instance-wide (people, organizations, portals).
    Instance,
    /// In a space: the column of its table naming it (null for an item
    /// of the kind that is instance-wide, such as news for everyone).
    Space { space: &'static str },
    /// In a folder of a space's library (its root when the folder is null).
    Folder {
        space: &'static str,
        folder: &'static str,
    },
    /// On an item of another kind (a share link on a document): the kind and
    /// the column naming the item.
    On {
        kind: &'static str,
        column: &'static str,
    },
    /// On an item of any kind (a comment on a document or a news post):
    /// the columns naming the kind and the item. The index follows the
    /// item: whatever rewrites its entry rewrites theirs.
    Attached {
        kind: &'static str,
        id: &'static str,
    },
}

/// A column that names a stored file by its hash.
#[derive(Debug, Clone, Copy)]
pub struct BlobRef {
    pub table: &'static str,
    pub column: &'static str,
    /// A condition on the row for the reference to hold (SQL over the
    /// table's columns; empty: always).
    pub live: &'static str,
    /// A missing file is damage (`parvis check` fails); otherwise it is a
    /// cache made again when needed.
    pub required: bool,
}

impl BlobRef {
    /// SQL true when a row refers to `?1`.
    pub fn exists_sql(&self) -> String {
        let live = if self.live.is_empty() {
            String::new()
        } else {
            format!(" AND ({})", self.live)
        };
        format!(
            "EXISTS (SELECT 1 FROM \"{t}\" WHERE \"{t}\".{c} = ?1{live})",
            t = self.table,
            c = self.column
        )
    }
}

/// Every kind, in the order their tables are created and imported.
pub static KINDS: &[&ContentKind] = &[
    &crate::organizations::KIND,
    &crate::portals::KIND,
    &crate::people::KIND,
    &crate::groups::KIND,
    &crate::spaces::KIND,
    &crate::documents::folder_kind::KIND,
    &crate::documents::KIND,
    &crate::documents::share_kind::KIND,
    &crate::news::KIND,
    &crate::discussions::FORUM,
    &crate::discussions::TOPIC,
    &crate::discussions::REPLY,
    &crate::comments::KIND,
    &crate::requests::kind::TYPE,
    &crate::requests::kind::REQUEST,
    &crate::requests::kind::NOTE,
    // Flows decide on documents and on requests.
    &crate::approvals::KIND,
    &crate::notifications::KIND,
];

/// The kind named `name` among `kinds`.
pub fn find(kinds: &[&'static ContentKind], name: &str) -> Option<&'static ContentKind> {
    kinds.iter().copied().find(|k| k.name == name)
}

/// SQL true when any kind refers to the blob `?1`.
pub fn blob_referenced_sql(kinds: &[&ContentKind]) -> String {
    let refs: Vec<String> = kinds
        .iter()
        .flat_map(|k| k.blobs)
        .map(BlobRef::exists_sql)
        .collect();
    if refs.is_empty() {
        "SELECT 0".into()
    } else {
        format!("SELECT {}", refs.join(" OR "))
    }
}

/// Whether any kind still refers to `hash`.
pub fn blob_referenced(
    c: &rusqlite::Connection,
    kinds: &[&ContentKind],
    hash: &str,
) -> rusqlite::Result<bool> {
    c.prepare_cached(&blob_referenced_sql(kinds))?
        .query_row([hash], |r| r.get(0))
}

/// Removes stored files no kind refers to any more (after `grace`), with the
/// caches kept about them (their text, their thumbnails).
pub async fn collect_garbage(
    db: &crate::db::Db,
    blobs: &crate::blobs::BlobStore,
    kinds: &'static [&'static ContentKind],
    grace: std::time::Duration,
) -> crate::service::Result<usize> {
    let hooks = crate::blobs::gc::Hooks {
        referenced: std::sync::Arc::new(move |c, hash| blob_referenced(c, kinds, hash)),
        forget: forget_caches,
    };
    crate::blobs::gc::collect(db, blobs, grace, hooks).await
}

fn forget_caches(c: &rusqlite::Connection, hash: &str, now: i64) -> rusqlite::Result<()> {
    crate::documents::store::drop_previews(c, hash, now)
}
