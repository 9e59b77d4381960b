//! Text out of stored files, within limits: a file that is too large, or
//! whose format this version does not read, is indexed by its name,
//! description and tags only, and the reason is given back.

use crate::blobs::BlobStore;
use std::io::Read;

/// At most this much of a file is read for its text.
pub const MAX_READ: u64 = 4 * 1024 * 1024;
/// At most this much text is indexed per file.
pub const MAX_TEXT: usize = 1024 * 1024;

/// The text of a stored file, or why there is none.
pub fn text_of(blobs: &BlobStore, hash: &str, content_type: &str) -> Result<String, String> {
    let kind = match content_type {
        "text/plain; charset=utf-8" | "text/csv; charset=utf-8" => "text",
        "text/markdown; charset=utf-8" => "markdown",
        "text/html; charset=utf-8" | "text/html" => "html",
        other => return Err(format!("no text reader for {other}")),
    };
    let path = blobs.path(hash).map_err(|e| e.to_string())?;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    file.take(MAX_READ)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    let raw = String::from_utf8_lossy(&buf);
    let mut text = match kind {
        "html" => html_text(&raw),
        // The words, not the markup: snippets then read like the page.
        "markdown" => html_text(&crate::documents::preview::render_markdown(&raw)),
        _ => raw.into_owned(),
    };
    if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    Ok(text)
}

/// The visible text of an HTML page: scripts and styles dropped, tags removed.
pub fn html_text(html: &str) -> String {
    let cleaned = ammonia::Builder::empty()
        .clean_content_tags(["script", "style", "template"].into())
        .clean(html)
        .to_string();
    cleaned
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_keeps_the_words_and_drops_the_code() {
        let t = super::html_text(
            "<html><head><style>p{}</style><script>alert('x')</script></head><body><p>Réunion &amp; <b>budget</b></p></body></html>",
        );
        assert!(t.contains("Réunion & budget"), "{t}");
        assert!(!t.contains("alert") && !t.contains("p{}"), "{t}");
    }
}
