//! The role matrix for changes: every API route that changes something is
//! sent a valid request (an example body the route accepts) by each caller
//! it must refuse, and then by the least privileged caller it must accept.
//! The refusals come first, for every route, while the deal room is whole;
//! the accepted changes after, with what removes things last, so that each
//! one still finds what it changes.

use crate::helpers::*;
use crate::role_matrix::{Fixture, WHO, concrete, expected, fixture};
use parvis::web::api::Endpoint;
use reqwest::Method;
use serde_json::{Value, json};

/// A request body the route accepts, made unique by `n` where a second
/// one would conflict with the first.
enum Example {
    None,
    Json(Value),
    Bytes(Vec<u8>, &'static str),
    Form,
}

fn example(method: &str, schema: Option<&str>, n: usize) -> Example {
    let Some(schema) = schema else {
        return Example::None;
    };
    Example::Json(match schema {
        "NewToken" => json!({"name": format!("token {n}")}),
        "NewInvitation" => json!({
            "email": format!("guest{n}@client.example"), "name": format!("Guest {n}"),
            "organization": "client-co", "spaces": [{"space": "deal", "role": "reader"}],
        }),
        "NewOrganization" => {
            json!({"name": format!("Org {n}"), "kind": "partner", "slug": format!("org-{n}")})
        }
        "OrganizationChanges" => json!({"name": format!("Client Co {n}")}),
        "PortalInput" if method == "patch" => json!({"name": format!("Portal {n}")}),
        "PortalInput" => json!({"name": format!("Portal {n}"), "slug": format!("portal-{n}"),
                                "hostnames": [format!("p{n}.example")], "audience": ["client"]}),
        "NewPerson" => json!({"email": format!("new{n}@host.example"), "name": format!("New {n}")}),
        "PersonChanges" => json!({"title": format!("Title {n}")}),
        "NewGroup" => json!({"name": format!("Group {n}"), "slug": format!("group-{n}")}),
        "GroupChanges" => json!({"name": format!("Team {n}")}),
        "NewSpace" => {
            json!({"name": format!("Space {n}"), "slug": format!("space-{n}"), "visibility": "members"})
        }
        "SpaceChanges" => json!({"description": format!("Described {n}")}),
        "Grant" => json!({"group": "team", "role": "reader"}),
        "NewFolder" => json!({"name": format!("Folder {n}")}),
        "FolderChanges" => json!({"name": format!("Contracts {n}")}),
        "NewRestriction" => json!({"min_role": "reader", "people": [], "groups": []}),
        "DocumentChanges" => json!({"description": format!("Described {n}")}),
        "CopyTarget" => json!({"space": 50, "name": format!("copy-{n}.png")}),
        "NewShare" => json!({"days": 3}),
        "NewsBody" => json!({"title": format!("News {n}"), "body": "Text", "place": "space:50",
                             "publish": "now", "requires_ack": true}),
        "ForumBody" => json!({"name": format!("Forum {n}"), "mode": "questions"}),
        "NewTopic" => json!({"title": format!("Topic {n}"), "body": "Hello"}),
        "TopicChanges" => json!({"title": format!("Topic {n}")}),
        "TopicModeration" => json!({"pinned": n.is_multiple_of(2)}),
        "ReplyBody" => json!({"body": format!("Reply {n}")}),
        "CommentBody" => json!({"body": format!("Comment {n}")}),
        "NotificationPreferencesChange" => {
            json!({"topics": {"news": if n.is_multiple_of(2) { "daily" } else { "weekly" }}})
        }
        "NewRequestType" => crate::requests::support_type(&format!("type-{n}"), &format!("T{n}")),
        "RequestTypeVersion" => {
            let mut d = crate::requests::support_type("support", "SUP")["definition"].clone();
            d["name_en"] = json!(format!("Support {n}"));
            json!({"definition": d})
        }
        "Archive" => json!({"archived": false}),
        "NewRequest" => json!({"type": "support", "title": format!("Request {n}"),
                               "fields": {"reference": format!("R-{n}")}}),
        // `current`: the request's version when the change is sent (`ask`).
        "RequestPatch" => json!({"version": "current", "title": format!("Title {n}")}),
        "RequestMove" => json!({"version": "current", "status": "cancelled"}),
        "RequestAssignee" => json!({"assignee": null}),
        "RequestUpsert" => {
            json!({"space": 50, "title": format!("Order {n}"), "fields": {"reference": format!("PO-{n}")}, "status": "in-progress"})
        }
        "RequestBulk" => json!({"ids": [1], "priority": "normal"}),
        "RequestText" => json!({"body": format!("Text {n}")}),
        "RequestRating" => json!({"rating": 4, "comment": format!("Rated {n}")}),
        "FileContent" => return Example::Bytes(crate::documents::png(8, 8), "image/png"),
        "FileForm" => return Example::Form,
        "RequestCsv" => {
            let csv = format!("external_id,title,reference\nCSV-{n},Order {n},PO-{n}\n");
            return Example::Bytes(csv.into_bytes(), "text/csv");
        }
        "ApprovalTemplateBody" => json!({"name": format!("Flow {n}"), "definition": {"steps": [
            {"name": "Managers", "approvers": [{"type": "role", "role": "manager"}]}]}}),
        // `fixture`: the fixture's template (`ask`).
        "ApprovalStart" | "ApprovalBindingBody" => json!({"template": "fixture"}),
        // `current`: the flow's bytes when the decision is sent (`ask`).
        "ApprovalDecision" => json!({"decision": "approve", "blake3": "current"}),
        // Ending a delegation: what anyone signed in may always do.
        "ApprovalDelegationBody" => json!({"delegate": null}),
        "ApprovalRequestStart" => json!({"status": "ordered"}),
        "ApprovalNoteBody" => json!({"body": format!("Note {n}")}),
        "ApprovalRecord" => json!({"format": "parvis-approval-record/1", "decisions": []}),
        other => panic!("no example body for {other}: add one here"),
    })
}

/// Asks `path` as caller `i` with the route's example body.
async fn ask(app: &TestApp, f: &Fixture, e: &Endpoint, path: &str, i: usize, n: usize) -> u16 {
    let method = Method::from_bytes(e.method.to_uppercase().as_bytes()).unwrap();
    let mut url = app.url(path);
    if e.body == Some("FileContent")
        && (path.ends_with("/files") || path.ends_with("/request-files"))
    {
        url.push_str(&format!("?name=upload-{n}.png"));
    }
    if path.ends_with("/import") {
        url.push_str("?space=50");
    }
    let mut req = app.bare_client().request(method, url);
    if let Some(t) = &f.tokens[i] {
        req = req.bearer_auth(t);
    }
    req = match example(e.method, e.body, n) {
        Example::None => req,
        Example::Json(mut v) => {
            if v["version"] == "current" {
                v["version"] = current_version(app, f, path).await;
            }
            if v["template"] == "fixture" {
                v["template"] = json!(f.ids["approval-template"]);
            }
            if v["blake3"] == "current" {
                let flow = app
                    .api_get(
                        f.tokens[5].as_deref().unwrap_or_default(),
                        &path.replace("/decisions", ""),
                    )
                    .await;
                v["blake3"] = flow["document"]["blake3"].clone();
            }
            req.json(&v)
        }
        Example::Bytes(b, media) => req.header("content-type", media).body(b),
        Example::Form => {
            let part = reqwest::multipart::Part::bytes(crate::documents::png(8, 8))
                .file_name(format!("form-{n}.png"))
                .mime_str("image/png")
                .unwrap();
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
    };
    req.send().await.unwrap().status().as_u16()
}

/// The version of the request `path` names, as its agents see it.
async fn current_version(app: &TestApp, f: &Fixture, path: &str) -> Value {
    let id = path
        .split('/')
        .skip_while(|s| *s != "requests")
        .nth(1)
        .expect("a request's path");
    let admin = f.tokens[7].clone().expect("the administrator's token");
    app.api_get(&admin, &format!("/api/v1/requests/{id}")).await["version"].clone()
}

/// Where an accepted change goes in the second pass: additions and edits
/// first; then what removes a part of something (a lock, a link, a
/// member, a logo); then what goes to the trash, and comes back from it;
/// discussions from the inside out; what removes a whole (people,
/// organizations, portals, groups, the space itself) last.
fn order(e: &Endpoint) -> u8 {
    let whole = e.path.ends_with("/erase")
        || (e.method == "delete"
            && ["people", "organizations", "portals", "groups", "spaces"]
                .iter()
                .any(|w| e.path == format!("/api/v1/{w}/{{id}}")));
    // Things in the space that go whole, after their parts (a post's cover).
    let trash = e.method == "delete"
        && [
            "/api/v1/documents/{id}",
            "/api/v1/folders/{id}",
            "/api/v1/news/{id}",
            "/api/v1/replies/{id}",
        ]
        .contains(&e.path);
    // Discussions go from the inside out: replies (with the trash), then
    // topics, then forums, before the space itself.
    let discussion = |path: &str| e.method == "delete" && e.path == path;
    match () {
        _ if whole => 7,
        _ if discussion("/api/v1/forums/{id}") => 6,
        _ if e.path.ends_with("/untrash") => 5,
        _ if discussion("/api/v1/topics/{id}") => 4,
        _ if trash => 3,
        _ if e.method == "delete" => 2,
        _ => 1,
    }
}

/// The item an accepted change acts on, where the deal room's own would not
/// do: an organization or a portal made in this pass (the client's has
/// people, the default portal stays), a token of the caller's, someone
/// other than the reader to erase.
async fn own_target(app: &TestApp, e: &Endpoint, path: String) -> String {
    let id = match (e.method, e.path) {
        ("delete", "/api/v1/organizations/{id}") => "SELECT max(id) FROM organizations",
        ("delete", "/api/v1/portals/{id}") => "SELECT max(id) FROM portals",
        // The fixture's type has requests: one made in this pass has none.
        ("delete", "/api/v1/request-types/{id}") => "SELECT max(id) FROM request_types",
        ("delete", "/api/v1/me/tokens/{id}") => {
            "SELECT max(t.id) FROM api_tokens t JOIN people p ON p.id = t.person_id
             WHERE p.email = 'rival@rival.example'"
        }
        ("post", "/api/v1/notifications/{id}/read") => {
            "SELECT max(n.id) FROM notifications n JOIN people p ON p.id = n.person_id
             WHERE p.email = 'rival@rival.example'"
        }
        ("post", "/api/v1/people/{id}/erase") => {
            "SELECT id FROM people WHERE email = 'boss@client.example'"
        }
        _ => return path,
    };
    let id = app.count(id).await;
    e.path.replace("{id}", &id.to_string())
}

#[tokio::test]
async fn every_change_is_refused_to_whom_it_must_be_and_done_for_the_least_allowed() {
    let app = TestApp::spawn().await;
    let mut f = fixture(&app).await;
    crate::role_matrix::add_purchase(&app, &mut f).await;
    let g = parvis::web::csrf::Guard { max_form: 1 };
    let api = parvis::server::api::routes(&g, app.state.kinds);
    let print = std::env::var("ROLE_MATRIX_PRINT").is_ok();
    let mut changes: Vec<&Endpoint> = api.endpoints.iter().filter(|e| e.method != "get").collect();
    changes.sort_by_key(|e| order(e));
    let path_of = |e: &Endpoint| {
        let mut path = concrete(e.path, &f);
        if e.path.ends_with("/members") && e.method == "delete" {
            path.push_str("?person=reader@host.example");
        }
        path
    };
    let mut wrong = Vec::new();
    let mut n = 0;
    let mut refused = 0;
    let before = app.count("SELECT count(*) FROM audit_events").await;
    // 1. Every refusal, while everything is there.
    for e in &changes {
        let want = expected(e.need).expect("every route says who may call it");
        let path = path_of(e);
        for i in (0..8).filter(|&i| want[i] >= 400) {
            n += 1;
            let got = ask(&app, &f, e, &path, i, n).await;
            refused += 1;
            if got != want[i] {
                wrong.push(format!(
                    "{} {path} as {}: {got} (wanted {})",
                    e.method, WHO[i], want[i]
                ));
            }
        }
    }
    // Refused, they changed nothing: not one audit entry.
    let audited = app.count("SELECT count(*) FROM audit_events").await;
    assert_eq!(audited, before, "a refused change was recorded");
    // The rival has a notification (of their own profile) to mark read.
    app.sql(
        "INSERT INTO notifications (person_id, reason, target_type, target_id, audit_id, created_at)
         SELECT id, 'space-added', 'person', id, 0, 0 FROM people WHERE email = 'rival@rival.example'",
    )
    .await;
    // 2. The least privileged caller each route accepts.
    let mut accepted = 0;
    for e in &changes {
        let want = expected(e.need).expect("every route says who may call it");
        let Some(i) = (0..8).find(|&i| want[i] < 400) else {
            continue;
        };
        let path = own_target(&app, e, path_of(e)).await;
        n += 1;
        let got = ask(&app, &f, e, &path, i, n).await;
        if print {
            eprintln!("{:?} {} {path} as {}: {got}", e.need, e.method, WHO[i]);
        }
        if (200..300).contains(&got) {
            accepted += 1;
        } else {
            wrong.push(format!(
                "{} {path} as {}: {got} (wanted a success)",
                e.method, WHO[i]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "the role matrix of changes disagrees:\n{}",
        wrong.join("\n")
    );
    assert!(refused > 100, "only {refused} refusals were asked");
    assert!(accepted > 30, "only {accepted} changes were accepted");
}
