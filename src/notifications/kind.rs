//! Notifications as a kind of content: a person's own rows, exported with
//! their data and erased with them.

use crate::content::erasure::{clear, delete};
use crate::content::export::{Exported, exported, plain, secret};
use crate::content::{ContentKind, NOBODY, Placement, Seen};

pub static KIND: ContentKind = ContentKind {
    name: "notification",
    placement: Placement::Instance,
    tables: &[
        exported(
            "notifications",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("notifications", "id")
            },
        ),
        exported(
            "notification_topic_prefs",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("notification_topic_prefs", "person_id, topic")
            },
        ),
        exported(
            "notification_space_prefs",
            Exported {
                csv: true,
                person: Some("person_id = ?1"),
                ..plain("notification_space_prefs", "person_id, space_id")
            },
        ),
        secret(
            "mail_link_key",
            "signs unsubscribe links; an instance rebuilt from an export makes its own",
        ),
    ],
    search: None,
    blobs: &[],
    erasure: &[
        delete("notifications", "person_id"),
        delete("notification_topic_prefs", "person_id"),
        delete("notification_space_prefs", "person_id"),
        // Told of a change they made: the row stays, without their name.
        clear("notifications", "actor_id"),
    ],
    audit: &[],
    seen: Seen {
        by: crate::access::seen::notification,
        live: &[],
    },
    notify: NOBODY,
    talk: crate::content::SILENT,
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};
