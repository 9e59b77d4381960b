//! Folder rules: rename, move (within a space or to another one, with the
//! whole subtree), trash with everything inside and restore it together, and
//! restrictions to chosen members or a minimum role. Every check goes through
//! `access`; a folder someone may not see is not found.

use super::events;
use super::model::{FileName, Folder};
use super::service::check_quota;
use super::store;
use crate::access::{self, Actor, SpaceAction};
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::service::{Error, Result};
use crate::spaces::Role;
use crate::util::now_ms;
use rusqlite::Connection;

/// A live folder the actor may `action` on (the folder's own restriction included).
fn folder_for(
    c: &Connection,
    actor: &Actor,
    id: i64,
    action: SpaceAction,
) -> Result<(Folder, Role)> {
    let f = store::folder(c, id)?.ok_or(Error::NotFound)?;
    let role = access::require_folder(c, actor, f.space_id, Some(id), action)?;
    Ok((f, role))
}

fn me(actor: &Actor) -> Option<i64> {
    actor.principal().map(|p| p.person_id)
}

fn name_taken(e: rusqlite::Error) -> Error {
    if is_unique_violation(&e) {
        Error::Exists("folder-exists")
    } else {
        e.into()
    }
}

/// A folder the actor may see.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Folder> {
    let actor = *actor;
    db.read(move |c| Ok(folder_for(c, &actor, id, SpaceAction::Read)?.0))
        .await
}

pub async fn rename(db: &Db, actor: &Actor, id: i64, name: FileName) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let (f, _) = folder_for(tx, &actor, id, SpaceAction::Contribute)?;
        store::rename_folder(tx, id, name.as_str(), now_ms()).map_err(name_taken)?;
        record(
            tx,
            &actor,
            &events::FolderRenamed {
                id,
                from: &f.name,
                to: name.as_str(),
            },
        )?;
        Ok(())
    })
    .await
}

/// Moves a folder with everything below it under `parent` (the root when
/// `None`) of `space_id`, a space the actor may write to; renamed to `name`
/// in the same step when given.
pub async fn relocate(
    db: &Db,
    actor: &Actor,
    id: i64,
    space_id: i64,
    parent: Option<i64>,
    name: Option<FileName>,
    default_quota: u64,
) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let (f, _) = folder_for(tx, &actor, id, SpaceAction::Contribute)?;
        access::require_folder(tx, &actor, space_id, parent, SpaceAction::Contribute)?;
        let target = match parent {
            Some(p) => Some(store::folder(tx, p)?.ok_or(Error::NotFound)?),
            None => None,
        };
        if target.as_ref().is_some_and(|t| t.path.starts_with(&f.path)) {
            return Err(Error::invalid("parent", "folder-into-itself"));
        }
        if store::locked_inside(tx, &f, me(&actor), now_ms())? {
            return Err(Error::Conflict("document-locked"));
        }
        if space_id != f.space_id {
            let bytes = store::folder_usage(tx, &f)?.max(0) as u64;
            check_quota(tx, space_id, bytes, default_quota)?;
        }
        let now = now_ms();
        store::move_folder(tx, &f, space_id, target.as_ref(), now)
            .and_then(|()| match &name {
                Some(n) => store::rename_folder(tx, id, n.as_str(), now).map(|_| ()),
                None => Ok(()),
            })
            .map_err(name_taken)?;
        record(
            tx,
            &actor,
            &events::FolderMoved {
                id,
                from: events::FolderPlace {
                    space: f.space_id,
                    parent: f.parent_id,
                    name: Some(&f.name),
                },
                to: events::FolderPlace {
                    space: space_id,
                    parent,
                    name: name.as_ref().map(FileName::as_str),
                },
            },
        )?;
        Ok(())
    })
    .await
}

/// Puts a folder and everything inside it in the trash, in one step.
pub async fn trash(db: &Db, actor: &Actor, id: i64) -> Result<Folder> {
    let actor = *actor;
    db.write(move |tx| {
        let (f, _) = folder_for(tx, &actor, id, SpaceAction::Contribute)?;
        let now = now_ms();
        if store::locked_inside(tx, &f, me(&actor), now)? {
            return Err(Error::Conflict("document-locked"));
        }
        store::trash_folder(tx, &f, me(&actor), now)?;
        record(
            tx,
            &actor,
            &events::FolderTrashed {
                id,
                space: f.space_id,
                name: &f.name,
            },
        )?;
        Ok(f)
    })
    .await
}

