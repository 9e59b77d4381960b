//! Filing and reading requests. Every question of who may is asked of
//! `access::requests`; each change is recorded in its own transaction.

use super::fields::{self, FieldKind};
use super::model::{self, Allowed, Named, RequestView, SlaView, TimelineEntry};
use super::sla::Targets;
use super::store;
use super::type_store::{self, TypeRow};
use super::types::Definition;
use super::workflow::Mover;
use crate::access::requests::{Facts, Standing, require_request, standing};
use crate::access::{Actor, SpaceAction, require_space};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::talk::{Writers, me};
use crate::util::now_ms;
use rusqlite::Connection;
use serde_json::{Map, Value};

/// What a person sends to file a request.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// The type's key.
    #[serde(rename = "type")]
    pub type_key: String,
    pub title: String,
    #[serde(default)]
    pub fields: Map<String, Value>,
    #[serde(default)]
    pub priority: Option<String>,
    /// An agent files it for someone who reads the space (a call, a
    /// letter): they are its requester.
    #[serde(default)]
    pub on_behalf_of: Option<i64>,
}

/// The targets of `priority` in a definition.
pub(super) fn targets(def: &Definition, priority: &str) -> Targets {
    def.priority(priority)
        .map(|p| Targets::from_hours(p.respond_hours, p.resolve_hours))
        .unwrap_or_default()
}

/// Whether the clock runs in status `key`.
pub(super) fn clock_runs(def: &Definition, key: &str) -> bool {
    def.workflow
        .status(key)
        .is_some_and(|s| s.open && !s.pauses_clock)
}

/// The roles a standing acts as in a workflow.
pub(super) fn movers(s: &Standing) -> Vec<Mover> {
    let mut m = Vec::new();
    if s.customer() {
        m.push(Mover::Requester);
    }
    if s.agent {
        m.push(Mover::Agent);
    }
    if s.manager {
        m.push(Mover::Manager);
    }
    m
}

/// A value's references (people, organizations, documents, files) must
/// name something the writer may see: anything else is as unknown.
pub(super) fn check_refs(
    c: &Connection,
    actor: &Actor,
    def: &Definition,
    values: &Map<String, Value>,
    space: i64,
    request: Option<i64>,
) -> Result<()> {
    let Some(p) = actor.principal() else {
        return Ok(());
    };
    for (key, v) in values {
        let (Some(f), Some(id)) = (def.field(key), v.as_i64()) else {
            continue;
        };
        let seen = match f.kind {
            FieldKind::Person {} => crate::access::seen::person(c, p, id)?,
            FieldKind::Organization {} => crate::access::seen::organization(c, p, id)?,
            FieldKind::Document {} => crate::access::seen::document(c, p, id)?,
            FieldKind::File {} => super::files::usable(c, p, id, space, request)?,
            _ => true,
        };
        if !seen {
            return Err(Error::InvalidItem {
                field: "fields",
                item: key.clone(),
                code: "request-field-not-found",
            });
        }
    }
    Ok(())
}

/// A field value refused, as the service says it.
pub(super) fn field_refused(e: fields::FieldError) -> Error {
    let code = match e.code {
        "required" => "request-field-required",
        "unknown" => "request-field-unknown",
        "not-a-choice" => "request-field-not-a-choice",
        "wrong-currency" => "request-field-wrong-currency",
        "too-long" | "too-long-or-not-one-line" => "request-field-too-long",
        _ => "request-field-invalid",
    };
    Error::InvalidItem {
        field: "fields",
        item: e.key,
        code,
    }
}

/// The definition's fields a writer may give values to: agents all of
/// them, anyone else the public ones (an internal key is as unknown).
pub(super) fn writable(def: &Definition, agent: bool) -> Vec<fields::FieldDef> {
    def.fields
        .iter()
        .filter(|f| agent || !f.internal)
        .cloned()
        .collect()
}

/// Takes the internal fields' values out of `values`.
pub(super) fn split_internal(
    def: &Definition,
    values: &mut Map<String, Value>,
) -> Map<String, Value> {
    let mut internal = Map::new();
    for f in def.fields.iter().filter(|f| f.internal) {
        if let Some(v) = values.remove(&f.key) {
            internal.insert(f.key.clone(), v);
        }
    }
    internal
}

