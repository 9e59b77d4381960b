//! The passage shown under a result: the place of the text where most of
//! the query's words (the rarer weighing more) stand within a line, with
//! them highlighted.
//!
//! Why not tantivy's snippet generator: it runs the whole index analyzer
//! (both stemmers) over every word of every shown text, so a page of twenty
//! 5,000-word reports cost ~60 ms. Here a word is only stemmed when it
//! could become one of the query's stems — a stem keeps its word's first
//! letters (the stemmers only rewrite endings), so a word that does not
//! start like one is passed over with a byte comparison — and stems found
//! are remembered for the rest of the page. The scan stops at the first
//! window holding every word of the query.

use super::schema;
use std::collections::HashMap;
use std::ops::Range;
use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

/// Bytes of text a passage spans.
const SPAN: usize = 180;
/// At most this much of a passage comes before its first match.
const LEAD: usize = 50;
/// Longer words are not indexed (`RemoveLongFilter` in `schema`).
const LONGEST_WORD: usize = 40;
/// English irregular forms whose stem starts otherwise ("dying" → "die").
const IRREGULAR: [&str; 3] = ["dying", "lying", "tying"];

/// A passage: the text, and where its matches are (byte ranges in it).
#[derive(Debug, PartialEq)]
pub struct Passage<'a> {
    pub text: &'a str,
    pub start: usize,
    pub matches: Vec<Range<usize>>,
}

pub struct Snippets {
    /// The query's stems and their weights (rarer words weigh more).
    terms: Vec<(String, f32)>,
    /// What a folded word matches (an index into `terms`), once looked at.
    seen: HashMap<String, Option<usize>>,
    fold: TextAnalyzer,
}

impl Snippets {
    /// For the terms `query` holds on `field` (the stems of the text).
    pub fn new(searcher: &Searcher, query: &dyn Query, field: Field) -> tantivy::Result<Snippets> {
        let mut found = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field
                && let Some(text) = term.value().as_str()
            {
                found.push((term.clone(), text.to_string()));
            }
        });
        found.sort_by(|a, b| a.1.cmp(&b.1));
        found.dedup_by(|a, b| a.1 == b.1);
        let mut terms = Vec::with_capacity(found.len());
        for (term, text) in found {
            let n = searcher.doc_freq(&term)?;
            if n > 0 && !text.is_empty() {
                terms.push((text, 1.0 / (1.0 + n as f32)));
            }
        }
        Ok(Snippets {
            terms,
            seen: HashMap::new(),
            fold: schema::plain(),
        })
    }

    /// The term a word matches, if any.
    fn matches(&mut self, word: &str) -> Option<usize> {
        if word.len() >= LONGEST_WORD || !self.may_match(word) {
            return None;
        }
        if let Some(m) = self.seen.get(word) {
            return *m;
        }
        let folded = schema::tokens(&mut self.fold, word)
            .pop()
            .unwrap_or_default();
        let (english, french) = schema::both_stems(&folded);
        let m = self
            .terms
            .iter()
            .position(|(t, _)| *t == english || french.as_deref() == Some(t.as_str()));
        if self.seen.len() < 10_000 {
            self.seen.insert(word.to_string(), m);
        }
        m
    }

    /// Whether a word starts like one of the stems (its first two letters,
    /// or one for a stem of two), compared as lower-case ASCII; a word that
    /// starts with another letter is looked at in full.
    fn may_match(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let ascii = bytes.iter().take(2).all(u8::is_ascii);
        if !ascii || IRREGULAR.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            return true;
        }
        self.terms.iter().any(|(t, _)| {
            let k = t.len().saturating_sub(1).clamp(1, 2);
            bytes.len() >= k && bytes[..k].eq_ignore_ascii_case(&t.as_bytes()[..k])
        })
    }

    /// The matches of `text` (byte ranges, and which term), up to the
    /// first window of `SPAN` bytes that holds every term.
    fn scan(&mut self, text: &str) -> Vec<(Range<usize>, usize)> {
        let mut found: Vec<(Range<usize>, usize)> = Vec::new();
        let mut in_window = vec![0u32; self.terms.len()];
        let mut distinct = 0;
        let mut first = 0;
        for word in words(text) {
            let Some(t) = self.matches(&text[word.clone()]) else {
                continue;
            };
            found.push((word.clone(), t));
            if in_window[t] == 0 {
                distinct += 1;
            }
            in_window[t] += 1;
            while word.end - found[first].0.start > SPAN {
                let gone = found[first].1;
                in_window[gone] -= 1;
                if in_window[gone] == 0 {
                    distinct -= 1;
                }
                first += 1;
            }
            if distinct == self.terms.len() {
                break;
            }
        }
        found
    }

    /// The best passage of `text`, or `None` when none of the words is in it.
    pub fn passage<'a>(&mut self, text: &'a str) -> Option<Passage<'a>> {
        if self.terms.is_empty() {
            return None;
        }
        let found = self.scan(text);
        let window = self.best_window(&found)?;
        let (from, to) = (found[window.start].0.start, found[window.end - 1].0.end);
        let start = word_start(
            text,
            from.saturating_sub(LEAD.min(SPAN - (to - from).min(SPAN))),
        );
        let end = word_end(text, (start + SPAN).max(to));
        let shown = &text[start..end];
        let matches = words(shown)
            .filter(|w| self.matches(&shown[w.clone()]).is_some())
            .collect();
        Some(Passage {
            text: shown,
            start,
            matches,
        })
    }

    /// The run of `found` within `SPAN` bytes whose distinct terms weigh
    /// most (the first such).
    fn best_window(&self, found: &[(Range<usize>, usize)]) -> Option<Range<usize>> {
        let mut best: Option<(f32, Range<usize>)> = None;
        let mut counts = vec![0u32; self.terms.len()];
        let mut score = 0.0;
        let mut first = 0;
        for (last, (word, t)) in found.iter().enumerate() {
            if counts[*t] == 0 {
                score += self.terms[*t].1;
            }
            counts[*t] += 1;
            while word.end - found[first].0.start > SPAN {
                let gone = found[first].1;
                counts[gone] -= 1;
                if counts[gone] == 0 {
                    score -= self.terms[gone].1;
                }
                first += 1;
            }
            if best.as_ref().is_none_or(|(s, _)| score > *s + 1e-9) {
                best = Some((score, first..last + 1));
            }
        }
        best.map(|(_, w)| w)
    }
}

