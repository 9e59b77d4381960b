//! Flows on requests: a purchase type whose "ordered" status waits for the
//! space's "Purchase approval" flow, whose finance step runs only above
//! 10,000 €. Moving there is refused until the flow is approved; the flow
//! decides on the request as its customer sees it; changed fields start it
//! again; an approved flow moves the request and its record verifies
//! against the bytes; outsiders find nothing.

use crate::discussions::{get, post, send, token};
use crate::helpers::*;
use crate::role_matrix::fixture;
use parvis::approvals::service;
use reqwest::Method;
use serde_json::{Value, json};

async fn decide(app: &TestApp, who: &str, flow: i64, decision: &str, blake3: &str) -> (u16, Value) {
    post(
        app,
        who,
        &format!("/api/v1/approvals/{flow}/decisions"),
        json!({"decision": decision, "blake3": blake3, "comment": "ok"}),
    )
    .await
}

#[tokio::test]
async fn a_purchase_waits_for_its_approval_and_the_finance_step_runs_above_ten_thousand() {
    let app = TestApp::spawn().await;
    let mut f = fixture(&app).await;
    crate::role_matrix::add_purchase(&app, &mut f).await;
    let (rival, client, agent, manager, admin) = (
        token(&f, 1),
        token(&f, 2),
        token(&f, 4),
        token(&f, 5),
        token(&f, 7),
    );
    let manager_id = app
        .count("SELECT id FROM people WHERE email = 'manager@host.example'")
        .await;
    let finance_id = app
        .count("SELECT id FROM people WHERE email = 'reader@host.example'")
        .await;
    // A status that waits for an approval is checked with the type.
    let mut bad = crate::requests::purchase_type();
    bad["key"] = json!("purchase-2");
    bad["definition"]["prefix"] = json!("PUX");
    bad["definition"]["workflow"]["statuses"][0]["approval"] = json!("Purchase approval");
    let (s, v) = post(&app, &admin, "/api/v1/request-types", bad).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (400, Some("request-type-status-approval")),
        "{v}"
    );
    // The purchase type is defined (and its flow, asking the managers).

    // The flow: the manager, then finance above 10,000 € only. A step's
    // condition is checked; at least one step always runs.
    let steps = |when: Value| {
        json!({"steps": [
            {"name": "Manager", "approvers": [{"type": "person", "id": manager_id}]},
            {"name": "Finance", "approvers": [{"type": "person", "id": finance_id}], "when": when}
        ], "forbid_self_approval": true})
    };
    let save = |definition: Value| {
        let (app, manager) = (&app, manager.clone());
        async move {
            post(
                app,
                &manager,
                "/api/v1/spaces/50/approval-templates",
                json!({"name": "Purchase approval", "definition": definition}),
            )
            .await
        }
    };
    let (s, v) = save(steps(json!({"field": "amount"}))).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (400, Some("approval-condition")),
        "{v}"
    );
    let (s, v) = save(steps(json!({"field": "amount", "above": 10000}))).await;
    assert!(s == 200 || s == 201, "{s} {v}");
    let template = v["id"].as_i64().unwrap();

    // A conditional flow is for requests: a file cannot run it.
    let (s, v) = post(
        &app,
        &manager,
        &format!("/api/v1/documents/{}/approvals", f.ids["documents"]),
        json!({"template": template}),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (400, Some("approval-conditions-request")),
        "{v}"
    );

    // The client asks for a purchase of 12,500 €; the agent takes it on.
    let (s, r) = post(
        &app,
        &client,
        "/api/v1/spaces/50/requests",
        json!({"type": "purchase", "title": "Six pallet racks",
               "fields": {"reference": "PO-77", "amount": {"amount": 1_250_000, "currency": "EUR"}}}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let path = format!("/api/v1/requests/{id}");
    let (s, r) = post(
        &app,
        &agent,
        &format!("{path}/status"),
        json!({"status": "in-progress", "version": r["version"]}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    // The approval is asked, not skipped: a direct move is refused.
    let (s, v) = post(
        &app,
        &agent,
        &format!("{path}/status"),
        json!({"status": "ordered", "version": r["version"]}),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("request-approval-required")),
        "{v}"
    );
    assert_eq!(r["may"]["approvals"][0]["key"], "ordered", "{r}");
    // The customer may not ask; an outsider finds no request.
    let ask = json!({"status": "ordered"});
    let approvals = format!("{path}/approvals");
    let (s, _) = post(&app, &client, &approvals, ask.clone()).await;
    assert!(s == 403 || s == 404, "{s}");
    let (s, _) = post(&app, &rival, &approvals, ask.clone()).await;
    assert_eq!(s, 404);
    let (s, v) = post(&app, &agent, &approvals, json!({"status": "in-progress"})).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (400, Some("request-approval-none")),
        "{v}"
    );
    let (s, flow) = post(&app, &agent, &approvals, ask.clone()).await;
    assert_eq!(s, 201, "{flow}");
    let flow_id = flow["id"].as_i64().unwrap();
    // It decides on the request as its customer sees it: no internal field.
    let snapshot = flow["request"]["snapshot"].as_str().unwrap().to_string();
    let hash = blake3::hash(snapshot.as_bytes()).to_hex().to_string();
    assert_eq!(flow["request"]["blake3"], hash.as_str());
    assert!(snapshot.contains("PO-77") && !snapshot.contains("cost-centre"));
    assert_eq!(flow["steps"], 2, "12,500 € meets the finance step");
    assert_eq!(flow["request"]["status"], "ordered");
    // Asked twice: one flow at work.
    let (s, v) = post(&app, &agent, &approvals, ask.clone()).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("approval-open")), "{v}");

    // The client sees where it stands; a rival finds nothing.
    let (s, list) = get(&app, &client, &approvals).await;
    assert_eq!(s, 200);
    assert_eq!(list["items"][0]["state"], "running");
    let (s, _) = get(&app, &rival, &approvals).await;
    assert_eq!(s, 404);
    let (s, _) = get(&app, &rival, &format!("/api/v1/approvals/{flow_id}")).await;
    assert_eq!(s, 404);

    // The manager approves; a change of the amount starts it again.
    let (s, v) = decide(&app, &manager, flow_id, "approve", &hash).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["step"].as_i64(), v["step_name"].as_str()),
        (Some(2), Some("Finance"))
    );
    let (_, now) = get(&app, &agent, &path).await;
    let (s, v) = send(
        &app,
        Method::PATCH,
        &agent,
        &path,
        Some(json!({"version": now["version"], "fields": {"amount": {"amount": 900_000, "currency": "EUR"}}})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    // Finance's approval on the old bytes is stale.
    let (s, v) = decide(&app, &token(&f, 3), flow_id, "approve", &hash).await;
    assert!(s == 409 || s == 404, "{s} {v}");
    let (s, again) = get(&app, &agent, &format!("/api/v1/approvals/{flow_id}")).await;
    assert_eq!(s, 200);
    assert_eq!(
        (again["step"].as_i64(), again["steps"].as_i64()),
        (Some(1), Some(1)),
        "{again}"
    );
    let new_hash = again["request"]["blake3"].as_str().unwrap().to_string();
    assert_ne!(new_hash, hash);
    // 9,000 €: the manager alone settles it, and the request moves.
    let (s, v) = decide(&app, &manager, flow_id, "approve", &new_hash).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["state"], "approved");
    let (_, moved) = get(&app, &client, &path).await;
    assert_eq!(moved["status"]["key"], "ordered", "{moved}");

    // Its record verifies against the bytes the flow decided on.
    let record = app
        .bare_client()
        .get(app.url(&format!("/api/v1/approvals/{flow_id}/record")))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap();
    assert_eq!(record.status(), 200);
    let record = record.bytes().await.unwrap().to_vec();
    let snapshot = v["request"]["snapshot"].as_str().unwrap().to_string();
    assert_eq!(
        blake3::hash(snapshot.as_bytes()).to_hex().as_str(),
        new_hash
    );
    let db = &app.state.db;
    let verdict = service::verify(db, record.clone(), Some(new_hash.clone()))
        .await
        .unwrap();
    assert!(verdict.holds(), "{verdict:?}");
    let forged = blake3::hash(snapshot.replace("PO-77", "PO-78").as_bytes());
    let verdict = service::verify(db, record, Some(forged.to_hex().to_string()))
        .await
        .unwrap();
    assert!(!verdict.holds());

    // The pages: the request offers its approvals, which the client reads.
    let client_page = f.sessions[2].clone();
    let (s, html) = get_text(&client_page, &app.url(&format!("/requests/{id}/approvals"))).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Purchase approval") && html.contains("Before the status"),
        "{html}"
    );
    assert!(!html.contains("Ask for an approval"));
    let (s, html) = get_text(
        &f.sessions[1],
        &app.url(&format!("/requests/{id}/approvals")),
    )
    .await;
    assert!(s == 404 && !html.contains("Purchase approval"), "{s}");
}
