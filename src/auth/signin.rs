//! Sign-in and sign-out. An unknown account and a wrong password get the same
//! answer after the same work; repeated failures meet growing delays.

use super::mfa::{Proof, challenge};
use super::password::PasswordHasher;
use super::session::{self, NewSession, Viewer};
use super::throttle::Throttle;
use crate::access::{Actor, Principal};
use crate::auth::events;
use crate::content::events::record;
use crate::db::Db;
use crate::people::store as people_store;
use crate::service::{Email, Error, Result};
use crate::util::{Secret, now_ms};
use std::net::IpAddr;
use std::time::Duration;

pub struct Attempt<'a> {
    /// The portal signed in on: its audience must admit the person.
    pub portal: &'a crate::portals::Portal,
    /// Where to go once signed in (kept across the second-factor step).
    pub next: &'a str,
    pub email: &'a str,
    pub password: Secret<String>,
    pub ip: Option<IpAddr>,
    pub user_agent: &'a str,
}

pub struct SignedIn {
    pub session: NewSession,
    pub must_change_password: bool,
}

/// What a correct password leads to.
pub enum Outcome {
    SignedIn(SignedIn),
    /// The person has a second factor: the token goes into the challenge cookie.
    SecondFactor {
        challenge: Secret<String>,
    },
}

/// Everything sign-in depends on.
pub struct Deps<'a> {
    pub db: &'a Db,
    pub hasher: &'a PasswordHasher,
    pub throttle: &'a Throttle,
    pub absolute_timeout: Duration,
}

/// Checks the credentials; on success opens a new session (never reusing an
/// earlier id, so a planted cookie cannot be promoted).
pub async fn sign_in(deps: &Deps<'_>, attempt: Attempt<'_>) -> Result<Outcome> {
    let key = attempt.email.trim().to_lowercase();
    let key: String = key.chars().take(254).collect();
    if let Some(wait) = deps.throttle.wait(&key, attempt.ip) {
        return Err(Error::TooMany { retry_after: wait });
    }
    let email = Email::parse(&key).ok();
    let lookup = email.clone();
    let creds = deps
        .db
        .read(move |c| match lookup {
            Some(e) => {
                let Some(creds) = people_store::credentials(c, e.as_str())? else {
                    return Ok::<_, Error>(None);
                };
                let (principal, _) = principal_of(c, creds.person_id)?;
                Ok(Some((creds, principal)))
            }
            None => Ok(None),
        })
        .await?;
    let (creds, principal) = match creds {
        Some((c, p)) => (Some(c), Some(p)),
        None => (None, None),
    };
    let stored = creds.as_ref().and_then(|c| c.password_hash.clone());
    // Verify (or burn the same time on a dummy hash) before looking at the status,
    // so timing tells nothing about which accounts exist.
    let password_ok = deps.hasher.verify(&attempt.password, stored).await;
    let now = now_ms();
    let outcome = match &creds {
        None => Err("unknown-account"),
        Some(_) if !password_ok => Err("wrong-password"),
        Some(c) if !c.may_sign_in(now) => Err("account-unavailable"),
        Some(_)
            if !principal
                .as_ref()
                .is_some_and(|p| crate::access::admitted_on(attempt.portal, p)) =>
        {
            Err("portal-not-allowed")
        }
        Some(c) => Ok(c.person_id),
    };
    let ip = attempt.ip;
    let ua = attempt.user_agent.to_string();
    let absolute = deps.absolute_timeout;
    match outcome {
        Err(reason) => {
            let wait = deps.throttle.fail(&key, ip);
            let actor = Actor::anonymous(ip);
            let person = creds.map(|c| c.person_id);
            deps.db
                .write(move |tx| {
                    record(
                        tx,
                        &actor,
                        &events::SigninFailed {
                            person,
                            email: Some(&key),
                            reason,
                        },
                    )?;
                    Ok::<_, Error>(())
                })
                .await?;
            match wait {
                // The attempt that crosses the threshold is told to wait, like the next ones.
                Some(w) if w > Duration::from_secs(1) => Err(Error::TooMany { retry_after: w }),
                // Only someone who knows the password learns that the account exists.
                _ if reason == "portal-not-allowed" => {
                    Err(Error::invalid("credentials", "signin-wrong-portal"))
                }
                _ => Err(Error::invalid("credentials", "signin-failed")),
            }
        }
        Ok(person_id) => {
            deps.throttle.succeed(&key, ip);
            let (portal_id, next) = (attempt.portal.id, attempt.next.to_string());
            deps.db
                .write(move |tx| {
                    if crate::auth::mfa::factors(tx, person_id)?.any() {
                        let challenge = challenge::create(tx, person_id, portal_id, &next)?;
                        let (principal, _) = principal_of(tx, person_id)?;
                        record(
                            tx,
                            &Actor::person(principal, ip),
                            &events::PasswordAccepted { id: person_id },
                        )?;
                        return Ok(Outcome::SecondFactor { challenge });
                    }
                    Ok::<_, Error>(Outcome::SignedIn(open_session(
                        tx, person_id, ip, &ua, absolute, None,
                    )?))
                })
                .await
        }
    }
}

