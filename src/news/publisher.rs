//! Scheduled posts come out and expired ones go, as time passes: a loop
//! records each publication (its audience is told, the index takes it) and
//! each expiry (feeds and search let it go). Readers never wait on it: what
//! they see follows the times themselves.

use super::{events, store};
use crate::access::Actor;
use crate::content::events::record;
use crate::db::Db;
use crate::service::Result;
use std::time::Duration;

/// Posts handled per transaction.
const BATCH: u32 = 200;

/// Records the publications and expiries that are due; how many.
pub async fn step(db: &Db, now: i64) -> Result<usize> {
    db.write(move |tx| {
        let (publish, expire) = store::due(tx, now, BATCH)?;
        let actor = Actor::system();
        for &id in &publish {
            let Some(s) = store::state(tx, id)? else {
                continue;
            };
            store::mark_announced(tx, id)?;
            record(
                tx,
                &actor,
                &events::Published {
                    id,
                    title: &s.title,
                    version: s.version,
                    requires_ack: s.requires_ack,
                },
            )?;
        }
        for &id in &expire {
            store::mark_withdrawn(tx, id)?;
            record(tx, &actor, &events::Expired { id })?;
        }
        Ok(publish.len() + expire.len())
    })
    .await
}

/// Runs until aborted; a failure (a full disk) is tried again.
pub async fn run(db: Db) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        loop {
            match step(&db, crate::util::now_ms()).await {
                Ok(n) if n == BATCH as usize => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "news publication waits; trying again");
                    break;
                }
            }
        }
    }
}

/// How long the oldest publication or expiry has waited to be recorded
/// (ms), for `parvis check`.
pub fn overdue(c: &rusqlite::Connection, now: i64) -> rusqlite::Result<Option<i64>> {
    c.query_row(
        "SELECT min(t) FROM (
            SELECT min(publish_at) AS t FROM news WHERE announced = 0 AND publish_at IS NOT NULL
                AND (expires_at IS NULL OR expires_at > ?1)
            UNION ALL
            SELECT min(expires_at) FROM news WHERE withdrawn = 0 AND expires_at IS NOT NULL)",
        [now],
        |r| r.get::<_, Option<i64>>(0),
    )
    .map(|t| t.filter(|t| *t <= now).map(|t| now - t))
}

#[cfg(test)]
mod tests {
    use super::overdue;

    /// `parvis check` sees a publication or an expiry nobody recorded, and
    /// nothing once they are.
    #[test]
    fn overdue_is_the_oldest_publication_or_expiry_not_recorded() {
        let (_dir, c) = crate::content::tests::schema();
        assert_eq!(overdue(&c, 10_000).unwrap(), None);
        c.execute_batch(
            "INSERT INTO news (id, title, body, publish_at, created_at, updated_at)
               VALUES (1, 't', 'b', 4000, 0, 0), (2, 't', 'b', 9000, 0, 0);
             INSERT INTO news (id, title, body, publish_at, expires_at, announced, created_at, updated_at)
               VALUES (3, 't', 'b', 1000, 2000, 1, 0, 0);",
        )
        .unwrap();
        // The expiry of 3 (at 2000) is the oldest.
        assert_eq!(overdue(&c, 10_000).unwrap(), Some(8_000));
        c.execute("UPDATE news SET withdrawn = 1 WHERE id = 3", [])
            .unwrap();
        assert_eq!(overdue(&c, 10_000).unwrap(), Some(6_000));
        c.execute("UPDATE news SET announced = 1", []).unwrap();
        assert_eq!(overdue(&c, 10_000).unwrap(), None);
        // Not yet due: not late.
        assert_eq!(overdue(&c, 3_000).unwrap(), None);
    }
}
