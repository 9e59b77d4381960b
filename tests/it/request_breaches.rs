//! Breach warnings: the agents of a request are told when a target is due
//! within the hour and again when it is missed — its assignee alone once
//! someone has it — once per due instant; a new due instant is told
//! afresh; the customer is never told.

use crate::discussions::{post, send, token, told};
use crate::helpers::*;
use crate::role_matrix::fixture;
use parvis::requests::breaches::{WARN_BEFORE_MS, step};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn agents_are_told_before_and_when_a_target_is_missed_and_the_customer_never() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (client, agent) = (token(&f, 2), token(&f, 4));
    let (s, r) = post(
        &app,
        &client,
        "/api/v1/spaces/50/requests",
        json!({"type": "support", "title": "Line 3 stopped", "priority": "urgent",
               "fields": {"reference": "L-3"}}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let due_sql = format!("SELECT respond_due_at FROM requests WHERE id = {id}");
    let respond = app.count(&due_sql).await;
    let db = &app.state.db;

    // Nothing owed yet; then the hour before the first answer is due.
    assert_eq!(step(db, respond - WARN_BEFORE_MS - 1).await.unwrap(), 0);
    assert!(step(db, respond - WARN_BEFORE_MS / 2).await.unwrap() >= 1);
    let soon = told(&app, "request-due-soon", "request", id).await;
    assert!(
        soon.contains(&"contrib@host.example".to_string()),
        "{soon:?}"
    );
    assert!(
        soon.contains(&"manager@host.example".to_string()),
        "{soon:?}"
    );
    assert!(
        !soon.iter().any(|e| e.ends_with("@client.example")),
        "{soon:?}"
    );
    // Told once: asking again at the same moment tells nothing.
    assert_eq!(step(db, respond - WARN_BEFORE_MS / 2).await.unwrap(), 0);

    // The agent takes it; missed, it is told to them alone.
    let me = app
        .count("SELECT id FROM people WHERE email = 'contrib@host.example'")
        .await;
    let (s, v) = send(
        &app,
        Method::PUT,
        &agent,
        &format!("/api/v1/requests/{id}/assignee"),
        Some(json!({ "assignee": me })),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let version = v["version"].clone();
    assert!(step(db, respond + 1).await.unwrap() >= 1);
    assert_eq!(
        told(&app, "request-late", "request", id).await,
        ["contrib@host.example"]
    );
    assert_eq!(step(db, respond + 1).await.unwrap(), 0);

    // A new priority makes a new due instant: told afresh when it is missed.
    let (s, v) = send(
        &app,
        Method::PATCH,
        &agent,
        &format!("/api/v1/requests/{id}"),
        Some(json!({"version": version, "priority": "normal"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let respond_again = app.count(&due_sql).await;
    assert_ne!(respond_again, respond);
    assert!(step(db, respond_again + 1).await.unwrap() >= 1);
    let late = app
        .count(&format!(
            "SELECT count(*) FROM audit_events WHERE action = 'request.late' AND target_id = {id}"
        ))
        .await;
    assert_eq!(late, 2, "told again");

    // The customer's side: not told, and nothing public moved.
    let customer = app
        .count(
            "SELECT count(*) FROM notifications n JOIN people p ON p.id = n.person_id
              WHERE p.email LIKE '%@client.example' AND n.reason IN ('request-due-soon', 'request-late')",
        )
        .await;
    assert_eq!(customer, 0);
    let (s, seen) = send(
        &app,
        Method::GET,
        &client,
        &format!("/api/v1/requests/{id}"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        seen["version"],
        v["version"].as_str().unwrap().split('.').next().unwrap()
    );
    assert_eq!(
        seen["sla"]["breached"], false,
        "not late yet by the real clock"
    );
}
