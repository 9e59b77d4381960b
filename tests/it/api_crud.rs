//! The `/api/v1` resources: every documented route exists, administrators
//! manage organizations, people, groups, portals, spaces and memberships,
//! scopes are enforced, externals see only their world, and bad input gets
//! problem details.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use reqwest::Method;
use serde_json::{Value, json};

struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl Api<'_> {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .app
            .bare_client()
            .request(method, self.app.url(path))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }
    async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }
    async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, None).await
    }
}

#[tokio::test]
async fn every_documented_route_exists_and_asks_for_credentials() {
    let app = TestApp::spawn().await;
    let (status, doc) = get_text(&app.bare_client(), &app.url("/api/v1/openapi.json")).await;
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 15, "{} paths", paths.len());
    let mut checked = 0;
    for (path, methods) in paths {
        if path == "/api/v1/openapi.json" {
            continue;
        }
        let concrete = path
            .split('/')
            .map(|p| if p.starts_with('{') { "1" } else { p })
            .collect::<Vec<_>>()
            .join("/");
        for method in methods.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = app
                .bare_client()
                .request(m, app.url(&concrete))
                .bearer_auth("pvs_not-a-real-token")
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 401, "{method} {path}");
            assert_eq!(
                res.headers()["content-type"],
                "application/problem+json",
                "{method} {path}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} operations");
    // And a route nobody documented does not exist.
    let res = app
        .bare_client()
        .get(app.url("/api/v1/undocumented"))
        .bearer_auth("pvs_x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn an_administrator_manages_the_whole_directory_through_the_api() {
    let app = TestApp::spawn().await;
    let api = Api {
        token: api_token(&app, ADMIN_EMAIL, Scope::Admin).await,
        app: &app,
    };
    // Organizations, with pages.
    let mut ids = Vec::new();
    for (name, kind) in [
        ("Nordhavn", "client"),
        ("Verdier", "supplier"),
        ("Acme", "partner"),
    ] {
        let (s, org) = api
            .post("/api/v1/organizations", json!({"name": name, "kind": kind}))
            .await;
        assert_eq!(s, 201, "{org}");
        ids.push(org["id"].as_i64().unwrap());
    }
    let (_, first) = api.get("/api/v1/organizations?limit=2").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let after = first["next_after"].as_i64().unwrap();
    let (_, second) = api
        .get(&format!("/api/v1/organizations?limit=2&after={after}"))
        .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    let (_, third) = api
        .get(&format!(
            "/api/v1/organizations?limit=2&after={}",
            second["next_after"].as_i64().unwrap()
        ))
        .await;
    assert!(third["items"].as_array().unwrap().is_empty());
    assert!(third["next_after"].is_null());
    let (s, renamed) = api
        .patch(
            &format!("/api/v1/organizations/{}", ids[0]),
            json!({"name": "Nordhavn Logistics"}),
        )
        .await;
    assert_eq!(
        (s, renamed["name"].as_str()),
        (200, Some("Nordhavn Logistics"))
    );

    // People.
    let (s, ingrid) = api
        .post(
            "/api/v1/people",
            json!({"email": "ingrid@nordhavn.example", "name": "Ingrid Solberg", "organization": "nordhavn",
                   "title": "Director", "password": "a long and rare phrase here"}),
        )
        .await;
    assert_eq!(s, 201, "{ingrid}");
    let ingrid_id = ingrid["id"].as_i64().unwrap();
    let (s, changed) = api
        .patch(
            &format!("/api/v1/people/{ingrid_id}"),
            json!({"skills": ["Logistics", "WMS"], "department": "Operations"}),
        )
        .await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!(changed["skills"], json!(["Logistics", "WMS"]));
    let (_, found) = api.get("/api/v1/people?q=WMS").await;
    assert_eq!(found["items"][0]["id"], ingrid_id);
    let (s, err) = api
        .delete(&format!("/api/v1/organizations/{}", ids[0]))
        .await;
    assert_eq!((s, err["code"].as_str()), (409, Some("org-not-empty")));

    // Groups and members.
    let (s, group) = api.post("/api/v1/groups", json!({"name": "Buyers"})).await;
    assert_eq!(s, 201);
    let gid = group["id"].as_i64().unwrap();
    let (s, _) = api
        .call(
            Method::PUT,
            &format!("/api/v1/groups/{gid}/members/{ingrid_id}"),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (_, g) = api.get(&format!("/api/v1/groups/{gid}")).await;
    assert_eq!(g["member_ids"], json!([ingrid_id]));

    // Spaces and memberships.
    let (s, space) = api
        .post(
            "/api/v1/spaces",
            json!({"name": "Rollout", "description": "Warehouse"}),
        )
        .await;
    assert_eq!(s, 201, "{space}");
    let sid = space["id"].as_i64().unwrap();
    let (s, _) = api
        .post(
            &format!("/api/v1/spaces/{sid}/members"),
            json!({"organization": "nordhavn", "role": "contributor"}),
        )
        .await;
    assert_eq!(s, 204);
    let (s, err) = api
        .post(
            &format!("/api/v1/spaces/{sid}/members"),
            json!({"organization": "nordhavn", "group": "buyers", "role": "reader"}),
        )
        .await;
    assert_eq!((s, err["code"].as_str()), (400, Some("member-one-of")));
    let (_, members) = api.get(&format!("/api/v1/spaces/{sid}/members")).await;
    assert_eq!(members["items"][0]["name"], "Nordhavn Logistics");
    let (s, _) = api
        .delete(&format!(
            "/api/v1/spaces/{sid}/members?organization=nordhavn"
        ))
        .await;
    assert_eq!(s, 204);
    let (s, _) = api
        .delete(&format!(
            "/api/v1/spaces/{sid}/members?organization=nordhavn"
        ))
        .await;
    assert_eq!(s, 404);

    // Portals.
    let (s, portal) = api
        .post(
            "/api/v1/portals",
            json!({"name": "Partners", "hostnames": ["partners.example"], "audience": ["client", "org:verdier"],
                   "primary_color": "#0b7a5a"}),
        )
        .await;
    assert_eq!(s, 201, "{portal}");
    let pid = portal["id"].as_i64().unwrap();
    let (s, err) = api
        .patch(
            &format!("/api/v1/portals/{pid}"),
            json!({"primary_color": "red"}),
        )
        .await;
    assert_eq!((s, err["code"].as_str()), (400, Some("color-invalid")));
    let (s, _) = api.delete(&format!("/api/v1/portals/{pid}")).await;
    assert_eq!(s, 204);

    // Deletions.
    assert_eq!(
        api.delete(&format!("/api/v1/people/{ingrid_id}")).await.0,
        204
    );
    assert_eq!(api.get(&format!("/api/v1/people/{ingrid_id}")).await.0, 404);
    assert_eq!(api.delete(&format!("/api/v1/groups/{gid}")).await.0, 204);
    assert_eq!(api.delete(&format!("/api/v1/spaces/{sid}")).await.0, 204);
    assert_eq!(
        api.delete(&format!("/api/v1/organizations/{}", ids[0]))
            .await
            .0,
        204
    );
    let me = app
        .count(&format!(
            "SELECT id FROM people WHERE email = '{ADMIN_EMAIL}'"
        ))
        .await;
    let (s, err) = api.delete(&format!("/api/v1/people/{me}")).await;
    assert_eq!((s, err["code"].as_str()), (409, Some("cannot-delete-self")));
    // Every change is in the audit log, and the chain holds.
    assert!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('organization.delete', 'person.delete', 'group.delete', 'space.delete', 'portal.delete')")
            .await
            == 5
    );
    let chain = app.state.db.read(parvis::audit::verify).await.unwrap();
    assert!(chain.ok(), "{chain:?}");
}

