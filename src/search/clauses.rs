//! The clauses a query is built of: each word by its stem with the title
//! and tag bonuses, how many words must match, phrases, the access filter
//! (inside the engine, so totals, facets and snippets only ever count what
//! the person may see) and the request's filters.

use super::allowed::{AccessCache, Allowed};
use super::query::Request;
use super::schema::{self, Fields};
use super::terms::stem;
use crate::access::search::SearchGrants;
use crate::service::Locale;
use std::sync::Arc;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Facet, IndexRecordOption};

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

/// The words in this order, in the title or the text (by their stems).
pub(super) fn phrase(f: &Fields, words: &[String], locale: Locale) -> Box<dyn Query> {
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
pub(super) const KEYWORDS: usize = 3;

/// How the words of a query must match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Match {
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
pub(super) fn text_query(
    f: &Fields,
    words: &[String],
    locale: Locale,
    how: Match,
) -> Box<dyn Query> {
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
pub(super) fn access_filter(
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

pub(super) fn filters(f: &Fields, r: &Request) -> Vec<(Occur, Box<dyn Query>)> {
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
    if let Some(s) = &r.state {
        out.push(exact(Box::new(TermQuery::new(
            Term::from_facet(f.facets, &Facet::from_path(["state", s.as_str()])),
            IndexRecordOption::Basic,
        ))));
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
