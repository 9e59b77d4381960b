//! Notifications by e-mail, to a real SMTP server: what each person chose
//! (at once, daily, weekly, per space), one-click unsubscribe (RFC 8058),
//! digests that never name what their reader may no longer see, and
//! choices that are all applied or not at all.

use crate::helpers::*;
use crate::mail::{SmtpSink, header};
use crate::role_matrix::{Fixture, fixture};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn with_smtp() -> (SmtpSink, TestApp, Fixture) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(|c| sink.relay(c)).await;
    let f = fixture(&app).await;
    (sink, app, f)
}

fn token(f: &Fixture, who: usize) -> String {
    f.tokens[who].clone().expect("a token")
}

/// The first message to `to` whose subject has `about`, raw and decoded
/// (subject, recipient, body), once it arrived.
async fn mail_about(
    sink: &SmtpSink,
    to: &str,
    about: &str,
) -> Option<(String, (String, String, String))> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let found = sink
            .messages()
            .into_iter()
            .find(|(_, d)| d.1.contains(to) && d.0.contains(about));
        if found.is_some() || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many messages to `to` have `about` in their subject.
fn count_about(sink: &SmtpSink, to: &str, about: &str) -> usize {
    sink.received()
        .iter()
        .filter(|d| d.1.contains(to) && d.0.contains(about))
        .count()
}

