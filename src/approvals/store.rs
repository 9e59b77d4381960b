//! The approval tables: templates by version, flows, decisions, records.

use super::definition::Definition;
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};

/// A flow, with the template version it runs.
#[derive(Debug, Clone)]
pub struct FlowRow {
    pub id: i64,
    pub template_id: i64,
    pub template_name: String,
    pub template_version: i64,
    pub definition: Definition,
    pub space_id: i64,
    /// What it decides on: a document, or a request.
    pub on: super::subject::On,
    /// On a request, the status it moves to once approved.
    pub target_status: Option<String>,
    /// On a request, the bytes decided on.
    pub snapshot: Option<String>,
    pub version_number: i64,
    pub blob_hash: String,
    /// `running`, `returned` (waiting for the author's new version),
    /// `approved`, `rejected`, `cancelled`.
    pub state: String,
    /// The current step, from 0.
    pub step: i64,
    pub round: i64,
    pub started_by: Option<i64>,
    pub started_at: i64,
    pub step_started_at: i64,
    pub finished_at: Option<i64>,
    /// How far the current step's deadline was told: 1 reminded, 2
    /// escalated (its backup approvers, or the space's managers, decide too).
    pub warned: i64,
}

impl FlowRow {
    pub fn is_open(&self) -> bool {
        self.state == "running" || self.state == "returned"
    }

    pub fn document_id(&self) -> Option<i64> {
        match self.on {
            super::subject::On::Document(id) => Some(id),
            super::subject::On::Request(_) => None,
        }
    }

    pub fn request_id(&self) -> Option<i64> {
        match self.on {
            super::subject::On::Request(id) => Some(id),
            super::subject::On::Document(_) => None,
        }
    }

    /// The current step's name.
    pub fn step_name(&self) -> String {
        self.definition
            .steps
            .get(self.step as usize)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
}

fn definition(text: &str) -> rusqlite::Result<Definition> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

const FLOW: &str = "SELECT f.id, f.template_id, t.name, f.template_version, v.definition, f.space_id,
        f.document_id, f.version_number, f.content_blake3, f.state, f.step, f.round, f.started_by,
        f.started_at, f.step_started_at, f.finished_at, f.warned, f.request_id, f.target_status,
        f.snapshot
   FROM approval_flows f
   JOIN approval_templates t ON t.id = f.template_id
   JOIN approval_template_versions v ON v.template_id = f.template_id AND v.version = f.template_version";

/// A flow as kept, with the steps that run on what it decides on: a
/// request's conditions are read against the bytes it decides on, so the
/// steps stay the same until it starts again on changed fields.
fn flow_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FlowRow> {
    let snapshot: Option<String> = r.get(19)?;
    let mut definition = definition(&r.get::<_, String>(4)?)?;
    if let Some(text) = &snapshot {
        let fields = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("fields").and_then(|f| f.as_object()).cloned())
            .unwrap_or_default();
        definition = definition.applying(&fields);
    }
    Ok(FlowRow {
        id: r.get(0)?,
        template_id: r.get(1)?,
        template_name: r.get(2)?,
        template_version: r.get(3)?,
        definition,
        space_id: r.get(5)?,
        on: match (r.get::<_, Option<i64>>(6)?, r.get::<_, Option<i64>>(17)?) {
            (Some(d), _) => super::subject::On::Document(d),
            (None, Some(q)) => super::subject::On::Request(q),
            // The table's check holds one of the two.
            (None, None) => {
                return Err(rusqlite::Error::InvalidColumnType(
                    6,
                    "document_id".into(),
                    rusqlite::types::Type::Null,
                ));
            }
        },
        version_number: r.get(7)?,
        blob_hash: r.get(8)?,
        state: r.get(9)?,
        step: r.get(10)?,
        round: r.get(11)?,
        started_by: r.get(12)?,
        started_at: r.get(13)?,
        step_started_at: r.get(14)?,
        finished_at: r.get(15)?,
        warned: r.get(16)?,
        target_status: r.get(18)?,
        snapshot,
    })
}

pub fn flow(c: &Connection, id: i64) -> Result<Option<FlowRow>> {
    Ok(c.prepare_cached(&format!("{FLOW} WHERE f.id = ?1"))?
        .query_row([id], flow_row)
        .optional()?)
}

