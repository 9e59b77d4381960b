//! Working on a request: moving it between statuses, changing its fields,
//! priority and assignee, replying, leaving internal notes, watching and
//! rating. A change made on a version older than the request's is refused
//! as a conflict; what only agents do is refused to anyone else.

use super::events::{Assigned, Moved, Noted, Rated, Updated};
use super::fields;
use super::model::{self, RequestView};
use super::service::{check_refs, clock_runs, field_refused, movers, targets, view};
use super::store::{self, Row, Said, Touched};
use super::type_store;
use super::types::Definition;
use crate::access::Actor;
use crate::access::requests::{Standing, require_agent, require_request, standing};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::talk::me;
use crate::util::now_ms;
use rusqlite::Transaction;
use serde_json::{Map, Value, json};

/// The request, its definition and the actor's standing, with the
/// version the actor saw checked against it.
pub(super) fn load(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: i64,
    seen: Option<&str>,
) -> Result<(Row, Definition, Standing)> {
    let (_, s) = require_request(tx, actor, id)?;
    let row = store::get(tx, id)?.ok_or(Error::NotFound)?;
    if let Some(token) = seen {
        let (public, internal) = model::parse_version(token)?;
        let internal_stale = s.agent && internal.is_some_and(|i| i != row.internal_version);
        if public != row.version || internal_stale {
            return Err(Error::Conflict("request-changed"));
        }
    }
    let def = type_store::version(tx, row.type_id, row.type_version)?;
    Ok((row, def, s))
}

fn calendar(def: &Definition) -> Result<super::calendar::Calendar> {
    def.calendar().map_err(super::type_service::refused)
}

/// Keeps a public change made at `now`: the request (its public version
/// up) and its entry in the timeline, whose id comes back.
pub(super) fn keep_public(
    tx: &Transaction<'_>,
    actor: &Actor,
    row: &mut Row,
    now: i64,
    said: Said<'_>,
) -> Result<i64> {
    row.updated_at = now;
    let public = Touched {
        public: true,
        internal: false,
    };
    store::save(tx, row, public)?;
    store::add_event(tx, row.id, now, me(actor), said)
}

/// Moves a request to status `to`, as the workflow lets the actor. A
/// status that requires an approval is entered only once its flow is
/// approved: asking for that flow is another action.
pub async fn move_to(
    db: &Db,
    actor: &Actor,
    id: i64,
    to: String,
    version: String,
) -> Result<RequestView> {
    let actor = *actor;
    db.write(move |tx| {
        let (mut row, def, s) = load(tx, &actor, id, Some(&version))?;
        let Some(target) = def.workflow.status(&to) else {
            return Err(Error::invalid("status", "request-status-unknown"));
        };
        if !def.workflow.may_move(&row.status, &to, &movers(&s)) {
            return Err(Error::Conflict("request-move-not-allowed"));
        }
        if target.approval.is_some() {
            return Err(Error::Conflict("request-approval-required"));
        }
        moved_in(tx, &actor, (&mut row, &def), &to, None)?;
        view(tx, &actor, id, false)
    })
    .await
}

/// Moves the request, its clock and its timeline; `flow` names the
/// approval that let it.
fn moved_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    (row, def): (&mut Row, &Definition),
    to: &str,
    flow: Option<i64>,
) -> Result<()> {
    let Some(target) = def.workflow.status(to) else {
        return Err(Error::invalid("status", "request-status-unknown"));
    };
    let now = now_ms();
    let from = std::mem::replace(&mut row.status, to.to_string());
    row.is_open = target.open;
    row.closed_at = if target.open { None } else { Some(now) };
    row.sla.moved(
        &calendar(def)?,
        targets(def, &row.priority),
        now,
        clock_runs(def, to),
    );
    let detail = match flow {
        Some(f) => json!({"from": from, "to": to, "approval": f}),
        None => json!({"from": from, "to": to}),
    };
    keep_public(tx, actor, row, now, Said::change("status", &detail))?;
    record(
        tx,
        actor,
        &Moved {
            id: row.id,
            number: &row.number,
            from: &from,
            to,
        },
    )?;
    Ok(())
}

