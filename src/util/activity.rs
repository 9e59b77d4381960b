//! When the server last answered a request, and whether one is in flight:
//! what tells an idle server (which gives memory back) from a busy one.

use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};

#[derive(Debug, Default)]
pub struct Activity {
    in_flight: AtomicUsize,
    /// Milliseconds since the epoch at the last request's end (or start).
    last_ms: AtomicI64,
    /// Times memory was given back, for tests and the log.
    releases: AtomicU64,
}

/// Counts a request as in flight until dropped (also when the request's
/// future is cancelled).
pub struct InFlight<'a>(&'a Activity);

impl Activity {
    pub fn begin(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        self.last_ms.store(super::now_ms(), Ordering::SeqCst);
        InFlight(self)
    }

    /// Milliseconds since the last request ended, or `None` while one is in flight.
    pub fn idle_ms(&self, now_ms: i64) -> Option<i64> {
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            return None;
        }
        Some(now_ms - self.last_ms.load(Ordering::SeqCst))
    }

    /// The last request's mark, to tell whether a release already followed it.
    pub fn last_ms(&self) -> i64 {
        self.last_ms.load(Ordering::SeqCst)
    }

    pub fn released(&self) {
        self.releases.fetch_add(1, Ordering::SeqCst);
    }

    pub fn releases(&self) -> u64 {
        self.releases.load(Ordering::SeqCst)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.last_ms.store(super::now_ms(), Ordering::SeqCst);
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_until_the_last_request_ends() {
        let a = Activity::default();
        let now = crate::util::now_ms();
        assert!(a.idle_ms(now).is_some());
        let one = a.begin();
        let two = a.begin();
        assert_eq!(a.idle_ms(now), None);
        drop(one);
        assert_eq!(a.idle_ms(now), None);
        drop(two);
        let idle = a.idle_ms(crate::util::now_ms() + 1000);
        assert!(
            idle.is_some_and(|ms| (1000..2000).contains(&ms)),
            "{idle:?}"
        );
    }
}
