//! Gives memory back once the server has been idle for
//! `runtime.release_memory_after`: what a burst of uploads and searches
//! filled for speed (SQLite's page caches, the search engine's document
//! caches) is emptied, once per quiet period. Threads of the blocking pool
//! end by themselves (`runtime.thread_keep_alive`), and the allocator
//! returns what they freed.

use crate::app::AppState;
use std::time::Duration;

pub async fn release_when_idle(state: AppState) {
    let after = state.config.runtime.release_memory_after;
    if after.is_zero() {
        return;
    }
    // Late by at most a quarter of the delay; a quiet server wakes rarely.
    let tick = (after / 4).clamp(Duration::from_millis(100), Duration::from_secs(15));
    let after_ms = i64::try_from(after.as_millis()).unwrap_or(i64::MAX);
    let mut released_after: Option<i64> = None;
    loop {
        tokio::time::sleep(tick).await;
        let Some(idle) = state.activity.idle_ms(crate::util::now_ms()) else {
            continue;
        };
        let last = state.activity.last_ms();
        if idle < after_ms || released_after == Some(last) {
            continue;
        }
        release(&state).await;
        released_after = Some(last);
    }
}

/// Empties the caches; each is filled again by the next requests that need it.
pub async fn release(state: &AppState) {
    let connections = state.db.shrink_memory().await;
    let search = state.search.get().cloned();
    let searcher = tokio::task::spawn_blocking(move || {
        // A new searcher starts with empty document caches; the old one's
        // go with the last search holding it.
        search.map(|s| s.live().reader.reload().is_ok())
    })
    .await
    .ok()
    .flatten();
    state.activity.released();
    tracing::debug!(
        sqlite_connections = connections,
        search_caches = ?searcher,
        "idle: memory given back"
    );
}
