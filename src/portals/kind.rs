//! Portals as a kind of content: branded entry points, their host names,
//! audiences and images.

use crate::content::export::{Exported, Files, exported, plain};
use crate::content::{ContentKind, Placement, Seen};

pub static KIND: ContentKind = ContentKind {
    name: "portal",
    placement: Placement::Instance,
    tables: &[
        exported("portals", plain("portals", "id")),
        exported("portal_hostnames", plain("portal_hostnames", "hostname")),
        exported("portal_audience", plain("portal_audience", "id")),
        exported(
            "portal_logos",
            Exported {
                files: Files::Column {
                    column: "data",
                    key: "portal_id",
                    dir: "portals/logos",
                },
                ..plain("portal_logos", "portal_id")
            },
        ),
        exported(
            "portal_favicons",
            Exported {
                files: Files::Column {
                    column: "data",
                    key: "portal_id",
                    dir: "portals/favicons",
                },
                ..plain("portal_favicons", "portal_id")
            },
        ),
    ],
    search: None,
    blobs: &[],
    erasure: &[],
    audit: &[
        "portal.create",
        "portal.update",
        "portal.delete",
        "portal.logo",
        "portal.favicon",
    ],
    seen: Seen {
        by: crate::access::seen::portal,
        live: &[],
    },
    notify: crate::content::NOBODY,
    talk: crate::content::SILENT,
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};
