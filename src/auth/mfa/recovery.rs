//! Recovery codes: ten single-use codes of 16 characters (about 78 bits
//! each), shown once and stored as BLAKE3 hashes. Using one consumes it in
//! the same statement that checks it.

use crate::access::Actor;
use crate::auth::events;
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::{Secret, now_ms};
use rand::RngCore;
use rusqlite::{Connection, params};

pub const COUNT: usize = 10;
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn new_code() -> String {
    let mut rng = rand::rng();
    let mut out = String::with_capacity(19);
    for group in 0..4 {
        if group > 0 {
            out.push('-');
        }
        for _ in 0..4 {
            let idx = (rng.next_u32() as usize) % ALPHABET.len();
            out.push(ALPHABET[idx] as char);
        }
    }
    out
}

/// Case, spaces and dashes do not matter when a code is typed back.
fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .take(64)
        .collect()
}

fn hash(person_id: i64, code: &str) -> [u8; 32] {
    let mut h = blake3::Hasher::new_derive_key("parvis recovery code v1");
    h.update(&person_id.to_le_bytes());
    h.update(normalize(code).as_bytes());
    *h.finalize().as_bytes()
}

/// Replaces the person's codes with ten new ones, returned once.
pub(crate) fn replace(
    tx: &Connection,
    person_id: i64,
    now: i64,
) -> rusqlite::Result<Vec<Secret<String>>> {
    tx.execute(
        "DELETE FROM mfa_recovery_codes WHERE person_id = ?1",
        [person_id],
    )?;
    let mut st = tx.prepare_cached(
        "INSERT INTO mfa_recovery_codes (person_id, code_hash, created_at) VALUES (?1, ?2, ?3)",
    )?;
    let mut codes = Vec::with_capacity(COUNT);
    for _ in 0..COUNT {
        let code = new_code();
        st.execute(params![person_id, &hash(person_id, &code)[..], now])?;
        codes.push(Secret::new(code));
    }
    Ok(codes)
}

pub(crate) fn remaining(c: &Connection, person_id: i64) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT COUNT(*) FROM mfa_recovery_codes WHERE person_id = ?1 AND used_at IS NULL",
        [person_id],
        |r| r.get(0),
    )
}

/// Uses a code: true exactly once per code, however many try at the same time.
pub(crate) fn consume(
    tx: &Connection,
    person_id: i64,
    code: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    if normalize(code).len() != 16 {
        return Ok(false);
    }
    let n = tx.execute(
        "UPDATE mfa_recovery_codes SET used_at = ?3
         WHERE person_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
        params![person_id, &hash(person_id, code)[..], now],
    )?;
    Ok(n == 1)
}

/// New codes for a person who has a second factor (the old ones stop working).
pub async fn regenerate(db: &Db, actor: &Actor) -> Result<Vec<Secret<String>>> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let actor = *actor;
    db.write(move |tx| {
        if !super::factors(tx, p.person_id)?.any() {
            return Err(Error::Conflict("mfa-not-enabled"));
        }
        let codes = replace(tx, p.person_id, now_ms())?;
        record(
            tx,
            &actor,
            &events::RecoveryRegenerated {
                id: p.person_id,
                codes: codes.len(),
            },
        )?;
        Ok(codes)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typed_back_loosely_but_match_exactly() {
        let code = new_code();
        assert_eq!(code.len(), 19);
        assert_eq!(
            hash(1, &code),
            hash(1, &code.to_uppercase().replace('-', " "))
        );
        assert_ne!(
            hash(1, &code),
            hash(2, &code),
            "a code is bound to its person"
        );
        assert_ne!(new_code(), new_code());
    }
}
