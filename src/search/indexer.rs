//! The indexer: one task that drains the search outbox in batches (load the
//! entries from SQLite, extract file text, write, commit once, then delete
//! the rows; a crash replays them) and, when asked, rebuilds the index into
//! a new generation chunk by chunk while the live one keeps serving and
//! keeps receiving changes, then swaps.

use super::extract::Extract;
use super::index::{Engine, IndexError, SearchIndex};
use super::sources::{self, Change, Entry, Key};
use super::{OUTBOX_KIND, REINDEX_KIND};
use crate::app::AppState;
use crate::service::{Error, Result};
use crate::util::now_ms;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// Outbox rows taken per batch.
const BATCH: u32 = 512;
/// Entries loaded per step of a rebuild.
const CHUNK: usize = 2_000;
/// Entries of a chunk loaded (with their texts) at a time.
const SLICE: usize = 64;
/// A rebuild commits every this many chunks, so merges run as it goes.
const CHUNKS_PER_COMMIT: usize = 25;
/// The longest a file's text extraction may take.
const EXTRACT_TIME: Duration = Duration::from_secs(30);
/// The pause after a failed step, doubled at each failure in a row up to
/// `MAX_BACKOFF`: a full disk is tried again often enough to catch up soon
/// after room is made, without spinning meanwhile.
const MIN_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

struct Build {
    engine: Arc<Engine>,
    keys: Vec<Key>,
    next: usize,
    started: std::time::Instant,
    /// The reindex requests this build answers.
    requests: Vec<i64>,
    /// The final merge, once every entry is written.
    merging: Option<tokio::task::JoinHandle<Result<()>>>,
    /// Entries live changes already wrote into the new generation: its
    /// chunks replace them, every other entry is simply added.
    touched: BTreeSet<Key>,
}

fn index_error(e: IndexError) -> Error {
    Error::Internal(e.to_string())
}

/// Reads a content's text now, off the async threads and bounded in time.
async fn extract_now(state: &AppState, hash: &str, content_type: &str) -> Extract {
    let blobs = state.blobs.clone();
    let (h, ct) = (hash.to_string(), content_type.to_string());
    let task = tokio::task::spawn_blocking(move || super::extract::text_of(&blobs, &h, &ct));
    match tokio::time::timeout(EXTRACT_TIME, task).await {
        Ok(Ok(e)) => e,
        Ok(Err(_)) => Extract::Failed("the reader failed on this file".into()),
        Err(_) => Extract::Failed(format!(
            "reading took longer than {} s",
            EXTRACT_TIME.as_secs()
        )),
    }
}

/// The text of each content: from its extract when there is one, else
/// extracted now and kept — every new extract of the batch in one
/// transaction (one commit per batch, not per file: a rebuild of 100,000
/// files would otherwise wait on 100,000 syncs).
async fn texts_of(
    state: &AppState,
    files: Vec<(String, String)>,
) -> Result<std::collections::HashMap<String, Extract>> {
    let hashes: Vec<String> = files.iter().map(|(h, _)| h.clone()).collect();
    let mut known = state
        .db
        .read(move |c| {
            let mut found = std::collections::HashMap::new();
            for h in hashes {
                if let Some(e) = crate::blobs::extracts::get(c, &h)? {
                    found.insert(h, e);
                }
            }
            Ok::<_, Error>(found)
        })
        .await?;
    let mut fresh = Vec::new();
    for (hash, content_type) in files {
        if known.contains_key(&hash) {
            continue;
        }
        let extract = extract_now(state, &hash, &content_type).await;
        fresh.push((hash.clone(), extract.clone()));
        known.insert(hash, extract);
    }
    if !fresh.is_empty() {
        state
            .db
            .write(move |tx| {
                let now = now_ms();
                for (h, e) in &fresh {
                    crate::blobs::extracts::save(tx, h, e, now)?;
                }
                Ok::<_, Error>(())
            })
            .await?;
    }
    Ok(known)
}

