//! Text out of stored files, in pure Rust and within limits: plain text,
//! Markdown, HTML, PDF, and the zip-and-XML office formats (DOCX, XLSX,
//! PPTX, ODT, ODS, ODP). Reading is bounded in bytes (also after
//! decompression) and in time; a file that is too large, damaged, hostile or
//! of another format is indexed by its name, description and tags only, and
//! the reason is recorded with the file's extract.

use crate::blobs::BlobStore;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Files larger than this are not read for their text.
pub const MAX_FILE: u64 = 64 * 1024 * 1024;
/// At most this much is decompressed from an office file.
const MAX_UNZIPPED: u64 = 64 * 1024 * 1024;
/// At most this many parts are looked at in an office file.
const MAX_PARTS: usize = 2_000;
/// At most this much text is kept per file.
pub const MAX_TEXT: usize = 1024 * 1024;
/// The longest a PDF's extraction may run.
const PDF_TIME: Duration = Duration::from_secs(20);

pub use crate::blobs::extracts::Extract;

fn cap(mut text: String) -> String {
    if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    /// Zip of XML parts: which parts hold the text.
    Office(&'static [&'static str]),
}

fn format_of(content_type: &str) -> Option<Format> {
    Some(match content_type {
        "text/plain; charset=utf-8" | "text/csv; charset=utf-8" => Format::Text,
        "text/markdown; charset=utf-8" => Format::Markdown,
        "text/html; charset=utf-8" | "text/html" => Format::Html,
        "application/pdf" => Format::Pdf,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            Format::Office(&[
                "word/document.xml",
                "word/header",
                "word/footer",
                "word/footnotes.xml",
            ])
        }
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            Format::Office(&["xl/sharedStrings.xml", "xl/worksheets/sheet"])
        }
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            Format::Office(&["ppt/slides/slide", "ppt/notesSlides/notesSlide"])
        }
        "application/vnd.oasis.opendocument.text"
        | "application/vnd.oasis.opendocument.spreadsheet"
        | "application/vnd.oasis.opendocument.presentation" => Format::Office(&["content.xml"]),
        _ => return None,
    })
}

/// The text of a stored file (blocking; call off the async threads).
pub fn text_of(blobs: &BlobStore, hash: &str, content_type: &str) -> Extract {
    let Some(format) = format_of(content_type) else {
        return Extract::NoText(format!("no text in {content_type}"));
    };
    if blobs.size(hash).ok().flatten().unwrap_or(0) > MAX_FILE {
        return Extract::Failed(format!("larger than {} MiB", MAX_FILE / 1024 / 1024));
    }
    let bytes = match blobs.read_start(hash, MAX_FILE + 1) {
        Ok(Some(b)) => b,
        Ok(None) => return Extract::Failed(format!("blob {hash} missing")),
        Err(e) => return Extract::Failed(e.to_string()),
    };
    if bytes.len() as u64 > MAX_FILE {
        return Extract::Failed(format!("larger than {} MiB", MAX_FILE / 1024 / 1024));
    }
    let result = match format {
        Format::Text => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Format::Markdown => Ok(html_text(&crate::text::markdown::to_html(
            &String::from_utf8_lossy(&bytes),
        ))),
        Format::Html => Ok(html_text(&String::from_utf8_lossy(&bytes))),
        Format::Pdf => pdf_text(bytes),
        Format::Office(parts) => office_text(&bytes, parts),
    };
    match result {
        Ok(text) => Extract::Text(cap(text)),
        Err(reason) => Extract::Failed(reason),
    }
}

/// The visible text of an HTML page: scripts and styles dropped, tags removed.
pub fn html_text(html: &str) -> String {
    // A space at every tag, so that table cells and list items that touch
    // in the markup stay separate words.
    let spaced = html.replace('<', " <");
    let cleaned = ammonia::Builder::empty()
        .clean_content_tags(["script", "style", "template"].into())
        .clean(&spaced)
        .to_string();
    let text = cleaned
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One PDF at a time may be still running after its time is up: a hostile
/// file cannot pile up stuck extractions.
static PDF_STUCK: AtomicBool = AtomicBool::new(false);

/// A PDF's text, in a thread of its own: a panic in the parser is caught,
/// and a parser still running after `PDF_TIME` is left behind (the file is
/// recorded as too slow) while the indexer goes on.
fn pdf_text(bytes: Vec<u8>) -> Result<String, String> {
    if PDF_STUCK.load(Ordering::SeqCst) {
        return Err("an earlier PDF is still being read".into());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("pdf-text".into())
        .spawn(move || {
            let out = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&bytes));
            let _ = tx.send(out);
            PDF_STUCK.store(false, Ordering::SeqCst);
        });
    if spawned.is_err() {
        return Err("no thread for the PDF reader".into());
    }
    match rx.recv_timeout(PDF_TIME) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(e))) => Err(format!("unreadable PDF: {e}")),
        Ok(Err(_)) => Err("the PDF reader failed on this file".into()),
        Err(_) => {
            PDF_STUCK.store(true, Ordering::SeqCst);
            Err(format!("reading took longer than {} s", PDF_TIME.as_secs()))
        }
    }
}

