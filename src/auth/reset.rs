//! Password reset by e-mail: a single-use link valid 30 minutes, stored
//! hashed. Asking gives the same answer whether the account exists or not;
//! using the link sets a new password and ends every session of the person.

use super::password::PasswordHasher;
use crate::access::Actor;
use crate::auth::events;
use crate::content::events::record;
use crate::db::Db;
use crate::i18n::{I18n, Tr};
use crate::mail::{self, Mail};
use crate::service::{Email, Error, Locale, NewPassword, Result};
use crate::util::{now_ms, random_token};
use rusqlite::{OptionalExtension, params};
use std::sync::Arc;

/// How long a reset link works.
pub const VALID_MS: i64 = 30 * 60 * 1000;

fn hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

/// What `request` needs besides the database.
pub struct Mailer<'a> {
    pub i18n: &'a Arc<I18n>,
    /// Base of the link, from configuration (never from the request).
    pub public_url: &'a str,
}

/// Sends a reset link if `email` names an account that may sign in. Returns
/// nothing either way, so the answer cannot reveal whether the account exists.
pub async fn request(
    db: &Db,
    mailer: &Mailer<'_>,
    actor: &Actor,
    raw_email: &str,
    page_locale: Locale,
) -> Result<()> {
    let Ok(email) = Email::parse(raw_email) else {
        return Ok(());
    };
    let token = random_token(32);
    let h = hash(&token);
    let i18n = mailer.i18n.clone();
    let link = format!("{}/reset/{token}", mailer.public_url);
    let actor = *actor;
    db.write(move |tx| {
        let Some(person) = crate::people::store::by_email(tx, email.as_str())? else {
            return Ok(());
        };
        let now = now_ms();
        if person.status != crate::people::PersonStatus::Active || person.expires_at.is_some_and(|t| t <= now) {
            return Ok(());
        }
        // One live link at a time: asking again replaces the previous one.
        tx.execute(
            "UPDATE one_time_tokens SET used_at = ?2 WHERE person_id = ?1 AND purpose = 'reset' AND used_at IS NULL",
            params![person.id, now],
        )?;
        tx.execute(
            "INSERT INTO one_time_tokens (purpose, token_hash, person_id, created_at, expires_at)
             VALUES ('reset', ?1, ?2, ?3, ?4)",
            params![&h[..], person.id, now, now + VALID_MS],
        )?;
        let tr = Tr::new(i18n, person.locale.unwrap_or(page_locale));
        let first = person.display_name.split_whitespace().next().unwrap_or("").to_string();
        mail::enqueue(
            tx,
            &Mail {
                to: person.email.clone(),
                to_name: person.display_name.clone(),
                subject: tr.t("mail-reset-subject").to_string(),
                text: tr.t2("mail-reset-body", ("name", first), ("link", link)),
                unsubscribe: None,
                reply_to: None,
            },
        )?;
        record(tx, &actor, &events::ResetRequested { id: person.id })?;
        Ok::<_, Error>(())
    })
    .await
}

/// Whether a reset link is still usable (for showing the form), without using it.
pub async fn is_valid(db: &Db, token: &str) -> Result<bool> {
    if token.len() != 43 {
        return Ok(false);
    }
    let h = hash(token);
    db.read(move |c| {
        let found: Option<i64> = c
            .query_row(
                "SELECT id FROM one_time_tokens WHERE token_hash = ?1 AND purpose = 'reset'
                   AND used_at IS NULL AND expires_at > ?2",
                params![&h[..], now_ms()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    })
    .await
}

/// Uses a reset link: exactly once, even under concurrent attempts. Sets the
/// password, ends every session of the person, records it.
pub async fn complete(
    db: &Db,
    hasher: &PasswordHasher,
    actor: &Actor,
    token: &str,
    password: NewPassword,
) -> Result<()> {
    if token.len() != 43 {
        return Err(Error::invalid("token", "reset-link-invalid"));
    }
    // Hash first (slow), then claim the token and write in one short transaction.
    let new_hash = hasher
        .hash(password.secret())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let h = hash(token);
    let actor = *actor;
    db.write(move |tx| {
        let now = now_ms();
        let person: Option<i64> = tx
            .query_row(
                "UPDATE one_time_tokens SET used_at = ?2
                 WHERE token_hash = ?1 AND purpose = 'reset' AND used_at IS NULL AND expires_at > ?2
                 RETURNING person_id",
                params![&h[..], now],
                |r| r.get(0),
            )
            .optional()?;
        let person = person.ok_or(Error::invalid("token", "reset-link-invalid"))?;
        crate::people::store::set_password(tx, person, &new_hash, false, now)?;
        let ended = super::session::store::delete_for_person(tx, person, None)?;
        record(
            tx,
            &actor,
            &events::ResetCompleted {
                id: person,
                sessions_ended: ended,
            },
        )?;
        Ok(())
    })
    .await
    .inspect(|_| super::session::sessions_changed())
}
