//! Backups of a serving instance: one consistent instant of the database,
//! every file it refers to, and a manifest whose checksums prove it.

use crate::helpers::*;
use parvis::ops::backup::{self, FileEntry};
use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The deal room with every content in a file: these tests are about the
/// archive's `blobs/`; contents kept in the database are `small_blobs.rs`'s.
async fn deal_room_files() -> (TestApp, String) {
    let app = TestApp::spawn_with(|c| c.storage.small_blob_bytes = 0).await;
    let staff = app
        .create_person("sofia@host.example", "Sofia Almeida", None)
        .await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES
           (7, 'deal', 'Deal room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (7, {staff}, 'manager', 0);"
    ))
    .await;
    let token = api_token(
        &app,
        "sofia@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    (app, token)
}

/// Every entry of the archive, by name.
fn entries(path: &std::path::Path) -> HashMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(std::fs::File::open(path).unwrap());
    let mut out = HashMap::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        assert!(out.insert(name.clone(), bytes).is_none(), "{name} twice");
    }
    out
}

#[tokio::test]
async fn a_backup_taken_during_uploads_is_one_consistent_instant_with_every_file() {
    let (app, token) = deal_room_files().await;
    for i in 0..5 {
        let body = format!("before the backup {i}").repeat(100).into_bytes();
        assert_eq!(
            upload_to_deal_room(&app, &token, &format!("before-{i}.txt"), body).await,
            201
        );
    }
    // Uploads go on while the backup is taken.
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (writing, token) = (writing.clone(), token.clone());
        let client = app.bare_client();
        let url = app.url("/api/v1/spaces/7/files");
        tokio::spawn(async move {
            let mut i = 0;
            while writing.load(Ordering::SeqCst) {
                let res = client
                    .post(format!("{url}?name=during-{i}.txt"))
                    .bearer_auth(&token)
                    .body(format!("written during the backup {i}").into_bytes())
                    .send()
                    .await;
                assert_eq!(res.map(|r| r.status().as_u16()).unwrap_or(0), 201);
                i += 1;
            }
            i
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("parvis.tar");
    let config = app.state.config.as_ref().clone();
    let target = out.clone();
    let summary =
        tokio::task::spawn_blocking(move || backup::backup(&config, &target, None, |_| {}))
            .await
            .unwrap()
            .unwrap();
    writing.store(false, Ordering::SeqCst);
    let during = writer.await.unwrap();
    assert!(during > 0, "no upload ran during the backup");

    let files = entries(&out);
    /// The manifest as a reader in another language would take it: one JSON document.
    #[derive(serde::Deserialize)]
    struct Manifest {
        format: u32,
        schema_version: u32,
        files: Vec<FileEntry>,
    }
    let manifest: Manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest.format, backup::FORMAT);
    assert!(manifest.schema_version >= 9);
    assert_eq!(
        manifest.files.len() + 1,
        files.len(),
        "every file is listed"
    );
    assert_eq!(summary.files, files.len());
    for f in &manifest.files {
        let bytes = &files[&f.path];
        assert_eq!(bytes.len() as u64, f.size, "{}", f.path);
        assert_eq!(
            blake3::hash(bytes).to_hex().to_string(),
            f.blake3,
            "{}",
            f.path
        );
    }
    // The database copy is whole, and every file it refers to is there.
    let db_dir = tempfile::tempdir().unwrap();
    let db_path = db_dir.path().join("parvis.db");
    std::fs::write(&db_path, &files["parvis.db"]).unwrap();
    let db = rusqlite::Connection::open(&db_path).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let hashes: Vec<String> = db
        .prepare("SELECT blob_hash FROM document_versions")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(hashes.len() >= 5, "{}", hashes.len());
    for h in &hashes {
        let name = format!("blobs/{}/{}", &h[..2], &h[2..]);
        let bytes = files.get(&name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(&blake3::hash(bytes).to_hex().to_string(), h);
    }
    assert_eq!(
        summary.blobs,
        files.keys().filter(|k| k.starts_with("blobs/")).count()
    );
    // No temporary file is left beside the archive.
    let left: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["parvis.tar"]);
}

#[tokio::test]
async fn a_backup_that_cannot_be_whole_leaves_nothing_behind() {
    let (app, token) = deal_room_files().await;
    assert_eq!(
        upload_to_deal_room(&app, &token, "a.txt", b"some content".to_vec()).await,
        201
    );
    // A stored file vanishes from the disk.
    let hash: String = {
        let db = rusqlite::Connection::open(app.state.config.data_dir.join("parvis.db")).unwrap();
        db.query_row("SELECT blob_hash FROM document_versions", [], |r| r.get(0))
            .unwrap()
    };
    let blob = app
        .state
        .config
        .data_dir
        .join("blobs")
        .join(&hash[..2])
        .join(&hash[2..]);
    std::fs::remove_file(blob).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("parvis.tar");
    let config = app.state.config.as_ref().clone();
    let target = out.clone();
    let err = tokio::task::spawn_blocking(move || backup::backup(&config, &target, None, |_| {}))
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.to_string().contains(&hash), "{err}");
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn a_restored_instance_serves_the_same_files_and_finds_them() {
    let (app, token) = deal_room().await;
    let body = b"Minutes of the steering committee: conveyor acceptance on Friday.".to_vec();
    assert_eq!(
        upload_to_deal_room(&app, &token, "Minutes.txt", body.clone()).await,
        201
    );
    let out_dir = tempfile::tempdir().unwrap();
    let archive = out_dir.path().join("parvis.tar");
    let config = app.state.config.as_ref().clone();
    let target = archive.clone();
    tokio::task::spawn_blocking(move || backup::backup(&config, &target, None, |_| {}))
        .await
        .unwrap()
        .unwrap();
    drop(app);

    let restored = tempfile::tempdir().unwrap();
    let (from, into) = (archive.clone(), restored.path().to_path_buf());
    tokio::task::spawn_blocking(move || parvis::ops::restore::restore(&from, &into, false))
        .await
        .unwrap()
        .unwrap();
    let config = test_config(restored.path());
    let app = TestApp::start(config, TempOrKept::Temp(restored)).await;
    // The same token, the same file, byte for byte; the index rebuilt at start finds it.
    assert_eq!(app.content_of(&token, "Minutes.txt").await, (200, body));
    app.until_search(&token, "conveyor", "never found", |v| v["total"] == 1)
        .await;
}

#[tokio::test]
async fn the_server_takes_scheduled_backups_and_keeps_the_newest() {
    let app = TestApp::spawn_with(|c| {
        c.backup.every = std::time::Duration::from_millis(700);
        c.backup.keep = 2;
    })
    .await;
    let dir = app.state.config.data_dir.join("backups");
    let archives = || -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        v.retain(|p| p.extension().is_some_and(|e| e == "tar"));
        v.sort();
        v
    };
    // Four periods: four backups written, the two newest kept.
    tokio::time::sleep(std::time::Duration::from_millis(3_300)).await;
    // (A third may show for the instant between a backup and its rotation.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let kept = loop {
        let kept = archives();
        if kept.len() == 2 || std::time::Instant::now() > deadline {
            break kept;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(kept.len(), 2, "{kept:?}");
    for a in &kept {
        let m = tokio::task::spawn_blocking({
            let a = a.clone();
            move || parvis::ops::restore::verify(&a)
        })
        .await
        .unwrap()
        .unwrap();
        // The database at least (verify refuses an archive without it).
        assert!(m.files >= 1, "{m:?}");
    }
}

/// `parvis backup` of `data` into `out`, incremental from `base`.
fn backup_cli(data: &std::path::Path, out: &std::path::Path, base: Option<&std::path::Path>) {
    let mut c = parvis(data);
    c.args(["backup", "--out"]).arg(out);
    if let Some(b) = base {
        c.arg("--incremental-from").arg(b);
    }
    let r = run(c);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

fn blob_entries(archive: &std::path::Path) -> usize {
    entries(archive)
        .keys()
        .filter(|k| k.starts_with("blobs/"))
        .count()
}

#[tokio::test]
async fn incremental_backups_store_only_new_files_and_restore_from_their_chain() {
    let (app, token) = deal_room_files().await;
    let data = app.state.config.data_dir.clone();
    let dir = tempfile::tempdir().unwrap();
    let (full, monday, tuesday) = (
        dir.path().join("full.tar"),
        dir.path().join("monday.tar"),
        dir.path().join("tuesday.tar"),
    );
    // Files with no text to extract, so that the database stays small beside them.
    let noise = |seed: &str| -> Vec<u8> {
        let mut out = vec![0u8; 300_000];
        blake3::Hasher::new()
            .update(seed.as_bytes())
            .finalize_xof()
            .fill(&mut out);
        out
    };
    for name in ["a.bin", "b.bin"] {
        assert_eq!(
            upload_to_deal_room(&app, &token, name, noise(name)).await,
            201
        );
    }
    backup_cli(&data, &full, None);
    assert_eq!(blob_entries(&full), 2);
    assert_eq!(
        upload_to_deal_room(&app, &token, "c.bin", noise("c.bin")).await,
        201
    );
    // The chain stays in one directory: restore looks for it there.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut c = parvis(&data);
    c.args(["backup", "--out"])
        .arg(elsewhere.path().join("monday.tar"))
        .arg("--incremental-from")
        .arg(&full);
    let r = run(c);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("must be in the directory"),
        "{}",
        r.stderr
    );
    backup_cli(&data, &monday, Some(&full));
    assert_eq!(blob_entries(&monday), 1, "only the new file");
    assert!(
        std::fs::metadata(&monday).unwrap().len() < std::fs::metadata(&full).unwrap().len(),
        "smaller than the full one"
    );
    assert_eq!(
        upload_to_deal_room(&app, &token, "d.bin", noise("d.bin")).await,
        201
    );
    backup_cli(&data, &tuesday, Some(&monday));
    assert_eq!(blob_entries(&tuesday), 1);
    let mut listed = Vec::new();
    parvis::ops::restore::read_manifest(&tuesday, |f| {
        listed.push(f);
        Ok(())
    })
    .unwrap();
    let stored_in = |name: &str| -> Vec<String> {
        listed
            .iter()
            .filter(|f| f.path.starts_with("blobs/"))
            .filter_map(|f| f.stored_in.clone())
            .filter(|s| s == name)
            .collect()
    };
    assert_eq!(
        stored_in("full.tar").len(),
        2,
        "each file named where it is"
    );
    assert_eq!(stored_in("monday.tar").len(), 1);
    drop(app);

    // Restored from the chain: all four files, byte for byte.
    let into = tempfile::tempdir().unwrap();
    let target = into.path().join("restored");
    let out = {
        let mut c = parvis(&target);
        c.args(["restore", "--from"]).arg(&tuesday);
        run(c)
    };
    assert_verified_and_indexed(&out);
    let db = rusqlite::Connection::open(target.join("parvis.db")).unwrap();
    let hashes: Vec<String> = db
        .prepare("SELECT blob_hash FROM documents ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hashes.len(), 4);
    for h in &hashes {
        let bytes = std::fs::read(target.join("blobs").join(&h[..2]).join(&h[2..])).unwrap();
        assert_eq!(blake3::hash(&bytes).to_hex().to_string(), *h);
    }

    // A link of the chain missing, or changed: refused, naming the file.
    let elsewhere = into.path().join("moved.tar");
    std::fs::rename(&full, &elsewhere).unwrap();
    let err = parvis::ops::restore::verify(&tuesday)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("full.tar") && err.contains("not beside"),
        "{err}"
    );
    let mut bytes = std::fs::read(&elsewhere).unwrap();
    // Inside b.bin's bytes, which Tuesday's backup counts on full.tar for.
    let b = noise("b.bin");
    let at = bytes.windows(64).position(|w| w == &b[..64]).unwrap() + 100;
    bytes[at] ^= 0x20;
    std::fs::write(&full, bytes).unwrap();
    let err = parvis::ops::restore::verify(&tuesday)
        .unwrap_err()
        .to_string();
    assert!(err.contains("blobs/") && err.contains("full.tar"), "{err}");
}

/// The binary with every file it writes limited to 2 MiB (RLIMIT_FSIZE, the
/// signal ignored): writes past it fail as on a full disk (EFBIG instead of
/// ENOSPC), on any machine and without privileges.
fn on_a_small_disk(data: &std::path::Path, args: &[&std::ffi::OsStr]) -> Output {
    let mut c = std::process::Command::new("bash");
    c.arg("-c")
        .arg("trap '' XFSZ; ulimit -f 2048; exec \"$@\"")
        .arg("small-disk")
        .arg(env!("CARGO_BIN_EXE_parvis"))
        .arg("--data-dir")
        .arg(data)
        .args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("PARVIS_") {
            c.env_remove(k);
        }
    }
    c.stdin(std::process::Stdio::null());
    run(c)
}

