//! Sign-in throttling, with delays that double after the free failures, up to
//! a ceiling. Three counts: an account from one client address (the pair:
//! an attacker at one address slows down only themself), one address over all
//! accounts (spraying), and an account over all addresses (a distributed
//! guess), whose free failures are many, so that its owner, signing in from
//! elsewhere, is delayed only when a guess spread over many addresses could
//! otherwise go on unhindered. Kept in memory: a restart clears it, which an
//! attacker cannot cause, and no failed attempt writes to disk.

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
    /// One account tried from one address.
    Pair(String, Option<IpAddr>),
    /// One address, whatever the account.
    Address(IpAddr),
    /// One account, from everywhere.
    Account(String),
}

/// How many failures each count forgives before delays start, and the longest delay.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// An account from one address.
    pub pair_free: u32,
    /// One address over all accounts.
    pub address_free: u32,
    /// An account over all addresses, in a row (a success starts it again).
    pub account_free: u32,
    pub max_delay: Duration,
}

pub struct Throttle {
    limits: Limits,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Throttle {
            limits,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, addr: Option<IpAddr>) -> Vec<Key> {
        let account = account.trim().to_lowercase();
        let addr = addr.map(normalize);
        let mut keys = vec![Key::Pair(account.clone(), addr)];
        if let Some(ip) = addr {
            keys.push(Key::Address(ip));
        }
        keys.push(Key::Account(account));
        keys
    }

    fn free(&self, key: &Key) -> u32 {
        match key {
            Key::Pair(..) => self.limits.pair_free,
            Key::Address(_) => self.limits.address_free,
            Key::Account(_) => self.limits.account_free,
        }
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
            let free = self.free(&key);
            let e = entries.entry(key).or_insert(Entry {
                failures: 0,
                blocked_until: None,
                last: now,
            });
            e.failures = e.failures.saturating_add(1);
            e.last = now;
            if e.failures > free {
                let exp = (e.failures - free - 1).min(20);
                let delay = Duration::from_secs(1u64 << exp).min(self.limits.max_delay);
                e.blocked_until = Some(now + delay);
                longest = longest.max(Some(delay));
            }
        }
        longest
    }

    /// A success clears the account's counts (from this address and from
    /// everywhere) and forgives the address one failure.
    pub fn succeed(&self, account: &str, addr: Option<IpAddr>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        for key in Self::keys(account, addr) {
            match key {
                Key::Address(_) => {
                    if let Some(e) = entries.get_mut(&key) {
                        e.failures = e.failures.saturating_sub(1);
                    }
                }
                Key::Pair(..) | Key::Account(_) => {
                    entries.remove(&key);
                }
            }
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

    fn throttle(pair: u32, address: u32, account: u32, max: u64) -> Throttle {
        Throttle::new(Limits {
            pair_free: pair,
            address_free: address,
            account_free: account,
            max_delay: Duration::from_secs(max),
        })
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn delays_start_after_free_failures_and_grow() {
        let t = throttle(3, 100, 50, 60);
        let from = ip("192.0.2.1");
        for _ in 0..3 {
            assert_eq!(t.fail("a@b.c", from), None);
        }
        assert_eq!(t.fail("a@b.c", from), Some(Duration::from_secs(1)));
        assert_eq!(t.fail("A@B.C", from), Some(Duration::from_secs(2)));
        assert_eq!(t.fail("a@b.c", from), Some(Duration::from_secs(4)));
        assert!(t.wait("a@b.c", from).is_some());
        assert!(t.wait("other@b.c", ip("192.0.2.9")).is_none());
        t.succeed("a@b.c", from);
        assert!(t.wait("a@b.c", from).is_none());
    }

    #[test]
    fn an_account_hammered_from_one_address_stays_open_from_others() {
        let t = throttle(3, 100, 50, 900);
        let attacker = ip("198.51.100.7");
        for _ in 0..10 {
            t.fail("owner@b.c", attacker);
        }
        assert!(t.wait("owner@b.c", attacker).is_some());
        assert_eq!(t.wait("owner@b.c", ip("203.0.113.5")), None);
        // The owner's success does not lift the attacker's own delay.
        t.succeed("owner@b.c", ip("203.0.113.5"));
        assert!(t.wait("owner@b.c", attacker).is_some());
    }

    #[test]
    fn failures_from_many_addresses_delay_the_account_for_everyone() {
        let t = throttle(3, 100, 50, 8);
        for i in 0..50 {
            let from = ip(&format!("198.51.100.{i}"));
            assert_eq!(t.fail("owner@b.c", from), None, "failure {i}");
        }
        assert_eq!(t.wait("owner@b.c", ip("203.0.113.5")), None);
        // Beyond the cap, every address waits, with doubling delays up to the ceiling.
        assert_eq!(
            t.fail("owner@b.c", ip("198.51.100.200")),
            Some(Duration::from_secs(1))
        );
        assert!(t.wait("owner@b.c", ip("203.0.113.5")).is_some());
        let mut last = Duration::ZERO;
        for i in 0..10 {
            last = t
                .fail("owner@b.c", ip(&format!("198.51.101.{i}")))
                .unwrap_or_default();
        }
        assert_eq!(last, Duration::from_secs(8));
        // Other accounts are untouched; a success starts the count again.
        assert_eq!(t.wait("other@b.c", ip("203.0.113.5")), None);
        t.succeed("owner@b.c", ip("203.0.113.5"));
        assert_eq!(t.wait("owner@b.c", ip("203.0.113.6")), None);
        assert_eq!(t.fail("owner@b.c", ip("203.0.113.6")), None);
    }

    #[test]
    fn delay_is_capped() {
        let t = throttle(0, 100, 100, 5);
        for _ in 0..40 {
            t.fail("x@y.z", None);
        }
        assert!(t.wait("x@y.z", None).unwrap() <= Duration::from_secs(5));
    }

    #[test]
    fn addresses_are_throttled_across_accounts() {
        let t = throttle(100, 2, 100, 60);
        let ip6 = ip("2001:db8::1");
        t.fail("a@b.c", ip6);
        t.fail("b@b.c", ip6);
        assert!(t.fail("c@b.c", ip6).is_some());
        // Same /64, another address.
        assert!(t.wait("d@b.c", ip("2001:db8::2")).is_some());
    }
}
