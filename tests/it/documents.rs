//! Document libraries through the real pages: streamed uploads, versions,
//! deduplicated blobs, ranged and cached downloads that never render active
//! content inline, folder restrictions, and bad input that changes nothing.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

async fn world(tweak: impl FnOnce(&mut parvis::config::Config)) -> TestApp {
    let app = TestApp::spawn_with(tweak).await;
    app.create_org("rival-co", "Rival Co", "client").await;
    let staff = app.create_person("sofia@host.example", "Sofia", None).await;
    let reader = app.create_person("tom@host.example", "Tom", None).await;
    app.create_person("spy@rival.example", "Spy", Some("rival-co"))
        .await;
    let boss = app.create_person("boss@host.example", "Boss", None).await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES (7, 'deal', 'Deal room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES
           (7, {staff}, 'contributor', 0), (7, {reader}, 'reader', 0), (7, {boss}, 'manager', 0);"
    ))
    .await;
    app
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    folder: Option<i64>,
    files: Vec<(&str, Vec<u8>)>,
    lang: &str,
) -> (u16, String) {
    let (_, page) = get_text(client, &app.url("/spaces/deal/files")).await;
    let token = if page.contains("name=\"_csrf\"") {
        csrf_in(&page)
    } else {
        String::new()
    };
    let mut form = Form::new();
    for (name, data) in files {
        form = form.part("file", Part::bytes(data).file_name(name.to_string()));
    }
    let folder = folder.map(|f| format!("&folder={f}")).unwrap_or_default();
    let res = client
        .post(app.url(&format!("/spaces/deal/files/upload?_csrf={token}{folder}")))
        .header("accept-language", lang)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

/// Contents stored: files under `blobs/` and rows of `small_blobs`.
async fn blob_files(app: &TestApp) -> usize {
    let dir = app.state.config.data_dir.join("blobs");
    let files: usize = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().len() == 2)
        .map(|e| std::fs::read_dir(e.path()).unwrap().count())
        .sum();
    files + app.count("SELECT count(*) FROM small_blobs").await as usize
}

fn tmp_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.config.data_dir.join("blobs/tmp"))
        .unwrap()
        .count()
}

