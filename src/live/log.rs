//! What the streams were sent lately, so that a client that reconnects
//! (`Last-Event-ID`) gets what it missed, or is told to reload when it was
//! away longer than the log remembers.

use super::Change;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Log {
    items: VecDeque<(Instant, Arc<Change>)>,
    /// Every change with a greater id is in `items` (if anyone may be told of it).
    covered_after: i64,
    /// The newest change seen, told of or not.
    latest: i64,
    keep: Duration,
    max: usize,
}

/// What a client that reconnects is sent first.
#[derive(Debug, PartialEq)]
pub enum Since {
    /// The changes after the one it saw last (to filter by who may see them).
    Changes(Vec<Arc<Change>>),
    /// It was away longer than the log remembers: it must reload.
    Gap,
}

impl Log {
    pub fn new(keep: Duration, max: usize) -> Log {
        Log {
            items: VecDeque::new(),
            covered_after: 0,
            latest: 0,
            keep,
            max: max.max(1),
        }
    }

    /// Starts after `latest`: what came before is not remembered.
    pub fn start_after(&mut self, latest: i64) {
        self.items.clear();
        self.covered_after = latest;
        self.latest = latest;
    }

    /// A change was committed that nobody is told of live: only the position moves.
    pub fn saw(&mut self, id: i64) {
        self.latest = self.latest.max(id);
    }

    /// Keeps a change told of live, forgetting the oldest beyond the bounds.
    pub fn push(&mut self, change: Arc<Change>, now: Instant) {
        self.saw(change.id);
        self.items.push_back((now, change));
        while let Some((at, oldest)) = self.items.front() {
            let stale = now.saturating_duration_since(*at) > self.keep;
            if !stale && self.items.len() <= self.max {
                break;
            }
            self.covered_after = oldest.id;
            self.items.pop_front();
        }
    }

    /// Changes were lost before `id` (the bus ran ahead of us): nothing
    /// before it can be replayed any more.
    pub fn lost_before(&mut self, id: i64) {
        self.items.retain(|(_, c)| c.id >= id);
        self.covered_after = self.covered_after.max(id - 1);
    }

    pub fn latest(&self) -> i64 {
        self.latest
    }

    /// What a client that saw `last` missed.
    pub fn since(&self, last: i64) -> Since {
        if last < self.covered_after {
            return Since::Gap;
        }
        Since::Changes(
            self.items
                .iter()
                .filter(|(_, c)| c.id > last)
                .map(|(_, c)| c.clone())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(id: i64) -> Arc<Change> {
        Arc::new(Change {
            id,
            action: "document.rename".into(),
            kind: "document",
            item: 1,
            space: None,
            actor: None,
        })
    }

    fn ids(s: Since) -> Option<Vec<i64>> {
        match s {
            Since::Changes(c) => Some(c.iter().map(|c| c.id).collect()),
            Since::Gap => None,
        }
    }

    #[test]
    fn a_client_gets_what_it_missed_or_is_told_to_reload() {
        let t0 = Instant::now();
        let mut log = Log::new(Duration::from_secs(600), 3);
        log.start_after(10);
        assert_eq!(ids(log.since(10)), Some(vec![]));
        // A client from before the server started cannot know what it missed.
        assert_eq!(ids(log.since(9)), None);
        log.push(change(12), t0);
        log.saw(13);
        log.push(change(14), t0);
        assert_eq!(log.latest(), 14);
        assert_eq!(ids(log.since(10)), Some(vec![12, 14]));
        assert_eq!(ids(log.since(12)), Some(vec![14]));
        assert_eq!(ids(log.since(14)), Some(vec![]));
        // Bounded by count: the oldest goes, and those who saw less reload.
        log.push(change(15), t0);
        log.push(change(16), t0);
        assert_eq!(ids(log.since(12)), Some(vec![14, 15, 16]));
        assert_eq!(ids(log.since(11)), None);
        // Bounded by age.
        log.push(change(17), t0 + Duration::from_secs(601));
        assert_eq!(ids(log.since(16)), Some(vec![17]));
        assert_eq!(ids(log.since(15)), None);
        // Lost changes: nothing from before can be replayed.
        log.lost_before(30);
        log.push(change(30), t0 + Duration::from_secs(602));
        assert_eq!(ids(log.since(17)), None);
        assert_eq!(ids(log.since(29)), Some(vec![30]));
    }
}
