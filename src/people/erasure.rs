//! Erasure (GDPR article 17): an administrator erases a person. Their row
//! stays, so what they wrote keeps an author, but everything that says who
//! they were goes: name, e-mail, title, department, phone, skills, photo,
//! language, sponsor; their sessions, tokens, second factors and pending
//! links; their memberships. Shared documents they wrote stay readable,
//! signed by a neutral name. The audit log records that an erasure took
//! place — never what was erased.
//!
//! Events recorded before the erasure stay as they were: the log is a hash
//! chain, so rewriting them would break its proof. Its retention
//! (`retention.audit_log`) is what eventually removes them.

use super::events;
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;

type Kinds = &'static [&'static crate::content::ContentKind];
use rusqlite::{Transaction, params};

/// What an erasure kept and removed, for the person who asked.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Erased {
    pub person_id: i64,
    /// Documents they created or last changed, kept under the neutral name.
    pub documents_kept: i64,
    pub sessions_ended: i64,
}

/// The name an erased person's work is signed with, in the instance's language.
fn neutral_name(tx: &Transaction<'_>) -> Result<&'static str> {
    let locale: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
        "SELECT default_locale FROM portals WHERE is_default = 1",
        [],
        |r| r.get(0),
    ))?;
    Ok(match locale.as_deref() {
        Some("fr") => "Ancien membre",
        _ => "Former member",
    })
}

/// Erases a person (administrators, the CLI and retention only).
pub async fn erase(db: &Db, kinds: Kinds, actor: &Actor, person_id: i64) -> Result<Erased> {
    access::require_admin(actor)?;
    let actor = *actor;
    let erased = db
        .write(move |tx| erase_in(tx, kinds, &actor, person_id))
        .await?;
    crate::auth::session::sessions_changed();
    Ok(erased)
}

/// Erases a person inside the caller's transaction.
fn erase_in(tx: &Transaction<'_>, kinds: Kinds, actor: &Actor, person_id: i64) -> Result<Erased> {
    access::require_admin(actor)?;
    let person = super::store::by_id(tx, person_id, &crate::access::SqlFilter::everything())?
        .ok_or(Error::NotFound)?;
    if actor.principal().is_some_and(|p| p.person_id == person_id) {
        return Err(Error::Conflict("cannot-erase-self"));
    }
    let already: Option<i64> = tx.query_row(
        "SELECT erased_at FROM people WHERE id = ?1",
        [person_id],
        |r| r.get(0),
    )?;
    if already.is_some() {
        return Err(Error::Conflict("already-erased"));
    }
    if person.is_admin
        && person.status == super::PersonStatus::Active
        && super::store::count_admins(tx)? <= 1
    {
        return Err(Error::Conflict("last-admin"));
    }
    let now = now_ms();
    let name = neutral_name(tx)?;
    tx.execute(
        "UPDATE people SET
            email = ?2, display_name = ?3, title = '', department = '', phone = '', skills = '',
            locale = NULL, time_zone = NULL, is_admin = 0, status = 'disabled', password_hash = NULL,
            password_must_change = 0, sponsor_id = NULL, invited_at = NULL,
            expiry_reminded_at = NULL, mfa_failures = 0, mfa_locked_until = NULL,
            last_signin_at = NULL, erased_at = ?4, updated_at = ?4
         WHERE id = ?1",
        params![
            person_id,
            format!("erased-{person_id}@erased.invalid"),
            name,
            now
        ],
    )?;
    // Mail waiting to be sent to them carries their address and name.
    tx.execute(
        "DELETE FROM outbox WHERE kind = ?1 AND json_extract(payload, '$.to') = ?2 COLLATE NOCASE",
        rusqlite::params![crate::mail::KIND, person.email],
    )?;
    // Every kind's rows that name them: deleted, emptied or kept (shown
    // under the neutral name, so their index entries are written again).
    let applied = crate::content::erasure::apply(tx, kinds, person_id)?;
    use crate::search::sources::{Change, enqueue};
    for (kind, ids) in &applied.kept {
        for id in ids {
            enqueue(tx, Change::Item(kind.to_string(), *id))?;
        }
    }
    let erased = Erased {
        person_id,
        documents_kept: applied.kept_of("document") as i64,
        sessions_ended: applied.changed_in("sessions") as i64,
    };
    // Who was erased is not repeated here: only that someone (this id) was.
    record(
        tx,
        actor,
        &events::Erased {
            id: person_id,
            documents_kept: erased.documents_kept,
            sessions_ended: erased.sessions_ended,
        },
    )?;
    Ok(erased)
}

/// Erases the external people whose access ended more than `after` ago
/// (retention; off when zero). Returns how many.
pub async fn erase_expired(db: &Db, kinds: Kinds, after: std::time::Duration) -> Result<usize> {
    if after.is_zero() {
        return Ok(0);
    }
    let cutoff = now_ms() - after.as_millis() as i64;
    let ids: Vec<i64> = db
        .read(move |c| {
            c.prepare(
                "SELECT p.id FROM people p JOIN organizations o ON o.id = p.org_id
                 WHERE o.kind <> 'host' AND p.erased_at IS NULL
                   AND p.expires_at IS NOT NULL AND p.expires_at < ?1
                 ORDER BY p.id LIMIT 500",
            )?
            .query_map([cutoff], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(Error::from)
        })
        .await?;
    // One at a time: a person who cannot be erased does not hold back the others.
    let system = Actor::system();
    let mut erased = 0;
    for id in ids {
        match erase(db, kinds, &system, id).await {
            Ok(_) => erased += 1,
            Err(e) => tracing::warn!(person = id, error = %e, "retention could not erase a person"),
        }
    }
    Ok(erased)
}
