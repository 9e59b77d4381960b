//! The live channel: `GET /events`, one Server-Sent Events stream per
//! browser tab or API client, telling of the committed changes its person
//! may see — asked of the item's kind (`content::Seen`) for each person at
//! each change, never filtered in the browser. A stream says what changed
//! (an action, a kind, an id, its space), never the content: the page asks
//! for that with its own access.
//!
//! The hub holds the open streams and the recent changes; the dispatcher
//! (`dispatch::run`) feeds it from the database's bus and closes the
//! streams of people who signed out, were disabled or whose access ended.

pub mod dispatch;
mod log;
pub mod web;

use crate::access::Principal;
pub use log::Since;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::mpsc;

/// One change, as a stream tells it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    /// The audit entry's id: the stream's event id, increasing.
    #[serde(skip)]
    pub id: i64,
    pub action: String,
    pub kind: &'static str,
    #[serde(rename = "id")]
    pub item: i64,
    /// The space the item is in, if it is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub space: Option<i64>,
    /// Who made it: each stream is told only whether it was its own person.
    #[serde(skip)]
    pub actor: Option<i64>,
}

/// What a stream is sent.
#[derive(Debug, Clone)]
pub enum Out {
    Change(Arc<Change>),
    /// Changes were lost: the client must load the page again.
    Reload,
    /// The person's unread notifications, counted again.
    Unread(i64),
}

/// How a stream's caller proved who they are, checked again while it lasts.
pub use crate::auth::Credential;

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// This person holds as many as they may.
    PersonFull,
    /// The server holds as many as it may.
    Full,
}

/// Changes queued for one stream; a client that does not read them is
/// dropped when they are full (it reconnects and replays from the log).
const QUEUE: usize = 64;

struct Stream {
    principal: Principal,
    credential: Credential,
    /// When its credential ends if nothing changes (ms).
    until: i64,
    tx: mpsc::Sender<Out>,
}

#[derive(Default)]
struct Streams {
    next: u64,
    all: HashMap<u64, Stream>,
    per_person: HashMap<i64, usize>,
}

impl Streams {
    fn remove(&mut self, id: u64) {
        if let Some(s) = self.all.remove(&id) {
            let person = s.principal.person_id;
            if let Some(n) = self.per_person.get_mut(&person) {
                *n -= 1;
                if *n == 0 {
                    self.per_person.remove(&person);
                }
            }
        }
    }
}

pub struct Hub {
    streams: Mutex<Streams>,
    log: Mutex<log::Log>,
    max: usize,
    max_per_person: usize,
}

/// A stream's place in the hub: dropped with the response (the client went
/// away), it frees the place.
pub struct Subscription {
    hub: Arc<Hub>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.streams().remove(self.id);
    }
}

impl Hub {
    pub fn new(config: &crate::config::LiveConfig) -> Hub {
        Hub {
            streams: Mutex::new(Streams::default()),
            // A busy instance's ten minutes, at most.
            log: Mutex::new(log::Log::new(config.replay, 100_000)),
            max: config.max_streams,
            max_per_person: config.max_streams_per_person,
        }
    }

