//! SQL for portals. Only the portal service and the registry call this.

use super::model::{Audience, Portal, PortalImage};
use crate::organizations::OrgKind;
use crate::service::Locale;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// Every portal with its host names, audience and logo fingerprint, default first.
pub fn load_all(c: &Connection) -> rusqlite::Result<Vec<Portal>> {
    let mut st = c.prepare_cached(
        "SELECT p.id, p.slug, p.name, p.primary_color, p.default_locale, p.welcome_text,
                p.is_default, p.external_access_days, p.require_mfa, l.etag, p.share_links_allowed,
                p.header_color, p.welcome_text_fr, p.legal_url, p.support_contact,
                f.etag, f.content_type
         FROM portals p LEFT JOIN portal_logos l ON l.portal_id = p.id
              LEFT JOIN portal_favicons f ON f.portal_id = p.id
         ORDER BY p.is_default DESC, p.name COLLATE NOCASE",
    )?;
    let mut portals: Vec<Portal> = st
        .query_map([], |r| {
            Ok(Portal {
                id: r.get(0)?,
                slug: r.get(1)?,
                name: r.get(2)?,
                primary_color: r.get(3)?,
                default_locale: r.get(4)?,
                welcome_text: r.get(5)?,
                is_default: r.get(6)?,
                external_access_days: r.get(7)?,
                require_mfa: r.get(8)?,
                share_links: r.get(10)?,
                logo_etag: r.get(9)?,
                header_color: r.get(11)?,
                welcome_text_fr: r.get(12)?,
                legal_url: r.get(13)?,
                support_contact: r.get(14)?,
                favicon_etag: r.get(15)?,
                favicon_type: r.get(16)?,
                hostnames: Vec::new(),
                audience: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: HashMap<i64, usize> = portals.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut st =
        c.prepare_cached("SELECT portal_id, hostname FROM portal_hostnames ORDER BY hostname")?;
    for row in st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, host) = row?;
        if let Some(&i) = index.get(&id) {
            portals[i].hostnames.push(host);
        }
    }
    let mut st = c.prepare_cached(
        "SELECT portal_id, org_kind, org_id FROM portal_audience ORDER BY org_kind IS NULL, org_kind, org_id",
    )?;
    for row in st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<OrgKind>>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    })? {
        let (id, kind, org) = row?;
        let rule = match (kind, org) {
            (Some(kind), _) => Audience::Kind { kind },
            (None, Some(id)) => Audience::Organization { id },
            (None, None) => continue,
        };
        if let Some(&i) = index.get(&id) {
            portals[i].audience.push(rule);
        }
    }
    Ok(portals)
}

pub fn id_by_slug(c: &Connection, slug: &str) -> rusqlite::Result<Option<i64>> {
    c.query_row("SELECT id FROM portals WHERE slug = ?1", [slug], |r| {
        r.get(0)
    })
    .optional()
}

pub fn default_id(c: &Connection) -> rusqlite::Result<Option<i64>> {
    c.query_row("SELECT id FROM portals WHERE is_default = 1", [], |r| {
        r.get(0)
    })
    .optional()
}

/// The columns an administrator sets.
pub struct Fields<'a> {
    pub name: &'a str,
    pub primary_color: &'a str,
    pub default_locale: Locale,
    pub welcome_text: &'a str,
    pub branding: Branding<'a>,
    pub external_access_days: u32,
    pub require_mfa: bool,
    pub share_links: bool,
}

/// The branding columns beyond name, accent and the English welcome text.
#[derive(Clone, Copy)]
pub struct Branding<'a> {
    pub header_color: &'a str,
    pub welcome_text_fr: &'a str,
    pub legal_url: &'a str,
    pub support_contact: &'a str,
}

impl Default for Branding<'_> {
    fn default() -> Self {
        Branding {
            header_color: "#ffffff",
            welcome_text_fr: "",
            legal_url: "",
            support_contact: "",
        }
    }
}

fn set_branding(c: &Connection, id: i64, b: &Branding<'_>) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE portals SET header_color = ?2, welcome_text_fr = ?3, legal_url = ?4,
                support_contact = ?5 WHERE id = ?1",
        params![
            id,
            b.header_color,
            b.welcome_text_fr,
            b.legal_url,
            b.support_contact
        ],
    )
}

pub fn insert(
    c: &Connection,
    slug: &str,
    f: &Fields<'_>,
    is_default: bool,
    now: i64,
) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO portals (slug, name, primary_color, default_locale, welcome_text, is_default,
                              external_access_days, require_mfa, share_links_allowed, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?9, ?9)",
        params![
            slug,
            f.name,
            f.primary_color,
            f.default_locale,
            f.welcome_text,
            is_default,
            f.external_access_days,
            f.require_mfa,
            now,
            f.share_links
        ],
    )?;
    let id = c.last_insert_rowid();
    set_branding(c, id, &f.branding)?;
    Ok(id)
}

