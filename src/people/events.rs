//! The changes made to people, as values (see `content::events`). A
//! person's directory entry is written again when what it shows changes:
//! created, profile, status, removal.

use crate::content::events::recorded;
use crate::search::sources::Change;
use serde::Serialize;

/// An account made by an administrator (`org`, `admin`) or by an import (`via`).
#[derive(Serialize)]
pub struct Created<'a> {
    #[serde(skip)]
    pub id: i64,
    pub email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<&'a str>,
}

/// The profile fields changed (their names, not their values).
#[derive(Serialize)]
pub struct Updated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub fields: &'a [&'a str],
}

/// Disabled (every session ended) or enabled again.
#[derive(Serialize)]
pub struct StatusChanged {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub disabled: bool,
    pub sessions_ended: usize,
}

#[derive(Serialize)]
pub struct Deleted<'a> {
    #[serde(skip)]
    pub id: i64,
    pub email: &'a str,
    pub org: &'a str,
}

/// Erased: only that someone (this id) was, never who.
#[derive(Serialize)]
pub struct Erased {
    #[serde(skip)]
    pub id: i64,
    pub documents_kept: i64,
    pub sessions_ended: i64,
}

/// A person downloaded their own data, or an administrator did for them.
#[derive(Serialize)]
pub struct Exported {
    #[serde(skip)]
    pub id: i64,
}

#[derive(Serialize)]
pub struct PhotoChanged {
    #[serde(skip)]
    pub id: i64,
    pub removed: bool,
}

#[derive(Serialize)]
pub struct EmailChanged<'a> {
    #[serde(skip)]
    pub id: i64,
    pub previous: &'a str,
    pub new: &'a str,
}

/// An administrator set the password (every session ended).
#[derive(Serialize)]
pub struct PasswordSet {
    #[serde(skip)]
    pub id: i64,
    pub must_change: bool,
    pub sessions_ended: usize,
}

/// The person changed their own password (their other sessions ended).
#[derive(Serialize)]
pub struct PasswordChanged {
    #[serde(skip)]
    pub id: i64,
    pub other_sessions_ended: usize,
}

/// An external person's access extended to `new_end`.
#[derive(Serialize)]
pub struct AccessRenewed {
    #[serde(skip)]
    pub id: i64,
    pub previous_end: Option<i64>,
    pub new_end: i64,
}

/// An external person's access ended now.
#[derive(Serialize)]
pub struct AccessEnded {
    #[serde(skip)]
    pub id: i64,
    pub previous_end: Option<i64>,
    pub sessions_ended: usize,
}

/// The sponsor was reminded that the access ends soon.
#[derive(Serialize)]
pub struct AccessReminded {
    #[serde(skip)]
    pub id: i64,
    pub access_ends: i64,
}

recorded! {
    Created<'_> => "person", |_s| "person.create", |s| Some(Change::Person(s.id));
    Updated<'_> => "person", |_s| "person.update", |s| Some(Change::Person(s.id));
    StatusChanged => "person", |s| if s.disabled { "person.disable" } else { "person.enable" }, |s| Some(Change::Person(s.id));
    Deleted<'_> => "person", |_s| "person.delete", |s| Some(Change::Person(s.id));
    Erased => "person", |_s| "person.erase", |s| Some(Change::Person(s.id));
    Exported => "person", |_s| "person.export", |_s| None;
    PhotoChanged => "person", |_s| "person.photo", |_s| None;
    EmailChanged<'_> => "person", |_s| "person.email.change", |_s| None;
    PasswordSet => "person", |_s| "person.password.set", |_s| None;
    PasswordChanged => "person", |_s| "person.password.change", |_s| None;
    AccessRenewed => "person", |_s| "person.access.renew", |_s| None;
    AccessEnded => "person", |_s| "person.access.end", |_s| None;
    AccessReminded => "person", |_s| "person.access.reminder", |_s| None;
}
