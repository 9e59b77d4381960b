//! Queries: the person's words (never parsed as operators, so no input can
//! fail), each matched folded, stemmed in French and English, with typos
//! forgiven on longer words and the last word as a prefix; AND the access
//! filter from `access::search`, inside the engine, so totals, facets and
//! snippets only ever count what the person may see.

use super::allowed::{AccessCache, Allowed};
use super::dates::DateCounts;
use super::feedback;
use super::index::Engine;
use super::rescore::{self, Phrase};
use super::schema::{self, Fields};
use super::snippet::Snippets;
use crate::access::search::SearchGrants;
use crate::service::Locale;
use std::sync::Arc;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
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

pub(super) fn boosted(q: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, by))
}

pub(super) fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
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

/// Up to this many words, a query is a few keywords: by default every one
/// must match. Longer ones (sentences, pasted questions) are ranked by how
/// many words match and how rare they are.
const KEYWORDS: usize = 3;

/// How the words of a query must match.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Match {
    /// Every word of a few keywords; any word of a longer query.
    Strict,
    /// At least this many of the words: for keywords that found few
    /// entries with all of them, as people's keywords often hold a word
    /// the page they look for lacks ("jump to given sheet" for "Go to Sheet").
    AtLeast(usize),
    /// Typos forgiven on longer words, the last word as a prefix: costly on
    /// a large index, so tried only when no entry holds any of the words.
    Lenient,
}

/// What the words match, before access and filters: each word by its stem
/// in the text (title, tags and body), with the field bonuses.
fn text_query(f: &Fields, words: &[String], locale: Locale, how: Match) -> Box<dyn Query> {
    let mut stemmer = schema::query_stems(locale);
    let every = words.len() <= KEYWORDS && matches!(how, Match::Strict | Match::Lenient);
    let lenient = how == Match::Lenient;
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
    match how {
        Match::AtLeast(n) if n > 1 => {
            Box::new(BooleanQuery::with_minimum_required_clauses(clauses, n))
        }
        _ => Box::new(BooleanQuery::new(clauses)),
    }
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

pub(super) fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn hit(
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

fn facet_counts(facets: &tantivy::collector::FacetCounts, root: &str) -> Vec<(String, u64)> {
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
/// snippets). A long query is widened by what its best first results are
/// about (see `feedback`).
fn build(
    searcher: &Searcher,
    f: &Fields,
    cache: &Arc<AccessCache>,
    grants: &SearchGrants,
    r: &Request,
    how: Match,
) -> tantivy::Result<Option<(BooleanQuery, Box<dyn Query>)>> {
    let words = content_words(&r.q, r.locale);
    if words.is_empty() {
        return Ok(None);
    }
    let mut text_clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, text_query(f, &words, r.locale, how))];
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
    if words.len() > KEYWORDS
        && !exact
        && how == Match::Strict
        && let Some(more) = feedback::feedback(searcher, f, &query)?
    {
        let widened = BooleanQuery::new(vec![
            (
                Occur::Should,
                boosted(
                    text.box_clone(),
                    feedback::FEEDBACK_ORIGINAL / words.len() as f32,
                ),
            ),
            (Occur::Should, more),
        ]);
        return Ok(Some((restricted(Box::new(widened)), text)));
    }
    Ok(Some((query, text)))
}

/// The entries a request finds, best (or newest) first, up to `limit`;
/// with the counts when asked.
struct Found {
    ranked: Vec<DocAddress>,
    counts: Option<Counts>,
}

struct Counts {
    total: usize,
    facets: tantivy::collector::FacetCounts,
    dated: [u64; 3],
}

impl Found {
    fn total(&self) -> usize {
        self.counts.as_ref().map_or(self.ranked.len(), |c| c.total)
    }
}

/// Runs the query with `top`, and the counts (total, facets, dates) in the
/// same pass when `counting`.
fn with_counts<C: tantivy::collector::Collector>(
    searcher: &Searcher,
    query: &BooleanQuery,
    top: C,
    counting: bool,
) -> tantivy::Result<(Option<Counts>, C::Fruit)> {
    if !counting {
        return Ok((None, searcher.search(query, &top)?));
    }
    let mut facets = FacetCollector::for_field("facets");
    for root in ["/kind", "/space", "/ext", "/author"] {
        facets.add_facet(Facet::from(root));
    }
    let dates = DateCounts::since(crate::util::now_ms());
    let (total, facets, (dated, fruit)) = searcher.search(query, &(Count, facets, (dates, top)))?;
    Ok((
        Some(Counts {
            total,
            facets,
            dated,
        }),
        fruit,
    ))
}

/// The entries `query` finds, in the request's order, up to `limit`.
fn gather(
    searcher: &Searcher,
    r: &Request,
    phrase: Option<&Phrase>,
    query: &BooleanQuery,
    limit: usize,
    counting: bool,
) -> tantivy::Result<Found> {
    let (counts, ranked) = if r.by_date {
        let top = TopDocs::with_limit(limit).order_by_fast_field::<i64>("updated", Order::Desc);
        let (counts, docs) = with_counts(searcher, query, top, counting)?;
        (counts, docs.into_iter().map(|(_, a)| a).collect())
    } else if r.recent {
        let now = crate::util::now_ms();
        let top =
            TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
                let updated = segment.fast_fields().i64("updated").ok();
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let at = updated.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                    let days = ((now - at).max(0) as f32) / 86_400_000.0;
                    score * (1.0 + 0.5 / (1.0 + days / 60.0))
                }
            });
        let (counts, docs) = with_counts(searcher, query, top, counting)?;
        (counts, rescored(searcher, phrase, docs)?)
    } else {
        let (counts, docs) = with_counts(searcher, query, TopDocs::with_limit(limit), counting)?;
        (counts, rescored(searcher, phrase, docs)?)
    };
    Ok(Found { ranked, counts })
}

