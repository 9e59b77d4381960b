//! Approval flows at work around their files: the library shows and filters
//! each file's review state, a review can lock its file, a flow can be
//! withdrawn by whoever started it; approvers are told, reminded before the
//! deadline, and a passed deadline brings in the step's backup, whose one
//! approval settles it; flows are found by search only by those who may
//! read their file.

use crate::approvals::{World, actor, code, upload, waits, world};
use crate::discussions::told;
use crate::helpers::*;
use parvis::approvals::deadlines;
use parvis::approvals::flows::Decision;
use parvis::approvals::service;
use serde_json::{Value, json};

/// The names of the library's root files in `state` (any: none), and the
/// states of all of them.
async fn library(w: &World, state: Option<&str>) -> (u16, Vec<(String, String, bool)>) {
    let mut url = w.app.url("/api/v1/spaces/7/library");
    if let Some(s) = state {
        url.push_str(&format!("?state={s}"));
    }
    let res = w
        .app
        .bare_client()
        .get(url)
        .bearer_auth(&w.token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let v: Value = res.json().await.unwrap();
    let items = v["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["name"].as_str().unwrap_or_default().to_string(),
                        d["review"].as_str().unwrap_or_default().to_string(),
                        d["review_lock"].as_bool().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (status, items)
}

fn names(items: &[(String, String, bool)]) -> Vec<&str> {
    items.iter().map(|(n, ..)| n.as_str()).collect()
}

#[tokio::test]
async fn the_library_shows_each_state_and_a_review_locks_its_file() {
    let w = world().await;
    let db = &w.app.state.db;
    let q = w.quality.principal().unwrap().person_id;
    let locked = json!({"steps": [{"name": "Quality check",
        "approvers": [{"type": "person", "id": q}]}], "lock_during_review": true});
    let template = service::save_template(db, &w.sofia, 7, "Locked review", locked)
        .await
        .unwrap();
    let (plan, hash) = upload(&w, "Plan.txt", b"plan, first").await;
    upload(&w, "Notes.txt", b"notes").await;
    let (_, all) = library(&w, None).await;
    assert_eq!(
        all,
        [
            ("Notes.txt".to_string(), "draft".to_string(), false),
            ("Plan.txt".to_string(), "draft".to_string(), false)
        ]
    );

    // In review: shown, filtered, locked against every change.
    let first = service::start(db, &w.sofia, plan, template.id)
        .await
        .unwrap();
    let (_, all) = library(&w, None).await;
    assert!(
        all.contains(&("Plan.txt".into(), "review".into(), true)),
        "{all:?}"
    );
    let (status, in_review) = library(&w, Some("review")).await;
    assert_eq!((status, names(&in_review)), (200, vec!["Plan.txt"]));
    let (_, drafts) = library(&w, Some("draft")).await;
    assert_eq!(names(&drafts), ["Notes.txt"]);
    let status = upload_to_deal_room(&w.app, &w.token, "Plan.txt", b"plan, second".to_vec()).await;
    assert_eq!(status, 409, "no new version during the review");
    let renamed = w
        .app
        .bare_client()
        .patch(w.app.url(&format!("/api/v1/documents/{plan}")))
        .bearer_auth(&w.token)
        .json(&json!({"name": "Plan-2.txt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 409);
    let said: Value = renamed.json().await.unwrap();
    assert_eq!(said["code"], "document-in-review", "{said}");
    let fr = w
        .app
        .bare_client()
        .delete(w.app.url(&format!("/api/v1/documents/{plan}")))
        .bearer_auth(&w.token)
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(fr.status(), 409);
    assert!(fr.text().await.unwrap().contains("en cours de validation"));
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT current_version FROM documents WHERE id = {plan}"
            ))
            .await,
        1,
        "nothing changed"
    );

    // Approved: shown and filtered so; free again.
    service::decide(db, &w.quality, first.id, Decision::Approve, "", &hash)
        .await
        .unwrap();
    let (_, approved) = library(&w, Some("approved")).await;
    assert_eq!(approved, [("Plan.txt".into(), "approved".into(), false)]);
    // A new version is a draft again: an approval never carries over.
    let status = upload_to_deal_room(&w.app, &w.token, "Plan.txt", b"plan, second".to_vec()).await;
    assert!(status == 200 || status == 201, "{status}");
    let (_, approved) = library(&w, Some("approved")).await;
    assert!(approved.is_empty(), "{approved:?}");
    let (_, drafts) = library(&w, Some("draft")).await;
    assert_eq!(names(&drafts), ["Notes.txt", "Plan.txt"]);

    // A state that is not one: said, in the reader's language.
    let sofia = w.app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, _) = library(&w, Some("finished")).await;
    assert_eq!(status, 400);
    let (status, html) = get_text(&sofia, &w.app.url("/spaces/deal/files?state=finished")).await;
    assert_eq!(status, 400);
    assert!(html.contains("Choose a state from the list."));
    // The page: the state of each file, the filter keeping its choice.
    let (status, html) = get_text(&sofia, &w.app.url("/spaces/deal/files?state=draft")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Plan.txt") && html.contains("review-draft"));
    assert!(html.contains("<option value=\"draft\" selected>"));

    // Withdrawn by whoever started it, not by another contributor; the
    // file is free once it is.
    let flow = service::start(db, &w.sofia, plan, template.id)
        .await
        .unwrap();
    let err = service::withdraw(db, &w.quality, flow.id)
        .await
        .unwrap_err();
    assert_eq!(code(err), "Forbidden", "a contributor who did not start it");
    let token_q = api_token(
        &w.app,
        "quality@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    let res = w
        .app
        .api_post(
            &token_q,
            &format!("/api/v1/approvals/{}/withdraw", flow.id),
            None,
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = w
        .app
        .api_post(
            &w.token,
            &format!("/api/v1/approvals/{}/withdraw", flow.id),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["state"], "cancelled", "{v}");
    let (_, all) = library(&w, None).await;
    assert!(
        all.contains(&("Plan.txt".into(), "draft".into(), false)),
        "{all:?}"
    );
    let again = w
        .app
        .api_post(
            &w.token,
            &format!("/api/v1/approvals/{}/withdraw", flow.id),
            None,
        )
        .await;
    assert_eq!(again.status(), 409, "once only");
    assert_eq!(waits(&w, w.quality).await, []);
}

#[tokio::test]
async fn approvers_are_told_reminded_and_a_passed_deadline_brings_the_backup() {
    let w = world().await;
    let db = &w.app.state.db;
    let tz = w.app.state.time_zone.clone();
    let q = w.quality.principal().unwrap().person_id;
    w.app
        .create_person("backup@host.example", "Bea Backup", None)
        .await;
    let bea = actor(&w.app, "backup@host.example").await;
    w.app
        .sql(&format!(
            "INSERT INTO space_members (space_id, person_id, role, added_at)
               VALUES (7, {}, 'contributor', 0)",
            bea.principal().unwrap().person_id
        ))
        .await;
    let bea = actor(&w.app, "backup@host.example").await;
    let def = json!({"steps": [{"name": "Quality check",
        "approvers": [{"type": "person", "id": q}, {"type": "organization", "id": w.client_org}],
        "rule": {"type": "all"}, "deadline_days": 2,
        "backup": [{"type": "person", "id": bea.principal().unwrap().person_id}]}]});
    let template = service::save_template(db, &w.sofia, 7, "Timed", def)
        .await
        .unwrap();
    let (doc, hash) = upload(&w, "Certificate.pdf", b"%PDF certificate").await;
    let flow = service::start(db, &w.sofia, doc, template.id)
        .await
        .unwrap();

    // Told at once: the step's approvers, not the backup, not the starter.
    assert_eq!(
        told(&w.app, "approval-waiting", "approval", flow.id).await,
        [
            "ana@client.example",
            "ben@client.example",
            "quality@host.example"
        ]
    );
    let started = flow.step_started_at;
    let due = deadlines::due(started, 2, &tz);
    assert!(
        due >= started + 2 * 24 * 3600 * 1000,
        "two working days at least"
    );

    // Nothing before the reminder; then a reminder, once.
    let before = deadlines::reminder(started, due) - 1;
    assert_eq!(deadlines::step(db, before, &tz).await.unwrap(), 0);
    let at = deadlines::reminder(started, due);
    assert_eq!(deadlines::step(db, at, &tz).await.unwrap(), 1);
    assert_eq!(deadlines::step(db, at + 1, &tz).await.unwrap(), 0, "once");
    assert_eq!(
        told(&w.app, "approval-reminder", "approval", flow.id).await,
        [
            "ana@client.example",
            "ben@client.example",
            "quality@host.example"
        ]
    );
    // Ana decides: she is not told of the escalation.
    service::decide(db, &w.client_a, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap();
    // The deadline check sees a passed deadline nobody escalated.
    let late = db
        .read(move |c| deadlines::overdue(c, due + 60_000, &tz))
        .await
        .unwrap();
    assert_eq!(late, Some(60_000));
    let tz = w.app.state.time_zone.clone();

    // Before the deadline the backup may not decide.
    let err = service::decide(db, &bea, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap_err();
    assert_eq!(code(err), "Forbidden");
    // Past it: escalated once; the backup waits too and is told.
    assert_eq!(deadlines::step(db, due, &tz).await.unwrap(), 1);
    assert_eq!(deadlines::step(db, due + 1, &tz).await.unwrap(), 0, "once");
    let none = db
        .read(move |c| deadlines::overdue(c, due + 60_000, &tz))
        .await
        .unwrap();
    assert_eq!(none, None);
    assert_eq!(waits(&w, bea).await, [(flow.id, "Certificate.pdf".into())]);
    let escalated = told(&w.app, "approval-escalated", "approval", flow.id).await;
    assert!(
        escalated.contains(&"backup@host.example".to_string())
            && escalated.contains(&"quality@host.example".to_string())
            && !escalated.contains(&"ana@client.example".to_string()),
        "{escalated:?}"
    );
    // One approval from the backup settles an "all" step; it says so.
    let done = service::decide(db, &bea, flow.id, Decision::Approve, "Standing in.", &hash)
        .await
        .unwrap();
    assert_eq!(done.state, "approved");
    let (_, decisions, record) = service::flow(db, &w.sofia, flow.id).await.unwrap();
    assert!(
        decisions
            .iter()
            .any(|d| d.stand_in && d.comment == "Standing in.")
    );
    assert!(!decisions.iter().any(|d| d.stand_in && d.comment.is_empty()));
    let record: Value = serde_json::from_str(&record.expect("sealed")).unwrap();
    assert_eq!(record["decisions"][1]["stand_in"], true, "{record}");
    assert_eq!(
        told(&w.app, "approval-approved", "approval", flow.id).await,
        ["sofia@host.example"]
    );
    // The notice names the file and opens its flows.
    let mine = w.app.api_get(&w.token, "/api/v1/notifications").await;
    let n = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["reason"] == "approval-approved")
        .cloned()
        .unwrap_or_default();
    assert_eq!(n["title"], "Certificate.pdf", "{mine}");
    assert_eq!(n["url"], format!("/files/{doc}/approvals"));

    // Found by search by those who may read the file, never by others.
    let rival = api_token(
        &w.app,
        "rita@rival.example",
        parvis::auth::tokens::Scope::Read,
    )
    .await;
    w.app
        .until_search(&w.token, "Standing", "the flow is found", |v| {
            v["items"]
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i["kind"] == "approval"))
        })
        .await;
    let theirs = w.app.search_api(&rival, "Standing").await;
    assert_eq!(theirs["total"], 0, "{theirs}");
    let _ = w.outsider;
}
