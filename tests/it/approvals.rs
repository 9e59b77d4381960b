//! Approval flows over document versions: a template checked whole when
//! saved, a flow decided step by step on the exact bytes it started on,
//! races settled once, a new version restarting the flow, and the signed
//! record of a finished flow that verifies — and fails when anything in it,
//! or the file, or the key, is not what was approved.

use crate::helpers::*;
use parvis::access::Actor;
use parvis::approvals::flows::Decision;
use parvis::approvals::service;
use parvis::service::{Email, Error, Slug};
use parvis::spaces::Role;
use parvis::spaces::service::MemberRef;
use serde_json::json;

pub(crate) struct World {
    pub app: TestApp,
    pub token: String,
    pub sofia: Actor,
    pub quality: Actor,
    pub client_a: Actor,
    pub client_b: Actor,
    pub outsider: Actor,
    pub client_org: i64,
}

pub(crate) async fn actor(app: &TestApp, email: &str) -> Actor {
    let id = app
        .count(&format!("SELECT id FROM people WHERE email = '{email}'"))
        .await;
    Actor::person(
        parvis::auth::signin::principal(&app.state.db, id)
            .await
            .unwrap(),
        None,
    )
}

async fn grant(app: &TestApp, member: MemberRef, role: Role) {
    parvis::spaces::service::grant(
        &app.state.db,
        &Actor::cli(),
        &Slug::parse("deal").unwrap(),
        member,
        role,
    )
    .await
    .unwrap();
}

pub(crate) async fn world() -> World {
    let (app, token) = deal_room().await;
    let client_org = app.create_org("client-co", "Client Co", "client").await;
    app.create_org("rival-co", "Rival Co", "client").await;
    app.create_person("quality@host.example", "Quentin Quality", None)
        .await;
    app.create_person("ana@client.example", "Ana Client", Some("client-co"))
        .await;
    app.create_person("ben@client.example", "Ben Client", Some("client-co"))
        .await;
    app.create_person("rita@rival.example", "Rita Rival", Some("rival-co"))
        .await;
    let email = |e: &str| MemberRef::Person(Email::parse(e).unwrap());
    grant(&app, email("quality@host.example"), Role::Contributor).await;
    grant(
        &app,
        MemberRef::Org(Slug::parse("client-co").unwrap()),
        Role::Reader,
    )
    .await;
    World {
        sofia: actor(&app, "sofia@host.example").await,
        quality: actor(&app, "quality@host.example").await,
        client_a: actor(&app, "ana@client.example").await,
        client_b: actor(&app, "ben@client.example").await,
        outsider: actor(&app, "rita@rival.example").await,
        client_org,
        app,
        token,
    }
}

/// A new internal person in the deal room with `role`: their id and actor.
pub(crate) async fn member(w: &World, email: &str, name: &str, role: &str) -> (i64, Actor) {
    member_of(&w.app, email, name, role).await
}

/// The same, in any app with the deal room.
pub(crate) async fn member_of(app: &TestApp, email: &str, name: &str, role: &str) -> (i64, Actor) {
    let id = app.create_person(email, name, None).await;
    app.sql(&format!(
        "INSERT INTO space_members (space_id, person_id, role, added_at)
           VALUES (7, {id}, '{role}', 0)"
    ))
    .await;
    (id, actor(app, email).await)
}

pub(crate) async fn upload(w: &World, name: &str, body: &[u8]) -> (i64, String) {
    let status = upload_to_deal_room(&w.app, &w.token, name, body.to_vec()).await;
    assert!(status == 200 || status == 201, "{name}: {status}");
    let id = w
        .app
        .count(&format!("SELECT id FROM documents WHERE name = '{name}'"))
        .await;
    (id, blake3::hash(body).to_hex().to_string())
}

/// The flows waiting for `a`, with their documents' names.
pub(crate) async fn waits(w: &World, a: Actor) -> Vec<(i64, String)> {
    service::waiting(&w.app.state.db, &a)
        .await
        .unwrap()
        .into_iter()
        .map(|x| (x.flow.id, x.document))
        .collect()
}

