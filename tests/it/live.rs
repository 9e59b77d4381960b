//! The live channel over real HTTPS: who is told of what, reconnection with
//! `Last-Event-ID`, revocation within a second, limits and heartbeats.

use crate::helpers::*;
use crate::role_matrix::{Fixture, fixture};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// One Server-Sent Event: its name, id and data.
#[derive(Debug, Clone, Default)]
struct Sse {
    event: String,
    id: Option<String>,
    data: String,
}

/// A stream read event by event.
struct Stream {
    res: reqwest::Response,
    buf: String,
    /// Comment lines seen (heartbeats).
    comments: usize,
}

impl Stream {
    async fn open(app: &TestApp, token: &str, last: Option<&str>) -> Stream {
        let res = stream_request(app, token, last).await;
        assert_eq!(res.status(), 200, "the stream opens");
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Stream {
            res,
            buf: String::new(),
            comments: 0,
        }
    }

    /// The next event within `wait`, or `None` when the wait ends or the
    /// stream does.
    async fn next(&mut self, wait: Duration) -> Option<Sse> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut ev = Sse::default();
                let mut fields = 0;
                for line in block.lines() {
                    if line.starts_with(':') {
                        self.comments += 1;
                    } else if let Some((k, v)) = line.split_once(':') {
                        fields += 1;
                        let v = v.strip_prefix(' ').unwrap_or(v);
                        match k {
                            "event" => ev.event = v.to_string(),
                            "id" => ev.id = Some(v.to_string()),
                            "data" => ev.data.push_str(v),
                            _ => {}
                        }
                    }
                }
                if fields > 0 && !ev.event.is_empty() {
                    return Some(ev);
                }
                continue;
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            match tokio::time::timeout(left, self.res.chunk()).await {
                Ok(Ok(Some(bytes))) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                // Ended, failed, or nothing within the wait.
                _ => return None,
            }
        }
    }

    /// The next event named `name`, skipping others.
    async fn next_named(&mut self, name: &str, wait: Duration) -> Option<Sse> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let ev = self.next(left).await?;
            if ev.event == name {
                return Some(ev);
            }
        }
    }

    /// Whether the server ends the stream within `wait`.
    async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            match tokio::time::timeout(left, self.res.chunk()).await {
                Ok(Ok(Some(_))) => continue,
                Ok(Ok(None)) | Ok(Err(_)) => return true,
                Err(_) => return false,
            }
        }
    }
}

async fn stream_request(app: &TestApp, token: &str, last: Option<&str>) -> reqwest::Response {
    let mut req = app.bare_client().get(app.url("/events")).bearer_auth(token);
    if let Some(last) = last {
        req = req.header("last-event-id", last);
    }
    req.send().await.unwrap()
}

const WAIT: Duration = Duration::from_secs(5);
// Caller indexes in the fixture.
const RIVAL: usize = 1;
const EXT_READER: usize = 2;
const INT_READER: usize = 3;
const MANAGER: usize = 5;
const ADMIN: usize = 7;

