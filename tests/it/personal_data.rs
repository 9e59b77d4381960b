//! Personal data (GDPR): a person downloads their own data, and only theirs;
//! an administrator erases a person, whose shared work stays readable under
//! a neutral name; retention erases long-expired external accounts.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use std::collections::HashMap;
use std::io::Read;

/// Every entry of a tar archive, by name.
pub(crate) fn entries(bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(bytes);
    let mut out = HashMap::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.insert(name, data);
    }
    out
}

pub(crate) fn lines(files: &HashMap<String, Vec<u8>>, name: &str) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&files[name])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub(crate) async fn my_export(app: &TestApp, token: &str) -> (u16, Vec<u8>) {
    let res = app
        .bare_client()
        .get(app.url("/api/v1/me/export"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_person_downloads_their_own_data_and_nothing_of_anyone_else() {
    let (app, sofia_token) = deal_room().await;
    let sofia: i64 = app
        .count("SELECT id FROM people WHERE email = 'sofia@host.example'")
        .await;
    let bob = app
        .create_person("bob@host.example", "Bob Marchal", None)
        .await;
    app.sql(&format!(
        "INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (7, {bob}, 'contributor', 0);"
    ))
    .await;
    let bob_token = api_token(&app, "bob@host.example", Scope::Write).await;
    assert_eq!(
        upload_to_deal_room(
            &app,
            &sofia_token,
            "sofia-plan.txt",
            b"Sofia's plan".to_vec()
        )
        .await,
        201
    );
    assert_eq!(
        upload_to_deal_room(&app, &bob_token, "bob-notes.txt", b"Bob's notes".to_vec()).await,
        201
    );

    let res = app
        .bare_client()
        .post(app.url("/api/v1/spaces/7/folders"))
        .bearer_auth(&sofia_token)
        .json(&serde_json::json!({"name": "Acquisition targets"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    // She comments on her plan.
    let plan = app
        .count("SELECT id FROM documents WHERE name = 'sofia-plan.txt'")
        .await;
    let res = app
        .api_post(
            &sofia_token,
            &format!("/api/v1/comments/on/document:{plan}"),
            Some(serde_json::json!({"body": "Final figures on page 2."})),
        )
        .await;
    assert_eq!(res.status(), 201);
    // An administrator changes her title: an event about her, from their address.
    let admin = api_token(&app, ADMIN_EMAIL, Scope::Admin).await;
    let res = app
        .bare_client()
        .patch(app.url(&format!("/api/v1/people/{sofia}")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"title": "Deal lead"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (status, tar) = my_export(&app, &sofia_token).await;
    assert_eq!(status, 200);
    let comments = lines(&entries(&tar), "comments.jsonl");
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["body"], "Final figures on page 2.");
    let trail = lines(&entries(&tar), "audit_log.jsonl");
    let by_admin = trail
        .iter()
        .find(|e| e["actor_kind"] == "person" && e["actor_id"] != sofia)
        .expect("the administrator's change is on her trail");
    assert_eq!(
        by_admin["ip"], "",
        "someone else's address is theirs: {by_admin}"
    );
    let hers = trail
        .iter()
        .find(|e| e["action"] == "person.export")
        .unwrap();
    assert_eq!(hers["ip"], "127.0.0.1", "{hers}");
    let folders = lines(&entries(&tar), "folders.jsonl");
    assert_eq!(folders.len(), 1);
    assert_eq!(folders[0]["name"], "Acquisition targets");
    let files = entries(&tar);
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["kind"], "person");
    let people = lines(&files, "people.jsonl");
    assert_eq!(people.len(), 1, "only herself: {people:?}");
    assert_eq!(people[0]["email"], "sofia@host.example");
    assert_eq!(files["spaces/deal/sofia-plan.txt"], b"Sofia's plan");
    assert!(
        !files.keys().any(|k| k.contains("bob")),
        "Bob's file leaked: {:?}",
        files.keys()
    );
    let sofia_text = sofia.to_string();
    for e in lines(&files, "audit_log.jsonl") {
        let hers = (e["actor_kind"] == "person" && e["actor_id"] == sofia)
            || (e["target_type"] == "person" && e["target_id"] == sofia_text.as_str());
        assert!(hers, "someone else's event: {e}");
    }
    assert!(
        lines(&files, "audit_log.jsonl")
            .iter()
            .any(|e| e["action"] == "person.export"),
        "the export itself is on her trail"
    );
    for (name, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("Bob Marchal"),
            "{name} names Bob"
        );
    }

    // Removed from the space, she no longer takes its files with her…
    app.sql(&format!(
        "DELETE FROM space_members WHERE space_id = 7 AND person_id = {sofia};"
    ))
    .await;
    let (_, tar) = my_export(&app, &sofia_token).await;
    let files = entries(&tar);
    assert!(!files.contains_key("spaces/deal/sofia-plan.txt"));
    assert!(lines(&files, "documents.jsonl").is_empty());
    assert!(
        lines(&files, "folders.jsonl").is_empty(),
        "the names of folders she can no longer see stay behind"
    );
    assert!(
        lines(&files, "comments.jsonl").is_empty(),
        "nor her comments on them"
    );
    // …but an administrator exporting for her gets everything she wrote.
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("sofia.tar");
    let mut c = parvis(&app.state.config.data_dir);
    c.args(["person", "export", "--email", "sofia@host.example", "--out"])
        .arg(&out);
    let r = run(c);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let files = entries(&std::fs::read(&out).unwrap());
    assert_eq!(files["spaces/deal/sofia-plan.txt"], b"Sofia's plan");
    assert_eq!(lines(&files, "comments.jsonl").len(), 1);

    // From the settings page: a form with its CSRF token, a tar in return.
    let client = app.signed_in("bob@host.example", PASSWORD).await;
    let (_, html) = get_text(&client, &app.url("/account")).await;
    assert!(html.contains("action=\"/account/data\""));
    let csrf = csrf_in(&html);
    let res = client
        .post(app.url("/account/data"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/x-tar");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let files = entries(&res.bytes().await.unwrap());
    assert_eq!(files["spaces/deal/bob-notes.txt"], b"Bob's notes");
    assert!(!files.contains_key("spaces/deal/sofia-plan.txt"));
    // Without the token: refused.
    let res = client.post(app.url("/account/data")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    // Nothing is left behind on the server.
    let left = std::fs::read_dir(app.state.config.data_dir.join("exports"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0);
}

#[tokio::test]
async fn erasure_removes_the_person_and_keeps_their_work_under_a_neutral_name() {
    let (app, sofia_token) = deal_room().await;
    let sofia: i64 = app
        .count("SELECT id FROM people WHERE email = 'sofia@host.example'")
        .await;
    assert_eq!(
        upload_to_deal_room(&app, &sofia_token, "handbook.txt", b"shared work".to_vec()).await,
        201
    );
    let doc: i64 = app
        .count("SELECT id FROM documents WHERE name = 'handbook.txt'")
        .await;
    let session = app.signed_in("sofia@host.example", PASSWORD).await;
    let admin = api_token(&app, ADMIN_EMAIL, Scope::Admin).await;
    let bob = app
        .create_person("bob@host.example", "Bob Marchal", None)
        .await;
    let bob_token = api_token(&app, "bob@host.example", Scope::Write).await;
    let erase = |token: String, id: i64| {
        let client = app.bare_client();
        let url = app.url(&format!("/api/v1/people/{id}/erase"));
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Not by someone who is not an administrator.
    assert_ne!(erase(bob_token.clone(), sofia).await, 200);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM people WHERE id = {sofia} AND erased_at IS NULL"
        ))
        .await,
        1
    );
    let before = app.audit_count().await;
    assert_eq!(erase(admin.clone(), sofia).await, 200);
    // Twice: a conflict; oneself: a conflict.
    assert_eq!(erase(admin.clone(), sofia).await, 409);
    let me: i64 = app
        .count(&format!(
            "SELECT id FROM people WHERE email = '{ADMIN_EMAIL}'"
        ))
        .await;
    assert_eq!(erase(admin.clone(), me).await, 409);

    // Her means to sign in are gone at once.
    assert_eq!(my_export(&app, &sofia_token).await.0, 401);
    let res = session.get(app.url("/account")).send().await.unwrap();
    assert_ne!(res.status(), 200, "her session still works");
    let res = app
        .client()
        .post(app.url("/signin"))
        .form(&[("email", "sofia@host.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 303, "she can still sign in");

    // Nothing that said who she was remains in her row.
    let row = app
        .count(&format!(
            "SELECT count(*) FROM people WHERE id = {sofia} AND email LIKE 'erased-%@erased.invalid'
               AND display_name = 'Former member' AND title = '' AND phone = '' AND password_hash IS NULL
               AND status = 'disabled'"
        ))
        .await;
    assert_eq!(row, 1);
    for table in [
        "sessions",
        "api_tokens",
        "space_members",
        "group_members",
        "person_photos",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) FROM {table} WHERE person_id = {sofia}"
            ))
            .await,
            0,
            "{table}"
        );
    }
    // Her work stays, readable, under the neutral name.
    app.sql(&format!(
        "INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (7, {bob}, 'reader', 0);"
    ))
    .await;
    let res = app
        .bare_client()
        .get(app.url(&format!("/api/v1/documents/{doc}")))
        .bearer_auth(&bob_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(body.contains("Former member"), "{body}");
    assert!(!body.contains("Sofia"), "{body}");
    let res = app
        .bare_client()
        .get(app.url(&format!("/api/v1/documents/{doc}/content")))
        .bearer_auth(&bob_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"shared work");

    // The audit log says an erasure happened, not whom it erased.
    let after = app.audit_count().await;
    assert!(after > before);
    let detail: String = app
        .state
        .db
        .read(|c| {
            c.query_row(
                "SELECT action || ' ' || detail FROM audit_events WHERE action = 'person.erase'",
                [],
                |r| r.get(0),
            )
            .map_err(parvis::db::DbError::from)
        })
        .await
        .unwrap();
    assert!(
        !detail.contains("sofia") && !detail.contains("Sofia"),
        "{detail}"
    );
    let mut verify = parvis(&app.state.config.data_dir);
    verify.args(["audit", "verify"]);
    assert_eq!(run(verify).code, 0);

    // Search forgets her name: neither she nor her document's author field finds it.
    app.until_search(&admin, "Sofia", "still found", |v| v["total"] == 0)
        .await;

    // The command line asks for confirmation.
    let mut c = parvis(&app.state.config.data_dir);
    c.args(["person", "erase", "--email", "bob@host.example"]);
    let r = run(c);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);

    // In the pages: her profile and her data page no longer show who she was…
    let web = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for path in [
        format!("/people/{sofia}"),
        format!("/admin/people/{sofia}/data"),
    ] {
        let (status, html) = get_text(&web, &app.url(&path)).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !html.contains("erased.invalid") && !html.contains("Sofia"),
            "{path}: {html}"
        );
        assert!(html.contains("Former member"), "{path}");
    }
    let (_, html) = get_text(&web, &app.url(&format!("/admin/people/{sofia}/data"))).await;
    assert!(!html.contains(&format!("action=\"/admin/people/{sofia}/erase\"")));
    // …and an administrator erases Bob from his page, confirming with the form.
    let (_, html) = get_text(&web, &app.url(&format!("/admin/people/{bob}/data"))).await;
    let res = web
        .post(app.url(&format!("/admin/people/{bob}/erase")))
        .form(&[("_csrf", csrf_in(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/people?notice=person-erased");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM people WHERE id = {bob} AND erased_at IS NOT NULL"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn retention_erases_external_accounts_long_expired_and_only_those() {
    let app = TestApp::spawn().await;
    app.create_org("nordhavn", "Nordhavn Logistics", "client")
        .await;
    let old = app
        .create_person("old@nordhavn.example", "Olaf Old", Some("nordhavn"))
        .await;
    let recent = app
        .create_person("recent@nordhavn.example", "Rita Recent", Some("nordhavn"))
        .await;
    let staff = app
        .create_person("staff@host.example", "Stan Staff", None)
        .await;
    let day = 24 * 3600 * 1000i64;
    let now = parvis::util::now_ms();
    app.sql(&format!(
        "UPDATE people SET expires_at = {} WHERE id = {old};
         UPDATE people SET expires_at = {} WHERE id = {recent};
         UPDATE people SET expires_at = {} WHERE id = {staff};",
        now - 40 * day,
        now - day,
        now - 40 * day,
    ))
    .await;
    let erased = |days: u64| {
        let db = app.state.db.clone();
        async move {
            parvis::people::erasure::erase_expired(
                &db,
                parvis::content::KINDS,
                std::time::Duration::from_secs(days * 24 * 3600),
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(erased(0).await, 0, "off by default");
    assert_eq!(erased(30).await, 1);
    let names: Vec<String> = app
        .state
        .db
        .read(|c| {
            c.prepare("SELECT display_name FROM people ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()
                .map_err(parvis::db::DbError::from)
        })
        .await
        .unwrap();
    assert!(!names.iter().any(|n| n == "Olaf Old"), "{names:?}");
    assert!(names.iter().any(|n| n == "Rita Recent"));
    assert!(
        names.iter().any(|n| n == "Stan Staff"),
        "staff are never erased by retention"
    );
    assert_eq!(erased(30).await, 0, "once");
}
