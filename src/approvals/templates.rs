//! Flow templates: defined and changed by the space's managers, each
//! change a new version (flows keep the one they started with). A step
//! whose approvers name nobody who may decide is refused when saved.

use super::definition::Definition;
use super::events::TemplateSaved;
use crate::access::{Actor, SpaceAction};
use crate::content::events::record;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::{OptionalExtension, Transaction, params};

const MAX_NAME: usize = 120;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Template {
    pub id: i64,
    pub space_id: i64,
    pub name: String,
    pub version: i64,
    pub archived: bool,
    pub definition: Definition,
}

fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "approval-template-name"));
    }
    Ok(name.to_string())
}

/// Every step must name someone who may decide on the space's files now
/// (a signatory without an account always may).
fn check_people(tx: &Transaction<'_>, space: i64, def: &Definition) -> Result<()> {
    for (i, s) in def.steps.iter().enumerate() {
        if s.signatories().next().is_none()
            && super::approvers::resolve(tx, &s.approvers, space, None)?.is_empty()
        {
            return Err(Error::InvalidItem {
                field: "approvers",
                item: (i + 1).to_string(),
                code: "approval-step-nobody",
            });
        }
    }
    Ok(())
}

/// Defines template `name` in `space`, or gives the template of that name
/// a new version; the same definition again changes nothing.
pub fn save_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    space: i64,
    name: &str,
    definition: &serde_json::Value,
) -> Result<Template> {
    crate::access::require_space(tx, actor, space, SpaceAction::Manage)?;
    let name = checked_name(name)?;
    let def = Definition::parse(definition)?;
    check_people(tx, space, &def)?;
    let text = serde_json::to_string(&def).map_err(|e| Error::Internal(e.to_string()))?;
    let now = now_ms();
    let by = actor.principal().map(|p| p.person_id);
    let existing: Option<(i64, i64, String)> = tx
        .query_row(
            "SELECT t.id, t.version, v.definition FROM approval_templates t
               JOIN approval_template_versions v ON v.template_id = t.id AND v.version = t.version
              WHERE t.space_id = ?1 AND t.name = ?2",
            params![space, name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (id, version) = match existing {
        Some((id, _, old)) if old == text => return get_in(tx, id)?.ok_or(Error::NotFound),
        Some((id, version, _)) => {
            let version = version + 1;
            tx.execute(
                "UPDATE approval_templates SET version = ?2, archived = 0, updated_at = ?3 WHERE id = ?1",
                params![id, version, now],
            )?;
            (id, version)
        }
        None => {
            tx.execute(
                "INSERT INTO approval_templates (space_id, name, version, created_by, created_at, updated_at)
                 VALUES (?1, ?2, 1, ?3, ?4, ?4)",
                params![space, name, by, now],
            )?;
            (tx.last_insert_rowid(), 1)
        }
    };
    tx.execute(
        "INSERT INTO approval_template_versions (template_id, version, definition, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, version, text, now],
    )?;
    record(
        tx,
        actor,
        &TemplateSaved {
            id: space,
            template: id,
            name: &name,
            version,
        },
    )?;
    get_in(tx, id)?.ok_or(Error::NotFound)
}

pub fn get_in(c: &rusqlite::Connection, id: i64) -> Result<Option<Template>> {
    let row: Option<(i64, String, i64, bool, String)> = c
        .query_row(
            "SELECT t.space_id, t.name, t.version, t.archived, v.definition FROM approval_templates t
               JOIN approval_template_versions v ON v.template_id = t.id AND v.version = t.version
              WHERE t.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((space_id, name, version, archived, text)) = row else {
        return Ok(None);
    };
    let definition = serde_json::from_str(&text).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Some(Template {
        id,
        space_id,
        name,
        version,
        archived,
        definition,
    }))
}

/// The templates of a space, for those who may start a flow there (its
/// contributors): a definition names groups and people, not every
/// reader's business.
pub fn of_space(c: &rusqlite::Connection, actor: &Actor, space: i64) -> Result<Vec<Template>> {
    let role = crate::access::require_space(c, actor, space, SpaceAction::Contribute)?;
    // A signatory's address is for those who set the flow up.
    let managing = crate::access::can(role, SpaceAction::Manage);
    let ids: Vec<i64> = c
        .prepare("SELECT id FROM approval_templates WHERE space_id = ?1 ORDER BY name")?
        .query_map([space], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(mut t) = get_in(c, id)? {
            if !managing {
                t.definition.hide_addresses();
            }
            out.push(t);
        }
    }
    Ok(out)
}
