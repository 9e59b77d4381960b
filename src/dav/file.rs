//! What the WebDAV layer hands to dav-server: metadata, directory entries,
//! a stored version opened for reading, and an upload that streams into the
//! blob store and becomes a version (through the documents service) on flush.

use super::{DavUser, fs_error};
use crate::blobs::Sink;
use crate::documents::service::{self, UploadTarget};
use bytes::{Buf, Bytes, BytesMut};
use dav_server::fs::{DavDirEntry, DavFile, DavMetaData, FsError, FsFuture, FsResult};
use futures_util::FutureExt;
use std::io::SeekFrom;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

#[derive(Debug, Clone)]
pub struct Meta {
    pub len: u64,
    pub modified_ms: i64,
    pub dir: bool,
    /// For files: the content's hash, which changes exactly when the content does.
    pub etag: Option<String>,
}

impl Meta {
    pub fn dir(modified_ms: i64) -> Meta {
        Meta {
            len: 0,
            modified_ms,
            dir: true,
            etag: None,
        }
    }

    pub fn file(len: i64, modified_ms: i64, hash: &str) -> Meta {
        Meta {
            len: len.max(0) as u64,
            modified_ms,
            dir: false,
            etag: Some(hash.chars().take(32).collect()),
        }
    }
}

impl DavMetaData for Meta {
    fn len(&self) -> u64 {
        self.len
    }

    fn modified(&self) -> FsResult<SystemTime> {
        Ok(UNIX_EPOCH + Duration::from_millis(self.modified_ms.max(0) as u64))
    }

    fn is_dir(&self) -> bool {
        self.dir
    }

    fn etag(&self) -> Option<String> {
        match &self.etag {
            Some(tag) => Some(tag.clone()),
            None => Some(format!("d{:x}", self.modified_ms.max(0))),
        }
    }
}

pub struct Entry {
    pub name: String,
    pub meta: Meta,
}

impl DavDirEntry for Entry {
    fn name(&self) -> Vec<u8> {
        self.name.as_bytes().to_vec()
    }

    fn metadata(&self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let meta: Box<dyn DavMetaData> = Box::new(self.meta.clone());
        async move { Ok(meta) }.boxed()
    }
}

/// A stored version, read from its immutable blob.
#[derive(Debug)]
pub struct ReadFile {
    pub file: crate::blobs::AsyncBlob,
    pub meta: Meta,
}

impl DavFile for ReadFile {
    fn metadata(&mut self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let meta: Box<dyn DavMetaData> = Box::new(self.meta.clone());
        async move { Ok(meta) }.boxed()
    }

    fn write_buf(&mut self, _buf: Box<dyn Buf + Send>) -> FsFuture<'_, ()> {
        async { Err(FsError::Forbidden) }.boxed()
    }

    fn write_bytes(&mut self, _buf: Bytes) -> FsFuture<'_, ()> {
        async { Err(FsError::Forbidden) }.boxed()
    }

    fn read_bytes(&mut self, count: usize) -> FsFuture<'_, Bytes> {
        async move {
            let mut buf = BytesMut::zeroed(count);
            let mut filled = 0;
            while filled < count {
                let n = self
                    .file
                    .read(&mut buf[filled..])
                    .await
                    .map_err(|_| FsError::GeneralFailure)?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            buf.truncate(filled);
            Ok(buf.freeze())
        }
        .boxed()
    }

    fn seek(&mut self, pos: SeekFrom) -> FsFuture<'_, u64> {
        async move {
            self.file
                .seek(pos)
                .await
                .map_err(|_| FsError::GeneralFailure)
        }
        .boxed()
    }

    fn flush(&mut self) -> FsFuture<'_, ()> {
        async { Ok(()) }.boxed()
    }
}

/// An upload: bytes stream into the blob store; `flush` checks the length
/// the client announced and records the version. Dropped before that (the
/// client went away), it leaves nothing.
pub struct WriteFile {
    pub user: DavUser,
    pub target: Option<UploadTarget>,
    pub sink: Option<Sink>,
    /// The Content-Length, when the client sent one.
    pub expected: Option<u64>,
    pub written: u64,
    pub first: Vec<u8>,
    pub failed: Option<FsError>,
    /// Where reading a body that can no longer be stored stops.
    pub drain_until: u64,
}

impl std::fmt::Debug for WriteFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteFile")
            .field("written", &self.written)
            .finish()
    }
}

