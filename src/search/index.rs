//! The tantivy index on disk: `<data>/index/<generation>/`, the live one
//! named in `<data>/index/CURRENT`. A rebuild writes a new generation while
//! the old one keeps serving, then switches `CURRENT` atomically; a missing,
//! unreadable or older-schema index is rebuilt from SQLite.

use super::allowed::AccessCache;
use super::schema::{self, Fields};
use super::sources::Entry;
use arc_swap::ArcSwap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::schema::Facet;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// A bulk build's writer: two threads keep both cores of a small server
/// busy (more would only make smaller segments), sharing this memory.
const BULK_THREADS: usize = 2;
const BULK_BYTES: usize = 96 * 1024 * 1024;
/// Builds of fewer entries use a live-sized writer.
const BULK_FROM: usize = 20_000;
/// A live index's writer: small batches of changes, little memory.
const LIVE_THREADS: usize = 1;
const LIVE_BYTES: usize = 32 * 1024 * 1024;
/// Stored body text per entry (snippets come from it).
const STORED_BODY: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the search index writer failed earlier")]
    Poisoned,
}

/// One generation of the index, open for reading and writing.
pub struct Engine {
    pub index: Index,
    pub reader: IndexReader,
    /// `None` after a failure (or while `make_live` replaces it): the next
    /// write opens a new one from the last commit.
    writer: Mutex<Option<IndexWriter>>,
    /// A bulk build's writer does not merge segments until `merge_all`.
    bulk: AtomicBool,
    pub fields: Fields,
    pub generation: String,
    /// The access filter's documents, per segment and person's tokens.
    pub access: Arc<AccessCache>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Engine {
    /// `create` makes a new, empty generation; one made for a build of
    /// `build` entries does not merge segments until `merge_all`.
    fn open_dir(
        dir: &Path,
        generation: String,
        create: bool,
        build: Option<usize>,
    ) -> Result<Engine, IndexError> {
        let (schema, fields) = schema::build();
        let index = if create {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
            Index::create_in_dir(dir, schema)?
        } else {
            let index = Index::open_in_dir(dir)?;
            if index.schema() != schema {
                return Err(IndexError::Tantivy(tantivy::TantivyError::SchemaError(
                    "schema changed".into(),
                )));
            }
            index
        };
        schema::register(&index);
        let writer = match build {
            Some(entries) => {
                // A small build is not worth the big writer's memory.
                let w = if entries >= BULK_FROM {
                    index.writer_with_num_threads(BULK_THREADS, BULK_BYTES)?
                } else {
                    index.writer_with_num_threads(LIVE_THREADS, LIVE_BYTES)?
                };
                w.set_merge_policy(Box::new(NoMergePolicy));
                w
            }
            None => index.writer_with_num_threads(LIVE_THREADS, LIVE_BYTES)?,
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Engine {
            index,
            reader,
            writer: Mutex::new(Some(writer)),
            bulk: AtomicBool::new(build.is_some()),
            fields,
            generation,
            access: Arc::default(),
        })
    }

    /// The writer slot, even after a panic while it was held: what the
    /// writer held is thrown away then, as after any failure.
    fn slot(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        self.writer
            .lock()
            .unwrap_or_else(|poisoned: PoisonError<_>| {
                let mut guard = poisoned.into_inner();
                *guard = None;
                self.writer.clear_poison();
                guard
            })
    }

    /// Runs `f` with the writer. A writer that failed once cannot be
    /// trusted again (tantivy's indexing thread may be gone, so that later
    /// documents are refused, or silently dropped while commits succeed):
    /// after any failure it is dropped, with everything not committed, and
    /// the next call opens a new one from the last commit. The caller
    /// writes its whole batch again.
    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter) -> Result<T, IndexError>,
    ) -> Result<T, IndexError> {
        let mut guard = self.slot();
        if guard.is_none() {
            if self.bulk.load(Ordering::SeqCst) {
                // A build cannot write its lost part again: it starts over.
                return Err(IndexError::Poisoned);
            }
            *guard = Some(self.new_writer()?);
        }
        let w = guard.as_mut().ok_or(IndexError::Poisoned)?;
        let out = f(w);
        if out.is_err() {
            // Joins the writer's threads and releases its lock before the next opens.
            *guard = None;
        }
        out
    }

    fn new_writer(&self) -> Result<IndexWriter, IndexError> {
        Ok(self
            .index
            .writer_with_num_threads(LIVE_THREADS, LIVE_BYTES)?)
    }

    /// Replaces the entry `key` with `entry` (or just removes it). Not
    /// visible before `commit`.
    pub fn put(&self, key: &str, entry: Option<&Entry>) -> Result<(), IndexError> {
        let doc = entry.map(|e| self.document(e));
        self.with_writer(|w| {
            w.delete_term(Term::from_field_text(self.fields.key, key));
            if let Some(d) = doc {
                w.add_document(d)?;
            }
            Ok(())
        })
    }

    /// Adds an entry known not to be in the index yet (a bulk build): no
    /// deletion to apply to every segment at each commit.
    pub fn add(&self, entry: &Entry) -> Result<(), IndexError> {
        let doc = self.document(entry);
        self.with_writer(|w| {
            w.add_document(doc)?;
            Ok(())
        })
    }

    /// Removes every entry of a space (the space is gone with its content).
    pub fn drop_space(&self, space: i64) -> Result<(), IndexError> {
        self.with_writer(|w| {
            w.delete_term(Term::from_field_i64(self.fields.space, space));
            Ok(())
        })
    }

    pub fn commit(&self) -> Result<(), IndexError> {
        self.with_writer(|w| Ok(w.commit().map(|_| ())?))?;
        self.reader.reload()?;
        Ok(())
    }

    /// Ends a bulk build: commits, merges every segment into one (merges
    /// are off while building, so none can be running), then turns the
    /// usual merging back on. Writes may go on meanwhile: the merge holds
    /// no lock.
    pub fn merge_all(&self) -> Result<(), IndexError> {
        self.commit()?;
        let ids = self.index.searchable_segment_ids()?;
        if ids.len() > 1 {
            let merging = self.with_writer(|w| Ok(w.merge(&ids)))?;
            merging.wait()?;
        }
        self.bulk.store(false, Ordering::SeqCst);
        self.with_writer(|w| {
            w.set_merge_policy(Box::new(LogMergePolicy::default()));
            Ok(())
        })?;
        self.commit()
    }

    /// Ends a bulk build's writer for a live one (fewer threads, less
    /// memory, started from the calling thread, so not at a rebuild's
    /// lower priority), after committing what was written.
    pub fn make_live(&self) -> Result<(), IndexError> {
        let mut guard = self.slot();
        // A build whose writer failed lost what it had not committed: it
        // must not go live.
        let mut bulk = guard.take().ok_or(IndexError::Poisoned)?;
        self.bulk.store(false, Ordering::SeqCst);
        bulk.commit()?;
        bulk.wait_merging_threads()?;
        *guard = Some(self.new_writer()?);
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// How many segments a search visits.
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    fn document(&self, e: &Entry) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, &e.key);
        d.add_text(f.kind, e.kind);
        for t in &e.allow {
            d.add_text(f.allow, t);
        }
        for t in &e.restrict {
            d.add_text(f.restrict, t);
        }
        d.add_text(f.title, &e.title);
        d.add_text(f.tags, &e.tags);
        let mut stored = e.body.as_str();
        if stored.len() > STORED_BODY {
            let mut cut = STORED_BODY;
            while !stored.is_char_boundary(cut) {
                cut -= 1;
            }
            stored = &stored[..cut];
        }
        d.add_text(f.body, stored);
        d.add_text(f.title_stems, &e.title);
        for part in [&e.title, &e.tags, &e.body] {
            if !part.is_empty() {
                d.add_text(f.text, part);
            }
        }
        if let Some(s) = e.space {
            d.add_i64(f.space, s);
            d.add_facet(f.facets, Facet::from_path(["space", &s.to_string()]));
        }
        if let Some(a) = e.author {
            d.add_text(f.author, a.to_string());
            d.add_facet(f.facets, Facet::from_path(["author", &a.to_string()]));
        }
        d.add_text(f.ext, &e.ext);
        d.add_i64(f.updated, e.updated);
        d.add_text(f.url, &e.url);
        d.add_facet(f.facets, Facet::from_path(["kind", e.kind]));
        if !e.ext.is_empty() {
            d.add_facet(f.facets, Facet::from_path(["ext", &e.ext]));
        }
        if let Some(s) = e.state {
            d.add_facet(f.facets, Facet::from_path(["state", s]));
        }
        d
    }
}