pub fn update(c: &Connection, id: i64, f: &Fields<'_>, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE portals SET name = ?2, primary_color = ?3, default_locale = ?4, welcome_text = ?5,
                external_access_days = ?6, require_mfa = ?7, updated_at = ?8, share_links_allowed = ?9
         WHERE id = ?1",
        params![
            id,
            f.name,
            f.primary_color,
            f.default_locale,
            f.welcome_text,
            f.external_access_days,
            f.require_mfa,
            now,
            f.share_links
        ],
    )?;
    set_branding(c, id, &f.branding)
}

pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM portals WHERE id = ?1 AND is_default = 0", [id])
}

/// Replaces the portal's host names. A name another portal holds is a UNIQUE violation.
pub fn set_hostnames(c: &Connection, id: i64, hosts: &[&str]) -> rusqlite::Result<()> {
    c.execute("DELETE FROM portal_hostnames WHERE portal_id = ?1", [id])?;
    let mut st =
        c.prepare_cached("INSERT INTO portal_hostnames (hostname, portal_id) VALUES (?1, ?2)")?;
    for h in hosts {
        st.execute(params![h, id])?;
    }
    Ok(())
}

pub fn set_audience(c: &Connection, id: i64, rules: &[Audience]) -> rusqlite::Result<()> {
    c.execute("DELETE FROM portal_audience WHERE portal_id = ?1", [id])?;
    let mut st = c.prepare_cached(
        "INSERT OR IGNORE INTO portal_audience (portal_id, org_kind, org_id) VALUES (?1, ?2, ?3)",
    )?;
    for rule in rules {
        match rule {
            Audience::Kind { kind } => st.execute(params![id, kind.as_str(), None::<i64>])?,
            Audience::Organization { id: org } => st.execute(params![id, None::<String>, org])?,
        };
    }
    Ok(())
}

/// Stores a portal's logo or favicon, replacing the one it had.
pub fn set_image(
    c: &Connection,
    which: PortalImage,
    id: i64,
    content_type: &str,
    data: &[u8],
    etag: &str,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        &format!(
            "INSERT INTO {} (portal_id, content_type, data, etag, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (portal_id) DO UPDATE SET content_type = excluded.content_type,
                 data = excluded.data, etag = excluded.etag, updated_at = excluded.updated_at",
            which.table()
        ),
        params![id, content_type, data, etag, now],
    )?;
    Ok(())
}

pub fn remove_image(c: &Connection, which: PortalImage, id: i64) -> rusqlite::Result<usize> {
    c.execute(
        &format!("DELETE FROM {} WHERE portal_id = ?1", which.table()),
        [id],
    )
}

/// A portal's logo or favicon: its type, bytes and fingerprint.
pub fn image(
    c: &Connection,
    which: PortalImage,
    id: i64,
) -> rusqlite::Result<Option<(String, Vec<u8>, String)>> {
    c.query_row(
        &format!(
            "SELECT content_type, data, etag FROM {} WHERE portal_id = ?1",
            which.table()
        ),
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

pub fn publish(c: &Connection, space_id: i64, portal_id: i64) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT OR IGNORE INTO space_portals (space_id, portal_id) VALUES (?1, ?2)",
        params![space_id, portal_id],
    )
}

pub fn unpublish(c: &Connection, space_id: i64, portal_id: i64) -> rusqlite::Result<usize> {
    c.execute(
        "DELETE FROM space_portals WHERE space_id = ?1 AND portal_id = ?2",
        params![space_id, portal_id],
    )
}

/// Slugs and names of the portals a space is published on.
pub fn portals_of_space(c: &Connection, space_id: i64) -> rusqlite::Result<Vec<(String, String)>> {
    let mut st = c.prepare_cached(
        "SELECT p.slug, p.name FROM space_portals sp JOIN portals p ON p.id = sp.portal_id
         WHERE sp.space_id = ?1 ORDER BY p.is_default DESC, p.name",
    )?;
    st.query_map([space_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Creates the default portal (open to everyone) when there is none.
pub fn ensure_default(c: &Connection, name: &str, locale: Locale) -> rusqlite::Result<bool> {
    if default_id(c)?.is_some() {
        return Ok(false);
    }
    let fields = Fields {
        name,
        primary_color: "#1f5fbf",
        default_locale: locale,
        welcome_text: "",
        branding: Branding::default(),
        external_access_days: 365,
        require_mfa: false,
        share_links: false,
    };
    let id = insert(c, "main", &fields, true, crate::util::now_ms())?;
    let everyone: Vec<Audience> = OrgKind::ALL
        .iter()
        .map(|&kind| Audience::Kind { kind })
        .collect();
    set_audience(c, id, &everyone)?;
    Ok(true)
}
