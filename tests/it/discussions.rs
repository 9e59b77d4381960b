//! Discussions over HTTPS: a space's readers read and write its forums and
//! nobody else learns they exist (API, pages, search, notifications);
//! writers change their own words with history kept; moderators pin, lock,
//! move and delete; a question's asker accepts an answer; hostile messages
//! are refused or made harmless.

use crate::helpers::*;
use crate::role_matrix::{Fixture, fixture};
use serde_json::{Value, json};

pub(crate) fn token(f: &Fixture, who: usize) -> String {
    f.tokens[who].clone().expect("a token")
}

pub(crate) async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app
        .bare_client()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    send(app, reqwest::Method::POST, token, path, Some(body)).await
}

pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    send(app, reqwest::Method::GET, token, path, None).await
}

async fn forum(app: &TestApp, manager: &str, name: &str, mode: &str) -> i64 {
    let (s, f) = post(
        app,
        manager,
        "/api/v1/spaces/50/forums",
        json!({"name": name, "mode": mode}),
    )
    .await;
    assert_eq!(s, 201, "{f}");
    f["id"].as_i64().unwrap()
}

/// The people told `reason` about item `id` of `kind`, by e-mail address.
pub(crate) async fn told(app: &TestApp, reason: &str, kind: &str, id: i64) -> Vec<String> {
    app.notifier_caught_up().await;
    let sql = format!(
        "SELECT group_concat(p.email, ' ') FROM notifications n JOIN people p ON p.id = n.person_id
         WHERE n.reason = '{reason}' AND n.target_type = '{kind}' AND n.target_id = {id}"
    );
    let (reason, kind) = (reason.to_string(), kind.to_string());
    let _ = (reason, kind);
    let text: Option<String> = app
        .state
        .db
        .read(move |c| {
            c.query_row(&sql, [], |r| r.get(0))
                .map_err(parvis::db::DbError::from)
        })
        .await
        .unwrap();
    let mut out: Vec<String> = text
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_space_discusses_among_itself_and_nobody_else_learns_of_it() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let general = forum(&app, &manager, "General", "discussion").await;
    // The external reader starts a topic; the internal reader replies.
    let (s, t) = post(
        &app,
        &token(&f, 2),
        &format!("/api/v1/forums/{general}/topics"),
        json!({"title": "Pallet labels zebrafish", "body": "Which **format** do you need?"}),
    )
    .await;
    assert_eq!(s, 201, "{t}");
    let topic = t["id"].as_i64().unwrap();
    assert_eq!(t["author"]["name"], "reader@client.example");
    assert!(
        t["html"]
            .as_str()
            .unwrap()
            .contains("<strong>format</strong>")
    );
    let (s, r) = post(
        &app,
        &token(&f, 3),
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": "A6, with the order number."}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let reply = r["id"].as_i64().unwrap();
    // Every reader of the space reads both.
    for who in [2, 3, 4, 5, 6, 7] {
        let (s, v) = get(&app, &token(&f, who), &format!("/api/v1/topics/{topic}")).await;
        assert_eq!(s, 200, "caller {who}");
        assert_eq!(v["replies"][0]["body"], "A6, with the order number.");
    }
    // The rival: every door answers like one to nothing at all.
    let rival = token(&f, 1);
    for (path, missing) in [
        (
            format!("/api/v1/topics/{topic}"),
            "/api/v1/topics/999999".to_string(),
        ),
        (
            format!("/api/v1/forums/{general}/topics"),
            "/api/v1/forums/999999/topics".to_string(),
        ),
        (
            format!("/api/v1/replies/{reply}"),
            "/api/v1/replies/999999".to_string(),
        ),
        (
            format!("/api/v1/replies/{reply}/history"),
            "/api/v1/replies/999999/history".to_string(),
        ),
        (
            "/api/v1/spaces/50/forums".to_string(),
            "/api/v1/spaces/999999/forums".to_string(),
        ),
    ] {
        let (s, hidden) = get(&app, &rival, &path).await;
        let (s2, none) = get(&app, &rival, &missing).await;
        assert_eq!((s, s2), (404, 404), "{path}");
        assert_eq!(
            (&hidden["code"], &hidden["detail"]),
            (&none["code"], &none["detail"]),
            "{path}"
        );
    }
    let (s, _) = post(
        &app,
        &rival,
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": "Let me in"}),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = post(
        &app,
        &rival,
        &format!("/api/v1/forums/{general}/topics"),
        json!({"title": "x", "body": "y"}),
    )
    .await;
    assert_eq!(s, 404);
    assert_eq!(
        app.count("SELECT count(*) FROM replies WHERE body = 'Let me in'")
            .await,
        0
    );
    let rival_page = &f.sessions[1];
    for path in [
        format!("/topics/{topic}"),
        format!("/forums/{general}"),
        "/spaces/deal/discussions".to_string(),
    ] {
        let (status, html) = get_text(rival_page, &app.url(&path)).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            !html.contains("zebrafish") && !html.contains("General"),
            "{path}"
        );
    }
    // Search: the readers find the topic and the reply, the rival nothing.
    app.until_search(&token(&f, 3), "zebrafish", "the topic", |v| v["total"] == 1)
        .await;
    app.until_search(&token(&f, 2), "order number", "the reply", |v| {
        v["items"]
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x["kind"] == "reply"))
    })
    .await;
    for q in ["zebrafish", "order number"] {
        let found = app.search_api(&rival, q).await;
        assert_eq!(found["total"], 0, "{q}: {found}");
    }
    // The page shows it to a reader.
    let (status, html) = get_text(&f.sessions[3], &app.url(&format!("/topics/{topic}"))).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Pallet labels zebrafish") && html.contains("A6, with the order number.")
    );
    // The home of a member lists it; the rival's home does not.
    let (status, html) = get_text(&f.sessions[3], &app.url("/")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Latest discussions") && html.contains("Pallet labels zebrafish"));
    let (status, html) = get_text(rival_page, &app.url("/")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Your spaces"), "{html}");
    assert!(!html.contains("zebrafish"));
    // Told: the space's members of the new topic (not its writer, not the
    // rival); its follower (the writer) of the reply.
    let new = told(&app, "topic-new", "topic", topic).await;
    assert!(new.contains(&"reader@host.example".to_string()), "{new:?}");
    assert!(!new.contains(&"reader@client.example".to_string()));
    assert!(!new.contains(&"rival@rival.example".to_string()));
    assert_eq!(
        told(&app, "topic-reply", "reply", reply).await,
        ["reader@client.example"]
    );
    // The notice names the reply by its topic, and opens the reply.
    let mine = app.api_get(&token(&f, 2), "/api/v1/notifications").await;
    let n = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["reason"] == "topic-reply")
        .cloned()
        .unwrap_or_default();
    assert_eq!(n["title"], "Pallet labels zebrafish", "{mine}");
    assert_eq!(n["url"], format!("/topics/{topic}#reply-{reply}"));
    // Once she stops following, a new reply tells the one who replied
    // before (who follows by replying), not her.
    let (s, _) = send(
        &app,
        reqwest::Method::DELETE,
        &token(&f, 2),
        &format!("/api/v1/topics/{topic}/following"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (_, second) = post(
        &app,
        &token(&f, 4),
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": "And the weight."}),
    )
    .await;
    let second = second["id"].as_i64().unwrap();
    assert_eq!(
        told(&app, "topic-reply", "reply", second).await,
        ["reader@host.example"]
    );
    // Replying again does not follow again what one chose to stop following.
    post(
        &app,
        &token(&f, 2),
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": "Thanks."}),
    )
    .await;
    let (_, v) = get(&app, &token(&f, 2), &format!("/api/v1/topics/{topic}")).await;
    assert_eq!(v["following"], false);
}

#[tokio::test]
async fn words_change_with_their_history_and_moderators_keep_order() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let (writer, other) = (token(&f, 2), token(&f, 3));
    let general = forum(&app, &manager, "General", "discussion").await;
    let archive = forum(&app, &manager, "Archive", "discussion").await;
    let (_, t) = post(
        &app,
        &writer,
        &format!("/api/v1/forums/{general}/topics"),
        json!({"title": "Draft title", "body": "First words"}),
    )
    .await;
    let topic = t["id"].as_i64().unwrap();
    // Only its writer (or a moderator) changes it; the old words are kept.
    let path = format!("/api/v1/topics/{topic}");
    let (s, _) = send(
        &app,
        reqwest::Method::PATCH,
        &other,
        &path,
        Some(json!({"body": "Hijacked"})),
    )
    .await;
    assert_eq!(s, 404);
    let (s, v) = send(
        &app,
        reqwest::Method::PATCH,
        &writer,
        &path,
        Some(json!({"title": "Final title", "body": "Better words"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["edited_at"].is_i64());
    let (s, h) = get(&app, &other, &format!("{path}/history")).await;
    assert_eq!(s, 200);
    assert_eq!(h[0]["title"], "Draft title");
    assert_eq!(h[0]["body"], "First words");
    assert_eq!(h[0]["written_by"]["name"], "reader@client.example");
    // Pinned first; locked to everyone but moderators.
    post(
        &app,
        &writer,
        &format!("/api/v1/forums/{general}/topics"),
        json!({"title": "Later topic", "body": "b"}),
    )
    .await;
    let (s, _) = send(
        &app,
        reqwest::Method::PUT,
        &writer,
        &format!("{path}/moderation"),
        Some(json!({"pinned": true})),
    )
    .await;
    assert_eq!(s, 404, "a writer does not moderate");
    let (s, v) = send(
        &app,
        reqwest::Method::PUT,
        &manager,
        &format!("{path}/moderation"),
        Some(json!({"pinned": true, "locked": true})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (_, list) = get(&app, &other, &format!("/api/v1/forums/{general}/topics")).await;
    assert_eq!(list["items"][0]["title"], "Final title", "{list}");
    let (s, e) = post(
        &app,
        &other,
        &format!("{path}/replies"),
        json!({"body": "Too late"}),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (409, Some("topic-locked")));
    let (s, _) = post(
        &app,
        &manager,
        &format!("{path}/replies"),
        json!({"body": "Closing note"}),
    )
    .await;
    assert_eq!(s, 201, "a moderator still replies");
    // Moved to another forum of the space.
    let (s, v) = send(
        &app,
        reqwest::Method::PUT,
        &manager,
        &format!("{path}/moderation"),
        Some(json!({"forum": archive})),
    )
    .await;
    assert_eq!((s, v["forum"].as_i64()), (200, Some(archive)));
    // A reply deleted by its writer; the topic by a moderator, and with it
    // what search found.
    let (_, r) = get(&app, &other, &format!("{path}/replies")).await;
    let closing = r["items"][0]["id"].as_i64().unwrap();
    let (s, _) = send(
        &app,
        reqwest::Method::DELETE,
        &other,
        &format!("/api/v1/replies/{closing}"),
        None,
    )
    .await;
    assert_eq!(s, 404, "not theirs");
    let (s, _) = send(
        &app,
        reqwest::Method::DELETE,
        &manager,
        &format!("/api/v1/replies/{closing}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    app.until_search(&other, "Better words", "the topic", |v| v["total"] == 1)
        .await;
    let (s, _) = send(&app, reqwest::Method::DELETE, &writer, &path, None).await;
    assert_eq!(s, 404, "a writer does not delete a topic");
    let (s, _) = send(&app, reqwest::Method::DELETE, &manager, &path, None).await;
    assert_eq!(s, 204);
    let (s, _) = get(&app, &other, &path).await;
    assert_eq!(s, 404);
    app.until_search(&other, "Better words", "gone from search", |v| {
        v["total"] == 0
    })
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM topic_revisions WHERE topic_id = {topic}"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn the_asker_accepts_the_answer_that_helped_and_it_comes_first() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let (asker, helper, other) = (token(&f, 2), token(&f, 3), token(&f, 4));
    let qa = forum(&app, &manager, "Help", "questions").await;
    let (_, t) = post(
        &app,
        &asker,
        &format!("/api/v1/forums/{qa}/topics"),
        json!({"title": "How to label pallets?", "body": "?"}),
    )
    .await;
    let topic = t["id"].as_i64().unwrap();
    let (_, first) = post(
        &app,
        &other,
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": "Ask the warehouse."}),
    )
    .await;
    let (_, second) = post(
        &app,
        &helper,
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": "A6 labels, order number on top."}),
    )
    .await;
    let second = second["id"].as_i64().unwrap();
    // Neither another reader nor the answer's writer accepts it.
    for who in [&other, &helper] {
        let (s, _) = send(
            &app,
            reqwest::Method::PUT,
            who,
            &format!("/api/v1/replies/{second}/accepted"),
            None,
        )
        .await;
        assert_eq!(s, 404);
    }
    let (s, _) = send(
        &app,
        reqwest::Method::PUT,
        &asker,
        &format!("/api/v1/replies/{second}/accepted"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (_, v) = get(&app, &other, &format!("/api/v1/topics/{topic}")).await;
    assert_eq!(v["topic"]["accepted_reply"], second);
    assert_eq!(v["replies"][0]["id"], second, "the accepted answer first");
    assert_eq!(v["replies"][0]["accepted"], true);
    assert_eq!(v["replies"][1]["id"], first["id"]);
    assert_eq!(v["replies"].as_array().unwrap().len(), 2, "and not twice");
    assert_eq!(
        told(&app, "answer-accepted", "reply", second).await,
        ["reader@host.example"]
    );
    let (status, html) = get_text(&f.sessions[4], &app.url(&format!("/topics/{topic}"))).await;
    assert_eq!(status, 200);
    let accepted = html.find("A6 labels").unwrap();
    assert!(accepted < html.find("Ask the warehouse.").unwrap());
    assert!(html.contains("Accepted answer"));
    // No accepted answer in a forum of discussions.
    let chat = forum(&app, &manager, "Chat", "discussion").await;
    let (_, t) = post(
        &app,
        &asker,
        &format!("/api/v1/forums/{chat}/topics"),
        json!({"title": "Hi", "body": "Hello"}),
    )
    .await;
    let (_, r) = post(
        &app,
        &helper,
        &format!("/api/v1/topics/{}/replies", t["id"]),
        json!({"body": "Hello back"}),
    )
    .await;
    let (s, e) = send(
        &app,
        reqwest::Method::PUT,
        &asker,
        &format!("/api/v1/replies/{}/accepted", r["id"]),
        None,
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (409, Some("forum-not-questions")));
}

#[tokio::test]
async fn hostile_messages_are_refused_or_made_harmless_and_leave_nothing_behind() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let writer = token(&f, 3);
    let general = forum(&app, &manager, "General", "discussion").await;
    let topics = format!("/api/v1/forums/{general}/topics");
    let before = app.count("SELECT count(*) FROM topics").await;
    let audit = app.audit_count().await;
    for (body, code) in [
        (json!({"title": "", "body": "b"}), "topic-title-required"),
        (json!({"title": "a\nb", "body": "b"}), "topic-title-invalid"),
        (
            json!({"title": "x".repeat(201), "body": "b"}),
            "topic-title-invalid",
        ),
        (
            json!({"title": "t", "body": "  "}),
            "discussion-body-required",
        ),
        (
            json!({"title": "t", "body": "a\u{0}b"}),
            "discussion-body-invalid",
        ),
        (
            json!({"title": "t", "body": "x".repeat(1_000_000)}),
            "discussion-body-too-long",
        ),
    ] {
        let (s, e) = post(&app, &writer, &topics, body).await;
        assert_eq!((s, e["code"].as_str()), (400, Some(code)));
        assert!(e["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let (s, _) = post(
        &app,
        &writer,
        &topics,
        json!({"title": "t", "body": "b", "pinned": true}),
    )
    .await;
    assert!(matches!(s, 400 | 422), "{s}");
    let (s, e) = post(
        &app,
        &manager,
        "/api/v1/spaces/50/forums",
        json!({"name": "No mode"}),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (400, Some("forum-mode-required")));
    let (s, e) = post(
        &app,
        &manager,
        "/api/v1/spaces/50/forums",
        json!({"name": "General", "mode": "discussion"}),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (409, Some("forum-exists")));
    assert_eq!(app.count("SELECT count(*) FROM topics").await, before);
    assert_eq!(app.audit_count().await, audit, "nothing recorded");
    // Script, javascript: links, raw HTML and deep nesting: shown harmless.
    let body = format!(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n{}",
        "> ".repeat(5000)
    );
    let (s, t) = post(
        &app,
        &writer,
        &topics,
        json!({"title": "<b>Hostile</b>", "body": body}),
    )
    .await;
    assert_eq!(s, 201);
    let (s, _) = post(
        &app,
        &writer,
        &format!("/api/v1/topics/{}/replies", t["id"]),
        json!({"body": "<iframe src=//evil></iframe>\n\n**ok**"}),
    )
    .await;
    assert_eq!(s, 201);
    let (status, html) = get_text(&f.sessions[3], &app.url(&format!("/topics/{}", t["id"]))).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hostile"), "{html}");
    assert!(html.contains("<strong>ok</strong>"));
    for bad in [
        "<script>alert",
        "javascript:",
        "onerror",
        "<iframe",
        "<b>Hostile",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    // A form refused in French keeps what was typed.
    let page = app.signed_in("reader@host.example", PASSWORD).await;
    let (_, form) = get_text(&page, &app.url(&format!("/forums/{general}/new"))).await;
    let res = page
        .post(app.url(&format!("/forums/{general}/new")))
        .header("accept-language", "fr")
        .form(&[
            ("_csrf", csrf_in(&form).as_str()),
            ("title", ""),
            ("body", "Mon texte gardé"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("Mon texte gardé"), "{html}");
    assert!(
        html.contains("Give the topic a title") || html.contains("Donnez un titre au sujet"),
        "{html}"
    );
}

#[tokio::test]
async fn a_mention_tells_whoever_may_read_and_the_writer_learns_who_could_not() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let general = forum(&app, &manager, "General", "discussion").await;
    let (writer, outsider_writer) = (token(&f, 3), token(&f, 2));
    let id_of = |email: &'static str| {
        let app = &app;
        async move {
            app.count(&format!("SELECT id FROM people WHERE email = '{email}'"))
                .await
        }
    };
    let (contrib, rival) = (
        id_of("contrib@host.example").await,
        id_of("rival@rival.example").await,
    );
    let (_, t) = post(
        &app,
        &writer,
        &format!("/api/v1/forums/{general}/topics"),
        json!({"title": "Labels", "body": "Which ones?"}),
    )
    .await;
    let topic = t["id"].as_i64().unwrap();
    // The contributor follows the topic (by replying), then is mentioned:
    // told once, as mentioned.
    post(
        &app,
        &token(&f, 4),
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": "Following."}),
    )
    .await;
    let body = format!("Hi @[contrib](mention:{contrib}) and @[rival](mention:{rival})");
    let (s, r) = post(
        &app,
        &writer,
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": body}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let reply = r["id"].as_i64().unwrap();
    assert_eq!(
        r["not_told"],
        json!([{"id": rival, "name": "rival@rival.example"}]),
        "{r}"
    );
    assert!(
        r["html"]
            .as_str()
            .unwrap()
            .contains(&format!("href=\"/people/{contrib}\""))
    );
    assert_eq!(
        told(&app, "mention", "reply", reply).await,
        ["contrib@host.example"]
    );
    assert_eq!(
        told(&app, "topic-reply", "reply", reply).await,
        Vec::<String>::new(),
        "the mention, not the reply as well"
    );
    let rival_told = app
        .count(&format!("SELECT count(*) FROM notifications WHERE person_id = {rival} AND target_type IN ('topic', 'reply')"))
        .await;
    assert_eq!(rival_told, 0);
    // An external writer who may not know of the rival: no mention at all,
    // and not a word about whether such a person exists.
    let body = format!("Ping @[x](mention:{rival}) @[y](mention:999999)");
    let (s, r) = post(
        &app,
        &outsider_writer,
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": body}),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(r["not_told"], json!([]));
    // Mentioning a crowd is refused before anything is stored.
    let crowd: String = (1..=21).map(|i| format!("@[p{i}](mention:{i}) ")).collect();
    let replies = app.count("SELECT count(*) FROM replies").await;
    let (s, e) = post(
        &app,
        &writer,
        &format!("/api/v1/topics/{topic}/replies"),
        json!({"body": crowd}),
    )
    .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (400, Some("discussion-mentions-too-many"))
    );
    assert_eq!(app.count("SELECT count(*) FROM replies").await, replies);
    // Suggestions: whom the writer may know of, and whether they would be told.
    let (s, v) = get(
        &app,
        &writer,
        &format!("/api/v1/forums/{general}/mentions?q=riv"),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v[0]["name"], "rival@rival.example");
    assert_eq!(v[0]["can_see"], false);
    assert_eq!(
        v[0]["markdown"],
        format!("@[rival@rival.example](mention:{rival})")
    );
    let (_, v) = get(
        &app,
        &outsider_writer,
        &format!("/api/v1/forums/{general}/mentions?q=riv"),
    )
    .await;
    assert_eq!(v, json!([]));
    let (_, v) = get(
        &app,
        &outsider_writer,
        &format!("/api/v1/forums/{general}/mentions?q=contrib"),
    )
    .await;
    assert_eq!(v[0]["can_see"], true, "{v}");
    let (s, _) = get(
        &app,
        &token(&f, 1),
        &format!("/api/v1/forums/{general}/mentions?q=contrib"),
    )
    .await;
    assert_eq!(s, 404);
    let (_, v) = get(
        &app,
        &writer,
        &format!("/api/v1/forums/{general}/mentions?q=%25"),
    )
    .await;
    assert_eq!(v, json!([]), "a wildcard is a character like any other");
    // Through the page, the writer is told whom the mention did not reach.
    let page = &f.sessions[3];
    let (_, html) = get_text(page, &app.url(&format!("/topics/{topic}"))).await;
    let res = page
        .post(app.url(&format!("/topics/{topic}/replies")))
        .form(&[
            ("_csrf", csrf_in(&html).as_str()),
            ("body", &format!("Also @[rival](mention:{rival})")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Not told, as they may not read this space: rival@rival.example."),
        "{html}"
    );
}
