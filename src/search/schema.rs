//! The index's fields and analyzers. Titles and tags are indexed folded
//! (lower case, accents removed: "reunion" finds "Réunion"), as typed; titles
//! and bodies are also indexed by their stems, English and French both at
//! the same position, so a query matches variants of its words whatever the
//! language, and a text that mixes the two (as mail and minutes here often
//! do) is found in either. Bodies are matched through their stems only: a
//! second, folded copy of every body would double the work of every query
//! and of indexing.

use std::collections::HashMap;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Bumped when the schema or the analysis changes: the index is then rebuilt.
pub const VERSION: u32 = 4;

pub const PLAIN: &str = "parvis_plain";
pub const STEMS: &str = "parvis_stems";

#[derive(Clone, Copy)]
pub struct Fields {
    /// "document:12": what the entry is, unique.
    pub key: Field,
    pub kind: Field,
    /// Access tokens: the entry is visible to whoever holds one of them…
    pub allow: Field,
    /// …and holds none of the restrictions the person does not pass.
    pub restrict: Field,
    pub title: Field,
    pub title_stems: Field,
    pub tags: Field,
    /// Stored only, for snippets.
    pub body: Field,
    /// The stems of the title, the tags and the body: what every word of a
    /// query is matched against (one posting list per word, no union).
    pub text: Field,
    pub space: Field,
    pub author: Field,
    pub ext: Field,
    pub updated: Field,
    pub url: Field,
    pub facets: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { o.set_stored() } else { o }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED | FAST),
        kind: b.add_text_field("kind", STRING | STORED),
        allow: b.add_text_field("allow", STRING),
        restrict: b.add_text_field("restrict", STRING),
        title: b.add_text_field("title", text(PLAIN, true)),
        title_stems: b.add_text_field(
            "title_stems",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(STEMS)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        tags: b.add_text_field("tags", text(PLAIN, true)),
        body: b.add_text_field("body", STORED),
        text: b.add_text_field("text", text(STEMS, false)),
        space: b.add_i64_field("space", INDEXED | STORED | FAST),
        author: b.add_text_field("author", STRING | STORED),
        ext: b.add_text_field("ext", STRING | STORED),
        updated: b.add_i64_field("updated", INDEXED | STORED | FAST),
        url: b.add_text_field("url", STORED),
        facets: b.add_facet_field("facets", tantivy::schema::FacetOptions::default()),
    };
    (b.build(), fields)
}

fn folded() -> tantivy::tokenizer::TextAnalyzerBuilder<impl tantivy::tokenizer::Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// The analyzers, registered on an index.
pub fn analyzers() -> [(&'static str, TextAnalyzer); 2] {
    [
        (PLAIN, folded().build()),
        (STEMS, folded().filter(BothStems).build()),
    ]
}

/// Folds a query's words as titles and tags are indexed.
pub fn plain() -> TextAnalyzer {
    folded().build()
}

/// Stems a query's words in one language: every indexed word carries its
/// stem in both, so the searcher's language picks which variants match
/// ("réunions" finds "réunion"; "meetings" finds "meeting"), with a single
/// posting list per word.
pub fn query_stems(locale: crate::service::Locale) -> TextAnalyzer {
    let language = match locale {
        crate::service::Locale::Fr => Language::French,
        crate::service::Locale::En => Language::English,
    };
    folded()
        .filter(tantivy::tokenizer::Stemmer::new(language))
        .build()
}

pub fn register(index: &tantivy::Index) {
    for (name, analyzer) in analyzers() {
        index.tokenizers().register(name, analyzer);
    }
}

/// Replaces each word by its English stem and, when it differs, adds its
/// French stem at the same position.
#[derive(Clone, Copy)]
pub struct BothStems;

impl TokenFilter for BothStems {
    type Tokenizer<T: Tokenizer> = BothStemsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> BothStemsFilter<T> {
        BothStemsFilter {
            inner,
            cache: HashMap::new(),
        }
    }
}

/// Stems already found, per copy of the analyzer (one per indexing
/// thread): words follow Zipf's law, so most come back soon, and a lookup
/// costs a fraction of two stemmers.
type StemCache = HashMap<String, (String, Option<String>)>;
const STEM_CACHE: usize = 50_000;

#[derive(Clone)]
pub struct BothStemsFilter<T> {
    inner: T,
    cache: StemCache,
}

impl<T: Tokenizer> Tokenizer for BothStemsFilter<T> {
    type TokenStream<'a> = BothStemsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BothStemsStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
            token: Token::default(),
            french_next: None,
        }
    }
}

