//! Queries: the person's words (never parsed as operators, so no input can
//! fail), each matched folded, stemmed in French and English, with typos
//! forgiven on longer words and the last word as a prefix; AND the access
//! filter from `access::search`, inside the engine, so totals, facets and
//! snippets only ever count what the person may see.

use super::allowed::{AccessCache, Allowed};
use super::index::Engine;
use super::rescore::{self, Phrase};
use super::schema::{self, Fields};
use crate::access::search::SearchGrants;
use crate::service::Locale;
use std::sync::Arc;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

/// Words taken from a query; the rest is ignored.
const MAX_TERMS: usize = 32;
/// Characters of a query looked at.
const MAX_CHARS: usize = 300;
pub const PAGE: usize = 20;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub q: String,
    pub kind: Option<String>,
    pub space: Option<i64>,
    pub ext: Option<String>,
    pub author: Option<i64>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub by_date: bool,
    /// Relevance, with recent entries lifted (up to ×1.5 for today, half of
    /// that after ~60 days).
    pub recent: bool,
    pub page: usize,
    /// The searcher's language: which stems the words are matched by.
    pub locale: Locale,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub kind: String,
    pub title: String,
    pub url: String,
    /// HTML: the text escaped, matches in `<b>`.
    pub snippet: String,
    pub space: Option<i64>,
    pub updated: i64,
    pub tags: String,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Facets {
    pub kinds: Vec<(String, u64)>,
    pub spaces: Vec<(i64, u64)>,
    pub exts: Vec<(String, u64)>,
    pub authors: Vec<(i64, u64)>,
    /// Entries changed in the last 7, 30 and 365 days.
    pub dates: Vec<(u32, u64)>,
}

/// The date ranges counted, in days back from now.
pub const DATE_RANGES: [u32; 3] = [7, 30, 365];

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

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

/// The words that carry meaning: without English and French stop words
/// ("what", "the", "les"…), unless nothing else is left.
pub fn content_words(q: &str) -> Vec<String> {
    let all = all_words(q);
    let mut stops = schema::stop_words();
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
fn stem(analyzer: &mut tantivy::tokenizer::TextAnalyzer, word: &str) -> String {
    schema::tokens(analyzer, word)
        .into_iter()
        .next()
        .unwrap_or_else(|| word.to_string())
}

/// `required`, scored higher where `bonus` matches too. A bonus is only
/// ever looked up for the documents `required` finds (no union to walk).
fn with_bonus(required: Box<dyn Query>, bonus: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, required),
        (Occur::Should, bonus),
    ]))
}

fn boosted(q: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, by))
}

fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
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

/// The words in this order, in the title or the text (by their stems).
fn phrase(f: &Fields, words: &[String], locale: Locale) -> Box<dyn Query> {
    let mut stemmer = schema::query_stems(locale);
    let stems: Vec<String> = words.iter().map(|w| stem(&mut stemmer, w)).collect();
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, boosted(phrase_on(f.title, words), 2.0)),
        (Occur::Should, phrase_on(f.text, &stems)),
    ]))
}

fn phrase_on(field: tantivy::schema::Field, words: &[String]) -> Box<dyn Query> {
    Box::new(PhraseQuery::new(
        words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect(),
    ))
}

/// Field weights, on top of the text's BM25 (which already counts title
/// and tag words, and a short title scores high there): a word in the title
/// or in the tags ranks the entry a little higher. Measured on the
/// collections of `benches/relevance.rs`: a larger title weight lowers
/// relevance on both (CISI's titles say little about its abstracts).
const TITLE_BONUS: f32 = 0.3;
const TAG_BONUS: f32 = 0.5;

