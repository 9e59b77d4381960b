//! Server-side sessions in SQLite. The cookie holds an opaque random token;
//! the database holds only its BLAKE3 hash, so a leaked database cannot be
//! replayed as cookies. Idle and absolute timeouts; a new id at every sign-in.

use crate::access::Principal;
use crate::db::Db;
use crate::service::{Locale, Result};
use crate::util::{Secret, now_ms, random_token};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The session cookie: `__Host-` pins it to this origin, path `/`, Secure.
pub const COOKIE: &str = "__Host-parvis_session";

/// The person behind a request, as loaded from a valid session.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub session_id: i64,
    pub principal: Principal,
    pub email: String,
    pub display_name: String,
    pub locale: Option<Locale>,
    /// The time zone the person chose, if any.
    pub time_zone: Option<String>,
    pub csrf_token: String,
    pub must_change_password: bool,
    /// The person has a TOTP secret or a passkey.
    pub has_second_factor: bool,
    /// The portal's policy asks for a second factor the person does not have
    /// yet: every page leads to enrollment (set per request, from the portal).
    pub must_enroll_mfa: bool,
}

/// A freshly created session; `token` goes into the cookie once and is never stored.
pub struct NewSession {
    pub id: i64,
    pub token: Secret<String>,
    pub max_age: Duration,
}

pub fn token_hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

/// How long a validated session is trusted without asking the database again.
/// Ending sessions in this process takes effect at once (see `sessions_changed`);
/// changes made by another process (the CLI) take effect within this delay.
const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(1);
const CACHE_MAX: usize = 10_000;

/// Bumped whenever this process ends sessions or changes who may sign in.
static EPOCH: AtomicU64 = AtomicU64::new(0);

/// Tells every session cache that sessions or accounts changed.
pub fn sessions_changed() {
    EPOCH.fetch_add(1, Ordering::SeqCst);
}

/// How many times sessions or accounts changed: whoever holds something
/// a session allowed (a live stream) checks it again when this moves.
pub fn sessions_epoch() -> u64 {
    EPOCH.load(Ordering::SeqCst)
}

/// Recently validated sessions, so most requests skip a database round trip.
#[derive(Default)]
pub struct SessionCache {
    entries: RwLock<HashMap<[u8; 32], Cached>>,
}

struct Cached {
    row: store::Row,
    fetched: Instant,
    epoch: u64,
}

impl SessionCache {
    fn get(&self, hash: &[u8; 32]) -> Option<store::Row> {
        let entries = self.entries.read().ok()?;
        let c = entries.get(hash)?;
        (c.fetched.elapsed() < CACHE_TTL && c.epoch == EPOCH.load(Ordering::SeqCst))
            .then(|| c.row.clone())
    }

    fn put(&self, hash: [u8; 32], row: store::Row, epoch: u64) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= CACHE_MAX {
                entries.clear();
            }
            entries.insert(
                hash,
                Cached {
                    row,
                    fetched: Instant::now(),
                    epoch,
                },
            );
        }
    }

    fn forget(&self, hash: &[u8; 32]) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(hash);
        }
    }
}

/// Loads the session behind `token` if it is still valid; ends it otherwise.
pub async fn load(
    db: &Db,
    cache: &SessionCache,
    token: &str,
    idle: Duration,
) -> Result<Option<Viewer>> {
    // Tokens we issue are 43 characters; anything else cannot match.
    if token.len() != 43 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let row = match cache.get(&hash) {
        Some(row) => row,
        None => {
            // Read the epoch before the row, so a change racing with the read invalidates it.
            let epoch = EPOCH.load(Ordering::SeqCst);
            let found = db
                .read(move |c| Ok::<_, crate::service::Error>(store::lookup(c, &hash)?))
                .await?;
            let Some(row) = found else { return Ok(None) };
            cache.put(hash, row.clone(), epoch);
            row
        }
    };
    let now = now_ms();
    let idle_ms = idle.as_millis() as i64;
    let alive = now < row.expires_at
        && now - row.last_seen_at < idle_ms
        && row.person_active
        && row.person_expires_at.is_none_or(|t| t > now);
    if !alive {
        cache.forget(&hash);
        let id = row.viewer.session_id;
        db.write(move |tx| Ok::<_, crate::service::Error>(store::delete(tx, id)?))
            .await?;
        return Ok(None);
    }
    // Refresh "last seen" now and then, not on every request: a page view stays a read.
    let touch_every = (idle_ms / 10).clamp(1_000, 60_000);
    if now - row.last_seen_at >= touch_every {
        cache.forget(&hash);
        let id = row.viewer.session_id;
        // Only a note: a disk too full to take it must not refuse the page.
        let touched = db
            .write(move |tx| Ok::<_, crate::service::Error>(store::touch(tx, id, now)?))
            .await;
        if let Err(e) = touched {
            tracing::warn!(error = %e, "a session's last use was not recorded");
        }
    }
    Ok(Some(row.viewer))
}

/// Inserts a new session for `person_id` (called inside the sign-in transaction).
pub fn create(
    tx: &rusqlite::Transaction<'_>,
    person_id: i64,
    ip: Option<IpAddr>,
    user_agent: &str,
    absolute: Duration,
) -> rusqlite::Result<NewSession> {
    let token = random_token(32);
    let csrf = random_token(32);
    let now = now_ms();
    let expires = now + absolute.as_millis() as i64;
    let ua: String = user_agent.chars().take(300).collect();
    let ip = ip.map(|i| i.to_string()).unwrap_or_default();
    let id = store::insert(
        tx,
        &token_hash(&token),
        person_id,
        &csrf,
        now,
        expires,
        &ip,
        &ua,
    )?;
    Ok(NewSession {
        id,
        token: Secret::new(token),
        max_age: absolute,
    })
}

