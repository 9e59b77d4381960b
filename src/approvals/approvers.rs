//! Who decides at a step, now: the people a step's approvers name (a
//! person, a group's members, everyone with a role in the space, an
//! organization's people) who are active and may read the file. Someone
//! who lost access is not asked, and their earlier approval no longer
//! counts toward the step.

use super::definition::Approver;
use crate::access::{Actor, SpaceAction};
use crate::domain::Role;
use crate::service::Result;
use rusqlite::Connection;
use std::collections::BTreeSet;

/// The people `approvers` name who may decide on a file of `space` in
/// `folder`, by id.
pub fn resolve(
    c: &Connection,
    approvers: &[Approver],
    space: i64,
    folder: Option<i64>,
) -> Result<BTreeSet<i64>> {
    let mut named = BTreeSet::new();
    for a in approvers {
        let ids: Vec<i64> = match a {
            Approver::Person { id } => vec![*id],
            Approver::Group { id } => column(
                c,
                "SELECT person_id FROM group_members WHERE group_id = ?1",
                *id,
            )?,
            Approver::Organization { id } => {
                column(c, "SELECT id FROM people WHERE org_id = ?1", *id)?
            }
            // Asked by e-mail, without an account: nobody here.
            Approver::Signatory { .. } => continue,
            Approver::Role { .. } => column(
                c,
                "SELECT person_id FROM space_members WHERE space_id = ?1 AND person_id IS NOT NULL
                 UNION SELECT g.person_id FROM space_members m
                         JOIN group_members g ON g.group_id = m.group_id WHERE m.space_id = ?1
                 UNION SELECT p.id FROM space_members m
                         JOIN people p ON p.org_id = m.org_id WHERE m.space_id = ?1",
                space,
            )?,
        };
        let least = match a {
            Approver::Role { role } => Role::parse(role).unwrap_or(Role::Manager),
            _ => Role::Reader,
        };
        for id in ids {
            if may_decide(c, id, space, folder, least)? {
                named.insert(id);
            }
        }
    }
    Ok(named)
}

/// The people `approvers` name who may decide on `subject`: for a request,
/// those who see it (its agents, its customer's side).
pub fn resolve_for(
    c: &Connection,
    approvers: &[Approver],
    subject: &super::subject::Subject,
) -> Result<BTreeSet<i64>> {
    let mut people = resolve(c, approvers, subject.space_id, subject.folder_id)?;
    if let Some(request) = subject.request_id() {
        let mut blind = Vec::new();
        for id in &people {
            let sees = match crate::auth::principal_now(c, *id)? {
                Some(p) => crate::access::requests::sees(c, &p, request)?,
                None => false,
            };
            if !sees {
                blind.push(*id);
            }
        }
        for id in blind {
            people.remove(&id);
        }
    }
    Ok(people)
}

fn column(c: &Connection, sql: &str, id: i64) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether person `id` is active, may read the file, and has at least
/// `least` in its space.
pub fn may_decide(
    c: &Connection,
    id: i64,
    space: i64,
    folder: Option<i64>,
    least: Role,
) -> Result<bool> {
    let active: bool = c
        .prepare_cached(
            "SELECT status = 'active' AND (expires_at IS NULL OR expires_at > ?2)
               FROM people WHERE id = ?1",
        )?
        .query_row(rusqlite::params![id, crate::util::now_ms()], |r| r.get(0))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(false),
            e => Err(e),
        })?;
    if !active {
        return Ok(false);
    }
    let Some(p) = crate::auth::principal_now(c, id)? else {
        return Ok(false);
    };
    let actor = Actor::person(p, None);
    match crate::access::require_folder(c, &actor, space, folder, SpaceAction::Read) {
        Ok(role) => Ok(role >= least),
        Err(crate::service::Error::NotFound | crate::service::Error::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}
