//! Space rules: listings trimmed by `access`; creation and memberships by
//! administrators; every change audited.

use super::events;
use super::model::{Role, Space, Visibility};
use super::store::{self, Member};
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::service::{DisplayName, Email, Error, Result, Slug};

/// Spaces the actor may see, by name; `search` narrows by name or description.
pub async fn list(
    db: &Db,
    actor: &Actor,
    search: Option<String>,
    limit: u32,
) -> Result<Vec<Space>> {
    let filter = access::filter_for(actor, access::spaces_filter, "s")?;
    let search = search
        .map(|s| s.trim().chars().take(200).collect::<String>())
        .filter(|s| !s.is_empty());
    db.read(move |c| {
        let narrow = store::Narrow {
            search: search.as_deref(),
            portal: None,
        };
        Ok(store::list(c, &filter, &narrow, limit)?)
    })
    .await
}

pub struct NewSpace {
    pub name: DisplayName,
    pub slug: Option<Slug>,
    pub description: String,
    pub visibility: Visibility,
    /// Portals whose home shows the space; empty means the default portal.
    pub portals: Vec<Slug>,
}

pub async fn create(db: &Db, actor: &Actor, new: NewSpace) -> Result<Space> {
    access::require_admin(actor)?;
    let description = crate::service::description(&new.description)?;
    let actor = *actor;
    db.write(move |tx| {
        let slug = new
            .slug
            .unwrap_or_else(|| Slug::from_name(new.name.as_str()));
        let now = crate::util::now_ms();
        let id = match store::insert(
            tx,
            slug.as_str(),
            new.name.as_str(),
            &description,
            new.visibility,
            now,
        ) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("space-exists")),
            other => other?,
        };
        let portal_ids = if new.portals.is_empty() {
            vec![
                crate::portals::store::default_id(tx)?
                    .ok_or(Error::invalid("portal", "portal-unknown"))?,
            ]
        } else {
            new.portals
                .iter()
                .map(|p| {
                    crate::portals::store::id_by_slug(tx, p.as_str())?
                        .ok_or(Error::invalid("portal", "portal-unknown"))
                })
                .collect::<Result<Vec<_>>>()?
        };
        for portal in &portal_ids {
            crate::portals::store::publish(tx, id, *portal)?;
        }
        record(
            tx,
            &actor,
            &events::Created {
                id,
                slug: slug.as_str(),
                name: new.name.as_str(),
                visibility: new.visibility.as_str(),
                portals: &portal_ids,
            },
        )?;
        store::by_id(tx, id)?.ok_or(Error::NotFound)
    })
    .await
}

/// Who a grant names, before it is resolved to an id.
#[derive(Debug, Clone)]
pub enum MemberRef {
    Person(Email),
    Group(Slug),
    Org(Slug),
}

impl MemberRef {
    fn resolve(&self, c: &rusqlite::Connection) -> Result<(Member, &'static str, String)> {
        Ok(match self {
            MemberRef::Person(email) => {
                let p = crate::people::store::by_email(c, email.as_str())?
                    .ok_or(Error::invalid("user", "person-unknown"))?;
                (Member::Person(p.id), "person", email.to_string())
            }
            MemberRef::Group(slug) => {
                let g = crate::groups::store::by_slug(c, slug.as_str())?
                    .ok_or(Error::invalid("group", "group-unknown"))?;
                (Member::Group(g.id), "group", slug.to_string())
            }
            MemberRef::Org(slug) => {
                let o = crate::organizations::store::by_slug(c, slug.as_str())?
                    .ok_or(Error::invalid("org", "org-unknown"))?;
                (Member::Org(o.id), "organization", slug.to_string())
            }
        })
    }
}

/// Gives a person, a group or a whole organization a role in a space (or
/// changes it): administrators and the space's internal managers. Takes
/// effect on the next request: listings read memberships live.
pub async fn grant(
    db: &Db,
    actor: &Actor,
    space: &Slug,
    member: MemberRef,
    role: Role,
) -> Result<()> {
    let (actor, space) = (*actor, space.clone());
    db.write(move |tx| {
        let space_id = store::id_by_slug(tx, space.as_str())?
            .ok_or(Error::invalid("space", "space-unknown"))?;
        access::require_space_management(tx, &actor, space_id)?;
        let (m, kind, name) = member.resolve(tx)?;
        let previous = store::grant(tx, space_id, m, role, crate::util::now_ms())?;
        record(
            tx,
            &actor,
            &events::MemberGranted {
                id: space_id,
                who: m,
                member_kind: kind,
                member: &name,
                role: role.as_str(),
                previous_role: previous,
            },
        )?;
        Ok(())
    })
    .await
}

/// Removes a member from a space; returns whether they were one.
pub async fn revoke(db: &Db, actor: &Actor, space: &Slug, member: MemberRef) -> Result<bool> {
    let (actor, space) = (*actor, space.clone());
    db.write(move |tx| {
        let space_id = store::id_by_slug(tx, space.as_str())?
            .ok_or(Error::invalid("space", "space-unknown"))?;
        access::require_space_management(tx, &actor, space_id)?;
        let (m, kind, name) = member.resolve(tx)?;
        let removed = store::revoke(tx, space_id, m)? > 0;
        if removed {
            record(
                tx,
                &actor,
                &events::MemberRevoked {
                    id: space_id,
                    who: m,
                    member_kind: kind,
                    member: &name,
                },
            )?;
        }
        Ok(removed)
    })
    .await
}

