//! Flows follow what they decide on: when a document gets a new version (an
//! upload, a restored version), or a request's title or public fields
//! change, the open flow on it is brought to it at once — started again on the new bytes or cancelled, as its
//! template says — so that the people it now waits for see it in their
//! list. Reading or deciding on a flow does the same first, so a change
//! this loop missed (a lagging subscriber, a restart) is never decided on.

use super::subject::On;
use crate::db::Db;

/// The audit actions that give a document a new current version.
const NEW_VERSION: &[&str] = &["document.version", "document.restore_version"];

/// The audit action that may change a request's bytes.
const REQUEST_CHANGED: &str = "request.update";

/// Brings the open flow on `on` to what it is now.
pub async fn follow(db: &Db, on: On) -> crate::service::Result<()> {
    db.write(move |tx| {
        if let Some(flow) = super::store::open_flow(tx, on)? {
            super::flows::follow_versions(tx, flow)?;
        }
        Ok(())
    })
    .await
}

pub async fn run(db: Db) {
    let mut changes = db.subscribe();
    loop {
        match changes.recv().await {
            Ok(c) => {
                let on = match (c.target_type.as_str(), c.target_id.parse::<i64>()) {
                    ("document", Ok(id)) if NEW_VERSION.contains(&c.action.as_str()) => {
                        On::Document(id)
                    }
                    ("request", Ok(id)) if c.action == REQUEST_CHANGED => On::Request(id),
                    _ => continue,
                };
                if let Err(e) = follow(&db, on).await {
                    tracing::warn!(error = %e, ?on, "a flow could not follow what it decides on");
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(
                    missed = n,
                    "approval flows missed changes; they follow when next read"
                );
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
    }
}
