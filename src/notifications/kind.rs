//! Notifications as a kind of content: a person's own rows, exported with
//! their data and erased with them.

use crate::content::erasure::{clear, delete};
use crate::content::export::{Exported, exported, plain};
use crate::content::{ContentKind, NOBODY, Placement, Seen};

pub static KIND: ContentKind = ContentKind {
    name: "notification",
    placement: Placement::Instance,
    tables: &[exported(
        "notifications",
        Exported {
            csv: true,
            person: Some("person_id = ?1"),
            ..plain("notifications", "id")
        },
    )],
    search: None,
    blobs: &[],
    erasure: &[
        delete("notifications", "person_id"),
        // Told of a change they made: the row stays, without their name.
        clear("notifications", "actor_id"),
    ],
    audit: &[],
    seen: Seen {
        by: crate::access::seen::notification,
        live: &[],
    },
    notify: NOBODY,
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};