/// What the words match, before access and filters: each word by its stem
/// in the text (title, tags and body), with the field bonuses.
/// `lenient` forgives one typo on longer words and takes the last word as
/// a prefix: costly on a large index, so it is tried only when the exact
/// words find nothing.
fn text_query(f: &Fields, words: &[String], locale: Locale, lenient: bool) -> Box<dyn Query> {
    let mut stemmer = schema::query_stems(locale);
    // Short queries need every word; longer ones (sentences, pasted
    // questions) are ranked by how many words match and how rare they are.
    let every = words.len() <= 3;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let s = stem(&mut stemmer, w);
        let chars = w.chars().count();
        let mut word = term(f.text, &s);
        if lenient {
            let mut variants = vec![word];
            if every && chars >= 5 {
                let q = FuzzyTermQuery::new(Term::from_field_text(f.text, &s), 1, true);
                variants.push(boosted(Box::new(q), 0.4));
            }
            if i + 1 == words.len() && chars >= 2 {
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(f.title, w), 0, false);
                variants.push(boosted(Box::new(q), 1.5));
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(f.tags, w), 0, false);
                variants.push(Box::new(q));
            }
            word = Box::new(DisjunctionMaxQuery::with_tie_breaker(variants, 0.2));
        }
        word = with_bonus(word, boosted(term(f.title_stems, &s), TITLE_BONUS));
        word = with_bonus(word, boosted(term(f.tags, w), TAG_BONUS));
        clauses.push((if every { Occur::Must } else { Occur::Should }, word));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The access filter: one of the person's tokens, none of their refused restrictions.
fn access_filter(
    f: &Fields,
    grants: &SearchGrants,
    cache: &Arc<AccessCache>,
) -> Vec<(Occur, Box<dyn Query>)> {
    let allow = Allowed::new(f.allow, &grants.allow, cache.clone());
    let mut out: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(ConstScoreQuery::new(Box::new(allow), 0.0)),
    )];
    if !grants.deny.is_empty() {
        let deny = TermSetQuery::new(
            grants
                .deny
                .iter()
                .map(|t| Term::from_field_text(f.restrict, t)),
        );
        out.push((Occur::MustNot, Box::new(deny)));
    }
    out
}

fn filters(f: &Fields, r: &Request) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let exact = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
        (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
    };
    if let Some(k) = &r.kind {
        out.push(exact(term(f.kind, k)));
    }
    if let Some(e) = &r.ext {
        out.push(exact(term(f.ext, e)));
    }
    if let Some(a) = r.author {
        out.push(exact(term(f.author, &a.to_string())));
    }
    if let Some(s) = r.space {
        out.push(exact(Box::new(TermQuery::new(
            Term::from_field_i64(f.space, s),
            IndexRecordOption::Basic,
        ))));
    }
    if r.from.is_some() || r.to.is_some() {
        let lo = Term::from_field_i64(f.updated, r.from.unwrap_or(i64::MIN));
        let hi = Term::from_field_i64(f.updated, r.to.unwrap_or(i64::MAX));
        out.push(exact(Box::new(RangeQuery::new(
            std::ops::Bound::Included(lo),
            std::ops::Bound::Included(hi),
        ))));
    }
    out
}

fn escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn hit(
    searcher: &Searcher,
    f: &Fields,
    snippets: &SnippetGenerator,
    at: DocAddress,
) -> tantivy::Result<Hit> {
    let doc: TantivyDocument = searcher.doc(at)?;
    let body = stored_text(&doc, f.body);
    // The body is matched by its stems: the passage is found the same way
    // (the body field itself is stored only).
    let found = snippets.snippet(&body);
    let mut snippet = found.to_html();
    if !snippet.is_empty() {
        // Say when the passage is cut from a longer text; a passage that
        // only lacks the closing punctuation gets it back instead.
        let fragment = found.fragment();
        let marks = |s: &str| {
            s.chars()
                .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
        };
        let (before, after) = match body.find(fragment) {
            Some(at) => (&body[..at], &body[at + fragment.len()..]),
            None => ("…", "…"),
        };
        if !marks(before) {
            snippet.insert(0, '…');
        }
        if marks(after) {
            snippet.push_str(&escape(after.trim()));
        } else {
            snippet.push('…');
        }
    }
    if snippet.is_empty() {
        let short: String = body.chars().take(160).collect();
        snippet = escape(&short);
    }
    Ok(Hit {
        kind: stored_text(&doc, f.kind),
        title: stored_text(&doc, f.title),
        url: stored_text(&doc, f.url),
        snippet,
        space: doc.get_first(f.space).and_then(|v| v.as_i64()),
        updated: doc
            .get_first(f.updated)
            .and_then(|v| v.as_i64())
            .unwrap_or(0),
        tags: stored_text(&doc, f.tags),
    })
}