/// The words of a text as the index's tokenizer cuts them (runs of
/// letters and digits), as byte ranges.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                break;
            }
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some(start..end)
    })
}

/// The start of the first word at or after `at` (or `at` at the start of
/// the text).
fn word_start(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    if at == 0 {
        return 0;
    }
    let before = text[..at].chars().next_back();
    if before.is_some_and(char::is_alphanumeric) {
        // Inside a word: skip to its end.
        match text[at..].find(|c: char| !c.is_alphanumeric()) {
            Some(n) => at += n,
            None => return at,
        }
    }
    at + text[at..]
        .find(|c: char| c.is_alphanumeric())
        .unwrap_or(text.len() - at)
}

/// The end of the last whole word before `at` (the text's end past it).
fn word_end(text: &str, mut at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let cut = text[at..].chars().next().is_some_and(char::is_alphanumeric);
    if cut {
        // Inside a word: back to its start.
        at = text[..at]
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(at, |i| i);
    }
    text[..at].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippets(terms: &[&str]) -> Snippets {
        Snippets {
            terms: terms.iter().map(|t| (t.to_string(), 0.5)).collect(),
            seen: HashMap::new(),
            fold: schema::plain(),
        }
    }

    fn shown(p: &Passage) -> String {
        let mut out = String::new();
        let mut at = 0;
        for m in &p.matches {
            out.push_str(&p.text[at..m.start]);
            out.push('[');
            out.push_str(&p.text[m.clone()]);
            out.push(']');
            at = m.end;
        }
        out.push_str(&p.text[at..]);
        out
    }

    #[test]
    fn words_are_cut_like_the_index_cuts_them() {
        let text = "Réunion: l'ordre du jour—2026, café";
        let w: Vec<&str> = words(text).map(|r| &text[r]).collect();
        assert_eq!(w, ["Réunion", "l", "ordre", "du", "jour", "2026", "café"]);
    }

    #[test]
    fn the_passage_is_where_the_words_stand_together() {
        let filler = "Nothing to see in this sentence at all. ".repeat(200);
        let text = format!(
            "The contract is mentioned early. {filler}Here the framework contract was signed by both parties. {filler}"
        );
        let mut s = snippets(&["framework", "contract"]);
        let p = s.passage(&text).unwrap();
        assert!(
            shown(&p).contains("[framework] [contract] was signed"),
            "{}",
            shown(&p)
        );
        assert!(p.start > 1000);
        assert!(p.text.len() <= SPAN + 40);
        assert_eq!(&text[p.start..p.start + p.text.len()], p.text);
    }

    #[test]
    fn stems_and_accents_match_and_every_occurrence_is_marked() {
        let text = "Les réunions du comité : une réunion par mois, des meetings parfois.";
        // "reunion" (both stemmers), "meet" (English stem of "meetings").
        let mut s = snippets(&["reunion", "meet"]);
        let p = s.passage(text).unwrap();
        assert_eq!(
            shown(&p),
            "Les [réunions] du comité : une [réunion] par mois, des [meetings] parfois."
        );
    }

    #[test]
    fn irregular_forms_are_found() {
        let text = "The patient was dying slowly.";
        let mut s = snippets(&["die"]);
        assert_eq!(
            shown(&s.passage(text).unwrap()),
            "The patient was [dying] slowly."
        );
    }

    #[test]
    fn no_word_no_passage_and_cuts_stay_on_character_boundaries() {
        let mut s = snippets(&["absent"]);
        assert_eq!(s.passage("Nothing here."), None);
        let text = format!("{}évènement clé {}", "é".repeat(300), "à".repeat(300));
        let mut s = snippets(&["cle"]);
        let p = s.passage(&text).unwrap();
        assert!(shown(&p).contains("[clé]"));
    }
}
