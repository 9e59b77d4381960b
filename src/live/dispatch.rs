//! Feeds the hub from the database's bus, one committed change at a time:
//! keeps it for replay, asks the item's kind which of the connected people
//! may see it (one read for all of them), and sends it to their streams.
//! Every quarter second, closes the streams whose credential ended; when
//! sessions or accounts changed, checks every stream's credential again.

use super::{Change, Hub, Out};
use crate::access::Principal;
use crate::content::{ContentKind, Placement, live_kind};
use crate::db::Db;
use crate::db::bus::Committed;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Runs until the database closes.
pub async fn run(hub: Arc<Hub>, db: Db, kinds: &'static [&'static ContentKind], idle: Duration) {
    let mut bus = db.subscribe();
    // Subscribed first: whatever commits from now on reaches us, and what
    // came before is not remembered (a client from before reloads).
    let mut wait = Duration::from_millis(100);
    let latest = loop {
        let read = db
            .read(|c| {
                Ok::<_, crate::service::Error>(c.query_row(
                    "SELECT coalesce(max(id), 0) FROM audit_events",
                    [],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .await;
        match read {
            Ok(latest) => break latest,
            Err(e) => {
                tracing::warn!(error = %e, "the live channel waits for the database");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    };
    hub.log().start_after(latest);
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut epoch = crate::auth::session::sessions_epoch();
    let mut lost = false;
    loop {
        tokio::select! {
            received = bus.recv() => match received {
                Ok(committed) => {
                    if std::mem::take(&mut lost) {
                        hub.log().lost_before(committed.id);
                    }
                    deliver(&hub, &db, kinds, &committed).await;
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, "the live channel fell behind; its streams reload");
                    lost = true;
                    hub.send(|_| true, &Out::Reload);
                }
                Err(RecvError::Closed) => return,
            },
            _ = tick.tick() => {
                let now = crate::auth::session::sessions_epoch();
                let changed = now != epoch;
                if revoke(&hub, &db, changed, idle).await {
                    epoch = now;
                }
            }
        }
    }
}

/// Tells of one committed change the streams whose person may see it.
async fn deliver(
    hub: &Hub,
    db: &Db,
    kinds: &'static [&'static ContentKind],
    committed: &Committed,
) {
    let kind = live_kind(kinds, &committed.target_type, &committed.action);
    let (Some(kind), Ok(item)) = (kind, committed.target_id.parse::<i64>()) else {
        hub.log().saw(committed.id);
        return;
    };
    let mut people: HashMap<i64, Principal> = HashMap::new();
    for (_, p) in hub.recipients() {
        people.insert(p.person_id, p);
    }
    let placement = kind.placement;
    let table = kind.tables.first().map(|t| t.name);
    let answer = db
        .read(move |c| {
            let space = match (placement, table) {
                (Placement::Space { space } | Placement::Folder { space, .. }, Some(table)) => {
                    // Null: an item of the kind that is instance-wide (news).
                    rusqlite::OptionalExtension::optional(c.query_row(
                        &format!("SELECT {space} FROM {table} WHERE id = ?1"),
                        [item],
                        |r| r.get::<_, Option<i64>>(0),
                    ))?
                    .flatten()
                }
                _ => None,
            };
            let mut seen = HashSet::new();
            for p in people.values() {
                if (kind.seen.by)(c, p, item)? {
                    seen.insert(p.person_id);
                }
            }
            Ok::<_, crate::service::Error>((space, seen))
        })
        .await;
    let (space, seen) = match answer {
        Ok(answer) => answer,
        Err(e) => {
            // Who may see it is unknown: nobody is told, and every stream
            // reloads rather than miss it.
            tracing::warn!(error = %e, "a change was not told live");
            hub.log().saw(committed.id);
            hub.send(|_| true, &Out::Reload);
            return;
        }
    };
    let change = Arc::new(Change {
        id: committed.id,
        action: committed.action.clone(),
        kind: kind.name,
        item,
        space: if kind.name == "space" {
            Some(item)
        } else {
            space
        },
        actor: committed.actor,
    });
    hub.push(change.clone());
    if !seen.is_empty() {
        hub.send(|p| seen.contains(&p.person_id), &Out::Change(change));
    }
}

/// Closes the streams whose credential ended; when `check`, asks the
/// database whether each is still valid (and closes those whose person
/// changed: their next stream carries what they are now). Returns false
/// when the check could not be made (it is made again next time).
async fn revoke(hub: &Hub, db: &Db, check: bool, idle: Duration) -> bool {
    let now = crate::util::now_ms();
    let held: Vec<(u64, crate::auth::Credential, Principal)> = {
        let mut s = hub.streams();
        let ended: Vec<u64> = s
            .all
            .iter()
            .filter(|(_, st)| st.until <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in ended {
            s.remove(id);
        }
        if !check {
            return true;
        }
        s.all
            .iter()
            .map(|(id, st)| (*id, st.credential, st.principal))
            .collect()
    };
    let idle_ms = idle.as_millis() as i64;
    let checked = db
        .read(move |c| {
            let mut out = Vec::with_capacity(held.len());
            for (id, credential, principal) in held {
                let until = credential.valid_until(c, now, idle_ms)?;
                let same = crate::auth::principal_now(c, principal.person_id)?
                    .is_some_and(|p| p == principal);
                out.push((id, until.filter(|_| same)));
            }
            Ok::<_, crate::service::Error>(out)
        })
        .await;
    let checked = match checked {
        Ok(checked) => checked,
        Err(e) => {
            tracing::warn!(error = %e, "live streams' credentials were not checked; again soon");
            return false;
        }
    };
    let mut s = hub.streams();
    for (id, until) in checked {
        match until {
            Some(until) => {
                if let Some(st) = s.all.get_mut(&id) {
                    st.until = until;
                }
            }
            None => s.remove(id),
        }
    }
    true
}
