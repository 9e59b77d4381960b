//! Portal rules: administrators create, change and remove portals, their host
//! names, audience and logo, and publish spaces on them; every change audited
//! and the in-memory registry reloaded at once.

use super::events;
use super::model::{
    Audience, Color, Hostname, Image, Portal, Rgb, SupportContact, WebLink, check_welcome,
};
use super::registry::Registry;
use super::store::{self, Branding, Fields};
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::organizations::OrgKind;
use crate::service::{DisplayName, Error, Locale, Result, Slug};
use std::sync::Arc;

/// An audience rule as typed: a kind, or an organization by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudienceRef {
    Kind(OrgKind),
    Org(Slug),
}

/// What an administrator may set on a portal. `None` keeps the current value
/// (or the default, on creation).
#[derive(Debug, Clone, Default)]
pub struct PortalInput {
    pub name: Option<DisplayName>,
    pub slug: Option<Slug>,
    pub hostnames: Option<Vec<Hostname>>,
    pub audience: Option<Vec<AudienceRef>>,
    pub primary_color: Option<Color>,
    pub default_locale: Option<Locale>,
    /// The welcome text in English.
    pub welcome_text: Option<String>,
    /// The welcome text in French.
    pub welcome_text_fr: Option<String>,
    /// The header's background colour.
    pub header_color: Option<Color>,
    /// `Some(None)` removes the link.
    pub legal_url: Option<Option<WebLink>>,
    /// `Some(None)` removes the contact.
    pub support_contact: Option<Option<SupportContact>>,
    pub external_access_days: Option<u32>,
    pub require_mfa: Option<bool>,
    pub share_links: Option<bool>,
}

pub use super::model::PortalImage;

/// The colours, checked again whichever edge parsed them: text must stay
/// readable on the accent and on the header.
fn check_colors(input: &PortalInput) -> Result<()> {
    if let Some(c) = &input.primary_color
        && !Rgb::parse(c.as_str()).is_some_and(|rgb| rgb.readable_accent())
    {
        return Err(Error::invalid("primary_color", "color-accent-contrast"));
    }
    if let Some(c) = &input.header_color
        && !Rgb::parse(c.as_str()).is_some_and(|rgb| rgb.has_readable_ink())
    {
        return Err(Error::invalid("header_color", "color-header-contrast"));
    }
    Ok(())
}

fn check_days(days: u32) -> Result<u32> {
    if (1..=3650).contains(&days) {
        Ok(days)
    } else {
        Err(Error::invalid(
            "external_access_days",
            "access-days-invalid",
        ))
    }
}

fn resolve_audience(c: &rusqlite::Connection, refs: &[AudienceRef]) -> Result<Vec<Audience>> {
    let mut out = Vec::with_capacity(refs.len());
    for r in refs {
        out.push(match r {
            AudienceRef::Kind(kind) => Audience::Kind { kind: *kind },
            AudienceRef::Org(slug) => {
                let org = crate::organizations::store::by_slug(c, slug.as_str())?
                    .ok_or(Error::invalid("audience", "org-unknown"))?;
                Audience::Organization { id: org.id }
            }
        });
    }
    Ok(out)
}

/// Writes host names, audience and the portal row; maps UNIQUE violations to
/// the conflict the administrator can act on.
fn write_details(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    is_default: bool,
    hostnames: Option<&[Hostname]>,
    audience: Option<&[Audience]>,
) -> Result<()> {
    if let Some(hosts) = hostnames {
        let names: Vec<&str> = hosts.iter().map(Hostname::as_str).collect();
        match store::set_hostnames(tx, id, &names) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Conflict("hostname-taken")),
            other => other?,
        }
    }
    if let Some(rules) = audience {
        // Staff must always have a way in: the default portal admits them.
        if is_default
            && !rules.contains(&Audience::Kind {
                kind: OrgKind::Host,
            })
        {
            return Err(Error::invalid("audience", "default-portal-needs-staff"));
        }
        store::set_audience(tx, id, rules)?;
    }
    Ok(())
}

