//! Group rules: administrators create groups and manage their members; every change audited.

use super::{Group, store};
use crate::access::{self, Actor};
use crate::audit::{self, Event};
use crate::db::{Db, is_unique_violation};
use crate::service::{DisplayName, Email, Error, Result, Slug};
use serde_json::json;

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
            Err(e) if is_unique_violation(&e) => return Err(Error::Conflict("group-exists")),
            other => other?,
        };
        audit::append(
            tx,
            Event::new(&actor, "group.create")
                .target("group", id)
                .detail(json!({"slug": slug.as_str(), "name": name.as_str()})),
        )?;
        store::by_slug(tx, slug.as_str())?.ok_or(Error::NotFound)
    })
    .await
}

/// Groups are internal structure: internal people and administrators may list them.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Group>> {
    match actor.principal() {
        Some(p) if p.internal => {}
        Some(_) => return Err(Error::NotFound),
        None => access::require_admin(actor)?,
    }
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
            let action = if add {
                "group.member.add"
            } else {
                "group.member.remove"
            };
            audit::append(
                tx,
                Event::new(&actor, action)
                    .target("group", g.id)
                    .detail(json!({"person": person.id})),
            )?;
        }
        Ok(changed)
    })
    .await
}