/// Opens the session and records the sign-in, inside the caller's transaction.
pub(crate) fn open_session(
    tx: &rusqlite::Transaction<'_>,
    person_id: i64,
    ip: Option<IpAddr>,
    user_agent: &str,
    absolute: Duration,
    factor: Option<&str>,
) -> Result<SignedIn> {
    let session = session::create(tx, person_id, ip, user_agent, absolute)?;
    people_store::record_signin(tx, person_id, now_ms())?;
    let (principal, must_change) = principal_of(tx, person_id)?;
    let actor = Actor::person(principal, ip);
    record(
        tx,
        &actor,
        &events::SignedIn {
            id: person_id,
            session: session.id,
            second_factor: factor,
        },
    )?;
    Ok(SignedIn {
        session,
        must_change_password: must_change,
    })
}

/// The second step: a code (TOTP or recovery) or a passkey assertion for the
/// challenge named by `token`. Each code and each challenge work once, however
/// many requests race; wrong codes count towards the lockout. Returns the
/// session and where to go next.
pub async fn second_factor(
    deps: &Deps<'_>,
    token: &str,
    proof: Proof,
    portal: &crate::portals::Portal,
    rp: Option<crate::auth::mfa::passkeys::RelyingParty>,
    ip: Option<IpAddr>,
    user_agent: &str,
) -> Result<(SignedIn, String)> {
    let token = token.to_string();
    let (portal_id, ua, absolute) = (portal.id, user_agent.to_string(), deps.absolute_timeout);
    let expired = || Error::invalid("challenge", "mfa-challenge-expired");
    deps.db
        .write(move |tx| {
            let Some(ch) = challenge::load(tx, &token)? else {
                return Ok(Err(expired()));
            };
            if ch.portal_id != Some(portal_id) {
                return Ok(Err(expired()));
            }
            let matched = match &proof {
                Proof::Code(code) => crate::auth::mfa::verify_code(tx, ch.person_id, code)?,
                Proof::Passkey(json) => match &rp {
                    Some(rp) => {
                        crate::auth::mfa::passkeys::finish_authentication(tx, &ch, rp, json)?
                    }
                    None => None,
                },
            };
            let Some(factor) = matched else {
                let (principal, _) = principal_of(tx, ch.person_id)?;
                record(
                    tx,
                    &Actor::person(principal, ip),
                    &events::SigninFailed {
                        person: Some(ch.person_id),
                        email: None,
                        reason: "second-factor-wrong",
                    },
                )?;
                // Committed, so that the wrong code counts.
                return Ok(Err(Error::invalid("code", "mfa-code-wrong")));
            };
            // Whoever ends the challenge first signs in; the others find it gone.
            if !challenge::finish(tx, ch.id)? {
                return Ok(Err(expired()));
            }
            let may = people_store::credentials_by_id(tx, ch.person_id)?
                .is_some_and(|c| c.may_sign_in(now_ms()));
            if !may {
                return Ok(Err(Error::invalid("credentials", "signin-failed")));
            }
            let signed = open_session(tx, ch.person_id, ip, &ua, absolute, Some(factor))?;
            Ok::<_, Error>(Ok((signed, ch.next)))
        })
        .await?
}

/// Ends the viewer's current session, or all of them.
pub async fn sign_out(
    db: &Db,
    viewer: &Viewer,
    ip: Option<IpAddr>,
    everywhere: bool,
) -> Result<usize> {
    let actor = Actor::person(viewer.principal, ip);
    let (sid, pid) = (viewer.session_id, viewer.principal.person_id);
    db.write(move |tx| {
        let ended = if everywhere {
            session::store::delete_for_person(tx, pid, None)?
        } else {
            session::store::delete(tx, sid)?
        };
        record(
            tx,
            &actor,
            &events::SignedOut {
                id: pid,
                everywhere,
                sessions_ended: ended,
            },
        )?;
        Ok(ended)
    })
    .await
    .inspect(|_| crate::auth::session::sessions_changed())
}

/// Ends all the viewer's sessions except the current one.
pub async fn sign_out_others(db: &Db, viewer: &Viewer, ip: Option<IpAddr>) -> Result<usize> {
    let actor = Actor::person(viewer.principal, ip);
    let (sid, pid) = (viewer.session_id, viewer.principal.person_id);
    db.write(move |tx| {
        let ended = session::store::delete_for_person(tx, pid, Some(sid))?;
        record(
            tx,
            &actor,
            &events::SignedOutOthers {
                id: pid,
                sessions_ended: ended,
            },
        )?;
        Ok(ended)
    })
    .await
    .inspect(|_| crate::auth::session::sessions_changed())
}

/// A person's principal, as a session would carry it (for the CLI and tests).
pub async fn principal(db: &Db, person_id: i64) -> Result<Principal> {
    db.read(move |c| {
        principal_of(c, person_id)
            .map(|(p, _)| p)
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Error::NotFound,
                e => Error::from(e),
            })
    })
    .await
}

/// A person's principal and whether they must change their password.
pub(crate) fn principal_of(
    c: &rusqlite::Connection,
    person_id: i64,
) -> rusqlite::Result<(Principal, bool)> {
    c.query_row(
        "SELECT p.org_id, o.kind, p.is_admin, p.password_must_change
         FROM people p JOIN organizations o ON o.id = p.org_id WHERE p.id = ?1",
        [person_id],
        |r| {
            let org_kind: crate::organizations::OrgKind = r.get(1)?;
            let internal = org_kind == crate::organizations::OrgKind::Host;
            let principal = Principal {
                person_id,
                org_id: r.get(0)?,
                org_kind,
                internal,
                admin: internal && r.get::<_, bool>(2)?,
            };
            Ok((principal, r.get(3)?))
        },
    )
}
