//! Requests as kinds of content: their types (instance-wide or of a
//! space), the requests themselves (in a space, found by their requester,
//! their organization when the type says so, and their agents, by their
//! public text alone) and internal notes (found and seen by agents alone).

use crate::access::requests::{agent_tokens, facts, request_tokens};
use crate::content::erasure::{clear, delete};
use crate::content::export::{Exported, Files, derived, exported, plain};
use crate::content::search::{Entry, Source};
use crate::content::{BlobRef, ContentKind, NOBODY, Placement, SILENT, Seen};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

pub static TYPE: ContentKind = ContentKind {
    name: "request_type",
    placement: Placement::Space { space: "space_id" },
    tables: &[
        exported("request_types", plain("request_types", "id")),
        exported(
            "request_type_versions",
            plain("request_type_versions", "type_id, version"),
        ),
        exported(
            "request_counters",
            plain("request_counters", "type_id, year"),
        ),
    ],
    search: None,
    blobs: &[],
    erasure: &[clear("request_type_versions", "created_by")],
    audit: &[
        "request_type.create",
        "request_type.update",
        "request_type.archive",
        "request_type.delete",
    ],
    seen: Seen {
        by: |c, p, id| {
            let exists = c
                .prepare_cached("SELECT 1 FROM request_types WHERE id = ?1")?
                .query_row([id], |_| Ok(()))
                .optional()?;
            Ok(exists.is_some() && p.admin && p.internal)
        },
        live: &[],
    },
    notify: NOBODY,
    talk: SILENT,
    pages: super::kind_routes::type_pages,
    api: super::kind_routes::type_api,
};

pub static REQUEST: ContentKind = ContentKind {
    name: "request",
    placement: Placement::Space { space: "space_id" },
    tables: &[
        exported(
            "requests",
            Exported {
                csv: true,
                person: Some("requester_id = ?1"),
                // A requester's own export: never what only agents see.
                person_omit: &["internal_fields", "internal_version", "external_id"],
                ..plain("requests", "id")
            },
        ),
        exported(
            "request_events",
            Exported {
                csv: true,
                person: Some("actor_id = ?1"),
                ..plain("request_events", "id")
            },
        ),
        exported(
            "request_watchers",
            Exported {
                person: Some("person_id = ?1"),
                ..plain("request_watchers", "request_id, person_id")
            },
        ),
        exported(
            "request_files",
            Exported {
                person: Some("uploaded_by = ?1 AND internal = 0"),
                files: Files::Stored {
                    dir: "request-files",
                },
                ..plain("request_files", "id")
            },
        ),
        exported(
            "request_views",
            Exported {
                person: Some("person_id = ?1"),
                ..plain("request_views", "id")
            },
        ),
        derived(
            "inbound_mail",
            "which e-mails were read from the replies mailbox, so that none lands twice",
        ),
        derived(
            "inbound_mail_polls",
            "how the last reads of the replies mailbox went",
        ),
    ],
    search: Some(Source {
        all: "SELECT id FROM requests",
        load: request_entry,
    }),
    blobs: &[BlobRef {
        table: "request_files",
        column: "blob_hash",
        live: "",
        required: true,
    }],
    erasure: &[
        // What they asked and said stays for the organization and the
        // agents, under the neutral name; whom they followed goes.
        clear("requests", "requester_id"),
        clear("requests", "assignee_id"),
        clear("request_events", "actor_id"),
        delete("request_watchers", "person_id"),
        delete("request_views", "person_id"),
        clear("request_files", "uploaded_by"),
    ],
    audit: &[
        "request.create",
        "request.update",
        "request.status",
        "request.assign",
        "request.reply",
        "request.rate",
        "request.due_soon",
        "request.late",
    ],
    seen: Seen {
        by: crate::access::requests::sees,
        live: &[
            "request.create",
            "request.update",
            "request.status",
            "request.assign",
            "request.reply",
            "request.rate",
        ],
    },
    notify: super::notify::REQUESTS,
    talk: SILENT,
    pages: super::kind_routes::request_pages,
    api: super::kind_routes::request_api,
};

pub static NOTE: ContentKind = ContentKind {
    name: "request_note",
    placement: Placement::On {
        kind: "request",
        column: "request_id",
    },
    tables: &[exported(
        "request_notes",
        Exported {
            csv: true,
            person: Some("actor_id = ?1"),
            ..plain("request_notes", "id")
        },
    )],
    search: Some(Source {
        all: "SELECT id FROM request_notes WHERE what = 'note'",
        load: note_entry,
    }),
    blobs: &[],
    erasure: &[clear("request_notes", "actor_id")],
    audit: &["request_note.create"],
    seen: Seen {
        by: |c, p, id| match crate::requests::store::note_request(c, id)? {
            Some(r) => crate::access::requests::works_on(c, p, r),
            None => Ok(false),
        },
        live: &["request_note.create"],
    },
    notify: super::notify::NOTES,
    talk: SILENT,
    pages: super::kind_routes::note_pages,
    api: super::kind_routes::note_api,
};

/// The words of a request everyone who sees it may read: its title, its
/// public fields and its public replies (never internal fields or notes).
fn public_text(c: &Connection, r: &super::store::Row) -> Result<String> {
    let mut text = String::new();
    for v in r.fields.values() {
        match v {
            serde_json::Value::String(s) => text.push_str(s),
            serde_json::Value::Array(a) => {
                for s in a.iter().filter_map(|x| x.as_str()) {
                    text.push_str(s);
                    text.push(' ');
                }
            }
            _ => continue,
        }
        text.push('\n');
    }
    let mut st = c.prepare_cached(
        "SELECT body FROM request_events WHERE request_id = ?1 AND body <> '' ORDER BY id",
    )?;
    for body in st.query_map([r.id], |row| row.get::<_, String>(0))? {
        text.push_str(&body?);
        text.push('\n');
        if text.len() > 200_000 {
            break;
        }
    }
    Ok(crate::text::markdown::plain_excerpt(&text, 200_000))
}

fn request_entry(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let (Some(r), Some(f)) = (super::store::get(c, id)?, facts(c, id)?) else {
        return Ok(None);
    };
    Ok(Some(Entry {
        allow: request_tokens(&f, r.type_id),
        title: format!("{} · {}", r.number, r.title),
        tags: r.status.clone(),
        body: public_text(c, &r)?,
        space: Some(r.space_id),
        author: r.requester_id,
        updated: r.updated_at,
        url: format!("/requests/{id}"),
        ..Entry::default()
    }))
}

fn note_entry(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row: Option<(i64, String, Option<i64>, i64)> = c
        .prepare_cached(
            "SELECT request_id, body, actor_id, at FROM request_notes
             WHERE id = ?1 AND what = 'note'",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((request, body, author, at)) = row else {
        return Ok(None);
    };
    let Some(r) = super::store::get(c, request)? else {
        return Ok(None);
    };
    Ok(Some(Entry {
        allow: agent_tokens(r.space_id, r.type_id),
        title: crate::text::markdown::plain_excerpt(&body, 90),
        context: Some(format!("{} · {}", r.number, r.title)),
        body: crate::text::markdown::plain_excerpt(&body, super::model::MAX_BODY),
        space: Some(r.space_id),
        author,
        updated: at,
        url: format!("/requests/{request}#note-{id}"),
        ..Entry::default()
    }))
}