pub async fn create(
    db: &Db,
    registry: &Registry,
    actor: &Actor,
    input: PortalInput,
) -> Result<Arc<Portal>> {
    access::require_admin(actor)?;
    check_colors(&input)?;
    let name = input.name.ok_or(Error::invalid("name", "name-empty"))?;
    let welcome = check_welcome(input.welcome_text.as_deref().unwrap_or(""), "welcome_text")?;
    let welcome_fr = check_welcome(
        input.welcome_text_fr.as_deref().unwrap_or(""),
        "welcome_text_fr",
    )?;
    let header = input.header_color.clone();
    let legal = input.legal_url.clone().flatten();
    let support = input.support_contact.clone().flatten();
    let days = check_days(input.external_access_days.unwrap_or(365))?;
    let color = input.primary_color.unwrap_or_default();
    let hostnames = input.hostnames.unwrap_or_default();
    let audience_refs = input.audience.unwrap_or_default();
    let locale = input.default_locale.unwrap_or_default();
    let require_mfa = input.require_mfa.unwrap_or(false);
    let share_links = input.share_links.unwrap_or(false);
    let actor = *actor;
    let id = db
        .write(move |tx| {
            let slug = input.slug.unwrap_or_else(|| Slug::from_name(name.as_str()));
            let fields = Fields {
                name: name.as_str(),
                primary_color: color.as_str(),
                default_locale: locale,
                welcome_text: &welcome,
                branding: Branding {
                    header_color: header.as_ref().map_or("#ffffff", Color::as_str),
                    welcome_text_fr: &welcome_fr,
                    legal_url: legal.as_ref().map_or("", WebLink::as_str),
                    support_contact: support.as_ref().map_or("", SupportContact::as_str),
                },
                external_access_days: days,
                require_mfa,
                share_links,
            };
            let id = match store::insert(tx, slug.as_str(), &fields, false, crate::util::now_ms()) {
                Err(e) if is_unique_violation(&e) => return Err(Error::Exists("portal-exists")),
                other => other?,
            };
            let audience = resolve_audience(tx, &audience_refs)?;
            write_details(tx, id, false, Some(&hostnames), Some(&audience))?;
            record(
                tx,
                &actor,
                &events::Created {
                    id,
                    slug: slug.as_str(),
                    name: name.as_str(),
                    hostnames: hostnames.iter().map(Hostname::as_str).collect(),
                    audience: &audience,
                },
            )?;
            Ok::<_, Error>(id)
        })
        .await?;
    reloaded(db, registry, id).await
}

async fn reloaded(db: &Db, registry: &Registry, id: i64) -> Result<Arc<Portal>> {
    registry.reload(db).await?;
    registry.current().by_id(id).ok_or(Error::NotFound)
}

fn portal_id(c: &rusqlite::Connection, slug: &str) -> Result<i64> {
    store::id_by_slug(c, slug)?.ok_or(Error::NotFound)
}

pub async fn update(
    db: &Db,
    registry: &Registry,
    actor: &Actor,
    slug: &str,
    input: PortalInput,
) -> Result<Arc<Portal>> {
    access::require_admin(actor)?;
    check_colors(&input)?;
    let welcome = input
        .welcome_text
        .as_deref()
        .map(|t| check_welcome(t, "welcome_text"))
        .transpose()?;
    let welcome_fr = input
        .welcome_text_fr
        .as_deref()
        .map(|t| check_welcome(t, "welcome_text_fr"))
        .transpose()?;
    let days = input.external_access_days.map(check_days).transpose()?;
    let (actor, slug) = (*actor, slug.to_string());
    let id = db
        .write(move |tx| {
            let id = portal_id(tx, &slug)?;
            let now_set = store::load_all(tx)?;
            let old = now_set.iter().find(|p| p.id == id).ok_or(Error::NotFound)?;
            let name = input
                .name
                .as_ref()
                .map_or(old.name.as_str(), DisplayName::as_str);
            let color = input
                .primary_color
                .as_ref()
                .map_or(old.primary_color.as_str(), Color::as_str);
            let fields = Fields {
                name,
                primary_color: color,
                default_locale: input.default_locale.unwrap_or(old.default_locale),
                welcome_text: welcome.as_deref().unwrap_or(&old.welcome_text),
                branding: Branding {
                    header_color: input
                        .header_color
                        .as_ref()
                        .map_or(old.header_color.as_str(), Color::as_str),
                    welcome_text_fr: welcome_fr.as_deref().unwrap_or(&old.welcome_text_fr),
                    legal_url: match &input.legal_url {
                        Some(l) => l.as_ref().map_or("", WebLink::as_str),
                        None => &old.legal_url,
                    },
                    support_contact: match &input.support_contact {
                        Some(c) => c.as_ref().map_or("", SupportContact::as_str),
                        None => &old.support_contact,
                    },
                },
                external_access_days: days.unwrap_or(old.external_access_days),
                require_mfa: input.require_mfa.unwrap_or(old.require_mfa),
                share_links: input.share_links.unwrap_or(old.share_links),
            };
            store::update(tx, id, &fields, crate::util::now_ms())?;
            let audience = input
                .audience
                .as_deref()
                .map(|refs| resolve_audience(tx, refs))
                .transpose()?;
            write_details(
                tx,
                id,
                old.is_default,
                input.hostnames.as_deref(),
                audience.as_deref(),
            )?;
            record(
                tx,
                &actor,
                &events::Updated {
                    id,
                    name: input.name.is_some().then_some(name),
                    primary_color: input.primary_color.is_some().then_some(color),
                    hostnames: input
                        .hostnames
                        .as_ref()
                        .map(|h| h.iter().map(Hostname::as_str).collect()),
                    audience: audience.as_deref(),
                    external_access_days: days,
                    require_mfa: input.require_mfa,
                    share_links: input.share_links,
                    default_locale: input.default_locale.map(|l| l.code()),
                    welcome_text: welcome.is_some().then_some(true),
                    welcome_text_fr: welcome_fr.is_some().then_some(true),
                    header_color: input.header_color.as_ref().map(Color::as_str),
                    legal_url: input
                        .legal_url
                        .as_ref()
                        .map(|l| l.as_ref().map(WebLink::as_str)),
                    support_contact: input
                        .support_contact
                        .as_ref()
                        .map(|c| c.as_ref().map(SupportContact::as_str)),
                },
            )?;
            Ok::<_, Error>(id)
        })
        .await?;
    reloaded(db, registry, id).await
}

