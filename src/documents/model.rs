//! Document types, and the names people give files and folders, parsed so
//! that no name can ever become a path, a spoof or a Windows device.

use crate::service::Error;
use serde::Serialize;

/// A file or folder name: 1–255 bytes of UTF-8, no separators (nor their
/// look-alikes), no control, format or bidirectional characters, not `.` or
/// `..`, no trailing dot or space, not a reserved Windows device name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileName(String);

const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

impl FileName {
    pub fn parse(raw: &str) -> Result<FileName, Error> {
        let bad = |code| Error::invalid("name", code);
        let s = raw.trim_matches(|c: char| c == ' ' || c == '\t');
        if s.is_empty() {
            return Err(bad("file-name-empty"));
        }
        if s.len() > 255 {
            return Err(bad("file-name-too-long"));
        }
        if s == "." || s == ".." {
            return Err(bad("file-name-invalid"));
        }
        let forbidden = |c: char| {
            matches!(
                c,
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'
                // Characters that look like separators.
                | '\u{2215}' | '\u{2044}' | '\u{FF0F}' | '\u{29F8}' | '\u{FF3C}' | '\u{2216}'
                // Bidirectional controls (they disguise extensions) and invisible ones.
                | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}' | '\u{00AD}'
            ) || c.is_control()
        };
        if s.chars().any(forbidden) {
            return Err(bad("file-name-invalid"));
        }
        if s.ends_with('.') || s.ends_with(' ') {
            return Err(bad("file-name-invalid"));
        }
        let stem = s
            .split('.')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if RESERVED.contains(&stem.as_str()) {
            return Err(bad("file-name-reserved"));
        }
        Ok(FileName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The extension in lower case, if any.
    pub fn extension(&self) -> Option<String> {
        let (stem, ext) = self.0.rsplit_once('.')?;
        (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
    }
}

impl std::fmt::Display for FileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Folder {
    pub id: i64,
    pub space_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub path: String,
    pub min_role: Option<String>,
    pub restricted_to_listed: bool,
    pub updated_at: i64,
}

impl Document {
    /// The tags, one by one.
    pub fn tag_list(&self) -> Vec<&str> {
        self.tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    }
}

impl Folder {
    pub fn restricted(&self) -> bool {
        self.min_role.is_some() || self.restricted_to_listed
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: i64,
    pub space_id: i64,
    pub folder_id: Option<i64>,
    pub name: String,
    pub description: String,
    pub tags: String,
    pub current_version: i64,
    pub size: i64,
    pub content_type: String,
    pub blob_hash: String,
    pub updated_at: i64,
    pub updated_by_name: Option<String>,
    pub locked_by: Option<i64>,
    pub locked_by_name: Option<String>,
    pub locked_until: Option<i64>,
    /// Its review state, for its current version (`Draft` otherwise).
    pub review: ReviewState,
    /// A flow reviewing it forbids changes meanwhile.
    pub review_lock: bool,
}

/// Where a file's current version stands in review, as approval flows set
/// it: the library shows it and filters by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    #[default]
    Draft,
    Review,
    Approved,
    Rejected,
    /// Changes asked: back with its author for a new version.
    Changes,
}

impl ReviewState {
    pub const ALL: [ReviewState; 5] = [
        ReviewState::Draft,
        ReviewState::Review,
        ReviewState::Approved,
        ReviewState::Rejected,
        ReviewState::Changes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Draft => "draft",
            ReviewState::Review => "review",
            ReviewState::Approved => "approved",
            ReviewState::Rejected => "rejected",
            ReviewState::Changes => "changes",
        }
    }

    pub fn parse(raw: &str) -> Option<ReviewState> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// A `state` filter as a query gives it: none, or a known state.
    pub fn filter(raw: Option<&str>) -> crate::service::Result<Option<ReviewState>> {
        match raw {
            None | Some("") => Ok(None),
            Some(r) => ReviewState::parse(r)
                .map(Some)
                .ok_or(crate::service::Error::invalid("state", "library-state")),
        }
    }

    /// As stored: nothing for a draft.
    pub fn stored(self) -> Option<&'static str> {
        (self != ReviewState::Draft).then(|| self.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub id: i64,
    pub number: i64,
    pub size: i64,
    pub content_type: String,
    pub original_name: String,
    pub comment: String,
    pub created_by_name: Option<String>,
    pub created_at: i64,
    pub blob_hash: String,
}

/// Tags as typed ("Contract, 2026 ; legal"): split on commas and semicolons,
/// trimmed, duplicates dropped (ignoring case), at most 20 of at most 40
/// characters, without control characters. Stored comma-separated.
pub fn parse_tags(raw: &str) -> Result<String, Error> {
    let mut seen: Vec<String> = Vec::new();
    for t in raw
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if t.chars().count() > 40 || t.chars().any(char::is_control) {
            return Err(Error::invalid("tags", "tags-invalid"));
        }
        if !seen.iter().any(|s| s.to_lowercase() == t.to_lowercase()) {
            seen.push(t.to_string());
        }
    }
    if seen.len() > 20 {
        return Err(Error::invalid("tags", "tags-invalid"));
    }
    Ok(seen.join(", "))
}

/// What a content type allows when serving a file from the portal's origin:
/// only passive formats are shown inline; everything else is an attachment.
pub fn inline_safe(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "application/pdf"
            | "text/plain; charset=utf-8"
    )
}

