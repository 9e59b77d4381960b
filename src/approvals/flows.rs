//! A flow over one version of a document: started by someone who may
//! contribute to its space, decided step by step by the people each step
//! names, on the exact bytes it started on. Everything happens inside one
//! write transaction, so two approvers deciding at once on an "any one"
//! step move it once, and a decision's audit entry is in the chain before
//! it is acknowledged.

use super::approvers;
use super::definition::{Definition, OnNewVersion, OnReject};
use super::events::{Decided, Moved, Started};
use super::store::{self, FlowRow};
use super::subject::{self, On, Subject};
use crate::access::{Actor, SpaceAction};
use crate::content::events::record;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::{Connection, Transaction};
use std::collections::BTreeSet;

pub const MAX_COMMENT: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    /// Back to the author for a new version, whatever the step says.
    Changes,
}

impl Decision {
    pub fn parse(raw: &str) -> Result<Decision> {
        match raw {
            "approve" => Ok(Decision::Approve),
            "reject" => Ok(Decision::Reject),
            "changes" => Ok(Decision::Changes),
            _ => Err(Error::invalid("decision", "approval-decision")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
            Decision::Changes => "changes",
        }
    }
}

fn person(actor: &Actor) -> Result<i64> {
    actor
        .principal()
        .map(|p| p.person_id)
        .ok_or(Error::Forbidden)
}

/// Who decides at `step` of a flow on `doc` now: its approvers, and those
/// who stand in for them once its deadline has passed (`escalated`) or
/// when they name nobody who may still decide.
pub fn deciders(
    c: &Connection,
    def: &Definition,
    step: usize,
    doc: &Subject,
    escalated: bool,
) -> Result<BTreeSet<i64>> {
    let Some(s) = def.steps.get(step) else {
        return Ok(BTreeSet::new());
    };
    let mut people = approvers::resolve_for(c, &s.approvers, doc)?;
    // Signatories without an account are asked by e-mail, and nobody
    // stands in for them, even once the deadline has passed: a step that
    // names one is settled by its own approvers only.
    let signatories = s.signatories().next().is_some();
    if !signatories && (people.is_empty() || escalated) {
        people.extend(standing_in(c, s, doc)?);
    }
    Ok(people)
}

/// Who stands in for a step's approvers: its backups who may decide, or
/// else the space's managers.
pub fn standing_in(
    c: &Connection,
    s: &super::definition::Step,
    doc: &Subject,
) -> Result<BTreeSet<i64>> {
    let backup = approvers::resolve_for(c, &s.backup, doc)?;
    if !backup.is_empty() {
        return Ok(backup);
    }
    let managers = [super::definition::Approver::Role {
        role: "manager".into(),
    }];
    approvers::resolve_for(c, &managers, doc)
}

/// Who decides at the flow's `step` now, without its authors when the
/// template forbids self-approval (so "all" counts only those who may).
pub fn step_deciders(
    c: &Connection,
    flow: &FlowRow,
    step: usize,
    doc: &Subject,
) -> Result<BTreeSet<i64>> {
    let escalated = flow.warned >= 2 && step as i64 == flow.step;
    let mut people = deciders(c, &flow.definition, step, doc, escalated)?;
    if flow.definition.forbid_self_approval {
        let mut authors = Vec::new();
        for p in &people {
            if store::is_author(c, flow, *p)? {
                authors.push(*p);
            }
        }
        for a in authors {
            people.remove(&a);
        }
    }
    Ok(people)
}

/// The step's own approvers who may decide now (nobody standing in for
/// them): the people its rule counts.
fn own_approvers(
    c: &Connection,
    def: &Definition,
    step: usize,
    doc: &Subject,
) -> Result<BTreeSet<i64>> {
    match def.steps.get(step) {
        Some(s) => approvers::resolve_for(c, &s.approvers, doc),
        None => Ok(BTreeSet::new()),
    }
}

/// The state a flow gives its file: in review, changes asked, approved,
/// rejected; a draft once cancelled.
pub fn review_state(flow_state: &str) -> crate::documents::ReviewState {
    use crate::documents::ReviewState;
    match flow_state {
        "running" => ReviewState::Review,
        "returned" => ReviewState::Changes,
        "approved" => ReviewState::Approved,
        "rejected" => ReviewState::Rejected,
        _ => ReviewState::Draft,
    }
}

/// Shows the flow's state on its file (locked in review if its template
/// says so); a file whose state changes is searched by its new one. A
/// request whose flow is approved moves to the status it waited for.
fn mark(tx: &Transaction<'_>, id: i64) -> Result<FlowRow> {
    use crate::documents::ReviewState;
    let flow = store::flow(tx, id)?.ok_or(Error::NotFound)?;
    match flow.on {
        On::Document(document) => {
            let state = review_state(&flow.state);
            let lock = state == ReviewState::Review && flow.definition.lock_during_review;
            let changed = crate::documents::store::set_review(
                tx,
                document,
                state,
                flow.version_number,
                lock,
            )?;
            if changed {
                crate::search::sources::enqueue(
                    tx,
                    crate::search::sources::Change::Document(document),
                )?;
            }
            super::signatories::sync(tx, &flow)?;
        }
        On::Request(request) => {
            if flow.state == "approved"
                && let Some(to) = &flow.target_status
            {
                crate::requests::work::approved_in(tx, request, to, flow.id)?;
            }
        }
    }
    Ok(flow)
}

/// Starts template `template` on the current version of document `id`.
pub fn start_in(tx: &Transaction<'_>, actor: &Actor, id: i64, template: i64) -> Result<FlowRow> {
    let by = person(actor)?;
    let d = crate::documents::store::document(tx, id)?.ok_or(Error::NotFound)?;
    let doc = Subject::document(&d);
    subject::require(tx, actor, &doc, SpaceAction::Contribute)?;
    begin(tx, actor, &doc, (template, None), Some(by))
}

/// A request's agent asks to move it to status `to`, which requires the
/// flow its type names there: the flow starts on the request as its
/// customer sees it now, and the request moves once it is approved.
pub fn start_on_request(
    tx: &Transaction<'_>,
    actor: &Actor,
    request: i64,
    to: &str,
    flow_name: &str,
) -> Result<FlowRow> {
    let by = person(actor)?;
    let subject = Subject::request(tx, request)?.ok_or(Error::NotFound)?;
    subject::require(tx, actor, &subject, SpaceAction::Contribute)?;
    let template = store::template_named(tx, subject.space_id, flow_name)?
        .ok_or(Error::Conflict("approval-request-template"))?;
    begin(tx, actor, &subject, (template, Some(to)), Some(by))
}

/// A file landed in a folder bound to `template` (a submission): its flow
/// starts in the name of whoever put it there (`by`), who counts as its
/// author.
pub fn start_landed(
    tx: &Transaction<'_>,
    doc: &crate::documents::Document,
    template: i64,
    by: Option<i64>,
) -> Result<FlowRow> {
    begin(
        tx,
        &Actor::system(),
        &Subject::document(doc),
        (template, None),
        by,
    )
}

fn begin(
    tx: &Transaction<'_>,
    actor: &Actor,
    doc: &Subject,
    (template, target): (i64, Option<&str>),
    by: Option<i64>,
) -> Result<FlowRow> {
    let (name, version) = store::template_for_start(tx, template, doc.space_id)?
        .ok_or(Error::invalid("template", "approval-template-unknown"))?;
    let definition = store::definition_of(tx, template, version)?.ok_or(Error::NotFound)?;
    check_subject(&definition, doc)?;
    if store::open_flow(tx, doc.on)?.is_some() {
        return Err(Error::Conflict("approval-open"));
    }
    let now = now_ms();
    let flow = store::insert_flow(tx, (template, version), doc, target, by, now)?;
    let row = store::flow(tx, flow)?.ok_or(Error::NotFound)?;
    // Nobody may decide at the first step (its author aside): not started.
    let first = step_deciders(tx, &row, 0, doc)?;
    if first.is_empty() && !super::signatories::asks(&row, 0) {
        return Err(Error::invalid("template", "approval-step-nobody"));
    }
    store::set_waiting(tx, flow, &first, now)?;
    record(
        tx,
        actor,
        &Started {
            id: flow,
            template: &name,
            template_version: version,
            document: doc.document_id(),
            request: doc.request_id(),
            version: doc.version,
            blake3: &doc.hash,
        },
    )?;
    mark(tx, flow)
}

/// Whether a template can run on this subject: conditions read a
/// request's public fields (a file has none); signatories without an
/// account sign files (a request has no bytes to send them).
fn check_subject(definition: &Definition, subject: &Subject) -> Result<()> {
    match subject.on {
        On::Document(_) => {
            if definition.conditions().next().is_some() {
                return Err(Error::invalid("template", "approval-conditions-request"));
            }
        }
        On::Request(_) => {
            let public: Vec<&str> = subject.public_fields.iter().map(String::as_str).collect();
            super::conditions::require_fields(definition.conditions(), &public)?;
            if definition
                .steps
                .iter()
                .any(|s| s.signatories().next().is_some())
            {
                return Err(Error::invalid("template", "approval-signatory-document"));
            }
        }
    }
    Ok(())
}

/// Brings an open flow to what its subject is now, as its template says: a
/// new version of its file (or changed fields of its request) restarts it
/// from its first step on the new bytes, or cancels it. An approval never
/// carries over to other bytes. Returns the flow as it now stands.
pub fn follow_versions(tx: &Transaction<'_>, flow: FlowRow) -> Result<FlowRow> {
    if !flow.is_open() {
        return Ok(flow);
    }
    let Some(doc) = Subject::of_flow(tx, &flow)? else {
        return Ok(flow);
    };
    if doc.is_at(&flow) {
        return Ok(flow);
    }
    let now = now_ms();
    let actor = Actor::system();
    // A flow returned to its author waits for exactly this: it starts again.
    let policy = if flow.state == "returned" {
        OnNewVersion::Restart
    } else {
        flow.definition.on_new_version
    };
    match policy {
        OnNewVersion::Restart => {
            store::restart(tx, flow.id, &doc, now)?;
            let restarted = store::flow(tx, flow.id)?.ok_or(Error::NotFound)?;
            let first = step_deciders(tx, &restarted, 0, &doc)?;
            store::set_waiting(tx, flow.id, &first, now)?;
            record(
                tx,
                &actor,
                &Moved {
                    id: flow.id,
                    state: "running",
                    step: 1,
                    why: Some("new-version"),
                },
            )?;
        }
        OnNewVersion::Cancel => {
            store::finish(tx, flow.id, "cancelled", now)?;
            store::set_waiting(tx, flow.id, &BTreeSet::new(), now)?;
            record(
                tx,
                &actor,
                &Moved {
                    id: flow.id,
                    state: "cancelled",
                    step: flow.step + 1,
                    why: Some("new-version"),
                },
            )?;
        }
    }
    mark(tx, flow.id)
}

/// A flow the actor may know of (they may read what it decides on),
/// brought to what that is now.
pub fn visible(tx: &Transaction<'_>, actor: &Actor, id: i64) -> Result<(FlowRow, Subject)> {
    let flow = store::flow(tx, id)?.ok_or(Error::NotFound)?;
    let doc = subject::require_of(tx, actor, &flow, SpaceAction::Read)?;
    let flow = follow_versions(tx, flow)?;
    Ok((flow, doc))
}

/// Records the actor's decision on the current step of flow `id`, made on
/// the bytes hashed `seen` (what their page showed), and moves the flow on
/// when the step is settled.
pub fn decide_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: i64,
    decision: Decision,
    comment: &str,
    seen: &str,
) -> Result<FlowRow> {
    let me = person(actor)?;
    let comment = clean_comment(comment)?;
    let comment = comment.as_str();
    let (flow, doc) = visible(tx, actor, id)?;
    if flow.state != "running" {
        return Err(Error::Conflict("approval-finished"));
    }
    let step = flow.step as usize;
    if flow.definition.forbid_self_approval && store::is_author(tx, &flow, me)? {
        return Err(Error::Conflict("approval-self"));
    }
    let deciders = step_deciders(tx, &flow, step, &doc)?;
    let decided = store::decided_in_round(tx, &flow)?;
    // An approver decides for themselves first; then, as a delegate, for
    // the first of the step's approvers away now who chose them and for
    // whom nobody decided yet. Each counts once per round.
    let away: Vec<i64> = store::delegators_of(tx, me, now_ms())?
        .into_iter()
        .filter(|d| deciders.contains(d))
        .collect();
    let for_whom = if deciders.contains(&me) && !decided.contains(&me) {
        None
    } else if let Some(d) = away.iter().copied().find(|d| !decided.contains(d)) {
        Some(d)
    } else if deciders.contains(&me) || !away.is_empty() {
        return Err(Error::Conflict("approval-decided"));
    } else {
        return Err(Error::Forbidden);
    };
    let counts_for = for_whom.unwrap_or(me);
    if seen != flow.blob_hash || !doc.is_at(&flow) {
        return Err(Error::Conflict("approval-stale"));
    }
    // Someone standing in (a backup, a manager) is recorded as such, and
    // their approval settles the step; the rule counts the step's own.
    let own = own_approvers(tx, &flow.definition, step, &doc)?;
    let by = By {
        person: Some(me),
        signatory: None,
        stand_in: !own.contains(&counts_for),
        on_behalf_of: for_whom,
    };
    let asked = (&deciders, &own);
    keep_decision(tx, actor, (flow, &doc), by, asked, (decision, comment))
}

