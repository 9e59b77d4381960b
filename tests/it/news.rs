//! News and announcements over HTTPS: who reads a post (on every channel),
//! audiences without defaults, time (scheduling, expiry), acknowledgements
//! with their report, and bad input that changes nothing.

use crate::helpers::*;
use crate::role_matrix::{Fixture, fixture};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn post_news(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let res = app.api_post(token, "/api/v1/news", Some(body)).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let res = app
        .bare_client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn titles(feed: &Value) -> Vec<String> {
    ["to_acknowledge", "pinned", "items"]
        .iter()
        .flat_map(|k| feed[k].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["title"].as_str().map(str::to_string))
        .collect()
}

fn token(f: &Fixture, who: usize) -> String {
    f.tokens[who].clone().expect("a token")
}

/// Notifications of `reason` about `news`, by recipient, once the notifier
/// has read everything written so far.
async fn told(app: &TestApp, reason: &str, news: i64) -> Vec<String> {
    app.notifier_caught_up().await;
    let reason = reason.to_string();
    app.state
        .db
        .read(move |c| {
            let mut st = c.prepare(
                "SELECT p.email FROM notifications n JOIN people p ON p.id = n.person_id
                 WHERE n.reason = ?1 AND n.target_type = 'news' AND n.target_id = ?2 ORDER BY p.email",
            )?;
            let rows = st
                .query_map(rusqlite::params![reason, news], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok::<_, parvis::service::Error>(rows)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_space_post_reaches_its_members_and_is_missing_for_everyone_else() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let (s, post) = post_news(
        &app,
        &manager,
        json!({"title": "Quarterly figures zebracorn", "body": "The figures are in.", "place": "space:50", "publish": "now"}),
    )
    .await;
    assert_eq!(s, 201, "{post}");
    let id = post["id"].as_i64().unwrap();
    assert_eq!(post["state"], "published");
    let path = format!("/api/v1/news/{id}");
    // Readers of the space, of the host and of the client, read it.
    for who in [2, 3, 4, 6, 7] {
        let (s, p) = get(&app, &token(&f, who), &path).await;
        assert_eq!(
            (s, p["title"].as_str()),
            (200, Some("Quarterly figures zebracorn")),
            "caller {who}"
        );
        // An administrator may open it; their feed is what is addressed to them.
        if who == 7 {
            continue;
        }
        let (s, feed) = get(&app, &token(&f, who), "/api/v1/news").await;
        assert_eq!(s, 200);
        assert!(
            titles(&feed).contains(&"Quarterly figures zebracorn".to_string()),
            "caller {who}: {feed}"
        );
    }
    // The rival: not found, like a post that does not exist; not in the
    // feed, not in search, not notified.
    let rival = token(&f, 1);
    let (s, missing) = get(&app, &rival, &path).await;
    let (s2, none) = get(&app, &rival, "/api/v1/news/999999").await;
    assert_eq!((s, s2), (404, 404));
    assert_eq!(missing["code"], none["code"]);
    assert_eq!(missing["detail"], none["detail"]);
    let (s, feed) = get(&app, &rival, "/api/v1/news").await;
    assert_eq!(s, 200);
    assert!(feed["items"].is_array());
    assert!(titles(&feed).is_empty(), "{feed}");
    // Once a reader finds it, the rival still finds nothing.
    app.until_search(&token(&f, 2), "zebracorn", "the reader's search", |v| {
        v["total"] == 1
    })
    .await;
    let found = app.search_api(&rival, "zebracorn").await;
    assert_eq!(found["total"], 0, "{found}");
    let rival_page = &f.sessions[1];
    let (status, html) = get_text(rival_page, &app.url(&format!("/news/{id}"))).await;
    assert_eq!(status, 404);
    assert!(!html.contains("zebracorn"));
    let (status, html) = get_text(rival_page, &app.url("/news")).await;
    assert_eq!(status, 200);
    assert!(html.contains("No news for you yet"), "{html}");
    assert!(!html.contains("zebracorn"));
    // Its readers are told; its author and the rival are not.
    let told = told(&app, "news", id).await;
    assert!(
        told.contains(&"reader@client.example".to_string()),
        "{told:?}"
    );
    assert!(!told.contains(&"manager@host.example".to_string()));
    assert!(!told.contains(&"rival@rival.example".to_string()));
    // The space's home shows it, and the reader's home once the space is
    // shown on this portal (a portal's home has its own spaces' news).
    let (status, html) = get_text(&f.sessions[2], &app.url("/")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Quarterly figures zebracorn"));
    app.sql("INSERT INTO space_portals (space_id, portal_id) SELECT 50, id FROM portals WHERE is_default = 1")
        .await;
    let (status, html) = get_text(&f.sessions[2], &app.url("/spaces/deal")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Quarterly figures zebracorn"));
    let (status, html) = get_text(&f.sessions[2], &app.url("/")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Quarterly figures zebracorn"));
}

#[tokio::test]
async fn instance_news_goes_to_the_audiences_chosen_and_nobody_chooses_for_the_writer() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let admin = token(&f, 7);
    let count = || app.count("SELECT count(*) FROM news");
    let before = count().await;
    // No audience, no place: refused, nothing stored.
    let (s, e) = post_news(
        &app,
        &admin,
        json!({"title": "T", "body": "B", "place": "instance", "publish": "now"}),
    )
    .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (400, Some("news-audience-required"))
    );
    let (s, e) = post_news(
        &app,
        &admin,
        json!({"title": "T", "body": "B", "publish": "now", "audience": ["internal"]}),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (400, Some("news-place-required")));
    let (s, e) = post_news(&app, &admin, json!({"title": "T", "body": "B", "place": "instance", "publish": "now", "audience": ["org:99999"]})).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (400, Some("news-audience-unknown"))
    );
    assert_eq!(count().await, before);

    let client_co = app
        .count("SELECT id FROM organizations WHERE slug = 'client-co'")
        .await;
    let cases = [
        (
            json!(["org_kind:client"]),
            [true, true, false, false, false, true],
        ),
        (
            json!([format!("org:{client_co}")]),
            [false, true, false, false, false, true],
        ),
        (json!(["internal"]), [false, false, true, true, true, false]),
        (
            json!(["group:60"]),
            [false, false, true, false, false, false],
        ),
        (json!(["space:50"]), [false, true, true, true, true, true]),
    ];
    for (n, (audience, reads)) in cases.iter().enumerate() {
        let title = format!("Notice {n}");
        let (s, p) = post_news(
            &app,
            &admin,
            json!({"title": title, "body": "For some", "place": "instance", "publish": "now", "audience": audience}),
        )
        .await;
        assert_eq!(s, 201, "{p}");
        let path = format!("/api/v1/news/{}", p["id"]);
        for (who, reads) in reads.iter().enumerate() {
            let caller = token(&f, who + 1);
            let (s, _) = get(&app, &caller, &path).await;
            let (_, feed) = get(&app, &caller, "/api/v1/news").await;
            let in_feed = titles(&feed).contains(&title);
            assert_eq!(
                (s == 200, in_feed),
                (*reads, *reads),
                "{audience} as {}",
                crate::role_matrix::WHO[who + 1]
            );
        }
    }

    // Only communicators and administrators write for the whole instance.
    let contrib = token(&f, 4);
    let body = json!({"title": "From me", "body": "B", "place": "instance", "publish": "now", "audience": ["internal"]});
    let (s, _) = post_news(&app, &contrib, body.clone()).await;
    assert_eq!(s, 404);
    app.sql(
        "INSERT INTO group_members (group_id, person_id)
             SELECT g.id, p.id FROM groups g, people p
             WHERE g.writes_news = 1 AND p.email = 'contrib@host.example'",
    )
    .await;
    let (s, _) = post_news(&app, &contrib, body.clone()).await;
    assert_eq!(s, 201);
    // An external person is never one, whatever group they are put in.
    app.sql(
        "INSERT INTO group_members (group_id, person_id)
             SELECT g.id, p.id FROM groups g, people p
             WHERE g.writes_news = 1 AND p.email = 'boss@client.example'",
    )
    .await;
    let (s, _) = post_news(&app, &token(&f, 6), body).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn scheduled_posts_come_out_and_expired_ones_go_with_time() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let reader = token(&f, 3);
    let (s, p) = post_news(
        &app,
        &manager,
        json!({"title": "Later", "body": "Soon", "place": "space:50", "publish": "schedule",
               "publish_at": "2099-01-01T09:00:00Z"}),
    )
    .await;
    assert_eq!((s, p["state"].as_str()), (201, Some("scheduled")), "{p}");
    let id = p["id"].as_i64().unwrap();
    let path = format!("/api/v1/news/{id}");
    assert_eq!(get(&app, &reader, &path).await.0, 404);
    assert_eq!(get(&app, &manager, &path).await.0, 200);
    let (_, written) = get(&app, &manager, "/api/v1/news/written").await;
    assert!(titles(&written).contains(&"Later".to_string()));
    // Time passes: the reader reads it at once; the publisher tells them.
    let now = parvis::util::now_ms();
    app.sql(&format!(
        "UPDATE news SET publish_at = {} WHERE id = {id}",
        now - 1000
    ))
    .await;
    assert_eq!(get(&app, &reader, &path).await.0, 200);
    assert!(told(&app, "news", id).await.is_empty());
    assert_eq!(
        parvis::news::publisher::step(&app.state.db, now)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        parvis::news::publisher::step(&app.state.db, now)
            .await
            .unwrap(),
        0
    );
    assert!(
        told(&app, "news", id)
            .await
            .contains(&"reader@host.example".to_string())
    );
    // It expires: gone for readers, kept for its writers.
    app.sql(&format!(
        "UPDATE news SET expires_at = {} WHERE id = {id}",
        now
    ))
    .await;
    assert_eq!(get(&app, &reader, &path).await.0, 404);
    let (s, p) = get(&app, &manager, &path).await;
    assert_eq!((s, p["state"].as_str()), (200, Some("expired")));
    assert_eq!(
        parvis::news::publisher::step(&app.state.db, now + 1)
            .await
            .unwrap(),
        1
    );
    // A draft is its writers' alone.
    let (_, d) = post_news(
        &app,
        &manager,
        json!({"title": "Draft", "body": "x", "place": "space:50", "publish": "draft"}),
    )
    .await;
    assert_eq!(d["state"], "draft");
    assert_eq!(
        get(&app, &reader, &format!("/api/v1/news/{}", d["id"]))
            .await
            .0,
        404
    );
    // Expiry before publication is refused.
    let (s, e) = post_news(&app, &manager, json!({"title": "X", "body": "x", "place": "space:50", "publish": "now", "expires_at": "2000-01-01T00:00:00Z"})).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (400, Some("news-expiry-before-publication"))
    );
}

#[tokio::test]
async fn an_announcement_is_acknowledged_per_version_and_reported_per_audience() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let (s, p) = post_news(
        &app,
        &manager,
        json!({"title": "Safety rules", "body": "Wear a helmet.", "place": "space:50", "publish": "now", "requires_ack": true}),
    )
    .await;
    assert_eq!(s, 201);
    let id = p["id"].as_i64().unwrap();
    let reader = token(&f, 2);
    let awaiting = |feed: &Value| {
        feed["to_acknowledge"]
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p["id"] == id))
    };
    let (_, feed) = get(&app, &reader, "/api/v1/news").await;
    assert!(awaiting(&feed), "{feed}");
    let res = app
        .api_post(&reader, &format!("/api/v1/news/{id}/acknowledge"), None)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["new"], true);
    let res = app
        .api_post(&reader, &format!("/api/v1/news/{id}/acknowledge"), None)
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["new"], false);
    let (s, feed) = get(&app, &reader, "/api/v1/news").await;
    assert_eq!(s, 200);
    assert!(!awaiting(&feed), "{feed}");
    // The audit log holds the version and the text's fingerprint.
    let detail = app
        .state
        .db
        .read(|c| {
            Ok::<String, parvis::service::Error>(c.query_row(
                "SELECT detail FROM audit_events WHERE action = 'news.acknowledge'",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["version"], 1);
    assert_eq!(
        detail["text_blake3"],
        parvis::news::events::text_fingerprint("Safety rules", "Wear a helmet.")
    );
    // The report: the five members of the deal room, one acknowledged.
    let (s, r) = get(
        &app,
        &manager,
        &format!("/api/v1/news/{id}/acknowledgements"),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["people"].as_i64(), r["acknowledged"].as_i64()),
        (Some(5), Some(1)),
        "{r}"
    );
    assert_eq!(r["audiences"][0]["target"], "space:50");
    assert_eq!(r["audiences"][0]["acknowledged"], 1);
    // Readers may not see it.
    assert_eq!(
        get(
            &app,
            &reader,
            &format!("/api/v1/news/{id}/acknowledgements")
        )
        .await
        .0,
        404
    );
    // A new text asks again; the earlier acknowledgement shows as such.
    let res = app
        .bare_client()
        .put(app.url(&format!("/api/v1/news/{id}")))
        .bearer_auth(&manager)
        .json(&json!({"title": "Safety rules", "body": "Wear a helmet and boots.", "publish": "now", "requires_ack": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["version"], 2);
    let (_, feed) = get(&app, &reader, "/api/v1/news").await;
    assert!(awaiting(&feed), "{feed}");
    let (_, r) = get(
        &app,
        &manager,
        &format!("/api/v1/news/{id}/acknowledgements"),
    )
    .await;
    assert_eq!(r["acknowledged"], 0);
    let earlier: Vec<&Value> = r["readers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["earlier_version"] == 1)
        .collect();
    assert_eq!(earlier.len(), 1);
    let again = told(&app, "news-acknowledge-again", id).await;
    assert!(
        again.contains(&"reader@client.example".to_string()),
        "{again:?}"
    );
    // The CSV, with one line per person and never a formula.
    let page = &f.sessions[5];
    let res = page
        .get(app.url(&format!("/news/{id}/report.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    assert_eq!(csv.lines().count(), 6, "{csv}");
    assert!(
        csv.contains("reader@client.example,Client Co,earlier-version,,1"),
        "{csv}"
    );
    // Reminders go to those who have not acknowledged the current text.
    app.api_post(
        &token(&f, 3),
        &format!("/api/v1/news/{id}/acknowledge"),
        None,
    )
    .await;
    let res = app
        .api_post(&manager, &format!("/api/v1/news/{id}/remind"), None)
        .await;
    assert_eq!(res.status(), 200);
    let reminded = told(&app, "news-reminder", id).await;
    assert!(reminded.contains(&"reader@client.example".to_string()));
    assert!(
        !reminded.contains(&"reader@host.example".to_string()),
        "{reminded:?}"
    );
    // The page says it in French too.
    let (status, html) = get_text(page, &app.url(&format!("/news/{id}/report?lang=fr"))).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Confirmations de lecture") || html.contains("Acknowledgements"),
        "{html}"
    );
}

#[tokio::test]
async fn hostile_posts_are_refused_or_made_harmless_and_leave_nothing_behind() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = token(&f, 5);
    let count = || app.count("SELECT count(*) FROM news");
    let before = count().await;
    let huge = "a".repeat(1_100_000);
    let res = app
        .api_post(
            &manager,
            "/api/v1/news",
            Some(json!({"title": "Big", "body": huge, "place": "space:50", "publish": "now"})),
        )
        .await;
    assert!(
        matches!(res.status().as_u16(), 400 | 413),
        "{}",
        res.status()
    );
    let (s, e) = post_news(
        &app,
        &manager,
        json!({"title": "x".repeat(300), "body": "b", "place": "space:50", "publish": "now"}),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (400, Some("news-title-invalid")));
    let (s, _) = post_news(
        &app,
        &manager,
        json!({"title": "t", "body": "b", "place": "space:50", "publish": "whenever"}),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = post_news(
        &app,
        &manager,
        json!({"title": "t", "body": "b", "place": "space:50", "publish": "now", "extra": 1}),
    )
    .await;
    assert!(matches!(s, 400 | 422), "{s}");
    assert_eq!(count().await, before);
    // Script, javascript: links, raw HTML and deep nesting: shown harmless.
    let body = format!(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n{}",
        "> ".repeat(5000)
    );
    let started = Instant::now();
    let (s, p) = post_news(
        &app,
        &manager,
        json!({"title": "Hostile", "body": body, "place": "space:50", "publish": "now"}),
    )
    .await;
    assert_eq!(s, 201);
    let (status, html) = get_text(&f.sessions[3], &app.url(&format!("/news/{}", p["id"]))).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hostile"));
    for bad in ["<script>alert", "javascript:", "onerror"] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    // A cover that is not an image changes nothing.
    let res = app
        .bare_client()
        .put(app.url(&format!("/api/v1/news/{}/cover", p["id"])))
        .bearer_auth(&manager)
        .body("<svg onload=alert(1)>")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        app.count("SELECT count(*) FROM news_covers").await,
        1,
        "the fixture's only"
    );
    // The author erased: the post stays, under no name.
    let person = app
        .count("SELECT id FROM people WHERE email = 'manager@host.example'")
        .await;
    let erased = app
        .bare_client()
        .post(app.url(&format!("/api/v1/people/{person}/erase")))
        .bearer_auth(token(&f, 7))
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), 200);
    let (s, p) = get(&app, &token(&f, 3), &format!("/api/v1/news/{}", p["id"])).await;
    assert_eq!((s, p["title"].as_str()), (200, Some("Hostile")));
    assert_eq!(p["author_id"], Value::Null);
    assert_eq!(p["author_name"], Value::Null);
}