pub struct BothStemsStream<'a, T> {
    tail: T,
    cache: &'a mut StemCache,
    token: Token,
    /// The French stem of the current word, still to be given.
    french_next: Option<String>,
}

/// A word's English stem, and its French one when it differs.
pub fn both_stems(word: &str) -> (String, Option<String>) {
    let english = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English).stem(word);
    let french = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French).stem(word);
    let french = (french != english).then(|| french.into_owned());
    (english.into_owned(), french)
}

impl<T: TokenStream> TokenStream for BothStemsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some(french) = self.french_next.take() {
            self.token.text = french;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let word = self.tail.token();
        self.token.text.clear();
        match self.cache.get(word.text.as_str()) {
            Some((english, french)) => {
                self.token.text.push_str(english);
                self.french_next.clone_from(french);
            }
            None => {
                let (english, french) = both_stems(&word.text);
                self.token.text.push_str(&english);
                self.french_next.clone_from(&french);
                if self.cache.len() >= STEM_CACHE {
                    self.cache.clear();
                }
                self.cache.insert(word.text.clone(), (english, french));
            }
        }
        self.token.offset_from = word.offset_from;
        self.token.offset_to = word.offset_to;
        self.token.position = word.position;
        self.token.position_length = word.position_length;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The tokens an analyzer makes of a text.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The stems of a text's words, without English and French stop words: what
/// a text is about, for query expansion.
pub fn content_stems() -> TextAnalyzer {
    let mut b = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    for lang in [Language::English, Language::French] {
        if let Some(f) = tantivy::tokenizer::StopWordFilter::new(lang) {
            b = b.filter_dynamic(f);
        }
    }
    b.filter_dynamic(AsciiFoldingFilter)
        .filter_dynamic(BothStems)
        .build()
}

/// An analyzer that lets through only words that are not stop words of
/// the searcher's language (checked on the lower-cased word, accents kept).
pub fn stop_words(locale: crate::service::Locale) -> TextAnalyzer {
    let language = match locale {
        crate::service::Locale::Fr => Language::French,
        crate::service::Locale::En => Language::English,
    };
    let b = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .dynamic();
    match tantivy::tokenizer::StopWordFilter::new(language) {
        Some(f) => b.filter_dynamic(f).build(),
        None => b.build(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens_at(text: &str) -> Vec<(String, usize)> {
        let [_, (_, mut stems)] = analyzers();
        let mut stream = stems.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn both_stems_share_the_word_position() {
        // English "meet", French "meeting"; one stem when they agree.
        assert_eq!(
            tokens_at("Meetings réunions"),
            vec![
                ("meet".to_string(), 0),
                ("meeting".to_string(), 0),
                ("reunion".to_string(), 1)
            ]
        );
    }

    #[test]
    fn a_query_word_meets_the_index_in_either_language() {
        let indexed: Vec<String> = tokens_at("développements meetings")
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        for locale in crate::service::Locale::ALL {
            let mut q = query_stems(locale);
            for word in ["développement", "meetings"] {
                let stem = tokens(&mut q, word).remove(0);
                assert!(indexed.contains(&stem), "{locale:?} {word} → {stem}");
            }
        }
    }
}
