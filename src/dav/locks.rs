//! WebDAV locks: leases in one table shared by every client of the instance,
//! each seen by a request through the eyes of its person. A lock on something
//! that person may not see (another organization's space, a restricted
//! folder) does not exist for them: it neither blocks them nor shows in their
//! answers, so a hidden space answers every method exactly as a missing one.
//! Their own locks always exist for them, so they can undo what they did.
//! A lease lasts what the client asked, within bounds, and then ends by itself.

use super::DavUser;
use crate::documents::paths;
use dav_server::davpath::DavPath;
use dav_server::ls::{DavLock, DavLockSystem, LsFuture};
use futures_util::FutureExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use xmltree::Element;

/// A lease asked without a length, or for ever.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(10 * 60);
/// The longest lease granted; clients refresh theirs.
pub const MAX_LEASE: Duration = Duration::from_secs(3600);

/// The lease a request asks for in its `Timeout` header (RFC 4918 §10.7:
/// the first of the listed choices that we understand).
pub fn requested_lease(headers: &axum::http::HeaderMap) -> Duration {
    let first = headers
        .get("timeout")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim);
    match first.and_then(|t| t.strip_prefix("Second-")) {
        Some(n) => match n.parse::<u64>() {
            Ok(secs) => Duration::from_secs(secs).clamp(Duration::from_secs(1), MAX_LEASE),
            // More seconds than fit are asked: as long as allowed.
            Err(_) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => MAX_LEASE,
            Err(_) => DEFAULT_LEASE,
        },
        None => DEFAULT_LEASE,
    }
}

#[derive(Debug, Clone)]
struct Held {
    lock: DavLock,
    segs: Vec<Vec<u8>>,
    expires: Instant,
}

/// Every lock of the instance (in memory: leases are short and clients
/// refresh them; a restart lets them go).
#[derive(Debug, Clone, Default)]
pub struct LockTable(Arc<Mutex<Vec<Held>>>);

impl LockTable {
    /// The live locks, once the expired ones are gone.
    fn live(&self) -> Vec<Held> {
        let now = Instant::now();
        match self.0.lock() {
            Ok(mut all) => {
                all.retain(|h| h.expires > now);
                all.clone()
            }
            Err(_) => Vec::new(),
        }
    }

    fn change<T>(&self, f: impl FnOnce(&mut Vec<Held>) -> T) -> Option<T> {
        let now = Instant::now();
        let mut all = self.0.lock().ok()?;
        all.retain(|h| h.expires > now);
        Some(f(&mut all))
    }
}

fn segments(path: &DavPath) -> Vec<Vec<u8>> {
    path.as_bytes()
        .split(|b| *b == b'/')
        .filter(|s| !s.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// `a` is `b` or one of its ancestors.
fn at_or_above(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    b.starts_with(a)
}

fn new_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// One request's view of the table.
#[derive(Clone)]
pub struct View {
    table: LockTable,
    user: DavUser,
    /// How dav-server names this person in locks.
    principal: String,
    lease: Duration,
}

impl std::fmt::Debug for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("View")
            .field("principal", &self.principal)
            .finish_non_exhaustive()
    }
}

impl View {
    pub fn new(table: LockTable, user: DavUser, principal: String, lease: Duration) -> View {
        View {
            table,
            user,
            principal,
            lease,
        }
    }

    /// The person's own locks, and those on what they may see.
    async fn visible(&self, held: Vec<Held>) -> Vec<Held> {
        let mut seen = Vec::with_capacity(held.len());
        for h in held {
            let mine = h.lock.principal.as_deref() == Some(self.principal.as_str());
            let names = h
                .segs
                .iter()
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect();
            if mine
                || paths::resolve(&self.user.state.db, &self.user.actor, names)
                    .await
                    .is_ok()
            {
                seen.push(h);
            }
        }
        seen
    }

    /// The visible locks that bear on `segs`: on it or above it (those above
    /// only when deep), and with `below`, those under it.
    async fn bearing_on(&self, segs: &[Vec<u8>], below: bool) -> (Vec<DavLock>, Vec<DavLock>) {
        let live = self.table.live();
        let relevant = live
            .into_iter()
            .filter(|h| {
                (at_or_above(&h.segs, segs) && (h.lock.deep || h.segs == segs))
                    || (below && at_or_above(segs, &h.segs))
            })
            .collect();
        let (mut above, mut under) = (Vec::new(), Vec::new());
        for h in self.visible(relevant).await {
            if at_or_above(&h.segs, segs) && (h.lock.deep || h.segs == segs) {
                above.push(h.lock.clone());
            }
            if below && at_or_above(segs, &h.segs) {
                under.push(h.lock);
            }
        }
        (above, under)
    }

    /// The visible lock named `token` on `segs` or above it.
    async fn find(&self, segs: &[Vec<u8>], token: &str) -> Option<Held> {
        let live = self.table.live();
        let candidate = live
            .into_iter()
            .filter(|h| h.lock.token == token && at_or_above(&h.segs, segs))
            .collect();
        self.visible(candidate).await.into_iter().next()
    }
}

