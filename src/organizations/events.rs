//! The changes made to organizations, as values (see `content::events`).
//! An organization is not searched itself.

use crate::content::events::recorded;
use serde::Serialize;

#[derive(Serialize)]
pub struct Created<'a> {
    #[serde(skip)]
    pub id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    /// The host is created without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domains: Option<&'a [String]>,
}

/// What changed, with what it was before; an absent pair did not change.
#[derive(Serialize)]
pub struct Updated<'a> {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domains: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_domains: Option<&'a [String]>,
}

#[derive(Serialize)]
pub struct Deleted<'a> {
    #[serde(skip)]
    pub id: i64,
    pub slug: &'a str,
    pub name: &'a str,
}

recorded! {
    Created<'_> => "organization", |_s| "organization.create", |_s| None;
    Updated<'_> => "organization", |_s| "organization.update", |_s| None;
    Deleted<'_> => "organization", |_s| "organization.delete", |_s| None;
}
