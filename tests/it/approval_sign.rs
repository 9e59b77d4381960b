//! A signatory without an account, asked for one decision: the link comes
//! by e-mail and shows nothing by itself; a one-time code sent to the same
//! address opens, for that browser alone, that version and the decision;
//! nobody else (the flow's starter included) can act in their place; the
//! link dies with its decision, and with a new version of the file.

use crate::helpers::*;
use crate::mail::SmtpSink;
use parvis::access::Actor;
use parvis::approvals::flows::Decision;
use parvis::approvals::service;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const BASE: &str = "https://intranet.lumen.example";

struct Setup {
    app: TestApp,
    token: String,
    sofia: Actor,
}

async fn setup(sink: &SmtpSink) -> Setup {
    let app = TestApp::spawn_with(|c| {
        sink.relay(c);
        c.server.public_url = BASE.into();
    })
    .await;
    let token = deal_room_in(&app).await;
    let sofia = crate::approvals::actor(&app, "sofia@host.example").await;
    Setup { app, token, sofia }
}

/// The mails to `to` with `subject` once there are `n` of them.
async fn mails(sink: &SmtpSink, to: &str, subject: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let got: Vec<String> = sink
            .account_mails()
            .into_iter()
            .filter(|(s, t, _)| s == subject && t.contains(to))
            .map(|(_, _, body)| body)
            .collect();
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "{n} mails «{subject}» to {to}: {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The path of the signing link in a mail.
fn link_in(body: &str) -> String {
    body.split_whitespace()
        .find_map(|w| w.strip_prefix(BASE))
        .filter(|p| p.starts_with("/sign/"))
        .expect("a signing link")
        .to_string()
}

fn code_in(body: &str) -> String {
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a six-digit code")
        .to_string()
}

/// Types `code` on the link's page with `client`.
async fn try_code(
    s: &Setup,
    client: &reqwest::Client,
    link: &str,
    code: &str,
) -> reqwest::Response {
    post_form(
        &s.app,
        client,
        link,
        &format!("{link}/open"),
        &[("code", code)],
    )
    .await
}

/// What the link's download answers `client`.
async fn file_status(s: &Setup, client: &reqwest::Client, link: &str) -> u16 {
    client
        .get(s.app.url(&format!("{link}/file")))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn upload(s: &Setup, name: &str, body: &[u8]) -> (i64, String) {
    let status = upload_to_deal_room(&s.app, &s.token, name, body.to_vec()).await;
    assert!(status == 200 || status == 201, "{status}");
    let id = s
        .app
        .count(&format!("SELECT id FROM documents WHERE name = '{name}'"))
        .await;
    (id, blake3::hash(body).to_hex().to_string())
}

#[tokio::test]
async fn a_signatory_without_an_account_decides_once_with_a_link_and_a_code() {
    let sink = SmtpSink::start();
    let s = setup(&sink).await;
    let db = &s.app.state.db;
    let signatory =
        json!({"type": "signatory", "email": "Jane@Signatory.example", "name": "Jane Signatory"});

    // A signatory is checked like any approver; never a backup, and
    // nobody stands in for one.
    for (def, said) in [
        (
            json!({"steps": [{"name": "Sign", "approvers": [{"type": "signatory", "email": "not an address", "name": "Jane"}]}]}),
            "approval-signatory@1",
        ),
        (
            json!({"steps": [{"name": "Sign", "approvers": [{"type": "signatory", "email": "jane@signatory.example", "name": " "}]}]}),
            "approval-signatory@1",
        ),
        (
            json!({"steps": [{"name": "Sign", "deadline_days": 2, "approvers": [{"type": "role", "role": "manager"}],
                "backup": [signatory.clone()]}]}),
            "approval-signatory-backup@1",
        ),
        (
            json!({"steps": [{"name": "Sign", "deadline_days": 2, "approvers": [signatory.clone()],
                "backup": [{"type": "role", "role": "manager"}]}]}),
            "approval-signatory-backup@1",
        ),
    ] {
        let err = service::save_template(db, &s.sofia, 7, "Bad", def)
            .await
            .unwrap_err();
        assert_eq!(crate::approvals::code(err), said);
    }
    let template = service::save_template(
        db,
        &s.sofia,
        7,
        "Client signature",
        json!({"steps": [{"name": "Client signature", "approvers": [signatory]}]}),
    )
    .await
    .unwrap();
    let (doc, hash) = upload(&s, "Contract.pdf", b"%PDF contract v1").await;
    let flow = service::start(db, &s.sofia, doc, template.id)
        .await
        .unwrap();

    // The link comes by mail; the instance keeps its hash only, and shows
    // it to nobody. The starter cannot decide in the signatory's place,
    // nor does anyone stand in before a deadline.
    let invitation = mails(
        &sink,
        "jane@signatory.example",
        "Your decision is asked on Contract.pdf",
        1,
    )
    .await;
    let link = link_in(&invitation[0]);
    let secret = link.trim_start_matches("/sign/").to_string();
    assert_eq!(secret.len(), 43);
    assert!(invitation[0].contains("Sofia Almeida asks for your decision"));
    let seen = s
        .app
        .api_get(&s.token, &format!("/api/v1/approvals/{}", flow.id))
        .await;
    assert!(!seen.to_string().contains(&secret));
    let sofia = s.app.signed_in("sofia@host.example", PASSWORD).await;
    let (_, html) = get_text(&sofia, &s.app.url(&format!("/files/{doc}/approvals"))).await;
    assert!(html.contains("Client signature") && !html.contains(&secret));
    assert!(!html.contains("approval-decide"), "no form for the starter");
    assert_eq!(
        crate::approvals::code(
            service::decide(db, &s.sofia, flow.id, Decision::Approve, "", &hash)
                .await
                .unwrap_err()
        ),
        "Forbidden"
    );
    assert!(service::waiting(db, &s.sofia).await.unwrap().is_empty());
    let dump = s
        .app
        .count(&format!(
            "SELECT count(*) FROM approval_signatories WHERE instr(token_hash, CAST('{secret}' AS BLOB)) > 0"
        ))
        .await;
    assert_eq!(dump, 0, "the link is not kept");

    // The link alone shows nothing of the file.
    let jane = s.app.client();
    let (status, html) = get_text(&jane, &s.app.url(&link)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Hello Jane Signatory") && html.contains("j•••@signatory.example"),
        "{html}"
    );
    assert!(!html.contains("Contract.pdf") && !html.contains(&hash));
    assert_eq!(file_status(&s, &jane, &link).await, 404);

    // A code to the same address; a wrong one is said and counted.
    let res = post_form(&s.app, &jane, &link, &format!("{link}/code"), &[]).await;
    assert_eq!(res.status(), 303);
    let code = code_in(&mails(&sink, "jane@signatory.example", "Your one-time code", 1).await[0]);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let res = try_code(&s, &jane, &link, wrong).await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("This code is not the right one")
    );
    let res = try_code(&s, &jane, &link, &code).await;
    assert_eq!(res.status(), 303);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        cookie.contains(&format!("Path={link}")) && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    // Opened: that version, its hash, its bytes; nothing else.
    let (status, html) = get_text(&jane, &s.app.url(&link)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Contract.pdf") && html.contains(&hash),
        "{html}"
    );
    let res = jane
        .get(s.app.url(&format!("{link}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF contract v1");

    // Someone else holding the link (the sender, a forwarded mail) has no
    // grant: nothing to see, nothing to decide, the code spent.
    let other = s.app.client();
    let (status, html) = get_text(&other, &s.app.url(&link)).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Contract.pdf"));
    assert_eq!(file_status(&s, &other, &link).await, 404);
    let res = try_code(&s, &other, &link, &code).await;
    assert_eq!(res.status(), 400, "a code opens once");
    let res = post_form(&s.app, &other, &link, &link, &[("decision", "approve")]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        s.app.count("SELECT count(*) FROM approval_decisions").await,
        0
    );

    // The decision: once, named, in the chain, in the signed record.
    let res = post_form(
        &s.app,
        &jane,
        &link,
        &link,
        &[
            ("decision", "approve"),
            ("comment", "Signed for Client Co."),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Your decision is recorded")
    );
    let (done, decisions, record) = service::flow(db, &s.sofia, flow.id).await.unwrap();
    assert_eq!(done.state, "approved");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].approver_id, None);
    assert_eq!(
        decisions[0].approver_name.as_deref(),
        Some("Jane Signatory")
    );
    assert_eq!(
        decisions[0].signatory.as_deref(),
        Some("jane@signatory.example")
    );
    assert_eq!(decisions[0].comment, "Signed for Client Co.");
    let named = s
        .app
        .count(&format!(
            "SELECT instr(detail, 'jane@signatory.example') > 0 AND action = 'approval.decide'
               FROM audit_events WHERE id = {}",
            decisions[0].audit_id
        ))
        .await;
    assert_eq!(named, 1, "the audit log names the signatory");
    let record = record.unwrap();
    let v: Value = serde_json::from_str(&record).unwrap();
    let approver = v["decisions"][0]["approver"].as_str().unwrap_or_default();
    assert!(approver.starts_with("s-"), "{v}");
    assert!(!record.contains("jane@") && !record.contains("Jane"));
    let verdict = service::verify(db, record.into_bytes(), Some(hash.clone()))
        .await
        .unwrap();
    assert!(verdict.holds(), "{verdict:?}");
    let (_, html) = get_text(&sofia, &s.app.url(&format!("/files/{doc}/approvals"))).await;
    assert!(html.contains("Jane Signatory") && html.contains("Signed for Client Co."));

    // The link died with its decision.
    let (status, html) = get_text(&jane, &s.app.url(&link)).await;
    assert_eq!(status, 410);
    assert!(html.contains("This link no longer works"));
    assert_eq!(file_status(&s, &jane, &link).await, 404);
    let res = post_form(&s.app, &jane, "/signin", &link, &[("decision", "reject")]).await;
    assert_eq!(res.status(), 410);
    assert_eq!(
        s.app.count("SELECT count(*) FROM approval_decisions").await,
        1
    );
}

#[tokio::test]
async fn a_new_version_ends_the_link_and_asks_again_in_french_too() {
    let sink = SmtpSink::start();
    let s = setup(&sink).await;
    let db = &s.app.state.db;
    s.app
        .sql("UPDATE people SET locale = 'fr' WHERE email = 'sofia@host.example'")
        .await;
    let template = service::save_template(
        db,
        &s.sofia,
        7,
        "Signature",
        json!({"steps": [{"name": "Signature", "approvers": [
            {"type": "signatory", "email": "jane@signatory.example", "name": "Jane Signatory"}]}]}),
    )
    .await
    .unwrap();
    let (doc, _) = upload(&s, "Avenant.pdf", b"%PDF avenant v1").await;
    let flow = service::start(db, &s.sofia, doc, template.id)
        .await
        .unwrap();
    let subject = "Votre décision est demandée sur Avenant.pdf";
    let first = link_in(&mails(&sink, "jane@signatory.example", subject, 1).await[0]);
    let jane = s.app.client();
    let res = post_form(&s.app, &jane, &first, &format!("{first}/code"), &[]).await;
    assert_eq!(res.status(), 303);

    // New bytes: the flow restarts, the first link no longer works, and a
    // new one is mailed for the new version.
    let status =
        upload_to_deal_room(&s.app, &s.token, "Avenant.pdf", b"%PDF avenant v2".to_vec()).await;
    assert!(status == 200 || status == 201);
    let (_, html) = get_text(&jane, &s.app.url(&first)).await;
    assert!(html.contains("This link no longer works"), "{html}");
    let both = mails(&sink, "jane@signatory.example", subject, 2).await;
    let second = both
        .iter()
        .map(|b| link_in(b))
        .find(|l| *l != first)
        .expect("a new link");
    let (status, html) = get_text(&jane, &s.app.url(&second)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hello Jane Signatory"));
    // In the trash, the file is asked of nobody: the link answers as one
    // that no longer works, and no code goes; back from it, it works.
    let trash = |method: reqwest::Method, path: String| {
        let (app, token) = (&s.app, s.token.clone());
        async move {
            app.bare_client()
                .request(method, app.url(&path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let trashed = trash(reqwest::Method::DELETE, format!("/api/v1/documents/{doc}")).await;
    assert!(trashed.is_success(), "{trashed}");
    let (status, html) = get_text(&jane, &s.app.url(&second)).await;
    assert_eq!(status, 410, "{html}");
    let res = post_form(&s.app, &jane, &second, &format!("{second}/code"), &[]).await;
    assert!(res.status().is_client_error(), "{}", res.status());
    let back = trash(
        reqwest::Method::POST,
        format!("/api/v1/documents/{doc}/untrash"),
    )
    .await;
    assert!(back.is_success(), "{back}");
    let (status, html) = get_text(&jane, &s.app.url(&second)).await;
    assert_eq!((status, html.contains("Hello Jane Signatory")), (200, true));
    let (f, ..) = service::flow(db, &s.sofia, flow.id).await.unwrap();
    assert_eq!((f.state.as_str(), f.version_number), ("running", 2));

    // Lost, or forwarded and its codes spent: the starter sends a new link,
    // and the one before stops working. A reader of the space may not.
    let res = s
        .app
        .api_post(
            &s.token,
            &format!("/api/v1/approvals/{}/resend", flow.id),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["links"], 1);
    let third = mails(&sink, "jane@signatory.example", subject, 3)
        .await
        .iter()
        .map(|b| link_in(b))
        .find(|l| *l != first && *l != second)
        .expect("a third link");
    let (status, _) = get_text(&jane, &s.app.url(&second)).await;
    assert_eq!(status, 410);
    let (status, html) = get_text(&jane, &s.app.url(&third)).await;
    assert_eq!((status, html.contains("Hello Jane Signatory")), (200, true));
    let (_, reader) =
        crate::approvals::member_of(&s.app, "rui@host.example", "Rui Reader", "reader").await;
    let err = service::resend(db, &reader, flow.id).await.unwrap_err();
    assert_eq!(crate::approvals::code(err), "Forbidden");
    assert_eq!(
        s.app
            .count("SELECT count(*) FROM approval_signatories WHERE closed_at IS NULL")
            .await,
        1
    );
}
