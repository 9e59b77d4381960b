//! Organization rules: creation by administrators, listings trimmed by `access`.

use super::events;
use super::model::{OrgKind, Organization};
use super::store;
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::service::{DisplayName, Email, EmailDomain, Error, Result, Slug};

pub struct NewOrganization {
    pub name: DisplayName,
    pub slug: Option<Slug>,
    pub kind: OrgKind,
    pub domains: Vec<EmailDomain>,
}

fn domain_strings(domains: &[EmailDomain]) -> Vec<String> {
    domains.iter().map(|d| d.as_str().to_string()).collect()
}

/// Stores the domains, refusing one that another organization owns.
fn set_domains(tx: &rusqlite::Transaction<'_>, org_id: i64, domains: &[String]) -> Result<()> {
    for d in domains {
        if let Some(owner) = store::by_domain(tx, d)?
            && owner.id != org_id
        {
            return Err(Error::invalid("domains", "domain-taken"));
        }
    }
    store::set_domains(tx, org_id, domains)?;
    Ok(())
}

pub async fn create(db: &Db, actor: &Actor, new: NewOrganization) -> Result<Organization> {
    access::require_admin(actor)?;
    if new.kind == OrgKind::Host {
        return Err(Error::invalid("kind", "org-host-exists"));
    }
    let actor = *actor;
    db.write(move |tx| {
        let slug = new
            .slug
            .unwrap_or_else(|| Slug::from_name(new.name.as_str()));
        let id = match store::insert(
            tx,
            slug.as_str(),
            new.name.as_str(),
            new.kind,
            crate::util::now_ms(),
        ) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("org-exists")),
            other => other?,
        };
        let domains = domain_strings(&new.domains);
        set_domains(tx, id, &domains)?;
        record(
            tx,
            &actor,
            &events::Created {
                id,
                slug: slug.as_str(),
                name: new.name.as_str(),
                kind: new.kind.as_str(),
                domains: Some(&domains),
            },
        )?;
        store::by_slug(tx, slug.as_str())?.ok_or(Error::NotFound)
    })
    .await
}

/// Creates the host organization if there is none; returns it either way.
pub async fn ensure_host(db: &Db, name: &DisplayName) -> Result<(Organization, bool)> {
    let name = name.clone();
    db.write(move |tx| {
        if let Some(host) = store::host(tx)? {
            return Ok((host, false));
        }
        let slug = Slug::from_name(name.as_str());
        let id = store::insert(
            tx,
            slug.as_str(),
            name.as_str(),
            OrgKind::Host,
            crate::util::now_ms(),
        )?;
        record(
            tx,
            &Actor::system(),
            &events::Created {
                id,
                slug: slug.as_str(),
                name: name.as_str(),
                kind: OrgKind::Host.as_str(),
                domains: None,
            },
        )?;
        Ok((store::host(tx)?.ok_or(Error::NotFound)?, true))
    })
    .await
}

/// What the actor may see of organizations and their people.
fn seen(actor: &Actor) -> Result<store::Seen> {
    Ok(store::Seen {
        orgs: access::filter_for(actor, access::organizations_filter, "o")?,
        people: access::filter_for(actor, access::people_filter, "p")?,
    })
}

/// Organizations the actor may know of.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Organization>> {
    let seen = seen(actor)?;
    db.read(move |c| Ok(store::list(c, &seen)?)).await
}

pub async fn by_slug(db: &Db, actor: &Actor, slug: &str) -> Result<Organization> {
    let orgs = list(db, actor).await?;
    orgs.into_iter()
        .find(|o| o.slug == slug)
        .ok_or(Error::NotFound)
}

/// One organization, if the actor may know of it.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Organization> {
    let seen = seen(actor)?;
    db.read(move |c| store::by_id(c, id, &seen)?.ok_or(Error::NotFound))
        .await
}

/// A page of the organizations the actor may know of, by id.
pub async fn page(db: &Db, actor: &Actor, after: i64, limit: u32) -> Result<Vec<Organization>> {
    let seen = seen(actor)?;
    db.read(move |c| Ok(store::page(c, &seen, after, limit)?))
        .await
}

/// What an administrator may change about an organization; `None` keeps it.
#[derive(Default)]
pub struct Changes {
    pub name: Option<DisplayName>,
    pub domains: Option<Vec<EmailDomain>>,
}

pub async fn update(db: &Db, actor: &Actor, id: i64, changes: Changes) -> Result<Organization> {
    access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let old = store::by_id(tx, id, &store::Seen::everything())?.ok_or(Error::NotFound)?;
        if let Some(name) = &changes.name {
            store::rename(tx, id, name.as_str(), crate::util::now_ms())?;
        }
        let domains = changes.domains.as_deref().map(domain_strings);
        if let Some(domains) = &domains {
            set_domains(tx, id, domains)?;
        }
        record(
            tx,
            &actor,
            &events::Updated {
                id,
                name: changes.name.as_ref().map(DisplayName::as_str),
                previous_name: changes.name.as_ref().map(|_| old.name.as_str()),
                domains: domains.as_deref(),
                previous_domains: domains.as_ref().map(|_| old.domains.as_slice()),
            },
        )?;
        store::by_id(tx, id, &store::Seen::everything())?.ok_or(Error::NotFound)
    })
    .await
}

/// The organization an address's domain belongs to, if the actor may know of it.
pub async fn owner_of(db: &Db, actor: &Actor, email: &Email) -> Result<Option<Organization>> {
    let viewer = match actor.principal() {
        Some(p) => Some(*p),
        None => {
            access::require_admin(actor)?;
            None
        }
    };
    let domain = email.domain().to_string();
    db.read(move |c| {
        Ok(store::by_domain(c, &domain)?.filter(|o| {
            viewer.is_none_or(|p| access::can_see_organization(&p, o.id, o.kind == OrgKind::Host))
        }))
    })
    .await
}

/// Removes an external organization that has no people left.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let org = store::by_id(tx, id, &store::Seen::everything())?.ok_or(Error::NotFound)?;
        if org.kind == OrgKind::Host {
            return Err(Error::Conflict("org-host-stays"));
        }
        if org.people > 0 {
            return Err(Error::Conflict("org-not-empty"));
        }
        store::delete(tx, id)?;
        record(
            tx,
            &actor,
            &events::Deleted {
                id,
                slug: &org.slug,
                name: &org.name,
            },
        )?;
        Ok(())
    })
    .await
}
