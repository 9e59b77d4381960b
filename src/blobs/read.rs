//! Reading a blob wherever it lives: its file under `blobs/` (large
//! contents, and small ones written before migration 17), else its row in
//! `small_blobs`, held in memory (it is at most `storage.small_blob_bytes`).
//! Both read and seek the same way, so callers stream either.

use super::{BlobError, BlobStore, io, small};
use rusqlite::{Connection, OpenFlags};
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

/// A blob's content, opened.
#[derive(Debug)]
pub enum Blob {
    File(std::fs::File),
    Memory(std::io::Cursor<Vec<u8>>),
}

impl Read for Blob {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Blob::File(f) => f.read(buf),
            Blob::Memory(m) => m.read(buf),
        }
    }
}

impl Seek for Blob {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Blob::File(f) => f.seek(pos),
            Blob::Memory(m) => m.seek(pos),
        }
    }
}

/// The same, for async readers (downloads, WebDAV).
#[derive(Debug)]
pub enum AsyncBlob {
    File(tokio::fs::File),
    Memory(std::io::Cursor<Vec<u8>>),
}

impl From<Blob> for AsyncBlob {
    fn from(b: Blob) -> AsyncBlob {
        match b {
            Blob::File(f) => AsyncBlob::File(tokio::fs::File::from_std(f)),
            Blob::Memory(m) => AsyncBlob::Memory(m),
        }
    }
}

impl tokio::io::AsyncRead for AsyncBlob {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            AsyncBlob::File(f) => Pin::new(f).poll_read(cx, buf),
            AsyncBlob::Memory(m) => Pin::new(m).poll_read(cx, buf),
        }
    }
}

impl tokio::io::AsyncSeek for AsyncBlob {
    fn start_seek(self: Pin<&mut Self>, pos: SeekFrom) -> std::io::Result<()> {
        match self.get_mut() {
            AsyncBlob::File(f) => Pin::new(f).start_seek(pos),
            AsyncBlob::Memory(m) => Pin::new(m).start_seek(pos),
        }
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<u64>> {
        match self.get_mut() {
            AsyncBlob::File(f) => Pin::new(f).poll_complete(cx),
            AsyncBlob::Memory(m) => Pin::new(m).poll_complete(cx),
        }
    }
}

/// Read-only connections to the database for the store's own reads, opened
/// when first needed (a process that only writes files never opens one).
pub(super) struct Readers {
    db: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

/// Connections kept for reuse; more may be open for a moment under load.
const KEEP: usize = 4;

impl Readers {
    pub(super) fn new(db: PathBuf) -> Readers {
        Readers {
            db,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on a connection; `None` when there is no database (yet).
    fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, BlobError>,
    ) -> Result<Option<T>, BlobError> {
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match pooled {
            Some(c) => c,
            None => {
                if !self.db.is_file() {
                    return Ok(None);
                }
                let c = Connection::open_with_flags(
                    &self.db,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(5))?;
                c
            }
        };
        let out = f(&conn)?;
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP
        {
            idle.push(conn);
        }
        Ok(Some(out))
    }
}

impl BlobStore {
    /// Opens a blob's content; `None` when it is stored nowhere.
    pub fn open_blob(&self, hash: &str) -> Result<Option<Blob>, BlobError> {
        let path = self.path(hash)?;
        match std::fs::File::open(&path) {
            Ok(f) => return Ok(Some(Blob::File(f))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&path)(e)),
        }
        let bytes = self.readers.with(|c| small::get(c, hash))?.flatten();
        Ok(bytes.map(|b| Blob::Memory(std::io::Cursor::new(b))))
    }

    /// `open_blob` off the async threads, for async readers.
    pub async fn open_async(&self, hash: &str) -> Result<Option<AsyncBlob>, BlobError> {
        let (store, hash) = (self.clone(), hash.to_string());
        let blob = tokio::task::spawn_blocking(move || store.open_blob(&hash))
            .await
            .map_err(|_| BlobError::TaskFailed)??;
        Ok(blob.map(AsyncBlob::from))
    }

    /// At most the first `max` bytes of a blob; `None` when it is stored nowhere.
    pub fn read_start(&self, hash: &str, max: u64) -> Result<Option<Vec<u8>>, BlobError> {
        let Some(blob) = self.open_blob(hash)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        let path = self.path(hash)?;
        blob.take(max).read_to_end(&mut out).map_err(io(&path))?;
        Ok(Some(out))
    }

    /// The content's length, without reading it when it is a file.
    pub fn size(&self, hash: &str) -> Result<Option<u64>, BlobError> {
        Ok(match self.open_blob(hash)? {
            Some(Blob::File(f)) => Some(f.metadata().map_err(io(&self.path(hash)?))?.len()),
            Some(Blob::Memory(m)) => Some(m.get_ref().len() as u64),
            None => None,
        })
    }

    /// Whether the blob is stored, as a file or in the database.
    pub fn exists(&self, hash: &str) -> bool {
        self.path(hash).is_ok_and(|p| p.is_file())
            || matches!(
                self.readers.with(|c| small::contains(c, hash)),
                Ok(Some(true))
            )
    }

    /// Recomputes a blob's hash: true when it is stored and matches its name.
    pub fn verify(&self, hash: &str) -> Result<bool, BlobError> {
        let Some(mut blob) = self.open_blob(hash)? else {
            return Ok(false);
        };
        let mut hasher = blake3::Hasher::new();
        std::io::copy(&mut blob, &mut hasher).map_err(io(&self.path(hash)?))?;
        Ok(hasher.finalize().to_hex().as_str() == hash)
    }
}
