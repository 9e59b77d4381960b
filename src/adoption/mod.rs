//! Adoption figures for administrators: who comes back, where, and whether
//! they find what they look for — as aggregates only.
//!
//! Requests note what happened in memory (`Recorder`); a loop writes the
//! notes every few seconds in one transaction (`run`), so a page view or a
//! search never waits on a write. The figures are statistics, not
//! acknowledged writes: a `kill -9` loses at most the last interval's. A
//! write that fails keeps its notes for the next (bounded), and is kept
//! for `parvis check` (`last_flushes`).
//!
//! Only the foundation is imported here: every layer above may record.

pub mod figures;
mod people;
mod store;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

pub use store::{days_before, last_flushes};

/// How often the notes are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);
/// Who was active, and what was searched for in vain, is kept this many
/// days (twelve weeks and a margin), then dropped.
pub const KEEP_PEOPLE_DAYS: i64 = 92;
/// Counters that name nobody are kept two years.
pub const KEEP_COUNTS_DAYS: i64 = 731;
/// Notes held while writes fail; beyond, new ones are dropped (and said).
const MAX_PENDING: usize = 200_000;
/// A query longer than this is not kept as a missed search.
const MAX_QUERY_CHARS: usize = 100;

/// What a counter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Search,
    SearchMiss,
    Upload,
    Download,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Search => "search",
            Metric::SearchMiss => "search_miss",
            Metric::Upload => "upload",
            Metric::Download => "download",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Presence {
    day: String,
    portal: i64,
    person: i64,
    org: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CountKey {
    day: String,
    metric: Metric,
    org: i64,
    space: i64,
}

#[derive(Debug, Default)]
struct Notes {
    presence: HashSet<Presence>,
    spaces: HashSet<(String, i64, i64)>,
    counts: HashMap<CountKey, (i64, i64)>,
    misses: HashMap<(String, i64, String), i64>,
}

impl Notes {
    fn len(&self) -> usize {
        self.presence.len() + self.spaces.len() + self.counts.len() + self.misses.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts back notes a failed write took, under the bound.
    fn merge(&mut self, other: Notes) {
        let mut room = MAX_PENDING.saturating_sub(self.len());
        for p in other.presence {
            if room > 0 && self.presence.insert(p) {
                room -= 1;
            }
        }
        for s in other.spaces {
            if room > 0 && self.spaces.insert(s) {
                room -= 1;
            }
        }
        for (k, (n, b)) in other.counts {
            if let Some(c) = self.counts.get_mut(&k) {
                c.0 += n;
                c.1 += b;
            } else if room > 0 {
                self.counts.insert(k, (n, b));
                room -= 1;
            }
        }
        for (k, n) in other.misses {
            if let Some(c) = self.misses.get_mut(&k) {
                *c += n;
            } else if room > 0 {
                self.misses.insert(k, n);
                room -= 1;
            }
        }
    }
}

#[derive(Debug, Default)]
struct State {
    /// Today in the instance's calendar, and the instant it ends.
    day: String,
    day_ends: i64,
    /// Presence already noted today (written or not): a person's second
    /// page of the day costs a set lookup.
    seen: HashSet<(i64, i64)>,
    seen_spaces: HashSet<(i64, i64)>,
    notes: Notes,
    dropped: u64,
}

/// The notes of this process, shared by every request.
pub struct Recorder {
    tz: jiff::tz::TimeZone,
    state: Mutex<State>,
}

impl Recorder {
    pub fn new(tz: jiff::tz::TimeZone) -> Recorder {
        Recorder {
            tz,
            state: Mutex::new(State::default()),
        }
    }

    /// Runs `f` on the notes with today's date set (a new day forgets whom
    /// it saw). A poisoned lock loses a figure, never a request.
    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> Option<R> {
        let now = crate::util::now_ms();
        let mut s = self.state.lock().ok()?;
        if now >= s.day_ends {
            let (day, ends) = day_of(&self.tz, now);
            s.day = day;
            s.day_ends = ends;
            s.seen.clear();
            s.seen_spaces.clear();
        }
        if s.notes.len() >= MAX_PENDING {
            s.dropped += 1;
            return None;
        }
        Some(f(&mut s))
    }

    /// A signed-in person was active on a portal.
    pub fn active(&self, person: i64, org: i64, portal: i64) {
        self.with(|s| {
            if s.seen.insert((portal, person)) {
                let day = s.day.clone();
                s.notes.presence.insert(Presence {
                    day,
                    portal,
                    person,
                    org,
                });
            }
        });
    }

    /// A person opened something of a space they may read.
    pub fn in_space(&self, person: i64, space: i64) {
        self.with(|s| {
            if s.seen_spaces.insert((space, person)) {
                let day = s.day.clone();
                s.notes.spaces.insert((day, space, person));
            }
        });
    }

    /// One upload or download of `bytes` in a space, by a member of `org`;
    /// it also counts as the person's use of the space.
    pub fn transfer(&self, metric: Metric, person: i64, org: i64, space: i64, bytes: u64) {
        self.count(metric, org, space, bytes);
        self.in_space(person, space);
    }

    fn count(&self, metric: Metric, org: i64, space: i64, bytes: u64) {
        self.with(|s| {
            let key = CountKey {
                day: s.day.clone(),
                metric,
                org,
                space,
            };
            let c = s.notes.counts.entry(key).or_insert((0, 0));
            c.0 += 1;
            c.1 += i64::try_from(bytes).unwrap_or(i64::MAX);
        });
    }

    /// A search by a member of `org` on `portal`, and whether it found
    /// anything; what was searched for in vain is kept (folded).
    pub fn searched(&self, org: i64, portal: i64, query: &str, found: bool) {
        self.count(Metric::Search, org, 0, 0);
        if found {
            return;
        }
        self.count(Metric::SearchMiss, org, 0, 0);
        let folded = fold(query);
        if folded.is_empty() || folded.chars().count() > MAX_QUERY_CHARS {
            return;
        }
        self.with(|s| {
            let day = s.day.clone();
            *s.notes.misses.entry((day, portal, folded)).or_insert(0) += 1;
        });
    }

    /// Writes the notes taken so far in one transaction. On failure they
    /// are kept for the next write, and the failure is noted for
    /// `parvis check` (when the database takes that much).
    pub async fn flush(&self, db: &crate::db::Db) -> Result<usize, crate::db::DbError> {
        let (notes, dropped) = match self.state.lock() {
            Ok(mut s) => (std::mem::take(&mut s.notes), std::mem::take(&mut s.dropped)),
            Err(_) => return Ok(0),
        };
        if dropped > 0 {
            tracing::warn!(
                dropped,
                "adoption figures were dropped while they could not be written"
            );
        }
        if notes.is_empty() {
            return Ok(0);
        }
        let notes = std::sync::Arc::new(notes);
        let written = {
            let notes = notes.clone();
            db.write(move |tx| store::write(tx, &notes, crate::util::now_ms()))
                .await
        };
        match written {
            Ok(n) => Ok(n),
            Err(e) => {
                let message = e.to_string();
                let _ = db
                    .write(move |tx| store::note_failure(tx, &message, crate::util::now_ms()))
                    .await;
                let notes = std::sync::Arc::try_unwrap(notes).unwrap_or_default();
                if let Ok(mut s) = self.state.lock() {
                    s.notes.merge(notes);
                }
                Err(e)
            }
        }
    }
}

/// Today in the instance's calendar ('YYYY-MM-DD').
pub fn today(tz: &jiff::tz::TimeZone) -> String {
    day_of(tz, crate::util::now_ms()).0
}

/// The calendar day of `ms` in `tz` ('YYYY-MM-DD') and the instant it ends.
fn day_of(tz: &jiff::tz::TimeZone, ms: i64) -> (String, i64) {
    let Ok(at) = jiff::Timestamp::from_millisecond(ms) else {
        return ("1970-01-01".into(), i64::MAX);
    };
    let date = at.to_zoned(tz.clone()).date();
    let ends = date
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(tz.clone()).ok())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(ms + 60_000);
    (date.to_string(), ends)
}

/// A query as it is counted: lower case, spaces folded, trimmed.
fn fold(query: &str) -> String {
    query
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Writes the notes every `FLUSH_EVERY`, and drops what is kept past its
/// time once a day (at the first write of the process, then daily).
pub async fn run(recorder: std::sync::Arc<Recorder>, db: crate::db::Db) {
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut pruned_at = 0_i64;
    loop {
        tick.tick().await;
        if let Err(e) = recorder.flush(&db).await {
            tracing::warn!(error = %e, "adoption figures could not be written; trying again");
            continue;
        }
        let now = crate::util::now_ms();
        if now - pruned_at > 24 * 3600 * 1000 {
            let today = day_of(&recorder.tz, now).0;
            match db.write(move |tx| store::prune(tx, &today)).await {
                Ok(n) => {
                    pruned_at = now;
                    if n > 0 {
                        tracing::info!(rows = n, "old adoption figures dropped");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "old adoption figures could not be dropped"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_ends_at_local_midnight() {
        let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        // 2026-12-05 23:30 in Paris is 22:30 UTC.
        let ms = jiff::Timestamp::from_second(1_796_509_800).unwrap();
        let (day, ends) = day_of(&tz, ms.as_millisecond());
        assert_eq!(day, ms.to_zoned(tz.clone()).date().to_string());
        let next = day_of(&tz, ends).0;
        assert_ne!(day, next);
        assert_eq!(day_of(&tz, ends - 1).0, day);
    }

    #[test]
    fn queries_are_folded() {
        assert_eq!(fold("  Torque   SPEC "), "torque spec");
        assert_eq!(fold(" \t "), "");
    }

    #[test]
    fn presence_is_noted_once_a_day_and_notes_are_bounded() {
        let r = Recorder::new(jiff::tz::TimeZone::UTC);
        r.active(1, 1, 1);
        r.active(1, 1, 1);
        r.active(1, 1, 2);
        r.in_space(1, 7);
        r.in_space(1, 7);
        r.searched(1, 1, "Nothing", false);
        r.searched(1, 1, "nothing ", false);
        r.searched(1, 1, "found", true);
        let s = r.state.lock().unwrap();
        assert_eq!(s.notes.presence.len(), 2);
        assert_eq!(s.notes.spaces.len(), 1);
        let searches: i64 = s
            .notes
            .counts
            .iter()
            .filter(|(k, _)| k.metric == Metric::Search)
            .map(|(_, c)| c.0)
            .sum();
        assert_eq!(searches, 3);
        assert_eq!(s.notes.misses.values().sum::<i64>(), 2);
        drop(s);

        let mut full = Notes::default();
        for i in 0..MAX_PENDING as i64 + 10 {
            full.spaces.insert((String::new(), i, i));
        }
        let mut kept = Notes::default();
        kept.merge(full);
        assert_eq!(kept.len(), MAX_PENDING);
    }
}
