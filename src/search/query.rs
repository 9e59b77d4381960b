//! Queries: the person's words (see `terms`), each matched folded and
//! stemmed (see `clauses`), run in tiers — every word, then all but one,
//! then any, then typos forgiven — AND the access filter from
//! `access::search`; the page of results with its facets and snippets.

use super::allowed::AccessCache;
use super::clauses::{KEYWORDS, Match, access_filter, boosted, filters, phrase, term, text_query};
use super::dates::DateCounts;
use super::feedback;
use super::hits::{hit, stored_text};
use super::index::Engine;
use super::rescore::{self, Phrase};
use super::schema::Fields;
use super::snippet::Snippets;
use super::terms::{content_words, quoted, words};
use crate::access::search::SearchGrants;
use crate::service::Locale;
use std::sync::Arc;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query};
use tantivy::schema::Facet;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

pub const PAGE: usize = 20;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub q: String,
    pub kind: Option<String>,
    pub space: Option<i64>,
    pub ext: Option<String>,
    /// A review state (files and their flows).
    pub state: Option<String>,
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
    pub states: Vec<(String, u64)>,
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
    for root in ["/kind", "/space", "/ext", "/state", "/author"] {
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
            states: facet_counts(facets, "/state"),
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