/// After a write failed for want of room, the rest of the body is read and
/// dropped up to this many bytes, so that the client, still sending, gets
/// the 507 from `flush` instead of a reset connection.
const DRAIN_MAX: u64 = 64 * 1024 * 1024;

impl WriteFile {
    async fn push(&mut self, chunk: Bytes) -> FsResult<()> {
        if let Some(e) = self.failed {
            self.written += chunk.len() as u64;
            if e == FsError::InsufficientStorage && self.written <= self.drain_until {
                return Ok(());
            }
            return Err(e);
        }
        let Some(sink) = &self.sink else {
            return Err(FsError::GeneralFailure);
        };
        if self.first.len() < 512 {
            let take = chunk.len().min(512 - self.first.len());
            self.first.extend_from_slice(&chunk[..take]);
        }
        self.written += chunk.len() as u64;
        let limit = self.user.state.config.documents.max_file_bytes;
        if self.written > limit {
            self.failed = Some(FsError::TooLarge);
            return Err(FsError::TooLarge);
        }
        if sink.send(chunk).await.is_err() {
            // The sink's own error says why (no room, a fault).
            let failure = match self.sink.take() {
                Some(sink) => fs_error(&service::blob_error(sink.abort().await)),
                None => FsError::GeneralFailure,
            };
            self.failed = Some(failure);
            if failure == FsError::InsufficientStorage {
                self.drain_until = self.written.saturating_add(DRAIN_MAX);
                return Ok(());
            }
            return Err(failure);
        }
        Ok(())
    }
}

impl DavFile for WriteFile {
    fn metadata(&mut self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let meta: Box<dyn DavMetaData> = Box::new(Meta {
            len: self.written,
            modified_ms: crate::util::now_ms(),
            dir: false,
            etag: None,
        });
        async move { Ok(meta) }.boxed()
    }

    fn write_buf(&mut self, mut buf: Box<dyn Buf + Send>) -> FsFuture<'_, ()> {
        async move {
            let chunk = buf.copy_to_bytes(buf.remaining());
            self.push(chunk).await
        }
        .boxed()
    }

    fn write_bytes(&mut self, buf: Bytes) -> FsFuture<'_, ()> {
        self.push(buf).boxed()
    }

    fn read_bytes(&mut self, _count: usize) -> FsFuture<'_, Bytes> {
        async { Err(FsError::Forbidden) }.boxed()
    }

    /// Partial updates are not taken: a version is always a whole file.
    fn seek(&mut self, pos: SeekFrom) -> FsFuture<'_, u64> {
        let here = self.written;
        async move {
            match pos {
                SeekFrom::Start(n) if n == here => Ok(n),
                SeekFrom::Current(0) => Ok(here),
                _ => Err(FsError::NotImplemented),
            }
        }
        .boxed()
    }

    fn flush(&mut self) -> FsFuture<'_, ()> {
        async move {
            if let Some(e) = self.failed
                && self.sink.is_none()
            {
                // The sink already went with its failure (see `push`).
                self.target = None;
                return Err(e);
            }
            let (Some(sink), Some(target)) = (self.sink.take(), self.target.take()) else {
                return Ok(());
            };
            if self.failed.is_some() || self.expected.is_some_and(|n| n != self.written) {
                // Short or failed: the partial content goes, nothing is recorded.
                sink.abort().await;
                return Err(self.failed.unwrap_or(FsError::GeneralFailure));
            }
            let stored = sink
                .finish()
                .await
                .map_err(|e| fs_error(&service::blob_error(e)))?;
            let state = &self.user.state;
            let space = target.space_id;
            let size = i64::try_from(stored.size).unwrap_or(i64::MAX);
            service::commit_upload(
                &state.db,
                &state.blobs,
                &self.user.actor,
                target,
                stored,
                std::mem::take(&mut self.first),
                state.config.documents.space_quota_bytes,
            )
            .await
            .map_err(|e| fs_error(&e))?;
            crate::documents::download::note(
                state,
                &self.user.actor,
                crate::adoption::Metric::Upload,
                space,
                size,
            );
            Ok(())
        }
        .boxed()
    }
}

impl Drop for WriteFile {
    fn drop(&mut self) {
        if let Some(sink) = self.sink.take()
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            rt.spawn(async move {
                sink.abort().await;
            });
        }
    }
}