/// Loads entries and the text of their files.
async fn entries(state: &AppState, keys: Vec<Key>) -> Result<Vec<(Key, Option<Entry>)>> {
    let kinds = state.kinds;
    let loaded = state
        .db
        .read(move |c| {
            keys.into_iter()
                .map(|k| Ok((k, sources::load(c, kinds, k)?)))
                .collect::<Result<Vec<_>>>()
        })
        .await?;
    let files: Vec<(String, String)> = loaded
        .iter()
        .filter_map(|(_, e)| e.as_ref().and_then(|e| e.file.clone()))
        .collect();
    let texts = texts_of(state, files).await?;
    let mut out = Vec::with_capacity(loaded.len());
    for (key, entry) in loaded {
        let entry = entry.map(|mut e| {
            if let Some((hash, _)) = &e.file {
                match texts.get(hash) {
                    Some(Extract::Text(text)) => {
                        if !e.body.is_empty() {
                            e.body.push('\n');
                        }
                        e.body.push_str(text);
                    }
                    Some(Extract::NoText(_)) | None => {}
                    Some(Extract::Failed(reason)) => {
                        tracing::debug!(key = %e.key, %reason, "indexed without its text")
                    }
                }
            }
            e
        });
        out.push((key, entry));
    }
    Ok(out)
}

/// Rebuild work, on a thread of its own of lower priority: searches keep
/// their speed while it runs, and tantivy's indexing and merging threads,
/// started from it, inherit the priority.
async fn low_priority<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("parvis-reindex".into())
        .spawn(move || {
            crate::util::lower_thread_priority();
            let _ = tx.send(f());
        })
        .map_err(|e| Error::Internal(format!("index rebuild thread: {e}")))?;
    rx.await
        .map_err(|_| Error::Internal("index rebuild thread failed".into()))?
}

/// Index writes are blocking work: off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| Error::Internal("index task failed".into()))?
}

/// Writes entries (and removals) into an engine, without committing.
fn write(engine: &Engine, batch: &[(Key, Option<Entry>)], gone: &[i64]) -> Result<()> {
    for space in gone {
        engine.drop_space(*space).map_err(index_error)?;
    }
    for (key, entry) in batch {
        engine
            .put(&key.text(), entry.as_ref())
            .map_err(index_error)?;
    }
    Ok(())
}

/// Writes the entries the outbox rows name into the live index (and into
/// a rebuild in progress), and commits the live one.
async fn index_changes(
    state: &AppState,
    index: &Arc<SearchIndex>,
    build: &mut Option<Build>,
    rows: &[(i64, String)],
) -> Result<()> {
    let changes: Vec<Change> = rows
        .iter()
        .filter_map(|(_, p)| serde_json::from_str(p).ok())
        .collect();
    let gone: Vec<i64> = changes
        .iter()
        .filter_map(|c| match c {
            Change::SpaceGone(id) => Some(*id),
            _ => None,
        })
        .collect();
    let keys: BTreeSet<Key> = {
        let changes = changes.clone();
        let kinds = state.kinds;
        state
            .db
            .read(move |c| {
                let mut keys = BTreeSet::new();
                for ch in &changes {
                    keys.extend(sources::expand(c, kinds, ch)?);
                }
                Ok::<_, Error>(keys)
            })
            .await?
    };
    if let Some(b) = build.as_mut() {
        b.touched.extend(keys.iter().copied());
    }
    let batch = entries(state, keys.into_iter().collect()).await?;
    let live = index.live();
    let building = build.as_ref().map(|b| b.engine.clone());
    blocking(move || {
        write(&live, &batch, &gone)?;
        live.commit().map_err(index_error)?;
        if let Some(engine) = building {
            write(&engine, &batch, &gone)?;
        }
        Ok(())
    })
    .await?;
    Ok(())
}

/// Records on the rows that a batch failed, with why, for `parvis check`
/// and the operator. Best effort: on a full disk this write may fail too.
async fn note_failure(state: &AppState, ids: Vec<i64>, error: &Error) {
    let error: String = error.to_string().chars().take(500).collect();
    let _ = state
        .db
        .write(move |tx| {
            let mut st = tx.prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
            )?;
            for id in ids {
                st.execute(rusqlite::params![id, error])?;
            }
            Ok::<_, Error>(())
        })
        .await;
}

