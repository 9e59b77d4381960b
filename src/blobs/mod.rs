//! The content-addressed blob store (invariant 2 and 3): contents named by
//! the BLAKE3 hash of their bytes. Up to `storage.small_blob_bytes`, a
//! content stays in memory and is stored in the database by the transaction
//! that refers to it (`small`, `BlobStore::keep`). Larger, it goes to a file
//! under `<data_dir>/blobs/ab/cdef…`: the write streams into a temporary file
//! while hashing (never holding the whole content in memory), is fsynced,
//! then renamed into place and the directory fsynced — only after that may a
//! database row refer to it. The same content written twice is stored once.
//! Blobs are never modified.

pub mod extracts;
pub mod gc;
mod read;
pub mod small;

pub use read::{AsyncBlob, Blob};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob store I/O on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the content is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("not a blob hash")]
    BadHash,
    #[error("a blob task failed")]
    TaskFailed,
    #[error("small blobs: {0}")]
    Db(#[from] rusqlite::Error),
}

impl BlobError {
    /// The write failed for want of room (see `util::is_storage_full`).
    pub fn is_storage_full(&self) -> bool {
        match self {
            BlobError::Io { source, .. } => crate::util::is_storage_full(source),
            BlobError::Db(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull),
            _ => false,
        }
    }
}

/// What a write produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Lower-case hex BLAKE3 of the content.
    pub hash: String,
    pub size: u64,
    /// False when identical content was already stored (as a file).
    pub new: bool,
    /// A small content, not stored yet: the transaction that refers to it
    /// stores it with `BlobStore::keep`.
    pub inline: Option<Vec<u8>>,
}

#[derive(Clone)]
pub struct BlobStore {
    dir: PathBuf,
    /// Contents up to this many bytes go to the database (0: none do).
    small_limit: u64,
    readers: Arc<read::Readers>,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore")
            .field("dir", &self.dir)
            .field("small_limit", &self.small_limit)
            .finish()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BlobError + '_ {
    move |source| BlobError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `s` is a hash this store could have produced (it names a file, so
/// nothing else may pass).
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl BlobStore {
    /// The store under `<data_dir>/blobs` (created if needed) and
    /// `<data_dir>/parvis.db`; every content goes to a file until
    /// `small_up_to` says otherwise.
    pub fn open(data_dir: &Path) -> Result<BlobStore, BlobError> {
        let dir = data_dir.join("blobs");
        let tmp = dir.join("tmp");
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        Ok(BlobStore {
            dir,
            small_limit: 0,
            readers: Arc::new(read::Readers::new(data_dir.join("parvis.db"))),
        })
    }

    /// Contents up to `bytes` are written to the database (`storage.small_blob_bytes`).
    pub fn small_up_to(mut self, bytes: u64) -> BlobStore {
        self.small_limit = bytes;
        self
    }

    /// Stores what `stored` holds in memory, in the caller's transaction: the
    /// content is durable exactly when the row referring to it is. False when
    /// the content is a file that is no longer there (the collector took it:
    /// the upload must be sent again).
    pub fn keep(&self, c: &rusqlite::Connection, stored: &Stored) -> Result<bool, BlobError> {
        match &stored.inline {
            Some(bytes) => {
                small::insert(c, &stored.hash, bytes)?;
                Ok(true)
            }
            None => Ok(self.path(&stored.hash)?.is_file()),
        }
    }

    /// Temporary files older than `age` that no writer holds: leftovers of a
    /// crash or of a write that could not clean up, which no acknowledged write
    /// refers to. A writer holds a lock on its file (released only once the
    /// file is renamed into place or removed), so a write in progress in any
    /// process is never counted. Each comes with its size, and with its lock
    /// taken while the caller decides.
    fn leftovers(&self, age: std::time::Duration) -> Vec<(PathBuf, u64, std::fs::File)> {
        let tmp = self.dir.join("tmp");
        let Ok(entries) = std::fs::read_dir(&tmp) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for e in entries.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            let old = meta
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|elapsed| elapsed >= age);
            if !old || !meta.is_file() {
                continue;
            }
            let Ok(file) = std::fs::File::open(e.path()) else {
                continue;
            };
            if file.try_lock().is_ok() {
                found.push((e.path(), meta.len(), file));
            }
        }
        found
    }

