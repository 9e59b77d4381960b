//! Breach warnings: a loop tells the agents of a request whose first
//! answer or resolution is due within the hour, and again once it is
//! missed — its assignee, or every agent while nobody has it. Each stage
//! is told once per due instant: a new one (a new priority, a clock
//! started again after waiting) is told afresh. Nothing public moves: the
//! customer is never told, and the request's versions stay as they are.

use super::events::Warned;
use crate::access::Actor;
use crate::content::events::record;
use crate::db::Db;
use crate::service::Result;
use rusqlite::Connection;
use std::time::Duration;

/// How long before a target is missed its agents are told.
pub const WARN_BEFORE_MS: i64 = 3600 * 1000;

/// Requests handled per transaction.
const BATCH: usize = 200;

/// A warning owed: request, target, stage (1: due soon, 2: missed), due.
type Owed = (i64, &'static str, i64, i64);

/// The warnings owed at `now`, at most `BATCH`.
fn owed(c: &Connection, now: i64) -> rusqlite::Result<Vec<Owed>> {
    let mut out = Vec::new();
    for (target, sql) in [
        (
            "respond",
            "SELECT id, respond_due_at, CASE WHEN respond_due_at <= ?1 THEN 2 ELSE 1 END AS stage
               FROM requests
              WHERE is_open = 1 AND responded_at IS NULL AND respond_due_at IS NOT NULL
                AND respond_due_at <= ?1 + ?2
                AND (respond_warned_due IS NOT respond_due_at OR respond_warned <
                     CASE WHEN respond_due_at <= ?1 THEN 2 ELSE 1 END)
              ORDER BY respond_due_at LIMIT ?3",
        ),
        (
            "resolve",
            "SELECT id, resolve_due_at, CASE WHEN resolve_due_at <= ?1 THEN 2 ELSE 1 END AS stage
               FROM requests
              WHERE is_open = 1 AND resolve_due_at IS NOT NULL AND resolve_due_at <= ?1 + ?2
                AND (resolve_warned_due IS NOT resolve_due_at OR resolve_warned <
                     CASE WHEN resolve_due_at <= ?1 THEN 2 ELSE 1 END)
              ORDER BY resolve_due_at LIMIT ?3",
        ),
    ] {
        let mut stmt = c.prepare_cached(sql)?;
        let rows = stmt.query_map(rusqlite::params![now, WARN_BEFORE_MS, BATCH as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                target,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(1)?,
            ))
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    out.truncate(BATCH);
    Ok(out)
}

/// Tells the warnings owed at `now`; how many.
pub async fn step(db: &Db, now: i64) -> Result<usize> {
    db.write(move |tx| {
        let owed = owed(tx, now)?;
        let actor = Actor::system();
        for &(id, target, stage, due) in &owed {
            let sql = if target == "respond" {
                "UPDATE requests SET respond_warned = ?2, respond_warned_due = ?3 WHERE id = ?1
                 RETURNING number"
            } else {
                "UPDATE requests SET resolve_warned = ?2, resolve_warned_due = ?3 WHERE id = ?1
                 RETURNING number"
            };
            let number: String = tx
                .prepare_cached(sql)?
                .query_row(rusqlite::params![id, stage, due], |r| r.get(0))?;
            record(
                tx,
                &actor,
                &Warned {
                    id,
                    number: &number,
                    target,
                    missed: stage == 2,
                    due,
                },
            )?;
        }
        Ok(owed.len())
    })
    .await
}

/// Runs until aborted; a failure (a full disk) is tried again.
pub async fn run(db: Db) {
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tick.tick().await;
        loop {
            match step(&db, crate::util::now_ms()).await {
                Ok(n) if n == BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "breach warnings wait; trying again");
                    break;
                }
            }
        }
    }
}

/// How long the oldest missed target has waited to be told (ms), for
/// `parvis check`.
pub fn overdue(c: &Connection, now: i64) -> rusqlite::Result<Option<i64>> {
    c.query_row(
        "SELECT min(t) FROM (
            SELECT min(respond_due_at) AS t FROM requests
             WHERE is_open = 1 AND responded_at IS NULL AND respond_due_at <= ?1
               AND (respond_warned_due IS NOT respond_due_at OR respond_warned < 2)
            UNION ALL
            SELECT min(resolve_due_at) FROM requests
             WHERE is_open = 1 AND resolve_due_at <= ?1
               AND (resolve_warned_due IS NOT resolve_due_at OR resolve_warned < 2))",
        [now],
        |r| r.get::<_, Option<i64>>(0),
    )
    .map(|t| t.map(|t| now - t))
}

#[cfg(test)]
mod tests {
    use super::overdue;

    /// `parvis check` sees a missed target nobody was told of, and
    /// nothing once they are, or once it is answered.
    #[test]
    fn overdue_is_the_oldest_missed_target_not_told() {
        let (_dir, c) = crate::content::tests::schema();
        c.execute_batch(
            "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
               VALUES (1, 's', 'S', 'members', 0, 0);
             INSERT INTO request_types (id, key, prefix, space_id, version, created_at, updated_at)
               VALUES (1, 't', 'T', 1, 1, 0, 0);",
        )
        .unwrap();
        c.execute_batch(
            "INSERT INTO requests (id, number, type_id, type_version, space_id, title, status,
                                   is_open, priority, fields, created_at, updated_at,
                                   respond_due_at, resolve_due_at)
               VALUES (1, 'T-1', 1, 1, 1, 'x', 'new', 1, 'normal', '{}', 0, 0, 4000, 9000);",
        )
        .unwrap();
        assert_eq!(overdue(&c, 3000).unwrap(), None);
        assert_eq!(overdue(&c, 10_000).unwrap(), Some(6000));
        c.execute_batch("UPDATE requests SET respond_warned = 2, respond_warned_due = 4000")
            .unwrap();
        assert_eq!(overdue(&c, 10_000).unwrap(), Some(1000));
        c.execute_batch("UPDATE requests SET resolve_warned = 2, resolve_warned_due = 9000")
            .unwrap();
        assert_eq!(overdue(&c, 10_000).unwrap(), None);
    }
}
