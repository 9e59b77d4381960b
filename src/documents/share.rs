//! Public share links to a document: created by someone who may change the
//! document, on a portal that allows them; expiring, optionally protected by
//! a password and limited in downloads, revocable, every use audited. The
//! link's token is shown once and stored as a hash.

use super::events;
use super::model::{Document, Version};
use super::store;
use crate::access::{self, Actor, SpaceAction};
use crate::auth::password::PasswordHasher;
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, NewPassword, Result};
use crate::util::{Secret, now_ms, random_token};
use rusqlite::{OptionalExtension, params};

const DAY_MS: i64 = 86_400_000;

fn hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

pub struct NewLink {
    pub days: u32,
    pub password: Option<NewPassword>,
    pub max_downloads: Option<u32>,
}

/// A link as its space's page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinkInfo {
    pub id: i64,
    pub document_id: i64,
    pub document_name: String,
    pub created_by_name: Option<String>,
    pub expires_at: i64,
    pub protected: bool,
    pub max_downloads: Option<i64>,
    pub downloads: i64,
    pub revoked: bool,
}

pub async fn create(
    db: &Db,
    hasher: &PasswordHasher,
    actor: &Actor,
    portal: &impl crate::access::Audience,
    document: i64,
    new: NewLink,
) -> Result<Secret<String>> {
    crate::access::require_share_links(portal)?;
    if !(1..=365).contains(&new.days) {
        return Err(Error::invalid("days", "share-days-invalid"));
    }
    if new.max_downloads == Some(0) {
        return Err(Error::invalid("max_downloads", "share-downloads-invalid"));
    }
    let password_hash = match &new.password {
        Some(p) => Some(
            hasher
                .hash(p.secret())
                .await
                .map_err(|e| Error::Internal(e.to_string()))?,
        ),
        None => None,
    };
    let token = random_token(32);
    let h = hash(&token);
    let actor = *actor;
    db.write(move |tx| {
        let d = store::document(tx, document)?.ok_or(Error::NotFound)?;
        access::require_folder(tx, &actor, d.space_id, d.folder_id, SpaceAction::Contribute)?;
        let now = now_ms();
        let expires = now + i64::from(new.days) * DAY_MS;
        tx.execute(
            "INSERT INTO share_links (document_id, token_hash, password_hash, expires_at, max_downloads,
                                      created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                document,
                &h[..],
                password_hash,
                expires,
                new.max_downloads,
                actor.principal().map(|p| p.person_id),
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        record(
            tx,
            &actor,
            &events::ShareCreated {
                id: document,
                link: id,
                expires_at: expires,
                protected: password_hash.is_some(),
                max_downloads: new.max_downloads,
            },
        )?;
        Ok(Secret::new(token))
    })
    .await
}

/// The links of a space's documents (its contributors see them, so they can revoke).
pub async fn list(db: &Db, actor: &Actor, space: i64) -> Result<Vec<LinkInfo>> {
    let actor = *actor;
    db.read(move |c| {
        access::require_space(c, &actor, space, SpaceAction::Contribute)?;
        let mut st = c.prepare(
            "SELECT l.id, d.id, d.name, (SELECT p.display_name FROM people p WHERE p.id = l.created_by),
                    l.expires_at, l.password_hash IS NOT NULL, l.max_downloads, l.downloads,
                    l.revoked_at IS NOT NULL, d.folder_id
             FROM share_links l JOIN documents d ON d.id = l.document_id
             WHERE d.space_id = ?1 AND d.deleted_at IS NULL ORDER BY l.created_at DESC LIMIT 500",
        )?;
        let rows = st
            .query_map([space], |r| {
                Ok((
                    LinkInfo {
                        id: r.get(0)?,
                        document_id: r.get(1)?,
                        document_name: r.get(2)?,
                        created_by_name: r.get(3)?,
                        expires_at: r.get(4)?,
                        protected: r.get(5)?,
                        max_downloads: r.get(6)?,
                        downloads: r.get(7)?,
                        revoked: r.get(8)?,
                    },
                    r.get::<_, Option<i64>>(9)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Links to files in folders the viewer may not see stay hidden too.
        Ok(rows
            .into_iter()
            .filter(|(_, folder)| {
                access::require_folder(c, &actor, space, *folder, SpaceAction::Read).is_ok()
            })
            .map(|(l, _)| l)
            .collect())
    })
    .await
}

pub async fn revoke(db: &Db, actor: &Actor, link: i64) -> Result<i64> {
    let actor = *actor;
    db.write(move |tx| {
        let doc: Option<i64> = tx
            .query_row(
                "SELECT document_id FROM share_links WHERE id = ?1",
                [link],
                |r| r.get(0),
            )
            .optional()?;
        let doc = doc.ok_or(Error::NotFound)?;
        let d = store::document(tx, doc)?.ok_or(Error::NotFound)?;
        access::require_folder(tx, &actor, d.space_id, d.folder_id, SpaceAction::Contribute)?;
        tx.execute(
            "UPDATE share_links SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![link, now_ms()],
        )?;
        record(tx, &actor, &events::ShareRevoked { id: doc, link })?;
        Ok(d.space_id)
    })
    .await
}

/// What a link's public page may show before any download.
pub struct Shared {
    pub link: i64,
    pub document: Document,
    pub protected: bool,
}

struct LinkRow {
    id: i64,
    document: i64,
    password_hash: Option<String>,
}

fn live(c: &rusqlite::Connection, token: &str) -> Result<Option<LinkRow>> {
    if token.len() != 43 {
        return Ok(None);
    }
    Ok(c.query_row(
        "SELECT id, document_id, password_hash FROM share_links
         WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2
           AND (max_downloads IS NULL OR downloads < max_downloads)",
        params![&hash(token)[..], now_ms()],
        |r| {
            Ok(LinkRow {
                id: r.get(0)?,
                document: r.get(1)?,
                password_hash: r.get(2)?,
            })
        },
    )
    .optional()?)
}

/// The link behind a token, if it still works and its document still exists.
pub async fn open(db: &Db, token: &str) -> Result<Option<Shared>> {
    let token = token.to_string();
    db.read(move |c| {
        let Some(link) = live(c, &token)? else {
            return Ok(None);
        };
        Ok(store::document(c, link.document)?.map(|document| Shared {
            link: link.id,
            document,
            protected: link.password_hash.is_some(),
        }))
    })
    .await
}

/// Uses a link for one download: the password (if any) must match, and the
/// download counts against the limit atomically. Audited with the address.
pub async fn use_link(
    db: &Db,
    hasher: &PasswordHasher,
    token: &str,
    password: Option<&Secret<String>>,
    ip: Option<std::net::IpAddr>,
) -> Result<(Document, Version)> {
    let t = token.to_string();
    let link = db
        .read(move |c| live(c, &t))
        .await?
        .ok_or(Error::invalid("link", "share-link-invalid"))?;
    if let Some(stored) = &link.password_hash {
        let given = password
            .cloned()
            .unwrap_or_else(|| Secret::new(String::new()));
        if !hasher.verify(&given, Some(stored.clone())).await {
            return Err(Error::invalid("password", "share-password-wrong"));
        }
    }
    let actor = Actor::anonymous(ip);
    db.write(move |tx| {
        let n = tx.execute(
            "UPDATE share_links SET downloads = downloads + 1
             WHERE id = ?1 AND revoked_at IS NULL AND expires_at > ?2
               AND (max_downloads IS NULL OR downloads < max_downloads)",
            params![link.id, now_ms()],
        )?;
        if n == 0 {
            return Err(Error::invalid("link", "share-link-invalid"));
        }
        let d = store::document(tx, link.document)?
            .ok_or(Error::invalid("link", "share-link-invalid"))?;
        let v = store::versions(tx, d.id)?
            .into_iter()
            .find(|v| v.number == d.current_version)
            .ok_or(Error::NotFound)?;
        record(
            tx,
            &actor,
            &events::ShareDownloaded {
                id: d.id,
                link: link.id,
                version: v.number,
            },
        )?;
        Ok((d, v))
    })
    .await
}