    /// Removes the leftovers older than `age` (see `leftovers`); how many went.
    pub fn sweep_stale(&self, age: std::time::Duration) -> usize {
        self.leftovers(age)
            .into_iter()
            .filter(|(path, _, _)| std::fs::remove_file(path).is_ok())
            .count()
    }

    /// How many leftovers older than `age` there are, and their bytes.
    pub fn count_leftovers(&self, age: std::time::Duration) -> (usize, u64) {
        let found = self.leftovers(age);
        (found.len(), found.iter().map(|(_, size, _)| size).sum())
    }

    /// Where the blob with this hash lives (it may not exist).
    pub fn path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        if !is_hash(hash) {
            return Err(BlobError::BadHash);
        }
        Ok(self.dir.join(&hash[..2]).join(&hash[2..]))
    }

    /// Starts a write; feed it chunks, then `finish`. The content stays in
    /// memory while it is small; past `small_limit` it goes to a file.
    pub fn writer(&self, limit: u64) -> Result<BlobWriter, BlobError> {
        let name = format!("{}.part", crate::util::random_token(12));
        let mut w = BlobWriter {
            store: self.clone(),
            file: None,
            memory: Some(Vec::new()),
            path: self.dir.join("tmp").join(name),
            hasher: blake3::Hasher::new(),
            size: 0,
            limit,
        };
        if self.small_limit == 0 {
            w.spill()?;
        }
        Ok(w)
    }

    /// Writes a whole in-memory value (thumbnails, tests); a small one comes
    /// back `inline`, for `keep`.
    pub fn put(&self, data: &[u8]) -> Result<Stored, BlobError> {
        let mut w = self.writer(data.len() as u64)?;
        w.write_chunk(data)?;
        w.finish()
    }

    /// Every hash stored as a file (for checks and garbage collection; the
    /// database's are `small::list`).
    pub fn list(&self) -> Result<Vec<String>, BlobError> {
        let mut out = Vec::new();
        for prefix in std::fs::read_dir(&self.dir)
            .map_err(io(&self.dir))?
            .flatten()
        {
            let name = prefix.file_name().to_string_lossy().to_string();
            if name.len() != 2 || !prefix.path().is_dir() {
                continue;
            }
            for f in std::fs::read_dir(prefix.path())
                .map_err(io(&prefix.path()))?
                .flatten()
            {
                let hash = format!("{name}{}", f.file_name().to_string_lossy());
                if is_hash(&hash) {
                    out.push(hash);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Removes a blob's file once no row refers to it (its database copy, if
    /// any, goes with `small::remove` in the collector's transaction).
    pub fn remove(&self, hash: &str) -> Result<bool, BlobError> {
        let path = self.path(hash)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(BlobError::Io { path, source: e }),
        }
    }
}

/// A write in progress. Dropping it without `finish` removes the partial file.
pub struct BlobWriter {
    store: BlobStore,
    file: Option<std::io::BufWriter<std::fs::File>>,
    /// The content so far, while it is small enough for the database.
    memory: Option<Vec<u8>>,
    path: PathBuf,
    hasher: blake3::Hasher,
    size: u64,
    limit: u64,
}

impl BlobWriter {
    pub fn write_chunk(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(BlobError::TooLarge { limit: self.limit });
        }
        self.hasher.update(chunk);
        if let Some(memory) = self.memory.as_mut() {
            if self.size <= self.store.small_limit {
                memory.extend_from_slice(chunk);
                return Ok(());
            }
            self.spill()?;
            return self.write_file(chunk);
        }
        self.write_file(chunk)
    }

    fn write_file(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        let file = self.file.as_mut().ok_or(BlobError::TaskFailed)?;
        file.write_all(chunk).map_err(io(&self.path))
    }

    /// Moves the content so far to a temporary file, where the rest goes.
    fn spill(&mut self) -> Result<(), BlobError> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.path)
            .map_err(io(&self.path))?;
        // Held until the file is in place or gone: sweeps leave it alone.
        file.lock().map_err(io(&self.path))?;
        self.file = Some(std::io::BufWriter::with_capacity(256 * 1024, file));
        let before = self.memory.take().unwrap_or_default();
        self.write_file(&before)
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Flushes, fsyncs, and moves the content into place under its hash.
    pub fn finish(self) -> Result<Stored, BlobError> {
        self.complete(true)
    }

    /// Moves the content into place without syncing: for bulk writers (an
    /// import) that sync the whole file system once before anything refers
    /// to what they wrote.
    pub fn finish_unsynced(self) -> Result<Stored, BlobError> {
        self.complete(false)
    }

    fn complete(mut self, durable: bool) -> Result<Stored, BlobError> {
        if let Some(memory) = self.memory.take() {
            return Ok(Stored {
                hash: self.hasher.finalize().to_hex().to_string(),
                size: self.size,
                new: true,
                inline: Some(memory),
            });
        }
        let file = self.file.take().ok_or(BlobError::TaskFailed)?;
        let placed = self.place(file, durable);
        if placed.is_err() {
            // `Drop` no longer sees a file to remove: the partial content
            // (the last buffer may not have fit on a full disk) goes here.
            let _ = std::fs::remove_file(&self.path);
        }
        placed
    }

    fn place(
        &self,
        file: std::io::BufWriter<std::fs::File>,
        durable: bool,
    ) -> Result<Stored, BlobError> {
        let file = file.into_inner().map_err(|e| BlobError::Io {
            path: self.path.clone(),
            source: e.into_error(),
        })?;
        if durable {
            file.sync_all().map_err(io(&self.path))?;
        }
        // `file` (and its lock) lives until the end: a sweep running now must
        // not take the finished file for a leftover before it is renamed.
        let hash = self.hasher.finalize().to_hex().to_string();
        let target = self.store.path(&hash)?;
        let parent = target.parent().unwrap_or(&self.store.dir).to_path_buf();
        if target.exists() {
            let _ = std::fs::remove_file(&self.path);
            return Ok(Stored {
                hash,
                size: self.size,
                new: false,
                inline: None,
            });
        }
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        std::fs::rename(&self.path, &target).map_err(io(&target))?;
        // The rename is durable only once the directory entry is on disk.
        if durable {
            std::fs::File::open(&parent)
                .and_then(|d| d.sync_all())
                .map_err(io(&parent))?;
        }
        Ok(Stored {
            hash,
            size: self.size,
            new: true,
            inline: None,
        })
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if self.file.is_some() {
            self.file = None;
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A write fed from async code: chunks go over a bounded channel to a
/// blocking thread that hashes and writes them, so the executor never waits
/// on the disk and memory holds at most a few chunks.
pub struct Sink {
    tx: tokio::sync::mpsc::Sender<SinkMsg>,
    task: tokio::task::JoinHandle<Result<Stored, BlobError>>,
}

enum SinkMsg {
    Data(axum::body::Bytes),
    Abort,
}

impl Sink {
    pub fn start(store: &BlobStore, limit: u64) -> Result<Sink, BlobError> {
        let mut writer = store.writer(limit)?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<SinkMsg>(8);
        let task = tokio::task::spawn_blocking(move || {
            while let Some(msg) = rx.blocking_recv() {
                match msg {
                    SinkMsg::Data(chunk) => writer.write_chunk(&chunk)?,
                    SinkMsg::Abort => {
                        return Err(BlobError::Interrupted("aborted".into()));
                    }
                }
            }
            writer.finish()
        });
        Ok(Sink { tx, task })
    }

    /// Sends a chunk; an error means the write already failed (see `finish`).
    pub async fn send(&self, chunk: axum::body::Bytes) -> Result<(), ()> {
        self.tx.send(SinkMsg::Data(chunk)).await.map_err(|_| ())
    }

    /// Ends the write and returns what was stored (or why it failed).
    pub async fn finish(self) -> Result<Stored, BlobError> {
        drop(self.tx);
        self.task.await.map_err(|_| BlobError::TaskFailed)?
    }

    /// Gives up: the partial file is removed.
    pub async fn abort(self) -> BlobError {
        let _ = self.tx.send(SinkMsg::Abort).await;
        drop(self.tx);
        match self.task.await {
            Ok(Err(e)) => e,
            _ => BlobError::Interrupted("aborted".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_stored_once_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let a = store.put(b"hello parvis").unwrap();
        assert!(a.new);
        assert_eq!(a.hash, blake3::hash(b"hello parvis").to_hex().to_string());
        let b = store.put(b"hello parvis").unwrap();
        assert!(!b.new, "the same content is stored once");
        assert!(store.verify(&a.hash).unwrap());
        assert_eq!(store.list().unwrap(), vec![a.hash.clone()]);
        assert!(
            std::fs::read_dir(dir.path().join("blobs/tmp"))
                .unwrap()
                .next()
                .is_none()
        );
    }

    #[test]
    fn an_oversize_or_abandoned_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let mut w = store.writer(10).unwrap();
        w.write_chunk(b"12345").unwrap();
        assert!(matches!(
            w.write_chunk(b"678901"),
            Err(BlobError::TooLarge { limit: 10 })
        ));
        drop(w);
        let w = store.writer(100).unwrap();
        drop(w);
        assert!(
            std::fs::read_dir(dir.path().join("blobs/tmp"))
                .unwrap()
                .next()
                .is_none()
        );
        assert!(store.list().unwrap().is_empty());
    }

    #[test]
    fn hashes_never_name_other_paths() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        for bad in [
            "../../etc/passwd",
            "",
            "AB",
            &"g".repeat(64),
            &"A".repeat(64),
        ] {
            assert!(store.path(bad).is_err(), "{bad}");
        }
        let tampered = store.put(b"original").unwrap();
        std::fs::write(store.path(&tampered.hash).unwrap(), b"changed").unwrap();
        assert!(!store.verify(&tampered.hash).unwrap());
        assert!(!store.verify(&"0".repeat(64)).unwrap());
    }

    #[test]
    fn leftovers_of_a_crash_are_swept_once_stale() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        // What a process killed in the middle of a write leaves behind.
        std::fs::write(dir.path().join("blobs/tmp/crashed.part"), b"half").unwrap();
        let tmp = || {
            std::fs::read_dir(dir.path().join("blobs/tmp"))
                .unwrap()
                .count()
        };
        assert_eq!(tmp(), 1);
        assert_eq!(store.sweep_stale(std::time::Duration::from_secs(3600)), 0);
        assert_eq!(
            tmp(),
            1,
            "young: maybe a writer between creating and locking it"
        );
        assert_eq!(store.count_leftovers(std::time::Duration::ZERO), (1, 4));
        assert_eq!(store.sweep_stale(std::time::Duration::ZERO), 1);
        assert_eq!(tmp(), 0);
    }

    #[test]
    fn small_contents_stay_in_memory_and_larger_ones_go_to_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap().small_up_to(10);
        let small = store.put(b"0123456789").unwrap();
        assert_eq!(small.inline.as_deref(), Some(b"0123456789".as_slice()));
        assert_eq!(small.hash, blake3::hash(b"0123456789").to_hex().to_string());
        let mut w = store.writer(100).unwrap();
        w.write_chunk(b"01234").unwrap();
        w.write_chunk(b"56789A").unwrap();
        let large = w.finish().unwrap();
        assert_eq!(large.inline, None);
        assert_eq!(store.list().unwrap(), vec![large.hash.clone()]);
        assert!(store.verify(&large.hash).unwrap());
        assert!(
            !store.exists(&small.hash),
            "nothing is stored before `keep`"
        );
        assert!(
            std::fs::read_dir(dir.path().join("blobs/tmp"))
                .unwrap()
                .next()
                .is_none()
        );
    }

    #[test]
    fn a_write_in_progress_is_never_a_leftover() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let mut w = store.writer(100).unwrap();
        w.write_chunk(b"half").unwrap();
        assert_eq!(store.count_leftovers(std::time::Duration::ZERO), (0, 0));
        assert_eq!(store.sweep_stale(std::time::Duration::ZERO), 0);
        w.write_chunk(b" and the rest").unwrap();
        let stored = w.finish().unwrap();
        assert!(store.exists(&stored.hash));
    }
}
