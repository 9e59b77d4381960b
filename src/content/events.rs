//! Typed changes: a kind describes each change it makes as a value
//! (`documents::events::VersionAdded { .. }`), and one call inside the
//! change's transaction records it in the audit log (which puts it on the
//! bus once the transaction commits, `db::bus`) and marks what the index
//! must write again. The action name and the details come from the type,
//! not from strings repeated at each call.

use crate::access::Actor;
use crate::audit::{self, Event};
use crate::search::sources::{Change, enqueue};
use crate::service::{Error, Result};
use rusqlite::Transaction;

/// A change a kind makes, as the audit log and the index need it.
pub trait Recorded: serde::Serialize {
    /// The audit action, one of the kind's `audit` list.
    fn action(&self) -> &'static str;
    /// The item changed: its kind's name and its id.
    fn target(&self) -> (&'static str, i64);
    /// What the index must write again, if anything.
    fn reindex(&self) -> Option<Change>;
}

/// Records `change` in the caller's transaction: its audit entry (published
/// after commit) and its index update. Returns the audit event's id.
pub fn record(tx: &Transaction<'_>, actor: &Actor, change: &impl Recorded) -> Result<i64> {
    if let Some(c) = change.reindex() {
        enqueue(tx, c)?;
    }
    let (kind, id) = change.target();
    let detail = serde_json::to_value(change).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(audit::append(
        tx,
        Event::new(actor, change.action())
            .target(kind, id)
            .detail(detail),
    )?)
}
