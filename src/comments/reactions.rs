//! Reactions: a small fixed set, one of each per person and item, on items
//! of the kinds that take them, by whoever sees the item. A person adds at
//! most `REACTIONS_PER_MINUTE` in a minute of the clock (counted in this
//! process, taken back or not); nobody is notified of them.

use super::model::{Count, On, REACTIONS_PER_MINUTE, Reaction};
use super::store;
use crate::access::Actor;
use crate::access::comments::{Sees, require_item};
use crate::content::{ContentKind, find};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::talk::me;
use crate::util::now_ms;
use std::collections::HashMap;

type Kinds = &'static [&'static ContentKind];

/// Reactions each person added in the current minute, whether they stay
/// or are taken back: toggling counts too. One per instance, in memory.
#[derive(Default)]
pub struct Added(std::sync::Mutex<Option<(i64, HashMap<i64, i64>)>>);

impl Added {
    /// Counts one addition by `person` at `now` (ms); whether it is within
    /// the minute's allowance.
    fn allow(&self, person: i64, now: i64) -> bool {
        let minute = now.div_euclid(60_000);
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (current, counts) = guard.get_or_insert_with(|| (minute, HashMap::new()));
        if *current != minute {
            *current = minute;
            counts.clear();
        }
        let n = counts.entry(person).or_insert(0);
        *n += 1;
        *n <= REACTIONS_PER_MINUTE
    }
}

fn sees(kinds: Kinds, kind: &str) -> Result<Sees> {
    find(kinds, kind)
        .filter(|k| k.talk.reactions)
        .map(|k| k.talk_readers())
        .ok_or(Error::NotFound)
}

/// The reactions on `on`, as the reader sees them.
pub async fn of(db: &Db, kinds: Kinds, actor: &Actor, on: On) -> Result<Vec<Count>> {
    let sees = sees(kinds, &on.kind)?;
    let actor = *actor;
    db.read(move |c| {
        require_item(c, &actor, sees, on.id)?;
        let me = me(&actor).ok_or(Error::Unauthorized)?;
        Ok(store::reactions(c, &on.kind, &[on.id], me)?
            .remove(&on.id)
            .unwrap_or_default())
    })
    .await
}

/// The reactions on items of one kind that the reader sees, for a page
/// that shows several (a topic's replies); the others are left out.
pub async fn of_many(
    db: &Db,
    kinds: Kinds,
    actor: &Actor,
    kind: &'static str,
    ids: Vec<i64>,
) -> Result<HashMap<i64, Vec<Count>>> {
    let sees = sees(kinds, kind)?;
    let actor = *actor;
    db.read(move |c| {
        let me = me(&actor).ok_or(Error::Unauthorized)?;
        let mut seen = Vec::with_capacity(ids.len());
        for id in ids {
            if crate::access::allows(require_item(c, &actor, sees, id))? {
                seen.push(id);
            }
        }
        Ok(store::reactions(c, kind, &seen, me)?)
    })
    .await
}

/// Adds (`present`) or removes the actor's `reaction` on `on`; the
/// reactions after.
pub async fn set(
    db: &Db,
    kinds: Kinds,
    added: &std::sync::Arc<Added>,
    actor: &Actor,
    on: On,
    reaction: Reaction,
    present: bool,
) -> Result<Vec<Count>> {
    let sees = sees(kinds, &on.kind)?;
    let actor = *actor;
    let added = added.clone();
    db.write(move |tx| {
        require_item(tx, &actor, sees, on.id)?;
        let me = me(&actor).ok_or(Error::Unauthorized)?;
        let now = now_ms();
        if present && !added.allow(me, now) {
            return Err(Error::TooMany {
                retry_after: std::time::Duration::from_secs(60),
            });
        }
        store::set_reaction(tx, &on.kind, on.id, me, reaction, present, now)?;
        Ok(store::reactions(tx, &on.kind, &[on.id], me)?
            .remove(&on.id)
            .unwrap_or_default())
    })
    .await
}

/// The page showing `on` (a comment: its place on its item's page).
pub async fn page_of(db: &Db, kinds: Kinds, actor: &Actor, on: On) -> Result<String> {
    let sees = sees(kinds, &on.kind)?;
    let kind = find(kinds, &on.kind).ok_or(Error::NotFound)?;
    let actor = *actor;
    db.read(move |c| {
        require_item(c, &actor, sees, on.id)?;
        let entry = kind
            .search
            .map(|s| (s.load)(c, on.id))
            .transpose()?
            .flatten();
        Ok(match entry.map(|e| e.url) {
            Some(url) if url.contains('#') => url,
            Some(url) => format!("{url}#comments"),
            None => "/".to_string(),
        })
    })
    .await
}
