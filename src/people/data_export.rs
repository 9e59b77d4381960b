//! A person's own data (GDPR article 15 and 20): their profile, photo,
//! memberships, the documents they wrote and the versions they uploaded
//! (with the files), their comments, and their audit trail — as an export archive in the
//! instance export's format. From their settings they get what they wrote
//! where they may still read it; an administrator (or `parvis person
//! export`) gets everything they wrote.

use super::events;
use crate::access::{self, Actor};
use crate::app::AppState;
use crate::content::events::record;
use crate::ops::export::{self, Readable, Scope, Summary};
use crate::service::{Error, Result};
use std::path::Path;

/// Exports the actor's own data to the tar archive `out`.
pub async fn export_own(state: &AppState, actor: &Actor, out: &Path) -> Result<Summary> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let me = p.person_id;
    let actor = *actor;
    let kinds = state.kinds;
    let readable = state
        .db
        .read(move |c| {
            let ids = |sql: &str| -> rusqlite::Result<Vec<i64>> {
                c.prepare(sql)?
                    .query_map([me], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()
            };
            let documents = ids("SELECT id FROM documents WHERE created_by = ?1
                 UNION SELECT document_id FROM document_versions WHERE created_by = ?1")?;
            let folders = ids("SELECT id FROM folders WHERE created_by = ?1
                 UNION SELECT folder_id FROM folder_access WHERE person_id = ?1")?;
            Ok::<_, Error>(Readable {
                documents: access::readable_documents(c, &actor, &documents)?,
                folders: access::readable_folders(c, &actor, &folders)?,
                comments: crate::comments::service::readable_own(c, kinds, &p)?,
            })
        })
        .await?;
    run(state, &actor, me, Some(readable), out).await
}

/// Exports anyone's data (administrators and the CLI).
pub async fn export_for(
    state: &AppState,
    actor: &Actor,
    person_id: i64,
    out: &Path,
) -> Result<Summary> {
    access::require_admin(actor)?;
    run(state, actor, person_id, None, out).await
}

async fn run(
    state: &AppState,
    actor: &Actor,
    person_id: i64,
    readable: Option<Readable>,
    out: &Path,
) -> Result<Summary> {
    let actor = *actor;
    // Recorded first, so the export's own audit trail shows it.
    state
        .db
        .write(move |tx| {
            super::store::by_id(tx, person_id, &crate::access::SqlFilter::everything())?
                .ok_or(Error::NotFound)?;
            record(tx, &actor, &events::Exported { id: person_id })?;
            Ok::<_, Error>(())
        })
        .await?;
    let config = state.config.clone();
    let out = out.to_path_buf();
    let scope = Scope::Person {
        id: person_id,
        readable,
    };
    let kinds = state.kinds;
    tokio::task::spawn_blocking(move || export::export(&config, kinds, &scope, &out, |_| {}))
        .await
        .map_err(|_| Error::Internal("export task failed".into()))?
        .map_err(|e| Error::Internal(e.to_string()))
}