/// What a request finds, in order: the entries with every keyword first;
/// when they are fewer than a window, those that lack one word, then those
/// with any (each run ranked on its own, after the previous ones); typos
/// forgiven only when no entry holds any of the words. The counts are
/// those of the widest run.
fn find(
    engine: &Engine,
    searcher: &Searcher,
    grants: &SearchGrants,
    r: &Request,
    limit: usize,
    counting: bool,
) -> tantivy::Result<Option<(Found, Box<dyn Query>)>> {
    let f = &engine.fields;
    let words = content_words(&r.q, r.locale);
    let phrase = Phrase::of(f, &words, r.locale);
    let Some((query, text)) = build(searcher, f, &engine.access, grants, r, Match::Strict)? else {
        return Ok(None);
    };
    let mut found = gather(searcher, r, phrase.as_ref(), &query, limit, counting)?;
    let mut wider: Vec<Match> = Vec::new();
    if (2..=KEYWORDS).contains(&words.len()) && quoted(&r.q).is_empty() {
        wider.extend((1..words.len()).rev().map(Match::AtLeast));
    }
    for how in wider {
        if found.total() >= rescore::WINDOW {
            break;
        }
        let Some((query, _)) = build(searcher, f, &engine.access, grants, r, how)? else {
            break;
        };
        let more = gather(
            searcher,
            r,
            phrase.as_ref(),
            &query,
            limit + found.ranked.len(),
            counting,
        )?;
        let seen: std::collections::HashSet<DocAddress> = found.ranked.iter().copied().collect();
        found
            .ranked
            .extend(more.ranked.into_iter().filter(|a| !seen.contains(a)));
        found.counts = more.counts.or(found.counts);
    }
    if found.total() == 0
        && let Some((query, text)) = build(searcher, f, &engine.access, grants, r, Match::Lenient)?
    {
        let found = gather(searcher, r, phrase.as_ref(), &query, limit, counting)?;
        return Ok(Some((found, text)));
    }
    Ok(Some((found, text)))
}

/// The keys of the best `limit` entries by relevance (evaluation, exports).
pub fn ranked(
    engine: &Engine,
    grants: &SearchGrants,
    q: &str,
    locale: Locale,
    limit: usize,
) -> tantivy::Result<Vec<String>> {
    let r = Request {
        q: q.to_string(),
        locale,
        ..Request::default()
    };
    let searcher = engine.reader.searcher();
    let window = limit.max(rescore::WINDOW);
    let Some((found, _)) = find(engine, &searcher, grants, &r, window, false)? else {
        return Ok(Vec::new());
    };
    // Keys come from their column, not the stored documents: no block of
    // stored text is decompressed for them.
    let mut columns = std::collections::HashMap::new();
    let mut keys = Vec::with_capacity(limit);
    for a in found.ranked.into_iter().take(limit) {
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
    let offset = r.page.min(500) * PAGE;
    // By relevance, a window is rescored, then the page cut from it.
    let limit = if r.by_date {
        offset + PAGE
    } else {
        (offset + PAGE).max(rescore::WINDOW)
    };
    let Some((found, text)) = find(engine, &searcher, grants, r, limit, true)? else {
        return Ok(Results::default());
    };
    let mut snippets = Snippets::new(&searcher, &*text, f.text)?;
    let hits = found
        .ranked
        .iter()
        .skip(offset)
        .take(PAGE)
        .map(|a| hit(&searcher, f, &mut snippets, *a))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let Some(counts) = found.counts else {
        return Ok(Results::default());
    };
    // With a date filter, the ranges would only repeat it.
    let dates = if r.from.is_none() && r.to.is_none() && counts.total > 0 {
        DATE_RANGES.iter().copied().zip(counts.dated).collect()
    } else {
        Vec::new()
    };
    let facets = &counts.facets;
    Ok(Results {
        total: counts.total,
        hits,
        facets: Facets {
            kinds: facet_counts(facets, "/kind"),
            spaces: facet_counts(facets, "/space")
                .into_iter()
                .filter_map(|(s, n)| s.parse().ok().map(|id| (id, n)))
                .collect(),
            exts: facet_counts(facets, "/ext"),
            authors: facet_counts(facets, "/author")
                .into_iter()
                .filter_map(|(s, n)| s.parse().ok().map(|id| (id, n)))
                .take(10)
                .collect(),
            dates,
        },
    })
}

/// `hits` (best first) after the window's rescoring.
fn rescored(
    searcher: &Searcher,
    phrase: Option<&Phrase>,
    mut hits: Vec<(tantivy::Score, DocAddress)>,
) -> tantivy::Result<Vec<DocAddress>> {
    if let Some(p) = phrase {
        p.rescore(searcher, &mut hits)?;
    }
    Ok(hits.into_iter().map(|(_, a)| a).collect())
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

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
