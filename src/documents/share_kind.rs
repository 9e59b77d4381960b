//! Share links as a kind of content: a document given to whoever holds the
//! link, until it expires or is revoked.

use crate::content::erasure::keep;
use crate::content::export::secret;
use crate::content::{ContentKind, Placement, Seen};

pub static KIND: ContentKind = ContentKind {
    name: "share",
    placement: Placement::On {
        kind: "document",
        column: "document_id",
    },
    tables: &[secret(
        "share_links",
        "public links to documents (bearer secrets)",
    )],
    search: None,
    blobs: &[],
    erasure: &[keep(
        "share_links",
        "created_by",
        "the link keeps working for those who hold it; its creator shows under the neutral name",
    )],
    audit: &["share.create", "share.revoke", "share.download"],
    seen: Seen {
        by: crate::access::seen::share_link,
        live: &[],
    },
    notify: crate::content::NOBODY,
    talk: crate::content::SILENT,
    pages: super::share_routes::pages,
    api: super::share_routes::api,
};
