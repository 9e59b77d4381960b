//! The access filter as a query: the entries holding one of a person's
//! tokens. Which entries those are, per segment, is kept for the next
//! search with the same tokens (segments never change once written;
//! deletions are applied by the engine as usual), so a search does not
//! read two hundred posting lists again each time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};
use tantivy_common::BitSet;

/// Sets kept; past it, the cache starts again empty.
const KEPT: usize = 64;

/// A segment, and the exact list of tokens.
type SetKey = (SegmentId, Arc<str>);

/// The filter's documents, by segment and list of tokens.
#[derive(Default)]
pub struct AccessCache {
    sets: Mutex<HashMap<SetKey, Arc<BitSet>>>,
}

/// Entries of `field` holding one of `tokens`.
#[derive(Clone)]
pub struct Allowed {
    field: Field,
    tokens: Vec<String>,
    /// The tokens, sorted and joined: the cache key (never a hash, so two
    /// people can never share a set by accident).
    key: Arc<str>,
    cache: Arc<AccessCache>,
}

impl std::fmt::Debug for Allowed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Allowed({} tokens)", self.tokens.len())
    }
}

impl Allowed {
    pub fn new(field: Field, tokens: &[String], cache: Arc<AccessCache>) -> Allowed {
        let mut sorted = tokens.to_vec();
        sorted.sort();
        sorted.dedup();
        Allowed {
            field,
            key: sorted.join("\n").into(),
            tokens: sorted,
            cache,
        }
    }

    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let key = (reader.segment_id(), self.key.clone());
        if let Ok(sets) = self.cache.sets.lock()
            && let Some(found) = sets.get(&key)
        {
            return Ok(found.clone());
        }
        let index = reader.inverted_index(self.field)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        for token in &self.tokens {
            let term = Term::from_field_text(self.field, token);
            if let Some(mut postings) = index.read_postings(&term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    docs.insert(doc);
                    doc = postings.advance();
                }
            }
        }
        let docs = Arc::new(docs);
        if let Ok(mut sets) = self.cache.sets.lock() {
            if sets.len() >= KEPT {
                sets.clear();
            }
            sets.insert(key, docs.clone());
        }
        Ok(docs)
    }
}

impl Query for Allowed {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for Allowed {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self.docs(reader)?;
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from(docs.as_ref().clone()),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.docs(reader)?.contains(doc) {
            Ok(Explanation::new("Allowed", 0.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not allowed"
            )))
        }
    }
}
