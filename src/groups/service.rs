//! Group rules: administrators create groups and manage their members; every change audited.

use super::events;
use super::{Group, store};
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::service::{DisplayName, Email, Error, Result, Slug};

pub async fn create(
    db: &Db,
    actor: &Actor,
    name: DisplayName,
    slug: Option<Slug>,
) -> Result<Group> {
    access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let slug = slug.unwrap_or_else(|| Slug::from_name(name.as_str()));
        let id = match store::insert(tx, slug.as_str(), name.as_str(), "", crate::util::now_ms()) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("group-exists")),
            other => other?,
        };
        record(
            tx,
            &actor,
            &events::Created {
                id,
                slug: slug.as_str(),
                name: name.as_str(),
            },
        )?;
        store::by_slug(tx, slug.as_str())?.ok_or(Error::NotFound)
    })
    .await
}

/// Groups are internal structure (`access::require_groups`).
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Group>> {
    access::require_groups(actor)?;
    db.read(|c| Ok(store::list(c)?)).await
}

/// Adds (`add = true`) or removes a person. Membership changes alter what
/// people may see, so sessions' cached views are refreshed at once.
pub async fn set_member(
    db: &Db,
    actor: &Actor,
    group: &Slug,
    email: &Email,
    add: bool,
) -> Result<bool> {
    access::require_admin(actor)?;
    let (actor, group, email) = (*actor, group.clone(), email.clone());
    db.write(move |tx| {
        let g =
            store::by_slug(tx, group.as_str())?.ok_or(Error::invalid("group", "group-unknown"))?;
        let person = crate::people::store::by_email(tx, email.as_str())?
            .ok_or(Error::invalid("email", "person-unknown"))?;
        let changed = if add {
            store::add_member(tx, g.id, person.id)?
        } else {
            store::remove_member(tx, g.id, person.id)?
        };
        if changed {
            record(
                tx,
                &actor,
                &events::Membership {
                    id: g.id,
                    added: add,
                    person: person.id,
                },
            )?;
        }
        Ok(changed)
    })
    .await
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Group> {
    access::require_groups(actor)?;
    db.read(move |c| store::by_id(c, id)?.ok_or(Error::NotFound))
        .await
}

pub async fn page(db: &Db, actor: &Actor, after: i64, limit: u32) -> Result<Vec<Group>> {
    access::require_groups(actor)?;
    db.read(move |c| Ok(store::page(c, after, limit)?)).await
}

/// Ids of the group's members (people internal viewers may all see).
pub async fn members(db: &Db, actor: &Actor, id: i64) -> Result<Vec<i64>> {
    access::require_groups(actor)?;
    db.read(move |c| {
        store::by_id(c, id)?.ok_or(Error::NotFound)?;
        Ok(store::member_ids(c, id)?)
    })
    .await
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: Option<DisplayName>,
    description: Option<String>,
) -> Result<Group> {
    access::require_admin(actor)?;
    let description = description
        .as_deref()
        .map(crate::service::description)
        .transpose()?;
    let actor = *actor;
    db.write(move |tx| {
        let old = store::by_id(tx, id)?.ok_or(Error::NotFound)?;
        let name = name.as_ref().map_or(old.name.as_str(), DisplayName::as_str);
        let description = description.as_deref().unwrap_or(&old.description);
        store::update(tx, id, name, description)?;
        record(tx, &actor, &events::Updated { id, name })?;
        store::by_id(tx, id)?.ok_or(Error::NotFound)
    })
    .await
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let g = store::by_id(tx, id)?.ok_or(Error::NotFound)?;
        // Who shared a space with its members through it changes: their
        // directory entries are indexed again (the members are listed
        // before the group and its memberships go).
        let members: Vec<i64> = tx
            .prepare("SELECT person_id FROM group_members WHERE group_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for p in members {
            crate::search::sources::enqueue(tx, crate::search::sources::Change::Person(p))?;
        }
        store::delete(tx, id)?;
        record(
            tx,
            &actor,
            &events::Deleted {
                id,
                slug: &g.slug,
                members: g.members,
            },
        )?;
        Ok(())
    })
    .await
}