/// Refuses anyone who may not change the space's members (hidden spaces look missing).
pub async fn require_member_management(db: &Db, actor: &Actor, slug: &str) -> Result<()> {
    let (actor, slug) = (*actor, slug.to_string());
    db.read(move |c| {
        let id = store::id_by_slug(c, &slug)?.ok_or(Error::NotFound)?;
        access::require_space_management(c, &actor, id)
    })
    .await
}

/// The external organizations already in a space, for those who manage its
/// members (an invitation proposes them first).
pub async fn external_orgs_in(db: &Db, actor: &Actor, slug: &str) -> Result<Vec<i64>> {
    let (actor, slug) = (*actor, slug.to_string());
    db.read(move |c| {
        let id = store::id_by_slug(c, &slug)?.ok_or(Error::NotFound)?;
        access::require_space_management(c, &actor, id)?;
        Ok(store::external_orgs_in(c, id)?)
    })
    .await
}

/// A space as its page shows it to one person.
pub struct Overview {
    pub space: Space,
    pub role: Role,
    /// Members the viewer may know of.
    pub members: Vec<store::MemberRow>,
    /// Slugs and names of the portals showing the space, for its managers.
    pub portals: Vec<(String, String)>,
}

/// The space behind `slug`, if the actor may read it; members they may not
/// know of (people outside their view, internal groups, third organizations)
/// are left out.
pub async fn overview(db: &Db, actor: &Actor, slug: &str) -> Result<Overview> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let actor = *actor;
    let slug = slug.to_string();
    db.read(move |c| {
        let id = store::id_by_slug(c, &slug)?.ok_or(Error::NotFound)?;
        let role = access::require_space(c, &actor, id, access::SpaceAction::Read)?;
        let space = store::by_id(c, id)?.ok_or(Error::NotFound)?;
        let visible_people: std::collections::HashSet<i64> = {
            let f = access::people_filter(&p, "p");
            let sql = format!(
                "SELECT p.id FROM people p JOIN space_members m ON m.person_id = p.id WHERE m.space_id = :space AND {}",
                f.sql
            );
            let mut params = f.named();
            params.push((":space", &id));
            let mut st = c.prepare_cached(&sql)?;
            st.query_map(params.as_slice(), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let members = store::members(c, id)?
            .into_iter()
            .filter(|m| match m.kind {
                "person" => visible_people.contains(&m.id),
                "group" => access::can_see_groups(&p),
                _ => access::can_see_organization(&p, m.id, m.is_host),
            })
            .collect();
        let portals = if access::can(role, access::SpaceAction::Manage) {
            crate::portals::store::portals_of_space(c, id)?
        } else {
            Vec::new()
        };
        Ok(Overview {
            space,
            role,
            members,
            portals,
        })
    })
    .await
}

/// The slug of a space the actor may read, by id (the API names spaces by id).
pub async fn slug_of(db: &Db, actor: &Actor, id: i64) -> Result<Slug> {
    let actor = *actor;
    db.read(move |c| {
        access::require_space(c, &actor, id, access::SpaceAction::Read)?;
        let s = store::by_id(c, id)?.ok_or(Error::NotFound)?;
        Slug::parse(&s.slug)
    })
    .await
}

/// A page of the spaces the actor may see, by id.
pub async fn page(db: &Db, actor: &Actor, after: i64, limit: u32) -> Result<Vec<Space>> {
    let filter = access::filter_for(actor, access::spaces_filter, "s")?;
    db.read(move |c| Ok(store::page(c, &filter, after, limit)?))
        .await
}

/// What may change about a space; `None` keeps it.
#[derive(Default)]
pub struct Changes {
    pub name: Option<DisplayName>,
    /// In English.
    pub description: Option<String>,
    pub description_fr: Option<String>,
    /// Administrators only.
    pub visibility: Option<Visibility>,
}

/// Changes a space's name, descriptions or visibility: its managers (visibility: administrators).
pub async fn update(db: &Db, actor: &Actor, id: i64, changes: Changes) -> Result<Space> {
    let Changes {
        name,
        description,
        description_fr,
        visibility,
    } = changes;
    let description = description
        .as_deref()
        .map(crate::service::description)
        .transpose()?;
    let description_fr = description_fr
        .as_deref()
        .map(crate::service::description)
        .transpose()?;
    let actor = *actor;
    db.write(move |tx| {
        access::require_space_management(tx, &actor, id)?;
        if visibility.is_some() {
            access::require_admin(&actor).map_err(|_| Error::Forbidden)?;
        }
        let old = store::by_id(tx, id)?.ok_or(Error::NotFound)?;
        let name = name.as_ref().map_or(old.name.as_str(), DisplayName::as_str);
        let fields = store::Fields {
            name,
            description: description.as_deref().unwrap_or(&old.description),
            description_fr: description_fr.as_deref().unwrap_or(&old.description_fr),
            visibility: visibility.unwrap_or(old.visibility),
        };
        store::update(tx, id, &fields, crate::util::now_ms())?;
        let visibility = fields.visibility;
        record(
            tx,
            &actor,
            &events::Updated {
                id,
                name,
                visibility: visibility.as_str(),
            },
        )?;
        store::by_id(tx, id)?.ok_or(Error::NotFound)
    })
    .await
}

/// Deletes a space and its memberships (administrators).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let s = store::by_id(tx, id)?.ok_or(Error::NotFound)?;
        store::delete(tx, id)?;
        record(
            tx,
            &actor,
            &events::Deleted {
                id,
                slug: s.slug,
                name: s.name,
            },
        )?;
        Ok(())
    })
    .await
}
