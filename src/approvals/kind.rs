//! Approval flows as a kind of content: each flow sits on a document
//! version and is known to whoever may read that document. Its templates,
//! decisions and records go with it; the instance's signing keys leave an
//! export as public keys only.

use crate::content::erasure::{clear, delete, keep};
use crate::content::export::{Exported, exported, plain};
use crate::content::{ContentKind, Placement, Seen, Talk};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

pub static KIND: ContentKind = ContentKind {
    name: "approval",
    placement: Placement::On {
        kind: "document",
        column: "document_id",
    },
    tables: &[
        exported(
            "approval_flows",
            Exported {
                person: Some("started_by = ?1"),
                ..plain("approval_flows", "id")
            },
        ),
        exported(
            "approval_templates",
            Exported {
                person: Some("created_by = ?1"),
                ..plain("approval_templates", "id")
            },
        ),
        exported(
            "approval_template_versions",
            plain("approval_template_versions", "template_id, version"),
        ),
        exported(
            "approval_decisions",
            Exported {
                person: Some("approver_id = ?1"),
                ..plain("approval_decisions", "id")
            },
        ),
        exported("approval_records", plain("approval_records", "flow_id")),
        exported(
            "approval_signatories",
            Exported {
                // A code or a grant works for minutes: never carried over.
                omit: &["code_hash", "grant_hash"],
                ..plain("approval_signatories", "id")
            },
        ),
        exported(
            "approval_notes",
            Exported {
                person: Some("author_id = ?1"),
                ..plain("approval_notes", "id")
            },
        ),
        exported(
            "approval_delegations",
            Exported {
                person: Some("person_id = ?1 OR delegate_id = ?1"),
                ..plain("approval_delegations", "person_id")
            },
        ),
        exported(
            "approval_bindings",
            Exported {
                person: Some("created_by = ?1"),
                ..plain("approval_bindings", "folder_id")
            },
        ),
        exported(
            "approval_waiting",
            Exported {
                person: Some("person_id = ?1"),
                ..plain("approval_waiting", "person_id, flow_id")
            },
        ),
        exported(
            "signing_keys",
            Exported {
                // The secret part never leaves; an import keeps the public
                // part so that the records it signed verify there.
                omit: &["private_key"],
                ..plain("signing_keys", "created_at, id")
            },
        ),
    ],
    search: Some(super::search::SOURCE),
    blobs: &[],
    erasure: &[
        clear("approval_flows", "started_by"),
        clear("approval_templates", "created_by"),
        clear("approval_bindings", "created_by"),
        // Their words stay for the others, under the neutral name, as
        // comments' do.
        clear("approval_notes", "author_id"),
        delete("approval_waiting", "person_id"),
        delete("approval_delegations", "person_id"),
        delete("approval_delegations", "delegate_id"),
        keep(
            "approval_decisions",
            "approver_id",
            "a decision stays, shown under the neutral name; its signed record names a pseudonym only",
        ),
        keep(
            "approval_decisions",
            "on_behalf_of",
            "a decision made for an approver away stays, shown under the neutral name; its signed record names a pseudonym only",
        ),
    ],
    audit: &[
        "approval.template",
        "approval.bind",
        "approval.delegate",
        "approval.start",
        "approval.decide",
        "approval.step",
        "approval.return",
        "approval.approve",
        "approval.reject",
        "approval.cancel",
        "approval.remind",
        "approval.escalate",
        "approval.note",
        "approval.invite",
        "approval.resend",
    ],
    seen: Seen {
        by: seen,
        live: &[],
    },
    notify: super::notify::NOTIFY,
    talk: Talk {
        readers: None,
        comments: None,
        reactions: false,
    },
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};

/// A flow: whoever may read its document, or see its request.
fn seen(c: &Connection, p: &crate::access::Principal, id: i64) -> Result<bool> {
    let on: Option<(Option<i64>, Option<i64>)> = c
        .prepare_cached("SELECT document_id, request_id FROM approval_flows WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match on {
        Some((Some(d), _)) => (crate::documents::KIND.seen.by)(c, p, d),
        Some((None, Some(r))) => crate::access::requests::sees(c, p, r),
        _ => Ok(false),
    }
}
