//! Relevance feedback for long queries (a sentence, a pasted paragraph):
//! the query is widened by what its best first results are about.

use super::clauses::{boosted, term};
use super::hits::stored_text;
use super::schema::{self, Fields};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{Searcher, TantivyDocument};

/// Relevance feedback (RM3): from the best first results of `query`
/// (trimmed like any search, so only what the person may see is read), the
/// stems that weigh most, as a query whose weights add up to the feedback's
/// share.
const FEEDBACK_DOCS: usize = 10;
const FEEDBACK_TERMS: usize = 20;
/// The original query's share of a widened one.
pub const FEEDBACK_ORIGINAL: f32 = 0.5;
/// Text read per result.
const FEEDBACK_CHARS: usize = 8_000;

pub fn feedback(
    searcher: &Searcher,
    f: &Fields,
    query: &dyn Query,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let top = searcher.search(query, &TopDocs::with_limit(FEEDBACK_DOCS))?;
    let total: f32 = top.iter().map(|(score, _)| *score).sum();
    if top.is_empty() || total <= 0.0 {
        return Ok(None);
    }
    let mut analyzer = schema::content_stems();
    let mut weights: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
    for (score, at) in &top {
        let doc: TantivyDocument = searcher.doc(*at)?;
        let text: String = stored_text(&doc, f.title)
            .chars()
            .chain(std::iter::once('\n'))
            .chain(stored_text(&doc, f.body).chars())
            .take(FEEDBACK_CHARS)
            .collect();
        let stems = schema::tokens(&mut analyzer, &text);
        if stems.is_empty() {
            continue;
        }
        // P(stem | result) × P(result | query)
        let share = score / total / stems.len() as f32;
        for s in stems {
            *weights.entry(s).or_default() += share;
        }
    }
    let mut best: Vec<(String, f32)> = weights
        .into_iter()
        .filter(|(s, _)| s.chars().count() >= 3 && !s.chars().all(|c| c.is_ascii_digit()))
        .collect();
    best.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    best.truncate(FEEDBACK_TERMS);
    let sum: f32 = best.iter().map(|(_, w)| w).sum();
    if sum <= 0.0 {
        return Ok(None);
    }
    let clauses = best
        .into_iter()
        .map(|(s, w)| {
            let by = (1.0 - FEEDBACK_ORIGINAL) * w / sum;
            (Occur::Should, boosted(term(f.text, &s), by))
        })
        .collect();
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}
