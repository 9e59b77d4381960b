//! Requests over HTTPS: administrators define types whole; a client files
//! in the deal room and follows with their organization; agents work on it
//! with internal notes and fields that never reach the client on any
//! channel (API, search, notifications, their own data export); workflows
//! refuse the moves they forbid; a stale version is a conflict.

use crate::discussions::{get, post, send, token, told};
use crate::helpers::*;
use crate::role_matrix::{Fixture, fixture};
use reqwest::Method;
use serde_json::{Value, json};

/// A support type of the deal room: a reference, an amount in euros, a
/// cost centre for agents alone; colleagues of the requester see it.
pub fn support_type(key: &str, prefix: &str) -> Value {
    let day = json!([["09:00", "17:00"]]);
    json!({
        "key": key,
        "space": 50,
        "definition": {
            "name_en": "Support", "name_fr": "Assistance", "prefix": prefix,
            "fields": [
                {"key": "reference", "label_en": "Reference", "label_fr": "Référence",
                 "kind": {"type": "text"}, "required": true},
                {"key": "amount", "label_en": "Amount", "label_fr": "Montant",
                 "kind": {"type": "money", "currency": "EUR"}},
                {"key": "area", "label_en": "Area", "label_fr": "Domaine",
                 "kind": {"type": "choice", "options": ["billing", "delivery"]}},
                {"key": "cost-centre", "label_en": "Cost centre", "label_fr": "Centre de coût",
                 "kind": {"type": "text"}, "internal": true},
            ],
            "workflow": {
                "statuses": [
                    {"key": "new", "name_en": "New", "name_fr": "Nouvelle", "open": true},
                    {"key": "in-progress", "name_en": "In progress", "name_fr": "En cours", "open": true},
                    {"key": "waiting", "name_en": "Waiting for you", "name_fr": "En attente", "open": true, "pauses_clock": true},
                    {"key": "resolved", "name_en": "Resolved", "name_fr": "Résolue", "open": false},
                    {"key": "cancelled", "name_en": "Withdrawn", "name_fr": "Retirée", "open": false},
                ],
                "initial": "new",
                "moves": [
                    {"from": "new", "to": "in-progress", "by": ["agent"]},
                    {"from": "in-progress", "to": "waiting", "by": ["agent"]},
                    {"from": "waiting", "to": "in-progress", "by": ["requester", "agent"]},
                    {"from": "in-progress", "to": "resolved", "by": ["agent"]},
                    {"from": "resolved", "to": "in-progress", "by": ["requester", "manager"]},
                    {"from": "new", "to": "cancelled", "by": ["requester"]},
                ],
            },
            "priorities": [
                {"key": "normal", "name_en": "Normal", "name_fr": "Normale", "respond_hours": 8, "resolve_hours": 40},
                {"key": "urgent", "name_en": "Urgent", "name_fr": "Urgente", "respond_hours": 1, "resolve_hours": 8},
            ],
            "default_priority": "normal",
            "calendar": {"time_zone": "Europe/Paris", "week": [day, day, day, day, day, [], []]},
            "visibility": "organization",
        }
    })
}

/// A purchase type of the deal room: as the support type, with an
/// "ordered" status that waits for the space's "Purchase approval" flow.
pub fn purchase_type() -> Value {
    let mut t = crate::requests::support_type("purchase", "PUR");
    let w = &mut t["definition"]["workflow"];
    w["statuses"].as_array_mut().unwrap().push(
        json!({"key": "ordered", "name_en": "Ordered", "name_fr": "Commandée",
                     "open": true, "approval": "Purchase approval"}),
    );
    w["moves"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "in-progress", "to": "ordered", "by": ["agent"]}));
    w["moves"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "ordered", "to": "resolved", "by": ["agent"]}));
    t
}

/// Defines the deal room's support type as the administrator: its id.
pub async fn define_support(app: &TestApp, admin: &str) -> i64 {
    let (s, t) = post(
        app,
        admin,
        "/api/v1/request-types",
        support_type("support", "SUP"),
    )
    .await;
    assert_eq!(s, 201, "{t}");
    t["id"].as_i64().unwrap()
}