pub(crate) fn code(e: Error) -> String {
    match e {
        Error::Invalid { code, .. } | Error::Conflict(code) => code.to_string(),
        Error::InvalidItem { code, item, .. } => format!("{code}@{item}"),
        other => format!("{other:?}"),
    }
}

fn two_steps(w: &World, on_new_version: &str) -> serde_json::Value {
    json!({"steps": [
        {"name": "Quality check", "approvers": [{"type": "person", "id": w.quality.principal().unwrap().person_id}]},
        {"name": "Client validation", "approvers": [{"type": "organization", "id": w.client_org}], "on_reject": "back"}
    ], "forbid_self_approval": true, "on_new_version": on_new_version})
}

#[tokio::test]
async fn a_flow_is_decided_on_its_bytes_once_and_its_record_verifies() {
    let w = world().await;
    let db = &w.app.state.db;
    let space = 7;

    // Saved whole, by the space's managers; a step naming nobody who may
    // decide is refused, named.
    let err = service::save_template(db, &w.sofia, space, "Deliverable", json!({"steps": []}))
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-no-steps");
    let rival = w.outsider.principal().unwrap().person_id;
    let nobody =
        json!({"steps": [{"name": "Rival", "approvers": [{"type": "person", "id": rival}]}]});
    let err = service::save_template(db, &w.sofia, space, "Deliverable", nobody)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-step-nobody@1");
    let err = service::save_template(
        db,
        &w.quality,
        space,
        "Deliverable",
        two_steps(&w, "restart"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Forbidden), "{err:?}");
    let template =
        service::save_template(db, &w.sofia, space, "Deliverable", two_steps(&w, "restart"))
            .await
            .unwrap();
    let again =
        service::save_template(db, &w.sofia, space, "Deliverable", two_steps(&w, "restart"))
            .await
            .unwrap();
    assert_eq!(
        (template.version, again.version),
        (1, 1),
        "the same definition changes nothing"
    );

    // Started by the author on the current version.
    let content = b"Deliverable D4, version 1".as_slice();
    let (doc, hash) = upload(&w, "D4.txt", content).await;
    let flow = service::start(db, &w.sofia, doc, template.id)
        .await
        .unwrap();
    assert_eq!((flow.state.as_str(), flow.step), ("running", 0));
    assert_eq!(flow.blob_hash, hash);
    let err = service::start(db, &w.sofia, doc, template.id)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-open");
    assert_eq!(
        waits(&w, w.quality).await,
        [(flow.id, "D4.txt".to_string())]
    );
    assert!(waits(&w, w.client_a).await.is_empty() && waits(&w, w.sofia).await.is_empty());

    // Only the step's approvers decide, on the bytes they saw.
    let err = service::decide(db, &w.client_a, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden), "{err:?}");
    let err = service::decide(db, &w.outsider, flow.id, Decision::Approve, "", &hash)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound),
        "the rival does not know of it: {err:?}"
    );
    let err = service::decide(db, &w.quality, flow.id, Decision::Approve, "", "0000")
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-stale");
    let moved = service::decide(
        db,
        &w.quality,
        flow.id,
        Decision::Approve,
        "Conforms.",
        &hash,
    )
    .await
    .unwrap();
    assert_eq!((moved.state.as_str(), moved.step), ("running", 1));
    assert!(
        waits(&w, w.quality).await.is_empty(),
        "decided: no longer waited for"
    );
    assert_eq!(waits(&w, w.client_b).await.len(), 1);

    // Two of the client's people approve at once on an "any one" step:
    // the flow ends once, with one record.
    let (a, b) = tokio::join!(
        service::decide(
            db,
            &w.client_a,
            flow.id,
            Decision::Approve,
            "OK for us",
            &hash
        ),
        service::decide(db, &w.client_b, flow.id, Decision::Approve, "", &hash),
    );
    let results = [a, b];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let late = results.into_iter().find_map(Result::err).unwrap();
    assert_eq!(code(late), "approval-finished");
    assert_eq!(
        w.app
            .count(&format!("SELECT count(*) FROM audit_events WHERE action = 'approval.approve' AND target_id = '{}'", flow.id))
            .await,
        1
    );
    let (done, decisions, record) = service::flow(db, &w.sofia, flow.id).await.unwrap();
    assert_eq!(done.state, "approved");
    assert!(waits(&w, w.client_a).await.is_empty() && waits(&w, w.client_b).await.is_empty());
    assert_eq!(decisions.len(), 2);
    let record = record.expect("a finished flow has its record");
    assert!(
        !record.contains("Quentin") && !record.contains("quality@host"),
        "a record names pseudonyms only"
    );

    // The record verifies with the file's bytes, and not with others.
    let v = service::verify(
        db,
        record.clone().into_bytes(),
        Some(blake3::hash(content).to_hex().to_string()),
    )
    .await
    .unwrap();
    assert!(v.holds(), "{v:?}");
    assert_eq!((v.chain, v.document), (Some(true), Some(true)));
    let v = service::verify(
        db,
        record.clone().into_bytes(),
        Some(blake3::hash(b"another file").to_hex().to_string()),
    )
    .await
    .unwrap();
    assert!(!v.holds() && v.document == Some(false), "{v:?}");
    assert!(
        !record.contains("Conforms."),
        "the words stay on the instance"
    );
    let tampered = record.replace("D4.txt", "D5.txt");
    let v = service::verify(db, tampered.clone().into_bytes(), None)
        .await
        .unwrap();
    assert!(v.readable && !v.signature && !v.holds(), "{v:?}");
    let v = service::verify(db, b"not json".to_vec(), None)
        .await
        .unwrap();
    assert!(!v.readable && !v.holds());

    // Signed by a key that is not this instance's: refused as such.
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let mut forged: serde_json::Value = serde_json::from_str(&record).unwrap();
    forged.as_object_mut().unwrap().remove("signature");
    let serde_json::Value::Object(body) = forged else {
        panic!()
    };
    let message = parvis::approvals::record::canonical(&serde_json::Value::Object(body.clone()));
    use base64::Engine;
    use ring::signature::KeyPair;
    let b64 = base64::engine::general_purpose::STANDARD;
    let public = b64.encode(pair.public_key().as_ref());
    let key_id = parvis::approvals::keys::id_of(&public).unwrap();
    let other = parvis::approvals::record::signed(
        body,
        &key_id,
        &public,
        &b64.encode(pair.sign(message.as_bytes()).as_ref()),
    );
    let v = service::verify(
        db,
        serde_json::to_vec(&other).unwrap(),
        Some(blake3::hash(content).to_hex().to_string()),
    )
    .await
    .unwrap();
    assert!(v.signature && !v.known_key && !v.holds(), "{v:?}");

    // The command line says the same, with its exit code.
    let dir = tempfile::tempdir().unwrap();
    let (good, bad, file) = (
        dir.path().join("r.json"),
        dir.path().join("t.json"),
        dir.path().join("D4.txt"),
    );
    std::fs::write(&good, &record).unwrap();
    std::fs::write(&bad, &tampered).unwrap();
    std::fs::write(&file, content).unwrap();
    let data = w.app.state.config.data_dir.clone();
    let mut c = parvis(&data);
    c.args([
        "verify-approval",
        good.to_str().unwrap(),
        "--document",
        file.to_str().unwrap(),
    ]);
    let out = run(c);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("the record holds"), "{}", out.stdout);
    let mut c = parvis(&data);
    c.args(["verify-approval", bad.to_str().unwrap()]);
    let out = run(c);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("does NOT hold") && out.stdout.contains("signature"),
        "{}",
        out.stdout
    );

    // Erased, the approver's decisions stay; the record still verifies.
    let quality = w.quality.principal().unwrap().person_id;
    parvis::people::erasure::erase(db, w.app.state.kinds, &Actor::cli(), quality)
        .await
        .unwrap();
    let (_, decisions, _) = service::flow(db, &w.sofia, flow.id).await.unwrap();
    assert_eq!(decisions.len(), 2);
    let v = service::verify(db, record.into_bytes(), None)
        .await
        .unwrap();
    assert!(v.holds(), "{v:?}");
}

