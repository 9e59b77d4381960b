//! Spaces as a kind of content: the unit of sharing, with its members, the
//! portals it is published on and its pinned links.

use crate::access::search::space_token;
use crate::content::erasure::{delete, keep};
use crate::content::export::{Exported, exported, plain};
use crate::content::search::{Entry, Source};
use crate::content::{ContentKind, Placement, Seen};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

pub static KIND: ContentKind = ContentKind {
    name: "space",
    placement: Placement::Instance,
    tables: &[
        exported(
            "spaces",
            Exported {
                csv: true,
                person: Some("id IN (SELECT space_id FROM space_members WHERE person_id = ?1)"),
                ..plain("spaces", "id")
            },
        ),
        exported(
            "space_members",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("space_members", "id")
            },
        ),
        exported(
            "space_portals",
            plain("space_portals", "space_id, portal_id"),
        ),
        exported(
            "space_links",
            Exported {
                csv: true,
                person: Some("created_by = ?1"),
                ..plain("space_links", "id")
            },
        ),
    ],
    search: Some(Source {
        all: "SELECT id FROM spaces",
        load: space,
    }),
    blobs: &[],
    erasure: &[
        delete("space_members", "person_id"),
        keep(
            "space_links",
            "created_by",
            "a pinned link stays for the space; its author shows under the neutral name",
        ),
    ],
    audit: &[
        "space.create",
        "space.update",
        "space.delete",
        "space.member.grant",
        "space.member.revoke",
        "space.link.add",
        "space.link.remove",
        "space.publish",
        "space.unpublish",
    ],
    seen: Seen {
        by: crate::access::seen::space,
        live: &[
            "space.update",
            "space.member.grant",
            "space.member.revoke",
            "space.link.add",
            "space.link.remove",
        ],
    },
    notify: super::notify::ADDED,
    talk: crate::content::SILENT,
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};

fn space(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT slug, name,
                    CASE WHEN description_fr = '' THEN description
                         ELSE description || char(10) || description_fr END,
                    updated_at
             FROM spaces WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .optional()?;
    Ok(row.map(|(slug, name, description, updated)| Entry {
        allow: vec![space_token(id)],
        title: name,
        body: description,
        space: Some(id),
        updated,
        url: format!("/spaces/{slug}"),
        ..Entry::default()
    }))
}
