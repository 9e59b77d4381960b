//! Comments as a kind of content: each sits on an item of a kind that
//! takes comments, is seen by whoever sees that item, and is searched with
//! that item's access. The kind also keeps the reactions given to items of
//! every kind that takes them.

use crate::content::erasure::{clear, delete};
use crate::content::export::{Exported, exported, plain};
use crate::content::search::{Entry, Source};
use crate::content::{ContentKind, KINDS, Placement, Seen, Talk, find};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

pub static KIND: ContentKind = ContentKind {
    name: "comment",
    placement: Placement::Attached {
        kind: "target_type",
        id: "target_id",
    },
    tables: &[
        exported(
            "comments",
            Exported {
                csv: true,
                person: Some("author_id = ?1"),
                ..plain("comments", "id")
            },
        ),
        exported(
            "reactions",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("reactions", "target_type, target_id, reaction, person_id")
            },
        ),
    ],
    search: Some(Source {
        all: "SELECT id FROM comments",
        load: entry,
    }),
    blobs: &[],
    erasure: &[
        // Their words stay for the others, under the neutral name; their
        // reactions were theirs alone.
        clear("comments", "author_id"),
        delete("reactions", "person_id"),
    ],
    audit: &["comment.create", "comment.update", "comment.delete"],
    seen: Seen {
        by: seen,
        live: &["comment.create", "comment.update", "comment.delete"],
    },
    notify: super::notify::NOTIFY,
    talk: Talk {
        readers: None,
        comments: None,
        reactions: true,
    },
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};

/// The item a comment is on, and that item's kind if it takes comments.
pub(super) fn item_of(c: &Connection, id: i64) -> Result<Option<(&'static ContentKind, i64)>> {
    let row: Option<(String, i64)> = c
        .prepare_cached("SELECT target_type, target_id FROM comments WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(kind, item)| {
        find(KINDS, &kind)
            .filter(|k| k.talk.comments.is_some())
            .map(|k| (k, item))
    }))
}

/// A comment: whoever sees the item it is on.
fn seen(c: &Connection, p: &crate::access::Principal, id: i64) -> Result<bool> {
    match item_of(c, id)? {
        Some((kind, item)) => (kind.talk_readers())(c, p, item),
        None => Ok(false),
    }
}

/// A comment's entry: named by its own first words, found by those who
/// find the item, linking to it on the item's page.
fn entry(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let Some((kind, item)) = item_of(c, id)? else {
        return Ok(None);
    };
    let Some(on) = kind
        .search
        .map(|s| (s.load)(c, item))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    let Some((.., body, author, created, edited)) = super::store::get(c, id)? else {
        return Ok(None);
    };
    Ok(Some(Entry {
        allow: on.allow,
        restrict: on.restrict,
        title: crate::text::markdown::plain_excerpt(&body, 90),
        context: Some(on.title),
        body: crate::text::markdown::plain_excerpt(&body, super::model::MAX_BODY),
        space: on.space,
        author,
        updated: edited.unwrap_or(created),
        url: format!("{}#comment-{id}", on.url),
        ..Entry::default()
    }))
}