#[tokio::test]
async fn scopes_are_enforced_and_a_token_never_mints_a_stronger_one() {
    let app = TestApp::spawn().await;
    let read = Api {
        token: api_token(&app, ADMIN_EMAIL, Scope::Read).await,
        app: &app,
    };
    assert_eq!(read.get("/api/v1/organizations").await.0, 200);
    let (s, err) = read
        .post(
            "/api/v1/organizations",
            json!({"name": "X", "kind": "client"}),
        )
        .await;
    assert_eq!((s, err["code"].as_str()), (403, Some("scope-insufficient")));
    let (s, _) = read
        .post("/api/v1/me/tokens", json!({"name": "more"}))
        .await;
    assert_eq!(s, 403);
    let write = Api {
        token: api_token(&app, ADMIN_EMAIL, Scope::Write).await,
        app: &app,
    };
    let (s, _) = write
        .post(
            "/api/v1/me/tokens",
            json!({"name": "stronger", "scope": "admin"}),
        )
        .await;
    assert_eq!(s, 403);
    let (s, t) = write
        .post(
            "/api/v1/me/tokens",
            json!({"name": "script", "scope": "read", "expires_days": 30}),
        )
        .await;
    assert_eq!(s, 201);
    assert!(t["secret"].as_str().unwrap().starts_with("pvs_"));
    let (_, list) = write.get("/api/v1/me/tokens").await;
    assert!(list["items"].as_array().unwrap().len() >= 3);
    assert!(
        !list.to_string().contains("pvs_"),
        "secrets are never listed"
    );
    let (s, _) = write
        .delete(&format!("/api/v1/me/tokens/{}", t["id"]))
        .await;
    assert_eq!(s, 204);
}