fn counts(facets: &tantivy::collector::FacetCounts, root: &str) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = facets
        .get(root)
        .map(|(facet, n)| {
            let path = facet.to_path();
            (path.last().map(|s| s.to_string()).unwrap_or_default(), n)
        })
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The whole query for a request: the words (and phrases), the access
/// filter and the request's filters; and the words' part alone (for
/// snippets). A long query (a sentence, a pasted paragraph) is widened by
/// what its best first results are about.
fn build(
    searcher: &Searcher,
    f: &Fields,
    cache: &Arc<AccessCache>,
    grants: &SearchGrants,
    r: &Request,
    lenient: bool,
) -> tantivy::Result<Option<(BooleanQuery, Box<dyn Query>)>> {
    let words = content_words(&r.q);
    if words.is_empty() {
        return Ok(None);
    }
    let mut text_clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, text_query(f, &words, r.locale, lenient))];
    // Quoted words must come in that order; unquoted ones rank higher when they do.
    let phrases = quoted(&r.q);
    let exact = !phrases.is_empty();
    for q in phrases {
        text_clauses.push((Occur::Must, phrase(f, &q, r.locale)));
    }
    // Unquoted words rank higher together: see `rescore`.
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(text_clauses));
    let restricted = |text: Box<dyn Query>| {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        clauses.extend(access_filter(f, grants, cache));
        clauses.extend(filters(f, r));
        BooleanQuery::new(clauses)
    };
    let query = restricted(text.box_clone());
    if words.len() > 3
        && !exact
        && !lenient
        && let Some(more) = feedback(searcher, f, &query)?
    {
        let widened = BooleanQuery::new(vec![
            (
                Occur::Should,
                boosted(text.box_clone(), FEEDBACK_ORIGINAL / words.len() as f32),
            ),
            (Occur::Should, more),
        ]);
        return Ok(Some((restricted(Box::new(widened)), text)));
    }
    Ok(Some((query, text)))
}

/// Relevance feedback (RM3): from the best first results of `query`
/// (trimmed like any search, so only what the person may see is read), the
/// stems that weigh most, as a query whose weights add up to the feedback's
/// share.
const FEEDBACK_DOCS: usize = 10;
const FEEDBACK_TERMS: usize = 20;
/// The original query's share of a widened one.
const FEEDBACK_ORIGINAL: f32 = 0.5;
/// Text read per result.
const FEEDBACK_CHARS: usize = 8_000;

fn feedback(
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

/// The keys of the best `limit` entries by relevance (evaluation, exports).
pub fn ranked(
    engine: &Engine,
    grants: &SearchGrants,
    q: &str,
    limit: usize,
) -> tantivy::Result<Vec<String>> {
    let r = Request {
        q: q.to_string(),
        ..Request::default()
    };
    let searcher = engine.reader.searcher();
    let Some((query, _)) = build(&searcher, &engine.fields, &engine.access, grants, &r, false)?
    else {
        return Ok(Vec::new());
    };
    let window = TopDocs::with_limit(limit.max(rescore::WINDOW));
    let mut top = searcher.search(&query, &window)?;
    if top.is_empty()
        && let Some((lenient, _)) =
            build(&searcher, &engine.fields, &engine.access, grants, &r, true)?
    {
        top = searcher.search(&lenient, &window)?;
    }
    if let Some(phrase) = Phrase::of(&engine.fields, &content_words(q), r.locale) {
        phrase.rescore(&searcher, &mut top)?;
    }
    top.truncate(limit);
    // Keys come from their column, not the stored documents: no block of
    // stored text is decompressed for them.
    let mut columns = std::collections::HashMap::new();
    let mut keys = Vec::with_capacity(top.len());
    for (_, a) in top {
        let column = match columns.entry(a.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(a.segment_ord)
                    .fast_fields()
                    .str("key")?,
            ),
        };
        let mut key = String::new();
        if let Some(column) = column
            && let Some(ord) = column.ords().first(a.doc_id)
        {
            column.ord_to_str(ord, &mut key)?;
        }
        keys.push(key);
    }
    Ok(keys)
}

