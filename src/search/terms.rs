//! The words of a query: never parsed as operators (so no input can fail),
//! cut to a sane length, without the stop words of the searcher's language,
//! and the quoted phrases.

use super::schema;
use crate::service::Locale;

/// Words taken from a query; the rest is ignored.
const MAX_TERMS: usize = 32;
/// Characters of a query looked at.
pub(super) const MAX_CHARS: usize = 300;

/// The words of a query as the plain analyzer sees them.
pub fn words(q: &str) -> Vec<String> {
    let mut w = all_words(q);
    w.truncate(MAX_TERMS);
    w
}

/// Every word of a query (its first `MAX_CHARS` characters).
fn all_words(q: &str) -> Vec<String> {
    let q: String = q
        .chars()
        .take(MAX_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    schema::tokens(&mut schema::plain(), &q)
}

/// The words that carry meaning: without the stop words of the searcher's
/// language ("the", "are"; "les", "des"), unless nothing else is left. The
/// other language's are kept: "not" means something in the French query
/// "Not opérateur (logique)".
pub fn content_words(q: &str, locale: Locale) -> Vec<String> {
    let all = all_words(q);
    let mut stops = schema::stop_words(locale);
    let mut kept: Vec<String> = all
        .iter()
        .filter(|w| !schema::tokens(&mut stops, w).is_empty())
        .cloned()
        .collect();
    if kept.is_empty() {
        kept = all;
    }
    // Stop words go before the cut, so a long question keeps its content.
    kept.truncate(MAX_TERMS);
    kept
}

/// A (folded) word's stem in the searcher's language.
pub(super) fn stem(analyzer: &mut tantivy::tokenizer::TextAnalyzer, word: &str) -> String {
    schema::tokens(analyzer, word)
        .into_iter()
        .next()
        .unwrap_or_else(|| word.to_string())
}

/// The quoted parts of a query ("framework contract"), as word lists.
pub fn quoted(q: &str) -> Vec<Vec<String>> {
    let q: String = q.chars().take(MAX_CHARS).collect();
    q.split('"')
        .skip(1)
        .step_by(2)
        .map(words)
        .filter(|w| w.len() >= 2)
        .take(4)
        .collect()
}
