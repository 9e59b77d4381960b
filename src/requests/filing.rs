//! Filing requests: by a person in a space (from a form or the API), and
//! by an outside system (an ERP) that creates or updates a request by the
//! id it knows it by — idempotently: the same body twice changes nothing
//! and records nothing.

use super::events::{Filed, Moved, Noted, Updated};
use super::fields;
use super::model::{self, RequestView};
use super::service::{
    NewRequest, check_refs, clock_runs, field_refused, split_internal, targets, view, writable,
};
use super::sla::Sla;
use super::store::{self, Row, Said, Touched};
use super::type_store;
use super::types::{TypeRow, Visibility};
use crate::access::requests::{Facts, standing};
use crate::access::{Actor, Principal, SpaceAction, require_space};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::{Connection, Transaction};
use serde_json::{Map, Value, json};

fn year_of(ms: i64) -> i16 {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).year())
        .unwrap_or(1970)
}

/// The facts of a request `p` would file in `space` under type `t`.
fn facts_for(p: &Principal, t: &TypeRow, space: i64) -> Facts {
    Facts {
        space_id: space,
        requester_id: Some(p.person_id),
        org_id: Some(p.org_id),
        org_visible: t.definition.visibility == Visibility::Organization,
        agent_group: t.agent_group,
    }
}

/// The type `key` as one may file it in `space`.
fn offered_type(c: &Connection, key: &str, space: i64) -> Result<TypeRow> {
    type_store::by_key(c, key)?
        .filter(|t| !t.archived && t.space.is_none_or(|s| s == space))
        .ok_or(Error::invalid("type", "request-type-unknown"))
}

/// The requester of a request `p` files: themself, or whom an agent
/// files for (who must read the space).
fn requester_of(
    c: &Connection,
    p: &crate::access::Principal,
    facts: &Facts,
    on_behalf_of: Option<i64>,
) -> Result<crate::access::Principal> {
    let Some(other) = on_behalf_of.filter(|o| *o != p.person_id) else {
        return Ok(*p);
    };
    if !standing(c, p, facts)?.agent {
        return Err(Error::invalid("on_behalf_of", "request-on-behalf-agents"));
    }
    match crate::auth::principal_now(c, other)? {
        Some(q) if crate::access::space_role(c, &q, facts.space_id)?.is_some() => Ok(q),
        _ => Err(Error::invalid("on_behalf_of", "request-on-behalf-unknown")),
    }
}

/// Everything a new request is given.
struct Given {
    title: String,
    fields: Map<String, Value>,
    priority: Option<String>,
    on_behalf_of: Option<i64>,
    /// Where an outside system says it stands (none: the first status).
    status: Option<String>,
    external_id: Option<String>,
}

/// Keeps a new request of type `t` in `space`, filed by `p`: its id.
fn create(
    tx: &Transaction<'_>,
    actor: &Actor,
    p: &Principal,
    t: &TypeRow,
    space: i64,
    given: Given,
) -> Result<i64> {
    let def = &t.definition;
    let facts = facts_for(p, t, space);
    let agent = standing(tx, p, &facts)?.agent;
    let requester = requester_of(tx, p, &facts, given.on_behalf_of)?;
    let mut values = fields::values(&writable(def, agent), &given.fields).map_err(field_refused)?;
    check_refs(tx, actor, def, &values, space, None)?;
    let priority = given
        .priority
        .unwrap_or_else(|| def.default_priority.clone());
    if def.priority(&priority).is_none() {
        return Err(Error::invalid("priority", "request-priority-unknown"));
    }
    let status = given.status.unwrap_or_else(|| def.workflow.initial.clone());
    let entered = def
        .workflow
        .status(&status)
        .ok_or(Error::invalid("status", "request-status-unknown"))?;
    // A status behind an approval is entered by its approved flow only.
    if entered.approval.is_some() {
        return Err(Error::Conflict("request-approval-required"));
    }
    let open = entered.open;
    let now = now_ms();
    let cal = def.calendar().map_err(super::type_service::refused)?;
    let row = Row {
        id: 0,
        type_id: t.id,
        type_version: t.version,
        space_id: space,
        number: store::next_number(tx, t.id, &def.prefix, year_of(now))?,
        title: model::title(&given.title)?,
        is_open: open,
        sla: Sla::start(&cal, targets(def, &priority), now, clock_runs(def, &status)),
        status,
        priority,
        requester_id: Some(requester.person_id),
        org_id: Some(requester.org_id),
        assignee_id: None,
        internal_fields: split_internal(def, &mut values),
        fields: values,
        external_id: given.external_id,
        version: 1,
        internal_version: 1,
        created_at: now,
        updated_at: now,
        closed_at: (!open).then_some(now),
        rating: None,
        rating_comment: None,
    };
    let id = store::insert(tx, &row)?;
    super::files::attach_waiting(tx, id, p.person_id, &row.fields, def)?;
    super::files::attach_waiting(tx, id, p.person_id, &row.internal_fields, def)?;
    let filed_for = json!({"for": requester.person_id});
    let detail = if requester.person_id == p.person_id {
        &Value::Null
    } else {
        &filed_for
    };
    store::add_event(
        tx,
        id,
        now,
        Some(p.person_id),
        Said::change("filed", detail),
    )?;
    store::watch(tx, id, requester.person_id, true)?;
    store::watch(tx, id, p.person_id, true)?;
    record(
        tx,
        actor,
        &Filed {
            id,
            number: &row.number,
            type_key: &t.key,
            space,
            external_id: row.external_id.as_deref(),
        },
    )?;
    Ok(id)
}

