//! Request types: administrators define them (one definition, checked
//! whole), change them (each change a new version: requests keep theirs),
//! archive them, and delete those no request was filed under.

use super::events::{TypeArchived, TypeChanged, TypeCreated, TypeDeleted};
use super::type_store::{self, NewType, TypeRow};
use super::types::{Definition, DefinitionError};
use crate::access::{Actor, SpaceAction, require_admin, require_space};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::Connection;

/// A definition refused, as the service says it: the rule, and what it
/// names (a field's key, a status).
pub fn refused(e: DefinitionError) -> Error {
    let (code, item) = e.code();
    let code = definition_code(code);
    if item.is_empty() {
        Error::invalid("definition", code)
    } else {
        Error::InvalidItem {
            field: "definition",
            item,
            code,
        }
    }
}

/// `request-type-<rule>`: one translation per rule.
fn definition_code(rule: &str) -> &'static str {
    macro_rules! codes {
        ($($rule:literal),*) => {
            match rule {
                $($rule => concat!("request-type-", $rule),)*
                _ => "request-type-invalid",
            }
        };
    }
    codes!(
        "name",
        "prefix",
        "bad-key",
        "duplicate",
        "bad-label",
        "bad-currency",
        "bad-options",
        "too-many",
        "status-key",
        "status-name",
        "status-duplicate",
        "status-unknown",
        "initial-closed",
        "no-closed-status",
        "move-useless",
        "move-duplicate",
        "status-unreachable",
        "workflow-too-large",
        "status-approval",
        "priority",
        "default-priority",
        "time-zone",
        "hours",
        "holiday"
    )
}

/// What an administrator sends to create a type.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTypeBody {
    pub key: String,
    /// A space's id; none: every space.
    #[serde(default)]
    pub space: Option<i64>,
    #[serde(default)]
    pub agent_group: Option<i64>,
    pub definition: Definition,
}

fn check_refs(c: &Connection, actor: &Actor, space: Option<i64>, group: Option<i64>) -> Result<()> {
    if let Some(s) = space {
        require_space(c, actor, s, SpaceAction::Read)
            .map_err(|_| Error::invalid("space", "request-type-space"))?;
    }
    if let Some(g) = group {
        let exists: bool = c
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM groups WHERE id = ?1)")?
            .query_row([g], |r| r.get(0))?;
        if !exists {
            return Err(Error::invalid("agent_group", "request-type-group"));
        }
    }
    Ok(())
}

pub async fn create(db: &Db, actor: &Actor, body: NewTypeBody) -> Result<TypeRow> {
    require_admin(actor)?;
    if !super::workflow::valid_key(&body.key) {
        return Err(Error::invalid("key", "request-type-key"));
    }
    body.definition.check().map_err(refused)?;
    let actor = *actor;
    db.write(move |tx| {
        check_refs(tx, &actor, body.space, body.agent_group)?;
        if let Some(code) = type_store::taken(tx, &body.key, &body.definition.prefix, 0)? {
            return Err(Error::Conflict(code));
        }
        let id = type_store::insert(
            tx,
            &NewType {
                key: &body.key,
                space: body.space,
                agent_group: body.agent_group,
                definition: &body.definition,
                by: actor.principal().map(|p| p.person_id),
                now: now_ms(),
            },
        )?;
        record(
            tx,
            &actor,
            &TypeCreated {
                id,
                key: &body.key,
                space: body.space,
            },
        )?;
        type_store::by_id(tx, id)?.ok_or(Error::NotFound)
    })
    .await
}

/// A new definition (and agent group) for a type: a new version, unless
/// nothing changed (then nothing is recorded).
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    definition: Definition,
    agent_group: Option<i64>,
) -> Result<TypeRow> {
    require_admin(actor)?;
    definition.check().map_err(refused)?;
    let actor = *actor;
    db.write(move |tx| {
        let old = type_store::by_id(tx, id)?.ok_or(Error::NotFound)?;
        if old.definition == definition && old.agent_group == agent_group {
            return Ok(old);
        }
        check_refs(tx, &actor, None, agent_group)?;
        if let Some(code) = type_store::taken(tx, &old.key, &definition.prefix, id)? {
            return Err(Error::Conflict(code));
        }
        let version = old.version + 1;
        type_store::new_version(
            tx,
            id,
            version,
            &NewType {
                key: &old.key,
                space: old.space,
                agent_group,
                definition: &definition,
                by: actor.principal().map(|p| p.person_id),
                now: now_ms(),
            },
        )?;
        record(
            tx,
            &actor,
            &TypeChanged {
                id,
                key: &old.key,
                version,
            },
        )?;
        type_store::by_id(tx, id)?.ok_or(Error::NotFound)
    })
    .await
}

pub async fn archive(db: &Db, actor: &Actor, id: i64, archived: bool) -> Result<TypeRow> {
    require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let old = type_store::by_id(tx, id)?.ok_or(Error::NotFound)?;
        if old.archived != archived {
            let now = now_ms();
            type_store::set_archived(tx, id, archived.then_some(now), now)?;
            record(
                tx,
                &actor,
                &TypeArchived {
                    id,
                    key: &old.key,
                    archived,
                },
            )?;
        }
        type_store::by_id(tx, id)?.ok_or(Error::NotFound)
    })
    .await
}

/// Deletes a type no request was filed under; one with requests is
/// archived instead, never deleted (they keep their history).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let old = type_store::by_id(tx, id)?.ok_or(Error::NotFound)?;
        if type_store::request_count(tx, id)? > 0 {
            return Err(Error::Conflict("request-type-in-use"));
        }
        type_store::delete(tx, id)?;
        record(tx, &actor, &TypeDeleted { id, key: &old.key })?;
        Ok(())
    })
    .await
}

pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<TypeRow>> {
    require_admin(actor)?;
    db.read(type_store::all).await
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<TypeRow> {
    require_admin(actor)?;
    db.read(move |c| type_store::by_id(c, id)?.ok_or(Error::NotFound))
        .await
}
