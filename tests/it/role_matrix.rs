//! The role matrix as a table: for each route, the status every kind of
//! caller gets — anonymous, an external person of another organization, an
//! external reader, an internal reader, a contributor, an internal manager,
//! an external manager, an administrator. A space one may not act in answers
//! exactly like one that does not exist.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use parvis::web::api::Need;
use reqwest::Method;
use serde_json::json;

pub const WHO: [&str; 8] = [
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
    let f = fixture(&app).await;
    let tokens_by_who = &f.tokens;

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
    for (i, client) in f.sessions.iter().enumerate() {
        for (path, expected) in &pages {
            assert_eq!(
                get_text(client, &app.url(path)).await.0,
                expected[i],
                "{path} as {}",
                WHO[i]
            );
        }
    }
}

/// The callers of the generated matrix, their tokens, and the items the
/// routes' path parameters name (all in or about the deal room).
pub struct Fixture {
    pub tokens: Vec<Option<String>>,
    /// The id each collection's `{id}` stands for (`spaces` → the deal room).
    pub ids: std::collections::HashMap<&'static str, i64>,
    pub person: i64,
    /// The same callers signed in to the pages (the first is anonymous).
    pub sessions: Vec<reqwest::Client>,
    pub share_token: String,
}

/// The deal room (space 50) with a reader from a client, an internal
/// reader, a contributor, an internal manager and a client's manager; a
/// rival client; a folder, a file, a share link and a group in it.
pub async fn fixture(app: &TestApp) -> Fixture {
    let client = app.create_org("client-co", "Client Co", "client").await;
    app.create_org("rival-co", "Rival Co", "client").await;
    let people = [
        ("rival@rival.example", Some("rival-co")),
        ("reader@client.example", Some("client-co")),
        ("reader@host.example", None),
        ("contrib@host.example", None),
        ("manager@host.example", None),
        ("boss@client.example", Some("client-co")),
    ];
    let mut ids_of = Vec::new();
    for (email, org) in people {
        ids_of.push(app.create_person(email, email, org).await);
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
              'contrib@host.example', 'manager@host.example', 'boss@client.example');
         INSERT INTO groups (id, slug, name, created_at) VALUES (60, 'team', 'Team', 0);
         INSERT INTO group_members (group_id, person_id)
         SELECT 60, id FROM people WHERE email = 'reader@host.example';",
    )
    .await;
    let mut tokens = vec![None];
    for (email, _) in people {
        tokens.push(Some(api_token(app, email, Scope::Write).await));
    }
    tokens.push(Some(api_token(app, ADMIN_EMAIL, Scope::Admin).await));
    let manager = tokens[5].clone().unwrap_or_default();
    let folder: serde_json::Value = app
        .bare_client()
        .post(app.url("/api/v1/spaces/50/folders"))
        .bearer_auth(&manager)
        .json(&json!({"name": "Contracts"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let document = image(app, &manager, "plan.png", 32).await;
    app.sql("UPDATE portals SET share_links_allowed = 1").await;
    app.state.reload_portals().await.unwrap();
    let share: serde_json::Value = app
        .bare_client()
        .post(app.url(&format!("/api/v1/documents/{document}/shares")))
        .bearer_auth(&manager)
        .json(&json!({"days": 7}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let share_url = share["url"].as_str().expect("a share link").to_string();
    let share_token = share_url.rsplit('/').next().unwrap_or_default().to_string();
    let share_id = app.count("SELECT max(id) FROM share_links").await;
    // A photo, so that reading it is allowed or refused rather than missing.
    let photo = crate::documents::png(4, 4);
    let hex: String = photo.iter().map(|b| format!("{b:02x}")).collect();
    app.sql(&format!(
        "INSERT INTO person_photos (person_id, content_type, data, etag, updated_at)
         VALUES ({}, 'image/png', x'{hex}', 'e1', 0)",
        ids_of[2]
    ))
    .await;
    let portal = app
        .count("SELECT id FROM portals WHERE is_default = 1")
        .await;
    // An announcement of the deal room, with a cover and an attachment.
    let news = app
        .api_post(
            &manager,
            "/api/v1/news",
            Some(
                json!({"title": "Kick-off", "body": "Welcome **all**", "place": "space:50",
                        "publish": "now", "requires_ack": true}),
            ),
        )
        .await;
    assert_eq!(news.status(), 201);
    let news = news.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .expect("a post id");
    let cover = app
        .bare_client()
        .put(app.url(&format!("/api/v1/news/{news}/cover")))
        .bearer_auth(&manager)
        .body(crate::documents::png(8, 8))
        .send()
        .await
        .unwrap();
    assert_eq!(cover.status(), 204);
    let attached: serde_json::Value = app
        .bare_client()
        .post(app.url(&format!("/api/v1/news/{news}/files?name=agenda.txt")))
        .bearer_auth(&manager)
        .body("agenda")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let news_file = attached[0]["id"].as_i64().expect("an attachment id");
    // A forum of questions, where the external reader asked and answered.
    let forum = app
        .api_post(
            &manager,
            "/api/v1/spaces/50/forums",
            Some(json!({"name": "Questions", "mode": "questions"})),
        )
        .await;
    assert_eq!(forum.status(), 201);
    let forum = forum.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .expect("a forum id");
    let asker = tokens[2].clone().expect("the external reader's token");
    let topic = app
        .api_post(
            &asker,
            &format!("/api/v1/forums/{forum}/topics"),
            Some(json!({"title": "Where is the plan?", "body": "I cannot find it."})),
        )
        .await;
    assert_eq!(topic.status(), 201);
    let topic = topic.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .expect("a topic id");
    let reply = app
        .api_post(
            &asker,
            &format!("/api/v1/topics/{topic}/replies"),
            Some(json!({"body": "Found it: in the folder."})),
        )
        .await;
    assert_eq!(reply.status(), 201);
    let reply = reply.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .expect("a reply id");
    // The external reader's comment on the file.
    let comment = app
        .api_post(
            &asker,
            &format!("/api/v1/comments/on/document:{document}"),
            Some(json!({"body": "Is this the signed version?"})),
        )
        .await;
    assert_eq!(comment.status(), 201);
    let comment = comment.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .expect("a comment id");
    // The external reader's support request, of a type the administrator defined.
    let admin = tokens[7].clone().expect("the administrator's token");
    let request_type = crate::requests::define_support(app, &admin).await;
    let request = app
        .api_post(
            &asker,
            "/api/v1/spaces/50/requests",
            Some(json!({"type": "support", "title": "Where is the plan?", "fields": {"reference": "R-1"}})),
        )
        .await;
    assert_eq!(request.status(), 201);
    let request = request.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .expect("a request id");
    // …with a file its requester sent.
    let request_file = app
        .bare_client()
        .post(app.url(&format!("/api/v1/requests/{request}/files?name=plan.txt")))
        .bearer_auth(&asker)
        .body("the plan, please")
        .send()
        .await
        .unwrap();
    assert_eq!(request_file.status(), 201);
    let request_file = request_file.json::<serde_json::Value>().await.unwrap()["items"][0]["id"]
        .as_i64()
        .expect("a request file id");
    // A flow on the file, started by the contributor and approved by the
    // manager: finished, with its record.
    let contributor = tokens[4].clone().expect("the contributor's token");
    let template = created(
        app,
        &manager,
        "/api/v1/spaces/50/approval-templates",
        json!({"name": "Review", "definition": {"steps": [
            {"name": "Managers", "approvers": [{"type": "role", "role": "manager"}]}]}}),
    )
    .await["id"]
        .as_i64()
        .expect("a template id");
    let start = format!("/api/v1/documents/{document}/approvals");
    let flow = created(app, &contributor, &start, json!({"template": template})).await;
    let decided = app
        .api_post(
            &manager,
            &format!("/api/v1/approvals/{}/decisions", flow["id"]),
            Some(json!({"decision": "approve", "blake3": flow["document"]["blake3"]})),
        )
        .await;
    assert_eq!(decided.status(), 200);
    let sealed = flow["id"].as_i64().expect("a flow id");
    // …and a second one at work on it, waiting for the managers.
    let flow = created(app, &contributor, &start, json!({"template": template})).await["id"]
        .as_i64()
        .expect("a flow id");
    // …and one on a second file, for its starter to withdraw.
    let brief = image(app, &manager, "brief.png", 16).await;
    let withdrawn = created(
        app,
        &contributor,
        &format!("/api/v1/documents/{brief}/approvals"),
        json!({"template": template}),
    )
    .await["id"]
        .as_i64()
        .expect("a flow id");
    let ids = [
        ("approvals", flow),
        ("approval-withdraw", withdrawn),
        ("approval-record", sealed),
        ("approval-template", template),
        ("requests", request),
        ("request-types", request_type),
        ("request-file", request_file),
        ("comments", comment),
        ("forums", forum),
        ("topics", topic),
        ("replies", reply),
        ("news", news),
        ("news-file", news_file),
        ("spaces", 50),
        ("folders", folder["id"].as_i64().expect("a folder id")),
        ("documents", document),
        ("files", document),
        ("shares", share_id),
        ("groups", 60),
        ("people", ids_of[2]),
        ("organizations", client),
        ("portals", portal),
    ]
    .into_iter()
    .collect();
    let mut sessions = vec![app.client()];
    for (email, _) in people {
        sessions.push(app.signed_in(email, PASSWORD).await);
    }
    sessions.push(app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await);
    Fixture {
        tokens,
        sessions,
        ids,
        person: ids_of[2],
        share_token,
    }
}

/// Uploads a square image of `side` pixels named `name` to the deal room:
/// its document's id.
async fn image(app: &TestApp, token: &str, name: &str, side: u32) -> i64 {
    let file: serde_json::Value = app
        .bare_client()
        .post(app.url(&format!("/api/v1/spaces/50/files?name={name}")))
        .bearer_auth(token)
        .body(crate::documents::png(side, side))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    file["document"]["id"].as_i64().expect("a file id")
}

/// Posts `body` as `token`, which must create something: what was created.
async fn created(
    app: &TestApp,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let res = app.api_post(token, path, Some(body)).await;
    assert_eq!(res.status(), 201, "{path}");
    res.json().await.unwrap()
}

/// What each caller gets from a route that needs `need`.
pub fn expected(need: Need) -> Option<[u16; 8]> {
    Some(match need {
        Need::Undeclared => return None,
        Need::Public => [200; 8],
        Need::Visitor => [200, 303, 303, 303, 303, 303, 303, 303],
        // Asked with a token nobody was given: see `check_every_route`.
        Need::Token => return None,
        Need::Signed => [401, 200, 200, 200, 200, 200, 200, 200],
        // The deal room's internal members: never its external ones.
        Need::Internal | Need::InternalRead => [401, 404, 404, 200, 200, 200, 404, 200],
        Need::KnowPerson | Need::KnowOrganization | Need::SpaceRead => {
            [401, 404, 200, 200, 200, 200, 200, 200]
        }
        // The fixture's running flow was started by the contributor.
        Need::SpaceWrite | Need::FlowStarter => [401, 404, 404, 404, 200, 200, 200, 200],
        // The fixture's flow asks the space's managers.
        Need::SpaceManage | Need::Approver => [401, 404, 404, 404, 404, 200, 200, 200],
        Need::SpaceSettings | Need::Invite => [401, 404, 404, 404, 404, 200, 404, 200],
        // The external reader wrote it; the space's managers moderate.
        Need::Author => [401, 404, 200, 404, 404, 200, 200, 200],
        Need::Writer => [401, 404, 200, 404, 404, 404, 404, 404],
        // The person named is the internal reader.
        Need::SelfOrAdmin => [401, 404, 404, 200, 404, 404, 404, 200],
        // The external reader filed it; the external manager is of their
        // organization; the space's internal contributors and managers work on it.
        Need::RequestRead => [401, 404, 200, 404, 200, 200, 200, 200],
        Need::Agent => [401, 404, 404, 404, 200, 200, 404, 200],
        Need::Admin => [401, 403, 403, 403, 403, 403, 403, 200],
    })
}

/// Adds a purchase at work to the fixture, whose "ordered" status waits
/// for the space's "Purchase approval" flow (the routes that ask for one
/// act on it).
pub async fn add_purchase(app: &TestApp, f: &mut Fixture) {
    let tok = |i: usize| f.tokens[i].clone().expect("a token");
    let (asker, contributor, manager, admin) = (tok(2), tok(4), tok(5), tok(7));
    // A purchase at work, whose "ordered" status waits for an approval.
    let purchase = app
        .api_post(
            &admin,
            "/api/v1/request-types",
            Some(crate::requests::purchase_type()),
        )
        .await;
    assert_eq!(purchase.status(), 201);
    created(
        app,
        &manager,
        "/api/v1/spaces/50/approval-templates",
        json!({"name": "Purchase approval", "definition": {"steps": [
            {"name": "Managers", "approvers": [{"type": "role", "role": "manager"}]}]}}),
    )
    .await;
    let purchase = created(
        app,
        &asker,
        "/api/v1/spaces/50/requests",
        json!({"type": "purchase", "title": "Racks", "fields": {"reference": "PO-1"}}),
    )
    .await;
    let purchase_id = purchase["id"].as_i64().expect("a request id");
    let moved = app
        .api_post(
            &contributor,
            &format!("/api/v1/requests/{purchase_id}/status"),
            Some(json!({"status": "in-progress", "version": purchase["version"]})),
        )
        .await;
    assert_eq!(moved.status(), 200);
    f.ids.insert("request-purchase", purchase_id);
}

/// `path` with its parameters filled from the fixture.
pub fn concrete(path: &str, f: &Fixture) -> String {
    let mut out = Vec::new();
    let mut before = "";
    for seg in path.split('/') {
        out.push(match seg {
            // A running flow has no record yet: the finished one's.
            "{id}" if before == "approvals" && path.ends_with("/record") => {
                f.ids["approval-record"].to_string()
            }
            // Deciding finishes the running flow: another has its links
            // sent again, then is withdrawn.
            "{id}"
                if before == "approvals"
                    && (path.ends_with("/withdraw") || path.ends_with("/resend")) =>
            {
                f.ids["approval-withdraw"].to_string()
            }
            // The purchase's status that waits for an approval.
            "{id}" if before == "requests" && path.ends_with("/approvals") => f
                .ids
                .get("request-purchase")
                .or(f.ids.get("requests"))
                .map(|i| i.to_string())
                .unwrap_or_else(|| "0".into()),
            "{id}" => f
                .ids
                .get(before)
                .map(|i| i.to_string())
                .unwrap_or_else(|| "0".into()),
            "{number}" => "1".into(),
            "{file}" if path.starts_with("/api/v1/requests/") || path.starts_with("/requests/") => {
                f.ids["request-file"].to_string()
            }
            "{file}" => f.ids["news-file"].to_string(),
            "{person_id}" => f.person.to_string(),
            // Comments and reactions name the item they are on.
            "{on}" => format!("document:{}", f.ids["documents"]),
            "{reaction}" => "like".into(),
            "{type}" => "support".into(),
            "{external}" => "ERP-1".into(),
            "{slug}" => "deal".into(),
            "{token}" => f.share_token.clone(),
            s => s.to_string(),
        });
        before = seg;
    }
    out.join("/")
}

/// Every API route of every kind, for every caller: a route that reads is
/// asked by all; one that changes something only by those it must refuse
/// (a refused change changes nothing; an accepted one would). Routes whose
/// body must parse before access is decided are asked without a caller only.
pub async fn check_every_route(app: &TestApp, f: &Fixture) -> usize {
    let g = parvis::web::csrf::Guard { max_form: 1 };
    let print = std::env::var("ROLE_MATRIX_PRINT").is_ok();
    let mut asked = 0;
    let mut wrong = Vec::new();
    let api = parvis::server::api::routes(&g, app.state.kinds);
    {
        for e in &api.endpoints {
            let want = expected(e.need);
            let method = Method::from_bytes(e.method.to_uppercase().as_bytes()).unwrap();
            let mut path = concrete(e.path, f);
            // Who leaves is said in the query, read before access is decided.
            if e.path.ends_with("/members") && e.method == "delete" {
                path.push_str("?person=reader@host.example");
            }
            let mut seen = [0u16; 8];
            for (i, token) in f.tokens.iter().enumerate() {
                let refused = want.is_some_and(|w| w[i] >= 400);
                let reads = method == Method::GET;
                if !(reads || refused) || (e.body.is_some() && i > 0) {
                    continue;
                }
                let mut req = app.bare_client().request(method.clone(), app.url(&path));
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                seen[i] = req.send().await.unwrap().status().as_u16();
                asked += 1;
                if let Some(w) = want
                    && seen[i] != w[i]
                {
                    wrong.push(format!(
                        "{} {path} as {}: {} (wanted {})",
                        e.method, WHO[i], seen[i], w[i]
                    ));
                }
            }
            if print {
                eprintln!("{:?} {} {} {:?}", e.need, e.method, e.path, seen);
            }
            if want.is_none() {
                wrong.push(format!("{} {} says not who may call it", e.method, e.path));
            }
        }
    }
    // Every page of every kind, and the instance's own, read by each caller signed in.
    let own = ("instance", parvis::server::own_pages(&g));
    let kinds = app.state.kinds.iter().map(|k| (k.name, (k.pages)(&g)));
    for (kind, pages) in std::iter::once(own).chain(kinds) {
        for (path, need) in pages.reads {
            let want = expected_page(need);
            let url = app.url(&concrete(path, f));
            let mut seen = [0u16; 8];
            for (i, client) in f.sessions.iter().enumerate() {
                seen[i] = client.get(&url).send().await.unwrap().status().as_u16();
                asked += 1;
                if let Some(w) = want
                    && seen[i] != w[i]
                {
                    wrong.push(format!(
                        "page {path} as {}: {} (wanted {})",
                        WHO[i], seen[i], w[i]
                    ));
                }
            }
            if print {
                eprintln!("page {need:?} {path} {seen:?}");
            }
            // A token nobody was given opens nothing, and being signed in
            // changes nothing: every caller is answered alike.
            if need == Need::Token {
                if seen.iter().any(|s| *s != seen[0]) || seen[0] < 300 {
                    wrong.push(format!("page {path} with an unknown token: {seen:?}"));
                }
                continue;
            }
            if want.is_none() {
                wrong.push(format!("page {path} of {kind} says not who may read it"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the role matrix disagrees:\n{}",
        wrong.join("\n")
    );
    asked
}

/// What each caller gets from a page that needs `need`: the pages send
/// visitors to sign in (303) where the API answers 401.
fn expected_page(need: Need) -> Option<[u16; 8]> {
    let mut row = expected(need)?;
    for s in &mut row {
        *s = match *s {
            401 => 303,
            // An administration page is not there for anyone else.
            403 => 404,
            s => s,
        };
    }
    Some(row)
}

#[tokio::test]
async fn every_api_route_of_every_kind_answers_each_role_as_its_need_says() {
    let app = TestApp::spawn().await;
    let mut f = fixture(&app).await;
    add_purchase(&app, &mut f).await;
    let asked = check_every_route(&app, &f).await;
    assert!(asked > 150, "only {asked} requests were made");
}
