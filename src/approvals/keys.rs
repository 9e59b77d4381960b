//! The instance's Ed25519 signing key for approval records: made once (the
//! first time one is needed, or at `init`), kept in the database — so in
//! the data directory and in every backup — and never exported. An import
//! brings the public keys of the instance it came from, so that the records
//! it signed still verify here; they sign nothing.

use crate::service::{Error, Result};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ring::signature::{self, Ed25519KeyPair, KeyPair};
use rusqlite::{Connection, OptionalExtension, params};

/// A key as records name it: its id (the first 16 hex digits of the
/// BLAKE3 hash of its public part) and its public part, in base64.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicKey {
    pub id: String,
    pub public_key: String,
    /// This instance signs with it (the others verify only).
    pub active: bool,
    pub created_at: i64,
}

fn key_id(public: &[u8]) -> String {
    blake3::hash(public).to_hex()[..16].to_string()
}

/// The active key pair, made and kept if there is none yet.
pub fn signing_key(tx: &Connection, now: i64) -> Result<(String, Ed25519KeyPair)> {
    let found: Option<(String, Vec<u8>)> = tx
        .query_row(
            "SELECT id, private_key FROM signing_keys WHERE private_key IS NOT NULL
              ORDER BY created_at DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, pkcs8)) = found {
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8)
            .map_err(|_| Error::Internal("the instance's signing key cannot be read".into()))?;
        return Ok((id, pair));
    }
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng)
        .map_err(|_| Error::Internal("no signing key could be made".into()))?;
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
        .map_err(|_| Error::Internal("no signing key could be made".into()))?;
    let public = pair.public_key().as_ref().to_vec();
    let id = key_id(&public);
    tx.execute(
        "INSERT INTO signing_keys (id, public_key, private_key, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, public, pkcs8.as_ref(), now],
    )?;
    Ok((id, pair))
}

/// A person as a record names them: a keyed hash of their id with the
/// active key's secret part, the same in every record of this instance,
/// naming nobody to whoever lacks the key (an erased person's decisions
/// stay, under this name alone).
pub fn pseudonym(tx: &Connection, person: i64, now: i64) -> Result<String> {
    keyed(tx, "p", &person.to_le_bytes(), now)
}

/// A signatory without an account, in a record: as a person's, a keyed
/// hash of their address, so that the record names nobody.
pub fn signatory_pseudonym(tx: &Connection, email: &str, now: i64) -> Result<String> {
    keyed(tx, "s", email.as_bytes(), now)
}

fn keyed(tx: &Connection, prefix: &str, what: &[u8], now: i64) -> Result<String> {
    signing_key(tx, now)?;
    let secret: Vec<u8> = tx.query_row(
        "SELECT private_key FROM signing_keys WHERE private_key IS NOT NULL
          ORDER BY created_at DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let key = blake3::derive_key("parvis approval record pseudonyms", &secret);
    let mac = blake3::keyed_hash(&key, what);
    Ok(format!("{prefix}-{}", &mac.to_hex()[..16]))
}

/// Every key this instance knows: its own and those of the instances it
/// was imported from.
pub fn known(c: &Connection) -> Result<Vec<PublicKey>> {
    let mut st = c.prepare(
        "SELECT id, public_key, private_key IS NOT NULL, created_at FROM signing_keys
          ORDER BY created_at, id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(PublicKey {
            id: r.get(0)?,
            public_key: B64.encode(r.get::<_, Vec<u8>>(1)?),
            active: r.get(2)?,
            created_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Signs `message`: the signature in base64.
pub fn sign(pair: &Ed25519KeyPair, message: &[u8]) -> String {
    B64.encode(pair.sign(message).as_ref())
}

/// Whether `signature` (base64) is `public_key`'s (base64) over `message`.
pub fn verify(public_key: &str, message: &[u8], signature: &str) -> bool {
    let (Ok(public), Ok(sig)) = (B64.decode(public_key), B64.decode(signature)) else {
        return false;
    };
    if public.len() != 32 {
        return false;
    }
    signature::UnparsedPublicKey::new(&signature::ED25519, &public)
        .verify(message, &sig)
        .is_ok()
}

/// The id a public key (base64) goes by, if it is one.
pub fn id_of(public_key: &str) -> Option<String> {
    let public = B64.decode(public_key).ok()?;
    (public.len() == 32).then(|| key_id(&public))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_signs_what_it_verifies() {
        let (_dir, c) = crate::content::tests::schema();
        let (id, pair) = signing_key(&c, 1).unwrap();
        let (again, _) = signing_key(&c, 2).unwrap();
        assert_eq!(id, again, "one key per instance");
        let keys = known(&c).unwrap();
        assert_eq!(keys.len(), 1);
        assert!(keys[0].active);
        assert_eq!(id_of(&keys[0].public_key).as_deref(), Some(id.as_str()));
        let sig = sign(&pair, b"approved bytes");
        assert!(verify(&keys[0].public_key, b"approved bytes", &sig));
        assert!(!verify(&keys[0].public_key, b"approved bytez", &sig));
        assert!(!verify("not base64!", b"approved bytes", &sig));
        assert!(!verify(&keys[0].public_key, b"approved bytes", "AAAA"));
    }
}