/// Who a decision is by: a person (standing in, or for someone away), or
/// a signatory without an account (their invitation and address).
struct By<'a> {
    person: Option<i64>,
    signatory: Option<(i64, &'a str)>,
    stand_in: bool,
    on_behalf_of: Option<i64>,
}

/// Keeps a decision on the flow's current step — its audit entry in the
/// chain first, then the decision naming it — and moves the flow on when
/// the step is settled. The step's rule counts its own approvers who may
/// decide now and its signatories.
fn keep_decision(
    tx: &Transaction<'_>,
    actor: &Actor,
    (flow, doc): (FlowRow, &Subject),
    by: By<'_>,
    (deciders, own): (&BTreeSet<i64>, &BTreeSet<i64>),
    (decision, comment): (Decision, &str),
) -> Result<FlowRow> {
    let mut counted: BTreeSet<i64> = deciders.intersection(own).copied().collect();
    counted.extend(super::signatories::counted(tx, &flow)?);
    let step_name = flow.step_name();
    let audit = record(
        tx,
        actor,
        &Decided {
            id: flow.id,
            step: flow.step + 1,
            step_name: &step_name,
            decision: decision.as_str(),
            blake3: &flow.blob_hash,
            signatory: by.signatory.map(|(_, email)| email),
        },
    )?;
    let kept = store::NewDecision {
        person: by.person,
        signatory: by.signatory.map(|(id, _)| id),
        decision: decision.as_str(),
        comment,
        stand_in: by.stand_in,
        on_behalf_of: by.on_behalf_of,
        audit,
        now: now_ms(),
    };
    store::insert_decision(tx, &flow, &kept)?;
    let flow = settle(tx, flow, doc, decision, (&counted, by.stand_in))?;
    moved_on(tx, &flow, doc)
}

