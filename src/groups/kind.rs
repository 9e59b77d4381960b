//! Groups as a kind of content: named sets of internal people, usable as
//! space members.

use crate::content::erasure::delete;
use crate::content::export::{Exported, exported, plain};
use crate::content::{ContentKind, Placement, Seen};

pub static KIND: ContentKind = ContentKind {
    name: "group",
    placement: Placement::Instance,
    tables: &[
        exported(
            "groups",
            Exported {
                csv: true,
                person: Some("id IN (SELECT group_id FROM group_members WHERE person_id = ?1)"),
                ..plain("groups", "id")
            },
        ),
        exported(
            "group_members",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("group_members", "group_id, person_id")
            },
        ),
    ],
    search: None,
    blobs: &[],
    erasure: &[delete("group_members", "person_id")],
    audit: &[
        "group.create",
        "group.update",
        "group.delete",
        "group.member.add",
        "group.member.remove",
    ],
    seen: Seen {
        by: crate::access::seen::group,
        live: &["group.update"],
    },
    notify: crate::content::NOBODY,
    talk: crate::content::SILENT,
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};