#[tokio::test]
async fn files_are_uploaded_versioned_deduplicated_and_downloaded_safely() {
    let app = world(|_| {}).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let contract = b"%PDF-1.7 the contract, first draft".to_vec();
    let (status, _) = upload(
        &app,
        &sofia,
        None,
        vec![
            ("Contrat été.pdf", contract.clone()),
            ("notes.txt", b"hello".to_vec()),
        ],
        "en",
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = get_text(&sofia, &app.url("/spaces/deal/files")).await;
    assert!(page.contains("Contrat été.pdf") && page.contains("notes.txt"));
    let id = app
        .count("SELECT id FROM documents WHERE name = 'Contrat été.pdf'")
        .await;

    let res = sofia
        .get(app.url(&format!("/files/{id}/download")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert!(h["content-disposition"].to_str().unwrap().starts_with(
        "attachment; filename=\"Contrat _t_.pdf\"; filename*=UTF-8''Contrat%20%C3%A9t%C3%A9%2Epdf"
    ));
    let etag = h["etag"].to_str().unwrap().to_string();
    assert_eq!(res.bytes().await.unwrap().as_ref(), contract.as_slice());
    // Ranges and revalidation.
    let res = sofia
        .get(app.url(&format!("/files/{id}/download")))
        .header("range", "bytes=5-7")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes 5-7/{}", contract.len())
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), &contract[5..8]);
    let res = sofia
        .get(app.url(&format!("/files/{id}/download")))
        .header("range", "bytes=999-")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 416);
    let res = sofia
        .get(app.url(&format!("/files/{id}/download")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    // A PDF may be shown inline; it still cannot run anything.
    let res = sofia
        .get(app.url(&format!("/files/{id}/download?inline=1")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );

    // A new upload of the same name is a new version; restoring keeps history.
    let second = b"%PDF-1.7 the contract, signed".to_vec();
    assert_eq!(
        upload(
            &app,
            &sofia,
            None,
            vec![("contrat été.PDF", second.clone())],
            "en"
        )
        .await
        .0,
        303
    );
    assert_eq!(
        app.count(&format!(
            "SELECT current_version FROM documents WHERE id = {id}"
        ))
        .await,
        2
    );
    let (_, html) = get_text(&sofia, &app.url(&format!("/files/{id}"))).await;
    assert!(html.contains("Versions") && html.contains("?v=1"));
    let res = post_form(
        &app,
        &sofia,
        &format!("/files/{id}"),
        &format!("/files/{id}/restore"),
        &[("version", "1")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let body = sofia
        .get(app.url(&format!("/files/{id}/download")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(body.as_ref(), contract.as_slice());
    let old = sofia
        .get(app.url(&format!("/files/{id}/download?v=2")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(old.as_ref(), second.as_slice());

    // The same content twice is stored once.
    let before = blob_files(&app).await;
    assert_eq!(
        upload(
            &app,
            &sofia,
            None,
            vec![("copy.pdf", contract.clone())],
            "en"
        )
        .await
        .0,
        303
    );
    assert_eq!(blob_files(&app).await, before);
    assert_eq!(tmp_files(&app), 0);
    assert!(app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('document.create', 'document.version', 'document.restore_version')").await >= 5);
}

#[tokio::test]
async fn active_content_is_always_an_attachment() {
    let app = world(|_| {}).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    for (name, data) in [
        (
            "page.html",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        (
            "logo.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
        ),
        (
            "photo.png",
            b"<html><script>alert('lying type')</script>".to_vec(),
        ),
    ] {
        assert_eq!(
            upload(&app, &sofia, None, vec![(name, data)], "en").await.0,
            303
        );
        let id = app
            .count(&format!("SELECT id FROM documents WHERE name = '{name}'"))
            .await;
        let res = sofia
            .get(app.url(&format!("/files/{id}/download?inline=1")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers()["content-type"],
            "application/octet-stream",
            "{name}"
        );
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn only_those_who_may_write_upload_and_others_see_nothing() {
    let app = world(|_| {}).await;
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let (status, page) = get_text(&tom, &app.url("/spaces/deal/files")).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("Upload files"),
        "a reader sees no upload form"
    );
    assert_eq!(
        upload(&app, &tom, None, vec![("x.txt", b"x".to_vec())], "en")
            .await
            .0,
        404
    );
    let spy = app.signed_in("spy@rival.example", PASSWORD).await;
    assert_eq!(get_text(&spy, &app.url("/spaces/deal/files")).await.0, 404);
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    upload(
        &app,
        &sofia,
        None,
        vec![("secret.txt", b"terms".to_vec())],
        "en",
    )
    .await;
    let id = app
        .count("SELECT id FROM documents WHERE name = 'secret.txt'")
        .await;
    let (hidden, _) = get_text(&spy, &app.url(&format!("/files/{id}"))).await;
    let (missing, _) = get_text(&spy, &app.url("/files/987654")).await;
    assert_eq!((hidden, missing), (404, 404));
    assert_eq!(
        get_text(&spy, &app.url(&format!("/files/{id}/download")))
            .await
            .0,
        404
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, 1);
}

#[tokio::test]
async fn a_restricted_folder_is_invisible_below_its_role_with_everything_inside() {
    let app = world(|_| {}).await;
    let boss = app.signed_in("boss@host.example", PASSWORD).await;
    let res = post_form(
        &app,
        &boss,
        "/spaces/deal/files",
        "/spaces/deal/files/folders",
        &[("name", "Board only")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let folder = app
        .count("SELECT id FROM folders WHERE name = 'Board only'")
        .await;
    let res = post_form(
        &app,
        &boss,
        "/spaces/deal/files",
        "/spaces/deal/files/folders",
        &[("name", "Minutes"), ("parent", &folder.to_string())],
    )
    .await;
    assert_eq!(res.status(), 303);
    let inner = app
        .count("SELECT id FROM folders WHERE name = 'Minutes'")
        .await;
    assert_eq!(
        upload(
            &app,
            &boss,
            Some(inner),
            vec![("minutes.txt", b"confidential".to_vec())],
            "en"
        )
        .await
        .0,
        303
    );
    let doc = app
        .count("SELECT id FROM documents WHERE name = 'minutes.txt'")
        .await;
    app.sql(&format!(
        "UPDATE folders SET min_role = 'manager' WHERE id = {folder}"
    ))
    .await;

    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (_, root) = get_text(&sofia, &app.url("/spaces/deal/files")).await;
    assert!(!root.contains("Board only"));
    for path in [
        format!("/spaces/deal/files?folder={folder}"),
        format!("/spaces/deal/files?folder={inner}"),
        format!("/files/{doc}"),
        format!("/files/{doc}/download"),
    ] {
        assert_eq!(get_text(&sofia, &app.url(&path)).await.0, 404, "{path}");
    }
    assert_eq!(
        upload(
            &app,
            &sofia,
            Some(inner),
            vec![("x.txt", b"x".to_vec())],
            "en"
        )
        .await
        .0,
        404
    );
    // Listed members pass a list restriction even below manager.
    app.sql(&format!(
        "UPDATE folders SET min_role = NULL, restricted_to_listed = 1 WHERE id = {folder};
         INSERT INTO folder_access (folder_id, person_id) SELECT {folder}, id FROM people WHERE email = 'sofia@host.example';"
    ))
    .await;
    assert_eq!(
        get_text(&sofia, &app.url(&format!("/files/{doc}"))).await.0,
        200
    );
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    assert_eq!(
        get_text(&tom, &app.url(&format!("/files/{doc}"))).await.0,
        404
    );
    let (_, root) = get_text(&boss, &app.url("/spaces/deal/files")).await;
    assert!(root.contains("Board only"), "managers see listed folders");
}

#[tokio::test]
async fn bad_uploads_get_a_clear_error_and_leave_nothing() {
    let app = world(|c| {
        c.documents.max_file_bytes = 1000;
        c.documents.space_quota_bytes = 1500;
    })
    .await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    for (name, fr) in [
        ("what?.txt", "caractères interdits"),
        ("CON.txt", "réservé par Windows"),
        ("invoice\u{202E}fdp.exe", "caractères interdits"),
    ] {
        let (status, html) = upload(&app, &sofia, None, vec![(name, b"x".to_vec())], "fr").await;
        assert_eq!(status, 400, "{name}");
        assert!(html.contains(fr), "{name}");
    }
    // A path is cut to its last segment (browsers send them): never a path on the server.
    assert_eq!(
        upload(
            &app,
            &sofia,
            None,
            vec![("../../etc/passwd", b"x".to_vec())],
            "en"
        )
        .await
        .0,
        303
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM documents WHERE name = 'passwd'")
            .await,
        1
    );
    let (status, html) = upload(&app, &sofia, None, vec![("big.bin", vec![7u8; 1001])], "en").await;
    assert_eq!(status, 413);
    assert!(html.contains("larger than the largest file"));
    assert_eq!(
        upload(&app, &sofia, None, vec![("ok.bin", vec![1u8; 900])], "en")
            .await
            .0,
        303
    );
    let (status, html) = upload(&app, &sofia, None, vec![("more.bin", vec![2u8; 900])], "en").await;
    assert_eq!(status, 507);
    assert!(html.contains("no room left"));
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, 2);
    assert_eq!(tmp_files(&app), 0);
    // The refused content may be on disk only as a noted orphan for the collector.
    assert!(blob_files(&app).await <= 3);
}

#[tokio::test]
async fn files_are_renamed_moved_copied_locked_trashed_and_restored() {
    let app = world(|c| c.documents.trash_retention = std::time::Duration::from_secs(3600)).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let boss = app.signed_in("boss@host.example", PASSWORD).await;
    upload(
        &app,
        &sofia,
        None,
        vec![("plan.txt", b"v1".to_vec()), ("other.txt", b"x".to_vec())],
        "en",
    )
    .await;
    post_form(
        &app,
        &sofia,
        "/spaces/deal/files",
        "/spaces/deal/files/folders",
        &[("name", "Archive")],
    )
    .await;
    let id = app
        .count("SELECT id FROM documents WHERE name = 'plan.txt'")
        .await;
    let folder = app
        .count("SELECT id FROM folders WHERE name = 'Archive'")
        .await;
    let page = format!("/files/{id}");
    // Rename, refusing a name already taken.
    let res = post_form(
        &app,
        &sofia,
        &page,
        &format!("/files/{id}/rename"),
        &[("name", "other.txt")],
    )
    .await;
    assert_eq!(res.status(), 409);
    let res = post_form(
        &app,
        &sofia,
        &page,
        &format!("/files/{id}/rename"),
        &[("name", "Plan final.txt")],
    )
    .await;
    assert_eq!(res.status(), 303);
    // Move into the folder; copy into the same space's root under the same name is refused.
    let res = post_form(
        &app,
        &sofia,
        &page,
        &format!("/files/{id}/move"),
        &[("folder", &folder.to_string())],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!("SELECT folder_id FROM documents WHERE id = {id}"))
            .await,
        folder
    );
    let res = post_form(
        &app,
        &sofia,
        &page,
        &format!("/files/{id}/copy"),
        &[("space", "deal")],
    )
    .await;
    assert_eq!(res.status(), 303, "the root has no file of that name");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM documents WHERE name = 'Plan final.txt'")
            .await,
        2
    );
    // A check-out keeps others' versions out; the holder releases; a manager breaks it.
    let res = post_form(
        &app,
        &sofia,
        &page,
        &format!("/files/{id}/lock"),
        &[("action", "lock")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (status, html) = upload(
        &app,
        &boss,
        Some(folder),
        vec![("Plan final.txt", b"v2".to_vec())],
        "en",
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains("checked this file out"));
    let (_, html) = get_text(&boss, &app.url(&page)).await;
    assert!(
        html.contains("Sofia has checked this file out") && html.contains("Break the check-out")
    );
    let res = post_form(
        &app,
        &boss,
        &page,
        &format!("/files/{id}/lock"),
        &[("action", "unlock")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'document.lock.break'")
            .await,
        1
    );
    // Trash and restore; the purge removes what is older than the retention.
    let res = post_form(&app, &sofia, &page, &format!("/files/{id}/delete"), &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(get_text(&sofia, &app.url(&page)).await.0, 404);
    let (_, trash) = get_text(&sofia, &app.url("/spaces/deal/files/trash")).await;
    assert!(trash.contains("Plan final.txt"));
    let res = post_form(
        &app,
        &sofia,
        "/spaces/deal/files/trash",
        &format!("/files/{id}/untrash"),
        &[("space", "deal")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(get_text(&sofia, &app.url(&page)).await.0, 200);
    post_form(&app, &sofia, &page, &format!("/files/{id}/delete"), &[]).await;
    app.sql(&format!(
        "UPDATE documents SET deleted_at = 1 WHERE id = {id}"
    ))
    .await;
    let purged = parvis::documents::service::purge_trash(
        &app.state.db,
        std::time::Duration::from_secs(3600),
    )
    .await
    .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM document_versions WHERE document_id = {id}"
        ))
        .await,
        0
    );
    // A reader does none of this.
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let other = app
        .count("SELECT id FROM documents WHERE name = 'other.txt'")
        .await;
    let (_, html) = get_text(&tom, &app.url(&format!("/files/{other}"))).await;
    assert!(!html.contains("Put in the trash"));
    let res = post_form(
        &app,
        &tom,
        &format!("/files/{other}"),
        &format!("/files/{other}/delete"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn unreferenced_blobs_are_collected_after_the_grace_and_check_sees_them() {
    // Files: a crash between their write and the commit can leave one.
    let app = world(|c| c.storage.small_blob_bytes = 0).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    upload(
        &app,
        &sofia,
        None,
        vec![
            ("keep.txt", b"kept".to_vec()),
            ("drop.txt", b"dropped".to_vec()),
        ],
        "en",
    )
    .await;
    // A crash between the write and the commit leaves an unreferenced blob.
    app.state.blobs.put(b"never committed").unwrap();
    let id = app
        .count("SELECT id FROM documents WHERE name = 'drop.txt'")
        .await;
    post_form(
        &app,
        &sofia,
        &format!("/files/{id}"),
        &format!("/files/{id}/delete"),
        &[],
    )
    .await;
    app.sql("UPDATE documents SET deleted_at = 1 WHERE deleted_at IS NOT NULL")
        .await;
    parvis::documents::service::purge_trash(&app.state.db, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    let findings = parvis::ops::check::run(&app.state.config);
    let blobs = findings.iter().find(|f| f.check == "blobs").unwrap();
    assert_eq!(
        blobs.status,
        parvis::ops::check::Status::Warn,
        "{}",
        blobs.detail
    );
    assert!(
        blobs
            .detail
            .contains("1 referenced blobs intact, 2 unreferenced"),
        "{}",
        blobs.detail
    );
    // Within the grace nothing goes; after it, both orphans go and the kept file stays.
    let grace = std::time::Duration::from_secs(3600);
    let n =
        parvis::content::collect_garbage(&app.state.db, &app.state.blobs, app.state.kinds, grace)
            .await
            .unwrap();
    assert_eq!(n, 0);
    app.sql("UPDATE blob_orphans SET since = 1").await;
    let n =
        parvis::content::collect_garbage(&app.state.db, &app.state.blobs, app.state.kinds, grace)
            .await
            .unwrap();
    assert_eq!(n, 2);
    assert_eq!(blob_files(&app).await, 1);
    let findings = parvis::ops::check::run(&app.state.config);
    let blobs = findings.iter().find(|f| f.check == "blobs").unwrap();
    assert_eq!(
        blobs.status,
        parvis::ops::check::Status::Ok,
        "{}",
        blobs.detail
    );
    // A damaged blob fails the check.
    let hash = app
        .state
        .db
        .read(|c| {
            Ok::<String, parvis::db::DbError>(c.query_row(
                "SELECT blob_hash FROM documents WHERE name = 'keep.txt'",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    std::fs::write(app.state.blobs.path(&hash).unwrap(), b"tampered").unwrap();
    let findings = parvis::ops::check::run(&app.state.config);
    let blobs = findings.iter().find(|f| f.check == "blobs").unwrap();
    assert_eq!(blobs.status, parvis::ops::check::Status::Fail);
    assert!(blobs.detail.contains("1 damaged"), "{}", blobs.detail);
}

#[tokio::test]
async fn the_api_uploads_streams_lists_versions_and_refuses_lies() {
    let app = world(|c| c.documents.max_file_bytes = 100_000).await;
    let sofia = api_token(&app, "sofia@host.example", Scope::Write).await;
    let spy = api_token(&app, "spy@rival.example", Scope::Write).await;
    let c = app.bare_client();
    let put = |tok: String, name: &str, body: Vec<u8>| {
        c.post(app.url(&format!("/api/v1/spaces/7/files?name={name}&comment=first")))
            .bearer_auth(tok)
            .body(body)
            .send()
    };
    let res = put(
        sofia.clone(),
        "r%C3%A9sum%C3%A9.txt",
        b"version one".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 201);
    let v: serde_json::Value = res.json().await.unwrap();
    let id = v["document"]["id"].as_i64().unwrap();
    assert_eq!(v["document"]["name"], "résumé.txt");
    let res = put(
        sofia.clone(),
        "r%C3%A9sum%C3%A9.txt",
        b"version two".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["version"], 2);
    let lib: serde_json::Value = c
        .get(app.url("/api/v1/spaces/7/library"))
        .bearer_auth(&sofia)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(lib["items"][0]["name"], "résumé.txt");
    let res = c
        .get(app.url(&format!("/api/v1/documents/{id}/content?version=1")))
        .bearer_auth(&sofia)
        .header("range", "bytes=0-6")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"version");
    let res = c
        .post(app.url(&format!("/api/v1/documents/{id}/versions/1/restore")))
        .bearer_auth(&sofia)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let doc: serde_json::Value = c
        .get(app.url(&format!("/api/v1/documents/{id}")))
        .bearer_auth(&sofia)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["versions"].as_array().unwrap().len(), 3);
    // Strangers see nothing; lies and excess store nothing.
    assert_eq!(
        c.get(app.url(&format!("/api/v1/documents/{id}")))
            .bearer_auth(&spy)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        put(spy.clone(), "x.txt", b"x".to_vec())
            .await
            .unwrap()
            .status(),
        404
    );
    let res = put(sofia.clone(), "big.bin", vec![0u8; 100_001])
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let problem = res.json::<serde_json::Value>().await.unwrap();
    assert_eq!(problem["code"], "file-too-large");
    assert_eq!(
        problem["field"], "file",
        "the problem names the field at fault"
    );
    let res = put(sofia.clone(), "..", b"x".to_vec()).await.unwrap();
    assert_eq!(res.status(), 400);
    let problem = res.json::<serde_json::Value>().await.unwrap();
    assert_eq!(problem["code"], "file-name-invalid");
    assert_eq!(problem["field"], "name");
    let before = app.count("SELECT COUNT(*) FROM documents").await;
    // A streamed body (sent in chunks) is taken as it comes and checked against its length.
    let stream = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(b"short".to_vec())]);
    let res = c
        .post(app.url("/api/v1/spaces/7/files?name=liar.txt"))
        .bearer_auth(&sofia)
        .header("content-length", "5")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM documents").await,
        before + 1
    );
    assert_eq!(tmp_files(&app), 0);
    // Check-out and trash through the API.
    let lock = c
        .put(app.url(&format!("/api/v1/documents/{id}/lock")))
        .bearer_auth(&sofia)
        .send()
        .await
        .unwrap();
    assert_eq!(lock.status(), 204);
    let del = c
        .delete(app.url(&format!("/api/v1/documents/{id}")))
        .bearer_auth(&sofia)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    assert_eq!(
        c.get(app.url(&format!("/api/v1/documents/{id}")))
            .bearer_auth(&sofia)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn share_links_expire_count_downloads_need_their_password_and_are_revocable() {
    let app = world(|_| {}).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    upload(
        &app,
        &sofia,
        None,
        vec![("offer.pdf", b"%PDF-1.7 offer".to_vec())],
        "en",
    )
    .await;
    let id = app
        .count("SELECT id FROM documents WHERE name = 'offer.pdf'")
        .await;
    let page = format!("/files/{id}");
    // Off by default: no form, and posting is refused.
    let (_, html) = get_text(&sofia, &app.url(&page)).await;
    assert!(!html.contains("Share by link"));
    let res = post_form(
        &app,
        &sofia,
        &page,
        &format!("/files/{id}/share"),
        &[("days", "7")],
    )
    .await;
    assert!(location(&res).contains("share_error=share-links-off"));
    app.sql("UPDATE portals SET share_links_allowed = 1").await;
    app.state.portals.reload(&app.state.db).await.unwrap();

    let create = |fields: Vec<(&'static str, &'static str)>| {
        let (sofia, app_ref) = (sofia.clone(), &app);
        let page = page.clone();
        async move {
            let res = post_form(
                app_ref,
                &sofia,
                &page,
                &format!("/files/{id}/share"),
                &fields,
            )
            .await;
            let html = res.text().await.unwrap();
            let url = html
                .split("<code class=\"secret\" id=\"share-url\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_string();
            url.rsplit('/').next().unwrap().to_string()
        }
    };
    let open_token = create(vec![("days", "7"), ("max_downloads", "2")]).await;
    let stranger = app.client();
    let fetch = |token: String, password: &'static str| {
        let stranger = stranger.clone();
        let url = app.url(&format!("/s/{token}"));
        async move {
            let (_, html) = get_text(&stranger, &url).await;
            let csrf = if html.contains("name=\"_csrf\"") {
                csrf_in(&html)
            } else {
                String::new()
            };
            stranger
                .post(&url)
                .form(&[("_csrf", csrf.as_str()), ("password", password)])
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..2 {
        let res = fetch(open_token.clone(), "").await;
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.7 offer");
    }
    assert_eq!(
        fetch(open_token.clone(), "").await.status(),
        404,
        "the limit is reached"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'share.download'")
            .await,
        2
    );

    let protected = create(vec![("days", "1"), ("password", "a long share password")]).await;
    let res = fetch(protected.clone(), "not the password").await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("Wrong password"));
    assert_eq!(
        fetch(protected.clone(), "a long share password")
            .await
            .status(),
        200
    );
    // Listed in the space, revoked there, then dead.
    let (_, list) = get_text(&sofia, &app.url("/spaces/deal/files/shares")).await;
    assert!(list.contains("offer.pdf") && list.contains("2 / 2"));
    let link = app.count("SELECT MAX(id) FROM share_links").await;
    let res = post_form(
        &app,
        &sofia,
        "/spaces/deal/files/shares",
        &format!("/shares/{link}/revoke"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        fetch(protected, "a long share password").await.status(),
        404
    );
    // Expired links and mistyped tokens look the same: not found.
    let expiring = create(vec![("days", "1")]).await;
    app.sql("UPDATE share_links SET expires_at = 1").await;
    assert_eq!(
        get_text(&stranger, &app.url(&format!("/s/{expiring}")))
            .await
            .0,
        404
    );
    assert_eq!(get_text(&stranger, &app.url("/s/not-a-token")).await.0, 404);
    // Readers cannot create links: the action does not exist for them.
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let res = post_form(
        &app,
        &tom,
        &page,
        &format!("/files/{id}/share"),
        &[("days", "7")],
    )
    .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn folders_are_renamed_moved_trashed_with_contents_restored_and_restricted() {
    let app = world(|_| {}).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let boss = app.signed_in("boss@host.example", PASSWORD).await;
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    for name in ["Projects", "Archive"] {
        let res = post_form(
            &app,
            &sofia,
            "/spaces/deal/files",
            "/spaces/deal/files/folders",
            &[("name", name)],
        )
        .await;
        assert_eq!(res.status(), 303);
    }
    let projects = app
        .count("SELECT id FROM folders WHERE name = 'Projects'")
        .await;
    let archive = app
        .count("SELECT id FROM folders WHERE name = 'Archive'")
        .await;
    let here = format!("/spaces/deal/files?folder={projects}");
    let res = post_form(
        &app,
        &sofia,
        &here,
        "/spaces/deal/files/folders",
        &[("name", "Alpha"), ("parent", &projects.to_string())],
    )
    .await;
    assert_eq!(res.status(), 303);
    let alpha = app
        .count("SELECT id FROM folders WHERE name = 'Alpha'")
        .await;
    assert_eq!(
        upload(
            &app,
            &sofia,
            Some(alpha),
            vec![("spec.txt", b"spec".to_vec())],
            "en"
        )
        .await
        .0,
        303
    );

    // Rename; a taken name is refused in the person's language.
    let res = post_form(
        &app,
        &sofia,
        &here,
        &format!("/folders/{projects}/rename"),
        &[("name", "Projets 2026")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = post_form(
        &app,
        &sofia,
        &here,
        &format!("/folders/{projects}/rename"),
        &[("name", "archive")],
    )
    .await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("already exists"));

    // Not into itself nor below; elsewhere the whole subtree follows.
    for target in [projects, alpha] {
        let res = post_form(
            &app,
            &sofia,
            &here,
            &format!("/folders/{projects}/move"),
            &[("to", &target.to_string())],
        )
        .await;
        assert_eq!(res.status(), 409, "into {target}");
    }
    let res = post_form(
        &app,
        &sofia,
        &here,
        &format!("/folders/{projects}/move"),
        &[("to", &archive.to_string())],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!("SELECT count(*) FROM folders WHERE id = {alpha} AND path = '/{archive}/{projects}/{alpha}/'")).await,
        1
    );
    let doc = app
        .count("SELECT id FROM documents WHERE name = 'spec.txt'")
        .await;
    assert_eq!(
        get_text(&tom, &app.url(&format!("/files/{doc}"))).await.0,
        200
    );

    // A reader can do none of it.
    for action in ["rename", "move", "delete"] {
        let res = post_form(
            &app,
            &tom,
            &here,
            &format!("/folders/{projects}/{action}"),
            &[("name", "x"), ("to", "")],
        )
        .await;
        // Forbidden reads as not found: nothing tells what exists.
        assert_eq!(res.status(), 404, "{action}");
    }

    // Trash takes the folder with everything inside; restore brings it all back.
    let res = post_form(
        &app,
        &sofia,
        &here,
        &format!("/folders/{projects}/delete"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        get_text(&sofia, &app.url(&format!("/files/{doc}"))).await.0,
        404
    );
    assert_eq!(
        get_text(
            &sofia,
            &app.url(&format!("/spaces/deal/files?folder={alpha}"))
        )
        .await
        .0,
        404
    );
    let (_, trash) = get_text(&sofia, &app.url("/spaces/deal/files/trash")).await;
    assert!(
        trash.contains("Projets 2026") && !trash.contains("spec.txt"),
        "one entry for the folder"
    );
    let res = post_form(
        &app,
        &sofia,
        "/spaces/deal/files/trash",
        &format!("/folders/{projects}/untrash"),
        &[("space", "deal")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        get_text(&sofia, &app.url(&format!("/files/{doc}"))).await.0,
        200
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM folders WHERE deleted_at IS NOT NULL OR trashed_with IS NOT NULL"
        )
        .await,
        0
    );

    // Restriction: managers only; a contributor can't set it; the reader loses sight.
    let res = post_form(
        &app,
        &sofia,
        &here,
        &format!("/folders/{projects}/restrict"),
        &[("min_role", "contributor")],
    )
    .await;
    assert_eq!(res.status(), 404);
    let tom_id = app
        .count("SELECT id FROM people WHERE email = 'tom@host.example'")
        .await;
    let spy_id = app
        .count("SELECT id FROM people WHERE email = 'spy@rival.example'")
        .await;
    let res = post_form(
        &app,
        &boss,
        &here,
        &format!("/folders/{projects}/restrict"),
        &[("person", &spy_id.to_string())],
    )
    .await;
    assert_eq!(res.status(), 409, "only members of the space may be listed");
    let res = post_form(
        &app,
        &boss,
        &here,
        &format!("/folders/{projects}/restrict"),
        &[("min_role", "contributor")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        get_text(&tom, &app.url(&format!("/files/{doc}"))).await.0,
        404
    );
    let res = post_form(
        &app,
        &boss,
        &here,
        &format!("/folders/{projects}/restrict"),
        &[("min_role", ""), ("person", &tom_id.to_string())],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        get_text(&tom, &app.url(&format!("/files/{doc}"))).await.0,
        200
    );
    assert_eq!(
        get_text(&sofia, &app.url(&format!("/files/{doc}"))).await.0,
        404,
        "not listed"
    );
    let (_, page) = get_text(&boss, &app.url(&here)).await;
    assert!(page.contains("restrict-form") && page.contains("checked"));
    let res = post_form(
        &app,
        &boss,
        &here,
        &format!("/folders/{projects}/restrict"),
        &[("min_role", "")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        get_text(&sofia, &app.url(&format!("/files/{doc}"))).await.0,
        200,
        "lifted"
    );
    assert!(
        app.count("SELECT count(*) FROM audit_events WHERE action LIKE 'folder.%'")
            .await
            >= 7
    );
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn previews_show_images_pdfs_text_and_markdown_without_anything_active() {
    let app = world(|_| {}).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    // A PNG header over garbage, and one that claims to be 100,000 pixels wide.
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let (status, _) = upload(
        &app,
        &sofia,
        None,
        vec![
            ("photo.png", png(1200, 800)),
            ("broken.png", b"\x89PNG\r\n\x1a\nnot really".to_vec()),
            ("bomb.png", bomb),
            ("notes.md", b"# Minutes\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".to_vec()),
            ("plain.txt", b"<b>not bold</b>".to_vec()),
            ("spec.pdf", b"%PDF-1.4\n%fake but sniffed\n".to_vec()),
        ],
        "en",
    )
    .await;
    assert_eq!(status, 303);
    let id = |name: &'static str| {
        let app = &app;
        async move {
            app.count(&format!("SELECT id FROM documents WHERE name = '{name}'"))
                .await
        }
    };

    // Images: a thumbnail, made once, cached as a blob, revalidated by ETag.
    let photo = id("photo.png").await;
    let (_, page) = get_text(&sofia, &app.url(&format!("/files/{photo}"))).await;
    assert!(
        page.contains(&format!("/files/{photo}/thumbnail")),
        "{page}"
    );
    let before = blob_files(&app).await;
    let res = sofia
        .get(app.url(&format!("/files/{photo}/thumbnail")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let thumb = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (480, 320));
    assert_eq!(blob_files(&app).await, before + 1);
    let res = sofia
        .get(app.url(&format!("/files/{photo}/thumbnail")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(app.count("SELECT count(*) FROM previews").await, 1);
    assert_eq!(blob_files(&app).await, before + 1, "made once");
    // Not for those who may not read the file.
    let spy = app.signed_in("spy@rival.example", PASSWORD).await;
    assert_eq!(
        get_text(&spy, &app.url(&format!("/files/{photo}/thumbnail")))
            .await
            .0,
        404
    );
    // Broken and oversized images: a clear refusal, never a crash.
    for name in ["broken.png", "bomb.png"] {
        let doc = id(name).await;
        let res = sofia
            .get(app.url(&format!("/files/{doc}/thumbnail")))
            .header("accept-language", "fr")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{name}");
        assert!(res.text().await.unwrap().contains("Aucun aperçu"), "{name}");
    }

    // Markdown is rendered and sanitized; text stays text.
    let (_, page) = get_text(
        &sofia,
        &app.url(&format!("/files/{}", id("notes.md").await)),
    )
    .await;
    assert!(
        page.contains("<h1>Minutes</h1>") && page.contains("<table>"),
        "{page}"
    );
    assert!(
        !page.contains("alert(1)</script>") && !page.contains("javascript:"),
        "{page}"
    );
    let (_, page) = get_text(
        &sofia,
        &app.url(&format!("/files/{}", id("plain.txt").await)),
    )
    .await;
    assert!(
        page.contains("&lt;b&gt;not bold&lt;/b&gt;") || page.contains("&#60;b&#62;not bold"),
        "{page}"
    );

    // PDFs open in the browser's viewer, framed by our page only.
    let pdf = id("spec.pdf").await;
    let (_, page) = get_text(&sofia, &app.url(&format!("/files/{pdf}"))).await;
    assert!(page.contains("pdf-frame"), "{page}");
    let res = sofia
        .get(app.url(&format!("/files/{pdf}/download?inline=1")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-frame-options"], "SAMEORIGIN");
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );

    // The thumbnail goes with its image: purged, then collected.
    post_form(
        &app,
        &sofia,
        &format!("/files/{photo}"),
        &format!("/files/{photo}/delete"),
        &[],
    )
    .await;
    app.sql("UPDATE documents SET deleted_at = 1 WHERE deleted_at IS NOT NULL")
        .await;
    parvis::documents::service::purge_trash(&app.state.db, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    let grace = std::time::Duration::from_secs(3600);
    parvis::content::collect_garbage(&app.state.db, &app.state.blobs, app.state.kinds, grace)
        .await
        .unwrap();
    app.sql("UPDATE blob_orphans SET since = 1").await;
    parvis::content::collect_garbage(&app.state.db, &app.state.blobs, app.state.kinds, grace)
        .await
        .unwrap();
    app.sql("UPDATE blob_orphans SET since = 1").await;
    parvis::content::collect_garbage(&app.state.db, &app.state.blobs, app.state.kinds, grace)
        .await
        .unwrap();
    assert_eq!(app.count("SELECT count(*) FROM previews").await, 0);
    assert_eq!(
        blob_files(&app).await,
        before - 1,
        "the photo and its thumbnail are gone"
    );
}

#[tokio::test]
async fn the_api_moves_copies_trashes_restricts_shares_and_takes_forms() {
    let app = world(|_| {}).await;
    app.sql("UPDATE portals SET share_links_allowed = 1").await;
    app.state.reload_portals().await.unwrap();
    let sofia = api_token(&app, "sofia@host.example", Scope::Write).await;
    let boss = api_token(&app, "boss@host.example", Scope::Write).await;
    let tom = api_token(&app, "tom@host.example", Scope::Write).await;
    let c = app.bare_client();
    let call = |tok: &str, method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut req = c.request(method, app.url(path)).bearer_auth(tok);
        if let Some(b) = body {
            req = req.json(&b);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    use reqwest::Method as M;

    // Several files in one multipart form, with a comment.
    let form = reqwest::multipart::Form::new()
        .text("comment", "from the scanner")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"alpha".to_vec()).file_name("a.txt"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"beta".to_vec()).file_name("b.txt"),
        );
    let res = c
        .post(app.url("/api/v1/spaces/7/files/form"))
        .bearer_auth(&sofia)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 2);
    let a = v["files"][0]["document"]["id"].as_i64().unwrap();
    let b = v["files"][1]["document"]["id"].as_i64().unwrap();
    assert_eq!(
        app.count("SELECT count(*) FROM document_versions WHERE comment = 'from the scanner'")
            .await,
        2
    );

    // Folders: create, move a document in under a new name, rename the folder.
    let (status, f) = call(
        &sofia,
        M::POST,
        "/api/v1/spaces/7/folders",
        Some(json!({"name": "Inbox"})),
    )
    .await;
    assert_eq!(status, 201);
    let folder = f["id"].as_i64().unwrap();
    let (status, d) = call(
        &sofia,
        M::PATCH,
        &format!("/api/v1/documents/{a}"),
        Some(json!({"folder": folder, "name": "alpha.txt"})),
    )
    .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(
        (d["folder_id"].as_i64(), d["name"].as_str()),
        (Some(folder), Some("alpha.txt"))
    );
    let (status, _) = call(
        &sofia,
        M::PATCH,
        &format!("/api/v1/documents/{b}"),
        Some(json!({"name": "alpha.txt", "folder": folder})),
    )
    .await;
    assert_eq!(status, 409, "the name is taken there");
    let (status, f) = call(
        &sofia,
        M::PATCH,
        &format!("/api/v1/folders/{folder}"),
        Some(json!({"name": "Arrivals"})),
    )
    .await;
    assert_eq!((status, f["name"].as_str()), (200, Some("Arrivals")));
    let (status, _) = call(
        &sofia,
        M::PATCH,
        &format!("/api/v1/folders/{folder}"),
        Some(json!({"parent": folder})),
    )
    .await;
    assert_eq!(status, 400, "not into itself");
    let (status, _) = call(
        &sofia,
        M::PATCH,
        &format!("/api/v1/documents/{a}"),
        Some(json!({"folder": "up"})),
    )
    .await;
    assert_eq!(status, 400, "wrong type");

    // Copy, then trash and restore a folder whole.
    let (status, v) = call(
        &sofia,
        M::POST,
        &format!("/api/v1/documents/{b}/copy"),
        Some(json!({"space": 7, "folder": folder, "name": "beta copy.txt"})),
    )
    .await;
    assert_eq!(status, 201);
    assert!(v["id"].as_i64().is_some());
    let (status, _) = call(
        &sofia,
        M::DELETE,
        &format!("/api/v1/folders/{folder}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (_, t) = call(&sofia, M::GET, "/api/v1/spaces/7/trash", None).await;
    assert_eq!(t["folders"].as_array().unwrap().len(), 1);
    assert_eq!(
        t["documents"].as_array().unwrap().len(),
        0,
        "inside the folder's entry"
    );
    assert_eq!(
        call(&sofia, M::GET, &format!("/api/v1/documents/{a}"), None)
            .await
            .0,
        404
    );
    assert_eq!(
        call(
            &sofia,
            M::POST,
            &format!("/api/v1/folders/{folder}/untrash"),
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(&sofia, M::GET, &format!("/api/v1/documents/{a}"), None)
            .await
            .0,
        200
    );
    assert_eq!(
        call(&sofia, M::DELETE, &format!("/api/v1/documents/{b}"), None)
            .await
            .0,
        204
    );
    assert_eq!(
        call(
            &sofia,
            M::POST,
            &format!("/api/v1/documents/{b}/untrash"),
            None
        )
        .await
        .0,
        204
    );

    // Restriction: managers only.
    let body = json!({"min_role": "manager"});
    assert_eq!(
        call(
            &sofia,
            M::PUT,
            &format!("/api/v1/folders/{folder}/restriction"),
            Some(body.clone())
        )
        .await
        .0,
        404
    );
    let (status, r) = call(
        &boss,
        M::PUT,
        &format!("/api/v1/folders/{folder}/restriction"),
        Some(body),
    )
    .await;
    assert_eq!((status, r["min_role"].as_str()), (200, Some("manager")));
    assert_eq!(
        call(&sofia, M::GET, &format!("/api/v1/documents/{a}"), None)
            .await
            .0,
        404
    );
    assert_eq!(
        call(
            &tom,
            M::GET,
            &format!("/api/v1/folders/{folder}/restriction"),
            None
        )
        .await
        .0,
        404
    );
    let (status, _) = call(
        &boss,
        M::PUT,
        &format!("/api/v1/folders/{folder}/restriction"),
        Some(json!({"min_role": "owner"})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = call(
        &boss,
        M::PUT,
        &format!("/api/v1/folders/{folder}/restriction"),
        Some(json!({"people": []})),
    )
    .await;
    assert_eq!(status, 200, "lifted");

    // Share links: created once with their URL, listed, refused to readers, revocable.
    let (status, v) = call(
        &sofia,
        M::POST,
        &format!("/api/v1/documents/{b}/shares"),
        Some(json!({"days": 7, "max_downloads": 2})),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let url = v["url"].as_str().unwrap().to_string();
    assert!(url.contains("/s/"));
    assert_eq!(
        call(
            &tom,
            M::POST,
            &format!("/api/v1/documents/{b}/shares"),
            Some(json!({"days": 7}))
        )
        .await
        .0,
        404
    );
    assert_eq!(
        call(
            &sofia,
            M::POST,
            &format!("/api/v1/documents/{b}/shares"),
            Some(json!({"days": 0}))
        )
        .await
        .0,
        400
    );
    let (_, list) = call(&sofia, M::GET, "/api/v1/spaces/7/shares", None).await;
    let link = list["items"][0]["id"].as_i64().unwrap();
    assert_eq!(list["items"][0]["max_downloads"], 2);
    assert_eq!(
        call(&sofia, M::DELETE, &format!("/api/v1/shares/{link}"), None)
            .await
            .0,
        204
    );
    let path = &url[url.find("/s/").unwrap()..];
    assert_eq!(
        c.get(app.url(path)).send().await.unwrap().status(),
        404,
        "revoked"
    );
}

#[tokio::test]
async fn documents_carry_a_description_and_tags() {
    let app = world(|_| {}).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    upload(
        &app,
        &sofia,
        None,
        vec![("deal.pdf", b"%PDF-1.7 deal".to_vec())],
        "en",
    )
    .await;
    let id = app
        .count("SELECT id FROM documents WHERE name = 'deal.pdf'")
        .await;
    let page = format!("/files/{id}");
    let describe = format!("/files/{id}/describe");
    let res = post_form(
        &app,
        &sofia,
        &page,
        &describe,
        &[
            ("description", "Signed <b>framework</b> deal"),
            ("tags", "Contract; contract, 2026 ,  legal"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT count(*) FROM documents WHERE tags = 'Contract, 2026, legal' AND description = 'Signed <b>framework</b> deal'").await,
        1
    );
    let (_, html) = get_text(&sofia, &app.url(&page)).await;
    assert!(
        html.contains("Signed &lt;b&gt;framework&lt;/b&gt; deal")
            || html.contains("Signed &#60;b&#62;framework"),
        "escaped"
    );
    assert!(html.contains(">legal</span>"));
    let (_, lib) = get_text(&sofia, &app.url("/spaces/deal/files")).await;
    assert!(lib.contains(">Contract</span>"));

    // Too many tags: refused in the person's language, nothing changed.
    let many = (0..25)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let (_, html) = get_text(&sofia, &app.url(&page)).await;
    let res = sofia
        .post(app.url(&describe))
        .header("accept-language", "fr")
        .form(&[
            ("_csrf", csrf_in(&html).as_str()),
            ("description", ""),
            ("tags", many.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Mots-clés"));
    assert_eq!(
        app.count("SELECT count(*) FROM documents WHERE tags = 'Contract, 2026, legal'")
            .await,
        1
    );
    // Readers can't; control characters are refused.
    let res = post_form(
        &app,
        &tom,
        &page,
        &describe,
        &[("description", "x"), ("tags", "")],
    )
    .await;
    assert_eq!(res.status(), 404);
    let token = api_token(&app, "sofia@host.example", Scope::Write).await;
    let res = app
        .bare_client()
        .patch(app.url(&format!("/api/v1/documents/{id}")))
        .bearer_auth(&token)
        .json(&json!({"description": "bell\u{7}", "tags": "a"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = app
        .bare_client()
        .patch(app.url(&format!("/api/v1/documents/{id}")))
        .bearer_auth(&token)
        .json(&json!({"tags": "final"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(
        (v["tags"].as_str(), v["description"].as_str()),
        (Some("final"), Some("Signed <b>framework</b> deal"))
    );
}

#[tokio::test]
async fn a_new_version_carries_its_comment_from_every_upload_form() {
    let app = world(|_| {}).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, _) = upload(&app, &sofia, None, vec![("plan.txt", b"v1".to_vec())], "en").await;
    assert_eq!(status, 303);
    let id = app
        .count("SELECT id FROM documents WHERE name = 'plan.txt'")
        .await;
    let (status, page) = get_text(&sofia, &app.url(&format!("/files/{id}"))).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Upload a new version"),
        "the document page offers it"
    );
    assert!(page.contains("id=\"version-comment\""), "{page}");

    // From the document page: another file name becomes this document's next version.
    let token = csrf_in(&page);
    let form = Form::new().text("comment", "Prices for 2027").part(
        "file",
        Part::bytes(b"v2".to_vec()).file_name("plan (final).txt"),
    );
    let res = sofia
        .post(app.url(&format!("/files/{id}/versions?_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, page) = get_text(&sofia, &app.url(&location(&res))).await;
    assert!(page.contains("The new version was saved."), "{page}");
    assert!(
        page.contains("<td class=\"hide-narrow\">Prices for 2027</td>"),
        "{page}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM documents WHERE space_id = 7")
            .await,
        1,
        "no second document"
    );

    // From the library's form: the comment part comes before the files.
    let (_, lib) = get_text(&sofia, &app.url("/spaces/deal/files")).await;
    assert!(
        lib.contains("id=\"upload-comment\""),
        "the library's form has the field"
    );
    let form = Form::new()
        .text("comment", "Typos fixed")
        .part("file", Part::bytes(b"v3".to_vec()).file_name("plan.txt"));
    let res = sofia
        .post(app.url(&format!(
            "/spaces/deal/files/upload?_csrf={}",
            csrf_in(&lib)
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // Through the API.
    let token = api_token(
        &app,
        "sofia@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    let res = app
        .bare_client()
        .post(app.url("/api/v1/spaces/7/files?name=plan.txt&comment=From%20the%20script"))
        .bearer_auth(&token)
        .body(b"v4".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let comments: Vec<String> = {
        let (_, page) = get_text(&sofia, &app.url(&format!("/files/{id}"))).await;
        ["Prices for 2027", "Typos fixed", "From the script"]
            .iter()
            .filter(|c| page.contains(&format!("<td class=\"hide-narrow\">{c}</td>")))
            .map(|c| c.to_string())
            .collect()
    };
    assert_eq!(comments.len(), 3, "{comments:?}");

    // A reader sees no form, and posting anyway changes nothing.
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let (_, page) = get_text(&tom, &app.url(&format!("/files/{id}"))).await;
    assert!(page.contains("plan.txt") && !page.contains("Upload a new version"));
    let (_, any) = get_text(&tom, &app.url("/spaces/deal/files")).await;
    let form = Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("x.txt"));
    let res = tom
        .post(app.url(&format!("/files/{id}/versions?_csrf={}", csrf_in(&any))))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM document_versions WHERE document_id = {id}"
        ))
        .await,
        4
    );
}