fn keys(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_type_is_checked_whole_and_each_mistake_is_named() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let admin = token(&f, 7);
    let manager = token(&f, 5);
    let before = app.audit_count().await;
    let types = app.count("SELECT count(*) FROM request_types").await;
    let mut bad = support_type("broken", "BRK");
    bad["definition"]["workflow"]["moves"] = json!([]);
    let (s, v) = post(&app, &admin, "/api/v1/request-types", bad).await;
    assert_eq!(s, 400, "{v}");
    assert_eq!(v["code"], "request-type-status-unreachable");
    assert_eq!(v["item"], "in-progress");
    assert!(v["detail"].as_str().unwrap().contains("in-progress"), "{v}");
    for (path, value, code) in [
        ("/definition/prefix", json!("sup"), "request-type-prefix"),
        (
            "/definition/calendar/time_zone",
            json!("Mars/Olympus"),
            "request-type-time-zone",
        ),
        (
            "/definition/default_priority",
            json!("low"),
            "request-type-default-priority",
        ),
        ("/key", json!("Not A Key"), "request-type-key"),
    ] {
        let mut body = support_type("broken", "BRK");
        *body.pointer_mut(path).unwrap() = value;
        let (s, v) = post(&app, &admin, "/api/v1/request-types", body).await;
        assert_eq!((s, v["code"].as_str()), (400, Some(code)), "{path}: {v}");
    }
    // An unknown key anywhere in it: refused, not ignored.
    let mut body = support_type("broken", "BRK");
    body["definition"]["colour"] = json!("red");
    let (s, _) = post(&app, &admin, "/api/v1/request-types", body).await;
    assert_eq!(s, 400);
    assert_eq!(app.audit_count().await, before, "nothing was recorded");
    assert_eq!(app.count("SELECT count(*) FROM request_types").await, types);
    // Only administrators define types.
    let (s, _) = post(
        &app,
        &manager,
        "/api/v1/request-types",
        support_type("x", "X"),
    )
    .await;
    assert_eq!(s, 403);
    // The fixture's administrator defined the deal room's support type.
    let id = f.ids["request-types"];
    let (s, v) = post(
        &app,
        &admin,
        "/api/v1/request-types",
        support_type("support", "OTH"),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("request-type-key-taken"))
    );
    let (s, v) = post(
        &app,
        &admin,
        "/api/v1/request-types",
        support_type("other", "SUP"),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("request-type-prefix-taken"))
    );
    // The same definition again changes nothing and records nothing.
    let path = format!("/api/v1/request-types/{id}");
    let same = json!({"definition": support_type("support", "SUP")["definition"]});
    let audit = app.audit_count().await;
    let (s, t) = send(&app, Method::PUT, &admin, &path, Some(same.clone())).await;
    assert_eq!((s, t["version"].as_i64()), (200, Some(1)), "{t}");
    assert_eq!(app.audit_count().await, audit);
    // A new field is a new version.
    let mut changed = same;
    changed["definition"]["fields"]
        .as_array_mut()
        .unwrap()
        .push(json!({"key": "site", "label_en": "Site", "label_fr": "Site", "kind": {"type": "text"}}));
    let (s, t) = send(&app, Method::PUT, &admin, &path, Some(changed)).await;
    assert_eq!((s, t["version"].as_i64()), (200, Some(2)), "{t}");
    // A type with requests is archived, never deleted.
    let client = token(&f, 2);
    let (s, r) = post(
        &app,
        &client,
        "/api/v1/spaces/50/requests",
        json!({"type": "support", "title": "Printer", "fields": {"reference": "P-1"}}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let (s, v) = send(&app, Method::DELETE, &admin, &path, None).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("request-type-in-use")));
    let (s, t) = send(
        &app,
        Method::PATCH,
        &admin,
        &path,
        Some(json!({"archived": true})),
    )
    .await;
    assert_eq!((s, t["archived"].as_bool()), (200, Some(true)));
    let (s, v) = post(
        &app,
        &client,
        "/api/v1/spaces/50/requests",
        json!({"type": "support", "title": "Again", "fields": {"reference": "P-2"}}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (400, Some("request-type-unknown")));
    // A request filed under version 2 has the new field; the fixture's,
    // filed under version 1, keeps the fields it had.
    assert_eq!(keys(&r), ["reference", "amount", "area", "site"]);
    let (s, old) = get(
        &app,
        &client,
        &format!("/api/v1/requests/{}", f.ids["requests"]),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(keys(&old), ["reference", "amount", "area"]);
}

async fn file(app: &TestApp, who: &str, body: Value) -> (u16, Value) {
    post(app, who, "/api/v1/spaces/50/requests", body).await
}

/// The request of the deal room the client filed, worked on by an agent
/// with an internal note and an internal field.
async fn worked_on(app: &TestApp, f: &Fixture) -> i64 {
    let (client, agent) = (token(f, 2), token(f, 4));
    let (s, r) = file(
        app,
        &client,
        json!({"type": "support", "title": "Invoice 7 is wrong",
               "fields": {"reference": "INV-7", "amount": {"amount": 12_000, "currency": "EUR"}, "area": "billing"}}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let (s, v) = send(
        app,
        Method::PATCH,
        &agent,
        &format!("/api/v1/requests/{id}"),
        Some(json!({"version": r["version"], "fields": {"cost-centre": "CC-zeppelin"}})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = post(
        app,
        &agent,
        &format!("/api/v1/requests/{id}/notes"),
        json!({"body": "Customer owes us; zeppelin discount applies"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    id
}

#[tokio::test]
async fn a_client_files_a_request_and_the_internal_side_never_reaches_them() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (rival, client, int_reader, agent, boss) = (
        token(&f, 1),
        token(&f, 2),
        token(&f, 3),
        token(&f, 4),
        token(&f, 6),
    );
    // Wrong values are refused, each naming its field; nothing is kept.
    for (fields, code, item) in [
        (json!({}), "request-field-required", "reference"),
        (
            json!({"reference": "R", "cost-centre": "X"}),
            "request-field-unknown",
            "cost-centre",
        ),
        (
            json!({"reference": "R", "amount": {"amount": 5, "currency": "USD"}}),
            "request-field-wrong-currency",
            "amount",
        ),
        (
            json!({"reference": "R", "area": "sales"}),
            "request-field-not-a-choice",
            "area",
        ),
        (
            json!({"reference": 12}),
            "request-field-invalid",
            "reference",
        ),
        (
            json!({"reference": "R", "colour": "red"}),
            "request-field-unknown",
            "colour",
        ),
    ] {
        let (s, v) = file(
            &app,
            &client,
            json!({"type": "support", "title": "T", "fields": fields}),
        )
        .await;
        assert_eq!(
            (s, v["code"].as_str(), v["item"].as_str()),
            (400, Some(code), Some(item)),
            "{v}"
        );
    }
    // Only the fixture's request is there.
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 1);
    let id = {
        let (s, r) = file(
            &app,
            &client,
            json!({"type": "support", "title": "Invoice 7 is wrong",
                   "fields": {"reference": "INV-7", "amount": {"amount": 12_000, "currency": "EUR"}}}),
        )
        .await;
        assert_eq!(s, 201, "{r}");
        let year = r["number"].as_str().unwrap()[4..8].to_string();
        assert_eq!(r["number"], format!("SUP-{year}-00002"));
        assert_eq!(
            keys(&r),
            ["reference", "amount", "area"],
            "no internal field: {r}"
        );
        assert_eq!(r["version"], "1");
        assert_eq!(r["status"]["key"], "new");
        r["id"].as_i64().unwrap()
    };
    let path = format!("/api/v1/requests/{id}");
    // The agent sees the internal field, works on it, leaves a note.
    let (s, seen) = get(&app, &agent, &path).await;
    assert_eq!(s, 200);
    assert_eq!(keys(&seen), ["reference", "amount", "area", "cost-centre"]);
    assert_eq!(seen["version"], "1.1");
    let (s, v) = send(
        &app,
        Method::PATCH,
        &agent,
        &path,
        Some(json!({"version": "1.1", "fields": {"cost-centre": "CC-zeppelin"}})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["version"], "1.2", "only the internal side moved");
    let (s, _) = post(
        &app,
        &agent,
        &format!("{path}/notes"),
        json!({"body": "Customer owes us; zeppelin discount applies"}),
    )
    .await;
    assert_eq!(s, 201);
    // The client and their manager (the type shows the organization's
    // requests) see neither, and nothing of theirs moved.
    for who in [&client, &boss] {
        let (s, r) = get(&app, who, &path).await;
        assert_eq!(s, 200);
        assert_eq!(r["version"], "1", "{r}");
        assert!(!r.to_string().contains("zeppelin"), "{r}");
        let (s, t) = get(&app, who, &format!("{path}/timeline")).await;
        assert_eq!(s, 200);
        assert_eq!(t["items"][0]["what"], "filed", "{t}");
        assert!(
            !t.to_string().contains("zeppelin") && !t.to_string().contains("note"),
            "{t}"
        );
        let (s, _) = get(&app, who, &format!("{path}/preview")).await;
        assert_eq!(s, 404, "previewing is for agents");
        let (s, _) = post(&app, who, &format!("{path}/notes"), json!({"body": "x"})).await;
        assert_eq!(s, 404);
    }
    // The agent's preview is what the client sees.
    let (s, p) = get(&app, &agent, &format!("{path}/preview")).await;
    assert_eq!(s, 200);
    assert_eq!(keys(&p["request"]), ["reference", "amount", "area"]);
    assert!(!p.to_string().contains("zeppelin"), "{p}");
    // Outside the organization and the agents, it does not exist.
    for who in [&rival, &int_reader] {
        let (s, v) = get(&app, who, &path).await;
        assert_eq!(s, 404, "{v}");
        let (s, l) = get(&app, who, "/api/v1/requests").await;
        assert_eq!((s, l["items"].clone()), (200, json!([])));
    }
    // Search: the client finds it by its public words, never by the internal.
    app.until_search(&agent, "zeppelin", "the note is indexed", |v| {
        v["items"]
            .as_array()
            .is_some_and(|r| r.iter().any(|h| h["kind"] == "request_note"))
    })
    .await;
    app.until_search(&client, "invoice", "the request is indexed", |v| {
        v["items"]
            .as_array()
            .is_some_and(|r| r.iter().any(|h| h["kind"] == "request"))
    })
    .await;
    for who in [&client, &boss, &rival, &int_reader] {
        let hits = app.search_api(who, "zeppelin").await;
        assert_eq!(hits["items"], json!([]), "{hits}");
    }
    let hits = app.search_api(&rival, "invoice").await;
    assert_eq!(hits["items"], json!([]), "{hits}");
    // Notifications: agents hear of the new request; of the note, agents only.
    assert_eq!(
        told(&app, "request-new", "request", id).await,
        ["contrib@host.example", "manager@host.example"]
    );
    let notes: i64 = app
        .count(
            "SELECT count(*) FROM notifications n JOIN people p ON p.id = n.person_id
                JOIN organizations o ON o.id = p.org_id
                WHERE n.target_type = 'request_note' AND o.kind <> 'host'",
        )
        .await;
    assert_eq!(notes, 0);
    // The client's own data export holds their request, not its internal side.
    let (s, tar) = crate::personal_data::my_export(&app, &client).await;
    assert_eq!(s, 200);
    let files = crate::personal_data::entries(&tar);
    let requests = crate::personal_data::lines(&files, "requests.jsonl");
    assert_eq!(requests.len(), 2, "the fixture's and this one");
    assert!(requests.iter().any(|r| r["title"] == "Invoice 7 is wrong"));
    assert!(
        requests.iter().all(|r| r.get("internal_fields").is_none()),
        "{requests:?}"
    );
    let all: String = files
        .values()
        .map(|b| String::from_utf8_lossy(b).to_string())
        .collect();
    assert!(
        !all.contains("zeppelin"),
        "the export names the internal side"
    );
}

#[tokio::test]
async fn the_workflow_decides_who_moves_where_and_a_stale_change_is_a_conflict() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (client, agent, manager, boss) = (token(&f, 2), token(&f, 4), token(&f, 5), token(&f, 6));
    let id = worked_on(&app, &f).await;
    let path = format!("/api/v1/requests/{id}");
    let status = |who: &str, to: &str, version: &str| {
        let (app, who, path) = (&app, who.to_string(), path.clone());
        let body = json!({"status": to, "version": version});
        async move { post(app, &who, &format!("{path}/status"), body).await }
    };
    // The client may not start the work.
    let (s, v) = status(&client, "in-progress", "1").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("request-move-not-allowed")),
        "{v}"
    );
    let (s, v) = status(&agent, "in-progress", "1").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"]["key"], "in-progress");
    // A second change from the same old version: a clear conflict.
    let (s, v) = status(&manager, "waiting", "1").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("request-changed")),
        "{v}"
    );
    let (s, v) = status(&agent, "waiting", "2").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["sla"]["paused"], true, "waiting stops the clock");
    // The client's colleague answers and moves it back.
    let (s, _) = post(
        &app,
        &boss,
        &format!("{path}/replies"),
        json!({"body": "Here is the PO."}),
    )
    .await;
    assert_eq!(s, 201);
    let (s, v) = status(&boss, "in-progress", "4").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["sla"]["paused"], false);
    // An agent's reply meets the first-response target.
    let (s, v) = post(
        &app,
        &agent,
        &format!("{path}/replies"),
        json!({"body": "Corrected invoice attached."}),
    )
    .await;
    assert_eq!(s, 201);
    assert!(v["sla"]["responded_at"].is_i64(), "{v}");
    // Rated once closed, by its requester alone.
    let (s, v) = send(
        &app,
        Method::PUT,
        &client,
        &format!("{path}/rating"),
        Some(json!({"rating": 5})),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("request-rating-open")));
    let version = v_of(&app, &agent, &path).await;
    let (s, v) = status(&agent, "resolved", &version).await;
    assert_eq!(s, 200, "{v}");
    assert!(v["closed_at"].is_i64());
    for (who, want) in [(&boss, 404), (&agent, 404)] {
        let (s, _) = send(
            &app,
            Method::PUT,
            who,
            &format!("{path}/rating"),
            Some(json!({"rating": 4})),
        )
        .await;
        assert_eq!(s, want);
    }
    let (s, v) = send(
        &app,
        Method::PUT,
        &client,
        &format!("{path}/rating"),
        Some(json!({"rating": 9})),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (400, Some("request-rating-invalid"))
    );
    let (s, v) = send(
        &app,
        Method::PUT,
        &client,
        &format!("{path}/rating"),
        Some(json!({"rating": 5, "comment": "Quick and clear"})),
    )
    .await;
    assert_eq!((s, v["rating"].as_i64()), (200, Some(5)), "{v}");
    // The timeline tells it all, in order, to the client.
    let (_, t) = get(&app, &client, &format!("{path}/timeline")).await;
    let whats: Vec<&str> = t["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        whats,
        [
            "filed", "status", "status", "reply", "status", "reply", "status", "rating"
        ]
    );
    // The requester is told of the status changes and the agent's reply.
    let told_client = told(&app, "request-status", "request", id).await;
    assert!(
        told_client.contains(&"reader@client.example".to_string()),
        "{told_client:?}"
    );
}