fn token(f: &Fixture, who: usize) -> String {
    f.tokens[who].clone().unwrap()
}

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> u16 {
    app.bare_client()
        .patch(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn person_id(app: &TestApp, email: &str) -> i64 {
    app.count(&format!("SELECT id FROM people WHERE email = '{email}'"))
        .await
}

/// The change a stream is told of: what changed, where — never the content.
fn change(ev: &Sse) -> Value {
    serde_json::from_str(&ev.data).unwrap()
}

#[tokio::test]
async fn a_change_reaches_only_the_streams_of_people_who_may_see_it() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let document = f.ids["documents"];
    let mut reader = Stream::open(&app, &token(&f, EXT_READER), None).await;
    let mut rival = Stream::open(&app, &token(&f, RIVAL), None).await;
    for s in [&mut reader, &mut rival] {
        let ready = s.next_named("ready", WAIT).await.expect("a ready event");
        assert!(ready.id.is_some(), "ready says where the stream starts");
    }
    let renamed = patch(
        &app,
        &token(&f, MANAGER),
        &format!("/api/v1/documents/{document}"),
        json!({"name": "secret-plan.png"}),
    )
    .await;
    assert_eq!(renamed, 200);
    let ev = reader
        .next_named("change", WAIT)
        .await
        .expect("the member is told");
    assert_eq!(
        change(&ev),
        json!({"action": "document.rename", "kind": "document", "id": document, "space": 50, "mine": false})
    );
    assert!(
        !ev.data.contains("secret-plan"),
        "a stream never carries content"
    );
    // The rival's stream works: it is told of their own profile's change,
    // and of nothing before it.
    let rival_id = person_id(&app, "rival@rival.example").await;
    let own = patch(
        &app,
        &token(&f, RIVAL),
        &format!("/api/v1/people/{rival_id}"),
        json!({"title": "Buyer"}),
    )
    .await;
    assert_eq!(own, 200);
    let ev = rival
        .next_named("change", WAIT)
        .await
        .expect("told of themselves");
    assert_eq!(
        change(&ev),
        json!({"action": "person.update", "kind": "person", "id": rival_id, "mine": true})
    );
    // The reader, who shares no space with the rival, was not told of it.
    let next = reader
        .next_named("change", Duration::from_millis(700))
        .await;
    assert!(next.is_none(), "the reader was told of {next:?}");
}

#[tokio::test]
async fn losing_a_membership_stops_that_spaces_changes_at_once() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let document = f.ids["documents"];
    let mut reader = Stream::open(&app, &token(&f, EXT_READER), None).await;
    reader.next_named("ready", WAIT).await.expect("ready");
    let removed = app
        .bare_client()
        .delete(app.url("/api/v1/spaces/50/members?person=reader@client.example"))
        .bearer_auth(token(&f, MANAGER))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(removed, 204);
    let renamed = patch(
        &app,
        &token(&f, MANAGER),
        &format!("/api/v1/documents/{document}"),
        json!({"name": "after.png"}),
    )
    .await;
    assert_eq!(renamed, 200);
    let reader_id = person_id(&app, "reader@client.example").await;
    let own = patch(
        &app,
        &token(&f, EXT_READER),
        &format!("/api/v1/people/{reader_id}"),
        json!({"title": "Auditor"}),
    )
    .await;
    assert_eq!(own, 200);
    let mut told = Vec::new();
    while let Some(ev) = reader.next_named("change", WAIT).await {
        let c = change(&ev);
        told.push(c["action"].as_str().unwrap_or_default().to_string());
        if c["action"] == "person.update" {
            break;
        }
    }
    assert!(told.contains(&"person.update".to_string()), "{told:?}");
    assert!(
        !told.contains(&"document.rename".to_string()),
        "a former member was told of {told:?}"
    );
}

#[tokio::test]
async fn a_client_that_reconnects_gets_what_it_missed_or_is_told_to_reload() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let document = f.ids["documents"];
    let reader_token = token(&f, INT_READER);
    let mut first = Stream::open(&app, &reader_token, None).await;
    let ready = first.next_named("ready", WAIT).await.expect("ready");
    let position = ready.id.expect("a position");
    drop(first);
    // While away: a change they may see.
    let renamed = patch(
        &app,
        &token(&f, MANAGER),
        &format!("/api/v1/documents/{document}"),
        json!({"description": "while away"}),
    )
    .await;
    assert_eq!(renamed, 200);
    let mut back = Stream::open(&app, &reader_token, Some(&position)).await;
    let missed = back.next(WAIT).await.expect("the missed change");
    assert_eq!(missed.event, "change");
    assert_eq!(change(&missed)["action"], "document.describe");
    let ready = back.next(WAIT).await.expect("then ready");
    assert_eq!(ready.event, "ready");
    assert!(
        ready.id.unwrap().parse::<i64>().unwrap() >= missed.id.unwrap().parse::<i64>().unwrap()
    );
    // Someone who may not see it, back from the same moment, is not told of it.
    let mut rival = Stream::open(&app, &token(&f, RIVAL), Some(&position)).await;
    assert_eq!(rival.next(WAIT).await.expect("an event").event, "ready");
    // Away since before the server remembers: reload.
    let mut old = Stream::open(&app, &reader_token, Some("0")).await;
    assert_eq!(old.next(WAIT).await.expect("an event").event, "reload");
    // A position that is not one counts as none.
    let mut odd = Stream::open(&app, &reader_token, Some("yesterday")).await;
    assert_eq!(odd.next(WAIT).await.expect("an event").event, "ready");
}

