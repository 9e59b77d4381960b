//! The changes made to portals, as values (see `content::events`). A
//! portal is not searched; publishing a space on one is recorded on the space.

use super::model::{Audience, PortalImage};
use crate::content::events::recorded;
use serde::Serialize;

#[derive(Serialize)]
pub struct Created<'a> {
    #[serde(skip)]
    pub id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub hostnames: Vec<&'a str>,
    pub audience: &'a [Audience],
}

/// Only what the administrator set is present; the welcome texts say only
/// that they changed, the links and contact may be cleared (`null`).
#[derive(Serialize, Default)]
pub struct Updated<'a> {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostnames: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<&'a [Audience]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_access_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_mfa: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_links: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_locale: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub welcome_text: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub welcome_text_fr: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_color: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_url: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_contact: Option<Option<&'a str>>,
}

#[derive(Serialize)]
pub struct Deleted<'a> {
    #[serde(skip)]
    pub id: i64,
    pub slug: &'a str,
}

/// A logo or favicon set (its type, size and tag) or removed.
#[derive(Serialize)]
pub struct ImageChanged<'a> {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub which: PortalImage,
    #[serde(flatten)]
    pub change: ImageChange<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum ImageChange<'a> {
    Set {
        content_type: &'a str,
        bytes: usize,
        etag: &'a str,
    },
    Removed {
        removed: bool,
    },
}

/// A space published on a portal (`on`) or withdrawn from it; `id` is the space.
#[derive(Serialize)]
pub struct Published<'a> {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub on: bool,
    pub portal: &'a str,
}

recorded! {
    Created<'_> => "portal", |_s| "portal.create", |_s| None;
    Updated<'_> => "portal", |_s| "portal.update", |_s| None;
    Deleted<'_> => "portal", |_s| "portal.delete", |_s| None;
    ImageChanged<'_> => "portal", |s| s.which.action(), |_s| None;
    Published<'_> => "space", |s| if s.on { "space.publish" } else { "space.unpublish" }, |_s| None;
}
