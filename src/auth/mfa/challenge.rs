//! The step between a correct password and the second factor: a random token
//! in a short-lived cookie, of which only the hash is stored. It says who
//! proved their password, on which portal, and where to go next.

use crate::util::{Secret, now_ms, random_token};
use rusqlite::{Connection, OptionalExtension, params};

/// `__Host-` pins the cookie to this origin; it lives five minutes.
pub const COOKIE: &str = "__Host-parvis_mfa";
pub const VALID_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Clone)]
pub struct Challenge {
    pub id: i64,
    pub person_id: i64,
    pub portal_id: Option<i64>,
    pub next: String,
    /// The server side of a passkey ceremony in progress.
    pub webauthn_state: Option<String>,
}

pub fn hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

pub fn create(
    tx: &Connection,
    person_id: i64,
    portal_id: i64,
    next: &str,
) -> rusqlite::Result<Secret<String>> {
    let now = now_ms();
    tx.execute(
        "DELETE FROM signin_challenges WHERE expires_at <= ?1",
        [now],
    )?;
    let token = random_token(32);
    tx.execute(
        "INSERT INTO signin_challenges (token_hash, person_id, portal_id, next, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![&hash(&token)[..], person_id, portal_id, next, now, now + VALID_MS],
    )?;
    Ok(Secret::new(token))
}

/// The live challenge behind a cookie's token.
pub fn load(c: &Connection, token: &str) -> rusqlite::Result<Option<Challenge>> {
    if token.len() != 43 {
        return Ok(None);
    }
    c.query_row(
        "SELECT id, person_id, portal_id, next, webauthn_state FROM signin_challenges
         WHERE token_hash = ?1 AND expires_at > ?2",
        params![&hash(token)[..], now_ms()],
        |r| {
            Ok(Challenge {
                id: r.get(0)?,
                person_id: r.get(1)?,
                portal_id: r.get(2)?,
                next: r.get(3)?,
                webauthn_state: r.get(4)?,
            })
        },
    )
    .optional()
}

pub fn set_webauthn_state(c: &Connection, id: i64, state: &str) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE signin_challenges SET webauthn_state = ?2 WHERE id = ?1",
        params![id, state],
    )
}

/// Ends a challenge; true for the one caller that ended it.
pub fn finish(c: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(c.execute("DELETE FROM signin_challenges WHERE id = ?1", [id])? == 1)
}