/// After a decision: whoever the flow waits for now, the step's approvers
/// who have not decided in this round (none once it stops running).
fn moved_on(tx: &Transaction<'_>, flow: &FlowRow, doc: &Subject) -> Result<FlowRow> {
    let waiting = if flow.state == "running" {
        let decided = store::decided_in_round(tx, flow)?;
        step_deciders(tx, flow, flow.step as usize, doc)?
            .into_iter()
            .filter(|p| !decided.contains(p))
            .collect()
    } else {
        BTreeSet::new()
    };
    store::set_waiting(tx, flow.id, &waiting, now_ms())?;
    mark(tx, flow.id)
}

/// Records a signatory's decision (their invitation `signatory`, already
/// spent, at `email`) on the flow's current step, and moves it on.
pub fn decide_as_signatory(
    tx: &Transaction<'_>,
    actor: &Actor,
    flow: FlowRow,
    doc: &Subject,
    (signatory, email): (i64, &str),
    decision: Decision,
    comment: &str,
) -> Result<FlowRow> {
    let comment = clean_comment(comment)?;
    let by = By {
        person: None,
        signatory: Some((signatory, email)),
        stand_in: false,
        on_behalf_of: None,
    };
    let step = flow.step as usize;
    let deciders = step_deciders(tx, &flow, step, doc)?;
    let own = own_approvers(tx, &flow.definition, step, doc)?;
    keep_decision(
        tx,
        actor,
        (flow, doc),
        by,
        (&deciders, &own),
        (decision, &comment),
    )
}

