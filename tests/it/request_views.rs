//! The requests list's saved views (each person's own) and the agents'
//! bulk form: the ticked rows changed as each would be alone.

use crate::discussions::{post, token};
use crate::helpers::*;
use crate::role_matrix::fixture;
use serde_json::json;

#[tokio::test]
async fn views_are_their_owners_and_agents_change_ticked_rows() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let client = token(&f, 2);
    let mut ids = Vec::new();
    for n in 1..=2 {
        let (s, r) = post(
            &app,
            &client,
            "/api/v1/spaces/50/requests",
            json!({"type": "support", "title": format!("Ticket {n}"), "fields": {"reference": format!("T-{n}")}}),
        )
        .await;
        assert_eq!(s, 201, "{r}");
        ids.push(r["id"].as_i64().unwrap());
    }
    let (client_web, agent_web) = (&f.sessions[2], &f.sessions[4]);

    // A view saved from the list's filters, listed for its owner alone.
    let list = "/requests?open=true&priority=normal";
    let res = post_form(
        &app,
        agent_web,
        list,
        "/requests/views",
        &[
            ("name", "Normal and open"),
            ("back", "open=true&priority=normal"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (s, html) = get_text(agent_web, &app.url("/requests")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Normal and open"), "{html}");
    let (s, html) = get_text(client_web, &app.url("/requests")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Ticket 1") && !html.contains("Normal and open"));
    assert!(!html.contains("bulk-form"), "no bulk form for a customer");
    let view = app.count("SELECT id FROM request_views").await;
    let res = post_form(
        &app,
        client_web,
        "/requests",
        &format!("/requests/views/{view}/delete"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 404, "someone else's view is not found");
    // A bad name: said on the list, nothing saved.
    let res = post_form(
        &app,
        agent_web,
        list,
        "/requests/views",
        &[("name", " "), ("back", "open=true")],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("1 to 60 characters"));
    assert_eq!(app.count("SELECT count(*) FROM request_views").await, 1);

    // The bulk form: both ticked go in progress; taken by the agent.
    let (first, second) = (ids[0].to_string(), ids[1].to_string());
    let res = post_form(
        &app,
        agent_web,
        "/requests",
        "/requests/bulk",
        &[
            ("ids", first.as_str()),
            ("ids", second.as_str()),
            ("status", "in-progress"),
            ("assignee", "me"),
            ("back", "open=true"),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("2 requests changed."), "{html}");
    assert_eq!(
        app.count(
            "SELECT count(*) FROM requests WHERE status = 'in-progress' AND assignee_id IS NOT NULL"
        )
        .await,
        2
    );
    // Moved again to a status their workflow forbids from there: refused, said.
    let res = post_form(
        &app,
        agent_web,
        "/requests",
        "/requests/bulk",
        &[
            ("ids", first.as_str()),
            ("status", "cancelled"),
            ("back", ""),
        ],
    )
    .await;
    let html = res.text().await.unwrap();
    assert!(
        html.contains("0 requests changed.") && html.contains("One could not be"),
        "{html}"
    );
    // The customer cannot: each of their rows is refused as not theirs to change.
    let res = post_form(
        &app,
        client_web,
        "/requests",
        "/requests/bulk",
        &[
            ("ids", first.as_str()),
            ("priority", "urgent"),
            ("back", ""),
        ],
    )
    .await;
    let html = res.text().await.unwrap();
    assert!(html.contains("0 requests changed."), "{html}");
    assert_eq!(
        app.count("SELECT count(*) FROM requests WHERE priority = 'urgent'")
            .await,
        0
    );
}
