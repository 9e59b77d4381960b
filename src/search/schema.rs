//! The index's fields and analyzers. Text is indexed three ways: folded
//! (lower case, accents removed: "reunion" finds "Réunion"), and stemmed in
//! French or in English according to the entry's detected language, so a
//! query matches exact words, their variants, and typos of longer words.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// Bumped when the schema or the analysis changes: the index is then rebuilt.
pub const VERSION: u32 = 1;

pub const PLAIN: &str = "parvis_plain";
pub const FRENCH: &str = "parvis_fr";
pub const ENGLISH: &str = "parvis_en";

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
    pub title_fr: Field,
    pub title_en: Field,
    pub tags: Field,
    pub body: Field,
    pub body_fr: Field,
    pub body_en: Field,
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
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        allow: b.add_text_field("allow", STRING),
        restrict: b.add_text_field("restrict", STRING),
        title: b.add_text_field("title", text(PLAIN, true)),
        title_fr: b.add_text_field("title_fr", text(FRENCH, false)),
        title_en: b.add_text_field("title_en", text(ENGLISH, false)),
        tags: b.add_text_field("tags", text(PLAIN, true)),
        body: b.add_text_field("body", text(PLAIN, true)),
        body_fr: b.add_text_field("body_fr", text(FRENCH, false)),
        body_en: b.add_text_field("body_en", text(ENGLISH, false)),
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

/// The analyzers, registered on an index (and used to analyze queries).
pub fn analyzers() -> [(&'static str, TextAnalyzer); 3] {
    [
        (PLAIN, folded().build()),
        (
            FRENCH,
            folded().filter(Stemmer::new(Language::French)).build(),
        ),
        (
            ENGLISH,
            folded().filter(Stemmer::new(Language::English)).build(),
        ),
    ]
}

pub fn register(index: &tantivy::Index) {
    for (name, analyzer) in analyzers() {
        index.tokenizers().register(name, analyzer);
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

/// An analyzer that lets through only words that are not English or French
/// stop words (checked on the lower-cased word, accents kept).
pub fn stop_words() -> TextAnalyzer {
    let mut b = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .dynamic();
    for lang in [Language::English, Language::French] {
        if let Some(f) = tantivy::tokenizer::StopWordFilter::new(lang) {
            b = b.filter_dynamic(f);
        }
    }
    b.build()
}