/// The live index and where generations live.
pub struct SearchIndex {
    root: PathBuf,
    live: ArcSwap<Engine>,
}

fn generation_name() -> String {
    format!("v{}-{}", schema::VERSION, crate::util::now_ms())
}

/// The live index as a reader sees it (safe while the server holds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveIndex {
    /// Never built: the server builds it at start.
    Missing,
    /// Built by an older version: rebuilt at start.
    Outdated(String),
    /// The generation and its entry count.
    Entries(String, u64),
}

/// Looks at the live index without opening it for writing.
pub fn inspect(data_dir: &Path) -> Result<LiveIndex, IndexError> {
    let root = data_dir.join("index");
    let Ok(current) = std::fs::read_to_string(root.join("CURRENT")) else {
        return Ok(LiveIndex::Missing);
    };
    let generation = current.trim().to_string();
    if !generation.starts_with(&format!("v{}-", schema::VERSION)) {
        return Ok(LiveIndex::Outdated(generation));
    }
    let index = Index::open_in_dir(root.join(&generation))?;
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(LiveIndex::Entries(generation, reader.searcher().num_docs()))
}

impl SearchIndex {
    /// Opens the live generation; creates an empty one when there is none or
    /// it cannot be used. `true` when the index must be rebuilt from SQLite.
    pub fn open(data_dir: &Path) -> Result<(SearchIndex, bool), IndexError> {
        let root = data_dir.join("index");
        std::fs::create_dir_all(&root).map_err(io(&root))?;
        let current = std::fs::read_to_string(root.join("CURRENT"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|g| g.starts_with(&format!("v{}-", schema::VERSION)));
        if let Some(generation) = current {
            match Engine::open_dir(&root.join(&generation), generation.clone(), false, None) {
                Ok(engine) => {
                    return Ok((
                        SearchIndex {
                            root,
                            live: ArcSwap::from_pointee(engine),
                        },
                        false,
                    ));
                }
                // Another process (the server) holds it: not ours to replace.
                Err(e @ IndexError::Tantivy(tantivy::TantivyError::LockFailure(..))) => {
                    return Err(e);
                }
                Err(e) => {
                    tracing::warn!(error = %e, %generation, "search index unusable; rebuilding")
                }
            }
        }
        let generation = generation_name();
        let engine = Engine::open_dir(&root.join(&generation), generation.clone(), true, None)?;
        let index = SearchIndex {
            root,
            live: ArcSwap::from_pointee(engine),
        };
        index.publish(&generation)?;
        Ok((index, true))
    }

    pub fn live(&self) -> Arc<Engine> {
        self.live.load_full()
    }

    /// A new, empty generation for a rebuild of about `entries` entries
    /// (not live yet).
    pub fn fresh(&self, entries: usize) -> Result<Engine, IndexError> {
        let generation = generation_name();
        Engine::open_dir(
            &self.root.join(&generation),
            generation,
            true,
            Some(entries),
        )
    }

    fn publish(&self, generation: &str) -> Result<(), IndexError> {
        let tmp = self.root.join("CURRENT.tmp");
        std::fs::write(&tmp, generation).map_err(io(&tmp))?;
        let f = std::fs::File::open(&tmp).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        std::fs::rename(&tmp, self.root.join("CURRENT")).map_err(io(&self.root))?;
        Ok(())
    }

    /// Removes the generation of a rebuild given up on (never the live
    /// one), so that its room is free at once rather than at the next swap.
    pub fn discard(&self, engine: Arc<Engine>) {
        let generation = engine.generation.clone();
        drop(engine);
        if generation != self.live().generation {
            let _ = std::fs::remove_dir_all(self.root.join(generation));
        }
    }

    /// Makes a rebuilt generation live and removes the others.
    pub fn swap(&self, engine: Arc<Engine>) -> Result<(), IndexError> {
        let generation = engine.generation.clone();
        self.publish(&generation)?;
        self.live.store(engine);
        if let Ok(dir) = std::fs::read_dir(&self.root) {
            for e in dir.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.path().is_dir() && name != generation {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        Ok(())
    }
}
