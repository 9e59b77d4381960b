//! Small contents live in the database (`small_blobs`), large ones in files:
//! both are served, previewed, checked, exported, backed up, restored and
//! collected, and small files written before stay readable.

use crate::helpers::*;
use parvis::ops::check::Status;
use std::path::Path;

/// A server with the deal room (space 7) Sofia manages, and her write token.
async fn room(tweak: impl FnOnce(&mut parvis::config::Config)) -> (TestApp, String) {
    let app = TestApp::spawn_with(tweak).await;
    room_in(&app).await;
    let token = api_token(
        &app,
        "sofia@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    (app, token)
}

async fn room_in(app: &TestApp) {
    let staff = app.create_person("sofia@host.example", "Sofia", None).await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES
           (7, 'deal', 'Deal room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (7, {staff}, 'manager', 0);"
    ))
    .await;
}

/// Blob files under `blobs/ab/…` (not counting `tmp/`).
fn blob_files(data: &Path) -> usize {
    std::fs::read_dir(data.join("blobs"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().len() == 2)
        .map(|e| std::fs::read_dir(e.path()).unwrap().count())
        .sum()
}

fn check_blobs(config: &parvis::config::Config) -> (Status, String) {
    let findings = parvis::ops::check::run(config);
    let f = findings.iter().find(|f| f.check == "blobs").unwrap();
    (f.status, f.detail.clone())
}

fn minutes() -> Vec<u8> {
    b"Minutes of the steering committee: conveyor acceptance on Friday.\n".repeat(20)
}

fn large() -> Vec<u8> {
    (0..40_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

#[tokio::test]
async fn a_small_upload_lives_in_the_database_and_a_large_one_on_disk() {
    // Written before small contents went to the database: a file.
    let (app, token) = room(|c| c.storage.small_blob_bytes = 0).await;
    let legacy = b"an old small file, kept as a file".to_vec();
    assert_eq!(
        upload_to_deal_room(&app, &token, "Old.txt", legacy.clone()).await,
        201
    );
    let config = app.state.config.as_ref().clone();
    let data = config.data_dir.clone();
    assert_eq!(blob_files(&data), 1);
    let dir = app.stop().await;
    let mut config = config;
    config.storage.small_blob_bytes = 16 * 1024;
    let app = TestApp::start(config.clone(), dir).await;

    assert_eq!(
        upload_to_deal_room(&app, &token, "Minutes.txt", minutes()).await,
        201
    );
    assert_eq!(
        upload_to_deal_room(&app, &token, "Large.bin", large()).await,
        201
    );
    assert_eq!(app.count("SELECT count(*) FROM small_blobs").await, 1);
    assert_eq!(blob_files(&data), 2, "the old file and the large one");
    assert_eq!(
        app.content_of(&token, "Minutes.txt").await,
        (200, minutes())
    );
    assert_eq!(app.content_of(&token, "Large.bin").await, (200, large()));
    assert_eq!(
        app.content_of(&token, "Old.txt").await,
        (200, legacy.clone())
    );

    // A range of it, and WebDAV.
    let id = app
        .count("SELECT id FROM documents WHERE name = 'Minutes.txt'")
        .await;
    let res = app
        .bare_client()
        .get(app.url(&format!("/api/v1/documents/{id}/content")))
        .bearer_auth(&token)
        .header("range", "bytes=10-18")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &minutes()[10..=18]);
    let res = app
        .bare_client()
        .get(app.url("/dav/deal/Minutes.txt"))
        .basic_auth("sofia@host.example", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), minutes());

    // The preview shows its text; search found it by its words.
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, page) = get_text(&sofia, &app.url(&format!("/files/{id}"))).await;
    assert_eq!(status, 200);
    assert!(page.contains("conveyor acceptance on Friday"), "{page}");
    app.until_search(&token, "conveyor", "never found", |v| v["total"] == 1)
        .await;

    let (status, detail) = check_blobs(&config);
    assert_eq!(status, Status::Ok, "{detail}");
    assert!(detail.contains("3 referenced blobs intact"), "{detail}");

    // A restart finds it where it was.
    let dir = app.stop().await;
    let app = TestApp::start(config.clone(), dir).await;
    assert_eq!(
        app.content_of(&token, "Minutes.txt").await,
        (200, minutes())
    );
    assert_eq!(app.content_of(&token, "Old.txt").await, (200, legacy));

    // Damage in the database is reported like damage on disk.
    app.sql("UPDATE small_blobs SET content = x'00', deflated = 0")
        .await;
    let (status, detail) = check_blobs(&config);
    assert_eq!(status, Status::Fail, "{detail}");
    assert!(detail.contains("0 missing and 1 damaged"), "{detail}");
    app.sql("DELETE FROM small_blobs").await;
    let (status, detail) = check_blobs(&config);
    assert_eq!(status, Status::Fail, "{detail}");
    assert!(detail.contains("1 missing and 0 damaged"), "{detail}");
}