async fn v_of(app: &TestApp, who: &str, path: &str) -> String {
    let (_, r) = get(app, who, path).await;
    r["version"]
        .as_str()
        .unwrap()
        .split('.')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn lists_filter_what_each_reader_sees() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (rival, client, agent, boss, admin) = (
        token(&f, 1),
        token(&f, 2),
        token(&f, 4),
        token(&f, 6),
        token(&f, 7),
    );
    let old = f.ids["requests"];
    let first = worked_on(&app, &f).await;
    let (s, r) = file(
        &app,
        &boss,
        json!({"type": "support", "title": "Late pallet",
        "priority": "urgent", "fields": {"reference": "D-1", "area": "delivery"}}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let second = r["id"].as_i64().unwrap();
    let (s, r) = send(&app, Method::PUT, &agent, &format!("/api/v1/requests/{second}/assignee"),
        Some(json!({"assignee": app.count("SELECT id FROM people WHERE email = 'contrib@host.example'").await}))).await;
    assert_eq!(s, 200, "{r}");
    // Nobody else can be given it.
    let (s, v) = send(&app, Method::PUT, &agent, &format!("/api/v1/requests/{second}/assignee"),
        Some(json!({"assignee": app.count("SELECT id FROM people WHERE email = 'reader@client.example'").await}))).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (400, Some("request-assignee-not-agent"))
    );
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    for (who, query, want) in [
        (&client, "", vec![second, first, old]),
        (&client, "?mine=true", vec![first, old]),
        (&agent, "?priority=urgent", vec![second]),
        (&agent, "?assignee=me", vec![second]),
        (&agent, "?assignee=none", vec![first, old]),
        (&admin, "?open=false", vec![]),
        (&admin, "?type=support&status=new", vec![second, first, old]),
        (&rival, "", vec![]),
        (&agent, "?limit=1", vec![second]),
    ] {
        let (s, l) = get(&app, who, &format!("/api/v1/requests{query}")).await;
        assert_eq!(s, 200, "{query}: {l}");
        assert_eq!(ids(&l), want, "{query}");
    }
    let (_, page) = get(&app, &agent, "/api/v1/requests?limit=1").await;
    let next = page["next"].as_str().unwrap().to_string();
    let (_, rest) = get(
        &app,
        &agent,
        &format!("/api/v1/requests?limit=1&before={next}"),
    )
    .await;
    assert_eq!(ids(&rest), [first]);
    let (_, rest) = get(
        &app,
        &agent,
        &format!("/api/v1/requests?before={}", rest["next"].as_str().unwrap()),
    )
    .await;
    assert_eq!(ids(&rest), [old]);
    for bad in [
        "?from=yesterday",
        "?assignee=someone",
        "?limit=0",
        "?before=x",
        "?colour=red",
    ] {
        let (s, v) = get(&app, &agent, &format!("/api/v1/requests{bad}")).await;
        assert_eq!(s, 400, "{bad}: {v}");
    }
}

#[tokio::test]
async fn the_pages_file_work_on_and_show_a_request_without_the_internal_side() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (client, agent) = (&f.sessions[2], &f.sessions[4]);
    let new = "/spaces/deal/requests/new?type=support";
    let (s, html) = get_text(client, &app.url(new)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("name=\"f.reference\"") && !html.contains("f.cost-centre"),
        "{html}"
    );
    // A wrong amount: the form again, saying which field and keeping what was typed.
    let res = post_form(
        &app,
        client,
        new,
        "/spaces/deal/requests/new",
        &[
            ("type", "support"),
            ("title", "Wrong invoice"),
            ("f.reference", "INV-9"),
            ("f.amount", "twelve"),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("“Amount”") || html.contains("amount"),
        "{html}"
    );
    assert!(html.contains("value=\"INV-9\""), "what was typed stays");
    let res = post_form(
        &app,
        client,
        new,
        "/spaces/deal/requests/new",
        &[
            ("type", "support"),
            ("title", "Wrong invoice"),
            ("f.reference", "INV-9"),
            ("f.amount", "1 234,50"),
            ("f.area", "billing"),
            ("priority", "urgent"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let page = to.split('?').next().unwrap().to_string();
    let (s, html) = get_text(client, &app.url(&to)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("1234.50 EUR") && html.contains("Wrong invoice"),
        "{html}"
    );
    // The agent takes it and leaves a note; the client never sees it.
    let res = post_form(&app, agent, &page, &format!("{page}/take"), &[]).await;
    assert_eq!(res.status(), 303);
    let res = post_form(
        &app,
        agent,
        &page,
        &format!("{page}/note"),
        &[("body", "Check the zeppelin contract")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = get_text(agent, &app.url(&page)).await;
    assert!(
        html.contains("zeppelin") && html.contains("See as the customer"),
        "{html}"
    );
    let (s, preview) = get_text(agent, &app.url(&format!("{page}?view=customer"))).await;
    assert_eq!(s, 200);
    assert!(
        preview.contains("Wrong invoice") && !preview.contains("zeppelin"),
        "{preview}"
    );
    let (s, html) = get_text(client, &app.url(&page)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Wrong invoice") && !html.contains("zeppelin") && !html.contains("/note"),
        "{html}"
    );
    let (s, _) = get_text(client, &app.url(&format!("{page}?view=customer"))).await;
    assert_eq!(s, 404, "the preview is the agents'");
    // The list and its CSV.
    let (s, html) = get_text(client, &app.url("/requests")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Wrong invoice"), "{html}");
    let res = client
        .get(app.url("/requests.csv?mine=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    assert!(
        csv.starts_with("Number,Title,Type") && csv.contains("Wrong invoice"),
        "{csv}"
    );
    // Another client's list is empty, not an error.
    let (s, html) = get_text(&f.sessions[1], &app.url("/requests")).await;
    assert_eq!(s, 200);
    assert!(
        !html.contains("Wrong invoice") && html.contains("No request matches"),
        "{html}"
    );
}

#[tokio::test]
async fn an_erp_upserts_orders_by_its_own_id_and_the_same_body_twice_changes_nothing() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (client, agent) = (token(&f, 2), token(&f, 4));
    let client_id = app
        .count("SELECT id FROM people WHERE email = 'reader@client.example'")
        .await;
    let path = "/api/v1/requests/support/by-external-id/ERP-4711";
    let body = json!({"space": 50, "title": "Order 4711", "requester": client_id,
        "fields": {"reference": "PO-4711", "amount": {"amount": 99_00, "currency": "EUR"}, "cost-centre": "CC-1"}});
    let (s, v) = send(&app, Method::PUT, &agent, path, Some(body.clone())).await;
    assert_eq!((s, v["outcome"].as_str()), (201, Some("created")), "{v}");
    let id = v["request"]["id"].as_i64().unwrap();
    assert_eq!(v["request"]["requester"]["id"], client_id);
    assert_eq!(v["request"]["external_id"], "ERP-4711");
    // The same body again: nothing changes, nothing is recorded.
    let audit = app.audit_count().await;
    let (s, v) = send(&app, Method::PUT, &agent, path, Some(body.clone())).await;
    assert_eq!((s, v["outcome"].as_str()), (200, Some("unchanged")), "{v}");
    assert_eq!(app.audit_count().await, audit);
    // A new status and a new internal value: set as the ERP says, the
    // client sees the status but not the internal change.
    let mut next = body.clone();
    next["status"] = json!("resolved");
    next["fields"]["cost-centre"] = json!("CC-2");
    let (s, v) = send(&app, Method::PUT, &agent, path, Some(next.clone())).await;
    assert_eq!((s, v["outcome"].as_str()), (200, Some("changed")), "{v}");
    assert_eq!(v["request"]["status"]["key"], "resolved");
    assert_eq!(v["request"]["version"], "2.2");
    let (_, seen) = get(&app, &client, &format!("/api/v1/requests/{id}")).await;
    assert_eq!(seen["status"]["key"], "resolved");
    assert!(
        seen.get("external_id").is_none() && !seen.to_string().contains("CC-2"),
        "{seen}"
    );
    let (_, t) = get(&app, &client, &format!("/api/v1/requests/{id}/timeline")).await;
    assert!(!t.to_string().contains("CC-"), "{t}");
    // Only agents upsert; bad input is refused by name and changes nothing.
    let audit = app.audit_count().await;
    let (s, _) = send(&app, Method::PUT, &client, path, Some(next.clone())).await;
    assert_eq!(s, 404);
    for (p, b, code) in [
        (
            path,
            json!({"space": 50, "title": "x", "fields": {"reference": "R"}, "status": "lost"}),
            "request-status-unknown",
        ),
        (
            path,
            json!({"space": 50, "title": "x", "fields": {}}),
            "request-field-required",
        ),
        (
            "/api/v1/requests/nothing/by-external-id/ERP-1",
            next.clone(),
            "request-type-unknown",
        ),
    ] {
        let (s, v) = send(&app, Method::PUT, &agent, p, Some(b)).await;
        assert_eq!((s, v["code"].as_str()), (400, Some(code)), "{v}");
    }
    let long = format!(
        "/api/v1/requests/support/by-external-id/{}",
        "x".repeat(101)
    );
    let (s, v) = send(&app, Method::PUT, &agent, &long, Some(next)).await;
    assert_eq!((s, v["code"].as_str()), (400, Some("request-external-id")));
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(
        app.count("SELECT count(*) FROM requests WHERE external_id IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn a_dashboard_counts_only_what_its_reader_sees() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (rival, boss, agent) = (&f.sessions[1], &f.sessions[6], &f.sessions[4]);
    worked_on(&app, &f).await;
    let answer = parvis::requests::dashboard::dashboard(
        &app.state.db,
        &parvis::access::Actor::system(),
        None,
    )
    .await;
    assert!(answer.is_ok(), "{answer:?}");
    let rival_org = app
        .count("SELECT id FROM organizations WHERE slug = 'rival-co'")
        .await;
    // The client's manager: two requests of the support type, open; asking
    // for another organization still shows their own.
    for path in [
        "/requests/dashboard",
        &format!("/requests/dashboard?organization={rival_org}"),
    ] {
        let (s, html) = get_text(boss, &app.url(path)).await;
        assert_eq!(s, 200);
        assert!(
            html.contains("<td>Support</td><td>2</td><td>0</td>"),
            "{html}"
        );
        assert!(
            html.contains("<svg") && html.contains("aria-hidden=\"true\""),
            "{html}"
        );
    }
    let res = boss
        .get(app.url("/requests/dashboard?figure=months"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.contains("EUR,120.00"), "the public amount: {csv}");
    // The rival sees nothing of it, and no internal amount leaks anywhere.
    let (s, html) = get_text(rival, &app.url("/requests/dashboard")).await;
    assert_eq!(s, 200);
    assert!(
        !html.contains("Support") && html.contains("Requests dashboard"),
        "{html}"
    );
    // An agent sees the organization they choose, or everything.
    let client_org = app
        .count("SELECT id FROM organizations WHERE slug = 'client-co'")
        .await;
    let (_, html) = get_text(
        agent,
        &app.url(&format!("/requests/dashboard?organization={client_org}")),
    )
    .await;
    assert!(
        html.contains("<td>Support</td><td>2</td><td>0</td>"),
        "{html}"
    );
    let (_, html) = get_text(
        agent,
        &app.url(&format!("/requests/dashboard?organization={rival_org}")),
    )
    .await;
    assert!(!html.contains("<td>Support</td>"), "{html}");
    let res = boss
        .get(app.url("/requests/dashboard?figure=secrets"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    // Ratings: counted by stars, the latest words shown, to the
    // organization and its agents only.
    app.sql(&format!(
        "UPDATE requests SET rating = 4, rating_comment = 'Clear and quick answer'
          WHERE id = (SELECT min(id) FROM requests WHERE org_id = {client_org})"
    ))
    .await;
    let (_, html) = get_text(boss, &app.url("/requests/dashboard")).await;
    assert!(
        html.contains("4.0 / 5") && html.contains("One rating"),
        "{html}"
    );
    assert!(html.contains("Clear and quick answer"), "{html}");
    let res = boss
        .get(app.url("/requests/dashboard?figure=ratings"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert_eq!(
        lines,
        ["Étoiles,Demandes", "5,0", "4,1", "3,0", "2,0", "1,0"]
    );
    let (s, html) = get_text(rival, &app.url("/requests/dashboard")).await;
    assert_eq!(s, 200);
    assert!(
        !html.contains("Clear and quick") && html.contains("Rating of answers"),
        "{html}"
    );
    let (_, html) = get_text(
        agent,
        &app.url(&format!("/requests/dashboard?organization={client_org}")),
    )
    .await;
    assert!(html.contains("Clear and quick answer"), "{html}");
}

#[tokio::test]
async fn agents_change_many_requests_at_once_each_as_it_would_be_alone() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (client, agent) = (token(&f, 2), token(&f, 4));
    let (old, new) = (f.ids["requests"], worked_on(&app, &f).await);
    let (s, out) = post(
        &app,
        &agent,
        "/api/v1/requests/bulk",
        json!({"ids": [old, new, 999_999], "status": "in-progress", "priority": "urgent"}),
    )
    .await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["changed"], json!([old, new]));
    assert_eq!(
        out["refused"],
        json!([{"id": 999_999, "code": "not-found"}])
    );
    for id in [old, new] {
        let (_, r) = get(&app, &client, &format!("/api/v1/requests/{id}")).await;
        assert_eq!(
            (r["status"]["key"].as_str(), r["priority"]["key"].as_str()),
            (Some("in-progress"), Some("urgent"))
        );
    }
    // A move the workflow forbids is refused for that request alone.
    let (_, out) = post(
        &app,
        &agent,
        "/api/v1/requests/bulk",
        json!({"ids": [old], "status": "new"}),
    )
    .await;
    assert_eq!(
        out["refused"],
        json!([{"id": old, "code": "request-move-not-allowed"}])
    );
    // The client may not change priorities: as if the request were not there.
    let audit = app.audit_count().await;
    let (s, out) = post(
        &app,
        &client,
        "/api/v1/requests/bulk",
        json!({"ids": [new], "priority": "normal"}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(out["refused"], json!([{"id": new, "code": "not-found"}]));
    assert_eq!(app.audit_count().await, audit);
    for bad in [
        json!({"ids": [], "status": "new"}),
        json!({"ids": [old]}),
        json!({"ids": (0..501).collect::<Vec<i64>>(), "status": "new"}),
    ] {
        let (s, _) = post(&app, &agent, "/api/v1/requests/bulk", bad).await;
        assert_eq!(s, 400);
    }
}
