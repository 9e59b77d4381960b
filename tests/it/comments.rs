//! Comments and reactions over HTTPS: whoever sees a document or a post
//! comments and reacts; nobody else learns a comment exists (API, pages,
//! search, notifications); writers change their words, moderators remove;
//! mentions tell only those who may see; hostile input is refused or made
//! harmless; comments go with their item, index entries included.

use crate::discussions::{get, post, send, token, told};
use crate::helpers::*;
use crate::role_matrix::fixture;
use reqwest::Method;
use serde_json::json;

fn on_doc(f: &crate::role_matrix::Fixture) -> String {
    format!("document:{}", f.ids["documents"])
}

#[tokio::test]
async fn a_file_s_readers_comment_mention_and_react_and_nobody_else_learns_of_it() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (rival, client, reader, manager, admin) = (
        token(&f, 1),
        token(&f, 2),
        token(&f, 3),
        token(&f, 5),
        token(&f, 7),
    );
    let outsider = app
        .create_person("outsider@host.example", "Olga Outsider", None)
        .await;
    let reader_id = app
        .count("SELECT id FROM people WHERE email = 'reader@host.example'")
        .await;
    let on = on_doc(&f);
    // The manager mentions the internal reader (in the room) and someone
    // internal outside it: only the first is told, the writer learns of the second.
    let body = format!(
        "Please check @[Reader](mention:{reader_id}) and @[Olga](mention:{outsider}): zeppelin clause"
    );
    let (s, c) = post(
        &app,
        &manager,
        &format!("/api/v1/comments/on/{on}"),
        json!({"body": body}),
    )
    .await;
    assert_eq!(s, 201, "{c}");
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["on"], on);
    assert_eq!(c["mine"], true);
    let not_told: Vec<&str> = c["not_told"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["name"].as_str())
        .collect();
    assert_eq!(not_told, ["Olga Outsider"], "{c}");
    assert_eq!(
        told(&app, "mention", "comment", id).await,
        ["reader@host.example"]
    );
    // The client's reader answers; the file's uploader (the manager) and
    // the earlier commenter are told, once.
    let (s, answer) = post(
        &app,
        &client,
        &format!("/api/v1/comments/on/{on}"),
        json!({"body": "Signed on page 3."}),
    )
    .await;
    assert_eq!(s, 201, "{answer}");
    let answer = answer["id"].as_i64().unwrap();
    assert_eq!(
        told(&app, "comment", "comment", answer).await,
        ["manager@host.example"]
    );
    // Everyone who sees the file reads the thread, oldest first (the
    // fixture's own comment first).
    let (s, t) = get(&app, &reader, &format!("/api/v1/comments/on/{on}")).await;
    assert_eq!(s, 200, "{t}");
    let bodies: Vec<&str> = t["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["body"].as_str())
        .collect();
    assert_eq!(bodies.len(), 3, "{t}");
    assert_eq!(bodies[2], "Signed on page 3.");
    assert_eq!(t["total"], 3);
    // The rival client learns nothing: every route answers as for nothing.
    for path in [
        format!("/api/v1/comments/on/{on}"),
        format!("/api/v1/comments/{id}"),
        format!("/api/v1/comments/on/{on}/mentions?q=re"),
        format!("/api/v1/reactions/{on}"),
        format!("/api/v1/reactions/comment:{id}"),
    ] {
        let (s, v) = get(&app, &rival, &path).await;
        assert_eq!(s, 404, "{path}: {v}");
        let (s, _) = get(&app, &rival, &path.replace(&id.to_string(), "999999")).await;
        assert_eq!(s, 404, "{path} of nothing");
    }
    let (s, _) = post(
        &app,
        &rival,
        &format!("/api/v1/comments/on/{on}"),
        json!({"body": "hi"}),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = send(
        &app,
        Method::PUT,
        &rival,
        &format!("/api/v1/reactions/comment:{id}/like"),
        None,
    )
    .await;
    assert_eq!(s, 404);
    // Kinds that take no comments, and malformed items, are missing too.
    for bad in ["space:50", "person:1", "comment:1", "nothing:1"] {
        let (s, v) = post(
            &app,
            &manager,
            &format!("/api/v1/comments/on/{bad}"),
            json!({"body": "x"}),
        )
        .await;
        assert_eq!(s, 404, "{bad}: {v}");
    }
    let (s, v) = post(
        &app,
        &manager,
        "/api/v1/comments/on/Document:1",
        json!({"body": "x"}),
    )
    .await;
    assert_eq!(s, 400, "{v}");
    assert!(
        v["detail"].as_str().is_some_and(|d| d.contains("kind:id")),
        "{v}"
    );
    // Search: found by those who see the file, by nobody else.
    app.until_search(&reader, "zeppelin", "the comment is indexed", |v| {
        v["items"]
            .as_array()
            .is_some_and(|r| r.iter().any(|h| h["kind"] == "comment"))
    })
    .await;
    let hits = app.search_api(&reader, "zeppelin").await;
    let hit = hits["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "comment")
        .unwrap()
        .clone();
    assert!(
        hit["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#comment-{id}")),
        "{hit}"
    );
    let theirs = app.search_api(&rival, "zeppelin").await;
    assert_eq!(theirs["items"], json!([]), "{theirs}");
    // Mention suggestions say who may see the file.
    let (s, sugg) = get(
        &app,
        &manager,
        &format!("/api/v1/comments/on/{on}/mentions?q=olga"),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(sugg[0]["can_see"], false, "{sugg}");
    // Reactions: one of each per person, counted, taken back.
    for _ in 0..2 {
        let (s, r) = send(
            &app,
            Method::PUT,
            &reader,
            &format!("/api/v1/reactions/comment:{id}/like"),
            None,
        )
        .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(
            r["items"],
            json!([{"reaction": "like", "count": 1, "mine": true}])
        );
    }
    send(
        &app,
        Method::PUT,
        &client,
        &format!("/api/v1/reactions/comment:{id}/like"),
        None,
    )
    .await;
    send(
        &app,
        Method::PUT,
        &client,
        &format!("/api/v1/reactions/{on}/thanks"),
        None,
    )
    .await;
    let (_, c) = get(&app, &manager, &format!("/api/v1/comments/{id}")).await;
    assert_eq!(
        c["reactions"],
        json!([{"reaction": "like", "count": 2, "mine": false}])
    );
    let (s, r) = send(
        &app,
        Method::DELETE,
        &reader,
        &format!("/api/v1/reactions/comment:{id}/like"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        r["items"],
        json!([{"reaction": "like", "count": 1, "mine": false}])
    );
    for bad in ["LIKE", "hearts", "%F0%9F%91%8D"] {
        let (s, v) = send(
            &app,
            Method::PUT,
            &reader,
            &format!("/api/v1/reactions/comment:{id}/{bad}"),
            None,
        )
        .await;
        assert_eq!(s, 400, "{bad}: {v}");
        assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    // Writers change their words; others (even moderators) may not;
    // moderators and writers remove.
    let (s, _) = send(
        &app,
        Method::PATCH,
        &reader,
        &format!("/api/v1/comments/{answer}"),
        Some(json!({"body": "mine now"})),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = send(
        &app,
        Method::PATCH,
        &manager,
        &format!("/api/v1/comments/{answer}"),
        Some(json!({"body": "mine now"})),
    )
    .await;
    assert_eq!(s, 404);
    let (s, e) = send(
        &app,
        Method::PATCH,
        &client,
        &format!("/api/v1/comments/{answer}"),
        Some(json!({"body": "Signed on page 4."})),
    )
    .await;
    assert_eq!(
        (s, e["body"].as_str()),
        (200, Some("Signed on page 4.")),
        "{e}"
    );
    assert!(e["edited_at"].is_i64());
    let (s, _) = send(
        &app,
        Method::DELETE,
        &reader,
        &format!("/api/v1/comments/{answer}"),
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = send(
        &app,
        Method::DELETE,
        &manager,
        &format!("/api/v1/comments/{answer}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, _) = get(&app, &client, &format!("/api/v1/comments/{answer}")).await;
    assert_eq!(s, 404);
    // The page shows the thread to a reader, and is missing for the rival.
    let (s, html) = get_text(
        &f.sessions[3],
        &app.url(&format!("/files/{}", f.ids["documents"])),
    )
    .await;
    assert_eq!(s, 200);
    assert!(
        html.contains("zeppelin clause") && html.contains("id=\"comment-form\""),
        "the thread and its form"
    );
    assert!(
        html.contains(&format!("href=\"/people/{reader_id}\"")),
        "a mention links to the person"
    );
    let (s, html) = get_text(
        &f.sessions[1],
        &app.url(&format!("/files/{}", f.ids["documents"])),
    )
    .await;
    assert_eq!(s, 404);
    assert!(!html.contains("zeppelin"));
    // An administrator erases the manager: the comment stays, unnamed.
    let manager_id = app
        .count("SELECT id FROM people WHERE email = 'manager@host.example'")
        .await;
    let erased = app
        .bare_client()
        .post(app.url(&format!("/api/v1/people/{manager_id}/erase")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), 200);
    let (s, c) = get(&app, &reader, &format!("/api/v1/comments/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(c["author"], json!({"id": null, "name": null}));
    assert!(c["body"].as_str().unwrap().contains("zeppelin"));
}

#[tokio::test]
async fn hostile_comments_are_refused_or_harmless_and_reactions_are_bounded() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (client, reader) = (token(&f, 2), token(&f, 3));
    let on = on_doc(&f);
    let path = format!("/api/v1/comments/on/{on}");
    let before = app.count("SELECT count(*) FROM comments").await;
    let mentions: String = (1..=21).map(|i| format!("@[P{i}](mention:{i}) ")).collect();
    for (body, code) in [
        (json!({"body": ""}), "comment-required"),
        (json!({"body": "   \n "}), "comment-required"),
        (json!({"body": "x".repeat(10_001)}), "comment-too-long"),
        (json!({"body": "a\u{0}b"}), "comment-invalid"),
        (json!({"body": mentions}), "comment-mentions-too-many"),
    ] {
        let (s, v) = post(&app, &client, &path, body).await;
        assert_eq!((s, v["code"].as_str()), (400, Some(code)), "{v}");
        assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    for body in [
        json!({"body": 3}),
        json!({"text": "x"}),
        json!({"body": "x", "on": "news:1"}),
    ] {
        let (s, v) = post(&app, &client, &path, body.clone()).await;
        assert_eq!(s, 400, "{body}: {v}");
    }
    // A megabyte is refused before it is read whole.
    let big = app
        .bare_client()
        .post(app.url(&path))
        .bearer_auth(&client)
        .json(&json!({"body": "y".repeat(1 << 20)}))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(big.status().as_u16(), 400 | 413),
        "{}",
        big.status()
    );
    assert_eq!(
        app.count("SELECT count(*) FROM comments").await,
        before,
        "nothing stored"
    );
    // Script, links and raw HTML come out inert; deep nesting is bounded.
    let nasty = format!(
        "<script>alert(1)</script><img src=x onerror=alert(2)> [go](javascript:alert(3)) {}deep",
        "> ".repeat(2_000)
    );
    let (s, c) = post(&app, &client, &path, json!({"body": nasty})).await;
    assert_eq!(s, 201, "{c}");
    let html = c["html"].as_str().unwrap();
    assert!(
        !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
        "{html}"
    );
    let (s, page) = get_text(
        &f.sessions[3],
        &app.url(&format!("/files/{}", f.ids["documents"])),
    )
    .await;
    assert_eq!(s, 200);
    assert!(page.contains("id=\"comments\"") && !page.contains("<script>alert"));
    // A script that clicks: 60 reactions added a minute, taken back or
    // not, then a clear refusal (a new minute may start midway: at most
    // two allowances pass).
    let id = c["id"].as_i64().unwrap();
    let url = format!("/api/v1/reactions/comment:{id}/love");
    let mut added = 0;
    let (s, v) = loop {
        let (s, v) = send(&app, Method::PUT, &reader, &url, None).await;
        if s != 200 {
            break (s, v);
        }
        added += 1;
        assert!(added <= 120, "never refused");
        send(&app, Method::DELETE, &reader, &url, None).await;
    };
    assert_eq!(s, 429, "{v}");
    assert!(added >= 60, "refused after {added}");
    assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()));
    // Taking one back is always possible.
    let (s, _) = send(
        &app,
        Method::DELETE,
        &reader,
        &format!("/api/v1/reactions/comment:{id}/love"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM reactions WHERE target_type = 'comment' AND target_id = {id}"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn comments_go_with_their_item_and_their_search_entries_too() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (reader, manager) = (token(&f, 3), token(&f, 5));
    let (s, news) = post(
        &app,
        &manager,
        "/api/v1/news",
        json!({"title": "Canteen", "body": "Menu.", "place": "space:50", "publish": "now"}),
    )
    .await;
    assert_eq!(s, 201, "{news}");
    let news = news["id"].as_i64().unwrap();
    // A draft is not talked about, even by its writer.
    let (s, draft) = post(
        &app,
        &manager,
        "/api/v1/news",
        json!({"title": "Draft", "body": "Soon.", "place": "space:50", "publish": "draft"}),
    )
    .await;
    assert_eq!(s, 201, "{draft}");
    let (s, v) = post(
        &app,
        &manager,
        &format!("/api/v1/comments/on/news:{}", draft["id"]),
        json!({"body": "x"}),
    )
    .await;
    assert_eq!(s, 404, "{v}");
    let (s, c) = post(
        &app,
        &reader,
        &format!("/api/v1/comments/on/news:{news}"),
        json!({"body": "Quokka soup again"}),
    )
    .await;
    assert_eq!(s, 201, "{c}");
    send(
        &app,
        Method::PUT,
        &reader,
        &format!("/api/v1/reactions/news:{news}/love"),
        None,
    )
    .await;
    send(
        &app,
        Method::PUT,
        &manager,
        &format!("/api/v1/reactions/comment:{}/laugh", c["id"]),
        None,
    )
    .await;
    // The post's writer is told of the comment; the page shows it.
    assert_eq!(
        told(&app, "comment", "comment", c["id"].as_i64().unwrap()).await,
        ["manager@host.example"]
    );
    let (s, html) = get_text(&f.sessions[3], &app.url(&format!("/news/{news}"))).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Quokka soup again") && html.contains("aria-pressed=\"true\""),
        "the comment and the reader's own reaction"
    );
    app.until_search(&reader, "quokka", "the comment is indexed", |v| {
        v["items"].as_array().is_some_and(|r| !r.is_empty())
    })
    .await;
    // Deleted for good: its comments, their reactions and its own go, and
    // search forgets them.
    let (s, _) = send(
        &app,
        Method::DELETE,
        &manager,
        &format!("/api/v1/news/{news}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert_eq!(
        app.count("SELECT count(*) FROM comments WHERE target_type = 'news'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM reactions WHERE target_type IN ('news', 'comment')")
            .await,
        0
    );
    app.until_search(&reader, "quokka", "the comment left the index", |v| {
        v["items"].as_array().is_some_and(|r| r.is_empty())
    })
    .await;
    // A file in the trash hides its comments from search; back, they return.
    let doc = f.ids["documents"];
    app.until_search(
        &reader,
        "signed version",
        "the fixture's comment is indexed",
        |v| {
            v["items"]
                .as_array()
                .is_some_and(|r| r.iter().any(|h| h["kind"] == "comment"))
        },
    )
    .await;
    let expected_before = index_counts(&app);
    let (s, _) = send(
        &app,
        Method::DELETE,
        &manager,
        &format!("/api/v1/documents/{doc}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    app.until_search(&reader, "signed version", "trashed with its file", |v| {
        v["items"]
            .as_array()
            .is_some_and(|r| !r.iter().any(|h| h["kind"] == "comment"))
    })
    .await;
    // Nobody talks about a file in the trash, its managers included.
    for who in [&reader, &manager] {
        for path in [
            format!("/api/v1/comments/on/document:{doc}"),
            format!("/api/v1/reactions/document:{doc}"),
            format!("/api/v1/comments/on/document:{doc}/mentions?q=re"),
        ] {
            let (s, v) = get(&app, who, &path).await;
            assert_eq!(s, 404, "{path}: {v}");
        }
    }
    let (s, _) = post(
        &app,
        &manager,
        &format!("/api/v1/comments/on/document:{doc}"),
        json!({"body": "x"}),
    )
    .await;
    assert_eq!(s, 404);
    // `parvis check` counts what the index should hold as the index does:
    // a trashed file's comment and approval flows (the fixture has two)
    // are not expected there (the fixture's space, written straight to the
    // database, is missing from both counts alike, before and after).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (held, expected) = index_counts(&app);
        if held == expected_before.0 - 4 && expected == expected_before.1 - 4 {
            break;
        }
        assert!(
            std::time::Instant::now() < until,
            "{held} for {expected}, before the trash {expected_before:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (s, v) = post(
        &app,
        &manager,
        &format!("/api/v1/documents/{doc}/untrash"),
        json!({}),
    )
    .await;
    assert!(s == 200 || s == 204, "{v}");
    app.until_search(&reader, "signed version", "back with its file", |v| {
        v["items"]
            .as_array()
            .is_some_and(|r| r.iter().any(|h| h["kind"] == "comment"))
    })
    .await;
}

/// What `parvis check` says the index holds, and should hold.
fn index_counts(app: &TestApp) -> (u64, u64) {
    let findings = parvis::ops::check::run(&app.state.config);
    let index = findings.iter().find(|f| f.check == "search index").unwrap();
    // "<generation>: <n> entries for <m> in the database…"
    let words: Vec<&str> = index.detail.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "entries").unwrap();
    (
        words[at - 1].parse().unwrap(),
        words[at + 2].parse().unwrap(),
    )
}