/// Files a request in `space`; who files it is its requester, on behalf
/// of their organization (or an agent files it for someone).
pub async fn file(db: &Db, actor: &Actor, space: i64, new: NewRequest) -> Result<RequestView> {
    model::title(&new.title)?;
    let actor = *actor;
    db.write(move |tx| {
        require_space(tx, &actor, space, SpaceAction::Read)?;
        let p = *actor.principal().ok_or(Error::Unauthorized)?;
        let t = offered_type(tx, &new.type_key, space)?;
        let given = Given {
            title: new.title,
            fields: new.fields,
            priority: new.priority,
            on_behalf_of: new.on_behalf_of,
            status: None,
            external_id: None,
        };
        let id = create(tx, &actor, &p, &t, space, given)?;
        view(tx, &actor, id, false)
    })
    .await
}

/// What an outside system sends: the whole request as it knows it.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upsert {
    pub space: i64,
    pub title: String,
    #[serde(default)]
    pub fields: Map<String, Value>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    /// Whom it is for (a person who reads the space); none: the caller.
    #[serde(default)]
    pub requester: Option<i64>,
}

const MAX_EXTERNAL_ID: usize = 100;

fn external_id(raw: &str) -> Result<String> {
    let id = raw.trim();
    if id.is_empty() || id.chars().count() > MAX_EXTERNAL_ID || id.chars().any(char::is_control) {
        return Err(Error::invalid("external_id", "request-external-id"));
    }
    Ok(id.to_string())
}

/// Whether an upsert made a request, changed one, or found it as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Changed,
    Unchanged,
}

/// Creates or updates the request of type `type_key` that an outside
/// system knows as `external`. Only its agents may: the system's token is
/// an agent's (or an administrator's). The status is set as the system
/// says (it is the record of what happened), the fields replaced whole.
pub async fn upsert(
    db: &Db,
    actor: &Actor,
    type_key: &str,
    external: &str,
    body: Upsert,
) -> Result<(Upserted, RequestView)> {
    let (actor, type_key, external) = (*actor, type_key.to_string(), external.to_string());
    db.write(move |tx| {
        let (done, id) = upsert_in(tx, &actor, &type_key, &external, body)?;
        Ok((done, view(tx, &actor, id, false)?))
    })
    .await
}

/// `upsert` within the caller's transaction (an import keeps many in
/// one): what it did, and the request's id.
pub(super) fn upsert_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    type_key: &str,
    external: &str,
    body: Upsert,
) -> Result<(Upserted, i64)> {
    let external = external_id(external)?;
    let title = model::title(&body.title)?;
    let (t, p) = agents_type(tx, actor, type_key, body.space)?;
    let Some(old) = store::by_external_id(tx, t.id, &external)? else {
        let given = Given {
            title,
            fields: body.fields,
            priority: body.priority,
            on_behalf_of: body.requester,
            status: body.status,
            external_id: Some(external),
        };
        let id = create(tx, actor, &p, &t, body.space, given)?;
        return Ok((Upserted::Created, id));
    };
    let done = update(tx, actor, old, &body, title)?;
    Ok((done, done_id(tx, &t, &external)?))
}