/// Request `id` as the actor sees it — or, for an agent asking
/// `as_customer`, exactly as its requester's organization does.
pub fn view(c: &Connection, actor: &Actor, id: i64, as_customer: bool) -> Result<RequestView> {
    let (_, s) = require_request(c, actor, id)?;
    let row = store::get(c, id)?.ok_or(Error::NotFound)?;
    let def = type_store::version(c, row.type_id, row.type_version)?;
    let key: String = c
        .prepare_cached("SELECT key FROM request_types WHERE id = ?1")?
        .query_row([row.type_id], |r| r.get(0))?;
    let s = if as_customer {
        Standing {
            requester: false,
            colleague: true,
            agent: false,
            manager: false,
        }
    } else {
        s
    };
    let mut w = Writers::new(actor);
    let now = now_ms();
    let watching = match me(actor) {
        Some(p) => store::watchers(c, id)?.contains(&p),
        None => false,
    };
    let next = def.workflow.next(&row.status, &movers(&s));
    let named = |st: &&super::workflow::Status| Named::new(&st.key, &st.name_en, &st.name_fr);
    let may = Allowed {
        moves: next
            .iter()
            .filter(|st| st.approval.is_none())
            .map(named)
            .collect(),
        approvals: next
            .iter()
            .filter(|st| st.approval.is_some() && s.agent)
            .map(named)
            .collect(),
        has_approvals: def.workflow.statuses.iter().any(|st| st.approval.is_some()),
        reply: true,
        work: s.agent,
        rate: s.requester && !row.is_open,
    };
    Ok(RequestView {
        item: model::item(c, &key, &def, &row, &mut w, now)?,
        fields: model::field_values(&def, &row, s.agent),
        sla: SlaView {
            respond_due_at: row.sla.respond_due_at,
            responded_at: row.sla.responded_at,
            resolve_due_at: row.sla.resolve_due_at,
            paused: row.sla.clock_since.is_none(),
            breached: row.sla.breached(now),
        },
        rating: row.rating,
        rating_comment: row.rating_comment.clone(),
        files: super::files::of_request(c, id, s.agent)?,
        external_id: if s.agent {
            row.external_id.clone()
        } else {
            None
        },
        version: model::version_token(&row, s.agent),
        watching,
        may,
    })
}

pub async fn get(db: &Db, actor: &Actor, id: i64, as_customer: bool) -> Result<RequestView> {
    let actor = *actor;
    if as_customer {
        db.read(move |c| {
            crate::access::requests::require_agent(c, &actor, id)?;
            view(c, &actor, id, true)
        })
        .await
    } else {
        db.read(move |c| view(c, &actor, id, false)).await
    }
}

/// Its timeline, oldest first: the public one, and for agents (not
/// asking as the customer) the internal notes among it.
pub async fn timeline(
    db: &Db,
    actor: &Actor,
    id: i64,
    as_customer: bool,
) -> Result<Vec<TimelineEntry>> {
    let actor = *actor;
    db.read(move |c| {
        let (_, s) = if as_customer {
            crate::access::requests::require_agent(c, &actor, id)?
        } else {
            require_request(c, &actor, id)?
        };
        let mut all = store::events(c, id)?;
        if model::sees_internal(&s, as_customer) {
            all.extend(store::notes(c, id)?);
            all.sort_by_key(|e| (e.at, e.internal, e.id));
        }
        let mut w = Writers::new(&actor);
        all.into_iter()
            .map(|entry| {
                Ok(TimelineEntry {
                    by: w.of(c, entry.actor)?,
                    entry,
                })
            })
            .collect()
    })
    .await
}

/// The types a person may file in a space, with the fields they fill.
pub async fn offered(db: &Db, actor: &Actor, space: i64) -> Result<Vec<TypeRow>> {
    let actor = *actor;
    db.read(move |c| {
        require_space(c, &actor, space, SpaceAction::Read)?;
        let p = actor.principal().copied();
        let mut types = type_store::offered_in(c, space)?;
        for t in &mut types {
            let agent = match p {
                Some(p) => {
                    let facts = Facts {
                        space_id: space,
                        requester_id: Some(p.person_id),
                        org_id: Some(p.org_id),
                        org_visible: false,
                        agent_group: t.agent_group,
                    };
                    standing(c, &p, &facts)?.agent
                }
                None => true,
            };
            t.definition.fields = writable(&t.definition, agent);
            if !agent {
                t.agent_group = None;
            }
        }
        Ok(types)
    })
    .await
}

/// The statuses of request `id`'s type, as it was filed (to name those
/// its timeline moved between).
pub async fn statuses(db: &Db, actor: &Actor, id: i64) -> Result<Vec<Named>> {
    let actor = *actor;
    db.read(move |c| {
        require_request(c, &actor, id)?;
        let row = store::get(c, id)?.ok_or(Error::NotFound)?;
        let def = type_store::version(c, row.type_id, row.type_version)?;
        Ok(def
            .workflow
            .statuses
            .iter()
            .map(|s| Named::new(&s.key, &s.name_en, &s.name_fr))
            .collect())
    })
    .await
}