pub async fn delete(db: &Db, registry: &Registry, actor: &Actor, slug: &str) -> Result<()> {
    access::require_admin(actor)?;
    let (actor, slug) = (*actor, slug.to_string());
    db.write(move |tx| {
        let id = portal_id(tx, &slug)?;
        if store::delete(tx, id)? == 0 {
            return Err(Error::Conflict("default-portal-stays"));
        }
        record(tx, &actor, &events::Deleted { id, slug: &slug })?;
        Ok(())
    })
    .await?;
    registry.reload(db).await
}

/// Every portal, for administrators.
pub fn list(registry: &Registry, actor: &Actor) -> Result<Vec<Arc<Portal>>> {
    access::require_admin(actor)?;
    Ok(registry.current().all().to_vec())
}

pub fn get(registry: &Registry, actor: &Actor, slug: &str) -> Result<Arc<Portal>> {
    access::require_admin(actor)?;
    registry
        .current()
        .all()
        .iter()
        .find(|p| p.slug == slug)
        .cloned()
        .ok_or(Error::NotFound)
}

/// Sets (or with `None` removes) a portal's logo.
pub async fn set_logo(
    db: &Db,
    registry: &Registry,
    actor: &Actor,
    slug: &str,
    image: Option<Image>,
) -> Result<Arc<Portal>> {
    set_image(db, registry, actor, slug, PortalImage::Logo, image).await
}

/// Sets (or with `None` removes) a portal's logo or favicon.
pub async fn set_image(
    db: &Db,
    registry: &Registry,
    actor: &Actor,
    slug: &str,
    which: PortalImage,
    image: Option<Image>,
) -> Result<Arc<Portal>> {
    access::require_admin(actor)?;
    let (actor, slug) = (*actor, slug.to_string());
    let id = db
        .write(move |tx| {
            let id = portal_id(tx, &slug)?;
            let etag = image.as_ref().map(Image::etag);
            let change = match (&image, &etag) {
                (Some(img), Some(etag)) => {
                    store::set_image(
                        tx,
                        which,
                        id,
                        img.content_type,
                        &img.data,
                        etag,
                        crate::util::now_ms(),
                    )?;
                    events::ImageChange::Set {
                        content_type: img.content_type,
                        bytes: img.data.len(),
                        etag,
                    }
                }
                _ => {
                    store::remove_image(tx, which, id)?;
                    events::ImageChange::Removed { removed: true }
                }
            };
            record(tx, &actor, &events::ImageChanged { id, which, change })?;
            Ok::<_, Error>(id)
        })
        .await?;
    reloaded(db, registry, id).await
}

/// A portal's logo or favicon, for anyone who reaches it (the sign-in page
/// shows the logo; browsers ask for the favicon on every page).
pub async fn image(
    db: &Db,
    portal_id: i64,
    which: PortalImage,
) -> Result<Option<(String, Vec<u8>, String)>> {
    db.read(move |c| Ok(store::image(c, which, portal_id)?))
        .await
}

/// Publishes a space on a portal (`on = true`) or withdraws it.
pub async fn publish(
    db: &Db,
    actor: &Actor,
    space: &Slug,
    portal: &Slug,
    on: bool,
) -> Result<bool> {
    access::require_admin(actor)?;
    let (actor, space, portal) = (*actor, space.clone(), portal.clone());
    db.write(move |tx| {
        let space_id = crate::spaces::store::id_by_slug(tx, space.as_str())?
            .ok_or(Error::invalid("space", "space-unknown"))?;
        let portal_id = store::id_by_slug(tx, portal.as_str())?
            .ok_or(Error::invalid("portal", "portal-unknown"))?;
        let changed = if on {
            store::publish(tx, space_id, portal_id)?
        } else {
            store::unpublish(tx, space_id, portal_id)?
        } > 0;
        if changed {
            record(
                tx,
                &actor,
                &events::Published {
                    id: space_id,
                    on,
                    portal: portal.as_str(),
                },
            )?;
        }
        Ok(changed)
    })
    .await
}