/// Type `type_key` as offered in `space`, when the actor is one of its
/// agents there (anyone else: as if it did not exist).
pub(super) fn agents_type(
    tx: &Transaction<'_>,
    actor: &Actor,
    type_key: &str,
    space: i64,
) -> Result<(TypeRow, crate::access::Principal)> {
    require_space(tx, actor, space, SpaceAction::Read)?;
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let t = offered_type(tx, type_key, space)?;
    if !standing(tx, &p, &facts_for(&p, &t, space))?.agent {
        return Err(Error::Forbidden);
    }
    Ok((t, p))
}

fn done_id(c: &Connection, t: &TypeRow, external: &str) -> Result<i64> {
    Ok(store::by_external_id(c, t.id, external)?
        .ok_or(Error::NotFound)?
        .id)
}

/// Brings an existing request to what the system says.
fn update(
    tx: &Transaction<'_>,
    actor: &Actor,
    mut row: Row,
    body: &Upsert,
    title: String,
) -> Result<Upserted> {
    if row.space_id != body.space {
        return Err(Error::invalid("space", "request-external-space"));
    }
    let def = type_store::version(tx, row.type_id, row.type_version)?;
    let mut values = fields::values(&def.fields, &body.fields).map_err(field_refused)?;
    check_refs(tx, actor, &def, &values, row.space_id, Some(row.id))?;
    if let Some(p) = actor.principal() {
        super::files::attach_waiting(tx, row.id, p.person_id, &values, &def)?;
    }
    let internal = split_internal(&def, &mut values);
    let mut public = Vec::new();
    let mut hidden = Vec::new();
    for f in &def.fields {
        let (old, new) = (
            row.values(f.internal).get(&f.key),
            if f.internal {
                internal.get(&f.key)
            } else {
                values.get(&f.key)
            },
        );
        if old != new {
            let c = json!({"field": f.key, "from": old, "to": new});
            if f.internal {
                hidden.push(c)
            } else {
                public.push(c)
            }
        }
    }
    if title != row.title {
        public.push(json!({"field": "title", "from": row.title, "to": title}));
    }
    let now = now_ms();
    let cal = def.calendar().map_err(super::type_service::refused)?;
    if let Some(p) = body.priority.as_ref().filter(|p| **p != row.priority) {
        if def.priority(p).is_none() {
            return Err(Error::invalid("priority", "request-priority-unknown"));
        }
        public.push(json!({"field": "priority", "from": row.priority, "to": p}));
        row.priority = p.clone();
        row.sla
            .retarget(&cal, targets(&def, &row.priority), row.created_at, now);
    }
    let moved = match body.status.as_ref().filter(|s| **s != row.status) {
        Some(to) => {
            let target = def
                .workflow
                .status(to)
                .ok_or(Error::invalid("status", "request-status-unknown"))?;
            if target.approval.is_some() {
                return Err(Error::Conflict("request-approval-required"));
            }
            row.is_open = target.open;
            row.closed_at = if target.open { None } else { Some(now) };
            row.sla.moved(
                &cal,
                targets(&def, &row.priority),
                now,
                clock_runs(&def, to),
            );
            Some(std::mem::replace(&mut row.status, to.clone()))
        }
        None => None,
    };
    let touched = Touched {
        public: !public.is_empty() || moved.is_some(),
        internal: !hidden.is_empty(),
    };
    if touched == Touched::default() {
        return Ok(Upserted::Unchanged);
    }
    row.title = title;
    row.fields = values;
    row.internal_fields = internal;
    if touched.public {
        row.updated_at = now;
    }
    store::save(tx, &row, touched)?;
    let by = actor.principal().map(|p| p.person_id);
    let (id, number) = (row.id, row.number.as_str());
    if !public.is_empty() {
        let changes = Value::Array(public);
        let detail = json!({"changes": changes});
        store::add_event(tx, id, now, by, Said::change("fields", &detail))?;
        record(
            tx,
            actor,
            &Updated {
                id,
                number,
                changes: &changes,
            },
        )?;
    }
    if let Some(from) = moved {
        let detail = json!({"from": from, "to": row.status});
        store::add_event(tx, id, now, by, Said::change("status", &detail))?;
        record(
            tx,
            actor,
            &Moved {
                id,
                number,
                from: &from,
                to: &row.status,
            },
        )?;
    }
    if !hidden.is_empty() {
        let detail = json!({"changes": hidden});
        let note = store::add_note(tx, id, now, by, Said::change("fields", &detail))?;
        record(
            tx,
            actor,
            &Noted {
                id: note,
                request: id,
                number,
                what: "fields",
            },
        )?;
    }
    Ok(Upserted::Changed)
}