async fn put_prefs(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let res = app
        .bare_client()
        .put(app.url("/api/v1/notifications/preferences"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn delivery(prefs: &Value, topic: &str) -> String {
    prefs["topics"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["topic"] == topic))
        .map(|t| t["delivery"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

async fn publish(app: &TestApp, token: &str, body: Value) -> i64 {
    let res = app.api_post(token, "/api/v1/news", Some(body)).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_mail_says_what_happened_and_stops_in_one_click() {
    let (sink, app, f) = with_smtp().await;
    // The host reader, in French, is opened a space: told at once by e-mail
    // (the default for what is addressed to them alone).
    app.sql("UPDATE people SET locale = 'fr' WHERE email = 'reader@host.example';
             INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
             VALUES (51, 'board', 'Board room', 'members', 0, 0), (53, 'yard', 'Yard', 'members', 0, 0);")
        .await;
    let admin = token(&f, 7);
    let grant = |space: i64| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let res = app
                .api_post(
                    &admin,
                    &format!("/api/v1/spaces/{space}/members"),
                    Some(json!({"person": "reader@host.example", "role": "reader"})),
                )
                .await;
            assert_eq!(res.status(), 204);
        }
    };
    grant(51).await;
    let (mail, decoded) = match mail_about(&sink, "reader@host.example", "Board room").await {
        Some(m) => m,
        None => panic!(
            "no e-mail among {:?}; {} rows, {} due",
            sink.received().len(),
            app.count("SELECT count(*) FROM notifications WHERE reason = 'space-added'")
                .await,
            app.count("SELECT count(*) FROM notifications WHERE mail_due_at IS NOT NULL")
                .await
        ),
    };
    let mail = &mail;
    assert!(
        decoded.0.contains("vous a ajouté à Board room"),
        "{decoded:?}"
    );
    assert!(
        decoded.2.contains("Bonjour reader@host.example"),
        "{}",
        decoded.2
    );
    assert!(decoded.2.contains("/spaces/board"), "{}", decoded.2);
    // One-click unsubscribe, as RFC 8058 asks: an https address to post to.
    let list = header(mail, "List-Unsubscribe").expect("List-Unsubscribe");
    assert_eq!(
        header(mail, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let url = list
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    assert!(
        url.starts_with("https://") && url.contains("/unsubscribe/"),
        "{url}"
    );
    assert!(decoded.2.contains(&url), "the body has the same link");
    let path = &url[url.find("/unsubscribe/").unwrap()..];
    // Opening the link changes nothing (a link scanner must not unsubscribe).
    let (status, html) = get_text(&app.bare_client(), &app.url(path)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Stop these e-mails") && html.contains("r…@host.example"),
        "{html}"
    );
    let reader = token(&f, 3);
    let prefs = app
        .api_get(&reader, "/api/v1/notifications/preferences")
        .await;
    assert_eq!(delivery(&prefs, "spaces"), "immediately");
    // A forged link is missing, and changes nothing.
    // The last hex digit changed to another (appending a fixed "0" would
    // leave the link as it was whenever it already ended in 0).
    let last = if path.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &path[..path.len() - 1]);
    for bad in [
        forged.as_str(),
        "/unsubscribe/1.spaces.00",
        "/unsubscribe/x",
    ] {
        let res = app
            .bare_client()
            .post(app.url(bad))
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{bad}");
    }
    // The mail client's one-click post: no cookie, no form token.
    let res = app
        .bare_client()
        .post(app.url(path))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("no longer receive"));
    let prefs = app
        .api_get(&reader, "/api/v1/notifications/preferences")
        .await;
    assert_eq!(delivery(&prefs, "spaces"), "app");
    assert_eq!(
        delivery(&prefs, "acknowledgements"),
        "immediately",
        "only that topic"
    );
    // Opened another space: told in the application, not by e-mail.
    grant(53).await;
    app.notifier_caught_up().await;
    assert_eq!(
        app.count(
            "SELECT count(*) FROM notifications n JOIN people p ON p.id = n.person_id
                   WHERE p.email = 'reader@host.example' AND n.reason = 'space-added'"
        )
        .await,
        2
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM notifications n JOIN people p ON p.id = n.person_id
                   WHERE p.email = 'reader@host.example' AND n.reason = 'space-added'
                     AND n.mail_due_at IS NOT NULL"
        )
        .await,
        0
    );
    // Neither waiting, nor queued, nor sent (checked in that order, the
    // order a mail would take).
    assert_eq!(
        app.count("SELECT count(*) FROM outbox WHERE payload LIKE '%Yard%'")
            .await,
        0
    );
    assert_eq!(count_about(&sink, "reader@host.example", "Yard"), 0);
}

#[tokio::test]
async fn a_digest_gathers_what_came_and_never_names_what_its_reader_lost() {
    let (sink, app, f) = with_smtp().await;
    let reader = token(&f, 3);
    let manager = token(&f, 5);
    // A second space the reader and the manager share.
    app.sql("INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
             VALUES (52, 'lab', 'Lab', 'members', 0, 0);
             INSERT INTO space_members (space_id, person_id, role, added_at)
             SELECT 52, id, CASE email WHEN 'manager@host.example' THEN 'manager' ELSE 'reader' END, 0
             FROM people WHERE email IN ('manager@host.example', 'reader@host.example');")
        .await;
    let (s, prefs) = put_prefs(&app, &reader, json!({"topics": {"news": "daily"}})).await;
    assert_eq!(s, 200, "{prefs}");
    assert_eq!(delivery(&prefs, "news"), "daily");
    publish(&app, &manager, json!({"title": "Canteen reopens", "body": "Monday.", "place": "space:50", "publish": "now"})).await;
    publish(&app, &manager, json!({"title": "Secret lab results", "body": "Shh.", "place": "space:52", "publish": "now"})).await;
    app.notifier_caught_up().await;
    // Both are in the application at once; neither is mailed before the digest.
    let mine = app.api_get(&reader, "/api/v1/notifications").await;
    let titles: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["reason"] == "news")
        .filter_map(|n| n["title"].as_str())
        .collect();
    assert_eq!(titles, ["Secret lab results", "Canteen reopens"], "{mine}");
    let waiting = "SELECT count(*) FROM notifications n JOIN people p ON p.id = n.person_id
                   WHERE p.email = 'reader@host.example' AND n.reason = 'news'
                     AND n.mail_due_at IS NOT NULL";
    let now = parvis::util::now_ms();
    parvis::notifications::mailer::step(&app.state, now)
        .await
        .unwrap();
    assert_eq!(app.count(waiting).await, 2, "nothing due yet");
    // The reader leaves the lab before the digest leaves.
    app.sql("DELETE FROM space_members WHERE space_id = 52 AND person_id = (SELECT id FROM people WHERE email = 'reader@host.example')")
        .await;
    let tomorrow = now + 2 * 24 * 3_600_000;
    let people = parvis::notifications::mailer::step(&app.state, tomorrow)
        .await
        .unwrap();
    assert!(people >= 1);
    assert_eq!(app.count(waiting).await, 0);
    let (_, decoded) = mail_about(&sink, "reader@host.example", "Canteen reopens")
        .await
        .expect("the digest");
    assert!(
        decoded.0.contains("published Canteen reopens"),
        "{decoded:?}"
    );
    assert!(!decoded.2.contains("Secret lab") && !decoded.0.contains("Secret lab"));
    assert!(decoded.2.contains("/news/"));
    assert_eq!(count_about(&sink, "reader@host.example", "Secret lab"), 0);
    // Mailed once.
    parvis::notifications::mailer::step(&app.state, tomorrow)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        count_about(&sink, "reader@host.example", "Canteen reopens"),
        1
    );
}

#[tokio::test]
async fn a_muted_space_is_quiet_but_still_asks_for_acknowledgement_and_bad_choices_change_nothing()
{
    let (sink, app, f) = with_smtp().await;
    let reader = token(&f, 2);
    let manager = token(&f, 5);
    let (s, prefs) = put_prefs(&app, &reader, json!({"spaces": {"50": "mute"}})).await;
    assert_eq!(s, 200, "{prefs}");
    let level = |p: &Value| {
        p["spaces"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["id"] == 50))
            .map(|s| s["level"].clone())
    };
    assert_eq!(level(&prefs), Some(json!("mute")));
    // Every change or none: a bad delivery next to a good level, a space
    // the caller may not choose for, an unknown topic or field.
    for (body, status) in [
        (
            json!({"topics": {"news": "hourly"}, "spaces": {"50": "follow"}}),
            400,
        ),
        (
            json!({"topics": {"gossip": "daily"}, "spaces": {"50": "follow"}}),
            400,
        ),
        (json!({"spaces": {"50": "follow", "x": "mute"}}), 400),
        (json!({"spaces": {"50": "loud"}}), 400),
        (json!({"spaces": {"50": "follow", "999": "mute"}}), 404),
        (json!({"space": {"50": "follow"}}), 400),
    ] {
        let (s, err) = put_prefs(&app, &reader, body.clone()).await;
        assert_eq!(s, status, "{body}: {err}");
        assert!(
            err["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{err}"
        );
    }
    let prefs = app
        .api_get(&reader, "/api/v1/notifications/preferences")
        .await;
    assert_eq!(level(&prefs), Some(json!("mute")), "unchanged");
    // The rival may not choose for a space they do not see: as missing.
    let (s, _) = put_prefs(&app, &token(&f, 1), json!({"spaces": {"50": "mute"}})).await;
    assert_eq!(s, 404);
    let rival = app
        .api_get(&token(&f, 1), "/api/v1/notifications/preferences")
        .await;
    assert_eq!(rival["spaces"], json!([]), "{rival}");
    let news = publish(
        &app,
        &manager,
        json!({"title": "Lunch menu", "body": "Soup.", "place": "space:50", "publish": "now"}),
    )
    .await;
    let ack = publish(&app, &manager, json!({"title": "Fire drill rules", "body": "Walk.", "place": "space:50", "publish": "now", "requires_ack": true})).await;
    app.notifier_caught_up().await;
    let mine = app.api_get(&reader, "/api/v1/notifications").await;
    let items: Vec<(String, i64)> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["reason"].as_str().unwrap().to_string(),
                n["item"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        items.contains(&("news-to-acknowledge".to_string(), ack)),
        "{mine}"
    );
    assert!(!items.iter().any(|(_, id)| *id == news), "{mine}");
    // Another reader of the space who follows it hears of both.
    let other = app.api_get(&token(&f, 3), "/api/v1/notifications").await;
    assert!(
        other["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["item"] == news),
        "{other}"
    );
    // The announcement to acknowledge also came by e-mail, at once.
    let (_, decoded) = mail_about(&sink, "reader@client.example", "Fire drill rules")
        .await
        .expect("an e-mail");
    assert!(decoded.0.contains("Please acknowledge"), "{decoded:?}");
    assert_eq!(count_about(&sink, "reader@client.example", "Lunch menu"), 0);
}

#[tokio::test]
async fn what_waits_follows_a_changed_choice_and_an_unopened_account_gets_nothing() {
    let (sink, app, f) = with_smtp().await;
    let reader = token(&f, 3);
    let manager = token(&f, 5);
    let waiting = |title: &str| {
        format!(
            "SELECT count(*) FROM notifications n JOIN people p ON p.id = n.person_id
             JOIN news ON news.id = n.target_id
             WHERE p.email = 'reader@host.example' AND n.target_type = 'news'
               AND news.title = '{title}' AND n.mail_due_at IS NOT NULL"
        )
    };
    // Weekly, then at once: what waits for Monday leaves now.
    put_prefs(&app, &reader, json!({"topics": {"news": "weekly"}})).await;
    publish(&app, &manager, json!({"title": "Parking works", "body": "Level -2.", "place": "space:50", "publish": "now"})).await;
    app.notifier_caught_up().await;
    assert_eq!(app.count(&waiting("Parking works")).await, 1);
    let (s, _) = put_prefs(&app, &reader, json!({"topics": {"news": "immediately"}})).await;
    assert_eq!(s, 200);
    parvis::notifications::mailer::step(&app.state, parvis::util::now_ms())
        .await
        .unwrap();
    let (_, decoded) = mail_about(&sink, "reader@host.example", "Parking works")
        .await
        .expect("mailed at once after the change");
    assert!(decoded.2.contains("/news/"), "{decoded:?}");
    // Daily, then the space is muted before the digest: nothing leaves.
    put_prefs(&app, &reader, json!({"topics": {"news": "daily"}})).await;
    publish(&app, &manager, json!({"title": "Plant watering", "body": "Fridays.", "place": "space:50", "publish": "now"})).await;
    app.notifier_caught_up().await;
    assert_eq!(app.count(&waiting("Plant watering")).await, 1);
    let (s, _) = put_prefs(&app, &reader, json!({"spaces": {"50": "mute"}})).await;
    assert_eq!(s, 200);
    let tomorrow = parvis::util::now_ms() + 2 * 24 * 3_600_000;
    parvis::notifications::mailer::step(&app.state, tomorrow)
        .await
        .unwrap();
    assert_eq!(app.count(&waiting("Plant watering")).await, 0, "cleared");
    // Someone invited whose invitation expired unused has no account open:
    // the row waiting for them is cleared without a mail.
    app.sql(
        "INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
         SELECT 900, org_id, 'invitee@host.example', 'Invitee', 0, 0 FROM people
         WHERE email = 'reader@host.example';
         INSERT INTO one_time_tokens (purpose, token_hash, person_id, created_at, expires_at)
         VALUES ('invite', x'00112233', 900, 0, 1);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (50, 900, 'reader', 0);
         INSERT INTO notifications (person_id, reason, target_type, target_id, audit_id, created_at, mail_due_at)
         SELECT 900, 'news', 'news', id, 1, 0, 0 FROM news WHERE title = 'Parking works';",
    )
    .await;
    parvis::notifications::mailer::step(&app.state, parvis::util::now_ms())
        .await
        .unwrap();
    assert_eq!(
        app.count(
            "SELECT count(*) FROM notifications WHERE person_id = 900 AND mail_due_at IS NOT NULL"
        )
        .await,
        0
    );
    // A backlog larger than one step's share leaves in turns, none dropped.
    app.sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1005)
         INSERT INTO notifications (person_id, reason, target_type, target_id, audit_id, created_at, mail_due_at)
         SELECT p.id, 'news', 'news', news.id, 1000000 + n.i, 0, 0 FROM n, people p, news
         WHERE p.email = 'reader@host.example' AND news.title = 'Parking works';",
    )
    .await;
    let backlog = "SELECT count(*) FROM notifications n JOIN people p ON p.id = n.person_id
                   WHERE p.email = 'reader@host.example' AND n.mail_due_at IS NOT NULL";
    assert_eq!(app.count(backlog).await, 1005);
    parvis::notifications::mailer::step(&app.state, parvis::util::now_ms())
        .await
        .unwrap();
    assert_eq!(
        app.count(backlog).await,
        5,
        "the oldest wait for the next step"
    );
    parvis::notifications::mailer::step(&app.state, parvis::util::now_ms())
        .await
        .unwrap();
    assert_eq!(app.count(backlog).await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count_about(&sink, "invitee@host.example", "Parking"), 0);
    assert_eq!(
        count_about(&sink, "reader@host.example", "Plant watering"),
        0
    );
    assert_eq!(
        count_about(&sink, "reader@host.example", "Parking works"),
        1
    );
}
