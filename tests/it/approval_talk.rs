//! What is said around a flow and who hears it: decision comments are
//! public to every reader of the file, the internal discussion reaches the
//! host organization's people alone on every channel; a delegate who is
//! also an approver decides for both; search narrows by review state.

use crate::approvals::{World, code, member, upload, waits, world};
use crate::discussions::told;
use crate::helpers::*;
use parvis::approvals::flows::Decision;
use parvis::approvals::service;
use parvis::auth::tokens::Scope;
use serde_json::{Value, json};

/// The search API's answer to `token` for `q`, narrowed to review `state`.
async fn search_state(w: &World, token: &str, q: &str, state: &str) -> Value {
    let res = w
        .app
        .bare_client()
        .get(w.app.url("/api/v1/search"))
        .query(&[("q", q), ("state", state)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn kinds_and_titles(v: &Value) -> Vec<(String, String)> {
    v["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    (
                        h["kind"].as_str().unwrap_or_default().to_string(),
                        h["title"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_internal_discussion_never_reaches_an_external_reader() {
    let w = world().await;
    let db = &w.app.state.db;
    let q = w.quality.principal().unwrap().person_id;
    let def = json!({"steps": [
        {"name": "Quality check", "approvers": [{"type": "person", "id": q}]},
        {"name": "Client validation", "approvers": [{"type": "organization", "id": w.client_org}]}
    ]});
    let template = service::save_template(db, &w.sofia, 7, "Deliverable", def)
        .await
        .unwrap();
    let (doc, hash) = upload(&w, "Deliverable.pdf", b"%PDF deliverable").await;
    let flow = service::start(db, &w.sofia, doc, template.id)
        .await
        .unwrap();
    let token_q = api_token(&w.app, "quality@host.example", Scope::Write).await;
    let token_c = api_token(&w.app, "ana@client.example", Scope::Write).await;
    let token_r = api_token(&w.app, "rita@rival.example", Scope::Write).await;
    let decisions = format!("/api/v1/approvals/{}/decisions", flow.id);
    let notes = format!("/api/v1/approvals/{}/notes", flow.id);

    // Quality approves with a public comment and an internal note, in one.
    let res = w
        .app
        .api_post(
            &token_q,
            &decisions,
            Some(json!({"decision": "approve", "blake3": hash,
                "comment": "Conforms to the specification.",
                "internal_note": "Zeppelin margin is thin: watch the client's reading."})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["step"], 2, "{v}");
    assert!(
        !v.to_string().contains("Zeppelin"),
        "no note in a flow: {v}"
    );
    let mine = w.app.api_get(&token_q, &notes).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine["items"][0]["author_name"], "Quentin Quality");

    // The client: no notes, none to add, none with a decision (nothing
    // decided then); the public comment is theirs to read.
    for token in [&token_c, &token_r] {
        let res = w
            .app
            .bare_client()
            .get(w.app.url(&notes))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        // Whatever they write: not even told what a note may hold.
        for body in ["Let me in", "", &"x".repeat(5_000)] {
            let res = w
                .app
                .api_post(token, &notes, Some(json!({ "body": body })))
                .await;
            assert_eq!(res.status(), 404, "{body:.10}");
        }
    }
    // Someone who cannot see the flow finds no flow, note or not.
    let res = w
        .app
        .api_post(
            &token_r,
            &decisions,
            Some(json!({"decision": "approve", "blake3": hash, "internal_note": "x"})),
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = w
        .app
        .api_post(
            &token_c,
            &decisions,
            Some(json!({"decision": "approve", "blake3": hash, "internal_note": "Sneaking in"})),
        )
        .await;
    assert_eq!(res.status(), 400);
    let said: Value = res.json().await.unwrap();
    assert_eq!(said["code"], "approval-note-internal", "{said}");
    let seen = w
        .app
        .api_get(&token_c, &format!("/api/v1/approvals/{}", flow.id))
        .await;
    assert_eq!(
        (
            seen["step"].clone(),
            seen["decisions"].as_array().map(Vec::len)
        ),
        (json!(2), Some(1)),
        "nothing decided: {seen}"
    );
    assert_eq!(
        seen["decisions"][0]["comment"],
        "Conforms to the specification."
    );
    assert!(!seen.to_string().contains("Zeppelin"), "{seen}");
    assert_eq!(
        w.app.count("SELECT count(*) FROM approval_notes").await,
        1,
        "nothing kept of the refusals"
    );

    // The pages: the client reads the comment and no discussion; the
    // manager reads both and adds a note; an empty one is said.
    let client = w.app.signed_in("ana@client.example", PASSWORD).await;
    let page = format!("/files/{doc}/approvals");
    let (status, html) = get_text(&client, &w.app.url(&page)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Conforms to the specification."), "{html}");
    assert!(
        !html.contains("Zeppelin")
            && !html.contains("Internal discussion")
            && !html.contains("name=\"note\""),
        "{html}"
    );
    let res = post_form(
        &w.app,
        &client,
        &page,
        &format!("/approvals/{}/notes", flow.id),
        &[("body", "Let me in")],
    )
    .await;
    assert_eq!(res.status(), 404);
    let sofia = w.app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, html) = get_text(&sofia, &w.app.url(&page)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Internal discussion") && html.contains("Zeppelin margin is thin"),
        "{html}"
    );
    let res = post_form(
        &w.app,
        &sofia,
        &page,
        &format!("/approvals/{}/notes", flow.id),
        &[("body", "  ")],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("A note has 1 to 4,000 characters.")
    );
    let res = post_form(
        &w.app,
        &sofia,
        &page,
        &format!("/approvals/{}/notes", flow.id),
        &[("body", "Agreed, zeppelin or not.\r\nI call them.")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let all = w.app.api_get(&token_q, &notes).await;
    assert_eq!(
        all["items"][1]["body"], "Agreed, zeppelin or not.\nI call them.",
        "{all}"
    );

    // The client decides; the record keeps the comments' hashes only.
    let done = service::decide(db, &w.client_a, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap();
    assert_eq!(done.state, "approved");
    let (_, _, record) = service::flow(db, &w.client_a, flow.id).await.unwrap();
    let record = record.unwrap();
    assert!(!record.contains("Zeppelin") && !record.contains("zeppelin"));

    // Search: the flow is found by its public comment, by the client too;
    // the notes by nobody. Notifications and mail carry no note.
    w.app
        .until_search(
            &token_c,
            "specification",
            "the flow's comment is indexed",
            |v| {
                v["items"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|h| h["kind"] == "approval"))
            },
        )
        .await;
    for token in [&w.token, &token_q, &token_c] {
        let hits = w.app.search_api(token, "zeppelin").await;
        assert_eq!(hits["items"], json!([]), "{hits}");
    }
    w.app.notifier_caught_up().await;
    for sql in [
        "SELECT count(*) FROM notifications WHERE reason LIKE '%note%'",
        "SELECT count(*) FROM outbox WHERE payload LIKE '%eppelin%'",
    ] {
        assert_eq!(w.app.count(sql).await, 0, "{sql}");
    }
    // The client's own export holds nothing of it; the writer's holds theirs.
    let (s, tar) = crate::personal_data::my_export(&w.app, &token_c).await;
    assert_eq!(s, 200);
    let files = crate::personal_data::entries(&tar);
    assert!(files.keys().any(|k| k.contains("approval_decisions")));
    assert!(
        files
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("eppelin")),
        "the client's export names a note"
    );
    let (s, tar) = crate::personal_data::my_export(&w.app, &token_q).await;
    assert_eq!(s, 200);
    let files = crate::personal_data::entries(&tar);
    let notes = crate::personal_data::lines(&files, "approval_notes.jsonl");
    assert_eq!(notes.len(), 1, "{notes:?}");
}

#[tokio::test]
async fn a_delegate_who_approves_too_decides_for_both_and_an_author_is_never_asked() {
    let w = world().await;
    let db = &w.app.state.db;
    let q = w.quality.principal().unwrap().person_id;
    let s = w.sofia.principal().unwrap().person_id;
    // Both decide ("all"); Quentin is away and Sofia decides in his place.
    let def = json!({"steps": [{"name": "Board", "rule": {"type": "all"},
        "approvers": [{"type": "person", "id": q}, {"type": "person", "id": s}]}],
        "forbid_self_approval": true});
    let template = service::save_template(db, &w.sofia, 7, "Board", def)
        .await
        .unwrap();
    let today = jiff::Zoned::now()
        .with_time_zone(w.app.state.time_zone.clone())
        .date();
    let token_q = api_token(&w.app, "quality@host.example", Scope::Write).await;
    let until = (today + jiff::Span::new().days(5)).to_string();
    let res = w
        .app
        .bare_client()
        .put(w.app.url("/api/v1/approvals/delegation"))
        .bearer_auth(&token_q)
        .json(&json!({"delegate": s, "from": today.to_string(), "until": until}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Carl's file: Sofia decides for herself, then for Quentin, once each.
    let (_, carl) = member(&w, "carl@host.example", "Carl Contributor", "contributor").await;
    let token_carl = api_token(&w.app, "carl@host.example", Scope::Write).await;
    let by_carl = |name: &'static str, body: &'static [u8]| {
        let (app, token) = (&w.app, &token_carl);
        async move {
            let status = upload_to_deal_room(app, token, name, body.to_vec()).await;
            assert!(status == 200 || status == 201, "{status}");
            let id = app
                .count(&format!("SELECT id FROM documents WHERE name = '{name}'"))
                .await;
            (id, blake3::hash(body).to_hex().to_string())
        }
    };
    let (doc, hash) = by_carl("Minutes.pdf", b"%PDF minutes").await;
    let flow = service::start(db, &carl, doc, template.id).await.unwrap();
    assert_eq!(waits(&w, w.sofia).await, [(flow.id, "Minutes.pdf".into())]);
    let once = service::decide(db, &w.sofia, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap();
    assert_eq!(once.state, "running");
    assert_eq!(
        waits(&w, w.sofia).await,
        [(flow.id, "Minutes.pdf".into())],
        "still asked, for Quentin"
    );
    let twice = service::decide(db, &w.sofia, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap();
    assert_eq!(twice.state, "approved", "both counted");
    let (_, decisions, _) = service::flow(db, &w.sofia, flow.id).await.unwrap();
    let who: Vec<_> = decisions
        .iter()
        .map(|d| (d.approver_id, d.on_behalf_of))
        .collect();
    assert_eq!(who, [(Some(s), None), (Some(s), Some(q))]);
    assert!(waits(&w, w.sofia).await.is_empty());
    assert!(waits(&w, w.quality).await.is_empty());

    // A third time is refused as decided, and nothing is kept.
    let (doc2, hash2) = by_carl("Budget.pdf", b"%PDF budget").await;
    let flow2 = service::start(db, &carl, doc2, template.id).await.unwrap();
    service::decide(db, &w.sofia, flow2.id, Decision::Approve, "", &hash2)
        .await
        .unwrap();
    service::decide(db, &w.sofia, flow2.id, Decision::Approve, "", &hash2)
        .await
        .unwrap();
    let err = service::decide(db, &w.sofia, flow2.id, Decision::Approve, "", &hash2)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-finished");
    let n = w
        .app
        .count(&format!(
            "SELECT count(*) FROM approval_decisions WHERE flow_id = {}",
            flow2.id
        ))
        .await;
    assert_eq!(n, 2);

    // Sofia's own file: she is its author, so never asked for Quentin
    // either (neither listed nor told), and refused if she tries.
    let (doc3, hash3) = upload(&w, "Own.pdf", b"%PDF own").await;
    let flow3 = service::start(db, &w.sofia, doc3, template.id)
        .await
        .unwrap();
    assert!(waits(&w, w.sofia).await.is_empty());
    assert_eq!(
        told(&w.app, "approval-waiting", "approval", flow3.id).await,
        ["quality@host.example"]
    );
    let err = service::decide(db, &w.sofia, flow3.id, Decision::Approve, "", &hash3)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-self");
    let sofia = w.app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, html) = get_text(&sofia, &w.app.url(&format!("/files/{doc3}/approvals"))).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Own.pdf") && !html.contains("approval-decide"),
        "no form to decide: {html}"
    );

    // A delegation that has ended is not shown as set.
    w.app
        .sql(&format!(
            "UPDATE approval_delegations SET starts_at = 0, ends_at = 1000 WHERE person_id = {q}"
        ))
        .await;
    let v = w
        .app
        .api_get(&token_q, "/api/v1/approvals/delegation")
        .await;
    assert_eq!(v["delegation"], Value::Null, "{v}");
    let quentin = w.app.signed_in("quality@host.example", PASSWORD).await;
    let (status, html) = get_text(&quentin, &w.app.url("/approvals")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("While you are away")
            && !html.contains("Sofia Almeida decides in your place"),
        "{html}"
    );
}

#[tokio::test]
async fn search_narrows_to_a_review_state() {
    let w = world().await;
    let db = &w.app.state.db;
    let q = w.quality.principal().unwrap().person_id;
    let def =
        json!({"steps": [{"name": "Quality check", "approvers": [{"type": "person", "id": q}]}]});
    let template = service::save_template(db, &w.sofia, 7, "Check", def)
        .await
        .unwrap();
    let (approved, hash) = upload(&w, "Hangar approved.txt", b"hangar plan").await;
    upload(&w, "Hangar draft.txt", b"hangar sketch").await;
    let flow = service::start(db, &w.sofia, approved, template.id)
        .await
        .unwrap();
    service::decide(db, &w.quality, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap();
    let token_c = api_token(&w.app, "ana@client.example", Scope::Read).await;
    w.app
        .until_search(&token_c, "hangar", "the states are indexed", |v| {
            v["facets"]["state"]
                .as_array()
                .is_some_and(|s| s.iter().any(|f| f["value"] == "approved"))
        })
        .await;
    let all = w.app.search_api(&token_c, "hangar").await;
    let mut states: Vec<(String, i64)> = all["facets"]["state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_string(),
                f["count"].as_i64().unwrap(),
            )
        })
        .collect();
    states.sort();
    // The approved file and its flow; the draft.
    assert_eq!(
        states,
        [("approved".to_string(), 2), ("draft".to_string(), 1)],
        "{all}"
    );
    let v = search_state(&w, &token_c, "hangar", "approved").await;
    let mut found = kinds_and_titles(&v);
    found.sort();
    assert_eq!(
        found,
        [
            ("approval".to_string(), "Hangar approved.txt".to_string()),
            ("document".to_string(), "Hangar approved.txt".to_string())
        ]
    );
    let v = search_state(&w, &token_c, "hangar", "draft").await;
    assert_eq!(
        kinds_and_titles(&v),
        [("document".to_string(), "Hangar draft.txt".to_string())]
    );
    // A new version is a draft again, and searched as one.
    let status = upload_to_deal_room(
        &w.app,
        &w.token,
        "Hangar approved.txt",
        b"hangar v2".to_vec(),
    )
    .await;
    assert!(status == 200 || status == 201);
    w.app
        .until_search(&token_c, "hangar", "the new version is a draft", |v| {
            v["facets"]["state"]
                .as_array()
                .is_some_and(|s| s.iter().any(|f| f["value"] == "draft" && f["count"] == 2))
        })
        .await;
    // Its flow approved the old bytes: no longer found as approved.
    w.app
        .until_search(&token_c, "hangar", "the superseded flow", |v| {
            v["facets"]["state"]
                .as_array()
                .is_some_and(|s| s.iter().all(|f| f["value"] != "approved"))
        })
        .await;
    // The page offers the facet, in both languages, and narrows by it.
    let client = w.app.signed_in("ana@client.example", PASSWORD).await;
    let (status, html) = get_text(&client, &w.app.url("/search?q=hangar&state=draft")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Hangar draft.txt") && html.contains("<strong>Draft</strong>"),
        "{html}"
    );
    // The rival finds neither, whatever the state asked.
    let token_r = api_token(&w.app, "rita@rival.example", Scope::Read).await;
    let v = search_state(&w, &token_r, "hangar", "approved").await;
    assert_eq!(
        (v["total"].clone(), v["items"].clone()),
        (json!(0), json!([]))
    );
}
