//! The audit log: who did what to which object, when, from where. Rows are
//! appended in the same transaction as the change they record, never updated
//! or deleted (triggers refuse it), and chained: each row's hash covers its
//! fields and the previous row's hash, and `audit_head` holds the newest hash,
//! so `parvis audit verify` detects any edited, inserted or deleted row.

pub mod browse;

use crate::access::{Actor, Who};
use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::Value;

/// One event to record. `action` is a stable dotted name such as `signin.success`.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub detail: Value,
}

impl<'a> Event<'a> {
    pub fn new(actor: &'a Actor, action: &'a str) -> Self {
        Event {
            actor,
            action,
            target_type: "",
            target_id: String::new(),
            detail: Value::Object(Default::default()),
        }
    }

    pub fn target(mut self, kind: &'a str, id: impl ToString) -> Self {
        self.target_type = kind;
        self.target_id = id.to_string();
        self
    }

    pub fn detail(mut self, detail: Value) -> Self {
        self.detail = detail;
        self
    }
}

struct Row {
    id: i64,
    at: i64,
    actor_kind: String,
    actor_id: Option<i64>,
    action: String,
    target_type: String,
    target_id: String,
    ip: String,
    detail: String,
    prev_hash: String,
}

impl Row {
    /// Length-prefixed fields, so no choice of field values can collide.
    fn hash(&self) -> String {
        let mut h = blake3::Hasher::new();
        let mut field = |b: &[u8]| {
            h.update(&(b.len() as u64).to_le_bytes());
            h.update(b);
        };
        field(&self.id.to_le_bytes());
        field(&self.at.to_le_bytes());
        field(self.actor_kind.as_bytes());
        field(&self.actor_id.unwrap_or(-1).to_le_bytes());
        field(self.action.as_bytes());
        field(self.target_type.as_bytes());
        field(self.target_id.as_bytes());
        field(self.ip.as_bytes());
        field(self.detail.as_bytes());
        field(self.prev_hash.as_bytes());
        h.finalize().to_hex().to_string()
    }
}

/// Appends an event inside the caller's transaction.
pub fn append(tx: &Transaction<'_>, ev: Event<'_>) -> Result<i64, DbError> {
    let (last_id, last_hash, count): (i64, String, i64) = tx.query_row(
        "SELECT last_id, last_hash, row_count FROM audit_head WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (actor_kind, actor_id) = match ev.actor.who {
        Who::Person(p) => ("person", Some(p.person_id)),
        Who::Cli => ("cli", None),
        Who::System => ("system", None),
        Who::Anonymous => ("anonymous", None),
    };
    let row = Row {
        id: last_id.checked_add(1).ok_or(DbError::Sqlite(
            rusqlite::Error::IntegralValueOutOfRange(0, last_id),
        ))?,
        at: crate::util::now_ms(),
        actor_kind: actor_kind.to_string(),
        actor_id,
        action: ev.action.to_string(),
        target_type: ev.target_type.to_string(),
        target_id: ev.target_id,
        ip: ev.actor.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        detail: ev.detail.to_string(),
        prev_hash: last_hash,
    };
    let hash = row.hash();
    tx.execute(
        "INSERT INTO audit_events (id, at, actor_kind, actor_id, action, target_type, target_id, ip, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            row.id, row.at, row.actor_kind, row.actor_id, row.action, row.target_type,
            row.target_id, row.ip, row.detail, row.prev_hash, hash
        ],
    )?;
    tx.execute(
        "UPDATE audit_head SET last_id = ?1, last_hash = ?2, row_count = ?3 WHERE id = 1",
        params![row.id, hash, count + 1],
    )?;
    // Every recorded change goes on the bus once (and only if) it commits.
    crate::db::bus::note(crate::db::bus::Committed {
        id: row.id,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        actor: row.actor_id,
    });
    Ok(row.id)
}

/// The outcome of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub rows: u64,
    /// The first problem found, with the row id it concerns.
    pub problem: Option<(i64, String)>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// Walks every row in order, recomputing hashes and checking the links and the head.