/// Runs a search for a person (their grants); an empty query finds nothing.
pub fn search(engine: &Engine, grants: &SearchGrants, r: &Request) -> tantivy::Result<Results> {
    let f = &engine.fields;
    let searcher = engine.reader.searcher();
    let Some((query, text)) = build(&searcher, f, &engine.access, grants, r, false)? else {
        return Ok(Results::default());
    };
    let exact = collect(&searcher, f, r, &query, &*text)?;
    // Nothing with the exact words: forgive a typo, finish the last word.
    if exact.total == 0
        && let Some((query, text)) = build(&searcher, f, &engine.access, grants, r, true)?
    {
        return collect(&searcher, f, r, &query, &*text);
    }
    Ok(exact)
}

/// The page at `offset` of `hits` (best first), after the window's rescoring.
fn rescored(
    searcher: &Searcher,
    phrase: Option<Phrase>,
    mut hits: Vec<(tantivy::Score, DocAddress)>,
    offset: usize,
) -> tantivy::Result<Vec<DocAddress>> {
    if let Some(p) = phrase {
        p.rescore(searcher, &mut hits)?;
    }
    Ok(hits
        .into_iter()
        .skip(offset)
        .take(PAGE)
        .map(|(_, a)| a)
        .collect())
}

/// A page of results, with the total, facets and snippets.
fn collect(
    searcher: &Searcher,
    f: &Fields,
    r: &Request,
    query: &BooleanQuery,
    text: &dyn Query,
) -> tantivy::Result<Results> {
    let mut facet_collector = FacetCollector::for_field("facets");
    for root in ["/kind", "/space", "/ext", "/author"] {
        facet_collector.add_facet(Facet::from(root));
    }
    let offset = r.page.min(500) * PAGE;
    // By relevance, the window is rescored, then the page cut from it.
    let ranked_limit = (offset + PAGE).max(rescore::WINDOW);
    let phrase = Phrase::of(f, &content_words(&r.q), r.locale);
    let mut snippets = SnippetGenerator::create(searcher, text, f.text)?;
    snippets.set_max_num_chars(180);
    let dates = DateCounts::since(crate::util::now_ms());
    let (total, facets, dated, addresses) = if r.by_date {
        let top = TopDocs::with_limit(PAGE)
            .and_offset(offset)
            .order_by_fast_field::<i64>("updated", Order::Desc);
        let (total, facets, (dated, docs)) =
            searcher.search(query, &(Count, facet_collector, (dates, top)))?;
        (
            total,
            facets,
            dated,
            docs.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
        )
    } else if r.recent {
        let now = crate::util::now_ms();
        let top = TopDocs::with_limit(ranked_limit).tweak_score(
            move |segment: &tantivy::SegmentReader| {
                let updated = segment.fast_fields().i64("updated").ok();
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let at = updated.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                    let days = ((now - at).max(0) as f32) / 86_400_000.0;
                    score * (1.0 + 0.5 / (1.0 + days / 60.0))
                }
            },
        );
        let (total, facets, (dated, docs)) =
            searcher.search(query, &(Count, facet_collector, (dates, top)))?;
        (
            total,
            facets,
            dated,
            rescored(searcher, phrase, docs, offset)?,
        )
    } else {
        let top = TopDocs::with_limit(ranked_limit);
        let (total, facets, (dated, docs)) =
            searcher.search(query, &(Count, facet_collector, (dates, top)))?;
        (
            total,
            facets,
            dated,
            rescored(searcher, phrase, docs, offset)?,
        )
    };
    let hits = addresses
        .into_iter()
        .map(|a| hit(searcher, f, &snippets, a))
        .collect::<tantivy::Result<Vec<_>>>()?;
    // With a date filter, the ranges would only repeat it.
    let dates = if r.from.is_none() && r.to.is_none() && total > 0 {
        DATE_RANGES.iter().copied().zip(dated).collect()
    } else {
        Vec::new()
    };
    Ok(Results {
        total,
        hits,
        facets: Facets {
            kinds: counts(&facets, "/kind"),
            spaces: counts(&facets, "/space")
                .into_iter()
                .filter_map(|(s, n)| s.parse().ok().map(|id| (id, n)))
                .collect(),
            exts: counts(&facets, "/ext"),
            authors: counts(&facets, "/author")
                .into_iter()
                .filter_map(|(s, n)| s.parse().ok().map(|id| (id, n)))
                .take(10)
                .collect(),
            dates,
        },
    })
}

