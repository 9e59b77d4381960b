use super::*;
use crate::search::index::SearchIndex;
use crate::search::sources::Entry;

fn engine_with(docs: &[(&str, &str, &str, &str)]) -> (tempfile::TempDir, Arc<Engine>) {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let engine = index.live();
    for (key, allow, title, body) in docs {
        let e = Entry {
            key: key.to_string(),
            kind: "document",
            allow: vec![allow.to_string()],
            title: title.to_string(),
            body: body.to_string(),
            ..Entry::default()
        };
        engine.put(key, Some(&e)).unwrap();
    }
    engine.commit().unwrap();
    (dir, engine)
}

fn grants() -> SearchGrants {
    SearchGrants {
        allow: vec!["mine".into()],
        ..SearchGrants::default()
    }
}

#[test]
fn keywords_a_page_lacks_find_it_after_those_with_every_word() {
    let (_dir, engine) = engine_with(&[
        (
            "document:1",
            "mine",
            "Go to Sheet",
            "Go to a specified sheet of the document.",
        ),
        (
            "document:2",
            "mine",
            "Navigator",
            "Jump to a given cell with the navigator.",
        ),
        (
            "document:3",
            "mine",
            "Jumps",
            "To jump to a given sheet, type its name.",
        ),
        // Every word, but not for this person.
        ("document:4", "theirs", "Hidden", "Jump to the given sheet."),
        (
            "document:5",
            "mine",
            "Colours",
            "Choose the colour of a chart.",
        ),
    ]);
    let found = ranked(&engine, &grants(), "jump to given sheet", Locale::En, 10).unwrap();
    assert_eq!(found, ["document:3", "document:2", "document:1"]);
    let page = search(
        &engine,
        &grants(),
        &Request {
            q: "jump to given sheet".into(),
            ..Request::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 3, "the total counts what is shown");
    let urls: Vec<&str> = page.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(urls, ["Jumps", "Navigator", "Go to Sheet"]);
    assert!(
        page.hits[0].snippet.contains("<b>jump</b>"),
        "{}",
        page.hits[0].snippet
    );
}

#[test]
fn a_query_finds_nothing_only_when_no_visible_page_holds_any_word() {
    let (_dir, engine) = engine_with(&[
        (
            "document:1",
            "mine",
            "Physics",
            "Notes on quantum mechanics.",
        ),
        ("document:2", "theirs", "Zoo", "A zebra and a xylophone."),
    ]);
    let g = grants();
    assert_eq!(
        ranked(&engine, &g, "zebra quantum", Locale::En, 10).unwrap(),
        ["document:1"]
    );
    assert!(
        ranked(&engine, &g, "zebra xylophone", Locale::En, 10)
            .unwrap()
            .is_empty(),
        "the only page with these words is not this person's"
    );
}

#[test]
fn stop_words_are_those_of_the_searchers_language() {
    // "not" is an English stop word, a French word like any other here.
    assert_eq!(
        content_words("Not opérateur logique", Locale::Fr),
        ["not", "operateur", "logique"]
    );
    assert_eq!(
        content_words("Not opérateur logique", Locale::En),
        ["operateur", "logique"]
    );
    // "les" is a French stop word, not an English one.
    assert_eq!(content_words("les fichiers", Locale::Fr), ["fichiers"]);
    assert_eq!(content_words("are the files", Locale::En), ["files"]);
}

#[test]
fn a_repeated_line_gives_a_passage() {
    let body = "Minutes of the steering committee: conveyor acceptance on Friday.\n".repeat(20);
    let (_dir, engine) = engine_with(&[("document:1", "mine", "Minutes.txt", &body)]);
    let page = search(
        &engine,
        &grants(),
        &Request {
            q: "conveyor".into(),
            ..Request::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 1);
    assert!(
        page.hits[0].snippet.contains("<b>conveyor</b>"),
        "{}",
        page.hits[0].snippet
    );
}