pub fn verify(conn: &Connection) -> Result<Verification, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_kind, actor_id, action, target_type, target_id, ip, detail, prev_hash, hash
         FROM audit_events ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    // Retention may have dropped the oldest rows: the chain starts where it says.
    let (first_id, first_prev): (i64, String) = conn
        .query_row(
            "SELECT first_id, first_prev_hash FROM audit_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((1, String::new()));
    if first_id > 1 {
        // Rows before first_id may only be gone through a recorded prune:
        // the newest `audit.prune` event says through which row.
        let recorded: Option<String> = conn
            .query_row(
                "SELECT detail FROM audit_events WHERE action = 'audit.prune' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let through = recorded
            .and_then(|d| serde_json::from_str::<Value>(&d).ok())
            .and_then(|d| d["through_event"].as_i64());
        if through != Some(first_id - 1) {
            return Ok(Verification {
                rows: 0,
                problem: Some((
                    first_id,
                    format!("rows before {first_id} are gone without a recorded prune"),
                )),
            });
        }
    }
    let mut expected_prev = first_prev;
    let mut expected_id = first_id;
    let mut count = 0u64;
    let fail = |count, id, why: String| {
        Ok(Verification {
            rows: count,
            problem: Some((id, why)),
        })
    };
    while let Some(r) = rows.next()? {
        let row = Row {
            id: r.get(0)?,
            at: r.get(1)?,
            actor_kind: r.get(2)?,
            actor_id: r.get(3)?,
            action: r.get(4)?,
            target_type: r.get(5)?,
            target_id: r.get(6)?,
            ip: r.get(7)?,
            detail: r.get(8)?,
            prev_hash: r.get(9)?,
        };
        let stored: String = r.get(10)?;
        if row.id != expected_id {
            return fail(count, expected_id, format!("row {expected_id} is missing"));
        }
        if row.prev_hash != expected_prev {
            return fail(
                count,
                row.id,
                format!("row {} does not follow row {}", row.id, row.id - 1),
            );
        }
        if row.hash() != stored {
            return fail(count, row.id, format!("row {} was modified", row.id));
        }
        expected_prev = stored;
        expected_id += 1;
        count += 1;
    }
    let head: Option<(i64, String, i64)> = conn
        .query_row(
            "SELECT last_id, last_hash, row_count FROM audit_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match head {
        Some((last_id, last_hash, n))
            if last_id == expected_id - 1 && last_hash == expected_prev && n as u64 == count =>
        {
            Ok(Verification {
                rows: count,
                problem: None,
            })
        }
        Some((last_id, _, _)) if last_id > expected_id - 1 => fail(
            count,
            expected_id,
            format!("rows {} to {last_id} were deleted", expected_id),
        ),
        _ => fail(
            count,
            expected_id - 1,
            "the chain's head does not match its newest row".into(),
        ),
    }
}

/// Drops the events older than `before` (milliseconds since the epoch), the
/// oldest first and without gaps, and records that it did; the chain stays
/// verifiable from the first event kept. Returns how many were dropped.
pub fn prune(tx: &Transaction<'_>, actor: &Actor, before: i64) -> Result<u64, DbError> {
    // Up to the first event that is not old, so that a clock once set back
    // never makes recent events look old.
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, hash FROM audit_events
             WHERE id < ifnull((SELECT min(id) FROM audit_events WHERE at >= ?1), 9223372036854775807)
               AND at < ?1
             ORDER BY id DESC LIMIT 1",
            [before],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((through, hash)) = last else {
        return Ok(0);
    };
    tx.execute(
        "UPDATE audit_head SET first_id = ?1 + 1, first_prev_hash = ?2 WHERE id = 1",
        params![through, hash],
    )?;
    let dropped = tx.execute("DELETE FROM audit_events WHERE id <= ?1", [through])? as u64;
    tx.execute(
        "UPDATE audit_head SET row_count = row_count - ?1 WHERE id = 1",
        [dropped as i64],
    )?;
    append(
        tx,
        Event::new(actor, "audit.prune").detail(serde_json::json!({
            "dropped": dropped,
            "through_event": through,
            "older_than": crate::util::format_ms(before),
        })),
    )?;
    Ok(dropped)
}

/// A recorded event, for listings and tests.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recorded {
    pub id: i64,
    pub at: i64,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub ip: String,
    pub detail: String,
}

