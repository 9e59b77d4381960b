//! Second factors: TOTP codes (RFC 6238), single-use recovery codes and
//! WebAuthn passkeys; the policy saying who must use one; the short-lived
//! challenge between a correct password and the second factor; and the
//! lockout after repeated wrong codes.

pub mod challenge;
pub mod passkeys;
pub mod policy;
pub mod recovery;
pub mod totp;
pub mod web;

pub use policy::Policy;

use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::{Connection, OptionalExtension, params};

/// Wrong codes in a row before the second factor is locked.
pub const MAX_FAILURES: i64 = 5;
/// How long a locked second factor refuses every code.
pub const LOCK_MS: i64 = 60_000;

/// What second factors a person has.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Factors {
    pub totp: bool,
    pub recovery_codes_left: i64,
    pub passkeys: i64,
}

impl Factors {
    pub fn any(&self) -> bool {
        self.totp || self.passkeys > 0
    }
}

pub fn factors(c: &Connection, person_id: i64) -> rusqlite::Result<Factors> {
    c.query_row(
        "SELECT EXISTS (SELECT 1 FROM mfa_totp WHERE person_id = ?1 AND confirmed_at IS NOT NULL),
                (SELECT COUNT(*) FROM mfa_recovery_codes WHERE person_id = ?1 AND used_at IS NULL),
                (SELECT COUNT(*) FROM webauthn_credentials WHERE person_id = ?1)",
        [person_id],
        |r| {
            Ok(Factors {
                totp: r.get(0)?,
                recovery_codes_left: r.get(1)?,
                passkeys: r.get(2)?,
            })
        },
    )
}

pub async fn factors_of(db: &crate::db::Db, person_id: i64) -> Result<Factors> {
    db.read(move |c| Ok(factors(c, person_id)?)).await
}

/// Refuses every code while the second factor is locked; after a lock has
/// passed, the count starts again.
pub(crate) fn check_unlocked(tx: &Connection, person_id: i64, now: i64) -> Result<()> {
    let row: Option<(i64, Option<i64>)> = tx
        .query_row(
            "SELECT mfa_failures, mfa_locked_until FROM people WHERE id = ?1",
            [person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (failures, locked_until) = row.ok_or(Error::NotFound)?;
    if let Some(until) = locked_until {
        if until > now {
            return Err(Error::TooMany {
                retry_after: std::time::Duration::from_millis((until - now) as u64),
            });
        }
        if failures >= MAX_FAILURES {
            tx.execute(
                "UPDATE people SET mfa_failures = 0, mfa_locked_until = NULL WHERE id = ?1",
                [person_id],
            )?;
        }
    }
    Ok(())
}

/// Counts a wrong code; the fifth in a row locks the second factor for a minute.
pub(crate) fn record_failure(tx: &Connection, person_id: i64, now: i64) -> rusqlite::Result<bool> {
    tx.query_row(
        "UPDATE people SET mfa_failures = mfa_failures + 1,
                mfa_locked_until = CASE WHEN mfa_failures + 1 >= ?2 THEN ?3 ELSE mfa_locked_until END
         WHERE id = ?1 RETURNING mfa_failures >= ?2",
        params![person_id, MAX_FAILURES, now + LOCK_MS],
        |r| r.get(0),
    )
}

pub(crate) fn record_success(tx: &Connection, person_id: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE people SET mfa_failures = 0, mfa_locked_until = NULL WHERE id = ?1 AND mfa_failures > 0",
        [person_id],
    )?;
    Ok(())
}

/// What a person typed on the second-factor page.
pub enum Proof {
    /// Six digits from an authenticator app, or a recovery code.
    Code(String),
    /// A WebAuthn assertion (the browser's JSON).
    Passkey(String),
}

/// Checks a code against the person's TOTP secret and unused recovery codes,
/// consuming what it uses, inside the caller's transaction. A wrong code is
/// counted towards the lockout and answered `None`: the caller must still
/// commit, so that the count is kept. Returns which factor matched.
pub(crate) fn verify_code(
    tx: &Connection,
    person_id: i64,
    code: &str,
) -> Result<Option<&'static str>> {
    let now = now_ms();
    check_unlocked(tx, person_id, now)?;
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let matched = if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        totp::check_and_consume(tx, person_id, &digits, now)?.then_some("totp")
    } else {
        recovery::consume(tx, person_id, code, now)?.then_some("recovery-code")
    };
    match matched {
        Some(_) => record_success(tx, person_id)?,
        None => {
            record_failure(tx, person_id, now)?;
        }
    }
    Ok(matched)
}

/// A sign-in waiting for its second factor, as its page needs it.
pub struct Pending {
    /// Passkeys the person registered on this host name.
    pub passkeys: i64,
}

/// The challenge behind a cookie's token, if it is live and was made on this portal.
pub async fn pending(
    db: &crate::db::Db,
    token: &str,
    portal_id: i64,
    rp_id: Option<String>,
) -> Result<Option<Pending>> {
    let token = token.to_string();
    db.read(move |c| {
        let Some(ch) = challenge::load(c, &token)? else {
            return Ok(None);
        };
        if ch.portal_id != Some(portal_id) {
            return Ok(None);
        }
        let passkeys = match rp_id {
            Some(rp) => c.query_row(
                "SELECT COUNT(*) FROM webauthn_credentials WHERE person_id = ?1 AND rp_id = ?2",
                params![ch.person_id, rp],
                |r| r.get(0),
            )?,
            None => 0,
        };
        Ok(Some(Pending { passkeys }))
    })
    .await
}

/// Starts a passkey ceremony for the challenge: the options for the browser,
/// or `None` when there is no live challenge or no passkey for this host.
pub async fn start_passkey_signin(
    db: &crate::db::Db,
    token: &str,
    portal_id: i64,
    rp: passkeys::RelyingParty,
) -> Result<Option<serde_json::Value>> {
    let token = token.to_string();
    db.write(move |tx| {
        let Some(ch) = challenge::load(tx, &token)? else {
            return Ok(None);
        };
        if ch.portal_id != Some(portal_id) {
            return Ok(None);
        }
        passkeys::start_authentication(tx, &ch, &rp)
    })
    .await
}

/// Removes every second factor of a person (they lost their device): an
/// administrator's act, audited; the person's sessions end.
pub async fn reset(db: &crate::db::Db, actor: &crate::access::Actor, person_id: i64) -> Result<()> {
    crate::access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let totp = tx.execute("DELETE FROM mfa_totp WHERE person_id = ?1", [person_id])?;
        let keys = tx.execute(
            "DELETE FROM webauthn_credentials WHERE person_id = ?1",
            [person_id],
        )?;
        let codes = tx.execute(
            "DELETE FROM mfa_recovery_codes WHERE person_id = ?1",
            [person_id],
        )?;
        tx.execute(
            "UPDATE people SET mfa_failures = 0, mfa_locked_until = NULL WHERE id = ?1",
            [person_id],
        )?;
        let ended = crate::auth::session::store::delete_for_person(tx, person_id, None)?;
        crate::content::events::record(
            tx,
            &actor,
            &crate::auth::events::FactorsReset {
                id: person_id,
                totp,
                passkeys: keys,
                recovery_codes: codes,
                sessions_ended: ended,
            },
        )?;
        Ok::<_, Error>(())
    })
    .await?;
    crate::auth::session::sessions_changed();
    Ok(())
}
