//! Sign-in throttling per account and per client address, with delays that
//! double after the free failures, up to a ceiling. Kept in memory: a restart
//! clears it, which an attacker cannot cause, and no failed attempt writes to disk.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries untouched this long are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Above this many entries, the oldest are forgotten first.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    blocked_until: Option<Instant>,
    last: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

pub struct Throttle {
    account_free: u32,
    address_free: u32,
    max_delay: Duration,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Throttle {
    pub fn new(account_free: u32, address_free: u32, max_delay: Duration) -> Self {
        Throttle {
            account_free,
            address_free,
            max_delay,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, addr: Option<IpAddr>) -> Vec<Key> {
        let mut keys = vec![Key::Account(account.trim().to_lowercase())];
        if let Some(ip) = addr {
            keys.push(Key::Address(normalize(ip)));
        }
        keys
    }

    /// How long the caller must still wait before trying this account from this address.
    pub fn wait(&self, account: &str, addr: Option<IpAddr>) -> Option<Duration> {
        let now = Instant::now();
        let entries = self.entries.lock().ok()?;
        Self::keys(account, addr)
            .iter()
            .filter_map(|k| entries.get(k)?.blocked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    /// Records a failure; returns the wait now imposed, if any.
    pub fn fail(&self, account: &str, addr: Option<IpAddr>) -> Option<Duration> {
        let now = Instant::now();
        let Ok(mut entries) = self.entries.lock() else {
            return None;
        };
        if entries.len() >= MAX_ENTRIES {
            prune(&mut entries, now);
        }
        let mut longest = None;
        for key in Self::keys(account, addr) {
            let free = match key {
                Key::Account(_) => self.account_free,
                Key::Address(_) => self.address_free,
            };
            let e = entries.entry(key).or_insert(Entry {
                failures: 0,
                blocked_until: None,
                last: now,
            });
            e.failures = e.failures.saturating_add(1);
            e.last = now;
            if e.failures > free {
                let exp = (e.failures - free - 1).min(20);
                let delay = Duration::from_secs(1u64 << exp).min(self.max_delay);
                e.blocked_until = Some(now + delay);
                longest = longest.max(Some(delay));
            }
        }
        longest
    }

    /// A successful sign-in clears the account's count and forgives the address one failure.
    pub fn succeed(&self, account: &str, addr: Option<IpAddr>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        entries.remove(&Key::Account(account.trim().to_lowercase()));
        if let Some(ip) = addr
            && let Some(e) = entries.get_mut(&Key::Address(normalize(ip)))
        {
            e.failures = e.failures.saturating_sub(1);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets stale entries; called periodically.
    pub fn prune(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            prune(&mut entries, Instant::now());
        }
    }
}

fn prune(entries: &mut HashMap<Key, Entry>, now: Instant) {
    entries.retain(|_, e| now.duration_since(e.last) < FORGET_AFTER);
    if entries.len() >= MAX_ENTRIES {
        let mut ages: Vec<Instant> = entries.values().map(|e| e.last).collect();
        ages.sort();
        let cutoff = ages[ages.len() / 2];
        entries.retain(|_, e| e.last > cutoff);
    }
}

/// IPv6 clients are throttled per /64, since one host usually holds a whole /64.
fn normalize(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let mut seg = v6.segments();
            for s in seg.iter_mut().skip(4) {
                *s = 0;
            }
            IpAddr::V6(seg.into())
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_free_failures_and_grow() {
        let t = Throttle::new(3, 100, Duration::from_secs(60));
        let ip = Some("192.0.2.1".parse().unwrap());
        for _ in 0..3 {
            assert_eq!(t.fail("a@b.c", ip), None);
        }
        assert_eq!(t.fail("a@b.c", ip), Some(Duration::from_secs(1)));
        assert_eq!(t.fail("A@B.C", ip), Some(Duration::from_secs(2)));
        assert_eq!(t.fail("a@b.c", ip), Some(Duration::from_secs(4)));
        assert!(t.wait("a@b.c", None).is_some());
        assert!(
            t.wait("other@b.c", Some("192.0.2.9".parse().unwrap()))
                .is_none()
        );
        t.succeed("a@b.c", ip);
        assert!(t.wait("a@b.c", ip).is_none());
    }

    #[test]
    fn delay_is_capped() {
        let t = Throttle::new(0, 100, Duration::from_secs(5));
        for _ in 0..40 {
            t.fail("x@y.z", None);
        }
        assert!(t.wait("x@y.z", None).unwrap() <= Duration::from_secs(5));
    }

    #[test]
    fn addresses_are_throttled_across_accounts() {
        let t = Throttle::new(100, 2, Duration::from_secs(60));
        let ip = Some("2001:db8::1".parse().unwrap());
        t.fail("a@b.c", ip);
        t.fail("b@b.c", ip);
        assert!(t.fail("c@b.c", ip).is_some());
        // Same /64, another address.
        assert!(
            t.wait("d@b.c", Some("2001:db8::2".parse().unwrap()))
                .is_some()
        );
    }
}
