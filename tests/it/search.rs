//! Search through a real server: changes searchable within two seconds,
//! French and English analysis, typos, snippets and facets, trimming by
//! access inside the engine (other organizations, restricted folders,
//! people), hostile queries, and rebuilds from SQLite.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use serde_json::Value;
use std::time::{Duration, Instant};

async fn world() -> TestApp {
    let app = TestApp::spawn().await;
    seed(&app).await;
    app
}

async fn seed(app: &TestApp) {
    app.create_org("rival-co", "Rival Co", "client").await;
    let staff = app
        .create_person("sofia@host.example", "Sofia Almeida", None)
        .await;
    let reader = app
        .create_person("tom@host.example", "Tom Reader", None)
        .await;
    let spy = app
        .create_person("spy@rival.example", "Sly Spy", Some("rival-co"))
        .await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES
           (7, 'deal', 'Deal room', 'members', 0, 0), (8, 'rival', 'Rival room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES
           (7, {staff}, 'manager', 0), (7, {reader}, 'reader', 0), (8, {spy}, 'contributor', 0);"
    ))
    .await;
}

async fn upload(app: &TestApp, token: &str, space: i64, query: &str, body: &[u8]) -> i64 {
    let res = app
        .bare_client()
        .post(app.url(&format!("/api/v1/spaces/{space}/files?{query}")))
        .bearer_auth(token)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["document"]["id"]
        .as_i64()
        .unwrap()
}

async fn search(app: &TestApp, token: &str, query: &str) -> Value {
    app.search_api(token, query).await
}

