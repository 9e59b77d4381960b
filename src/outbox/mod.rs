//! The outbox (invariant 4): work derived from a change is inserted in the
//! change's own transaction and done after commit by a worker, which deletes
//! each row once its handler succeeded. Failures are retried with growing
//! delays; a crash leaves the rows in place, so the work is replayed, never lost.

use crate::db::{Db, DbError};
use crate::util::now_ms;
use rusqlite::{Transaction, params};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Rows handled per database round trip.
const BATCH: u32 = 32;
/// The longest delay between two attempts at the same row.
const MAX_BACKOFF_MS: i64 = 3_600_000;
/// How often a worker looks for due work when nobody woke it.
const POLL: Duration = Duration::from_secs(1);

/// Adds work of `kind` inside the caller's transaction.
pub fn enqueue(tx: &Transaction<'_>, kind: &str, payload: &Value) -> Result<i64, DbError> {
    let now = now_ms();
    tx.execute(
        "INSERT INTO outbox (kind, payload, created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?3)",
        params![kind, payload.to_string(), now],
    )?;
    crate::db::note_work_enqueued();
    Ok(tx.last_insert_rowid())
}

/// Wakes the workers after a commit that enqueued something, so the work
/// starts at once instead of at the next poll. The database rings it itself
/// after every `Db::write` that called `enqueue`; `ring` is for work
/// enqueued some other way.
#[derive(Clone, Default)]
pub struct Bell(Arc<Notify>);

impl Bell {
    /// The bell the database rings.
    pub fn of(db: &Db) -> Bell {
        Bell(db.work_committed())
    }

    pub fn ring(&self) {
        self.0.notify_waiters();
    }

    /// Resolves at the next ring after this call (create it before looking
    /// for work, so a ring in between is not missed).
    pub fn wait(&self) -> tokio::sync::futures::Notified<'_> {
        self.0.notified()
    }
}

/// What a handler returns: `Err` keeps the row for a later attempt.
pub type Outcome = Result<(), String>;
pub type Handler =
    Arc<dyn Fn(Value) -> Pin<Box<dyn Future<Output = Outcome> + Send>> + Send + Sync>;

struct Due {
    id: i64,
    payload: String,
    attempts: i64,
}

/// Delay before attempt `n + 1`: 2, 4, 8 … seconds, at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 20) as u32;
    (2_000i64 << exp).min(MAX_BACKOFF_MS)
}

/// Handles every due row of `kind` once; returns how many were done.
pub async fn run_once(db: &Db, kind: &'static str, handler: &Handler) -> Result<usize, DbError> {
    let due: Vec<Due> = db
        .read(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT id, payload, attempts FROM outbox
                 WHERE kind = ?1 AND next_attempt_at <= ?2 ORDER BY id LIMIT {BATCH}"
            ))?;
            let rows = st
                .query_map(params![kind, now_ms()], |r| {
                    Ok(Due {
                        id: r.get(0)?,
                        payload: r.get(1)?,
                        attempts: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok::<_, DbError>(rows)
        })
        .await?;
    let mut done = 0;
    for row in due {
        let payload: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
        let outcome = handler(payload).await;
        let id = row.id;
        match outcome {
            Ok(()) => {
                db.write(move |tx| {
                    tx.execute("DELETE FROM outbox WHERE id = ?1", [id])
                        .map_err(DbError::from)
                })
                .await?;
                done += 1;
            }
            Err(error) => {
                tracing::warn!(kind, id, attempts = row.attempts + 1, %error, "outbox work failed; will retry");
                let next = now_ms() + backoff_ms(row.attempts);
                let error: String = error.chars().take(500).collect();
                db.write(move |tx| {
                    tx.execute(
                        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                        params![id, next, error],
                    )
                    .map_err(DbError::from)
                })
                .await?;
            }
        }
    }
    Ok(done)
}

/// Runs a worker for `kind` until the task is aborted. It never stops on a
/// failure: a database it cannot read or write (a full disk), or even a
/// panic in a handler, costs one round, and the next comes after the poll.
pub fn spawn_worker(
    db: Db,
    bell: Bell,
    kind: &'static str,
    handler: Handler,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            // Register interest before looking, so a ring during the look is not missed.
            let notified = bell.0.notified();
            let round = {
                let (db, handler) = (db.clone(), handler.clone());
                tokio::spawn(async move { run_once(&db, kind, &handler).await })
            };
            let _stop_with_me = crate::util::AbortOnDrop(round.abort_handle());
            match round.await {
                Ok(Ok(n)) if n > 0 => continue,
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    tracing::error!(kind, error = %e, "outbox worker cannot use its queue; retrying")
                }
                Err(_) => tracing::error!(kind, "outbox work panicked; retrying"),
            }
            tokio::select! {
                () = notified => {},
                () = tokio::time::sleep(POLL) => {},
            }
        }
    })
}

/// The rows of one kind waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlog {
    pub kind: String,
    pub rows: i64,
    /// The most failed attempts of one row.
    pub attempts: i64,
    /// When the oldest row was enqueued (ms since the epoch).
    pub oldest: i64,
    /// The error of the row that failed most, empty when none failed.
    pub last_error: String,
}

