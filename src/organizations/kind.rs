//! Organizations as a kind of content: the host and its clients, partners
//! and suppliers, with the e-mail domains that place people in them.

use crate::content::export::{Exported, exported, plain};
use crate::content::{ContentKind, Placement, Seen};

pub static KIND: ContentKind = ContentKind {
    name: "organization",
    placement: Placement::Instance,
    tables: &[
        exported(
            "organizations",
            Exported {
                csv: true,
                person: Some("id = (SELECT org_id FROM people WHERE id = ?1)"),
                ..plain("organizations", "id")
            },
        ),
        exported(
            "organization_domains",
            Exported {
                csv: true,
                ..plain("organization_domains", "domain")
            },
        ),
    ],
    search: None,
    blobs: &[],
    erasure: &[],
    audit: &[
        "organization.create",
        "organization.update",
        "organization.delete",
    ],
    seen: Seen {
        by: crate::access::seen::organization,
        live: &["organization.update"],
    },
    notify: crate::content::NOBODY,
    talk: crate::content::SILENT,
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};