#[tokio::test]
async fn an_external_person_sees_only_their_world_through_the_api() {
    let app = TestApp::spawn().await;
    app.create_org("client-co", "Client Co", "client").await;
    app.create_org("rival-co", "Rival Co", "client").await;
    app.create_person("buyer@client.example", "Client Buyer", Some("client-co"))
        .await;
    let rival = app
        .create_person("spy@rival.example", "Rival Spy", Some("rival-co"))
        .await;
    let api = Api {
        token: api_token(&app, "buyer@client.example", Scope::Write).await,
        app: &app,
    };
    app.create_person(
        "colleague@client.example",
        "Client Colleague",
        Some("client-co"),
    )
    .await;
    let (status, orgs) = api.get("/api/v1/organizations").await;
    assert_eq!(status, 200);
    let items = orgs["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "their own and the host: {orgs}");
    assert!(!orgs.to_string().contains("Rival"));
    let own = items.iter().find(|o| o["slug"] == "client-co").unwrap();
    assert_eq!(
        own["people"], 1,
        "only the people they may see are counted (not the colleague they share no space with)"
    );
    let host = items.iter().find(|o| o["kind"] == "host").unwrap();
    assert_eq!(
        host["people"], 0,
        "nobody of the host shares a space with them"
    );
    // The host answers on every channel the list does.
    let (s, one) = api
        .get(&format!("/api/v1/organizations/{}", host["id"]))
        .await;
    assert_eq!((s, &one["kind"]), (200, &json!("host")));
    let rival_org = app
        .count("SELECT id FROM organizations WHERE slug = 'rival-co'")
        .await;
    let (hidden, hidden_body) = api.get(&format!("/api/v1/organizations/{rival_org}")).await;
    let (missing, missing_body) = api.get("/api/v1/organizations/987654").await;
    assert_eq!((hidden, missing), (404, 404));
    assert_eq!(hidden_body["code"], missing_body["code"]);
    assert_eq!(api.get(&format!("/api/v1/people/{rival}")).await.0, 404);
    let (_, people) = api.get("/api/v1/people").await;
    assert!(!people.to_string().contains("Rival") && !people.to_string().contains("Administrator"));
    assert_eq!(api.get("/api/v1/groups").await.0, 404);
    assert_eq!(api.get("/api/v1/portals").await.0, 403);
    let (s, _) = api
        .post(
            "/api/v1/invitations",
            json!({"email": "x@client.example", "name": "X", "organization": "client-co"}),
        )
        .await;
    assert_eq!(s, 404, "externals do not invite");
    // Their own profile, but not someone else's, and never the admin flag.
    let me = app
        .count("SELECT id FROM people WHERE email = 'buyer@client.example'")
        .await;
    let (s, p) = api
        .patch(
            &format!("/api/v1/people/{me}"),
            json!({"title": "Head buyer"}),
        )
        .await;
    assert_eq!((s, p["title"].as_str()), (200, Some("Head buyer")));
    let (s, _) = api
        .patch(
            &format!("/api/v1/people/{me}"),
            json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn bad_json_gets_problem_details_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let api = Api {
        token: api_token(&app, ADMIN_EMAIL, Scope::Admin).await,
        app: &app,
    };
    let before = app.count("SELECT COUNT(*) FROM organizations").await;
    for body in [
        "{not json",
        r#"{"name": 12, "kind": "client"}"#,
        r#"{"name": "X", "kind": "client", "extra": true}"#,
        r#"{"name": "X", "kind": "emperor"}"#,
        r#"{"name": "", "kind": "client"}"#,
        "[]",
    ] {
        let res = app
            .bare_client()
            .post(app.url("/api/v1/organizations"))
            .bearer_auth(&api.token)
            .header("content-type", "application/json")
            .header("accept-language", "fr")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{body}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["title"], "Cette requête pose problème", "{p}");
        assert!(p["code"].is_string());
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organizations").await,
        before
    );
}

#[tokio::test]
async fn the_document_says_what_the_server_does() {
    let app = TestApp::spawn().await;
    let token = api_token(&app, ADMIN_EMAIL, Scope::Admin).await;
    let client = app.bare_client();
    let (_, text) = get_text(&client, &app.url("/api/v1/openapi.json")).await;
    let doc: Value = serde_json::from_str(&text).unwrap();
    let (mut bodies, mut bounds, mut media) = (0, 0, 0);
    for (path, methods) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .split('/')
            .map(|p| if p.starts_with('{') { "1" } else { p })
            .collect::<Vec<_>>()
            .join("/");
        for (method, op) in methods.as_object().unwrap() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let documented = |status: u16| op["responses"].get(status.to_string()).is_some();
            // A body of a kind the operation does not take gets a documented answer.
            if let Some(content) = op["requestBody"]["content"].as_object() {
                let res = client
                    .request(m.clone(), app.url(&concrete))
                    .bearer_auth(&token)
                    .header("content-type", "text/plain")
                    .body("{}")
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                assert!(
                    documented(status),
                    "{method} {path}: {status} to text/plain is undocumented"
                );
                if content.contains_key("application/json") {
                    assert_eq!(status, 415, "{method} {path}");
                    assert_eq!(res.headers()["content-type"], "application/problem+json");
                }
                bodies += 1;
            }
            // Documented bounds of query parameters are the server's.
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] != "query" {
                    continue;
                }
                let name = p["name"].as_str().unwrap();
                let schema = &p["schema"];
                let mut tries = Vec::new();
                if let Some(min) = schema["minimum"].as_i64() {
                    tries.extend([(min - 1, false), (min, true)]);
                }
                if let Some(max) = schema["maximum"].as_i64() {
                    tries.extend([(max + 1, false), (max, true)]);
                }
                for (value, inside) in tries {
                    let url = app.url(&format!("{concrete}?{name}={value}"));
                    let res = client
                        .request(m.clone(), url)
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    let status = res.status().as_u16();
                    if inside {
                        if !path.contains('{') {
                            assert_eq!(status, 200, "{method} {path}?{name}={value}");
                        }
                    } else {
                        assert_eq!(status, 400, "{method} {path}?{name}={value} accepted");
                        assert!(documented(400));
                        let problem: Value = res.json().await.unwrap();
                        assert_eq!(problem["code"], format!("{name}-invalid"), "{path}");
                        assert!(
                            problem["detail"].as_str().unwrap().contains(name),
                            "{problem}"
                        );
                    }
                    bounds += 1;
                }
            }
            // A success comes in the documented media type.
            if method == "get" && !path.contains('{') {
                let res = client
                    .get(app.url(path))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                assert!(documented(status), "{path}: {status} is undocumented");
                if res.status().is_success() {
                    let ct = res.headers()["content-type"].to_str().unwrap();
                    let ct = ct.split(';').next().unwrap().trim();
                    assert!(
                        op["responses"][status.to_string()]["content"]
                            .get(ct)
                            .is_some(),
                        "{path} answers {ct}, documented: {}",
                        op["responses"][status.to_string()]
                    );
                    media += 1;
                }
            }
        }
    }
    assert!(
        bodies >= 15 && bounds >= 8 && media >= 8,
        "{bodies} {bounds} {media}"
    );
}
