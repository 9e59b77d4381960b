//! TOTP (RFC 6238): six digits, 30-second steps, one step of tolerance either
//! way. The newest accepted step is stored, so a code works once and an
//! older one never works after a newer one.

use super::recovery;
use crate::access::Actor;
use crate::auth::events;
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::{Secret, now_ms};
use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, params};
use totp_rs::{Builder, Totp};

fn build(secret: &[u8], issuer: &str, account: &str) -> Result<Totp> {
    // The otpauth URL uses ':' between issuer and account.
    let issuer: String = issuer.replace(':', " ");
    Builder::new()
        .with_secret(totp_rs::Secret::new(secret.to_vec().into_boxed_slice()))
        .with_issuer(Some(issuer))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| Error::Internal(format!("totp: {e}")))
}

/// What the enrollment page shows: the key typed by hand, the otpauth URL and its QR code.
pub struct Enrollment {
    pub secret_base32: Secret<String>,
    pub url: Secret<String>,
    /// An `<svg>` element (no XML declaration), safe to place in the page.
    pub qr_svg: String,
}

fn qr_svg(url: &str) -> Result<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| Error::Internal(e.to_string()))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

/// Starts (or restarts) enrollment: a new secret, not used for sign-in until
/// a code from it is confirmed.
pub async fn begin(db: &Db, actor: &Actor, issuer: &str) -> Result<Enrollment> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let mut secret = vec![0u8; 20];
    rand::rng().fill_bytes(&mut secret);
    let issuer = issuer.to_string();
    let actor = *actor;
    db.write(move |tx| {
        let confirmed: Option<Option<i64>> = tx
            .query_row(
                "SELECT confirmed_at FROM mfa_totp WHERE person_id = ?1",
                [p.person_id],
                |r| r.get(0),
            )
            .optional()?;
        if matches!(confirmed, Some(Some(_))) {
            return Err(Error::Conflict("totp-already-enabled"));
        }
        let email: String = tx.query_row(
            "SELECT email FROM people WHERE id = ?1",
            [p.person_id],
            |r| r.get(0),
        )?;
        let totp = build(&secret, &issuer, &email)?;
        tx.execute(
            "INSERT INTO mfa_totp (person_id, secret, confirmed_at, last_step, created_at)
             VALUES (?1, ?2, NULL, 0, ?3)
             ON CONFLICT (person_id) DO UPDATE SET secret = excluded.secret,
                 confirmed_at = NULL, last_step = 0, created_at = excluded.created_at",
            params![p.person_id, secret, now_ms()],
        )?;
        record(tx, &actor, &events::TotpBegun { id: p.person_id })?;
        let url = totp
            .to_url()
            .map_err(|e| Error::Internal(format!("totp: {e}")))?;
        Ok(Enrollment {
            secret_base32: Secret::new(totp.secret().to_base32()),
            qr_svg: qr_svg(&url)?,
            url: Secret::new(url),
        })
    })
    .await
}

/// Confirms enrollment with a code from the new secret. Returns fresh recovery
/// codes (shown once) when the person had none left.
pub async fn confirm(db: &Db, actor: &Actor, code: &str) -> Result<Vec<Secret<String>>> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let actor = *actor;
    let result = db
        .write(move |tx| {
            let now = now_ms();
            super::check_unlocked(tx, p.person_id, now)?;
            let pending: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT secret FROM mfa_totp WHERE person_id = ?1 AND confirmed_at IS NULL",
                    [p.person_id],
                    |r| r.get(0),
                )
                .optional()?;
            let secret = pending.ok_or(Error::Conflict("totp-not-started"))?;
            let totp = build(&secret, "Parvis", "x")?;
            let Some(step) = totp.check(&code, (now / 1000) as u64) else {
                super::record_failure(tx, p.person_id, now)?;
                return Ok(Err(Error::invalid("code", "mfa-code-wrong")));
            };
            tx.execute(
                "UPDATE mfa_totp SET confirmed_at = ?2, last_step = ?3 WHERE person_id = ?1",
                params![p.person_id, now, step as i64],
            )?;
            super::record_success(tx, p.person_id)?;
            let codes = if recovery::remaining(tx, p.person_id)? == 0 {
                recovery::replace(tx, p.person_id, now)?
            } else {
                Vec::new()
            };
            record(
                tx,
                &actor,
                &events::TotpEnabled {
                    id: p.person_id,
                    recovery_codes_issued: codes.len(),
                },
            )?;
            Ok::<_, Error>(Ok(codes))
        })
        .await?;
    // A wrong code is committed (it counts towards the lockout), then reported.
    let codes = result?;
    crate::auth::session::sessions_changed();
    Ok(codes)
}

/// Removes a person's TOTP secret: the person themself, or an administrator
/// helping someone who lost their device.
pub async fn remove(db: &Db, actor: &Actor, person_id: i64) -> Result<bool> {
    crate::access::require_self_or_admin(actor, person_id)?;
    let actor = *actor;
    let removed = db
        .write(move |tx| {
            let n = tx.execute("DELETE FROM mfa_totp WHERE person_id = ?1", [person_id])?;
            if n > 0 {
                record(tx, &actor, &events::TotpRemoved { id: person_id })?;
            }
            Ok::<_, Error>(n > 0)
        })
        .await?;
    crate::auth::session::sessions_changed();
    Ok(removed)
}

/// Accepts a code from the person's confirmed secret once: the step it
/// belongs to must be newer than any step accepted before.
pub(crate) fn check_and_consume(
    tx: &Connection,
    person_id: i64,
    code: &str,
    now: i64,
) -> Result<bool> {
    let row: Option<(Vec<u8>, i64)> = tx
        .query_row(
            "SELECT secret, last_step FROM mfa_totp WHERE person_id = ?1 AND confirmed_at IS NOT NULL",
            [person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((secret, last_step)) = row else {
        return Ok(false);
    };
    let totp = build(&secret, "Parvis", "x")?;
    let Some(step) = totp.check(code, (now / 1000) as u64) else {
        return Ok(false);
    };
    let step = step as i64;
    if step <= last_step {
        return Ok(false);
    }
    let n = tx.execute(
        "UPDATE mfa_totp SET last_step = ?2 WHERE person_id = ?1 AND last_step < ?2",
        params![person_id, step],
    )?;
    Ok(n == 1)
}

/// The current code of a base32 secret (for tests and the CLI's self-check).
pub fn code_at(secret_base32: &str, unix_seconds: u64) -> Option<String> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).ok()?;
    let totp = build(secret.as_bytes(), "Parvis", "x").ok()?;
    Some(totp.generate(unix_seconds).to_string())
}
