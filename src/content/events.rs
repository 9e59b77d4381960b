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
    /// The item changed: its kind's name and its id (none for a sweep
    /// over many, such as emptying old trash).
    fn target(&self) -> Option<(&'static str, i64)>;
    /// What the index must write again, if anything.
    fn reindex(&self) -> Option<Change>;
}

/// Records `change` in the caller's transaction: its audit entry (published
/// after commit) and its index update. Returns the audit event's id.
pub fn record(tx: &Transaction<'_>, actor: &Actor, change: &impl Recorded) -> Result<i64> {
    if let Some(c) = change.reindex() {
        enqueue(tx, c)?;
    }
    let detail = serde_json::to_value(change).map_err(|e| Error::Internal(e.to_string()))?;
    let mut event = Event::new(actor, change.action()).detail(detail);
    if let Some((kind, id)) = change.target() {
        event = event.target(kind, id);
    }
    Ok(audit::append(tx, event)?)
}

/// Implements `Recorded` for change types whose item id is the field `id`:
/// `Type => "kind", |change| "action", |change| what the index writes again;`
/// or, for a change with no single item (a sweep, a setting of the
/// instance), `Type => none, …`.
macro_rules! recorded {
    (@target $self:ident, none) => { None };
    (@target $self:ident, $kind:literal) => { Some(($kind, $self.id)) };
    ($($t:ty => $kind:tt, |$s:ident| $action:expr, |$r:ident| $reindex:expr;)*) => {$(
        impl $crate::content::events::Recorded for $t {
            fn action(&self) -> &'static str {
                let $s = self;
                $action
            }
            fn target(&self) -> Option<(&'static str, i64)> {
                $crate::content::events::recorded!(@target self, $kind)
            }
            fn reindex(&self) -> Option<$crate::search::sources::Change> {
                let $r = self;
                $reindex
            }
        }
    )*};
}
pub(crate) use recorded;

#[cfg(test)]
mod tests {
    use super::*;

    /// One call: the audit entry from the type (action, target, details)
    /// and the index update, in the caller's transaction.
    #[test]
    fn a_typed_change_is_audited_and_marked_for_the_index_in_one_call() {
        let (_dir, mut c) = crate::content::tests::schema();
        let tx = c.transaction().unwrap();
        let change = crate::documents::events::Renamed {
            id: 5,
            from: "a.txt",
            to: "b.txt",
        };
        let id = record(&tx, &Actor::cli(), &change).unwrap();
        let (action, target, detail): (String, String, String) = tx
            .query_row(
                "SELECT action, target_type || ':' || target_id, detail FROM audit_events WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (action.as_str(), target.as_str()),
            ("document.rename", "document:5")
        );
        assert_eq!(detail, r#"{"from":"a.txt","to":"b.txt"}"#);
        let queued: String = tx
            .query_row(
                "SELECT payload FROM outbox WHERE kind = ?1",
                [crate::search::OUTBOX_KIND],
                |r| r.get(0),
            )
            .unwrap();
        let queued: Change = serde_json::from_str(&queued).unwrap();
        assert_eq!(queued, Change::Document(5));
        // A change the index does not follow queues nothing.
        record(
            &tx,
            &Actor::cli(),
            &crate::groups::events::Updated {
                id: 3,
                name: "Team",
            },
        )
        .unwrap();
        let rows: i64 = tx
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }
}
