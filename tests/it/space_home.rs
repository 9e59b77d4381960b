//! A space's home page: recent activity and files through the library's own
//! access rules (a restricted folder's files never show, nor people one may
//! not know of), pinned links managed by the space's managers only, and
//! times told as people say them.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use serde_json::Value;

async fn world() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_org("client-co", "Client Co", "client").await;
    let boss = app
        .create_person("boss@host.example", "Bea Boss", None)
        .await;
    let tom = app
        .create_person("tom@host.example", "Tom Reader", None)
        .await;
    let ext = app
        .create_person("ext@client.example", "Eve External", Some("client-co"))
        .await;
    let hidden = app
        .create_person("hidden@host.example", "Hal Hidden", None)
        .await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, description, visibility, created_at, updated_at)
           VALUES (7, 'deal', 'Deal room', 'Where the deal is prepared.', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES
           (7, {boss}, 'manager', 1000), (7, {tom}, 'reader', 2000), (7, {ext}, 'reader', 3000);
         INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
           VALUES (8, 'other', 'Other room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES
           (8, {hidden}, 'manager', 4000), (8, {boss}, 'manager', 4000);"
    ))
    .await;
    app
}

async fn upload(app: &TestApp, token: &str, query: &str, body: &[u8]) -> Value {
    let res = app
        .bare_client()
        .post(app.url(&format!("/api/v1/spaces/7/files?{query}")))
        .bearer_auth(token)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_home_tells_what_happened_through_the_librarys_access_rules() {
    let app = world().await;
    let boss = api_token(&app, "boss@host.example", Scope::Write).await;
    upload(&app, &boss, "name=Term%20sheet.txt", b"v1").await;
    upload(&app, &boss, "name=Term%20sheet.txt&comment=Prices", b"v2").await;
    let res = app
        .bare_client()
        .post(app.url("/api/v1/spaces/7/folders"))
        .bearer_auth(&boss)
        .json(&serde_json::json!({"name": "Board"}))
        .send()
        .await
        .unwrap();
    let board = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let res = app
        .bare_client()
        .put(app.url(&format!("/api/v1/folders/{board}/restriction")))
        .bearer_auth(&boss)
        .json(&serde_json::json!({"min_role": "manager"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    upload(
        &app,
        &boss,
        &format!("name=Acquisition%20plan.txt&folder={board}"),
        b"secret",
    )
    .await;

    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let (status, page) = get_text(&tom, &app.url("/spaces/deal")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Where the deal is prepared."));
    assert!(page.contains("Recent activity") && page.contains("Recently changed files"));
    assert!(
        page.contains("Bea Boss added version 2 of"),
        "a new version: {page}"
    );
    assert!(page.contains("Bea Boss added <a href=\"/files/"));
    assert!(page.contains("Term sheet.txt"));
    assert!(page.contains("Eve External joined the space"));
    assert!(page.contains("just now"), "times as people say them");
    assert!(
        !page.contains("Acquisition plan"),
        "a restricted folder's file never shows: {page}"
    );
    assert!(!page.contains("Hal Hidden"), "another space's people");

    let (_, page) = get_text(
        &app.signed_in("boss@host.example", PASSWORD).await,
        &app.url("/spaces/deal"),
    )
    .await;
    assert!(page.contains("Acquisition plan.txt"), "the manager sees it");

    // In French too.
    let (_, page) = {
        let res = tom
            .get(app.url("/spaces/deal"))
            .header("accept-language", "fr")
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    };
    assert!(page.contains("Activité récente"), "{page}");
}

#[tokio::test]
async fn managers_pin_links_and_nobody_else_can() {
    let app = world().await;
    let boss = app.signed_in("boss@host.example", PASSWORD).await;
    let pin = |who: reqwest::Client, title: &'static str, url: &'static str| {
        let app = &app;
        async move {
            post_form(
                app,
                &who,
                "/spaces/deal",
                "/spaces/deal/links",
                &[("title", title), ("url", url)],
            )
            .await
        }
    };
    let res = pin(boss.clone(), "Data room", "https://dataroom.example/deal").await;
    assert_eq!(res.status(), 303);
    let res = pin(boss.clone(), "Library", "/spaces/deal/files").await;
    assert_eq!(res.status(), 303);
    for bad in ["javascript:alert(1)", "//evil.example", "data:text/html,x"] {
        let res = pin(boss.clone(), "Bad", bad).await;
        assert_eq!(res.status(), 400, "{bad}");
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("must be a page of this site")
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM space_links").await, 2);

    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let (status, page) = get_text(&tom, &app.url("/spaces/deal")).await;
    assert_eq!(status, 200);
    assert!(page.contains(
        "<a href=\"https://dataroom.example/deal\" rel=\"noopener noreferrer\" target=\"_blank\">Data room"
    ));
    assert!(page.contains("<a href=\"/spaces/deal/files\">Library</a>"));
    assert!(!page.contains("Pin the link"), "a reader has no form");
    // Refused as not found, like everything one may not do.
    let res = pin(tom.clone(), "Mine", "https://x.example").await;
    assert_eq!(res.status(), 404);
    let link = app.count("SELECT MIN(id) FROM space_links").await;
    let res = post_form(
        &app,
        &tom,
        "/spaces/deal",
        &format!("/spaces/deal/links/{link}/remove"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 404);
    // A link is removed only through its own space.
    let res = post_form(
        &app,
        &boss,
        "/spaces/deal",
        &format!("/spaces/other/links/{link}/remove"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM space_links").await, 2);
    let res = post_form(
        &app,
        &boss,
        "/spaces/deal",
        &format!("/spaces/deal/links/{link}/remove"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM space_links").await, 1);
    // Someone outside the space learns nothing.
    let hidden = app.signed_in("hidden@host.example", PASSWORD).await;
    let res = pin(hidden, "X", "https://x.example").await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn externals_read_wording_meant_for_them() {
    let app = world().await;
    app.sql(
        "INSERT INTO space_members (space_id, org_id, role, added_at)
           SELECT 7, id, 'reader', 5000 FROM organizations WHERE slug = 'client-co'",
    )
    .await;
    let eve = app.signed_in("ext@client.example", PASSWORD).await;
    let (status, page) = get_text(&eve, &app.url("/spaces/deal")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Deal room") && page.contains("Your role:"));
    assert!(page.contains("Everyone at Client Co"), "{page}");
    for internal in [
        "Members only",
        "Shared externally",
        "whole organization",
        "· person ·",
    ] {
        assert!(
            !page.contains(internal),
            "{internal:?} shown to an external: {page}"
        );
    }
    let (_, list) = get_text(&eve, &app.url("/spaces")).await;
    assert!(list.contains("Deal room"));
    assert!(!list.contains("Members only") && !list.contains("Shared externally"));
    // Staff still see who may see the space and that it is shared.
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let (_, page) = get_text(&tom, &app.url("/spaces/deal")).await;
    assert!(page.contains("Members only") && page.contains("Shared externally"));
}

#[tokio::test]
async fn managers_describe_their_space_in_both_languages() {
    let app = world().await;
    let boss = app.signed_in("boss@host.example", PASSWORD).await;
    let res = post_form(
        &app,
        &boss,
        "/spaces/deal",
        "/spaces/deal/about",
        &[
            ("description", "Where the deal is prepared."),
            ("description_fr", "Là où l’affaire se prépare."),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let read = |lang: &'static str| {
        let (tom, app) = (&tom, &app);
        async move {
            tom.get(app.url("/spaces/deal"))
                .header("accept-language", lang)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let fr = read("fr").await;
    assert!(
        fr.contains("Là où l’affaire se prépare.")
            || fr.contains("Là où l&#x27;affaire")
            || fr.contains("Là où l’affaire"),
        "{fr}"
    );
    assert!(!fr.contains("Where the deal is prepared."));
    let en = read("en").await;
    assert!(en.contains("Where the deal is prepared."));
    // Without a French text, French readers get the English one.
    let res = post_form(
        &app,
        &boss,
        "/spaces/deal",
        "/spaces/deal/about",
        &[("description", "Only English."), ("description_fr", "")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert!(read("fr").await.contains("Only English."));
    // Too long: refused, nothing changes; a reader may not.
    let long = "x".repeat(501);
    let res = post_form(
        &app,
        &boss,
        "/spaces/deal",
        "/spaces/deal/about",
        &[("description", long.as_str()), ("description_fr", "")],
    )
    .await;
    assert_eq!(res.status(), 400);
    let res = post_form(
        &app,
        &tom,
        "/spaces/deal",
        "/spaces/deal/about",
        &[("description", "Mine"), ("description_fr", "")],
    )
    .await;
    assert_eq!(res.status(), 404);
    assert!(read("en").await.contains("Only English."));
}
