//! The changes made to flow templates and flows, as values (see
//! `content::events`): each is audited in the change's transaction, so a
//! decision's place in the hash chain is known before it commits.

use crate::content::events::recorded;
use crate::search::sources::Change;
use serde::Serialize;

/// A template defined or changed: audited on its space.
#[derive(Serialize)]
pub struct TemplateSaved<'a> {
    /// The space.
    #[serde(skip)]
    pub id: i64,
    pub template: i64,
    pub name: &'a str,
    pub version: i64,
}

#[derive(Serialize)]
pub struct Started<'a> {
    #[serde(skip)]
    pub id: i64,
    pub template: &'a str,
    pub template_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<i64>,
    pub version: i64,
    pub blake3: &'a str,
}

/// A decision, on the exact bytes it was made on.
#[derive(Serialize)]
pub struct Decided<'a> {
    #[serde(skip)]
    pub id: i64,
    pub step: i64,
    pub step_name: &'a str,
    pub decision: &'a str,
    pub blake3: &'a str,
    /// A signatory without an account decided (the audit log says who).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signatory: Option<&'a str>,
}

/// A signatory without an account was mailed their link.
#[derive(Serialize)]
pub struct Invited {
    #[serde(skip)]
    pub id: i64,
    pub signatory: i64,
}

/// The flow moved on: to a step, back, to the author, or to its end.
#[derive(Serialize)]
pub struct Moved<'a> {
    #[serde(skip)]
    pub id: i64,
    pub state: &'a str,
    pub step: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<&'a str>,
}

/// A step's deadline: its approvers reminded before it, or, once passed,
/// the step escalated to those who stand in for them.
#[derive(Serialize)]
pub struct Warned {
    #[serde(skip)]
    pub id: i64,
    pub step: i64,
    pub escalated: bool,
    pub due: i64,
}

/// A folder bound to a template (none: unbound): audited on its space.
#[derive(Serialize)]
pub struct Bound {
    #[serde(skip)]
    pub id: i64,
    pub folder: i64,
    pub template: Option<i64>,
}

/// A person's delegation set (or ended, with no delegate): audited on them.
#[derive(Serialize)]
pub struct Delegated {
    #[serde(skip)]
    pub id: i64,
    pub delegate: Option<i64>,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// A note added to a flow's internal discussion (its words stay out of
/// the log, as comments' do).
#[derive(Serialize)]
pub struct Noted {
    #[serde(skip)]
    pub id: i64,
    pub note: i64,
}

/// The signatories' links of a flow's step sent again.
#[derive(Serialize)]
pub struct Resent {
    #[serde(skip)]
    pub id: i64,
    pub links: i64,
}

recorded! {
    Resent => "approval", |_s| "approval.resend", |_s| None;
    Noted => "approval", |_s| "approval.note", |_s| None;
    Invited => "approval", |_s| "approval.invite", |_s| None;
    TemplateSaved<'_> => "space", |_s| "approval.template", |_s| None;
    Bound => "space", |_s| "approval.bind", |_s| None;
    Delegated => "person", |_s| "approval.delegate", |_s| None;
    Started<'_> => "approval", |_s| "approval.start", |s| Some(Change::item(&super::KIND, s.id));
    Decided<'_> => "approval", |_s| "approval.decide", |s| Some(Change::item(&super::KIND, s.id));
    Warned => "approval", |s| if s.escalated { "approval.escalate" } else { "approval.remind" }, |_s| None;
    Moved<'_> => "approval", |s| match s.state {
        "approved" => "approval.approve",
        "rejected" => "approval.reject",
        "cancelled" => "approval.cancel",
        "returned" => "approval.return",
        _ => "approval.step",
    }, |s| Some(Change::item(&super::KIND, s.id));
}
