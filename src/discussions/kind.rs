//! Discussions as three kinds of content: forums (in a space), topics (in
//! a forum) and replies (in a topic); topics and replies are searched by
//! the readers of their space.

use crate::access::search::space_token;
use crate::content::erasure::{clear, delete};
use crate::content::export::{Exported, exported, plain};
use crate::content::search::{Entry, Source};
use crate::content::{ContentKind, NOBODY, Placement, Seen};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

/// Topics and replies take reactions; their talk is the discussion itself.
const REACTIONS: crate::content::Talk = crate::content::Talk {
    readers: None,
    comments: None,
    reactions: true,
};

pub static FORUM: ContentKind = ContentKind {
    name: "forum",
    placement: Placement::Space { space: "space_id" },
    tables: &[exported("forums", plain("forums", "id"))],
    search: None,
    blobs: &[],
    erasure: &[clear("forums", "created_by")],
    audit: &["forum.create", "forum.update", "forum.delete"],
    seen: Seen {
        by: crate::access::seen::forum,
        live: &[],
    },
    notify: NOBODY,
    talk: crate::content::SILENT,
    pages: super::kind_routes::forum_pages,
    api: super::kind_routes::forum_api,
};

pub static TOPIC: ContentKind = ContentKind {
    name: "topic",
    placement: Placement::Space { space: "space_id" },
    tables: &[
        exported(
            "topics",
            Exported {
                csv: true,
                person: Some("author_id = ?1"),
                ..plain("topics", "id")
            },
        ),
        exported(
            "topic_revisions",
            Exported {
                person: Some("written_by = ?1"),
                ..plain("topic_revisions", "id")
            },
        ),
        exported(
            "topic_follows",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("topic_follows", "topic_id, person_id")
            },
        ),
    ],
    search: Some(Source {
        all: "SELECT id FROM topics",
        load: topic_entry,
    }),
    blobs: &[],
    erasure: &[
        // Their words stay for the others, under the neutral name.
        clear("topics", "author_id"),
        clear("topic_revisions", "written_by"),
        delete("topic_follows", "person_id"),
    ],
    audit: &[
        "topic.create",
        "topic.update",
        "topic.moderate",
        "topic.delete",
    ],
    seen: Seen {
        by: crate::access::seen::topic,
        live: &["topic.create", "topic.update", "topic.moderate"],
    },
    notify: super::notify::TOPICS,
    talk: REACTIONS,
    pages: super::kind_routes::topic_pages,
    api: super::kind_routes::topic_api,
};

pub static REPLY: ContentKind = ContentKind {
    name: "reply",
    placement: Placement::Space { space: "space_id" },
    tables: &[
        exported(
            "replies",
            Exported {
                csv: true,
                person: Some("author_id = ?1"),
                ..plain("replies", "id")
            },
        ),
        exported(
            "reply_revisions",
            Exported {
                person: Some("written_by = ?1"),
                ..plain("reply_revisions", "id")
            },
        ),
    ],
    search: Some(Source {
        all: "SELECT id FROM replies",
        load: reply_entry,
    }),
    blobs: &[],
    erasure: &[
        clear("replies", "author_id"),
        clear("reply_revisions", "written_by"),
    ],
    audit: &[
        "reply.create",
        "reply.update",
        "reply.delete",
        "reply.accept",
    ],
    seen: Seen {
        by: crate::access::seen::reply,
        live: &["reply.create", "reply.update", "reply.delete"],
    },
    notify: super::notify::REPLIES,
    talk: REACTIONS,
    pages: super::kind_routes::reply_pages,
    api: super::kind_routes::reply_api,
};

fn topic_entry(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT space_id, author_id, title, body, coalesce(edited_at, created_at)
             FROM topics WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .optional()?;
    Ok(row.map(|(space, author, title, body, updated)| Entry {
        allow: vec![space_token(space)],
        title,
        body: crate::text::markdown::plain_excerpt(&body, super::model::MAX_BODY),
        space: Some(space),
        author,
        updated,
        url: format!("/topics/{id}"),
        ..Entry::default()
    }))
}

fn reply_entry(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT r.space_id, r.author_id, t.title, r.body, coalesce(r.edited_at, r.created_at), t.id
             FROM replies r JOIN topics t ON t.id = r.topic_id WHERE r.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })
        .optional()?;
    // Named by its own first words: the topic's title is the topic's, so a
    // search for it finds the topic once, not once per reply.
    Ok(
        row.map(|(space, author, topic_title, body, updated, topic)| Entry {
            allow: vec![space_token(space)],
            title: crate::text::markdown::plain_excerpt(&body, 90),
            // Notifications name a reply by its topic.
            context: Some(topic_title),
            body: crate::text::markdown::plain_excerpt(&body, super::model::MAX_BODY),
            space: Some(space),
            author,
            updated,
            url: format!("/topics/{topic}#reply-{id}"),
            ..Entry::default()
        }),
    )
}
