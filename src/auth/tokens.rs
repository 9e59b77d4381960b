//! Personal access tokens: `Authorization: Bearer pvs_…` for scripts and the
//! JSON API (and app passwords for WebDAV later). Only a BLAKE3 hash is
//! stored; the secret is shown once. Revocable; expiry optional; last use recorded.

use crate::access::{self, Actor, Principal};
use crate::auth::events;
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Email, Error, Result};
use crate::util::{Secret, now_ms, random_token};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

/// Every token starts with this, so leaked tokens are easy to recognise and scan for.
pub const PREFIX: &str = "pvs_";

/// What a token may do, ordered: read < write < admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Read,
    Write,
    Admin,
}

impl Scope {
    pub fn parse(raw: &str) -> Result<Scope> {
        match raw.trim() {
            "read" => Ok(Scope::Read),
            "write" => Ok(Scope::Write),
            "admin" => Ok(Scope::Admin),
            _ => Err(Error::invalid("scope", "scope-invalid")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }
}

impl rusqlite::types::FromSql for Scope {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        Scope::parse(v.as_str()?).map_err(|_| rusqlite::types::FromSqlError::InvalidType)
    }
}

/// A token just created: the secret exists only here.
pub struct Created {
    pub id: i64,
    pub secret: Secret<String>,
}

/// A token as listings show it (never the secret).
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

fn hash(secret: &str) -> [u8; 32] {
    *blake3::hash(secret.as_bytes()).as_bytes()
}

/// Creates a token for `owner`. Administrators (and the CLI) may create one
/// for anyone; a person only for themself. Only administrators get `admin`.
pub async fn create(
    db: &Db,
    actor: &Actor,
    owner: &Email,
    name: &str,
    scope: Scope,
    expires_in_days: Option<u32>,
) -> Result<Created> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "token-name-invalid"));
    }
    if expires_in_days == Some(0) || expires_in_days.is_some_and(|d| d > 3650) {
        return Err(Error::invalid("expires", "token-expiry-invalid"));
    }
    let (actor, owner) = (*actor, owner.clone());
    db.write(move |tx| {
        let person = crate::people::store::by_email(tx, owner.as_str())?
            .ok_or(Error::invalid("user", "person-unknown"))?;
        access::require_self_or_admin(&actor, person.id)?;
        if scope == Scope::Admin
            && !access::may_hold_admin_scope(person.is_admin, person.internal())
        {
            return Err(Error::invalid("scope", "scope-admin-needs-admin"));
        }
        let secret = format!("{PREFIX}{}", random_token(32));
        let now = now_ms();
        let expires = expires_in_days.map(|d| now + i64::from(d) * 86_400_000);
        tx.execute(
            "INSERT INTO api_tokens (person_id, name, token_hash, scope, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                person.id,
                name,
                &hash(&secret)[..],
                scope.as_str(),
                now,
                expires
            ],
        )?;
        let id = tx.last_insert_rowid();
        record(
            tx,
            &actor,
            &events::TokenCreated {
                id: person.id,
                token: id,
                name: &name,
                scope: scope.as_str(),
                expires_at: expires,
            },
        )?;
        Ok(Created {
            id,
            secret: Secret::new(secret),
        })
    })
    .await
}

/// The principal and scope behind a presented token, if it is valid now.
pub async fn authenticate(db: &Db, presented: &str) -> Result<Option<(Principal, Scope)>> {
    Ok(authenticate_token(db, presented)
        .await?
        .map(|(_, principal, scope)| (principal, scope)))
}

