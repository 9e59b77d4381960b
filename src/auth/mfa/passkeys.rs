//! WebAuthn passkeys as a second factor. A passkey belongs to the host name
//! (relying party) it was registered on; the relying party is taken from the
//! request's host only when that host is one Parvis serves, so a look-alike
//! site cannot relay a ceremony.

use super::challenge::Challenge;
use crate::access::Actor;
use crate::auth::events;
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid,
};
use webauthn_rs::{Webauthn, WebauthnBuilder};

/// How long a registration in progress stays valid.
const REGISTRATION_MS: i64 = 5 * 60 * 1000;

/// The relying party of one request: this host name, this origin.
pub struct RelyingParty {
    pub id: String,
    webauthn: Webauthn,
}

impl RelyingParty {
    /// From the request's `Host` header, if it names a host Parvis serves
    /// (`known`), over HTTPS (browsers allow WebAuthn on plain HTTP only for localhost).
    pub fn for_request(host_header: &str, secure: bool, known: &[String]) -> Option<RelyingParty> {
        let host = crate::portals::Hostname::from_header(host_header)?;
        if !known.iter().any(|k| k == host.as_str()) {
            return None;
        }
        let scheme = if secure { "https" } else { "http" };
        let origin = Url::parse(&format!("{scheme}://{host_header}")).ok()?;
        let webauthn = WebauthnBuilder::new(host.as_str(), &origin)
            .ok()?
            .rp_name("Parvis")
            .build()
            .ok()?;
        Some(RelyingParty {
            id: host.as_str().to_string(),
            webauthn,
        })
    }
}

/// A stable, opaque WebAuthn user handle for a person (never their e-mail).
fn user_handle(person_id: i64) -> Uuid {
    let mut h = blake3::Hasher::new_derive_key("parvis webauthn user handle v1");
    h.update(&person_id.to_le_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&h.finalize().as_bytes()[..16]);
    Uuid::from_bytes(bytes)
}

fn passkeys_of(c: &Connection, person_id: i64, rp_id: &str) -> Result<Vec<(i64, Passkey)>> {
    let mut st = c.prepare_cached(
        "SELECT id, credential FROM webauthn_credentials WHERE person_id = ?1 AND rp_id = ?2",
    )?;
    let rows = st
        .query_map(params![person_id, rp_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, json)| {
            serde_json::from_str::<Passkey>(&json)
                .ok()
                .map(|pk| (id, pk))
        })
        .collect())
}

fn webauthn_error(e: impl std::fmt::Display) -> Error {
    tracing::info!(error = %e, "passkey ceremony refused");
    Error::invalid("passkey", "passkey-failed")
}

/// Starts registering a passkey for the signed-in person; the options go to
/// `navigator.credentials.create`.
pub async fn start_registration(
    db: &Db,
    actor: &Actor,
    session_id: i64,
    rp: &RelyingParty,
) -> Result<Value> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let (email, name, existing) = {
        let rp_id = rp.id.clone();
        db.read(move |c| {
            let (email, name): (String, String) = c.query_row(
                "SELECT email, display_name FROM people WHERE id = ?1",
                [p.person_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let existing: Vec<_> = passkeys_of(c, p.person_id, &rp_id)?
                .into_iter()
                .map(|(_, pk)| pk.cred_id().clone())
                .collect();
            Ok::<_, Error>((email, name, existing))
        })
        .await?
    };
    let (options, state) = rp
        .webauthn
        .start_passkey_registration(user_handle(p.person_id), &email, &name, Some(existing))
        .map_err(webauthn_error)?;
    let state = serde_json::to_string(&state).map_err(|e| Error::Internal(e.to_string()))?;
    let rp_id = rp.id.clone();
    db.write(move |tx| {
        tx.execute(
            "INSERT INTO webauthn_registrations (session_id, rp_id, state, expires_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (session_id) DO UPDATE SET rp_id = excluded.rp_id, state = excluded.state,
                 expires_at = excluded.expires_at",
            params![session_id, rp_id, state, now_ms() + REGISTRATION_MS],
        )?;
        Ok::<_, Error>(())
    })
    .await?;
    serde_json::to_value(options).map_err(|e| Error::Internal(e.to_string()))
}

/// Finishes a registration with the browser's answer; the state is used once.
pub async fn finish_registration(
    db: &Db,
    actor: &Actor,
    session_id: i64,
    rp: &RelyingParty,
    name: &str,
    response: &str,
) -> Result<()> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let name = name.trim();
    let name = if name.is_empty() { "Passkey" } else { name };
    if name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "passkey-name-invalid"));
    }
    let reg: RegisterPublicKeyCredential =
        serde_json::from_str(response).map_err(webauthn_error)?;
    let rp_id = rp.id.clone();
    let state: Option<String> = db
        .write(move |tx| {
            Ok::<_, Error>(
                tx.query_row(
                    "DELETE FROM webauthn_registrations WHERE session_id = ?1 AND rp_id = ?2 AND expires_at > ?3
                     RETURNING state",
                    params![session_id, rp_id, now_ms()],
                    |r| r.get(0),
                )
                .optional()?,
            )
        })
        .await?;
    let state: PasskeyRegistration = state
        .and_then(|s| serde_json::from_str(&s).ok())
        .ok_or(Error::invalid("passkey", "passkey-failed"))?;
    let passkey = rp
        .webauthn
        .finish_passkey_registration(&reg, &state)
        .map_err(webauthn_error)?;
    let credential = serde_json::to_string(&passkey).map_err(|e| Error::Internal(e.to_string()))?;
    let cred_id: Vec<u8> = AsRef::<[u8]>::as_ref(passkey.cred_id()).to_vec();
    let (actor, rp_id, name) = (*actor, rp.id.clone(), name.to_string());
    db.write(move |tx| {
        let id = match tx.execute(
            "INSERT INTO webauthn_credentials (person_id, name, credential_id, credential, rp_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![p.person_id, name, cred_id, credential, rp_id, now_ms()],
        ) {
            Err(e) if crate::db::is_unique_violation(&e) => {
                return Err(Error::Exists("passkey-exists"));
            }
            other => {
                other?;
                tx.last_insert_rowid()
            }
        };
        record(
            tx,
            &actor,
            &events::PasskeyAdded {
                id: p.person_id,
                passkey: id,
                name: &name,
                rp_id: &rp_id,
            },
        )?;
        Ok(())
    })
    .await?;
    crate::auth::session::sessions_changed();
    Ok(())
}