#[tokio::test]
async fn a_new_version_restarts_the_flow_and_a_rejection_goes_back() {
    let w = world().await;
    let db = &w.app.state.db;
    let template = service::save_template(db, &w.sofia, 7, "Deliverable", two_steps(&w, "restart"))
        .await
        .unwrap();
    let (doc, v1) = upload(&w, "Plan.txt", b"plan, first draft").await;
    let flow = service::start(db, &w.sofia, doc, template.id)
        .await
        .unwrap();
    service::decide(db, &w.quality, flow.id, Decision::Approve, "", &v1)
        .await
        .unwrap();
    // The client rejects: back one step, where the earlier approval no longer counts.
    let back = service::decide(
        db,
        &w.client_a,
        flow.id,
        Decision::Reject,
        "Missing annex",
        &v1,
    )
    .await
    .unwrap();
    assert_eq!((back.state.as_str(), back.step), ("running", 0));
    // Quality asks for changes: back to the author, until a new version.
    let returned = service::decide(
        db,
        &w.quality,
        flow.id,
        Decision::Changes,
        "Add the annex",
        &v1,
    )
    .await
    .unwrap();
    assert_eq!(returned.state, "returned");
    let err = service::decide(db, &w.quality, flow.id, Decision::Approve, "", &v1)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-finished");

    // A new version: the flow starts again on the new bytes; the old hash is stale.
    let (_, v2) = upload(&w, "Plan.txt", b"plan, with the annex").await;
    // The server's follower restarts it at once: quality waits again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let listed = loop {
        let listed = service::waiting(db, &w.quality).await.unwrap();
        if !listed.is_empty() || std::time::Instant::now() > deadline {
            break listed;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(
        listed.len(),
        1,
        "the restarted flow waits for quality again"
    );
    assert_eq!(listed[0].flow.blob_hash, v2);
    let (again, ..) = service::flow(db, &w.sofia, flow.id).await.unwrap();
    assert_eq!(
        (again.state.as_str(), again.step, again.version_number),
        ("running", 0, 2)
    );
    assert_eq!(again.blob_hash, v2);
    let err = service::decide(db, &w.quality, flow.id, Decision::Approve, "", &v1)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-stale");
    service::decide(db, &w.quality, flow.id, Decision::Approve, "", &v2)
        .await
        .unwrap();

    // Self-approval is refused when the template forbids it: the author
    // may be among the approvers, and still not decide on her own file;
    // "all" then counts the others. A step only its author could decide
    // does not start.
    let managers = json!({"steps": [{"name": "Managers", "approvers": [{"type": "role", "role": "manager"}]}],
                          "forbid_self_approval": true});
    let t2 = service::save_template(db, &w.sofia, 7, "Managers", managers)
        .await
        .unwrap();
    let (doc2, h2) = upload(&w, "Budget.txt", b"budget").await;
    let err = service::start(db, &w.sofia, doc2, t2.id).await.unwrap_err();
    assert_eq!(code(err), "approval-step-nobody");
    let everyone = json!({"steps": [{"name": "Everyone", "approvers": [{"type": "role", "role": "contributor"}],
                                     "rule": {"type": "all"}}], "forbid_self_approval": true});
    let t2 = service::save_template(db, &w.sofia, 7, "Everyone", everyone)
        .await
        .unwrap();
    let f2 = service::start(db, &w.sofia, doc2, t2.id).await.unwrap();
    let err = service::decide(db, &w.sofia, f2.id, Decision::Approve, "", &h2)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-self");
    let done = service::decide(
        db,
        &w.quality,
        f2.id,
        Decision::Approve,
        "Line one\r\nline two",
        &h2,
    )
    .await
    .unwrap();
    assert_eq!(done.state, "approved", "all who may decide approved");

    // A template that cancels on a new version, and a decision on a cancelled flow.
    let t3 = service::save_template(db, &w.sofia, 7, "Strict", two_steps(&w, "cancel"))
        .await
        .unwrap();
    let (doc3, h3) = upload(&w, "Spec.txt", b"spec v1").await;
    let f3 = service::start(db, &w.sofia, doc3, t3.id).await.unwrap();
    upload(&w, "Spec.txt", b"spec v2").await;
    let err = service::decide(db, &w.quality, f3.id, Decision::Approve, "", &h3)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-finished");
    let (f3, ..) = service::flow(db, &w.sofia, f3.id).await.unwrap();
    assert_eq!(f3.state, "cancelled");
    // Bad input changes nothing.
    let long = "x".repeat(2_001);
    let err = service::decide(db, &w.quality, flow.id, Decision::Approve, &long, &v2)
        .await
        .unwrap_err();
    assert_eq!(code(err), "approval-comment");
    assert!(Decision::parse("maybe").is_err());
}

#[tokio::test]
async fn the_pages_start_and_decide_and_say_what_is_refused() {
    let w = world().await;
    let db = &w.app.state.db;
    let template = service::save_template(db, &w.sofia, 7, "Deliverable", two_steps(&w, "restart"))
        .await
        .unwrap();
    let (doc, hash) = upload(&w, "Report.txt", b"the report").await;
    let sofia = w.app.signed_in("sofia@host.example", PASSWORD).await;
    let path = format!("/files/{doc}/approvals");
    let (status, html) = get_text(&sofia, &w.app.url(&path)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Start an approval flow") && html.contains(">Deliverable</option>"));
    assert!(
        html.contains("<option value=\"\">Choose a flow…</option>"),
        "no flow chosen for her"
    );
    // No flow chosen: refused, said, nothing started.
    let res = post_form(&w.app, &sofia, &path, &path, &[("template", "")]).await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("There is no such flow template")
    );
    assert_eq!(w.app.count("SELECT count(*) FROM approval_flows").await, 0);
    let res = post_form(
        &w.app,
        &sofia,
        &path,
        &path,
        &[("template", &template.id.to_string())],
    )
    .await;
    assert_eq!(res.status(), 303);
    let flow = w.app.count("SELECT id FROM approval_flows").await;

    // The approver sees the decision form; a stale hash is refused, in French.
    let quentin = w.app.signed_in("quality@host.example", PASSWORD).await;
    let (status, html) = get_text(&quentin, &w.app.url("/approvals")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Report.txt") && html.contains("Quality check"),
        "{html}"
    );
    let (_, html) = get_text(&quentin, &w.app.url(&path)).await;
    assert!(html.contains("action=\"/approvals/") && html.contains(&hash));
    let csrf = csrf_in(&html);
    let decide_path = format!("/approvals/{flow}/decide");
    let decide = w.app.url(&decide_path);
    let res = quentin
        .post(&decide)
        .header("accept-language", "fr")
        .form(&[
            ("_csrf", csrf.as_str()),
            ("decision", "approve"),
            ("blake3", "0000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("Le fichier a changé"));
    let res = post_form(
        &w.app,
        &quentin,
        &path,
        &decide_path,
        &[
            ("decision", "approve"),
            ("comment", "Conforms."),
            ("blake3", &hash),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = get_text(&quentin, &w.app.url(&path)).await;
    assert!(
        html.contains("Conforms.") && !html.contains("/decide\""),
        "decided: no form to decide"
    );
    let (_, html) = get_text(&quentin, &w.app.url("/approvals")).await;
    assert!(html.contains("Nothing waits for your decision"));

    // Someone who may not read the file finds nothing.
    let rita = w.app.signed_in("rita@rival.example", PASSWORD).await;
    let (status, html) = get_text(&rita, &w.app.url(&path)).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Report.txt"));
}
