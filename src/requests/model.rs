//! Requests as their readers see them, and the checks on what people send.

use super::fields::{FieldDef, FieldKind};
use super::store::{Entry, Row};
use super::types::Definition;
use crate::access::requests::Standing;
use crate::service::{Error, Result};
use crate::talk::Writer;
use serde::Serialize;
use serde_json::Value;

pub const MAX_TITLE: usize = 200;
/// A reply or a note: a message, not a document.
pub const MAX_BODY: usize = 20_000;
pub const MAX_RATING_COMMENT: usize = 2_000;
/// Requests listed at once.
pub const PAGE: u32 = 50;

pub fn title(raw: &str) -> Result<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Error::invalid("title", "request-title-required"));
    }
    if t.chars().count() > MAX_TITLE || t.chars().any(char::is_control) {
        return Err(Error::invalid("title", "request-title-invalid"));
    }
    Ok(t.to_string())
}

pub fn body(raw: &str) -> Result<String> {
    let b = raw.trim_end();
    if b.trim().is_empty() {
        return Err(Error::invalid("body", "request-body-required"));
    }
    if b.len() > MAX_BODY || b.contains('\0') {
        return Err(Error::invalid("body", "request-body-too-long"));
    }
    Ok(b.to_string())
}

/// A status, priority or type as a reader sees it: its key, both names.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub key: String,
    pub name_en: String,
    pub name_fr: String,
}

impl Named {
    pub fn new(key: &str, en: &str, fr: &str) -> Named {
        Named {
            key: key.into(),
            name_en: en.into(),
            name_fr: fr.into(),
        }
    }

    pub fn name(&self, lang: &str) -> &str {
        if lang == "fr" {
            &self.name_fr
        } else {
            &self.name_en
        }
    }
}

/// One field and its value.
#[derive(Debug, Clone, Serialize)]
pub struct FieldValue {
    pub key: String,
    pub label_en: String,
    pub label_fr: String,
    pub kind: FieldKind,
    pub required: bool,
    /// Seen by agents alone (only they are shown it).
    pub internal: bool,
    pub value: Value,
}

/// Service levels as a reader sees them.
#[derive(Debug, Clone, Serialize)]
pub struct SlaView {
    pub respond_due_at: Option<i64>,
    pub responded_at: Option<i64>,
    pub resolve_due_at: Option<i64>,
    /// The clock is stopped (waiting on someone else, or closed).
    pub paused: bool,
    /// A target was missed, or will be if nothing happens now.
    pub breached: bool,
}

/// What the reader may do to it now.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Allowed {
    /// The statuses they may move it to.
    pub moves: Vec<Named>,
    /// The statuses they may ask an approval for: it moves there once
    /// the flow is approved.
    pub approvals: Vec<Named>,
    /// Its type asks approvals before some statuses: its flows are on
    /// its approvals page.
    pub has_approvals: bool,
    pub reply: bool,
    /// Agents: notes, fields, priority, assignee.
    pub work: bool,
    pub rate: bool,
}

/// A request in a list: what says what it is and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub number: String,
    pub title: String,
    #[serde(rename = "type")]
    pub type_: Named,
    pub space: i64,
    pub status: Named,
    pub open: bool,
    pub priority: Named,
    pub requester: Writer,
    pub organization: Option<i64>,
    pub assignee: Option<Writer>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub breached: bool,
}

/// A request's line, for a reader who may know the people `w` names.
pub fn item(
    c: &rusqlite::Connection,
    type_key: &str,
    def: &Definition,
    r: &Row,
    w: &mut crate::talk::Writers<'_>,
    now: i64,
) -> Result<Item> {
    Ok(Item {
        id: r.id,
        number: r.number.clone(),
        title: r.title.clone(),
        type_: Named::new(type_key, &def.name_en, &def.name_fr),
        space: r.space_id,
        status: status_named(def, &r.status),
        open: r.is_open,
        priority: priority_named(def, &r.priority),
        requester: w.of(c, r.requester_id)?,
        organization: r.org_id,
        assignee: match r.assignee_id {
            Some(a) => Some(w.of(c, Some(a))?),
            None => None,
        },
        created_at: r.created_at,
        updated_at: r.updated_at,
        closed_at: r.closed_at,
        breached: r.sla.breached(now),
    })
}

/// A request as one reader sees it: agents see everything; its requester
/// and colleagues never see internal fields, nor its external id.
#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    #[serde(flatten)]
    pub item: Item,
    pub fields: Vec<FieldValue>,
    pub sla: SlaView,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    /// The files sent with it that the reader sees.
    pub files: Vec<super::files::RequestFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Send it back with a change: a change made on an older version is
    /// refused as a conflict.
    pub version: String,
    pub watching: bool,
    pub may: Allowed,
}

/// The version token a reader is given: the public version, and for
/// agents the internal one after a dot.
pub fn version_token(r: &Row, agent: bool) -> String {
    if agent {
        format!("{}.{}", r.version, r.internal_version)
    } else {
        r.version.to_string()
    }
}

/// The versions a token names (a missing internal part: not checked).
pub fn parse_version(token: &str) -> Result<(i64, Option<i64>)> {
    let bad = || Error::invalid("version", "request-version-invalid");
    let mut parts = token.trim().splitn(2, '.');
    let public = parts
        .next()
        .and_then(|p| p.parse::<i64>().ok())
        .ok_or_else(bad)?;
    let internal = match parts.next() {
        Some(p) => Some(p.parse::<i64>().map_err(|_| bad())?),
        None => None,
    };
    Ok((public, internal))
}

/// The fields a reader is shown: internal ones for agents alone.
pub fn field_values(def: &Definition, r: &Row, agent: bool) -> Vec<FieldValue> {
    def.fields
        .iter()
        .filter(|f| agent || !f.internal)
        .map(|f| {
            let v = r.values(f.internal).get(&f.key).cloned();
            field_value(f, v.unwrap_or(Value::Null))
        })
        .collect()
}

fn field_value(f: &FieldDef, value: Value) -> FieldValue {
    FieldValue {
        key: f.key.clone(),
        label_en: f.label_en.clone(),
        label_fr: f.label_fr.clone(),
        kind: f.kind.clone(),
        required: f.required,
        internal: f.internal,
        value,
    }
}

/// The named status `key` of a definition (a status the type no longer
/// has is named by its key).
pub fn status_named(def: &Definition, key: &str) -> Named {
    match def.workflow.status(key) {
        Some(s) => Named::new(&s.key, &s.name_en, &s.name_fr),
        None => Named::new(key, key, key),
    }
}

pub fn priority_named(def: &Definition, key: &str) -> Named {
    match def.priority(key) {
        Some(p) => Named::new(&p.key, &p.name_en, &p.name_fr),
        None => Named::new(key, key, key),
    }
}

/// One entry of a timeline as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    #[serde(flatten)]
    pub entry: Entry,
    pub by: Writer,
}

/// Whether someone standing so sees the internal side, asked as
/// themself or as the customer would.
pub fn sees_internal(s: &Standing, as_customer: bool) -> bool {
    s.agent && !as_customer
}