/// Counts, in the same pass as the hits, the entries changed within each of
/// `DATE_RANGES` (relative to now, so counted rather than indexed).
struct DateCounts {
    since: [i64; 3],
}

impl DateCounts {
    fn since(now: i64) -> DateCounts {
        DateCounts {
            since: DATE_RANGES.map(|days| now - i64::from(days) * 86_400_000),
        }
    }
}

struct DateSegment {
    updated: Option<tantivy::columnar::Column<i64>>,
    since: [i64; 3],
    counts: [u64; 3],
}

impl tantivy::collector::Collector for DateCounts {
    type Fruit = [u64; 3];
    type Child = DateSegment;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<DateSegment> {
        Ok(DateSegment {
            updated: segment.fast_fields().i64("updated").ok(),
            since: self.since,
            counts: [0; 3],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<[u64; 3]>) -> tantivy::Result<[u64; 3]> {
        let mut total = [0; 3];
        for f in fruits {
            for (t, n) in total.iter_mut().zip(f) {
                *t += n;
            }
        }
        Ok(total)
    }
}

impl tantivy::collector::SegmentCollector for DateSegment {
    type Fruit = [u64; 3];

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        let Some(at) = self.updated.as_ref().and_then(|c| c.first(doc)) else {
            return;
        };
        for (n, since) in self.counts.iter_mut().zip(self.since) {
            if at >= since {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> [u64; 3] {
        self.counts
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Suggestion {
    pub kind: String,
    pub title: String,
    pub url: String,
}

/// Titles that start like what is being typed, for the search box.
pub fn suggest(
    engine: &Engine,
    grants: &SearchGrants,
    q: &str,
) -> tantivy::Result<Vec<Suggestion>> {
    let f = &engine.fields;
    let words = words(q);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let q: Box<dyn Query> = if i + 1 == words.len() {
            Box::new(FuzzyTermQuery::new_prefix(
                Term::from_field_text(f.title, w),
                0,
                false,
            ))
        } else {
            term(f.title, w)
        };
        musts.push((Occur::Must, q));
    }
    musts.extend(access_filter(f, grants, &engine.access));
    let query = BooleanQuery::new(musts);
    let searcher = engine.reader.searcher();
    let top = searcher.search(&query, &TopDocs::with_limit(8))?;
    top.into_iter()
        .map(|(_, a)| {
            let doc: TantivyDocument = searcher.doc(a)?;
            Ok(Suggestion {
                kind: stored_text(&doc, f.kind),
                title: stored_text(&doc, f.title),
                url: stored_text(&doc, f.url),
            })
        })
        .collect()
}