/// Every file of an export, by content.
fn contents(root: &Path, out: &mut Vec<Vec<u8>>) {
    for e in std::fs::read_dir(root).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            contents(&p, out);
        } else {
            out.push(std::fs::read(&p).unwrap());
        }
    }
}

#[tokio::test]
async fn small_contents_are_exported_backed_up_restored_and_collected() {
    let (app, token) = room(|_| {}).await;
    assert_eq!(
        upload_to_deal_room(&app, &token, "Minutes.txt", minutes()).await,
        201
    );
    let config = app.state.config.as_ref().clone();
    assert_eq!(blob_files(&config.data_dir), 0);

    // Exported as a plain file.
    let out = tempfile::tempdir().unwrap();
    let export_dir = out.path().join("export");
    let (c, to) = (config.clone(), export_dir.clone());
    tokio::task::spawn_blocking(move || {
        parvis::ops::export::export(
            &c,
            parvis::content::KINDS,
            &parvis::ops::export::Scope::Instance,
            &to,
            |_| {},
        )
    })
    .await
    .unwrap()
    .unwrap();
    let mut files = Vec::new();
    contents(&export_dir, &mut files);
    assert!(files.contains(&minutes()), "the export holds the file");

    // A full backup, then an incremental one after a second upload.
    let full = out.path().join("full.tar");
    let (c, to) = (config.clone(), full.clone());
    tokio::task::spawn_blocking(move || parvis::ops::backup::backup(&c, &to, None, |_| {}))
        .await
        .unwrap()
        .unwrap();
    let agenda = b"Agenda: conveyor, budget, planning.".to_vec();
    assert_eq!(
        upload_to_deal_room(&app, &token, "Agenda.txt", agenda.clone()).await,
        201
    );
    let incremental = out.path().join("incremental.tar");
    let (c, to, base) = (config.clone(), incremental.clone(), full.clone());
    tokio::task::spawn_blocking(move || parvis::ops::backup::backup(&c, &to, Some(&base), |_| {}))
        .await
        .unwrap()
        .unwrap();
    for (archive, both) in [(full, false), (incremental, true)] {
        let restored = tempfile::tempdir().unwrap();
        let (from, into) = (archive.clone(), restored.path().to_path_buf());
        tokio::task::spawn_blocking(move || parvis::ops::restore::restore(&from, &into, false))
            .await
            .unwrap()
            .unwrap();
        let rc = test_config(restored.path());
        let (status, detail) = check_blobs(&rc);
        assert_eq!(status, Status::Ok, "{detail}");
        let back = TestApp::start(rc, TempOrKept::Temp(restored)).await;
        assert_eq!(
            back.content_of(&token, "Minutes.txt").await,
            (200, minutes())
        );
        if both {
            assert_eq!(
                back.content_of(&token, "Agenda.txt").await,
                (200, agenda.clone())
            );
        }
    }

    // Deleted and purged, its row is collected like a file would be.
    app.sql("UPDATE documents SET deleted_at = 1 WHERE name = 'Minutes.txt'")
        .await;
    parvis::documents::service::purge_trash(&app.state.db, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    let grace = std::time::Duration::from_secs(3600);
    let gc = || {
        parvis::content::collect_garbage(&app.state.db, &app.state.blobs, app.state.kinds, grace)
    };
    assert_eq!(gc().await.unwrap(), 0, "not within the grace");
    assert_eq!(app.count("SELECT count(*) FROM small_blobs").await, 2);
    let (status, detail) = check_blobs(&config);
    assert_eq!(status, Status::Warn, "{detail}");
    assert!(
        detail.contains("1 referenced blobs intact, 1 unreferenced"),
        "{detail}"
    );
    app.sql("UPDATE blob_orphans SET since = 1").await;
    assert_eq!(gc().await.unwrap(), 1);
    assert_eq!(app.count("SELECT count(*) FROM small_blobs").await, 1);
    assert_eq!(app.content_of(&token, "Agenda.txt").await, (200, agenda));
    let (status, detail) = check_blobs(&config);
    assert_eq!(status, Status::Ok, "{detail}");
}