/// One of a person's sessions, as their account page lists them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
}

pub async fn list_for(db: &Db, person_id: i64) -> Result<Vec<SessionInfo>> {
    db.read(move |c| Ok(store::list_for_person(c, person_id, now_ms())?))
        .await
}

pub mod store {
    //! SQL for sessions.

    use super::{SessionInfo, Viewer};
    use crate::access::Principal;
    use rusqlite::{Connection, OptionalExtension, params};

    #[derive(Clone)]
    pub struct Row {
        pub viewer: Viewer,
        pub last_seen_at: i64,
        pub expires_at: i64,
        pub person_active: bool,
        pub person_expires_at: Option<i64>,
    }

    #[allow(clippy::too_many_arguments)]
    pub fn insert(
        c: &Connection,
        hash: &[u8; 32],
        person_id: i64,
        csrf: &str,
        now: i64,
        expires: i64,
        ip: &str,
        ua: &str,
    ) -> rusqlite::Result<i64> {
        c.execute(
            "INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)",
            params![&hash[..], person_id, csrf, now, expires, ip, ua],
        )?;
        Ok(c.last_insert_rowid())
    }

    pub fn lookup(c: &Connection, hash: &[u8; 32]) -> rusqlite::Result<Option<Row>> {
        // Runs on every request: keep the compiled statement.
        c.prepare_cached(
            "SELECT s.id, s.person_id, s.csrf_token, s.last_seen_at, s.expires_at,
                    p.email, p.display_name, p.locale, p.is_admin, p.org_id, o.kind,
                    p.password_must_change, p.status = 'active', p.expires_at,
                    EXISTS (SELECT 1 FROM mfa_totp t WHERE t.person_id = p.id AND t.confirmed_at IS NOT NULL)
                      OR EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.person_id = p.id),
                    p.time_zone
             FROM sessions s
             JOIN people p ON p.id = s.person_id
             JOIN organizations o ON o.id = p.org_id
             WHERE s.token_hash = ?1",
        )?
        .query_row([&hash[..]], |r| {
            let org_kind: crate::organizations::OrgKind = r.get(10)?;
            let internal = org_kind == crate::organizations::OrgKind::Host;
            Ok(Row {
                viewer: Viewer {
                    session_id: r.get(0)?,
                    principal: Principal {
                        person_id: r.get(1)?,
                        org_id: r.get(9)?,
                        org_kind,
                        internal,
                        admin: internal && r.get::<_, bool>(8)?,
                    },
                    csrf_token: r.get(2)?,
                    email: r.get(5)?,
                    display_name: r.get(6)?,
                    locale: r.get(7)?,
                    time_zone: r.get(15)?,
                    must_change_password: r.get(11)?,
                    has_second_factor: r.get(14)?,
                    must_enroll_mfa: false,
                },
                last_seen_at: r.get(3)?,
                expires_at: r.get(4)?,
                person_active: r.get(12)?,
                person_expires_at: r.get(13)?,
            })
        })
        .optional()
    }

    /// Until when session `id` stays valid if it is not used again (ms), or
    /// `None` when it no longer is: ended, expired, idle too long, or its
    /// person disabled or their access over.
    pub fn valid_until(
        c: &Connection,
        id: i64,
        now: i64,
        idle_ms: i64,
    ) -> rusqlite::Result<Option<i64>> {
        let row: Option<(i64, i64, bool, Option<i64>)> = c
            .prepare_cached(
                "SELECT s.expires_at, s.last_seen_at, p.status = 'active', p.expires_at
                 FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        Ok(
            row.and_then(|(expires, last_seen, active, person_expires)| {
                let until = expires
                    .min(last_seen.saturating_add(idle_ms))
                    .min(person_expires.unwrap_or(i64::MAX));
                (active && until > now).then_some(until)
            }),
        )
    }

    pub fn touch(c: &Connection, id: i64, now: i64) -> rusqlite::Result<usize> {
        c.execute(
            "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1",
            params![id, now],
        )
    }

    pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
        super::sessions_changed();
        c.execute("DELETE FROM sessions WHERE id = ?1", [id])
    }

    /// Ends every session of a person except `keep`; returns how many ended.
    pub fn delete_for_person(
        c: &Connection,
        person_id: i64,
        keep: Option<i64>,
    ) -> rusqlite::Result<usize> {
        super::sessions_changed();
        c.execute(
            "DELETE FROM sessions WHERE person_id = ?1 AND id IS NOT ?2",
            params![person_id, keep],
        )
    }

    pub fn list_for_person(
        c: &Connection,
        person_id: i64,
        now: i64,
    ) -> rusqlite::Result<Vec<SessionInfo>> {
        let mut st = c.prepare(
            "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions
             WHERE person_id = ?1 AND expires_at > ?2 ORDER BY last_seen_at DESC",
        )?;
        st.query_map(params![person_id, now], |r| {
            Ok(SessionInfo {
                id: r.get(0)?,
                created_at: r.get(1)?,
                last_seen_at: r.get(2)?,
                ip: r.get(3)?,
                user_agent: r.get(4)?,
            })
        })?
        .collect()
    }

    /// Removes sessions past their absolute expiry or idle for longer than `idle_ms`.
    pub fn purge_expired(c: &Connection, now: i64, idle_ms: i64) -> rusqlite::Result<usize> {
        c.execute(
            "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?1 - ?2",
            params![now, idle_ms],
        )
    }

    pub fn exists(c: &Connection, id: i64) -> rusqlite::Result<bool> {
        c.query_row("SELECT 1 FROM sessions WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
    }
}