/// A decision's comment as kept: line breaks as browsers send them made
/// one, trimmed; too long or with control characters refused.
fn clean_comment(comment: &str) -> Result<String> {
    let comment = comment.replace("\r\n", "\n");
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT || comment.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(Error::invalid("comment", "approval-comment"));
    }
    Ok(comment.to_string())
}

/// Flow `id`, for whoever started it or manages its space (withdrawing
/// it, sending its links again); anyone else finds none.
pub fn starters(tx: &Transaction<'_>, actor: &Actor, id: i64) -> Result<(FlowRow, Subject)> {
    let me = person(actor)?;
    let (flow, doc) = visible(tx, actor, id)?;
    let manager = subject::require(tx, actor, &doc, SpaceAction::Manage).is_ok();
    if flow.started_by != Some(me) && !manager {
        return Err(Error::Forbidden);
    }
    Ok((flow, doc))
}

/// Withdraws an open flow: its starter or a manager of its space ends it,
/// cancelled (a locked file is free again). Nothing is sealed: nothing was
/// decided to the end.
pub fn withdraw_in(tx: &Transaction<'_>, actor: &Actor, id: i64) -> Result<FlowRow> {
    let (flow, _) = starters(tx, actor, id)?;
    if !flow.is_open() {
        return Err(Error::Conflict("approval-finished"));
    }
    store::finish(tx, id, "cancelled", now_ms())?;
    store::set_waiting(tx, id, &BTreeSet::new(), now_ms())?;
    record(
        tx,
        actor,
        &Moved {
            id,
            state: "cancelled",
            step: flow.step + 1,
            why: Some("withdrawn"),
        },
    )?;
    mark(tx, id)
}