/// One round: the due changes, then a chunk of the rebuild if one runs.
/// Returns how much was done (0: nothing to do).
async fn step(
    state: &AppState,
    index: &Arc<SearchIndex>,
    build: &mut Option<Build>,
) -> Result<usize> {
    let (rows, reindex) = state
        .db
        .read(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT id, payload FROM outbox WHERE kind = ?1 AND next_attempt_at <= ?2 ORDER BY id LIMIT {BATCH}"
            ))?;
            let rows = st
                .query_map(rusqlite::params![OUTBOX_KIND, now_ms()], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut st = c.prepare_cached("SELECT id FROM outbox WHERE kind = ?1")?;
            let reindex = st
                .query_map([REINDEX_KIND], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok::<_, Error>((rows, reindex))
        })
        .await?;
    let mut done = 0;
    if !reindex.is_empty() {
        match build {
            Some(b) => {
                for r in reindex {
                    if !b.requests.contains(&r) {
                        b.requests.push(r);
                    }
                }
            }
            None => {
                let kinds = state.kinds;
                let keys = state
                    .db
                    .read(move |c| Ok::<_, Error>(sources::all_keys(c, kinds)?))
                    .await?;
                let engine = {
                    let index = index.clone();
                    let entries = keys.len();
                    Arc::new(low_priority(move || index.fresh(entries).map_err(index_error)).await?)
                };
                tracing::debug!(entries = keys.len(), generation = %engine.generation, "search index rebuild started");
                *build = Some(Build {
                    engine,
                    keys,
                    next: 0,
                    started: std::time::Instant::now(),
                    requests: reindex,
                    merging: None,
                    touched: BTreeSet::new(),
                });
            }
        }
    }

    if !rows.is_empty() {
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        if let Err(e) = index_changes(state, index, build, &rows).await {
            note_failure(state, ids, &e).await;
            return Err(e);
        }
        done += ids.len();
        // Only now that the index holds them: a failure before leaves the
        // rows for the next attempt.
        state
            .db
            .write(move |tx| {
                let mut st = tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")?;
                for id in ids {
                    st.execute([id])?;
                }
                Ok::<_, Error>(())
            })
            .await?;
    }

    let Some(b) = build else {
        return Ok(done);
    };
    match &b.merging {
        None => {
            let end = (b.next + CHUNK).min(b.keys.len());
            let chunk = b.keys[b.next..end].to_vec();
            b.next = end;
            done += chunk.len().max(1);
            let last = b.next >= b.keys.len();
            let commit = !last && (b.next / CHUNK).is_multiple_of(CHUNKS_PER_COMMIT);
            // Loaded a slice at a time: each entry may carry up to
            // `extract::MAX_TEXT` of text, so a whole chunk in memory at
            // once could reach gigabytes.
            let slices: Vec<Vec<Key>> = chunk.chunks(SLICE).map(<[Key]>::to_vec).collect();
            let count = slices.len();
            for (i, slice) in slices.into_iter().enumerate() {
                let batch = entries(state, slice).await?;
                let engine = b.engine.clone();
                let touched: Vec<bool> = batch.iter().map(|(k, _)| b.touched.contains(k)).collect();
                let commit = commit && i + 1 == count;
                low_priority(move || {
                    for ((key, entry), touched) in batch.iter().zip(touched) {
                        match entry {
                            Some(e) if !touched => engine.add(e),
                            _ => engine.put(&key.text(), entry.as_ref()),
                        }
                        .map_err(index_error)?;
                    }
                    if commit {
                        engine.commit().map_err(index_error)?;
                    }
                    Ok(())
                })
                .await?;
            }
            if last {
                // One merged segment before it serves; live changes keep
                // reaching both engines meanwhile.
                let engine = b.engine.clone();
                b.merging = Some(tokio::spawn(low_priority(move || {
                    engine.merge_all().map_err(index_error)
                })));
            }
        }
        Some(merging) if !merging.is_finished() => {}
        Some(_) => {
            let Some(mut finished) = build.take() else {
                return Ok(done);
            };
            if let Some(merging) = finished.merging.take() {
                let merged = match merging.await {
                    Ok(r) => r,
                    Err(_) => Err(Error::Internal("index merge failed".into())),
                };
                if let Err(e) = merged {
                    index.discard(finished.engine);
                    return Err(e);
                }
            }
            done += 1;
            let entries = finished.keys.len();
            let elapsed = finished.started.elapsed();
            let requests = finished.requests.clone();
            let index = index.clone();
            blocking(move || {
                finished.engine.make_live().map_err(index_error)?;
                index.swap(finished.engine).map_err(index_error)
            })
            .await?;
            state
                .db
                .write(move |tx| {
                    for id in requests {
                        tx.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
                    }
                    Ok::<_, Error>(())
                })
                .await?;
            tracing::info!(
                entries,
                seconds = (elapsed.as_secs_f64() * 100.0).round() / 100.0,
                "search index rebuilt and live"
            );
        }
    }
    Ok(done)
}

