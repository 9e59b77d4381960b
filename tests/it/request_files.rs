//! Files sent with requests: ahead of a filing for a file field, with a
//! reply or an internal note, through the API and the pages; seen as the
//! entry that brought them (an internal one by agents alone); counted in
//! the space's quota; refused to whoever may not send or see them, with
//! nothing kept.

use crate::discussions::{get, post, send, token};
use crate::helpers::*;
use crate::requests::support_type;
use crate::role_matrix::fixture;
use reqwest::Method;
use serde_json::{Value, json};

/// The deal room's support type (the fixture's), in a new version with a
/// proof to attach (public) and a scan for agents alone.
async fn define_with_files(app: &TestApp, admin: &str) {
    let mut t = support_type("support", "SUP");
    let fields = t["definition"]["fields"].as_array_mut().unwrap();
    fields.push(
        json!({"key": "proof", "label_en": "Proof", "label_fr": "Justificatif",
                       "kind": {"type": "file"}}),
    );
    fields.push(
        json!({"key": "scan", "label_en": "Scan", "label_fr": "Scan",
                       "kind": {"type": "file"}, "internal": true}),
    );
    let (s, types) = get(app, admin, "/api/v1/request-types").await;
    assert_eq!(s, 200);
    let id = types["items"][0]["id"].as_i64().unwrap();
    let (s, v) = send(
        app,
        Method::PUT,
        admin,
        &format!("/api/v1/request-types/{id}"),
        Some(json!({"definition": t["definition"]})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
}

/// Sends `bytes` as a raw body to `path`: the status and the answer.
async fn send_bytes(app: &TestApp, who: &str, path: &str, bytes: &[u8]) -> (u16, Value) {
    let res = app
        .bare_client()
        .post(app.url(path))
        .bearer_auth(who)
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

async fn bytes_of(app: &TestApp, who: &str, path: &str) -> (u16, Vec<u8>) {
    let res = app
        .bare_client()
        .get(app.url(path))
        .bearer_auth(who)
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    (s, res.bytes().await.unwrap().to_vec())
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn files_travel_with_requests_and_are_seen_as_what_brought_them() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (rival, client, int_reader, agent) =
        (token(&f, 1), token(&f, 2), token(&f, 3), token(&f, 4));
    define_with_files(&app, &token(&f, 7)).await;
    let files = || app.count("SELECT count(*) FROM request_files");

    // Sent ahead of the filing: waiting, the sender's alone.
    let (s, proof) = send_bytes(
        &app,
        &client,
        "/api/v1/spaces/50/request-files?name=proof.pdf",
        b"%PDF-1.4 proof of delivery",
    )
    .await;
    assert_eq!(s, 201, "{proof}");
    assert_eq!(
        (proof["request"].clone(), proof["name"].as_str()),
        (Value::Null, Some("proof.pdf"))
    );
    let proof_id = proof["id"].as_i64().unwrap();
    // Someone else may not name it, nor send to a space they do not read.
    let before = files().await;
    let (s, v) = post(
        &app,
        &int_reader,
        "/api/v1/spaces/50/requests",
        json!({"type": "support", "title": "Borrowed proof",
               "fields": {"reference": "X-1", "proof": proof_id}}),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str(), v["item"].as_str()),
        (400, Some("request-field-not-found"), Some("proof")),
        "{v}"
    );
    let (s, _) = send_bytes(
        &app,
        &rival,
        "/api/v1/spaces/50/request-files?name=x.txt",
        b"spam",
    )
    .await;
    assert_eq!(s, 404);
    // A customer may not fill an internal file field, whatever they send.
    let (s, v) = post(
        &app,
        &client,
        "/api/v1/spaces/50/requests",
        json!({"type": "support", "title": "Scan", "fields": {"reference": "X-2", "scan": proof_id}}),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (400, Some("request-field-unknown")),
        "{v}"
    );
    assert_eq!(files().await, before, "nothing kept by refusals");

    // Filed with its proof: the file now belongs to the request.
    let (s, r) = post(
        &app,
        &client,
        "/api/v1/spaces/50/requests",
        json!({"type": "support", "title": "Delivery 12 damaged",
               "fields": {"reference": "DEL-12", "proof": proof_id}}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    assert_eq!(names(&r["files"]), ["proof.pdf"]);
    let (s, body) = bytes_of(
        &app,
        &client,
        &format!("/api/v1/requests/{id}/files/{proof_id}"),
    )
    .await;
    assert_eq!(
        (s, body.as_slice()),
        (200, &b"%PDF-1.4 proof of delivery"[..])
    );

    // The agent answers with an invoice, and keeps a scan for agents.
    let (s, v) = send_bytes(
        &app,
        &agent,
        &format!("/api/v1/requests/{id}/files?name=invoice.pdf"),
        b"%PDF-1.4 invoice 12",
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let invoice = v["items"][0]["id"].as_i64().unwrap();
    let (s, v) = send_bytes(
        &app,
        &agent,
        &format!("/api/v1/requests/{id}/files?name=scan.txt&internal=true"),
        b"our own damage report",
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let scan = v["items"][0]["id"].as_i64().unwrap();
    assert_eq!(v["items"][0]["internal"], true);

    // The client sees the proof and the invoice; the scan does not exist for them.
    let (s, list) = get(&app, &client, &format!("/api/v1/requests/{id}/files")).await;
    assert_eq!(s, 200);
    assert_eq!(names(&list["items"]), ["proof.pdf", "invoice.pdf"]);
    let (s, _) = bytes_of(
        &app,
        &client,
        &format!("/api/v1/requests/{id}/files/{scan}"),
    )
    .await;
    assert_eq!(s, 404);
    let (s, list) = get(&app, &agent, &format!("/api/v1/requests/{id}/files")).await;
    assert_eq!(s, 200);
    assert_eq!(
        names(&list["items"]),
        ["proof.pdf", "invoice.pdf", "scan.txt"]
    );
    let (s, tl) = get(&app, &client, &format!("/api/v1/requests/{id}/timeline")).await;
    assert_eq!(s, 200);
    let said = tl.to_string();
    assert!(
        said.contains("invoice.pdf") && !said.contains("scan.txt"),
        "{said}"
    );
    // A customer's internal file, or a file of another request by its id: refused.
    let (s, v) = send_bytes(
        &app,
        &client,
        &format!("/api/v1/requests/{id}/files?name=n.txt&internal=true"),
        b"x",
    )
    .await;
    assert_eq!(s, 404, "{v}");
    let (s, _) = bytes_of(
        &app,
        &client,
        &format!("/api/v1/requests/{}/files/{invoice}", id + 1000),
    )
    .await;
    assert_eq!(s, 404);
    // The rival: as if none of it existed.
    for path in [
        format!("/api/v1/requests/{id}/files"),
        format!("/api/v1/requests/{id}/files/{invoice}"),
    ] {
        let (s, _) = bytes_of(&app, &rival, &path).await;
        assert_eq!(s, 404, "{path}");
    }
    let before = files().await;
    let (s, _) = send_bytes(
        &app,
        &rival,
        &format!("/api/v1/requests/{id}/files?name=x.txt"),
        b"spam",
    )
    .await;
    assert_eq!(s, 404);
    // A bad name, and a space out of room: clear refusals, nothing kept.
    let (s, v) = send_bytes(
        &app,
        &agent,
        &format!("/api/v1/requests/{id}/files?name=..%2Fetc"),
        b"x",
    )
    .await;
    assert_eq!(s, 400, "{v}");
    app.sql("UPDATE spaces SET quota_bytes = 64 WHERE id = 50")
        .await;
    let (s, v) = send_bytes(
        &app,
        &agent,
        &format!("/api/v1/requests/{id}/files?name=big.bin"),
        &[7u8; 100],
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (507, Some("quota-exceeded")),
        "{v}"
    );
    app.sql("UPDATE spaces SET quota_bytes = NULL WHERE id = 50")
        .await;
    assert_eq!(files().await, before);

    // The pages: the client's shows the invoice, never the scan.
    let (client_web, agent_web) = (&f.sessions[2], &f.sessions[4]);
    let page = format!("/requests/{id}");
    let (s, html) = get_text(client_web, &app.url(&page)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("invoice.pdf") && html.contains("proof.pdf"),
        "{html}"
    );
    assert!(!html.contains("scan.txt"), "the internal file stays hidden");
    let res = client_web
        .get(app.url(&format!("/requests/{id}/files/{scan}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = client_web
        .get(app.url(&format!("/requests/{id}/files/{invoice}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice%2Epdf"
    );
    // A reply from the page with a file and no words.
    let (_, html) = get_text(agent_web, &app.url(&page)).await;
    let csrf = csrf_in(&html);
    let form = reqwest::multipart::Form::new().text("body", "").part(
        "files",
        reqwest::multipart::Part::bytes(b"delivery note 12".to_vec())
            .file_name("C:\\scans\\note.txt"),
    );
    let res = agent_web
        .post(app.url(&format!("/requests/{id}/reply?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (s, html) = get_text(client_web, &app.url(&page)).await;
    assert_eq!(s, 200);
    assert!(html.contains("note.txt"), "{html}");
    // Files larger than an ordinary form's body limit: the upload limits apply.
    let big = vec![b'x'; 3 * 1024 * 1024];
    let (s, v) = send_bytes(
        &app,
        &agent,
        &format!("/api/v1/requests/{id}/files?name=big.log"),
        &big,
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let form = reqwest::multipart::Form::new()
        .text("body", "The full log")
        .part(
            "files",
            reqwest::multipart::Part::bytes(big.clone()).file_name("full.log"),
        );
    let res = agent_web
        .post(app.url(&format!("/requests/{id}/reply?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (s, body) = bytes_of(
        &app,
        &client,
        &format!("/api/v1/requests/{id}/files/{}", v["items"][0]["id"]),
    )
    .await;
    assert_eq!((s, body.len()), (200, big.len()));
    // A note from the page with a file: agents alone see it.
    let form = reqwest::multipart::Form::new()
        .text("body", "The carrier's photos")
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"jpeg-ish".to_vec()).file_name("carrier.jpg"),
        );
    let res = agent_web
        .post(app.url(&format!("/requests/{id}/note?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, html) = get_text(agent_web, &app.url(&page)).await;
    assert!(html.contains("carrier.jpg"));
    let (s, html) = get_text(client_web, &app.url(&page)).await;
    assert_eq!(s, 200);
    assert!(html.contains("note.txt") && !html.contains("carrier.jpg"));
    let (s, v) = send(
        &app,
        Method::GET,
        &client,
        &format!("/api/v1/requests/{id}"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        names(&v["files"]),
        [
            "proof.pdf",
            "invoice.pdf",
            "note.txt",
            "big.log",
            "full.log"
        ]
    );
}

#[tokio::test]
async fn the_filing_form_takes_a_file_for_a_file_field() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    define_with_files(&app, &token(&f, 7)).await;
    let client = &f.sessions[2];
    let new = "/spaces/deal/requests/new?type=support";
    let (s, html) = get_text(client, &app.url(new)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("type=\"file\"") && html.contains("name=\"f.proof\""),
        "{html}"
    );
    assert!(
        !html.contains("f.scan"),
        "an internal file field is not the client's"
    );
    let csrf = csrf_in(&html);
    let form = || {
        reqwest::multipart::Form::new()
            .text("type", "support")
            .text("title", "Broken pallet")
            .part(
                "f.proof",
                reqwest::multipart::Part::bytes(b"photo".to_vec()).file_name("pallet.jpg"),
            )
    };
    // The reference is missing: the form again, the file kept and named.
    let res = client
        .post(app.url(&format!("/spaces/deal/requests/new?_csrf={csrf}")))
        .multipart(form())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("pallet.jpg"),
        "the file sent is named: {html}"
    );
    let waiting: i64 = app
        .count("SELECT id FROM request_files WHERE request_id IS NULL AND name = 'pallet.jpg'")
        .await;
    assert!(
        html.contains(&format!("value=\"{waiting}\"")),
        "and carried: {html}"
    );
    // Sent again with the reference and without a new file: filed with it.
    let form = reqwest::multipart::Form::new()
        .text("type", "support")
        .text("title", "Broken pallet")
        .text("f.reference", "PAL-3")
        .text("f.proof", waiting.to_string());
    let res = client
        .post(app.url(&format!("/spaces/deal/requests/new?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let (s, html) = get_text(client, &app.url(&to)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("pallet.jpg") && html.contains("PAL-3"),
        "{html}"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM request_files WHERE request_id IS NULL")
            .await,
        0
    );
}
