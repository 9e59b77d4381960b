//! How a kind's items become search entries: which items there should be,
//! and one item's entry read from SQLite (the truth).

use rusqlite::Connection;

/// A kind's search source.
#[derive(Clone, Copy)]
pub struct Source {
    /// SQL listing the ids of every item that belongs in the index (for a
    /// rebuild and for `parvis check`).
    pub all: &'static str,
    /// The entry for one item, or None when it should not be in the index
    /// (gone, trashed, disabled). The key and the kind are filled in by the
    /// indexer.
    pub load: fn(&Connection, i64) -> crate::service::Result<Option<Entry>>,
}

/// An entry as the indexer writes it.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub key: String,
    pub kind: &'static str,
    /// Access tokens, one of which the searcher must hold (`access::search`).
    pub allow: Vec<String>,
    /// Tokens every one of which the searcher must hold (restricted folders).
    pub restrict: Vec<String>,
    pub title: String,
    /// What the item belongs to, in words (a reply's topic), when its own
    /// title does not say: notifications name the item by it. Not indexed.
    pub context: Option<String>,
    pub tags: String,
    pub body: String,
    pub space: Option<i64>,
    pub author: Option<i64>,
    pub ext: String,
    pub updated: i64,
    pub url: String,
    /// Its review state (draft, review, approved, rejected, changes): the
    /// search's "state" facet. Files and the flows over them have one.
    pub state: Option<&'static str>,
    /// A stored file whose text goes into the body: (blob hash, content type).
    pub file: Option<(String, String)>,
}