async fn suggest(app: &TestApp, token: &str, q: &str) -> Value {
    app.bare_client()
        .get(app.url("/api/v1/search/suggest"))
        .query(&[("q", q)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Waits until `q` finds `title` for `token`; returns how long it took.
async fn until_found(app: &TestApp, token: &str, q: &str, title: &str) -> Duration {
    let what = format!("{title} never found by {q}");
    app.until_search(token, q, &what, |v| titles(v).iter().any(|t| t == title))
        .await
}

#[tokio::test]
async fn search_finds_what_each_person_may_see_and_nothing_else() {
    let app = world().await;
    let sofia = api_token(&app, "sofia@host.example", Scope::Write).await;
    let tom = api_token(&app, "tom@host.example", Scope::Write).await;
    let spy = api_token(&app, "spy@rival.example", Scope::Write).await;

    let minutes = upload(
        &app,
        &sofia,
        7,
        "name=Compte%20rendu.md",
        "# Réunion de lancement\n\nLes réunions du comité fixent le budget de l'entrepôt automatisé.".as_bytes(),
    )
    .await;
    upload(
        &app,
        &sofia,
        7,
        "name=Framework%20contract%202026.txt",
        b"The supplier agreement covers maintenance and spare parts.",
    )
    .await;
    upload(
        &app,
        &spy,
        8,
        "name=Rival%20contract.txt",
        b"Rival agreement with secret prices.",
    )
    .await;
    // Searchable within two seconds of the commit.
    let took = until_found(&app, &sofia, "reunion", "Compte rendu.md").await;
    assert!(took < Duration::from_secs(2), "took {took:?}");
    // The indexer may have taken the uploads in more than one batch.
    until_found(&app, &sofia, "framework", "Framework contract 2026.txt").await;
    until_found(&app, &spy, "rival", "Rival contract.txt").await;

    // Folded, stemmed, typo-tolerant; snippets highlight; facets count.
    let v = search(&app, &sofia, "réunions comité").await;
    assert_eq!(titles(&v), vec!["Compte rendu.md"]);
    assert!(
        v["items"][0]["snippet"].as_str().unwrap().contains("<b>"),
        "{v}"
    );
    assert_eq!(
        titles(&search(&app, &sofia, "contrct").await),
        vec!["Framework contract 2026.txt"]
    );
    assert_eq!(
        titles(&search(&app, &sofia, "agreements").await),
        vec!["Framework contract 2026.txt"]
    );
    let v = search(&app, &sofia, "agreement").await;
    assert_eq!(v["total"], 1, "only Sofia's world: {v}");
    // A whole short text is shown whole, its full stop included.
    assert_eq!(
        v["items"][0]["snippet"],
        "The supplier <b>agreement</b> covers maintenance and spare parts.",
        "{v}"
    );
    assert_eq!(v["facets"]["type"][0]["count"], 1);

    // Quoted words must come in that order.
    upload(
        &app,
        &sofia,
        7,
        "name=Notes.txt",
        b"A contract about the framework of the supplier.",
    )
    .await;
    until_found(&app, &sofia, "framework", "Notes.txt").await;
    let v = search(&app, &sofia, "\"supplier agreement\"").await;
    assert_eq!(titles(&v), vec!["Framework contract 2026.txt"]);
    let v = search(&app, &sofia, "framework contract").await;
    assert_eq!(
        titles(&v)[0],
        "Framework contract 2026.txt",
        "the phrase ranks first"
    );
    assert_eq!(v["total"], 2);

    // The rival sees their own file only, not even in counts or facets.
    let v = search(&app, &spy, "agreement").await;
    assert_eq!(titles(&v), vec!["Rival contract.txt"]);
    assert_eq!(v["total"], 1);
    assert!(!v.to_string().contains("Framework"));
    // A long question is widened by what its first results are about:
    // only results the person may see feed it.
    let long = "which supplier agreement covers maintenance and spare parts prices";
    let v = search(&app, &spy, long).await;
    assert_eq!(titles(&v), vec!["Rival contract.txt"], "{v}");
    assert!(!v.to_string().contains("maintenance"), "{v}");
    let v = search(&app, &sofia, long).await;
    assert_eq!(titles(&v)[0], "Framework contract 2026.txt", "{v}");
    assert!(!v.to_string().contains("Rival"), "{v}");
    for q in ["reunion", "Sofia", "Deal", "entrepot"] {
        let v = search(&app, &spy, q).await;
        assert_eq!(v["total"], 0, "{q}: {v}");
    }
    let s = suggest(&app, &spy, "fram").await;
    assert_eq!(s["items"].as_array().unwrap().len(), 0, "{s}");
    let s = suggest(&app, &tom, "fram").await;
    assert_eq!(s["items"][0]["title"], "Framework contract 2026.txt");

    // A restricted folder hides its files from the reader, in search too.
    let res = app
        .bare_client()
        .post(app.url("/api/v1/spaces/7/folders"))
        .bearer_auth(&sofia)
        .json(&serde_json::json!({"name": "Board"}))
        .send()
        .await
        .unwrap();
    let board = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    upload(
        &app,
        &sofia,
        7,
        &format!("name=Board%20minutes.txt&folder={board}"),
        b"Confidential acquisition plan",
    )
    .await;
    until_found(&app, &tom, "acquisition", "Board minutes.txt").await;
    let res = app
        .bare_client()
        .put(app.url(&format!("/api/v1/folders/{board}/restriction")))
        .bearer_auth(&sofia)
        .json(&serde_json::json!({"min_role": "manager"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Immediately: the reader's grants refuse the folder, whatever the index holds.
    assert_eq!(search(&app, &tom, "acquisition").await["total"], 0);
    assert_eq!(search(&app, &sofia, "acquisition").await["total"], 1);

    // Trashed: gone from everyone's results.
    let res = app
        .bare_client()
        .delete(app.url(&format!("/api/v1/documents/{minutes}")))
        .bearer_auth(&sofia)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let start = Instant::now();
    while search(&app, &sofia, "reunion").await["total"] != 0 {
        assert!(start.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Hostile queries: a sensible answer, never an error.
    let long = "x".repeat(10_000);
    for q in [
        "\"((( AND OR NOT * ~2 ^3 [a TO z]",
        "contract)",
        long.as_str(),
        "😀 🚚",
        "\u{0}\u{7}\u{1b}[31m",
        "title:secret",
        "*",
    ] {
        let v = search(&app, &sofia, q).await;
        assert!(v["total"].as_u64().is_some(), "{q}");
    }
    let (status, page) = get_text(
        &app.signed_in("sofia@host.example", PASSWORD).await,
        &app.url("/search?q=%22((%20agreement&type=bogus&page=99999&space=abc"),
    )
    .await;
    assert!(status == 200 || status == 400, "{status}");
    assert!(!page.contains("panicked"));
}

#[tokio::test]
async fn the_results_page_shows_hits_facets_and_people() {
    let app = world().await;
    let sofia_token = api_token(&app, "sofia@host.example", Scope::Write).await;
    upload(
        &app,
        &sofia_token,
        7,
        "name=Budget%202027.md",
        b"# Budget\n\nThe warehouse budget for 2027.",
    )
    .await;
    until_found(&app, &sofia_token, "budget", "Budget 2027.md").await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, page) = get_text(&sofia, &app.url("/search?q=budget")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Budget 2027.md") && page.contains("<b>"),
        "{page}"
    );
    assert!(page.contains("Deal room"), "space facet named");
    // People are found by name (the directory entries are indexed at start).
    let (_, page) = get_text(&sofia, &app.url("/search?q=tom")).await;
    assert!(page.contains("Tom Reader"), "{page}");
}

#[tokio::test]
async fn the_index_is_rebuilt_from_sqlite_when_deleted_and_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let app = TestApp::start(test_config(&path), TempOrKept::Kept(path.clone())).await;
    seed(&app).await;
    let sofia = api_token(&app, "sofia@host.example", Scope::Write).await;
    upload(&app, &sofia, 7, "name=Inventory.txt", b"pallets forklifts").await;
    // More entries than the rebuild loads at a time.
    for i in 0..70 {
        let body = format!("pallets count {i}");
        upload(
            &app,
            &sofia,
            7,
            &format!("name=Count{i}.txt"),
            body.as_bytes(),
        )
        .await;
    }
    until_found(&app, &sofia, "forklifts", "Inventory.txt").await;
    // While the server runs, the command asks it to rebuild and waits.
    let data = app.state.config.data_dir.clone();
    let out = tokio::task::spawn_blocking(move || {
        let mut c = parvis(&data);
        c.arg("reindex");
        run(c)
    })
    .await
    .unwrap();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("rebuilt by the server"),
        "{}",
        out.stdout
    );
    assert_eq!(search(&app, &sofia, "forklifts").await["total"], 1);
    assert_eq!(search(&app, &sofia, "pallets").await["total"], 71);

    // Deleted while stopped: rebuilt at the next start.
    app.stop().await;
    std::fs::remove_dir_all(path.join("index")).unwrap();
    let app = TestApp::start(test_config(&path), TempOrKept::Kept(path.clone())).await;
    until_found(&app, &sofia, "forklifts", "Inventory.txt").await;
    drop(dir);
}

fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    w.start_file(
        "[Content_Types].xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    std::io::Write::write_all(&mut w, b"<Types/>").unwrap();
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    let xml = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    std::io::Write::write_all(&mut w, xml.as_bytes()).unwrap();
    w.finish().unwrap();
    out.into_inner()
}

#[tokio::test]
async fn the_text_inside_pdf_and_office_files_is_found_and_bad_files_are_named_only() {
    let app = world().await;
    let sofia = api_token(&app, "sofia@host.example", Scope::Write).await;
    let pdf =
        parvis::demo::documents::pdf(&["Inspection certificate", "Hydraulic presses of line four"]);
    upload(&app, &sofia, 7, "name=Certificate.pdf", &pdf).await;
    upload(
        &app,
        &sofia,
        7,
        "name=Offer.docx",
        &docx(&[
            "Quotation for palletizers",
            "Délai de livraison : six semaines",
        ]),
    )
    .await;
    upload(
        &app,
        &sofia,
        7,
        "name=Broken%20scan.pdf",
        b"%PDF-1.7\nthis is not really a pdf",
    )
    .await;
    upload(
        &app,
        &sofia,
        7,
        "name=Bomb.docx",
        b"PK\x03\x04 truncated archive",
    )
    .await;
    until_found(&app, &sofia, "hydraulic presses", "Certificate.pdf").await;
    until_found(&app, &sofia, "palletizer", "Offer.docx").await;
    until_found(&app, &sofia, "livraison semaines", "Offer.docx").await;
    // Damaged files: found by their name, with the reason recorded.
    until_found(&app, &sofia, "broken scan", "Broken scan.pdf").await;
    until_found(&app, &sofia, "bomb", "Bomb.docx").await;
    assert_eq!(
        app.count("SELECT count(*) FROM text_extracts WHERE status = 'failed' AND reason <> ''")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT count(*) FROM text_extracts WHERE status = 'text'")
            .await,
        2
    );
}

#[tokio::test]
async fn suggestions_match_the_start_of_any_word_of_titles_people_and_spaces() {
    let app = world().await;
    let new = parvis::spaces::service::NewSpace {
        name: parvis::service::DisplayName::parse("Nordhavn — Warehouse automation").unwrap(),
        slug: None,
        description: String::new(),
        visibility: parvis::spaces::Visibility::Internal,
        portals: Vec::new(),
    };
    parvis::spaces::service::create(&app.state.db, &parvis::access::Actor::cli(), new)
        .await
        .unwrap();
    let sofia = api_token(&app, "sofia@host.example", Scope::Write).await;
    upload(
        &app,
        &sofia,
        7,
        "name=Framework contract 2026.txt",
        b"Terms.",
    )
    .await;
    app.create_person("ingrid@host.example", "Ingrid Solberg", None)
        .await;
    until_found(&app, &sofia, "framework", "Framework contract 2026.txt").await;
    let until_suggested = |q: &'static str, want: &'static str| {
        let (app, sofia) = (&app, &sofia);
        async move {
            let start = Instant::now();
            loop {
                let s = suggest(app, sofia, q).await;
                let got: Vec<String> = s["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["title"].as_str().unwrap().to_string())
                    .collect();
                if got.iter().any(|t| t == want) {
                    return;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "{q:?} should suggest {want:?}: {s}"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    // A word inside the title, not only its first one; any case and accent.
    until_suggested("ware", "Nordhavn — Warehouse automation").await;
    until_suggested("AUTOM", "Nordhavn — Warehouse automation").await;
    until_suggested("contr", "Framework contract 2026.txt").await;
    until_suggested("2026", "Framework contract 2026.txt").await;
    until_suggested("solb", "Ingrid Solberg").await;
    until_suggested("framework cont", "Framework contract 2026.txt").await;
    // Something that starts no word suggests nothing.
    let s = suggest(&app, &sofia, "arehouse").await;
    assert_eq!(s["items"].as_array().unwrap().len(), 0, "{s}");
}
