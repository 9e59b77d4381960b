//! Rescoring of the best results: entries where the query's words stand
//! together, in that order, rank higher. Done on the first results only
//! (the window), by reading those entries' positions: a phrase bonus inside
//! the query would walk every entry holding all the words, visible or not.

use super::schema::{self, Fields};
use crate::service::Locale;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, Term};

/// How many of the best results are rescored.
pub const WINDOW: usize = 100;
/// The score of an entry with the words together, in its title or text.
const BONUS: Score = 1.5;

/// The phrase of a 2–4 word query, in the title (as typed) and in the text
/// (by the searcher's stems).
pub struct Phrase {
    title: Vec<Term>,
    text: Vec<Term>,
}

impl Phrase {
    pub fn of(f: &Fields, words: &[String], locale: Locale) -> Option<Phrase> {
        if !(2..=4).contains(&words.len()) {
            return None;
        }
        let mut stemmer = schema::query_stems(locale);
        let text = words
            .iter()
            .map(|w| {
                let stem = schema::tokens(&mut stemmer, w)
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| w.clone());
                Term::from_field_text(f.text, &stem)
            })
            .collect();
        let title = words
            .iter()
            .map(|w| Term::from_field_text(f.title, w))
            .collect();
        Some(Phrase { title, text })
    }

    /// Rescores the first `WINDOW` of `hits` (best first) and sorts them
    /// again; the rest keep their order after them.
    pub fn rescore(
        &self,
        searcher: &Searcher,
        hits: &mut [(Score, DocAddress)],
    ) -> tantivy::Result<()> {
        let window = hits.len().min(WINDOW);
        let mut order: Vec<usize> = (0..window).collect();
        order.sort_by_key(|&i| (hits[i].1.segment_ord, hits[i].1.doc_id));
        let mut i = 0;
        while i < order.len() {
            let segment_ord = hits[order[i]].1.segment_ord;
            let mut end = i;
            while end < order.len() && hits[order[end]].1.segment_ord == segment_ord {
                end += 1;
            }
            let segment = searcher.segment_reader(segment_ord);
            let docs: Vec<DocId> = order[i..end].iter().map(|&k| hits[k].1.doc_id).collect();
            let mut together = vec![false; docs.len()];
            for terms in [&self.title, &self.text] {
                for (found, hit) in together.iter_mut().zip(in_order(segment, terms, &docs)?) {
                    *found |= hit;
                }
            }
            for (&k, found) in order[i..end].iter().zip(together) {
                if found {
                    hits[k].0 *= BONUS;
                }
            }
            i = end;
        }
        hits[..window].sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(())
    }
}

/// For each of `docs` (ascending), whether it holds `terms` at consecutive
/// positions.
fn in_order(
    segment: &tantivy::SegmentReader,
    terms: &[Term],
    docs: &[DocId],
) -> tantivy::Result<Vec<bool>> {
    let mut out = vec![false; docs.len()];
    let Some(field) = terms.first().map(Term::field) else {
        return Ok(out);
    };
    let index = segment.inverted_index(field)?;
    let mut postings = Vec::with_capacity(terms.len());
    for t in terms {
        match index.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
            Some(p) => postings.push(p),
            None => return Ok(out),
        }
    }
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
    'docs: for (found, &doc) in out.iter_mut().zip(docs) {
        for (p, at) in postings.iter_mut().zip(positions.iter_mut()) {
            if p.doc() > doc || p.seek(doc) != doc {
                continue 'docs;
            }
            p.positions(at);
        }
        *found = positions[0].iter().any(|&start| {
            positions
                .iter()
                .enumerate()
                .skip(1)
                .all(|(k, at)| at.binary_search(&(start + k as u32)).is_ok())
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::access::search::SearchGrants;
    use crate::search::index::SearchIndex;
    use crate::search::query::ranked;
    use crate::search::sources::Entry;
    use crate::service::Locale;

    #[test]
    fn words_together_outrank_words_apart() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = SearchIndex::open(dir.path()).unwrap();
        let engine = index.live();
        let entry = |key: &str, body: &str| Entry {
            key: key.into(),
            kind: "document",
            allow: vec!["all".into()],
            title: "Note".into(),
            body: body.into(),
            ..Entry::default()
        };
        // Apart, but each word twice: the higher score without the phrase.
        let apart = entry(
            "document:1",
            "The contract names a framework; the framework sets the contract.",
        );
        let together = entry("document:2", "The framework contract was signed today.");
        for e in [&apart, &together] {
            engine.put(&e.key, Some(e)).unwrap();
        }
        engine.commit().unwrap();
        let grants = SearchGrants {
            allow: vec!["all".into()],
            ..SearchGrants::default()
        };
        assert_eq!(
            ranked(&engine, &grants, "framework contract", Locale::En, 10).unwrap(),
            vec!["document:2", "document:1"]
        );
        assert_eq!(
            ranked(&engine, &grants, "contract framework", Locale::En, 10).unwrap(),
            vec!["document:1", "document:2"],
            "in that order only"
        );
    }
}
