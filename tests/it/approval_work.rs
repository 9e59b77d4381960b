//! Approval flows at work around their files: the library shows and filters
//! each file's review state, a review can lock its file, a flow can be
//! withdrawn by whoever started it; approvers are told, reminded before the
//! deadline, and a passed deadline brings in the step's backup, whose one
//! approval settles it; flows are found by search only by those who may
//! read their file.

use crate::approvals::{World, code, member, upload, waits, world};
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
    let (_, bea) = member(&w, "backup@host.example", "Bea Backup", "contributor").await;
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

/// Waits until `sql` counts `want` (a loop acting on committed changes);
/// fails after 10 s.
async fn until_count(w: &World, sql: &str, want: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = w.app.count(sql).await;
        if got == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{sql}: {got}, not {want}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Waits until the submissions loop has read every change made so far.
async fn submissions_caught_up(w: &World) {
    until_count(
        w,
        "SELECT CAST(value AS INTEGER) - (SELECT max(id) FROM audit_events) FROM instance_settings
          WHERE key = 'approval_submissions_position'",
        0,
    )
    .await;
}

/// Uploads `body` as `token` into `folder` of the deal room: its document.
async fn put_file(w: &World, token: &str, folder: Option<i64>, name: &str, body: &[u8]) -> i64 {
    let mut path = format!("/api/v1/spaces/7/files?name={name}");
    if let Some(f) = folder {
        path.push_str(&format!("&folder={f}"));
    }
    let res = w
        .app
        .bare_client()
        .post(w.app.url(&path))
        .bearer_auth(token)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{name}: {}", res.status());
    let v: Value = res.json().await.unwrap();
    v["document"]["id"].as_i64().expect("a document")
}

async fn folder(w: &World, name: &str, parent: Option<i64>) -> i64 {
    let res = w
        .app
        .api_post(
            &w.token,
            "/api/v1/spaces/7/folders",
            Some(json!({"name": name, "parent": parent})),
        )
        .await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    v["id"].as_i64().unwrap()
}

async fn bind(w: &World, token: &str, folder: i64, body: Value) -> (u16, Value) {
    let res = w
        .app
        .bare_client()
        .put(
            w.app
                .url(&format!("/api/v1/folders/{folder}/approval-template")),
        )
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn a_file_put_in_a_submission_folder_starts_its_flow_for_whoever_put_it() {
    let w = world().await;
    let db = &w.app.state.db;
    let q = w.quality.principal().unwrap().person_id;
    w.app
        .create_org("verdier", "Verdier Industrie", "supplier")
        .await;
    let sam = w
        .app
        .create_person("sam@verdier.example", "Sam Supplier", Some("verdier"))
        .await;
    w.app
        .sql(&format!(
            "INSERT INTO space_members (space_id, person_id, role, added_at)
               VALUES (7, {sam}, 'contributor', 0)"
        ))
        .await;
    let sam_token = api_token(
        &w.app,
        "sam@verdier.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    let quality_token = api_token(
        &w.app,
        "quality@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    let def = json!({"steps": [
        {"name": "Quality check", "approvers": [{"type": "person", "id": q}]},
        {"name": "Manager", "approvers": [{"type": "role", "role": "manager"}]}],
        "forbid_self_approval": true});
    let template = service::save_template(db, &w.sofia, 7, "Certificate check", def)
        .await
        .unwrap();
    let certificates = folder(&w, "Certificates", None).await;
    let audits = folder(&w, "Audits", Some(certificates)).await;

    // Bound by the space's managers only, to a template of that space, said.
    let body = json!({"template": template.id});
    assert_eq!(
        bind(&w, &quality_token, certificates, body.clone()).await.0,
        404
    );
    let (status, said) = bind(&w, &w.token, certificates, json!({})).await;
    assert_eq!(
        (status, said["code"].as_str()),
        (400, Some("approval-template-unknown"))
    );
    let (status, _) = bind(&w, &w.token, certificates, json!({"template": 999_999})).await;
    assert_eq!(status, 400);
    assert_eq!(
        w.app.count("SELECT count(*) FROM approval_bindings").await,
        0
    );
    let (status, v) = bind(&w, &w.token, certificates, body).await;
    assert_eq!((status, v["template"].as_i64()), (200, Some(template.id)));
    let listed = w
        .app
        .api_get(&w.token, "/api/v1/spaces/7/approval-bindings")
        .await;
    assert_eq!(
        listed["items"][0]["folder_name"], "Certificates",
        "{listed}"
    );

    // The supplier drops a certificate: the flow starts in their name.
    let iso = put_file(
        &w,
        &sam_token,
        Some(certificates),
        "ISO-9001.pdf",
        b"%PDF iso",
    )
    .await;
    until_count(
        &w,
        &format!(
            "SELECT count(*) FROM approval_flows WHERE document_id = {iso} AND started_by = {sam}"
        ),
        1,
    )
    .await;
    let flows = w
        .app
        .api_get(&sam_token, &format!("/api/v1/documents/{iso}/approvals"))
        .await;
    assert_eq!(flows["items"][0]["state"], "running", "{flows}");
    assert_eq!(flows["items"][0]["step_name"], "Quality check");
    assert_eq!(
        waits(&w, w.quality).await,
        [(
            flows["items"][0]["id"].as_i64().unwrap(),
            "ISO-9001.pdf".into()
        )]
    );
    // Below the folder too; not elsewhere.
    let audit = put_file(&w, &sam_token, Some(audits), "Audit.pdf", b"%PDF audit").await;
    let loose = put_file(&w, &sam_token, None, "Loose.pdf", b"%PDF loose").await;
    until_count(
        &w,
        &format!("SELECT count(*) FROM approval_flows WHERE document_id = {audit}"),
        1,
    )
    .await;
    w.app.notifier_caught_up().await;
    submissions_caught_up(&w).await;
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM approval_flows WHERE document_id = {loose}"
            ))
            .await,
        0
    );
    // A new version while its flow runs restarts it (no second flow).
    put_file(
        &w,
        &sam_token,
        Some(certificates),
        "ISO-9001.pdf",
        b"%PDF iso, second",
    )
    .await;
    until_count(
        &w,
        &format!("SELECT round FROM approval_flows WHERE document_id = {iso}"),
        2,
    )
    .await;
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM approval_flows WHERE document_id = {iso}"
            ))
            .await,
        1
    );

    // The page: what is bound, the form for managers only; no folder
    // chosen for them, and an empty choice is refused and said.
    let sofia = w.app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, html) = get_text(&sofia, &w.app.url("/spaces/deal/approvals")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Certificates") && html.contains("Certificate check"));
    assert!(html.contains("<option value=\"\">Choose a folder…</option>"));
    let res = post_form(
        &w.app,
        &sofia,
        "/spaces/deal/approvals",
        "/spaces/deal/approvals/bind",
        &[("folder", ""), ("template", &template.id.to_string())],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Choose a folder from the list.")
    );
    let quentin = w.app.signed_in("quality@host.example", PASSWORD).await;
    let (status, html) = get_text(&quentin, &w.app.url("/spaces/deal/approvals")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Certificates") && !html.contains("id=\"bind-form\""));
    let ana = w.app.signed_in("ana@client.example", PASSWORD).await;
    let (status, html) = get_text(&ana, &w.app.url("/spaces/deal/approvals")).await;
    assert_eq!(status, 404, "a reader does not set up flows");
    assert!(!html.contains("Certificates"));

    // Unbound from the page: a file put there stays a draft.
    let res = post_form(
        &w.app,
        &sofia,
        "/spaces/deal/approvals",
        "/spaces/deal/approvals/bind",
        &[("folder", &certificates.to_string()), ("action", "unbind")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let later = put_file(
        &w,
        &sam_token,
        Some(certificates),
        "Later.pdf",
        b"%PDF later",
    )
    .await;
    submissions_caught_up(&w).await;
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM approval_flows WHERE document_id = {later}"
            ))
            .await,
        0
    );
}