/// Rows waiting, per kind (for `parvis check` and monitoring).
pub fn backlog(c: &rusqlite::Connection) -> rusqlite::Result<Vec<Backlog>> {
    let mut st = c.prepare(
        "SELECT kind, COUNT(*), MAX(attempts), MIN(created_at),
                (SELECT o2.last_error FROM outbox o2 WHERE o2.kind = o.kind
                 ORDER BY o2.attempts DESC, o2.id LIMIT 1)
         FROM outbox o GROUP BY kind ORDER BY kind",
    )?;
    st.query_map([], |r| {
        Ok(Backlog {
            kind: r.get(0)?,
            rows: r.get(1)?,
            attempts: r.get(2)?,
            oldest: r.get(3)?,
            last_error: r.get(4)?,
        })
    })?
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db"), 2, Duration::from_secs(5)).unwrap();
        (dir, db)
    }

    fn counting(seen: Arc<AtomicUsize>, fail_first: usize) -> Handler {
        Arc::new(move |_payload| {
            let seen = seen.clone();
            Box::pin(async move {
                let n = seen.fetch_add(1, Ordering::SeqCst);
                if n < fail_first {
                    Err(format!("failure {n}"))
                } else {
                    Ok(())
                }
            })
        })
    }

    #[tokio::test]
    async fn work_enqueued_in_a_rolled_back_transaction_never_happens() {
        let (_d, db) = db().await;
        let r: Result<(), DbError> = db
            .write(|tx| {
                enqueue(tx, "test", &serde_json::json!({"n": 1}))?;
                Err(DbError::TaskFailed)
            })
            .await;
        assert!(r.is_err());
        let seen = Arc::new(AtomicUsize::new(0));
        assert_eq!(
            run_once(&db, "test", &counting(seen.clone(), 0))
                .await
                .unwrap(),
            0
        );
        assert_eq!(seen.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn done_work_is_deleted_and_failures_wait_before_retrying() {
        let (_d, db) = db().await;
        db.write(|tx| {
            for n in 0..3 {
                enqueue(tx, "test", &serde_json::json!({"n": n}))?;
            }
            enqueue(tx, "other", &serde_json::json!({}))?;
            Ok::<_, DbError>(())
        })
        .await
        .unwrap();
        let seen = Arc::new(AtomicUsize::new(0));
        // The first attempt fails: that row waits; the two others are done.
        assert_eq!(
            run_once(&db, "test", &counting(seen.clone(), 1))
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            run_once(&db, "test", &counting(seen.clone(), 1))
                .await
                .unwrap(),
            0,
            "not due yet"
        );
        let left = db
            .read(|c| backlog(c).map_err(DbError::from))
            .await
            .unwrap();
        let left: Vec<(&str, i64, i64, &str)> = left
            .iter()
            .map(|b| (b.kind.as_str(), b.rows, b.attempts, b.last_error.as_str()))
            .collect();
        assert_eq!(left, vec![("other", 1, 0, ""), ("test", 1, 1, "failure 0")]);
        // Once due again, it is done.
        db.write(|tx| {
            tx.execute("UPDATE outbox SET next_attempt_at = 0", [])
                .map_err(DbError::from)
        })
        .await
        .unwrap();
        assert_eq!(
            run_once(&db, "test", &counting(seen.clone(), 1))
                .await
                .unwrap(),
            1
        );
    }

    #[tokio::test]
    async fn a_worker_wakes_when_rung_and_a_restart_replays_what_was_left() {
        let (dir, db) = db().await;
        db.write(|tx| enqueue(tx, "test", &serde_json::json!({})).map(|_| ()))
            .await
            .unwrap();
        drop(db);
        // "After a crash": a new process opens the same file and finds the work.
        let db = Db::open(&dir.path().join("t.db"), 2, Duration::from_secs(5)).unwrap();
        let seen = Arc::new(AtomicUsize::new(0));
        let bell = Bell::default();
        let worker = spawn_worker(db.clone(), bell.clone(), "test", counting(seen.clone(), 0));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(seen.load(Ordering::SeqCst), 1);
        db.write(|tx| enqueue(tx, "test", &serde_json::json!({})).map(|_| ()))
            .await
            .unwrap();
        bell.ring();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            seen.load(Ordering::SeqCst),
            2,
            "woken by the bell, well before the poll"
        );
        worker.abort();
    }

    #[tokio::test]
    async fn a_commit_that_enqueued_wakes_the_workers_and_one_that_did_not_does_not() {
        let (_dir, db) = db().await;
        let seen = Arc::new(AtomicUsize::new(0));
        let bell = Bell::of(&db);
        let worker = spawn_worker(db.clone(), bell.clone(), "test", counting(seen.clone(), 0));
        // Let the worker's first look for work pass, so only a wake-up finds the next.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let woken = bell.wait();
        db.write(|tx| enqueue(tx, "test", &serde_json::json!({})).map(|_| ()))
            .await
            .unwrap();
        tokio::time::timeout(Duration::from_millis(500), woken)
            .await
            .expect("the commit rang the bell (the poll is every second)");
        let started = std::time::Instant::now();
        while seen.load(Ordering::SeqCst) < 1 && started.elapsed() < Duration::from_millis(800) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(seen.load(Ordering::SeqCst), 1, "done well before the poll");
        // A write that enqueued nothing does not ring, nor does a failed one.
        let quiet = bell.wait();
        db.write(|tx| {
            tx.execute_batch("CREATE TABLE t (x)")
                .map_err(DbError::from)
        })
        .await
        .unwrap();
        let failed: Result<(), DbError> = db
            .write(|tx| {
                enqueue(tx, "test", &serde_json::json!({}))?;
                Err(DbError::TaskFailed)
            })
            .await;
        assert!(failed.is_err());
        assert!(
            tokio::time::timeout(Duration::from_millis(200), quiet)
                .await
                .is_err(),
            "rung without work committed"
        );
        worker.abort();
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0), 2_000);
        assert_eq!(backoff_ms(1), 4_000);
        assert_eq!(backoff_ms(30), MAX_BACKOFF_MS);
    }
}