    // A panic while holding a lock leaves consistent data here (each change
    // is one insert or removal), so a poisoned lock is used as it is.
    fn streams(&self) -> MutexGuard<'_, Streams> {
        self.streams.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn log(&self) -> MutexGuard<'_, log::Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Opens a stream for `principal`, within the limits.
    pub fn open(
        self: &Arc<Self>,
        principal: Principal,
        credential: Credential,
        until: i64,
    ) -> Result<(Subscription, mpsc::Receiver<Out>), Refused> {
        let mut s = self.streams();
        if s.all.len() >= self.max {
            return Err(Refused::Full);
        }
        let mine = s.per_person.get(&principal.person_id).copied().unwrap_or(0);
        if mine >= self.max_per_person {
            return Err(Refused::PersonFull);
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        s.next += 1;
        let id = s.next;
        s.all.insert(
            id,
            Stream {
                principal,
                credential,
                until,
                tx,
            },
        );
        *s.per_person.entry(principal.person_id).or_default() += 1;
        let sub = Subscription {
            hub: self.clone(),
            id,
        };
        Ok((sub, rx))
    }

    /// Ends every stream (the server is stopping: their clients reconnect
    /// elsewhere or later, and the connections may close at once).
    pub fn close_all(&self) {
        let mut s = self.streams();
        s.all.clear();
        s.per_person.clear();
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        self.streams().all.len()
    }

    /// What a client that saw `last` (or nothing) is sent first, and the
    /// newest change's id (its position from then on).
    pub fn since(&self, last: Option<i64>) -> (Since, i64) {
        let log = self.log();
        let since = match last {
            Some(last) => log.since(last),
            None => Since::Changes(Vec::new()),
        };
        (since, log.latest())
    }

    fn recipients(&self) -> Vec<(u64, Principal)> {
        self.streams()
            .all
            .iter()
            .map(|(id, s)| (*id, s.principal))
            .collect()
    }

    /// Sends `out` to the streams `to` names; a stream too slow to take it
    /// is closed (its client reconnects and replays what it missed).
    fn send(&self, to: impl Fn(&Principal) -> bool, out: &Out) {
        let mut s = self.streams();
        let slow: Vec<u64> = s
            .all
            .iter()
            .filter(|(_, st)| to(&st.principal))
            .filter(|(_, st)| st.tx.try_send(out.clone()).is_err())
            .map(|(id, _)| *id)
            .collect();
        for id in slow {
            s.remove(id);
        }
    }

    /// Sends `out` to one person's streams.
    pub fn send_to(&self, person: i64, out: &Out) {
        self.send(|p| p.person_id == person, out);
    }

    fn push(&self, change: Arc<Change>) {
        self.log().push(change, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OrgKind;

    fn principal(person_id: i64) -> Principal {
        Principal {
            person_id,
            org_id: 1,
            org_kind: OrgKind::Host,
            internal: true,
            admin: false,
        }
    }

    fn hub(max: usize, per_person: usize) -> Arc<Hub> {
        let mut config = crate::config::Config::default().live;
        config.max_streams = max;
        config.max_streams_per_person = per_person;
        Arc::new(Hub::new(&config))
    }

    #[test]
    fn a_client_that_does_not_read_is_dropped_and_its_place_freed() {
        let hub = hub(10, 2);
        let (_sub, mut rx) = hub
            .open(principal(1), Credential::Session(1), i64::MAX)
            .unwrap();
        let (_idle, _never_read) = hub
            .open(principal(2), Credential::Session(2), i64::MAX)
            .unwrap();
        for _ in 0..QUEUE + 5 {
            hub.send(|_| true, &Out::Reload);
            // The first reads as it goes.
            assert!(rx.try_recv().is_ok());
        }
        // The one that never read was dropped when its queue filled; the other stays.
        assert_eq!(hub.open_streams(), 1);
        assert!(
            hub.open(principal(2), Credential::Session(3), i64::MAX)
                .is_ok()
        );
    }

    #[test]
    fn limits_per_person_and_in_all_free_up_when_a_stream_ends() {
        let hub = hub(3, 2);
        let a = hub
            .open(principal(1), Credential::Session(1), i64::MAX)
            .unwrap();
        let _b = hub
            .open(principal(1), Credential::Session(1), i64::MAX)
            .unwrap();
        assert_eq!(
            hub.open(principal(1), Credential::Session(1), i64::MAX)
                .err(),
            Some(Refused::PersonFull)
        );
        let _c = hub
            .open(principal(2), Credential::Token(9), i64::MAX)
            .unwrap();
        assert_eq!(
            hub.open(principal(3), Credential::Session(4), i64::MAX)
                .err(),
            Some(Refused::Full)
        );
        drop(a);
        assert_eq!(hub.open_streams(), 2);
        assert!(
            hub.open(principal(1), Credential::Session(1), i64::MAX)
                .is_ok()
        );
    }
}
