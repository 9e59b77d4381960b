//! The demo company seeded by `serve --demo`: a host organization, a client
//! and a supplier, a dozen people, groups and a few spaces, so a newcomer sees
//! a living instance. Seeded once; later issues add their content here.

mod adoption;
mod approvals;
pub mod branding;
mod comments;
mod company;
mod discussions;
pub mod documents;
mod news;
mod requests;

use crate::access::Actor;
use crate::content::events::{record, recorded};
use crate::people::service::NewPerson;
use crate::portals::store as portals_store;
use crate::service::{DisplayName, Email, Error, Locale, NewPassword, Result};
use crate::spaces::store::{self as spaces_store, Member};
use crate::spaces::{Role, Visibility};
use crate::util::{Secret, now_ms, readable_password};
use rusqlite::{OptionalExtension, params};

pub const HOST_NAME: &str = "Lumen Industries";
/// The partner portal's host name: browsers resolve `*.localhost` to this machine.
pub const PARTNER_HOST: &str = "partners.localhost";

const SKILLS: &[(&str, &str)] = &[
    (
        "claire.martin@lumen.example",
        "Strategy, Industrial partnerships",
    ),
    (
        "julien.moreau@lumen.example",
        "Automation, PLC, Rust, Safety",
    ),
    (
        "sofia.almeida@lumen.example",
        "Project management, Logistics, Agile",
    ),
    (
        "thomas.leroy@lumen.example",
        "Labour law, Recruiting, Onboarding",
    ),
    ("amina.diallo@lumen.example", "ISO 9001, Audits, Metrology"),
    ("lucas.bernard@lumen.example", "Negotiation, SAP, Incoterms"),
    ("emma.laurent@lumen.example", "Writing, Events, Photography"),
    ("hugo.petit@lumen.example", "Linux, Networks, Backups"),
    (
        "ingrid.solberg@nordhavn.example",
        "Warehouse management, WMS",
    ),
    ("marc.verdier@verdier.example", "Sheet metal, Welding"),
];

struct DemoPerson {
    email: &'static str,
    name: &'static str,
    org: &'static str,
    title: &'static str,
    department: &'static str,
    phone: &'static str,
    locale: Locale,
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        email: "claire.martin@lumen.example",
        name: "Claire Martin",
        org: "",
        title: "Chief Executive Officer",
        department: "Direction",
        phone: "+33 1 84 60 10 01",
        locale: Locale::Fr,
    },
    DemoPerson {
        email: "julien.moreau@lumen.example",
        name: "Julien Moreau",
        org: "",
        title: "Head of Engineering",
        department: "Engineering",
        phone: "+33 1 84 60 10 12",
        locale: Locale::Fr,
    },
    DemoPerson {
        email: "sofia.almeida@lumen.example",
        name: "Sofia Almeida",
        org: "",
        title: "Project Manager",
        department: "Projects",
        phone: "+33 1 84 60 10 23",
        locale: Locale::En,
    },
    DemoPerson {
        email: "thomas.leroy@lumen.example",
        name: "Thomas Leroy",
        org: "",
        title: "HR Manager",
        department: "Human Resources",
        phone: "+33 1 84 60 10 34",
        locale: Locale::Fr,
    },
    DemoPerson {
        email: "amina.diallo@lumen.example",
        name: "Amina Diallo",
        org: "",
        title: "Quality Engineer",
        department: "Quality",
        phone: "+33 1 84 60 10 45",
        locale: Locale::Fr,
    },
    DemoPerson {
        email: "lucas.bernard@lumen.example",
        name: "Lucas Bernard",
        org: "",
        title: "Purchasing Officer",
        department: "Purchasing",
        phone: "+33 1 84 60 10 56",
        locale: Locale::Fr,
    },
    DemoPerson {
        email: "emma.laurent@lumen.example",
        name: "Emma Laurent",
        org: "",
        title: "Communications Officer",
        department: "Communication",
        phone: "+33 1 84 60 10 67",
        locale: Locale::En,
    },
    DemoPerson {
        email: "hugo.petit@lumen.example",
        name: "Hugo Petit",
        org: "",
        title: "IT Administrator",
        department: "IT",
        phone: "+33 1 84 60 10 78",
        locale: Locale::Fr,
    },
    DemoPerson {
        email: "ingrid.solberg@nordhavn.example",
        name: "Ingrid Solberg",
        org: "nordhavn-logistics",
        title: "Logistics Director",
        department: "Operations",
        phone: "+47 22 40 11 90",
        locale: Locale::En,
    },
    DemoPerson {
        email: "erik.lund@nordhavn.example",
        name: "Erik Lund",
        org: "nordhavn-logistics",
        title: "Warehouse Operations Manager",
        department: "Operations",
        phone: "+47 22 40 11 94",
        locale: Locale::En,
    },
    DemoPerson {
        email: "marc.verdier@verdier.example",
        name: "Marc Verdier",
        org: "atelier-verdier",
        title: "Managing Director",
        department: "Direction",
        phone: "+33 4 72 10 55 00",
        locale: Locale::Fr,
    },
    DemoPerson {
        email: "chloe.roux@verdier.example",
        name: "Chloé Roux",
        org: "atelier-verdier",
        title: "Sales Engineer",
        department: "Sales",
        phone: "+33 4 72 10 55 07",
        locale: Locale::Fr,
    },
];

