//! The changes made to groups, as values (see `content::events`). A group
//! is not searched; who belongs to it is, through its members' entries.

use crate::content::events::recorded;
use crate::search::sources::Change;
use serde::Serialize;

#[derive(Serialize)]
pub struct Created<'a> {
    #[serde(skip)]
    pub id: i64,
    pub slug: &'a str,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct Updated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub name: &'a str,
}

/// Its members' entries are written again by the caller, while they can
/// still be listed.
#[derive(Serialize)]
pub struct Deleted<'a> {
    #[serde(skip)]
    pub id: i64,
    pub slug: &'a str,
    pub members: i64,
}

/// A person joins (`added`) or leaves the group.
#[derive(Serialize)]
pub struct Membership {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub added: bool,
    pub person: i64,
}

recorded! {
    Created<'_> => "group", |_s| "group.create", |_s| None;
    Updated<'_> => "group", |_s| "group.update", |_s| None;
    Deleted<'_> => "group", |_s| "group.delete", |_s| None;
    Membership => "group", |s| if s.added { "group.member.add" } else { "group.member.remove" }, |s| Some(Change::Person(s.person));
}