/// `authenticate`, with the token's id (a live stream checks it again while it lasts).
pub async fn authenticate_token(
    db: &Db,
    presented: &str,
) -> Result<Option<(i64, Principal, Scope)>> {
    if !presented.starts_with(PREFIX) || presented.len() != PREFIX.len() + 43 {
        return Ok(None);
    }
    let h = hash(presented);
    let found = db
        .read(move |c| {
            Ok::<_, Error>(
                c.prepare_cached(
                    "SELECT t.id, t.scope, t.expires_at, t.revoked_at, t.last_used_at,
                            p.id, p.org_id, o.kind, p.is_admin, p.status = 'active', p.expires_at
                     FROM api_tokens t JOIN people p ON p.id = t.person_id
                     JOIN organizations o ON o.id = p.org_id
                     WHERE t.token_hash = ?1",
                )?
                .query_row([&h[..]], |r| {
                    let org_kind: crate::organizations::OrgKind = r.get(7)?;
                    let internal = org_kind == crate::organizations::OrgKind::Host;
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Scope>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        Principal {
                            person_id: r.get(5)?,
                            org_id: r.get(6)?,
                            org_kind,
                            internal,
                            admin: internal && r.get::<_, bool>(8)?,
                        },
                        r.get::<_, bool>(9)?,
                        r.get::<_, Option<i64>>(10)?,
                    ))
                })
                .optional()?,
            )
        })
        .await?;
    let Some((id, scope, expires, revoked, last_used, principal, active, person_expires)) = found
    else {
        return Ok(None);
    };
    let now = now_ms();
    let valid = revoked.is_none()
        && expires.is_none_or(|t| t > now)
        && active
        && person_expires.is_none_or(|t| t > now);
    if !valid {
        return Ok(None);
    }
    // Record use, at most once a minute per token, so API calls stay reads.
    // Only a note: a disk too full to take it must not refuse the call.
    if last_used.is_none_or(|t| now - t > 60_000) {
        let noted = db
            .write(move |tx| {
                tx.execute(
                    "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
                    params![id, now],
                )?;
                Ok::<_, Error>(())
            })
            .await;
        if let Err(e) = noted {
            tracing::warn!(error = %e, "a token's last use was not recorded");
        }
    }
    // A token never carries more than its owner may do.
    let scope = if principal.admin {
        scope
    } else {
        scope.min(Scope::Write)
    };
    Ok(Some((id, principal, scope)))
}

/// Until when token `id` stays valid (ms; `i64::MAX`: no end), or `None`
/// when it no longer is: revoked, expired, or its owner disabled or gone.
pub fn valid_until(c: &rusqlite::Connection, id: i64, now: i64) -> rusqlite::Result<Option<i64>> {
    // Revoked, the token's end, the owner active, the owner's access end.
    type Row = (Option<i64>, Option<i64>, bool, Option<i64>);
    let row: Option<Row> = c
        .prepare_cached(
            "SELECT t.revoked_at, t.expires_at, p.status = 'active', p.expires_at
             FROM api_tokens t JOIN people p ON p.id = t.person_id WHERE t.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    Ok(row.and_then(|(revoked, expires, active, person_expires)| {
        let until = expires
            .unwrap_or(i64::MAX)
            .min(person_expires.unwrap_or(i64::MAX));
        (revoked.is_none() && active && until > now).then_some(until)
    }))
}

/// A person's tokens; administrators may list anyone's.
pub async fn list(db: &Db, actor: &Actor, owner: &Email) -> Result<Vec<TokenInfo>> {
    let (actor, owner) = (*actor, owner.clone());
    db.read(move |c| {
        let person = crate::people::store::by_email(c, owner.as_str())?.ok_or(Error::NotFound)?;
        access::require_self_or_admin(&actor, person.id)?;
        let mut st = c.prepare(
            "SELECT id, name, scope, created_at, expires_at, last_used_at, revoked_at IS NOT NULL
             FROM api_tokens WHERE person_id = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([person.id], |r| {
                Ok(TokenInfo {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    scope: r.get(2)?,
                    created_at: r.get(3)?,
                    expires_at: r.get(4)?,
                    last_used_at: r.get(5)?,
                    revoked: r.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })
    .await
}

/// Revokes a token: its owner or an administrator. Takes effect on the next request.
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let owner: Option<i64> = tx
            .query_row(
                "SELECT person_id FROM api_tokens WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let owner = owner.ok_or(Error::NotFound)?;
        access::require_self_or_admin(&actor, owner)?;
        let n = tx.execute(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, now_ms()],
        )?;
        if n > 0 {
            record(
                tx,
                &actor,
                &events::TokenRevoked {
                    id: owner,
                    token: id,
                },
            )?;
        }
        Ok(())
    })
    .await
    // Streams opened with the token close.
    .inspect(|_| super::session::sessions_changed())
}

/// App passwords (WebDAV's Basic authentication): the token must belong to
/// the person whose e-mail is given, so a leaked token alone is not enough to
/// guess whose it is, and a typo in the e-mail fails like a wrong token.
pub async fn authenticate_as(
    db: &Db,
    email: &str,
    presented: &str,
) -> Result<Option<(Principal, Scope)>> {
    let Some((principal, scope)) = authenticate(db, presented).await? else {
        return Ok(None);
    };
    let person = principal.person_id;
    let owner: String = db
        .read(move |c| {
            Ok::<_, Error>(c.query_row(
                "SELECT email FROM people WHERE id = ?1",
                [person],
                |r| r.get(0),
            )?)
        })
        .await?;
    Ok(owner
        .eq_ignore_ascii_case(email.trim())
        .then_some((principal, scope)))
}
