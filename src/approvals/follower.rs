//! Flows follow their documents: when a new version is committed (an
//! upload, a restored version), the open flow on that document is brought
//! to it at once — started again on the new bytes or cancelled, as its
//! template says — so that the people it now waits for see it in their
//! list. Reading or deciding on a flow does the same first, so a change
//! this loop missed (a lagging subscriber, a restart) is never decided on.

use crate::db::Db;

/// The audit actions that give a document a new current version.
const NEW_VERSION: &[&str] = &["document.version", "document.restore_version"];

/// Brings the open flow of `document` to its current version.
pub async fn follow(db: &Db, document: i64) -> crate::service::Result<()> {
    db.write(move |tx| {
        if let Some(flow) = super::store::open_flow(tx, super::subject::On::Document(document))? {
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
            Ok(c) if NEW_VERSION.contains(&c.action.as_str()) && c.target_type == "document" => {
                let Ok(document) = c.target_id.parse::<i64>() else {
                    continue;
                };
                if let Err(e) = follow(&db, document).await {
                    tracing::warn!(error = %e, document, "a flow could not follow its document's new version");
                }
            }
            Ok(_) => {}
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