/// Options for `navigator.credentials.get` during sign-in, or `None` when the
/// person has no passkey for this host name. The state waits in the challenge.
pub(crate) fn start_authentication(
    tx: &Connection,
    challenge: &Challenge,
    rp: &RelyingParty,
) -> Result<Option<Value>> {
    let keys: Vec<Passkey> = passkeys_of(tx, challenge.person_id, &rp.id)?
        .into_iter()
        .map(|(_, pk)| pk)
        .collect();
    if keys.is_empty() {
        return Ok(None);
    }
    let (options, state) = rp
        .webauthn
        .start_passkey_authentication(&keys)
        .map_err(webauthn_error)?;
    let state = json!({"rp_id": rp.id, "state": state});
    super::challenge::set_webauthn_state(tx, challenge.id, &state.to_string())?;
    Ok(Some(
        serde_json::to_value(options).map_err(|e| Error::Internal(e.to_string()))?,
    ))
}

/// Checks a sign-in assertion against the state kept in the challenge; updates
/// the passkey's counter. `None`: refused.
pub(crate) fn finish_authentication(
    tx: &Connection,
    challenge: &Challenge,
    rp: &RelyingParty,
    response: &str,
) -> Result<Option<&'static str>> {
    let Some(saved) = challenge
        .webauthn_state
        .as_deref()
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    else {
        return Ok(None);
    };
    if saved.get("rp_id").and_then(Value::as_str) != Some(rp.id.as_str()) {
        return Ok(None);
    }
    let Some(state) = saved
        .get("state")
        .and_then(|s| serde_json::from_value::<PasskeyAuthentication>(s.clone()).ok())
    else {
        return Ok(None);
    };
    // Each ceremony's state is good for one answer.
    super::challenge::set_webauthn_state(tx, challenge.id, "")?;
    let Ok(assertion) = serde_json::from_str::<PublicKeyCredential>(response) else {
        return Ok(None);
    };
    let result = match rp
        .webauthn
        .finish_passkey_authentication(&assertion, &state)
    {
        Ok(r) => r,
        Err(e) => {
            tracing::info!(error = %e, "passkey assertion refused");
            return Ok(None);
        }
    };
    for (id, mut pk) in passkeys_of(tx, challenge.person_id, &rp.id)? {
        if pk.cred_id() == result.cred_id() {
            pk.update_credential(&result);
            let json = serde_json::to_string(&pk).map_err(|e| Error::Internal(e.to_string()))?;
            tx.execute(
                "UPDATE webauthn_credentials SET credential = ?2, last_used_at = ?3 WHERE id = ?1",
                params![id, json, now_ms()],
            )?;
            return Ok(Some("passkey"));
        }
    }
    Ok(None)
}

/// A passkey as the account page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PasskeyInfo {
    pub id: i64,
    pub name: String,
    pub rp_id: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn list(db: &Db, person_id: i64) -> Result<Vec<PasskeyInfo>> {
    db.read(move |c| {
        let mut st = c.prepare(
            "SELECT id, name, rp_id, created_at, last_used_at FROM webauthn_credentials
             WHERE person_id = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([person_id], |r| {
                Ok(PasskeyInfo {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    rp_id: r.get(2)?,
                    created_at: r.get(3)?,
                    last_used_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })
    .await
}

/// Removes one passkey: its owner, or an administrator.
pub async fn remove(db: &Db, actor: &Actor, person_id: i64, passkey_id: i64) -> Result<()> {
    crate::access::require_self_or_admin(actor, person_id)?;
    let actor = *actor;
    db.write(move |tx| {
        let n = tx.execute(
            "DELETE FROM webauthn_credentials WHERE id = ?1 AND person_id = ?2",
            params![passkey_id, person_id],
        )?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        record(
            tx,
            &actor,
            &events::PasskeyRemoved {
                id: person_id,
                passkey: passkey_id,
            },
        )?;
        Ok(())
    })
    .await?;
    crate::auth::session::sessions_changed();
    Ok(())
}