#[tokio::test]
async fn a_full_disk_during_backup_export_restore_or_import_leaves_nothing_behind() {
    let (app, token) = deal_room().await;
    let mut big = vec![0u8; 3 << 20];
    blake3::Hasher::new()
        .update(b"big")
        .finalize_xof()
        .fill(&mut big);
    assert_eq!(
        upload_to_deal_room(&app, &token, "big.bin", big.clone()).await,
        201
    );
    let data = app.state.config.data_dir.clone();
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let os = |s: &str| std::ffi::OsString::from(s);
    let fails = |out: Output, what: &str| {
        assert_eq!(out.code, 1, "{what} succeeded: {}", out.stdout);
        assert!(out.stderr.contains("too large"), "{what}: {}", out.stderr);
    };
    let listing = |dir: &std::path::Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };

    // Backup and export, while the instance serves.
    for (what, args) in [
        (
            "backup",
            vec![os("backup"), os("--out"), w.join("b.tar").into()],
        ),
        (
            "export",
            vec![os("export"), os("--out"), w.join("e").into()],
        ),
        (
            "export to tar",
            vec![os("export"), os("--out"), w.join("e.tar").into()],
        ),
    ] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        fails(on_a_small_disk(&data, &args), what);
        assert!(listing(w).is_empty(), "{what} left {:?}", listing(w));
    }
    // The instance is untouched: it serves the file, its database is whole.
    assert_eq!(app.content_of(&token, "big.bin").await, (200, big));
    assert_eq!(
        app.count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'")
            .await,
        1
    );

    // Restore and import onto a small disk: the target stays empty.
    backup_cli(&data, &w.join("b.tar"), None);
    let mut c = parvis(&data);
    c.args(["export", "--out"]).arg(w.join("e"));
    assert_eq!(run(c).code, 0);
    for (what, sub, from) in [("restore", "restore", "b.tar"), ("import", "import", "e")] {
        let target = w.join(format!("target-{what}"));
        let from = w.join(from);
        let args = [os(sub), os("--from"), from.into_os_string()];
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        fails(on_a_small_disk(&target, &args), what);
        assert!(
            listing(&target).is_empty(),
            "{what} left {:?}",
            listing(&target)
        );
    }
}