impl DavLockSystem for View {
    fn lock(
        &'_ self,
        path: &DavPath,
        principal: Option<&str>,
        owner: Option<&Element>,
        _asked: Option<Duration>,
        shared: bool,
        deep: bool,
    ) -> LsFuture<'_, Result<DavLock, DavLock>> {
        let (path, principal, owner) =
            (path.clone(), principal.map(str::to_string), owner.cloned());
        async move {
            let segs = segments(&path);
            let (above, under) = self.bearing_on(&segs, deep).await;
            // Two locks may overlap only when both are shared.
            if let Some(l) = above
                .into_iter()
                .chain(under)
                .find(|l| !(l.shared && shared))
            {
                return Err(l);
            }
            let lock = DavLock {
                token: new_token(),
                path: Box::new(path),
                principal,
                owner: owner.map(Box::new),
                timeout_at: Some(SystemTime::now() + self.lease),
                timeout: Some(self.lease),
                shared,
                deep,
            };
            let held = Held {
                lock: lock.clone(),
                segs,
                expires: Instant::now() + self.lease,
            };
            self.table.change(|all| all.push(held));
            Ok(lock)
        }
        .boxed()
    }

    fn unlock(&'_ self, path: &DavPath, token: &str) -> LsFuture<'_, Result<(), ()>> {
        let (segs, token) = (segments(path), token.to_string());
        async move {
            let found = self.find(&segs, &token).await.ok_or(())?;
            let gone = self.table.change(|all| {
                let before = all.len();
                all.retain(|h| h.lock.token != found.lock.token);
                all.len() < before
            });
            if gone == Some(true) { Ok(()) } else { Err(()) }
        }
        .boxed()
    }

    fn refresh(
        &'_ self,
        path: &DavPath,
        token: &str,
        _asked: Option<Duration>,
    ) -> LsFuture<'_, Result<DavLock, ()>> {
        let (segs, token) = (segments(path), token.to_string());
        async move {
            let found = self.find(&segs, &token).await.ok_or(())?;
            let lease = self.lease;
            self.table
                .change(|all| {
                    let h = all.iter_mut().find(|h| h.lock.token == found.lock.token)?;
                    h.expires = Instant::now() + lease;
                    h.lock.timeout = Some(lease);
                    h.lock.timeout_at = Some(SystemTime::now() + lease);
                    Some(h.lock.clone())
                })
                .flatten()
                .ok_or(())
        }
        .boxed()
    }

    fn check(
        &'_ self,
        path: &DavPath,
        principal: Option<&str>,
        ignore_principal: bool,
        deep: bool,
        submitted_tokens: &[String],
    ) -> LsFuture<'_, Result<(), DavLock>> {
        let (segs, principal, tokens) = (
            segments(path),
            principal.map(str::to_string),
            submitted_tokens.to_vec(),
        );
        async move {
            let holds = |l: &DavLock| {
                tokens.contains(&l.token)
                    && (ignore_principal || principal.as_deref() == l.principal.as_deref())
            };
            let (above, under) = self.bearing_on(&segs, deep).await;
            let mut held = false;
            let mut first_shared = None;
            for l in above {
                if holds(&l) {
                    held = true;
                } else if !l.shared {
                    return Err(l);
                } else {
                    first_shared.get_or_insert(l);
                }
            }
            if let (false, Some(l)) = (held, first_shared) {
                return Err(l);
            }
            match under.into_iter().find(|l| !holds(l)) {
                Some(l) => Err(l),
                None => Ok(()),
            }
        }
        .boxed()
    }

    fn discover(&'_ self, path: &DavPath) -> LsFuture<'_, Vec<DavLock>> {
        let segs = segments(path);
        async move {
            let above = self
                .table
                .live()
                .into_iter()
                .filter(|h| at_or_above(&h.segs, &segs))
                .collect();
            self.visible(above)
                .await
                .into_iter()
                .map(|h| h.lock)
                .collect()
        }
        .boxed()
    }

    fn delete(&'_ self, path: &DavPath) -> LsFuture<'_, Result<(), ()>> {
        let segs = segments(path);
        async move {
            self.table
                .change(|all| all.retain(|h| !at_or_above(&segs, &h.segs)));
            Ok(())
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    fn asked(v: &str) -> Duration {
        let mut h = HeaderMap::new();
        h.insert("timeout", HeaderValue::from_str(v).unwrap());
        requested_lease(&h)
    }

    #[test]
    fn leases_are_what_was_asked_within_bounds() {
        assert_eq!(asked("Second-10"), Duration::from_secs(10));
        assert_eq!(asked("Second-10, Infinite"), Duration::from_secs(10));
        assert_eq!(asked("Second-0"), Duration::from_secs(1));
        assert_eq!(asked("Second-999999"), MAX_LEASE);
        assert_eq!(asked("Second-99999999999999999999999"), MAX_LEASE);
        assert_eq!(asked("Infinite"), DEFAULT_LEASE);
        assert_eq!(asked("Infinite, Second-30"), DEFAULT_LEASE);
        assert_eq!(asked("Second-"), DEFAULT_LEASE);
        assert_eq!(asked("garbage"), DEFAULT_LEASE);
        assert_eq!(requested_lease(&HeaderMap::new()), DEFAULT_LEASE);
    }

    #[test]
    fn tokens_are_uuid_urns() {
        let t = new_token();
        assert!(t.starts_with("urn:uuid:") && t.len() == 45, "{t}");
        assert_ne!(t, new_token());
    }
}
