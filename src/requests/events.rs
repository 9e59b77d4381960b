//! The changes made to request types, requests and their internal notes,
//! as values (see `content::events`). A request's changes are told live to
//! whoever sees it; a note's only to its agents (its own kind, so that no
//! public channel even learns that one was written).

use crate::content::events::recorded;
use crate::search::sources::Change;
use serde::Serialize;
use serde_json::Value;

fn request(id: i64) -> Option<Change> {
    Some(Change::item(&super::kind::REQUEST, id))
}

#[derive(Serialize)]
pub struct TypeCreated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub key: &'a str,
    pub space: Option<i64>,
}

#[derive(Serialize)]
pub struct TypeChanged<'a> {
    #[serde(skip)]
    pub id: i64,
    pub key: &'a str,
    pub version: i64,
}

#[derive(Serialize)]
pub struct TypeArchived<'a> {
    #[serde(skip)]
    pub id: i64,
    pub key: &'a str,
    pub archived: bool,
}

#[derive(Serialize)]
pub struct TypeDeleted<'a> {
    #[serde(skip)]
    pub id: i64,
    pub key: &'a str,
}

#[derive(Serialize)]
pub struct Filed<'a> {
    #[serde(skip)]
    pub id: i64,
    pub number: &'a str,
    #[serde(rename = "type")]
    pub type_key: &'a str,
    pub space: i64,
    /// Came from an outside system, by its id there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<&'a str>,
}

/// Its title, public fields or priority changed.
#[derive(Serialize)]
pub struct Updated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub number: &'a str,
    pub changes: &'a Value,
}

#[derive(Serialize)]
pub struct Moved<'a> {
    #[serde(skip)]
    pub id: i64,
    pub number: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

#[derive(Serialize)]
pub struct Assigned<'a> {
    #[serde(skip)]
    pub id: i64,
    pub number: &'a str,
    pub assignee: Option<i64>,
}

#[derive(Serialize)]
pub struct Replied<'a> {
    #[serde(skip)]
    pub id: i64,
    pub number: &'a str,
    /// The timeline entry.
    pub entry: i64,
    /// From the agents' side (the requester is told), or the customer's.
    pub by_agent: bool,
    pub by_mail: bool,
}

#[derive(Serialize)]
pub struct Rated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub number: &'a str,
    pub rating: i64,
}

/// An internal note, or a change of internal fields (the note row says).
#[derive(Serialize)]
pub struct Noted<'a> {
    #[serde(skip)]
    pub id: i64,
    pub request: i64,
    pub number: &'a str,
    pub what: &'a str,
}

/// A target is due within the hour, or missed: told to its agents.
#[derive(Serialize)]
pub struct Warned<'a> {
    #[serde(skip)]
    pub id: i64,
    pub number: &'a str,
    /// `respond` or `resolve`.
    pub target: &'a str,
    pub missed: bool,
    pub due: i64,
}

recorded! {
    TypeCreated<'_> => "request_type", |_s| "request_type.create", |_s| None;
    TypeChanged<'_> => "request_type", |_s| "request_type.update", |_s| None;
    TypeArchived<'_> => "request_type", |_s| "request_type.archive", |_s| None;
    TypeDeleted<'_> => "request_type", |_s| "request_type.delete", |_s| None;
    Filed<'_> => "request", |_s| "request.create", |s| request(s.id);
    Updated<'_> => "request", |_s| "request.update", |s| request(s.id);
    Moved<'_> => "request", |_s| "request.status", |s| request(s.id);
    Assigned<'_> => "request", |_s| "request.assign", |s| request(s.id);
    Replied<'_> => "request", |_s| "request.reply", |s| request(s.id);
    Rated<'_> => "request", |_s| "request.rate", |s| request(s.id);
    Warned<'_> => "request", |s| if s.missed { "request.late" } else { "request.due_soon" }, |_s| None;
    Noted<'_> => "request_note", |_s| "request_note.create", |s| Some(Change::item(&super::kind::NOTE, s.id));
}
