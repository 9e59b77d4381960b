//! The role matrix as a table: for each route, the status every kind of
//! caller gets — anonymous, an external person of another organization, an
//! external reader, an internal reader, a contributor, an internal manager,
//! an external manager, an administrator. A space one may not act in answers
//! exactly like one that does not exist.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use reqwest::Method;
use serde_json::json;

const WHO: [&str; 8] = [
    "anonymous",
    "rival",
    "ext-reader",
    "int-reader",
    "contributor",
    "manager",
    "ext-manager",
    "admin",
];

#[tokio::test]
async fn every_route_answers_each_role_as_the_table_says() {
    let app = TestApp::spawn().await;
    app.create_org("client-co", "Client Co", "client").await;
    app.create_org("rival-co", "Rival Co", "client").await;
    let people = [
        ("", None),
        ("rival@rival.example", Some("rival-co")),
        ("reader@client.example", Some("client-co")),
        ("reader@host.example", None),
        ("contrib@host.example", None),
        ("manager@host.example", None),
        ("boss@client.example", Some("client-co")),
    ];
    for (email, org) in people.iter().skip(1) {
        app.create_person(email, email, *org).await;
    }
    app.sql(
        "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
         VALUES (50, 'deal', 'Deal room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at)
         SELECT 50, id, CASE email WHEN 'reader@client.example' THEN 'reader'
                                   WHEN 'reader@host.example' THEN 'reader'
                                   WHEN 'contrib@host.example' THEN 'contributor'
                                   ELSE 'manager' END, 0
         FROM people WHERE email IN ('reader@client.example', 'reader@host.example',
              'contrib@host.example', 'manager@host.example', 'boss@client.example');",
    )
    .await;
    let mut tokens_by_who = vec![None];
    for (email, _) in people.iter().skip(1) {
        tokens_by_who.push(Some(api_token(&app, email, Scope::Write).await));
    }
    tokens_by_who.push(Some(api_token(&app, ADMIN_EMAIL, Scope::Admin).await));

    type Row = (Method, &'static str, Option<serde_json::Value>, [u16; 8]);
    let table: Vec<Row> = vec![
        (
            Method::GET,
            "/api/v1/spaces/50",
            None,
            [401, 404, 200, 200, 200, 200, 200, 200],
        ),
        (
            Method::PATCH,
            "/api/v1/spaces/50",
            Some(json!({"description": "Updated"})),
            [401, 404, 404, 404, 404, 200, 404, 200],
        ),
        (
            Method::PATCH,
            "/api/v1/spaces/50",
            Some(json!({"visibility": "members"})),
            [401, 404, 404, 404, 404, 404, 404, 200],
        ),
        (
            Method::POST,
            "/api/v1/spaces/50/members",
            Some(json!({"person": "reader@host.example", "role": "reader"})),
            [401, 404, 404, 404, 404, 204, 404, 204],
        ),
        (
            Method::GET,
            "/api/v1/spaces/50/members",
            None,
            [401, 404, 200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/groups",
            None,
            [401, 404, 404, 200, 200, 200, 404, 200],
        ),
        (
            Method::GET,
            "/api/v1/portals",
            None,
            [401, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/organizations",
            Some(json!({"name": "Any", "kind": "client"})),
            [401, 403, 403, 403, 403, 403, 403, 201],
        ),
        (
            Method::GET,
            "/api/v1/spaces/999",
            None,
            [401, 404, 404, 404, 404, 404, 404, 404],
        ),
    ];
    for (method, path, body, expected) in &table {
        for (i, who) in WHO.iter().enumerate() {
            let mut req = app.bare_client().request(method.clone(), app.url(path));
            if let Some(t) = &tokens_by_who[i] {
                req = req.bearer_auth(t);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            let res = req.send().await.unwrap();
            assert_eq!(
                res.status().as_u16(),
                expected[i],
                "{method} {path} as {who}"
            );
        }
    }

    // Invitations into the space: only its internal managers and administrators.
    for (i, who) in WHO.iter().enumerate() {
        let mut req = app
            .bare_client()
            .post(app.url("/api/v1/invitations"))
            .json(&json!({
                "email": format!("new{i}@client.example"), "name": "New Person",
                "organization": "client-co", "spaces": [{"space": "deal", "role": "reader"}],
            }));
        if let Some(t) = &tokens_by_who[i] {
            req = req.bearer_auth(t);
        }
        let status = req.send().await.unwrap().status().as_u16();
        let expected = [401, 404, 404, 404, 404, 201, 404, 201][i];
        assert_eq!(status, expected, "invite as {who}");
    }

    // The same rules through the pages.
    let pages: [(&str, [u16; 8]); 2] = [
        ("/spaces/deal", [303, 404, 200, 200, 200, 200, 200, 200]),
        (
            "/spaces/no-such-space",
            [303, 404, 404, 404, 404, 404, 404, 404],
        ),
    ];
    for (i, (email, _)) in people.iter().enumerate() {
        let client = if i == 0 {
            app.client()
        } else {
            app.signed_in(email, PASSWORD).await
        };
        for (path, expected) in &pages {
            assert_eq!(
                get_text(&client, &app.url(path)).await.0,
                expected[i],
                "{path} as {}",
                WHO[i]
            );
        }
    }
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for (path, expected) in &pages {
        assert_eq!(
            get_text(&admin, &app.url(path)).await.0,
            expected[7],
            "{path} as admin"
        );
    }
}