/// Whether the actor may see a folder, trashed or not (its own and its
/// ancestors' restrictions).
fn admitted(c: &Connection, actor: &Actor, role: Role, folder: i64) -> Result<bool> {
    let filter = access::folders_filter_for(actor, role, "f");
    let sql = format!(
        "SELECT 1 FROM folders f WHERE f.id = :folder AND {}",
        filter.sql
    );
    let mut params = filter.named();
    params.push((":folder", &folder));
    let found = rusqlite::OptionalExtension::optional(
        c.prepare_cached(&sql)?
            .query_row(params.as_slice(), |_| Ok(())),
    )?;
    Ok(found.is_some())
}

/// Brings a folder back from the trash with what went with it. Its parent
/// must still be there.
pub async fn untrash(db: &Db, actor: &Actor, id: i64) -> Result<Folder> {
    let actor = *actor;
    db.write(move |tx| {
        let f = store::trashed_folder(tx, id)?.ok_or(Error::NotFound)?;
        let role =
            access::require_folder(tx, &actor, f.space_id, f.parent_id, SpaceAction::Contribute)?;
        if !admitted(tx, &actor, role, id)? {
            return Err(Error::NotFound);
        }
        store::untrash_folder(tx, id).map_err(name_taken)?;
        record(tx, &actor, &events::FolderUntrashed { id })?;
        Ok(f)
    })
    .await
}

/// A space's trashed folders the actor may see, newest first.
pub async fn trashed(db: &Db, actor: &Actor, space_id: i64) -> Result<Vec<(Folder, i64)>> {
    let actor = *actor;
    db.read(move |c| {
        let role = access::require_space(c, &actor, space_id, SpaceAction::Contribute)?;
        let mut out = Vec::new();
        for (f, at) in store::trashed_folders(c, space_id)? {
            if admitted(c, &actor, role, f.id)? {
                out.push((f, at));
            }
        }
        Ok(out)
    })
    .await
}

/// Who may see a folder besides the space's managers.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Restriction {
    /// The lowest space role that may see it (None: any).
    pub min_role: Option<String>,
    /// When not empty, only these people and groups (and managers) may see it.
    pub people: Vec<(i64, String)>,
    pub groups: Vec<(i64, String)>,
}

/// A folder's restriction, for its space's managers.
pub async fn restriction(db: &Db, actor: &Actor, id: i64) -> Result<(Folder, Restriction)> {
    let actor = *actor;
    db.read(move |c| {
        let (f, _) = folder_for(c, &actor, id, SpaceAction::Manage)?;
        let (people, groups) = store::folder_access(c, id)?;
        let min_role = f.min_role.clone();
        Ok((
            f,
            Restriction {
                min_role,
                people,
                groups,
            },
        ))
    })
    .await
}

/// Restricts a folder (and what is below it) to a minimum role and/or to
/// listed members of its space; empty lists and no role lift the restriction.
/// Space managers only; the people and groups listed must be members of the space.
pub async fn restrict(
    db: &Db,
    actor: &Actor,
    id: i64,
    min_role: Option<Role>,
    people: Vec<i64>,
    groups: Vec<i64>,
) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let (f, _) = folder_for(tx, &actor, id, SpaceAction::Manage)?;
        for p in &people {
            let principal = match crate::auth::signin::principal_of(tx, *p) {
                Ok((principal, _)) => principal,
                Err(rusqlite::Error::QueryReturnedNoRows) => {
                    return Err(Error::invalid("people", "not-a-member"));
                }
                Err(e) => return Err(e.into()),
            };
            if access::space_role(tx, &principal, f.space_id)?.is_none() {
                return Err(Error::invalid("people", "not-a-member"));
            }
        }
        for g in &groups {
            let member: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1 AND group_id = ?2)",
                rusqlite::params![f.space_id, g],
                |r| r.get(0),
            )?;
            if !member {
                return Err(Error::invalid("groups", "not-a-member"));
            }
        }
        let min_role = min_role.filter(|r| *r > Role::Reader).map(Role::as_str);
        store::set_restriction(tx, id, min_role, &people, &groups, now_ms())?;
        record(
            tx,
            &actor,
            &events::FolderRestricted {
                id,
                min_role,
                people: &people,
                groups: &groups,
            },
        )?;
        Ok(())
    })
    .await
}