/// The newest events, newest first.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<Recorded>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_kind, actor_id, action, target_type, target_id, ip, detail
         FROM audit_events ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(Recorded {
                id: r.get(0)?,
                at: r.get(1)?,
                actor_kind: r.get(2)?,
                actor_id: r.get(3)?,
                action: r.get(4)?,
                target_type: r.get(5)?,
                target_id: r.get(6)?,
                ip: r.get(7)?,
                detail: r.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        for m in crate::db::MIGRATIONS {
            c.execute_batch(m.sql).unwrap();
        }
        c
    }

    /// What the bus publishes: each recorded change of a committed
    /// transaction, in order, and nothing of one that rolled back.
    #[tokio::test]
    async fn the_bus_publishes_committed_changes_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(
            &dir.path().join("parvis.db"),
            1,
            std::time::Duration::from_secs(5),
        )
        .unwrap();
        let mut bus = db.subscribe();
        let record = |action: &'static str, fail: bool| {
            db.write(move |tx| {
                append(tx, Event::new(&Actor::cli(), action).target("thing", 7))?;
                if fail {
                    return Err(DbError::TaskFailed);
                }
                Ok::<_, DbError>(())
            })
        };
        record("test.first", false).await.unwrap();
        assert!(record("test.rolled_back", true).await.is_err());
        record("test.second", false).await.unwrap();
        let first = bus.recv().await.unwrap();
        assert_eq!(
            (first.action.as_str(), first.target_id.as_str()),
            ("test.first", "7")
        );
        let second = bus.recv().await.unwrap();
        assert_eq!(second.action, "test.second");
        assert!(second.id > first.id);
        assert!(
            bus.try_recv().is_err(),
            "a rolled-back change was published"
        );
    }

    fn add(c: &mut Connection, n: usize) {
        let actor = Actor::cli();
        let tx = c.transaction().unwrap();
        for i in 0..n {
            append(
                &tx,
                Event::new(&actor, "test.event")
                    .target("thing", i)
                    .detail(serde_json::json!({"i": i})),
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }

    /// Tampering as an attacker with raw access would: drop the guard triggers first.
    fn tamper(c: &Connection, sql: &str) {
        c.execute_batch(
            "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;",
        )
        .unwrap();
        c.execute_batch(sql).unwrap();
    }

    #[test]
    fn an_intact_chain_verifies() {
        let mut c = db();
        assert!(verify(&c).unwrap().ok());
        add(&mut c, 5);
        let v = verify(&c).unwrap();
        assert!(v.ok(), "{v:?}");
        assert_eq!(v.rows, 5);
    }

    #[test]
    fn updates_and_deletes_are_refused_by_the_database() {
        let mut c = db();
        add(&mut c, 2);
        assert!(
            c.execute("UPDATE audit_events SET action = 'x' WHERE id = 1", [])
                .is_err()
        );
        assert!(
            c.execute("DELETE FROM audit_events WHERE id = 1", [])
                .is_err()
        );
    }

    #[test]
    fn an_edited_row_is_detected() {
        let mut c = db();
        add(&mut c, 5);
        tamper(
            &c,
            "UPDATE audit_events SET detail = '{\"i\":99}' WHERE id = 3",
        );
        assert_eq!(verify(&c).unwrap().problem.unwrap().0, 3);
    }

    #[test]
    fn a_deleted_row_is_detected() {
        let mut c = db();
        add(&mut c, 5);
        tamper(&c, "DELETE FROM audit_events WHERE id = 2");
        assert_eq!(verify(&c).unwrap().problem.unwrap().0, 2);
    }

    #[test]
    fn retention_drops_the_oldest_events_and_the_chain_still_verifies() {
        let mut c = db();
        add(&mut c, 5);
        let tx = c.transaction().unwrap();
        // Everything so far is older than a moment from now.
        let cutoff = crate::util::now_ms() + 1;
        let dropped = prune(&tx, &Actor::cli(), cutoff).unwrap();
        tx.commit().unwrap();
        assert_eq!(dropped, 5);
        let v = verify(&c).unwrap();
        assert!(v.ok(), "{v:?}");
        assert_eq!(v.rows, 1, "only the prune event itself is left");
        add(&mut c, 2);
        assert!(verify(&c).unwrap().ok());
        // Kept rows still cannot be deleted, nor the oldest one.
        assert!(
            c.execute("DELETE FROM audit_events WHERE id = 6", [])
                .is_err()
        );
        // Removing the first kept row by hand (triggers off) is detected.
        tamper(&c, "DELETE FROM audit_events WHERE id = 6");
        assert!(!verify(&c).unwrap().ok());
    }

    #[test]
    fn moving_the_start_of_the_chain_by_hand_is_detected() {
        let mut c = db();
        add(&mut c, 5);
        let hash: String = c
            .query_row("SELECT hash FROM audit_events WHERE id = 2", [], |r| {
                r.get(0)
            })
            .unwrap();
        // Raising the start lets the rows below it be deleted…
        c.execute(
            "UPDATE audit_head SET first_id = 3, first_prev_hash = ?1, row_count = 3",
            [&hash],
        )
        .unwrap();
        c.execute("DELETE FROM audit_events WHERE id <= 2", [])
            .unwrap();
        // …but no prune recorded it.
        let v = verify(&c).unwrap();
        assert!(!v.ok(), "{v:?}");
    }

    #[test]
    fn a_deleted_newest_row_is_detected() {
        let mut c = db();
        add(&mut c, 5);
        tamper(&c, "DELETE FROM audit_events WHERE id = 5");
        assert!(!verify(&c).unwrap().ok());
    }
}
