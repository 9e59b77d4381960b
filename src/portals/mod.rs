//! Portals: branded entry points. This instance serves one default portal now;
//! host-name resolution and audiences arrive with identity and access.

use crate::db::Db;
use crate::service::{Locale, Result};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Portal {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub primary_color: String,
    pub default_locale: Locale,
    pub welcome_text: String,
}

fn default_portal(c: &Connection) -> rusqlite::Result<Option<Portal>> {
    c.query_row(
        "SELECT id, slug, name, primary_color, default_locale, welcome_text FROM portals WHERE is_default = 1",
        [],
        |r| {
            Ok(Portal {
                id: r.get(0)?,
                slug: r.get(1)?,
                name: r.get(2)?,
                primary_color: r.get(3)?,
                default_locale: r.get(4)?,
                welcome_text: r.get(5)?,
            })
        },
    )
    .optional()
}

/// The portal that serves every request for now.
pub async fn get_default(db: &Db) -> Result<Option<Portal>> {
    db.read(|c| Ok(default_portal(c)?)).await
}

/// Creates the default portal when there is none.
pub fn ensure_default(
    tx: &rusqlite::Transaction<'_>,
    name: &str,
    locale: Locale,
) -> rusqlite::Result<bool> {
    if default_portal(tx)?.is_some() {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO portals (slug, name, default_locale, is_default, created_at, updated_at) VALUES ('main', ?1, ?2, 1, ?3, ?3)",
        params![name, locale, crate::util::now_ms()],
    )?;
    Ok(true)
}

/// Whether a colour is a `#rrggbb` value (it goes into the portal stylesheet).
pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}
