//! News as a kind of content: posts in a space or for the whole instance,
//! their audiences, covers, attachments and acknowledgements.

use crate::access::news::{EDITORS_TOKEN, published_sql};
use crate::content::erasure::{clear, delete};
use crate::content::export::{Exported, Files, exported, plain};
use crate::content::search::{Entry, Source};
use crate::content::{ContentKind, Placement, Seen};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

pub static KIND: ContentKind = ContentKind {
    name: "news",
    placement: Placement::Space { space: "space_id" },
    tables: &[
        exported(
            "news",
            Exported {
                csv: true,
                person: Some("author_id = ?1"),
                ..plain("news", "id")
            },
        ),
        exported("news_targets", plain("news_targets", "id")),
        exported(
            "news_covers",
            Exported {
                files: Files::Column {
                    column: "data",
                    key: "news_id",
                    dir: "news/covers",
                },
                ..plain("news_covers", "news_id")
            },
        ),
        exported(
            "news_files",
            Exported {
                files: Files::Column {
                    column: "data",
                    key: "id",
                    dir: "news/files",
                },
                ..plain("news_files", "id")
            },
        ),
        exported(
            "news_acks",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("news_acks", "news_id, person_id")
            },
        ),
    ],
    search: Some(Source {
        all: "SELECT id FROM news WHERE publish_at IS NOT NULL",
        load: entry,
    }),
    blobs: &[],
    erasure: &[
        // The post stays for its readers, under the neutral name.
        clear("news", "author_id"),
        delete("news_acks", "person_id"),
    ],
    audit: &[
        "news.create",
        "news.update",
        "news.publish",
        "news.expire",
        "news.delete",
        "news.acknowledge",
        "news.remind",
        "news.file.add",
        "news.file.remove",
        "news.cover",
    ],
    seen: Seen {
        by: crate::access::seen::news,
        live: &["news.publish", "news.update", "news.expire"],
    },
    notify: super::notify::NOTIFY,
    talk: crate::content::Talk {
        readers: Some(crate::access::comments::reads_news),
        comments: Some(crate::access::comments::moderates_news),
        reactions: true,
    },
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};

/// A post is searched while it is published, by its audience (and, for an
/// instance-wide post, by those who write them).
fn entry(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let now = crate::util::now_ms();
    let row = c
        .prepare_cached(&format!(
            "SELECT n.space_id, n.author_id, n.title, n.body, n.publish_at
             FROM news n WHERE n.id = :id AND {}",
            published_sql("n")
        ))?
        .query_row(rusqlite::named_params! {":id": id, ":now": now}, |r| {
            Ok((
                r.get::<_, Option<i64>>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .optional()?;
    let Some((space, author, title, body, published)) = row else {
        return Ok(None);
    };
    let mut allow: Vec<String> = super::store::targets(c, id)?
        .into_iter()
        .map(|(_, t)| t.token())
        .collect();
    if space.is_none() {
        allow.push(EDITORS_TOKEN.to_string());
    }
    Ok(Some(Entry {
        allow,
        title,
        body: crate::text::markdown::plain_excerpt(&body, super::model::MAX_BODY),
        space,
        author,
        updated: published,
        url: format!("/news/{id}"),
        ..Entry::default()
    }))
}
