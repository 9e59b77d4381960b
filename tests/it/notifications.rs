//! Notifications over HTTPS: who is told of what, what they see of it later,
//! marking read, and the bell's count arriving live.

use crate::helpers::*;
use crate::role_matrix::fixture;
use parvis::auth::tokens::Scope;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The caller's notifications once `ready` says they are there (the
/// notifier writes them just after the change commits).
async fn notifications_until(app: &TestApp, token: &str, ready: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let got = app.api_get(token, "/api/v1/notifications").await;
        if ready(&got) || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn grant(app: &TestApp, token: &str, email: &str) {
    let res = app
        .api_post(
            token,
            "/api/v1/spaces/50/members",
            Some(json!({"person": email, "role": "reader"})),
        )
        .await;
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn a_person_added_to_a_space_is_told_and_nobody_else_is() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = f.tokens[5].clone().unwrap();
    app.create_person("newcomer@host.example", "Nora Newcomer", None)
        .await;
    let newcomer = api_token(&app, "newcomer@host.example", Scope::Write).await;
    let before = app.api_get(&newcomer, "/api/v1/notifications").await;
    assert_eq!(before["items"], json!([]));
    grant(&app, &manager, "newcomer@host.example").await;
    let got = notifications_until(&app, &newcomer, |v| {
        v["items"].as_array().is_some_and(|a| !a.is_empty())
    })
    .await;
    let n = &got["items"][0];
    assert_eq!(n["reason"], "space-added");
    assert_eq!(n["kind"], "space");
    assert_eq!(n["item"], 50);
    assert_eq!(n["title"], "Deal room");
    assert_eq!(n["url"], "/spaces/deal");
    assert_eq!(n["actor"], "manager@host.example");
    assert_eq!(n["read"], false);
    // Nobody else was told: not the manager who did it, not the others
    // (the deal room's announcement aside).
    for who in [1, 2, 3, 5] {
        let others = app
            .api_get(f.tokens[who].as_ref().unwrap(), "/api/v1/notifications")
            .await;
        let of_spaces: Vec<&Value> = others["items"]
            .as_array()
            .expect("a list")
            .iter()
            .filter(|n| n["kind"] == "space")
            .collect();
        assert!(of_spaces.is_empty(), "caller {who}: {others}");
    }
    // Once, even if the notifier reads the change again.
    parvis::notifications::worker::step(&app.state.db, app.state.kinds, &app.state.time_zone)
        .await
        .unwrap();
    let rows = app
        .count("SELECT count(*) FROM notifications WHERE reason = 'space-added'")
        .await;
    assert_eq!(rows, 1);

    // The page says it in the reader's language.
    let page = app.signed_in("newcomer@host.example", PASSWORD).await;
    let (status, html) = get_text(&page, &app.url("/notifications")).await;
    assert_eq!(status, 200);
    assert!(html.contains("added you to Deal room"), "{html}");
}

#[tokio::test]
async fn what_a_reader_may_no_longer_see_is_no_longer_shown() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = f.tokens[5].clone().unwrap();
    app.create_person("passing@host.example", "Pat Passing", None)
        .await;
    let passing = api_token(&app, "passing@host.example", Scope::Write).await;
    grant(&app, &manager, "passing@host.example").await;
    let got = notifications_until(&app, &passing, |v| {
        v["items"].as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    let id = got["items"][0]["id"].as_i64().expect("a notification");
    let removed = app
        .bare_client()
        .delete(app.url("/api/v1/spaces/50/members?person=passing@host.example"))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    // Gone from the list, its title never shown, and not there to open.
    let after = app.api_get(&passing, "/api/v1/notifications").await;
    assert_eq!(after["items"], json!([]));
    let page = app.signed_in("passing@host.example", PASSWORD).await;
    let (status, html) = get_text(&page, &app.url("/notifications")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Nothing yet"), "the empty list is shown");
    assert!(!html.contains("Deal room"), "a space they left is named");
    let open = app
        .api_post(&passing, &format!("/api/v1/notifications/{id}/read"), None)
        .await;
    assert_eq!(open.status(), 404);
}

#[tokio::test]
async fn a_new_version_tells_the_author_who_marks_it_read() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (manager, contributor) = (f.tokens[5].clone().unwrap(), f.tokens[4].clone().unwrap());
    // The contributor replaces the manager's plan.png with a new version.
    let upload = app
        .bare_client()
        .post(app.url("/api/v1/spaces/50/files?name=plan.png"))
        .bearer_auth(&contributor)
        .body(crate::documents::png(16, 16))
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 201);
    // (The fixture's comment on the file told the manager already.)
    let new_version = |n: &&Value| n["reason"] == "document-new-version";
    let got = notifications_until(&app, &manager, |v| {
        v["items"]
            .as_array()
            .is_some_and(|a| a.iter().any(|n| new_version(&n)))
    })
    .await;
    let n = got["items"]
        .as_array()
        .and_then(|a| a.iter().find(new_version))
        .expect("the new version's notification");
    assert_eq!(n["title"], "plan.png");
    let id = n["id"].as_i64().unwrap();
    // Someone else's notification is not there to mark.
    let theirs = app
        .api_post(
            &contributor,
            &format!("/api/v1/notifications/{id}/read"),
            None,
        )
        .await;
    assert_eq!(theirs.status(), 404);
    let read: Value = app
        .api_post(&manager, &format!("/api/v1/notifications/{id}/read"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["read"], true);
    let all = app
        .api_post(&manager, "/api/v1/notifications/read", None)
        .await;
    assert_eq!(all.status(), 204);
    let bad = app
        .bare_client()
        .get(app.url("/api/v1/notifications?limit=1000"))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

/// Reads the stream into `seen` until it holds `needle` (or 5 s pass).
async fn read_until(stream: &mut reqwest::Response, seen: &mut String, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !seen.contains(needle) && Instant::now() < deadline {
        if let Ok(Ok(Some(c))) = tokio::time::timeout(Duration::from_secs(1), stream.chunk()).await
        {
            seen.push_str(&String::from_utf8_lossy(&c));
        }
    }
}

#[tokio::test]
async fn the_bells_count_arrives_live() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let manager = f.tokens[5].clone().unwrap();
    app.create_person("listener@host.example", "Lee Listener", None)
        .await;
    let listener = api_token(&app, "listener@host.example", Scope::Write).await;
    let mut stream = app
        .bare_client()
        .get(app.url("/events"))
        .bearer_auth(&listener)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "event: ready").await;
    assert!(seen.contains("\"unread\":0"), "{seen}");
    grant(&app, &manager, "listener@host.example").await;
    read_until(&mut stream, &mut seen, "event: notifications").await;
    let told = seen
        .split("event: notifications")
        .nth(1)
        .unwrap_or_default();
    assert!(told.contains("\"unread\":1"), "{seen}");
}
