//! The notifier: reads the committed changes back from the audit log, in
//! order, from where it stopped (kept in the same transaction as the rows
//! it writes, so a crash or a full disk loses nothing and repeats nothing),
//! and tells the open pages of the people it wrote for.

use super::{prefs, store};
use crate::content::{ContentKind, Happened, find};
use crate::db::Db;
use crate::live::{Hub, Out};
use crate::service::Result;
use std::sync::Arc;

/// Changes read per transaction.
const BATCH: u32 = 500;

/// Runs until the database closes; digests are timed in `tz`, and the
/// mailer is woken (`mail`) when rows were written.
pub async fn run(
    db: Db,
    kinds: &'static [&'static ContentKind],
    hub: Arc<Hub>,
    tz: jiff::tz::TimeZone,
    mail: Arc<tokio::sync::Notify>,
) {
    crate::db::bus::follow(&db, "notifications", || async {
        let (read, told) = step(&db, kinds, &tz).await?;
        if !told.is_empty() {
            mail.notify_one();
        }
        tell(&db, kinds, &hub, told).await;
        Ok::<_, crate::service::Error>(read == BATCH as usize)
    })
    .await;
}

/// A new instance is told of everything from its first change on (an
/// existing one without a position starts from where it is).
pub async fn start_at_the_beginning(db: &Db) -> Result<()> {
    db.write(|tx| {
        if store::position(tx)?.is_none() {
            store::set_position(tx, 0)?;
        }
        Ok(())
    })
    .await
}

/// Reads one batch of changes and writes what they tell; how many changes
/// it read, and the people it wrote for.
pub async fn step(
    db: &Db,
    kinds: &'static [&'static ContentKind],
    tz: &jiff::tz::TimeZone,
) -> Result<(usize, Vec<i64>)> {
    let tz = tz.clone();
    db.write(move |tx| {
        let position = match store::position(tx)? {
            Some(p) => p,
            None => {
                let latest: i64 =
                    tx.query_row("SELECT coalesce(max(id), 0) FROM audit_events", [], |r| {
                        r.get(0)
                    })?;
                store::set_position(tx, latest)?;
                return Ok((0, Vec::new()));
            }
        };
        let changes = store::changes_after(tx, position, BATCH)?;
        let now = crate::util::now_ms();
        let mut told = Vec::new();
        for (id, action, target_type, target_id, actor, detail) in &changes {
            let (Some(kind), Ok(target)) = (find(kinds, target_type), target_id.parse::<i64>())
            else {
                continue;
            };
            let happened = Happened {
                id: *id,
                action: action.clone(),
                target_id: target,
                actor: *actor,
                detail: serde_json::from_str(detail).unwrap_or_default(),
            };
            let concerned = (kind.notify.who)(tx, &happened)?;
            if concerned.is_empty() {
                continue;
            }
            // The space it happened in, whose level each reader chose.
            let space = match kind.search {
                Some(source) => (source.load)(tx, target)?.and_then(|e| e.space),
                None => None,
            };
            for (person, reason) in concerned {
                if Some(person) == *actor {
                    continue;
                }
                let Some(topic) = kind.notify.topic_of(reason) else {
                    continue;
                };
                if let Some(space) = space
                    && !prefs::level(tx, person, space)?.passes(topic)
                {
                    continue;
                }
                let Some(p) = crate::auth::principal_now(tx, person)? else {
                    continue;
                };
                if !(kind.seen.by)(tx, &p, target)? {
                    continue;
                }
                let mail_due = prefs::mail_due(prefs::delivery(tx, person, topic)?, now, &tz);
                let row = store::New {
                    person,
                    reason,
                    target: (kind.name, target),
                    actor: *actor,
                    audit_id: *id,
                    mail_due,
                };
                if store::insert(tx, &row, now)? {
                    told.push(person);
                }
            }
        }
        if let Some((last, ..)) = changes.last() {
            store::set_position(tx, *last)?;
        }
        told.sort_unstable();
        told.dedup();
        Ok((changes.len(), told))
    })
    .await
}

/// Tells the open pages of `people` how many unread notifications they have.
async fn tell(db: &Db, kinds: &'static [&'static ContentKind], hub: &Hub, people: Vec<i64>) {
    for person in people {
        match super::service::unread_count_of(db, kinds, person).await {
            Ok(n) => hub.send_to(person, &Out::Unread(n)),
            Err(e) => tracing::warn!(error = %e, "an unread count was not told"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::store;

    /// `parvis check` sees a notifier that fell behind, and one that caught up.
    #[test]
    fn the_backlog_is_what_the_notifier_has_not_read() {
        let (_dir, c) = crate::content::tests::schema();
        assert_eq!(store::backlog(&c).unwrap(), None, "not started");
        store::set_position(&c, 0).unwrap();
        assert_eq!(store::backlog(&c).unwrap(), None, "nothing to read");
        for (id, at) in [(1, 1_000), (2, 2_000)] {
            c.execute(
                "INSERT INTO audit_events (id, at, actor_kind, action, prev_hash, hash)
                 VALUES (?1, ?2, 'system', 'x.y', '', '')",
                [id, at],
            )
            .unwrap();
        }
        assert_eq!(store::backlog(&c).unwrap(), Some((2, 1_000)));
        store::set_position(&c, 2).unwrap();
        assert_eq!(store::backlog(&c).unwrap(), None);
    }
}