/// Moves the flow on after a decision: the next step (or the end) once the
/// step's rule is met (or someone standing in approved); back as a
/// rejection says.
fn settle(
    tx: &Transaction<'_>,
    flow: FlowRow,
    doc: &Subject,
    decision: Decision,
    (counted, stand_in): (&BTreeSet<i64>, bool),
) -> Result<FlowRow> {
    let now = now_ms();
    let step = flow.step as usize;
    let def = &flow.definition;
    let system = Actor::system();
    let moved = |state: &'static str, step: i64, why: Option<&'static str>| Moved {
        id: flow.id,
        state,
        step: step + 1,
        why,
    };
    match decision {
        Decision::Approve => {
            let approved = store::approvals(tx, &flow)?
                .into_iter()
                .filter(|p| counted.contains(p))
                .count();
            if !stand_in && !def.steps[step].rule.met(approved, counted.len()) {
                return Ok(flow);
            }
            if step + 1 == def.steps.len() {
                store::finish(tx, flow.id, "approved", now)?;
                record(tx, &system, &moved("approved", flow.step, None))?;
                super::sealing::seal(tx, flow.id, now)?;
            } else {
                store::enter(tx, flow.id, flow.step + 1, now)?;
                record(tx, &system, &moved("running", flow.step + 1, None))?;
                if deciders_next(tx, &flow, doc)?.is_empty()
                    && !super::signatories::asks(&flow, step + 1)
                {
                    return Err(Error::Conflict("approval-step-nobody"));
                }
            }
        }
        Decision::Changes => {
            store::set_state(tx, flow.id, "returned", now)?;
            record(tx, &system, &moved("returned", flow.step, Some("changes")))?;
        }
        Decision::Reject => match def.steps[step].on_reject {
            OnReject::End => {
                store::finish(tx, flow.id, "rejected", now)?;
                record(tx, &system, &moved("rejected", flow.step, None))?;
                super::sealing::seal(tx, flow.id, now)?;
            }
            OnReject::Back if step > 0 => {
                store::enter(tx, flow.id, flow.step - 1, now)?;
                record(
                    tx,
                    &system,
                    &moved("running", flow.step - 1, Some("rejected")),
                )?;
            }
            OnReject::Back | OnReject::Author => {
                store::set_state(tx, flow.id, "returned", now)?;
                record(tx, &system, &moved("returned", flow.step, Some("rejected")))?;
            }
        },
    }
    store::flow(tx, flow.id)?.ok_or(Error::NotFound)
}

fn deciders_next(tx: &Transaction<'_>, flow: &FlowRow, doc: &Subject) -> Result<BTreeSet<i64>> {
    // As the next step will count them: its author aside when forbidden.
    step_deciders(tx, flow, flow.step as usize + 1, doc)
}