/// The content type, decided from the bytes first and the extension second —
/// never from what the uploader's browser claimed.
pub fn sniff(first: &[u8], name: &FileName) -> &'static str {
    let magic: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (&[0xFF, 0xD8, 0xFF], "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
    ];
    for (sig, ty) in magic {
        if first.starts_with(sig) {
            // Office and OpenDocument files are zip archives: name them by extension.
            if *ty == "application/zip" {
                return by_extension(name).unwrap_or("application/zip");
            }
            return ty;
        }
    }
    if first.len() > 12 && &first[..4] == b"RIFF" && &first[8..12] == b"WEBP" {
        return "image/webp";
    }
    match by_extension(name) {
        // A name that claims an image or PDF without its bytes gets no trust.
        Some(t) if (t.starts_with("image/") && t != "image/svg+xml") || t == "application/pdf" => {
            "application/octet-stream"
        }
        Some("text/plain; charset=utf-8")
        | Some("text/markdown; charset=utf-8")
        | Some("text/csv; charset=utf-8")
            if std::str::from_utf8(first).is_err() && !utf8_cut_at_end(first) =>
        {
            "application/octet-stream"
        }
        Some(t) => t,
        None => "application/octet-stream",
    }
}

/// A chunk may end in the middle of a UTF-8 character.
fn utf8_cut_at_end(bytes: &[u8]) -> bool {
    (1..4).any(|cut| bytes.len() > cut && std::str::from_utf8(&bytes[..bytes.len() - cut]).is_ok())
}

fn by_extension(name: &FileName) -> Option<&'static str> {
    Some(match name.extension()?.as_str() {
        "txt" | "log" => "text/plain; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "html" | "htm" => "text/html",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "zip" => "application/zip",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused() {
        for bad in [
            "",
            "  ",
            ".",
            "..",
            "../etc/passwd",
            "a/b",
            "a\\b",
            "C:evil",
            "report\u{0}.pdf",
            "line\nbreak",
            "invoice\u{202E}fdp.exe",
            "a\u{2215}b",
            "a\u{FF0F}b",
            "zero\u{200B}width",
            "CON",
            "con.txt",
            "LPT1.log",
            "name.",
            "name. ",
            "what?",
            &"x".repeat(256),
        ] {
            assert!(FileName::parse(bad).is_err(), "{bad:?} accepted");
        }
        for good in [
            "Rapport annuel 2026.pdf",
            "été.docx",
            ".gitignore",
            "a..b",
            "contrat (v2).odt",
            "日本語.txt",
        ] {
            assert!(FileName::parse(good).is_ok(), "{good:?} refused");
        }
        assert_eq!(
            FileName::parse("x.PDF").unwrap().extension().as_deref(),
            Some("pdf")
        );
        assert_eq!(
            FileName::parse("  padded name  ").unwrap().as_str(),
            "padded name"
        );
        assert_eq!(FileName::parse(".gitignore").unwrap().extension(), None);
    }

    #[test]
    fn content_types_come_from_the_bytes() {
        let n = |s| FileName::parse(s).unwrap();
        assert_eq!(sniff(b"%PDF-1.7 ...", &n("x.bin")), "application/pdf");
        assert_eq!(
            sniff(b"<html><script>", &n("photo.png")),
            "application/octet-stream"
        );
        assert_eq!(sniff(b"<svg onload=x>", &n("logo.svg")), "image/svg+xml");
        assert!(!inline_safe(sniff(b"<svg onload=x>", &n("logo.svg"))));
        assert!(!inline_safe(sniff(b"<html>", &n("page.html"))));
        assert_eq!(
            sniff(b"hello", &n("notes.txt")),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            sniff(&[0xff, 0xfe, 0x00, 0x41, 0x42, 0x43, 0x44], &n("notes.txt")),
            "application/octet-stream"
        );
        assert_eq!(
            sniff(b"PK\x03\x04....", &n("report.docx")),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
    }
}