/// The flow at work on a document or a request (running, or returned to
/// its author).
pub fn open_flow(c: &Connection, on: super::subject::On) -> Result<Option<FlowRow>> {
    let (column, id) = on_column(on);
    Ok(c.prepare_cached(&format!(
        "{FLOW} WHERE f.{column} = ?1 AND f.state IN ('running', 'returned')"
    ))?
    .query_row([id], flow_row)
    .optional()?)
}

fn on_column(on: super::subject::On) -> (&'static str, i64) {
    match on {
        super::subject::On::Document(id) => ("document_id", id),
        super::subject::On::Request(id) => ("request_id", id),
    }
}

/// Whether a flow ever ran on this version of a document.
pub fn any_flow_on(c: &Connection, document: i64, version: i64) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT 1 FROM approval_flows WHERE document_id = ?1 AND version_number = ?2",
    )?
    .exists(params![document, version])?)
}

/// A document's or a request's flows, newest first.
pub fn of_subject(c: &Connection, on: super::subject::On) -> Result<Vec<FlowRow>> {
    let (column, id) = on_column(on);
    let mut st = c.prepare_cached(&format!("{FLOW} WHERE f.{column} = ?1 ORDER BY f.id DESC"))?;
    let rows = st.query_map([id], flow_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The template of `space` called `name`, if one may be started.
pub fn template_named(c: &Connection, space: i64, name: &str) -> Result<Option<i64>> {
    Ok(c.prepare_cached(
        "SELECT id FROM approval_templates WHERE space_id = ?1 AND name = ?2 AND archived = 0",
    )?
    .query_row(params![space, name], |r| r.get(0))
    .optional()?)
}

/// A template of `space` one may start: its name and latest version.
pub fn template_for_start(c: &Connection, id: i64, space: i64) -> Result<Option<(String, i64)>> {
    Ok(c.prepare_cached(
        "SELECT name, version FROM approval_templates
              WHERE id = ?1 AND space_id = ?2 AND archived = 0",
    )?
    .query_row(params![id, space], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()?)
}

pub fn insert_flow(
    c: &Connection,
    (template, version): (i64, i64),
    subject: &super::subject::Subject,
    target_status: Option<&str>,
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    let inserted = c.execute(
        "INSERT INTO approval_flows (template_id, template_version, space_id, document_id,
             request_id, target_status, snapshot, version_number, content_blake3, state, step,
             round, started_by, started_at, step_started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'running', 0, 1, ?10, ?11, ?11)",
        params![
            template,
            version,
            subject.space_id,
            subject.document_id(),
            subject.request_id(),
            target_status,
            subject.snapshot,
            subject.version,
            subject.hash,
            by,
            now
        ],
    );
    match inserted {
        Ok(_) => Ok(c.last_insert_rowid()),
        Err(e) if crate::db::is_unique_violation(&e) => Err(Error::Conflict("approval-open")),
        Err(e) => Err(e.into()),
    }
}

/// The flow starts again from its first step, on what its subject is now.
pub fn restart(c: &Connection, id: i64, subject: &super::subject::Subject, now: i64) -> Result<()> {
    c.execute(
        "UPDATE approval_flows SET state = 'running', step = 0, round = round + 1,
                version_number = ?2, content_blake3 = ?3, snapshot = ?4, step_started_at = ?5,
                warned = 0
          WHERE id = ?1",
        params![id, subject.version, subject.hash, subject.snapshot, now],
    )?;
    Ok(())
}

/// The flow enters `step` (a new round: earlier decisions there no longer count).
pub fn enter(c: &Connection, id: i64, step: i64, now: i64) -> Result<()> {
    c.execute(
        "UPDATE approval_flows SET state = 'running', step = ?2, round = round + 1,
                step_started_at = ?3, warned = 0 WHERE id = ?1",
        params![id, step, now],
    )?;
    Ok(())
}

pub fn set_state(c: &Connection, id: i64, state: &str, now: i64) -> Result<()> {
    c.execute(
        "UPDATE approval_flows SET state = ?2, round = round + 1, step_started_at = ?3, warned = 0
          WHERE id = ?1",
        params![id, state, now],
    )?;
    Ok(())
}

/// A template version's definition.
pub fn definition_of(c: &Connection, template: i64, version: i64) -> Result<Option<Definition>> {
    Ok(c.prepare_cached(
        "SELECT definition FROM approval_template_versions
              WHERE template_id = ?1 AND version = ?2",
    )?
    .query_row(params![template, version], |r| {
        definition(&r.get::<_, String>(0)?)
    })
    .optional()?)
}

/// How far the current step's deadline was told.
pub fn set_warned(c: &Connection, id: i64, stage: i64) -> Result<()> {
    c.prepare_cached("UPDATE approval_flows SET warned = ?2 WHERE id = ?1")?
        .execute(params![id, stage])?;
    Ok(())
}

/// Whom the current step of flow `id` waits for.
pub fn waiting_on(c: &Connection, id: i64) -> Result<Vec<i64>> {
    Ok(
        c.prepare_cached("SELECT person_id FROM approval_waiting WHERE flow_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    )
}

pub fn finish(c: &Connection, id: i64, state: &str, now: i64) -> Result<()> {
    c.execute(
        "UPDATE approval_flows SET state = ?2, finished_at = ?3 WHERE id = ?1",
        params![id, state, now],
    )?;
    Ok(())
}

/// Whether `person` started the flow, uploaded the version it is on, or
/// filed the request it is on.
pub fn is_author(c: &Connection, flow: &FlowRow, person: i64) -> Result<bool> {
    if flow.started_by == Some(person) {
        return Ok(true);
    }
    let author: Option<i64> = match flow.on {
        super::subject::On::Document(id) => c
            .prepare_cached(
                "SELECT created_by FROM document_versions WHERE document_id = ?1 AND number = ?2",
            )?
            .query_row(params![id, flow.version_number], |r| r.get(0))
            .optional()?
            .flatten(),
        super::subject::On::Request(id) => c
            .prepare_cached("SELECT requester_id FROM requests WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten(),
    };
    Ok(author == Some(person))
}

/// Whether `person` may never decide on `flow`: they wrote its version (or
/// started it) and its template forbids approving one's own. Such a person
/// is neither listed nor told, even as someone's delegate.
pub fn barred(c: &Connection, flow: &FlowRow, person: i64) -> Result<bool> {
    Ok(flow.definition.forbid_self_approval && is_author(c, flow, person)?)
}

/// A decision as it is kept.
pub struct NewDecision<'a> {
    /// Who decided: a person, or a signatory without an account.
    pub person: Option<i64>,
    pub signatory: Option<i64>,
    pub decision: &'a str,
    pub comment: &'a str,
    pub stand_in: bool,
    /// The approver a delegate decided for.
    pub on_behalf_of: Option<i64>,
    pub audit: i64,
    pub now: i64,
}

pub fn insert_decision(c: &Connection, flow: &FlowRow, d: &NewDecision<'_>) -> Result<()> {
    let inserted = c.execute(
        "INSERT INTO approval_decisions (flow_id, step, round, approver_id, decision, comment,
                                         content_blake3, decided_at, audit_id, stand_in, on_behalf_of,
                                         signatory_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            flow.id,
            flow.step,
            flow.round,
            d.person,
            d.decision,
            d.comment,
            flow.blob_hash,
            d.now,
            d.audit,
            d.stand_in,
            d.on_behalf_of,
            d.signatory
        ],
    );
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if crate::db::is_unique_violation(&e) => Err(Error::Conflict("approval-decided")),
        Err(e) => Err(e.into()),
    }
}

/// Who approved in the flow's current round (a delegate's approval
/// counts for whom they decided; a signatory's as minus their invitation).
pub fn approvals(c: &Connection, flow: &FlowRow) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT coalesce(on_behalf_of, approver_id, -signatory_id) FROM approval_decisions
          WHERE flow_id = ?1 AND round = ?2 AND decision = 'approve'
            AND coalesce(on_behalf_of, approver_id, -signatory_id) IS NOT NULL",
    )?;
    let rows = st.query_map(params![flow.id, flow.round], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// For whom a decision was made in the flow's current round: each approver
/// who decided for themselves, and each a delegate decided for (not the
/// delegate, who may still decide for themselves).
pub fn decided_in_round(c: &Connection, flow: &FlowRow) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT coalesce(on_behalf_of, approver_id) FROM approval_decisions
          WHERE flow_id = ?1 AND round = ?2
            AND coalesce(on_behalf_of, approver_id) IS NOT NULL",
    )?;
    let rows = st.query_map(params![flow.id, flow.round], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One decision as a flow's history and its record show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DecisionRow {
    pub step: i64,
    pub approver_id: Option<i64>,
    pub approver_name: Option<String>,
    pub decision: String,
    pub comment: String,
    pub blob_hash: String,
    pub decided_at: i64,
    pub audit_id: i64,
    pub audit_hash: Option<String>,
    /// The space's managers decided: the step's approvers named nobody who could.
    pub stand_in: bool,
    /// A delegate decided for this approver.
    pub on_behalf_of: Option<i64>,
    pub on_behalf_of_name: Option<String>,
    /// A signatory without an account decided (their address; their name
    /// is `approver_name`).
    pub signatory: Option<String>,
}

pub fn decisions(c: &Connection, flow: i64) -> Result<Vec<DecisionRow>> {
    let mut st = c.prepare_cached(
        "SELECT d.step, d.approver_id, coalesce(p.display_name, s.name), d.decision, d.comment,
                d.content_blake3, d.decided_at, d.audit_id, a.hash, d.stand_in, d.on_behalf_of,
                o.display_name, s.email
           FROM approval_decisions d
           LEFT JOIN people p ON p.id = d.approver_id
           LEFT JOIN people o ON o.id = d.on_behalf_of
           LEFT JOIN approval_signatories s ON s.id = d.signatory_id
           LEFT JOIN audit_events a ON a.id = d.audit_id
          WHERE d.flow_id = ?1 ORDER BY d.id",
    )?;
    let rows = st.query_map([flow], |r| {
        Ok(DecisionRow {
            step: r.get(0)?,
            approver_id: r.get(1)?,
            approver_name: r.get(2)?,
            decision: r.get(3)?,
            comment: r.get(4)?,
            blob_hash: r.get(5)?,
            decided_at: r.get(6)?,
            audit_id: r.get(7)?,
            audit_hash: r.get(8)?,
            stand_in: r.get(9)?,
            on_behalf_of: r.get(10)?,
            on_behalf_of_name: r.get(11)?,
            signatory: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn record_of(c: &Connection, flow: i64) -> Result<Option<String>> {
    Ok(
        c.prepare_cached("SELECT record FROM approval_records WHERE flow_id = ?1")?
            .query_row([flow], |r| r.get(0))
            .optional()?,
    )
}

/// The current step of flow `id` waits for `people` (none: the flow does
/// not wait); those already waiting keep the instant they started to.
pub fn set_waiting(
    c: &Connection,
    id: i64,
    people: &std::collections::BTreeSet<i64>,
    now: i64,
) -> Result<()> {
    let before = waiting_on(c, id)?;
    for p in before.iter().filter(|p| !people.contains(p)) {
        done_waiting(c, id, *p)?;
    }
    let mut st = c.prepare_cached(
        "INSERT OR IGNORE INTO approval_waiting (person_id, flow_id, since) VALUES (?1, ?2, ?3)",
    )?;
    for p in people {
        st.execute(params![p, id, now])?;
    }
    Ok(())
}

/// `person` decided: the flow no longer waits for them.
pub fn done_waiting(c: &Connection, id: i64, person: i64) -> Result<()> {
    c.execute(
        "DELETE FROM approval_waiting WHERE flow_id = ?1 AND person_id = ?2",
        params![id, person],
    )?;
    Ok(())
}

/// The running flows waiting for `person`, or for someone whose
/// decisions they take at `now` (a delegation), the longest waiting first.
pub fn waiting_for(c: &Connection, person: i64, now: i64, limit: i64) -> Result<Vec<FlowRow>> {
    let mut st = c.prepare_cached(&format!(
        "{FLOW} JOIN (SELECT flow_id, min(since) AS since FROM approval_waiting
                      WHERE person_id = ?1 OR person_id IN ({DELEGATORS})
                      GROUP BY flow_id) w ON w.flow_id = f.id
          WHERE f.state = 'running'
          ORDER BY w.since, f.id LIMIT ?2"
    ))?;
    let rows = st.query_map(params![person, limit, now], flow_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Those whose decisions `?1` takes at `?3`.
const DELEGATORS: &str = "SELECT person_id FROM approval_delegations
     WHERE delegate_id = ?1 AND starts_at <= ?3 AND ends_at > ?3";

/// Whether flow `flow` waits for `person`, or for someone whose decisions
/// they take at `now`.
pub fn waits_for(c: &Connection, person: i64, flow: i64, now: i64) -> Result<bool> {
    Ok(c.prepare_cached(&format!(
        "SELECT 1 FROM approval_waiting WHERE flow_id = ?2
               AND (person_id = ?1 OR person_id IN ({DELEGATORS}))"
    ))?
    .exists(params![person, flow, now])?)
}

/// Those whose decisions `delegate` takes at `now`.
pub fn delegators_of(c: &Connection, delegate: i64, now: i64) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT person_id FROM approval_delegations
          WHERE delegate_id = ?1 AND starts_at <= ?2 AND ends_at > ?2",
    )?;
    let rows = st.query_map(params![delegate, now], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who takes `person`'s decisions at `now`, if anyone.
pub fn delegate_of(c: &Connection, person: i64, now: i64) -> Result<Option<i64>> {
    Ok(c.prepare_cached(
        "SELECT delegate_id FROM approval_delegations
              WHERE person_id = ?1 AND starts_at <= ?2 AND ends_at > ?2",
    )?
    .query_row(params![person, now], |r| r.get(0))
    .optional()?)
}

/// A person's delegation: (delegate id, delegate name, starts, ends).
pub fn delegation(c: &Connection, person: i64) -> Result<Option<(i64, String, i64, i64)>> {
    Ok(c.prepare_cached(
        "SELECT d.delegate_id, p.display_name, d.starts_at, d.ends_at
               FROM approval_delegations d JOIN people p ON p.id = d.delegate_id
              WHERE d.person_id = ?1",
    )?
    .query_row([person], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .optional()?)
}

/// Sets `person`'s delegation (one at a time), or ends it (`None`).
pub fn set_delegation(
    c: &Connection,
    person: i64,
    to: Option<(i64, i64, i64)>,
    now: i64,
) -> Result<()> {
    match to {
        Some((delegate, starts, ends)) => c.execute(
            "INSERT INTO approval_delegations (person_id, delegate_id, starts_at, ends_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (person_id) DO UPDATE SET delegate_id = excluded.delegate_id,
                 starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                 created_at = excluded.created_at",
            params![person, delegate, starts, ends, now],
        )?,
        None => c.execute(
            "DELETE FROM approval_delegations WHERE person_id = ?1",
            [person],
        )?,
    };
    Ok(())
}
/// The template bound to the nearest folder at or above `path` (a
/// folder's `/1/5/9/` path), if any.
pub fn binding_for(c: &Connection, path: &str) -> Result<Option<i64>> {
    Ok(c.prepare_cached(
        "SELECT b.template_id FROM approval_bindings b
               JOIN folders f ON f.id = b.folder_id AND f.deleted_at IS NULL
               JOIN approval_templates t ON t.id = b.template_id AND t.archived = 0
                    AND t.space_id = f.space_id
              WHERE substr(?1, 1, length(f.path)) = f.path
              ORDER BY length(f.path) DESC LIMIT 1",
    )?
    .query_row([path], |r| r.get(0))
    .optional()?)
}

/// Binds `folder` to `template`, or unbinds it (`None`).
pub fn bind(
    c: &Connection,
    folder: i64,
    template: Option<i64>,
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    match template {
        Some(t) => c.execute(
            "INSERT INTO approval_bindings (folder_id, template_id, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (folder_id) DO UPDATE SET template_id = excluded.template_id,
                 created_by = excluded.created_by, created_at = excluded.created_at",
            params![folder, t, by, now],
        )?,
        None => c.execute(
            "DELETE FROM approval_bindings WHERE folder_id = ?1",
            [folder],
        )?,
    };
    Ok(())
}

/// A space's bound folders: (folder id, folder name, template id, template name).
pub fn bindings(c: &Connection, space: i64) -> Result<Vec<(i64, String, i64, String)>> {
    let mut st = c.prepare_cached(
        "SELECT f.id, f.name, t.id, t.name FROM approval_bindings b
           JOIN folders f ON f.id = b.folder_id AND f.deleted_at IS NULL
           JOIN approval_templates t ON t.id = b.template_id AND t.space_id = f.space_id
          WHERE f.space_id = ?1 ORDER BY f.path",
    )?;
    let rows = st.query_map([space], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
