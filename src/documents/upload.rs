//! Receiving a file, for the pages, the API and WebDAV alike: check that
//! it may land there (access, name, quota, declared size), stream it to the
//! blob store (never whole in memory; a refused body is read to its end so
//! its sender gets the answer), then commit it as a document or a new
//! version. WebDAV, whose client writes through a file handle, uses the same
//! check and commit around its own stream.

use super::model::FileName;
use super::service::{self, UploadTarget};
use crate::access::Actor;
use crate::app::AppState;
use crate::blobs::Sink;
use crate::service::Error;
use axum::extract::Multipart;

/// Checks, streams and commits one body to `target`; `declared` is the
/// length the sender announced, if any (a body of another length is
/// refused and keeps nothing).
pub async fn receive<S, E>(
    state: &AppState,
    actor: &Actor,
    target: UploadTarget,
    declared: Option<u64>,
    stream: S,
) -> Result<(super::Document, i64), Error>
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    let limits = &state.config.documents;
    if declared.is_some_and(|n| n > limits.max_file_bytes) {
        return Err(Error::TooLarge { field: "file" });
    }
    service::check_upload(
        &state.db,
        actor,
        &target,
        declared,
        limits.space_quota_bytes,
    )
    .await?;
    let (stored, first) = store_stream(&state.blobs, limits.max_file_bytes, stream).await?;
    if declared.is_some_and(|n| n != stored.size) {
        // The body and its announced length disagree: keep nothing.
        return Err(Error::invalid("file", "upload-interrupted"));
    }
    let (space, size) = (target.space_id, stored.size);
    let done = service::commit_upload(
        &state.db,
        &state.blobs,
        actor,
        target,
        stored,
        first,
        limits.space_quota_bytes,
    )
    .await?;
    let size = i64::try_from(size).unwrap_or(i64::MAX);
    super::download::note(state, actor, crate::adoption::Metric::Upload, space, size);
    Ok(done)
}

/// Streams a body into the blob store (never whole in memory); returns what
/// was stored and its first bytes (to recognise the content type).
pub async fn store_stream<S, E>(
    blobs: &crate::blobs::BlobStore,
    limit: u64,
    stream: S,
) -> Result<(crate::blobs::Stored, Vec<u8>), Error>
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    use futures_util::StreamExt;
    let mut stream = std::pin::pin!(stream);
    let sink = Sink::start(blobs, limit).map_err(service::blob_error)?;
    let mut first = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                if first.len() < 512 {
                    first.extend_from_slice(&chunk[..chunk.len().min(512 - first.len())]);
                }
                if sink.send(chunk).await.is_err() {
                    // The write failed (no room, too large): the client
                    // still sending gets the answer, not a reset connection.
                    drain(stream.as_mut()).await;
                    break;
                }
            }
            Err(_) => {
                sink.abort().await;
                return Err(Error::invalid("file", "upload-interrupted"));
            }
        }
    }
    let stored = sink.finish().await.map_err(service::blob_error)?;
    Ok((stored, first))
}

/// The most of a refused body read and thrown away so that its sender gets
/// the answer; a larger one is cut off (its client may then see a reset).
const DRAIN_MAX: u64 = 64 * 1024 * 1024;
/// …and for at most this long.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(30);

/// Reads and drops the rest of a body (see `DRAIN_MAX`).
async fn drain<S, E>(mut stream: std::pin::Pin<&mut S>)
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    use futures_util::StreamExt;
    let mut left = DRAIN_MAX;
    let read = async {
        while let Some(Ok(chunk)) = stream.next().await {
            left = left.saturating_sub(chunk.len() as u64);
            if left == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, read).await;
}

/// Reads and drops the rest of a multipart body, every part left.
pub async fn drain_multipart(multipart: &mut Multipart) {
    let mut left = DRAIN_MAX;
    let read = async {
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(chunk)) = field.chunk().await {
                left = left.saturating_sub(chunk.len() as u64);
                if left == 0 {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, read).await;
}

/// Streams each file part of a multipart body into the blob store and
/// records it, in order; a `comment` text part applies to the files after
/// it. Stops at the first file that fails (too large, interrupted, no room,
/// a bad name), which leaves nothing; returns what was recorded before.
/// With `as_name`, every file becomes a new version of the document of that
/// name, whatever the file was called on the sender's disk.
pub async fn store_multipart(
    state: &AppState,
    actor: &Actor,
    space_id: i64,
    folder: Option<i64>,
    as_name: Option<&FileName>,
    multipart: &mut Multipart,
) -> (Vec<(super::Document, i64)>, Option<Error>) {
    let (uploaded, failure) = store_parts(state, actor, space_id, folder, as_name, multipart).await;
    if failure.is_some() {
        // The client may still be sending the parts after the one refused.
        drain_multipart(multipart).await;
    }
    (uploaded, failure)
}

async fn store_parts(
    state: &AppState,
    actor: &Actor,
    space_id: i64,
    folder: Option<i64>,
    as_name: Option<&FileName>,
    multipart: &mut Multipart,
) -> (Vec<(super::Document, i64)>, Option<Error>) {
    let mut comment = String::new();
    let mut uploaded = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return (uploaded, None),
            Err(_) => return (uploaded, Some(Error::invalid("file", "upload-interrupted"))),
        };
        let Some(raw_name) = field.file_name().map(str::to_string) else {
            // A text field: only the version comment is expected.
            if field.name() == Some("comment") {
                comment = field
                    .text()
                    .await
                    .unwrap_or_default()
                    .chars()
                    .take(500)
                    .collect();
            }
            continue;
        };
        if raw_name.is_empty() {
            continue;
        }
        // Browsers may send a path ("C:\\…\\x.pdf"); keep its last segment only to parse.
        let last = raw_name.rsplit(['/', '\\']).next().unwrap_or("");
        let parsed = match as_name {
            Some(name) => Ok(name.clone()),
            None => FileName::parse(last),
        };
        let target = match parsed {
            Ok(name) => UploadTarget {
                space_id,
                folder,
                name,
                comment: comment.clone(),
            },
            Err(e) => return (uploaded, Some(e)),
        };
        match receive(state, actor, target, None, field).await {
            Ok(done) => uploaded.push(done),
            Err(e) => return (uploaded, Some(e)),
        }
    }
}
