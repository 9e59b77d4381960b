//! A result as shown: its stored fields, and the passage of its text where
//! the words are, escaped, the words in `<b>`.

use super::query::Hit;
use super::schema::Fields;
use super::snippet::Snippets;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

fn escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

pub(super) fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

pub(super) fn hit(
    searcher: &Searcher,
    f: &Fields,
    snippets: &mut Snippets,
    at: DocAddress,
) -> tantivy::Result<Hit> {
    let doc: TantivyDocument = searcher.doc(at)?;
    let body = stored_text(&doc, f.body);
    Ok(Hit {
        kind: stored_text(&doc, f.kind),
        title: stored_text(&doc, f.title),
        url: stored_text(&doc, f.url),
        snippet: snippet_html(snippets, &body),
        space: doc.get_first(f.space).and_then(|v| v.as_i64()),
        updated: doc
            .get_first(f.updated)
            .and_then(|v| v.as_i64())
            .unwrap_or(0),
        tags: stored_text(&doc, f.tags),
    })
}

/// The passage of `body` where the words are, escaped, the words in `<b>`;
/// "…" where it is cut from a longer text (a passage that only lacks the
/// closing punctuation gets it back instead). The text's start when the
/// words are not in it (they were in the title or the tags).
fn snippet_html(snippets: &mut Snippets, body: &str) -> String {
    let Some(p) = snippets.passage(body) else {
        let short: String = body.chars().take(160).collect();
        return escape(&short);
    };
    let marks = |s: &str| {
        s.chars()
            .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
    };
    let mut out = String::with_capacity(p.text.len() + 32);
    if !marks(&body[..p.start]) {
        out.push('…');
    }
    let mut at = 0;
    for m in &p.matches {
        out.push_str(&escape(&p.text[at..m.start]));
        out.push_str("<b>");
        out.push_str(&escape(&p.text[m.clone()]));
        out.push_str("</b>");
        at = m.end;
    }
    out.push_str(&escape(&p.text[at..]));
    let after = &body[p.start + p.text.len()..];
    if marks(after) {
        out.push_str(&escape(after.trim()));
    } else {
        out.push('…');
    }
    out
}