/// Posts a record (and a document) to the verification page as `client`.
async fn verify_page(
    w: &World,
    client: &reqwest::Client,
    record: Option<&[u8]>,
    document: Option<&[u8]>,
    lang: &str,
) -> (u16, String) {
    let (_, html) = get_text(client, &w.app.url("/approvals/verify")).await;
    let csrf = csrf_in(&html);
    let mut form = reqwest::multipart::Form::new();
    if let Some(r) = record {
        form = form.part(
            "record",
            reqwest::multipart::Part::bytes(r.to_vec()).file_name("record.json"),
        );
    }
    if let Some(d) = document {
        form = form.part(
            "document",
            reqwest::multipart::Part::bytes(d.to_vec()).file_name("file.pdf"),
        );
    }
    let res = client
        .post(w.app.url(&format!("/approvals/verify?_csrf={csrf}")))
        .header("accept-language", lang)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_verification_page_says_what_holds_and_the_about_page_shows_the_key() {
    let w = world().await;
    let db = &w.app.state.db;
    let q = w.quality.principal().unwrap().person_id;
    let def =
        json!({"steps": [{"name": "Quality check", "approvers": [{"type": "person", "id": q}]}]});
    let template = service::save_template(db, &w.sofia, 7, "Check", def)
        .await
        .unwrap();
    let content = b"%PDF the approved deliverable";
    let (doc, hash) = upload(&w, "Deliverable.pdf", content).await;
    let flow = service::start(db, &w.sofia, doc, template.id)
        .await
        .unwrap();
    service::decide(db, &w.quality, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap();
    let (_, _, record) = service::flow(db, &w.sofia, flow.id).await.unwrap();
    let record = record.expect("sealed");

    let ana = w.app.signed_in("ana@client.example", PASSWORD).await;
    let (status, html) = verify_page(&w, &ana, Some(record.as_bytes()), Some(content), "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Everything holds"), "{html}");
    assert!(html.contains("The file given is exactly the one approved."));
    assert!(html.contains("Each decision is in this instance"));
    let (_, html) = verify_page(&w, &ana, Some(record.as_bytes()), Some(b"other"), "fr").await;
    assert!(html.contains("Un contrôle échoue"));
    assert!(html.contains("ses octets diffèrent"));
    let tampered = record.replace("Deliverable.pdf", "Forged.pdf");
    let (_, html) = verify_page(&w, &ana, Some(tampered.as_bytes()), None, "en").await;
    assert!(html.contains("Its signature does not match its contents"));
    assert!(html.contains("No file was given"));
    let (_, html) = verify_page(&w, &ana, Some(b"{\"not\": \"a record\"}"), None, "en").await;
    assert!(html.contains("The file is not an approval record"));
    let (status, html) = verify_page(&w, &ana, None, Some(content), "en").await;
    assert_eq!(status, 400);
    assert!(html.contains("Choose the record file to check."));
    let big = vec![b' '; (1 << 20) + 1];
    let (status, _) = verify_page(&w, &ana, Some(&big), None, "en").await;
    assert_eq!(status, 400);

    // The about page shows the key the record names.
    let v: Value = serde_json::from_str(&record).unwrap();
    let key = v["signature"]["public_key"].as_str().unwrap().to_string();
    let (status, html) = get_text(&ana, &w.app.url("/about")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&key) && html.contains("signs new records"),
        "{html}"
    );
    let (status, _) = get_text(&w.app.client(), &w.app.url("/about")).await;
    assert_ne!(status, 200, "signed-in people only");
}

