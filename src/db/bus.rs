//! The in-process bus: what changed, published once its transaction has
//! committed (never for one rolled back). Live streams, notifications and
//! webhooks subscribe; each re-checks access for its own subscriber, since
//! a change is published to all of them.

use std::cell::RefCell;

/// A committed change, as the audit log recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The audit event's id: increasing, so a subscriber can say where it is.
    pub id: i64,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    /// The person who made it, if a person did.
    pub actor: Option<i64>,
}

/// Changes kept for a slow subscriber before it is told it missed some.
pub const CAPACITY: usize = 1024;

thread_local! {
    /// The changes the write transaction running on this thread recorded.
    static PENDING: RefCell<Vec<Committed>> = const { RefCell::new(Vec::new()) };
}

/// Notes a change of the transaction running on this thread: published if
/// it commits.
pub fn note(change: Committed) {
    PENDING.with_borrow_mut(|p| p.push(change));
}

/// Forgets what a new transaction's predecessor left (one that failed).
pub(super) fn clear() {
    PENDING.with_borrow_mut(Vec::clear);
}

/// Takes what this transaction noted.
pub(super) fn take() -> Vec<Committed> {
    PENDING.with_borrow_mut(std::mem::take)
}

/// Runs `step` at each commit, and at least every minute (changes made by
/// another process), until the database closes: at once again while it
/// says more waits, and after a pause doubling up to 30 s while it fails
/// (a full disk, an I/O error), so that a worker reading the audit log
/// catches up by itself once the fault goes. `what` names it in the log.
pub async fn follow<F, Fut, E>(db: &super::Db, what: &'static str, mut step: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool, E>>,
    E: std::fmt::Display,
{
    use std::time::Duration;
    let mut bus = db.subscribe();
    let mut wait = Duration::from_millis(100);
    loop {
        match step().await {
            Ok(more) => {
                wait = Duration::from_millis(100);
                if more {
                    continue;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, what, "a worker waits; trying again");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(30));
                continue;
            }
        }
        tokio::select! {
            received = bus.recv() => {
                if matches!(received, Err(tokio::sync::broadcast::error::RecvError::Closed)) {
                    return;
                }
            }
            () = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
    }
}