/// Whether request `id` may wait for an approval to enter status `to`:
/// the status requires one, and an agent may move the request there from
/// where it is. The flow's name comes back.
pub fn approval_for(tx: &Transaction<'_>, actor: &Actor, id: i64, to: &str) -> Result<String> {
    require_agent(tx, actor, id)?;
    let (row, def, s) = load(tx, actor, id, None)?;
    let Some(target) = def.workflow.status(to) else {
        return Err(Error::invalid("status", "request-status-unknown"));
    };
    let Some(flow) = &target.approval else {
        return Err(Error::invalid("status", "request-approval-none"));
    };
    if !s.agent || !def.workflow.may_move(&row.status, to, &movers(&s)) {
        return Err(Error::Conflict("request-move-not-allowed"));
    }
    Ok(flow.clone())
}

/// The statuses of request `id`'s type, each with whether it requires an
/// approval.
pub fn statuses_of(c: &Transaction<'_>, id: i64) -> Result<Vec<(model::Named, bool)>> {
    let Some(row) = store::get(c, id)? else {
        return Ok(Vec::new());
    };
    let def = type_store::version(c, row.type_id, row.type_version)?;
    Ok(def
        .workflow
        .statuses
        .iter()
        .map(|s| {
            let named = model::Named::new(&s.key, &s.name_en, &s.name_fr);
            (named, s.approval.is_some())
        })
        .collect())
}

/// Flow `flow`, approved, lets request `id` into status `to`: it moves
/// there in Parvis's name, if a move still leads there from where it is
/// now (someone may have moved it meanwhile; then it stays, and the
/// approval stays on record).
pub fn approved_in(tx: &Transaction<'_>, id: i64, to: &str, flow: i64) -> Result<()> {
    let Some(mut row) = store::get(tx, id)? else {
        return Ok(());
    };
    let def = type_store::version(tx, row.type_id, row.type_version)?;
    if row.status == to
        || !def
            .workflow
            .moves
            .iter()
            .any(|m| m.from == row.status && m.to == to)
    {
        return Ok(());
    }
    moved_in(tx, &Actor::system(), (&mut row, &def), to, Some(flow))
}

/// What an agent changes of a request: any of its title, priority and
/// fields (a field given null is emptied; one not given stays).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    pub version: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub fields: Map<String, Value>,
}

/// One field's change, for the timelines.
fn change(key: &str, from: Option<&Value>, to: Option<&Value>) -> Value {
    json!({"field": key, "from": from, "to": to})
}

pub async fn update(db: &Db, actor: &Actor, id: i64, patch: Patch) -> Result<RequestView> {
    let title = patch.title.as_deref().map(model::title).transpose()?;
    let actor = *actor;
    db.write(move |tx| {
        let (mut row, def, s) = load(tx, &actor, id, Some(&patch.version))?;
        if !s.agent {
            return Err(Error::Forbidden);
        }
        let mut public = Vec::new();
        let mut internal = Vec::new();
        for (key, given) in &patch.fields {
            let f = def.field(key).ok_or_else(|| {
                field_refused(fields::FieldError {
                    key: key.clone(),
                    code: "unknown",
                })
            })?;
            let value = fields::value(f, Some(given)).map_err(field_refused)?;
            let old = row.values(f.internal).get(key).cloned();
            if old == value {
                continue;
            }
            let one = Map::from_iter(value.clone().map(|v| (key.clone(), v)));
            check_refs(tx, &actor, &def, &one, row.space_id, Some(id))?;
            if let Some(p) = me(&actor) {
                super::files::attach_waiting(tx, id, p, &one, &def)?;
            }
            let c = change(key, old.as_ref(), value.as_ref());
            if f.internal {
                internal.push(c)
            } else {
                public.push(c)
            }
            let kept = row.values_mut(f.internal);
            match value {
                Some(v) => kept.insert(key.clone(), v),
                None => kept.remove(key),
            };
        }
        let now = now_ms();
        if let Some(t) = title.filter(|t| *t != row.title) {
            public.push(json!({"field": "title", "from": row.title, "to": t}));
            row.title = t;
        }
        if let Some(p) = patch.priority.filter(|p| *p != row.priority) {
            if def.priority(&p).is_none() {
                return Err(Error::invalid("priority", "request-priority-unknown"));
            }
            public.push(json!({"field": "priority", "from": row.priority, "to": p}));
            row.priority = p;
            row.sla.retarget(
                &calendar(&def)?,
                targets(&def, &row.priority),
                row.created_at,
                now,
            );
        }
        let touched = Touched {
            public: !public.is_empty(),
            internal: !internal.is_empty(),
        };
        if touched == Touched::default() {
            return view(tx, &actor, id, false);
        }
        if touched.public {
            row.updated_at = now;
        }
        store::save(tx, &row, touched)?;
        let by = me(&actor);
        if touched.public {
            let changes = Value::Array(public);
            let detail = json!({"changes": changes});
            store::add_event(tx, id, now, by, Said::change("fields", &detail))?;
            record(
                tx,
                &actor,
                &Updated {
                    id,
                    number: &row.number,
                    changes: &changes,
                },
            )?;
        }
        if touched.internal {
            let detail = json!({"changes": internal});
            let note = store::add_note(tx, id, now, by, Said::change("fields", &detail))?;
            record(
                tx,
                &actor,
                &Noted {
                    id: note,
                    request: id,
                    number: &row.number,
                    what: "fields",
                },
            )?;
        }
        view(tx, &actor, id, false)
    })
    .await
}