#[tokio::test]
async fn a_disabled_person_or_a_revoked_token_loses_its_streams_within_a_second() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let mut disabled = Stream::open(&app, &token(&f, INT_READER), None).await;
    disabled.next_named("ready", WAIT).await.expect("ready");
    let mut revoked = Stream::open(&app, &token(&f, RIVAL), None).await;
    revoked.next_named("ready", WAIT).await.expect("ready");
    // A session's stream, signed out from the same browser.
    let browser = app.signed_in("contrib@host.example", PASSWORD).await;
    let mut page = browser.get(app.url("/events")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.chunk().await.unwrap().is_some());

    let reader_id = person_id(&app, "reader@host.example").await;
    let t = Instant::now();
    let status = patch(
        &app,
        &token(&f, ADMIN),
        &format!("/api/v1/people/{reader_id}"),
        json!({"status": "disabled"}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        disabled.ends_within(Duration::from_secs(1)).await,
        "disabled, still streaming"
    );
    assert!(t.elapsed() < Duration::from_millis(1500));

    let rival_token = token(&f, RIVAL);
    let tokens = app.api_get(&rival_token, "/api/v1/me/tokens").await;
    let id = tokens["items"][0]["id"]
        .as_i64()
        .expect("the rival's token");
    let gone = app
        .bare_client()
        .delete(app.url(&format!("/api/v1/me/tokens/{id}")))
        .bearer_auth(&rival_token)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(gone, 204);
    assert!(
        revoked.ends_within(Duration::from_secs(1)).await,
        "revoked, still streaming"
    );

    let out = post_form(&app, &browser, "/", "/signout", &[]).await;
    assert!(out.status().is_redirection(), "{}", out.status());
    let ended = tokio::time::timeout(Duration::from_secs(1), async {
        while let Ok(Some(_)) = page.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "signed out, still streaming");
    // The streams' places were given back.
    let deadline = Instant::now() + WAIT;
    while app.state.live.open_streams() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.state.live.open_streams(), 0);
}

#[tokio::test]
async fn streams_are_limited_per_person_and_in_all_with_a_clear_answer() {
    let app = TestApp::spawn_with(|c| {
        c.live.max_streams_per_person = 2;
        c.live.max_streams = 3;
        c.live.heartbeat = Duration::from_millis(200);
    })
    .await;
    let f = fixture(&app).await;
    let reader = token(&f, INT_READER);
    let mut held = vec![
        Stream::open(&app, &reader, None).await,
        Stream::open(&app, &reader, None).await,
    ];
    let third = stream_request(&app, &reader, None).await;
    assert_eq!(third.status(), 429);
    let problem: Value = third.json().await.unwrap();
    assert_eq!(problem["code"], "live-too-many-streams");
    held.push(Stream::open(&app, &token(&f, MANAGER), None).await);
    let full = stream_request(&app, &token(&f, ADMIN), None).await;
    assert_eq!(full.status(), 503);
    let problem: Value = full.json().await.unwrap();
    assert_eq!(problem["code"], "live-full");
    // Anonymous callers get no stream at all.
    let anonymous = app
        .bare_client()
        .get(app.url("/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    // A quiet stream is kept open with heartbeats.
    let quiet = &mut held[0];
    quiet.next_named("ready", WAIT).await.expect("ready");
    let _ = quiet.next(Duration::from_millis(900)).await;
    assert!(quiet.comments >= 3, "{} heartbeats", quiet.comments);
    // A place freed is a place to take.
    held.truncate(1);
    let deadline = Instant::now() + WAIT;
    loop {
        let res = stream_request(&app, &reader, None).await;
        if res.status() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the places were not freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn instance_news_is_told_live_to_its_audience_only() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let mut client = Stream::open(&app, &token(&f, EXT_READER), None).await;
    let mut internal = Stream::open(&app, &token(&f, INT_READER), None).await;
    for s in [&mut client, &mut internal] {
        s.next_named("ready", WAIT).await.expect("a ready event");
    }
    let res = app
        .api_post(
            &token(&f, ADMIN),
            "/api/v1/news",
            Some(
                json!({"title": "For clients", "body": "Hello", "place": "instance",
                        "publish": "now", "audience": ["org_kind:client"]}),
            ),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let ev = client
        .next_named("change", WAIT)
        .await
        .expect("the client is told");
    assert_eq!(change(&ev)["kind"], "news");
    assert_eq!(change(&ev)["id"], id);
    assert_eq!(change(&ev)["space"], Value::Null);
    // An internal reader is not in that audience.
    let mut told = Vec::new();
    while let Some(ev) = internal
        .next_named("change", Duration::from_millis(700))
        .await
    {
        told.push(change(&ev));
    }
    assert!(told.iter().all(|c| c["kind"] != "news"), "{told:?}");
}
