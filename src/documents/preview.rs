//! Previews on a document's page: image thumbnails (made once per content
//! and cached as blobs), PDFs in the browser's own viewer, plain text as
//! text, and Markdown rendered to HTML and then sanitized. Anything else has
//! no preview: it is downloaded.

use super::model::Version;
use super::service::blob_error;
use super::store;
use crate::blobs::BlobStore;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 480;
/// Images larger than this are not decoded for a thumbnail.
const MAX_IMAGE_BYTES: i64 = 64 * 1024 * 1024;
/// Text previews show at most this much of the file.
const MAX_TEXT_BYTES: u64 = 256 * 1024;

/// What the document page shows above its versions.
pub enum Preview {
    Image,
    Pdf,
    Text {
        text: String,
        truncated: bool,
    },
    /// Sanitized HTML: safe to place in the page as is.
    Markdown {
        html: String,
        truncated: bool,
    },
    None,
}

impl Preview {
    /// The kind of preview a version gets, from its (sniffed) content type.
    pub fn kind_of(v: &Version) -> &'static str {
        match v.content_type.as_str() {
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
                if v.size <= MAX_IMAGE_BYTES =>
            {
                "image"
            }
            "application/pdf" => "pdf",
            "text/plain; charset=utf-8" | "text/csv; charset=utf-8" => "text",
            "text/markdown; charset=utf-8" => "markdown",
            _ => "none",
        }
    }
}

/// Reads the start of a blob as text (invalid UTF-8 replaced).
fn read_text(blobs: &BlobStore, hash: &str) -> Result<(String, bool)> {
    let mut buf = blobs
        .read_start(hash, MAX_TEXT_BYTES + 1)
        .map_err(blob_error)?
        .ok_or_else(|| Error::Internal(format!("blob {hash} missing")))?;
    let truncated = buf.len() as u64 > MAX_TEXT_BYTES;
    buf.truncate(MAX_TEXT_BYTES as usize);
    Ok((String::from_utf8_lossy(&buf).into_owned(), truncated))
}

/// The preview of a version the caller has already been allowed to read.
pub async fn of(blobs: &BlobStore, v: &Version) -> Result<Preview> {
    let kind = Preview::kind_of(v);
    match kind {
        "image" => Ok(Preview::Image),
        "pdf" => Ok(Preview::Pdf),
        "text" | "markdown" => {
            let blobs = blobs.clone();
            let hash = v.blob_hash.clone();
            let (text, truncated) = tokio::task::spawn_blocking(move || read_text(&blobs, &hash))
                .await
                .map_err(|_| Error::Internal("preview task failed".into()))??;
            Ok(if kind == "text" {
                Preview::Text { text, truncated }
            } else {
                Preview::Markdown {
                    html: crate::text::markdown::to_html(&text),
                    truncated,
                }
            })
        }
        _ => Ok(Preview::None),
    }
}

/// Decodes an image within bounds and scales it down; PNG when it has
/// transparency, JPEG otherwise.
fn make_thumbnail(blobs: &BlobStore, hash: &str) -> Result<(Vec<u8>, &'static str)> {
    let file = blobs
        .open_blob(hash)
        .map_err(blob_error)?
        .ok_or_else(|| Error::Internal(format!("blob {hash} missing")))?;
    let mut reader = image::ImageReader::new(std::io::BufReader::new(file))
        .with_guessed_format()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|_| Error::invalid("file", "preview-unavailable"))?;
    let thumb = img.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    let mut out = std::io::Cursor::new(Vec::new());
    if thumb.color().has_alpha() {
        thumb
            .write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((out.into_inner(), "image/png"))
    } else {
        let rgb = image::DynamicImage::ImageRgb8(thumb.to_rgb8());
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
        rgb.write_with_encoder(encoder)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((out.into_inner(), "image/jpeg"))
    }
}

/// Two thumbnails at a time at most: decoding is CPU and memory hungry.
static THUMBNAILERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The thumbnail of an image version: (blob hash, content type), made on
/// first request and cached; made again if its blob went missing.
pub async fn thumbnail(db: &Db, blobs: &BlobStore, v: &Version) -> Result<(String, String)> {
    if Preview::kind_of(v) != "image" {
        return Err(Error::NotFound);
    }
    let source = v.blob_hash.clone();
    let cached = {
        let source = source.clone();
        db.read(move |c| Ok::<_, Error>(store::preview(c, &source, "thumbnail")?))
            .await?
    };
    if let Some((hash, ct)) = cached
        && blobs.exists(&hash)
    {
        return Ok((hash, ct));
    }
    let _permit = THUMBNAILERS
        .acquire()
        .await
        .map_err(|_| Error::Internal("thumbnailer closed".into()))?;
    let (stored, ct) = {
        let blobs = blobs.clone();
        let source = source.clone();
        tokio::task::spawn_blocking(move || -> Result<(crate::blobs::Stored, &'static str)> {
            let (bytes, ct) = make_thumbnail(&blobs, &source)?;
            let stored = blobs.put(&bytes).map_err(blob_error)?;
            Ok((stored, ct))
        })
        .await
        .map_err(|_| Error::Internal("thumbnail task failed".into()))??
    };
    let blob = stored.hash.clone();
    let blobs = blobs.clone();
    db.write(move |tx| {
        // A small thumbnail is stored by this transaction; a file one that
        // the collector took meanwhile is simply made again next time.
        blobs.keep(tx, &stored).map_err(blob_error)?;
        Ok::<_, Error>(store::save_preview(
            tx,
            &source,
            "thumbnail",
            &stored.hash,
            ct,
            now_ms(),
        )?)
    })
    .await?;
    Ok((blob, ct.to_string()))
}
