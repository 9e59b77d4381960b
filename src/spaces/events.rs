//! The changes made to spaces, as values (see `content::events`).

use super::store::Member;
use crate::content::events::recorded;
use crate::search::sources::{Change, people_of};
use serde::Serialize;

#[derive(Serialize)]
pub struct Created<'a> {
    #[serde(skip)]
    pub id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub visibility: &'a str,
    pub portals: &'a [i64],
}

/// New name, descriptions or visibility.
#[derive(Serialize)]
pub struct Updated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub name: &'a str,
    pub visibility: &'a str,
}

/// The space, its content and its memberships, gone.
#[derive(Serialize)]
pub struct Deleted {
    #[serde(skip)]
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// A person, group or organization joins the space, or changes role.
#[derive(Serialize)]
pub struct MemberGranted<'a> {
    /// The space.
    #[serde(skip)]
    pub id: i64,
    /// Whose directory entries follow this membership.
    #[serde(skip)]
    pub who: Member,
    pub member_kind: &'a str,
    pub member: &'a str,
    pub role: &'a str,
    pub previous_role: Option<String>,
}

#[derive(Serialize)]
pub struct MemberRevoked<'a> {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub who: Member,
    pub member_kind: &'a str,
    pub member: &'a str,
}

/// A link pinned on the space's home page.
#[derive(Serialize)]
pub struct LinkAdded<'a> {
    #[serde(skip)]
    pub id: i64,
    pub link: i64,
    pub title: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct LinkRemoved {
    #[serde(skip)]
    pub id: i64,
    pub link: i64,
}

recorded! {
    Created<'_> => "space", |_s| "space.create", |s| Some(Change::Space(s.id));
    Updated<'_> => "space", |_s| "space.update", |s| Some(Change::Space(s.id));
    Deleted => "space", |_s| "space.delete", |s| Some(Change::SpaceGone(s.id));
    MemberGranted<'_> => "space", |_s| "space.member.grant", |s| Some(people_of(&s.who));
    MemberRevoked<'_> => "space", |_s| "space.member.revoke", |s| Some(people_of(&s.who));
    LinkAdded<'_> => "space", |_s| "space.link.add", |_s| None;
    LinkRemoved => "space", |_s| "space.link.remove", |_s| None;
}