/// Gives up a rebuild after a failure: what its writer lost cannot be
/// written again, so the next step starts it over (its requests wait in the
/// outbox).
fn abandon(index: &SearchIndex, build: Build) {
    tracing::warn!(generation = %build.engine.generation, "search index rebuild failed; starting over");
    if let Some(merging) = build.merging {
        merging.abort();
    }
    index.discard(build.engine);
}

/// Runs the indexer until the task is aborted. A failed step (a full disk,
/// a database error, even a panic) is retried after a growing pause, or as
/// soon as new changes ring, so the indexer catches up by itself once the
/// fault is gone.
pub fn spawn(state: AppState, index: Arc<SearchIndex>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(state, index))
}

/// The indexer's loop (see `spawn`).
pub async fn run(state: AppState, index: Arc<SearchIndex>) {
    let mut build: Option<Build> = None;
    let mut backoff = MIN_BACKOFF;
    loop {
        let woken = state.outbox.wait();
        // A task of its own: a panic in a step is one failed step.
        let task = {
            let (state, index, mut build) = (state.clone(), index.clone(), build.take());
            tokio::spawn(async move {
                let r = step(&state, &index, &mut build).await;
                (build, r)
            })
        };
        let _stop_with_me = crate::util::AbortOnDrop(task.abort_handle());
        let error = match task.await {
            Ok((b, Ok(n))) => {
                build = b;
                backoff = MIN_BACKOFF;
                if n > 0 {
                    continue;
                }
                None
            }
            Ok((b, Err(e))) => {
                if let Some(b) = b {
                    abandon(&index, b);
                }
                Some(e.to_string())
            }
            Err(_) => Some("the indexing step panicked".to_string()),
        };
        if let Some(error) = error {
            tracing::error!(%error, retry_in_ms = backoff.as_millis() as u64, "search indexer step failed; retrying");
            tokio::time::sleep(MIN_BACKOFF).await;
            tokio::select! {
                () = woken => {},
                () = tokio::time::sleep(backoff.saturating_sub(MIN_BACKOFF)) => {},
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
            continue;
        }
        tokio::select! {
            () = woken => {},
            // Changes do not all ring the bell: look often, it is one cheap read.
            () = tokio::time::sleep(Duration::from_millis(250)) => {},
        }
    }
}

/// Asks for a rebuild (the running server's indexer does it).
pub async fn request_rebuild(db: &crate::db::Db) -> Result<i64> {
    Ok(db
        .write(|tx| crate::outbox::enqueue(tx, REINDEX_KIND, &serde_json::json!({})))
        .await?)
}

/// How many rebuild requests wait.
pub async fn rebuilds_pending(db: &crate::db::Db) -> Result<i64> {
    db.read(|c| {
        Ok::<_, Error>(c.query_row(
            "SELECT count(*) FROM outbox WHERE kind = ?1",
            [REINDEX_KIND],
            |r| r.get(0),
        )?)
    })
    .await
}

/// Rebuilds the index in this process (no server holds it); returns the
/// number of entries.
pub async fn rebuild_here(state: &AppState, index: Arc<SearchIndex>) -> Result<usize> {
    request_rebuild(&state.db).await?;
    let mut build: Option<Build> = None;
    let mut entries = 0;
    loop {
        let n = match step(state, &index, &mut build).await {
            Ok(n) => n,
            Err(e) => {
                if let Some(b) = build.take() {
                    abandon(&index, b);
                }
                return Err(e);
            }
        };
        if let Some(b) = &build {
            entries = b.keys.len();
        } else if entries == 0 && n > 0 {
            // Built within one step: what it held is the live index's count.
            entries = index.live().reader.searcher().num_docs() as usize;
        }
        if build.is_none() && n == 0 && rebuilds_pending(&state.db).await? == 0 {
            return Ok(entries);
        }
        if n == 0 {
            // The final merge runs.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
