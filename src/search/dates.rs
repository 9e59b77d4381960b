//! The date facet: how many of the matches changed within each of
//! `DATE_RANGES`, counted in the same pass as the hits.

use super::query::DATE_RANGES;

/// Counts, in the same pass as the hits, the entries changed within each of
/// `DATE_RANGES` (relative to now, so counted rather than indexed).
pub struct DateCounts {
    since: [i64; 3],
}

impl DateCounts {
    pub fn since(now: i64) -> DateCounts {
        DateCounts {
            since: DATE_RANGES.map(|days| now - i64::from(days) * 86_400_000),
        }
    }
}

pub struct DateSegment {
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