/// The text of the XML parts of a zip container whose names start with one
/// of `parts`, bounded in parts and in decompressed bytes.
fn office_text(bytes: &[u8], parts: &[&str]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable office file: {e}"))?;
    if zip.len() > MAX_PARTS {
        return Err(format!("more than {MAX_PARTS} parts"));
    }
    let mut names: Vec<String> = zip
        .file_names()
        .filter(|n| parts.iter().any(|p| n.starts_with(p)) && n.ends_with(".xml"))
        .map(str::to_string)
        .collect();
    // slide2 before slide10.
    names.sort_by_key(|n| part_order(n));
    let mut budget = MAX_UNZIPPED;
    let mut out = String::new();
    for name in names {
        let entry = zip
            .by_name(&name)
            .map_err(|e| format!("damaged part {name}: {e}"))?;
        let mut xml = Vec::new();
        entry
            .take(budget + 1)
            .read_to_end(&mut xml)
            .map_err(|e| format!("damaged part {name}: {e}"))?;
        if xml.len() as u64 > budget {
            return Err(format!(
                "more than {} MiB once unpacked",
                MAX_UNZIPPED / 1024 / 1024
            ));
        }
        budget -= xml.len() as u64;
        xml_text(&xml, &mut out)?;
        if out.len() > MAX_TEXT {
            break;
        }
    }
    Ok(out)
}

/// "ppt/slides/slide12.xml" → ("ppt/slides/slide", 12).
fn part_order(name: &str) -> (String, u64) {
    let stem = name.strip_suffix(".xml").unwrap_or(name);
    let prefix = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    let number = stem[prefix.len()..].parse().unwrap_or(0);
    (prefix.to_string(), number)
}

/// Appends the character data of an XML part, a line break after each
/// paragraph, row or slide element and a space after each cell.
fn xml_text(xml: &[u8], out: &mut String) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Text(t)) => {
                if let Ok(text) = t.decode() {
                    let text = quick_xml::escape::unescape(&text)
                        .map(|c| c.into_owned())
                        .unwrap_or_else(|_| text.into_owned());
                    out.push_str(&text);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                // Entities inside text (&amp; …) come apart from it.
                if let Ok(name) = r.decode() {
                    let ch = match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    };
                    out.push_str(ch);
                }
            }
            // Runs of text (w:t, a:t, text:span) join without a space: one
            // word may be split across them.
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"p" | b"h" | b"row" | b"table-row" | b"sp" | b"si" => out.push('\n'),
                b"c" | b"tc" | b"table-cell" if !out.ends_with([' ', '\n']) => out.push(' '),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"s" | b"tab" => out.push(' '),
                b"br" | b"line-break" | b"cr" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("damaged XML: {e}")),
        }
        buf.clear();
        if out.len() > MAX_TEXT {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_the_words_and_drops_the_code() {
        let t = html_text(
            "<html><head><style>p{}</style><script>alert('x')</script></head><body><p>Réunion &amp; <b>budget</b></p></body></html>",
        );
        assert!(t.contains("Réunion & budget"), "{t}");
        assert!(!t.contains("alert") && !t.contains("p{}"), "{t}");
        let t = html_text("<table><tr><td>Milestone</td><td>Week</td></tr></table>");
        assert_eq!(t, "Milestone Week");
    }

    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        for (name, body) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, body.as_bytes()).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn office_files_give_their_words_in_order() {
        let docx = zip_of(&[(
            "word/document.xml",
            r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>Contrat</w:t></w:r><w:r><w:t xml:space="preserve"> cadre &amp; annexe</w:t></w:r></w:p><w:p><w:r><w:t>Deuxième paragraphe</w:t></w:r></w:p></w:body></w:document>"#,
        )]);
        let t = office_text(&docx, &["word/document.xml"]).unwrap();
        assert!(t.contains("Contrat cadre & annexe"), "{t:?}");
        assert!(t.contains("Deuxième paragraphe"), "{t:?}");
        let pptx = zip_of(&[
            ("ppt/slides/slide10.xml", "<p:sld><a:t>ten</a:t></p:sld>"),
            ("ppt/slides/slide2.xml", "<p:sld><a:t>two</a:t></p:sld>"),
        ]);
        let t = office_text(&pptx, &["ppt/slides/slide"]).unwrap();
        assert!(t.find("two") < t.find("ten"), "{t:?}");
    }

    #[test]
    fn hostile_containers_are_refused_not_followed() {
        assert!(office_text(b"PK\x03\x04 not a zip", &["content.xml"]).is_err());
        // A part that unpacks far beyond the budget.
        let big = "a".repeat(1024 * 1024);
        let mut parts = Vec::new();
        let names: Vec<String> = (0..70)
            .map(|i| format!("xl/worksheets/sheet{i}.xml"))
            .collect();
        for n in &names {
            parts.push((n.as_str(), big.as_str()));
        }
        let bomb = zip_of(&parts);
        assert!(bomb.len() < 2 * 1024 * 1024, "compressed small");
        let r = office_text(&bomb, &["xl/worksheets/sheet"]);
        assert!(r.is_err() || r.unwrap().len() <= MAX_TEXT + 1024 * 1024);
        assert!(xml_text(b"<a><b></a>", &mut String::new()).is_err());
    }

    #[test]
    fn a_damaged_pdf_is_a_reason_not_a_crash() {
        assert!(pdf_text(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer".to_vec()).is_err());
    }
}