/// Seeds the demo unless it was seeded before. Returns the password shared by
/// the demo people when seeding happened now.
pub async fn seed(state: &crate::app::AppState) -> Result<Option<Secret<String>>> {
    let seeded = state
        .db
        .read(|c| {
            Ok::<_, Error>(
                c.query_row(
                    "SELECT value FROM instance_settings WHERE key = 'demo_seeded'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .optional()?,
            )
        })
        .await?;
    if seeded.is_some() {
        return Ok(None);
    }
    let actor = Actor::system();
    for (slug, name, kind, domain) in [
        (
            "nordhavn-logistics",
            "Nordhavn Logistics",
            crate::organizations::OrgKind::Client,
            "nordhavn.example",
        ),
        (
            "atelier-verdier",
            "Atelier Verdier",
            crate::organizations::OrgKind::Supplier,
            "verdier.example",
        ),
    ] {
        let new = crate::organizations::service::NewOrganization {
            name: DisplayName::parse(name)?,
            slug: Some(crate::service::Slug::parse(slug)?),
            kind,
            domains: vec![crate::service::EmailDomain::parse(domain)?],
        };
        match crate::organizations::service::create(&state.db, &actor, new).await {
            Ok(_) | Err(Error::Conflict(_) | Error::Exists(_)) => {}
            Err(e) => return Err(e),
        }
    }

    let password = readable_password();
    // One hash for all demo people: hashing twelve times would slow the first start for nothing.
    let hash = state
        .hasher
        .hash(&Secret::new(password.clone()))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    for p in PEOPLE {
        let mut new = NewPerson::new(Email::parse(p.email)?, DisplayName::parse(p.name)?);
        new.org_slug = (!p.org.is_empty()).then(|| p.org.to_string());
        new.title = p.title.into();
        new.department = p.department.into();
        new.phone = p.phone.into();
        new.locale = Some(p.locale);
        match crate::people::service::create(&state.db, &state.hasher, &actor, new).await {
            Ok(_) | Err(Error::Conflict(_) | Error::Exists(_)) => {}
            Err(e) => return Err(e),
        }
    }
    // Validates the generated password against the same rules as everyone's.
    NewPassword::parse(&password, &[])?;
    let (logo_png, icon_png) = (branding::mark_png(160)?, branding::mark_png(64)?);

    state
        .db
        .write(move |tx| {
            let now = now_ms();
            let id = |email: &str| -> rusqlite::Result<i64> {
                tx.query_row("SELECT id FROM people WHERE email = ?1", [email], |r| r.get(0))
            };
            let org = |slug: &str| -> rusqlite::Result<i64> {
                tx.query_row("SELECT id FROM organizations WHERE slug = ?1", [slug], |r| r.get(0))
            };
            for p in PEOPLE {
                tx.execute(
                    "UPDATE people SET password_hash = ?1 WHERE email = ?2 AND password_hash IS NULL",
                    params![&hash, p.email],
                )?;
            }
            let group = |slug: &str, name: &str, members: &[&str]| -> rusqlite::Result<i64> {
                tx.execute(
                    "INSERT INTO groups (slug, name, description, created_at) VALUES (?1, ?2, '', ?3)",
                    params![slug, name, now],
                )?;
                let gid = tx.last_insert_rowid();
                for m in members {
                    tx.execute("INSERT INTO group_members (group_id, person_id) VALUES (?1, ?2)", params![gid, id(m)?])?;
                }
                Ok(gid)
            };
            let engineering = group(
                "engineering",
                "Engineering",
                &["julien.moreau@lumen.example", "amina.diallo@lumen.example", "sofia.almeida@lumen.example"],
            )?;
            let management = group(
                "management",
                "Management",
                &["claire.martin@lumen.example", "julien.moreau@lumen.example", "thomas.leroy@lumen.example"],
            )?;

            let space = |slug: &str, name: &str, description: &str, vis: Visibility| {
                spaces_store::insert(tx, slug, name, description, vis, now)
            };
            let news = space(
                "company-news",
                "Company news",
                "Announcements, events and life at Lumen Industries.",
                Visibility::Internal,
            )?;
            spaces_store::add_member(tx, news, Member::Person(id("emma.laurent@lumen.example")?), Role::Manager, now)?;
            // The CEO writes to everyone here.
            spaces_store::add_member(tx, news, Member::Person(id("claire.martin@lumen.example")?), Role::Manager, now)?;
            let hr = space(
                "human-resources",
                "Human Resources",
                "Policies, onboarding and confidential HR matters.",
                Visibility::Members,
            )?;
            spaces_store::add_member(tx, hr, Member::Person(id("thomas.leroy@lumen.example")?), Role::Manager, now)?;
            spaces_store::add_member(tx, hr, Member::Group(management), Role::Reader, now)?;
            let eng = space(
                "engineering",
                "Engineering",
                "Design notes, standards and the engineering wiki.",
                Visibility::Internal,
            )?;
            spaces_store::add_member(tx, eng, Member::Group(engineering), Role::Contributor, now)?;
            spaces_store::add_member(tx, eng, Member::Person(id("julien.moreau@lumen.example")?), Role::Manager, now)?;
            let nordhavn = space(
                "nordhavn-warehouse-automation",
                "Nordhavn — Warehouse automation",
                "Shared project space with Nordhavn Logistics: plans, deliverables and meeting notes.",
                Visibility::Members,
            )?;
            spaces_store::add_member(tx, nordhavn, Member::Person(id("sofia.almeida@lumen.example")?), Role::Manager, now)?;
            spaces_store::add_member(tx, nordhavn, Member::Group(engineering), Role::Contributor, now)?;
            spaces_store::add_member(tx, nordhavn, Member::Person(id("ingrid.solberg@nordhavn.example")?), Role::Contributor, now)?;
            spaces_store::add_member(tx, nordhavn, Member::Org(org("nordhavn-logistics")?), Role::Reader, now)?;
            let verdier = space(
                "verdier-supply-quality",
                "Verdier — Supply quality",
                "Certificates, inspection reports and quality requests with Atelier Verdier.",
                Visibility::Members,
            )?;
            spaces_store::add_member(tx, verdier, Member::Person(id("lucas.bernard@lumen.example")?), Role::Manager, now)?;
            spaces_store::add_member(tx, verdier, Member::Person(id("amina.diallo@lumen.example")?), Role::Contributor, now)?;
            spaces_store::add_member(tx, verdier, Member::Org(org("atelier-verdier")?), Role::Contributor, now)?;

            tx.execute(
                "UPDATE portals SET welcome_text = ?1, welcome_text_fr = ?2 WHERE is_default = 1",
                [
                    "Welcome to the Lumen Industries intranet and partner portal.",
                    "Bienvenue sur l’intranet et le portail partenaires de Lumen Industries.",
                ],
            )?;
            // Every space on the main portal; the shared ones also on a branded
            // partner portal (https://partners.localhost:8443/ in a browser).
            let main = portals_store::default_id(tx)?.ok_or(Error::NotFound)?;
            for s in [news, hr, eng, nordhavn, verdier] {
                portals_store::publish(tx, s, main)?;
            }
            let fields = portals_store::Fields {
                name: "Lumen Partners",
                primary_color: "#0b7a5a",
                default_locale: Locale::En,
                welcome_text: "Welcome to Lumen Partners, the extranet of Lumen Industries for its clients and suppliers: shared projects, documents and requests in one place.",
                branding: portals_store::Branding {
                    header_color: "#0b3d2e",
                    welcome_text_fr: "Bienvenue sur Lumen Partners, l’extranet de Lumen Industries pour ses clients et fournisseurs : projets partagés, documents et demandes au même endroit.",
                    legal_url: "https://lumen.example/partners/legal",
                    support_contact: "partners-support@lumen.example",
                },
                external_access_days: 365,
                require_mfa: false,
                share_links: true,
            };
            let partners = portals_store::insert(tx, "partners", &fields, false, now)?;
            portals_store::set_hostnames(tx, partners, &[PARTNER_HOST])?;
            // Its own logo and favicon, checked like any upload.
            let logo = crate::portals::Image::parse(logo_png)?;
            portals_store::set_image(tx, crate::portals::PortalImage::Logo, partners, logo.content_type, &logo.data, &logo.etag(), now)?;
            let icon = crate::portals::Image::parse(icon_png)?;
            portals_store::set_image(tx, crate::portals::PortalImage::Favicon, partners, icon.content_type, &icon.data, &icon.etag(), now)?;
            portals_store::set_audience(
                tx,
                partners,
                &[
                    crate::portals::Audience::Kind { kind: crate::organizations::OrgKind::Client },
                    crate::portals::Audience::Kind { kind: crate::organizations::OrgKind::Supplier },
                ],
            )?;
            for s in [nordhavn, verdier] {
                portals_store::publish(tx, s, partners)?;
            }
            // External people have a sponsor and an access end date; one ends soon,
            // so the renewal can be seen.
            for (email, sponsor, days) in [
                ("ingrid.solberg@nordhavn.example", "sofia.almeida@lumen.example", 365),
                ("erik.lund@nordhavn.example", "sofia.almeida@lumen.example", 10),
                ("marc.verdier@verdier.example", "lucas.bernard@lumen.example", 365),
                ("chloe.roux@verdier.example", "lucas.bernard@lumen.example", 200),
            ] {
                tx.execute(
                    "UPDATE people SET sponsor_id = ?2, portal_id = ?3, expires_at = ?4 WHERE id = ?1",
                    params![id(email)?, id(sponsor)?, partners, now + days * 86_400_000],
                )?;
            }
            for (email, skills) in SKILLS {
                tx.execute(
                    "UPDATE people SET skills = ?2 WHERE email = ?1",
                    params![email, skills],
                )?;
            }
            tx.execute(
                "INSERT INTO instance_settings (key, value) VALUES ('demo_seeded', ?1)",
                [now.to_string()],
            )?;
            record(tx, &Actor::system(), &Seeded {})?;
            Ok::<_, Error>(())
        })
        .await?;
    // The files' seeding shares through the partners portal: it must be known.
    state
        .reload_portals()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    documents::seed(state).await?;
    company::seed(state).await?;
    news::seed(state).await?;
    discussions::seed(state).await?;
    comments::seed(state).await?;
    requests::seed(state).await?;
    approvals::seed(state).await?;
    adoption::seed(state).await?;
    state
        .reload_portals()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Some(Secret::new(password)))
}
/// The demo company was seeded, once per instance.
#[derive(serde::Serialize)]
struct Seeded {}

recorded! {
    Seeded => none, |_s| "demo.seed", |_s| None;
}