#[tokio::test]
async fn a_delegate_decides_for_an_approver_away_and_the_decision_names_both() {
    let w = world().await;
    let db = &w.app.state.db;
    let q = w.quality.principal().unwrap().person_id;
    let (bea_id, bea) = member(&w, "backup@host.example", "Bea Backup", "reader").await;
    let def =
        json!({"steps": [{"name": "Quality check", "approvers": [{"type": "person", "id": q}]}]});
    let template = service::save_template(db, &w.sofia, 7, "Check", def)
        .await
        .unwrap();
    let today = jiff::Zoned::now()
        .with_time_zone(w.app.state.time_zone.clone())
        .date();
    let (from, until) = (
        today.to_string(),
        (today + jiff::Span::new().days(7)).to_string(),
    );

    // Set from the page; every mistake said, nothing kept.
    let quentin = w.app.signed_in("quality@host.example", PASSWORD).await;
    for (delegate, first, last, said) in [
        (
            "quality@host.example",
            from.as_str(),
            until.as_str(),
            "Choose someone other than yourself.",
        ),
        (
            "nobody@host.example",
            from.as_str(),
            until.as_str(),
            "There is nobody you may choose at that address.",
        ),
        (
            "backup@host.example",
            until.as_str(),
            from.as_str(),
            "Give a first and a last day",
        ),
        (
            "backup@host.example",
            "2020-01-01",
            "2020-01-02",
            "Give a first and a last day",
        ),
        (
            "backup@host.example",
            "soon",
            until.as_str(),
            "Give a first and a last day",
        ),
    ] {
        let res = post_form(
            &w.app,
            &quentin,
            "/approvals",
            "/approvals/delegation",
            &[("delegate", delegate), ("from", first), ("until", last)],
        )
        .await;
        assert_eq!(res.status(), 400, "{delegate} {first} {last}");
        assert!(res.text().await.unwrap().contains(said), "{said}");
    }
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM approval_delegations")
            .await,
        0
    );
    let res = post_form(
        &w.app,
        &quentin,
        "/approvals",
        "/approvals/delegation",
        &[
            ("delegate", "Backup@host.example "),
            ("from", &from),
            ("until", &until),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = get_text(&quentin, &w.app.url("/approvals")).await;
    assert!(
        html.contains("Bea Backup decides in your place") && html.contains(&until),
        "{html}"
    );

    // The delegate sees what waits for him, is told, and decides for him.
    let (doc, hash) = upload(&w, "Spec.pdf", b"%PDF spec").await;
    let flow = service::start(db, &w.sofia, doc, template.id)
        .await
        .unwrap();
    assert_eq!(waits(&w, bea).await, [(flow.id, "Spec.pdf".into())]);
    assert_eq!(
        told(&w.app, "approval-waiting", "approval", flow.id).await,
        ["backup@host.example", "quality@host.example"]
    );
    let err = service::decide(db, &w.client_a, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap_err();
    assert_eq!(code(err), "Forbidden");
    let done = service::decide(db, &bea, flow.id, Decision::Approve, "For Quentin.", &hash)
        .await
        .unwrap();
    assert_eq!(done.state, "approved");
    let (_, decisions, record) = service::flow(db, &w.sofia, flow.id).await.unwrap();
    assert_eq!(decisions[0].approver_id, Some(bea_id));
    assert_eq!(decisions[0].on_behalf_of, Some(q));
    assert!(!decisions[0].stand_in, "for the step's own approver");
    let record: Value = serde_json::from_str(&record.unwrap()).unwrap();
    let d = &record["decisions"][0];
    assert!(
        d["on_behalf_of"]
            .as_str()
            .is_some_and(|p| p.starts_with("p-"))
            && d["on_behalf_of"] != d["approver"],
        "{d}"
    );
    let sofia = w.app.signed_in("sofia@host.example", PASSWORD).await;
    let (_, html) = get_text(&sofia, &w.app.url(&format!("/files/{doc}/approvals"))).await;
    assert!(
        html.contains("Bea Backup</strong> (for Quentin Quality)"),
        "{html}"
    );

    // Ended (API, null), or not begun yet: the approver decides alone.
    let token_q = api_token(
        &w.app,
        "quality@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    let later = (today + jiff::Span::new().days(2)).to_string();
    let res = w
        .app
        .bare_client()
        .put(w.app.url("/api/v1/approvals/delegation"))
        .bearer_auth(&token_q)
        .json(&json!({"delegate": bea_id, "from": later, "until": until}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (doc2, _) = upload(&w, "Spec-2.pdf", b"%PDF spec 2").await;
    let flow2 = service::start(db, &w.sofia, doc2, template.id)
        .await
        .unwrap();
    assert!(waits(&w, bea).await.is_empty(), "not yet");
    let res = w
        .app
        .bare_client()
        .put(w.app.url("/api/v1/approvals/delegation"))
        .bearer_auth(&token_q)
        .json(&json!({"delegate": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v = w
        .app
        .api_get(&token_q, "/api/v1/approvals/delegation")
        .await;
    assert_eq!(v["delegation"], Value::Null, "{v}");
    assert_eq!(
        waits(&w, w.quality).await,
        [(flow2.id, "Spec-2.pdf".into())]
    );
}
