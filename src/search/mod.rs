//! Unified search: one tantivy index over spaces, people and documents
//! (more types join through `sources`), fed by the outbox, trimmed by access
//! tokens inside the engine, in French and English.

pub mod allowed;
pub mod api;
mod clauses;
pub mod dates;
pub mod extract;
pub mod feedback;
mod hits;
pub mod index;
pub mod indexer;
pub mod query;
pub mod rescore;
pub mod schema;
pub mod snippet;
pub mod sources;
pub mod terms;
pub mod web;

use crate::access::{self, Actor};
use crate::app::AppState;
use crate::service::{Error, Result};
use std::sync::Arc;

/// The outbox kind of index changes.
pub const OUTBOX_KIND: &str = "search";
/// The outbox kind of rebuild requests.
pub const REINDEX_KIND: &str = "search.reindex";

fn engine(state: &AppState) -> Result<Arc<index::Engine>> {
    state
        .search
        .get()
        .map(|s| s.live())
        .ok_or(Error::Unavailable("the search index is not open yet"))
}

async fn grants(state: &AppState, actor: &Actor) -> Result<access::search::SearchGrants> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    state
        .db
        .read(move |c| access::search::search_grants(c, &p))
        .await
}

/// Searches what the actor may see.
pub async fn search(
    state: &AppState,
    actor: &Actor,
    request: query::Request,
) -> Result<query::Results> {
    let grants = grants(state, actor).await?;
    let engine = engine(state)?;
    tokio::task::spawn_blocking(move || query::search(&engine, &grants, &request))
        .await
        .map_err(|_| Error::Internal("search task failed".into()))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// Suggestions as the actor types.
pub async fn suggest(state: &AppState, actor: &Actor, q: String) -> Result<Vec<query::Suggestion>> {
    let grants = grants(state, actor).await?;
    let engine = engine(state)?;
    tokio::task::spawn_blocking(move || query::suggest(&engine, &grants, &q))
        .await
        .map_err(|_| Error::Internal("search task failed".into()))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// Opens the index for the server and starts its indexer; an index that is
/// missing or from an older version is rebuilt from SQLite in the background.
/// An index that cannot be opened now (a full disk, another process holding
/// it) is tried again in the background until it can: search answers
/// meanwhile with an error, and works as soon as it opens.
pub async fn start(state: &AppState) -> Result<tokio::task::JoinHandle<()>> {
    let opened = open(state).await;
    let state = state.clone();
    Ok(tokio::spawn(async move {
        let (index, mut rebuild) = match opened {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(error = %e, "search index cannot be opened; retrying");
                let mut wait = std::time::Duration::from_secs(1);
                loop {
                    tokio::time::sleep(wait).await;
                    match open(&state).await {
                        Ok(done) => break done,
                        Err(e) => tracing::warn!(error = %e, "search index still cannot be opened"),
                    }
                    wait = (wait * 2).min(std::time::Duration::from_secs(30));
                }
            }
        };
        // The index is open (and empty when it must be rebuilt): the request
        // must reach the outbox, or the empty index would be taken as built.
        while rebuild {
            match indexer::request_rebuild(&state.db).await {
                Ok(_) => rebuild = false,
                Err(e) => {
                    tracing::warn!(error = %e, "search index rebuild cannot be requested; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            }
        }
        indexer::run(state, index).await;
    }))
}

/// Opens the live index and makes it the one searches use; `true` when it
/// must be rebuilt.
async fn open(state: &AppState) -> Result<(Arc<index::SearchIndex>, bool)> {
    let data_dir = state.config.data_dir.clone();
    let (index, rebuild) = tokio::task::spawn_blocking(move || index::SearchIndex::open(&data_dir))
        .await
        .map_err(|_| Error::Internal("search task failed".into()))?
        .map_err(|e| Error::Internal(e.to_string()))?;
    let index = Arc::new(index);
    let _ = state.search.set(index.clone());
    Ok((index, rebuild))
}