/// Gives the request to an agent of it (none: to nobody).
pub async fn assign(db: &Db, actor: &Actor, id: i64, to: Option<i64>) -> Result<RequestView> {
    let actor = *actor;
    db.write(move |tx| {
        let (f, _) = require_agent(tx, &actor, id)?;
        let mut row = store::get(tx, id)?.ok_or(Error::NotFound)?;
        if let Some(person) = to {
            let works = match crate::auth::principal_now(tx, person)? {
                Some(p) => standing(tx, &p, &f)?.agent,
                None => false,
            };
            if !works {
                return Err(Error::invalid("assignee", "request-assignee-not-agent"));
            }
        }
        if row.assignee_id == to {
            return view(tx, &actor, id, false);
        }
        let now = now_ms();
        let from = std::mem::replace(&mut row.assignee_id, to);
        let detail = json!({"from": from, "to": to});
        keep_public(tx, &actor, &mut row, now, Said::change("assignee", &detail))?;
        if let Some(person) = to {
            store::watch(tx, id, person, true)?;
        }
        record(
            tx,
            &actor,
            &Assigned {
                id,
                number: &row.number,
                assignee: to,
            },
        )?;
        view(tx, &actor, id, false)
    })
    .await
}

/// Follows a request (told of its changes) or stops.
pub async fn watch(db: &Db, actor: &Actor, id: i64, on: bool) -> Result<RequestView> {
    let actor = *actor;
    db.write(move |tx| {
        require_request(tx, &actor, id)?;
        let person = me(&actor).ok_or(Error::Unauthorized)?;
        store::watch(tx, id, person, on)?;
        view(tx, &actor, id, false)
    })
    .await
}

/// The requester's rating of a closed request (given again: replaced).
pub async fn rate(
    db: &Db,
    actor: &Actor,
    id: i64,
    rating: i64,
    comment: &str,
) -> Result<RequestView> {
    if !(1..=5).contains(&rating) {
        return Err(Error::invalid("rating", "request-rating-invalid"));
    }
    let comment = comment.trim();
    if comment.chars().count() > model::MAX_RATING_COMMENT || comment.contains('\0') {
        return Err(Error::invalid("comment", "request-rating-comment-too-long"));
    }
    let comment = (!comment.is_empty()).then(|| comment.to_string());
    let actor = *actor;
    db.write(move |tx| {
        let (mut row, _, s) = load(tx, &actor, id, None)?;
        if !s.requester {
            return Err(Error::Forbidden);
        }
        if row.is_open {
            return Err(Error::Conflict("request-rating-open"));
        }
        if row.rating == Some(rating) && row.rating_comment == comment {
            return view(tx, &actor, id, false);
        }
        let now = now_ms();
        row.rating = Some(rating);
        row.rating_comment = comment;
        let detail = json!({"rating": rating});
        let body = row.rating_comment.clone().unwrap_or_default();
        let said = Said {
            detail: &detail,
            ..Said::words("rating", &body)
        };
        keep_public(tx, &actor, &mut row, now, said)?;
        record(
            tx,
            &actor,
            &Rated {
                id,
                number: &row.number,
                rating,
            },
        )?;
        view(tx, &actor, id, false)
    })
    .await
}
