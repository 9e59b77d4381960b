//! Links a space's managers pin on its home page: a title and an address
//! (a page of this site, or an http(s) address elsewhere).

use crate::access::{self, Actor, SpaceAction};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::spaces::events::{LinkAdded, LinkRemoved};
use rusqlite::{Connection, params};

/// At most this many links on one space.
pub const MAX_LINKS: i64 = 20;

/// A link's address: a path of this site (`/spaces/x/files`), or an absolute
/// http(s) address. Nothing that a browser would run (`javascript:`, `data:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUrl(String);

impl LinkUrl {
    pub fn parse(raw: &str) -> Result<LinkUrl> {
        let s = raw.trim();
        let bad = || Error::invalid("url", "link-url-invalid");
        if s.is_empty() || s.len() > 2000 || s.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(bad());
        }
        let lower = s.to_ascii_lowercase();
        let local = s.starts_with('/') && !s.starts_with("//") && !s.starts_with("/\\");
        let web = ["https://", "http://"].iter().any(|p| {
            lower.strip_prefix(p).is_some_and(|rest| {
                rest.split(['/', '?', '#'])
                    .next()
                    .is_some_and(|h| !h.is_empty())
            })
        });
        if local || web {
            Ok(LinkUrl(s.to_string()))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Link {
    pub id: i64,
    pub title: String,
    pub url: String,
}

impl Link {
    /// Opens elsewhere than this site.
    pub fn external(&self) -> bool {
        !self.url.starts_with('/')
    }
}

fn list_rows(c: &Connection, space_id: i64) -> rusqlite::Result<Vec<Link>> {
    let mut st = c.prepare_cached(
        "SELECT id, title, url FROM space_links WHERE space_id = ?1 ORDER BY id LIMIT 20",
    )?;
    st.query_map([space_id], |r| {
        Ok(Link {
            id: r.get(0)?,
            title: r.get(1)?,
            url: r.get(2)?,
        })
    })?
    .collect()
}

/// The space's links, for anyone who may read it.
pub async fn list(db: &Db, actor: &Actor, space_id: i64) -> Result<Vec<Link>> {
    let actor = *actor;
    db.read(move |c| {
        access::require_space(c, &actor, space_id, SpaceAction::Read)?;
        Ok(list_rows(c, space_id)?)
    })
    .await
}

/// Pins a link: the space's managers.
pub async fn add(db: &Db, actor: &Actor, space_id: i64, title: &str, url: LinkUrl) -> Result<i64> {
    let title = title.trim().to_string();
    if title.is_empty() || title.chars().count() > 120 || title.chars().any(char::is_control) {
        return Err(Error::invalid("title", "link-title-invalid"));
    }
    let actor = *actor;
    db.write(move |tx| {
        access::require_space(tx, &actor, space_id, SpaceAction::Manage)?;
        let count: i64 = tx.query_row(
            "SELECT COUNT(*) FROM space_links WHERE space_id = ?1",
            [space_id],
            |r| r.get(0),
        )?;
        if count >= MAX_LINKS {
            return Err(Error::invalid("url", "links-too-many"));
        }
        let by = actor.principal().map(|p| p.person_id);
        let id: i64 = tx.query_row(
            "INSERT INTO space_links (space_id, title, url, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            params![space_id, title, url.as_str(), by, crate::util::now_ms()],
            |r| r.get(0),
        )?;
        record(
            tx,
            &actor,
            &LinkAdded {
                id: space_id,
                link: id,
                title: &title,
                url: url.as_str(),
            },
        )?;
        Ok(id)
    })
    .await
}

/// Unpins a link: the space's managers. A link of another space is not found.
pub async fn remove(db: &Db, actor: &Actor, space_id: i64, link: i64) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        access::require_space(tx, &actor, space_id, SpaceAction::Manage)?;
        let removed = tx.execute(
            "DELETE FROM space_links WHERE id = ?1 AND space_id = ?2",
            [link, space_id],
        )?;
        if removed == 0 {
            return Err(Error::NotFound);
        }
        record(tx, &actor, &LinkRemoved { id: space_id, link })?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::LinkUrl;

    #[test]
    fn only_pages_of_this_site_and_web_addresses_are_links() {
        for good in [
            "/spaces/x/files",
            "https://example.com",
            "HTTPS://Example.com/a?b#c",
            "http://intranet.local/wiki",
        ] {
            assert!(LinkUrl::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "/\\evil.example",
            "https://",
            "https:///path",
            "ftp://x.example",
            "https://a b.example",
            "example.com",
        ] {
            assert!(LinkUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
