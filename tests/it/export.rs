//! Leaving with everything: `parvis export` of a serving instance, `parvis
//! import` of that export into a new one, and the same files when the new
//! instance is exported again. Imports of hostile or damaged exports are
//! refused with the name of what is wrong, and leave nothing behind.

use crate::helpers::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `root`, by `/`-separated relative path.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn export(data: &Path, out: &Path) -> Output {
    let mut c = parvis(data);
    c.args(["export", "--out"]).arg(out);
    run(c)
}

fn import(from: &Path, data: &Path) -> Output {
    let mut c = parvis(data);
    c.args(["import", "--from"]).arg(from);
    run(c)
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

/// Uploads and returns the document's id.
async fn upload(app: &TestApp, token: &str, name: &str, body: &str) -> i64 {
    let res = app
        .bare_client()
        .post(app.url(&format!("/api/v1/spaces/7/files?name={name}")))
        .bearer_auth(token)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    res.json::<serde_json::Value>().await.unwrap()["document"]["id"]
        .as_i64()
        .unwrap()
}

/// A serving instance with versions, a non-ASCII name, and two trashed
/// files of the same name; exported while it serves.
async fn exported(root: &Path) -> PathBuf {
    let (app, token) = deal_room().await;
    upload(&app, &token, "report.md", "first draft").await;
    upload(&app, &token, "report.md", "second draft").await;
    upload(&app, &token, "R%C3%A9union%20plan.txt", "ordre du jour").await;
    for text in ["old notes", "older notes"] {
        let id = upload(&app, &token, "notes.txt", text).await;
        let res = app
            .bare_client()
            .delete(app.url(&format!("/api/v1/documents/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
    let one = root.join("one");
    let out = export(&app.state.config.data_dir, &one);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    app.stop().await;
    one
}

#[tokio::test]
async fn an_export_imported_then_exported_again_gives_the_same_files() {
    let root = tempfile::tempdir().unwrap();
    let one = exported(root.path()).await;
    let files = tree(&one);

    // Readable without Parvis: the files in their tree, versions beside them.
    assert_eq!(files["spaces/deal/report.md"], b"second draft");
    assert_eq!(files["spaces/deal/report.v1.md"], b"first draft");
    assert_eq!(files["spaces/deal/Réunion plan.txt"], b"ordre du jour");
    assert_eq!(files["trash/deal/notes.txt"], b"old notes");
    assert_eq!(files["trash/deal/notes (2).txt"], b"older notes");
    let readme = String::from_utf8(files["README.txt"].clone()).unwrap();
    assert!(readme.contains("people.jsonl (and people.csv)"), "{readme}");
    let people = String::from_utf8(files["people.jsonl"].clone()).unwrap();
    assert!(people.contains("sofia@host.example"));
    assert!(files.contains_key("people.csv") && files.contains_key("audit_log.jsonl"));
    // No secret leaves: no password hash, no token hash anywhere.
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("$argon2"), "{name} holds a password hash");
        if name.ends_with(".jsonl") || name.ends_with(".csv") {
            assert!(!text.contains("password_hash"), "{name}");
        }
    }
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["kind"], "instance");
    assert_eq!(manifest["counts"]["document_versions.jsonl"], 5);
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), files.len() - 1, "every file but the manifest");
    for f in listed {
        let bytes = &files[f["path"].as_str().unwrap()];
        assert_eq!(f["blake3"], blake3::hash(bytes).to_hex().to_string());
    }

    // Imported into a new directory, then exported: the same bytes.
    let b = root.path().join("b");
    let out = import(&one, &b);
    assert_verified_and_indexed(&out);
    let two = root.path().join("two");
    let out = export(&b, &two);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        tree(&two),
        files,
        "export → import → export changed something"
    );
    // As an archive too.
    let archive = root.path().join("three.tar");
    assert_eq!(export(&b, &archive).code, 0);
    let c_dir = root.path().join("c");
    let out = import(&archive, &c_dir);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let four = root.path().join("four");
    assert_eq!(export(&c_dir, &four).code, 0);
    assert_eq!(tree(&four), files);
    let mut check = parvis(&c_dir);
    check.arg("check");
    let out = run(check);
    assert_eq!(out.code, 0, "{}", out.stdout);

    // Not into an instance; not over an existing export.
    let out = import(&one, &b);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("not empty"), "{}", out.stderr);
    let out = export(&b, &two);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);

    // Passwords did not come along: Sofia is invited to choose one, and
    // her link works on the imported instance.
    let links = std::fs::read_to_string(b.join("invitations.csv")).unwrap();
    let link = links
        .lines()
        .find(|l| l.starts_with("sofia@host.example,"))
        .expect("Sofia is invited");
    let token = link.rsplit("/invite/").next().unwrap().to_string();
    let server = ServeProcess::start(parvis(&b), &[]);
    let client = server.client_for(&b).build().unwrap();
    let page = |t: String| {
        let client = client.clone();
        let url = format!("https://localhost:{}/invite/{t}", server.port);
        async move {
            let res = client.get(url).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (status, html) = page(token).await;
    assert_eq!(status, 200);
    assert!(html.contains("type=\"password\""), "{html}");
    let (_, html) = page("not-a-real-token-at-all-0000000000000000000".into()).await;
    assert!(!html.contains("type=\"password\""), "{html}");
}

/// Rewrites the manifest's sizes and checksums after a deliberate edit, as
/// a careful forger would.
fn reseal(dir: &Path) {
    let path = dir.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for f in m["files"].as_array_mut().unwrap() {
        let bytes = std::fs::read(dir.join(f["path"].as_str().unwrap())).unwrap();
        f["size"] = bytes.len().into();
        f["blake3"] = blake3::hash(&bytes).to_hex().to_string().into();
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Replaces the first line of `file` in a copy of the export.
fn edit_first_line(dir: &Path, file: &str, edit: impl Fn(&mut serde_json::Value)) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut row: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    edit(&mut row);
    lines[0] = row.to_string();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

#[tokio::test]
async fn hostile_or_damaged_exports_are_refused_and_leave_nothing() {
    let root = tempfile::tempdir().unwrap();
    let one = exported(root.path()).await;
    let target = root.path().join("target");
    let mut n = 0;
    let mut refused = |from: &Path, expect: &[&str]| {
        let out = import(from, &target);
        assert_eq!(out.code, 1, "accepted: {}", out.stdout);
        for e in expect {
            assert!(out.stderr.contains(e), "{e:?} not in {}", out.stderr);
        }
        assert!(is_empty(&target), "something was left behind");
        n += 1;
    };
    let variant = |name: &str| {
        let d = root.path().join(name);
        copy_tree(&one, &d);
        d
    };

    // A file changed after the export.
    let d = variant("changed");
    std::fs::write(d.join("spaces/deal/report.md"), "tampered").unwrap();
    refused(&d, &["spaces/deal/report.md", "differs from the manifest"]);
    // A file not in the manifest.
    let d = variant("extra");
    std::fs::write(d.join("spaces/deal/planted.exe"), "MZ").unwrap();
    refused(&d, &["planted.exe", "not listed"]);
    // A symbolic link in place of a file.
    let d = variant("link");
    std::fs::remove_file(d.join("spaces/deal/report.md")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", d.join("spaces/deal/report.md")).unwrap();
    refused(&d, &["report.md", "symbolic link"]);
    // A forged row smuggling a password hash in, manifest resealed.
    let d = variant("secret");
    edit_first_line(&d, "people.jsonl", |r| {
        r["password_hash"] = "$argon2id$v=19$forged".into()
    });
    reseal(&d);
    refused(&d, &["people.jsonl line 1", "unknown field password_hash"]);
    // A value of the wrong type.
    let d = variant("type");
    edit_first_line(&d, "people.jsonl", |r| {
        r["org_id"] = "1; DROP TABLE people".into()
    });
    reseal(&d);
    refused(&d, &["people.jsonl line 1", "org_id", "integer"]);
    // A reference to nothing.
    let d = variant("dangling");
    edit_first_line(&d, "people.jsonl", |r| r["org_id"] = 999.into());
    reseal(&d);
    refused(&d, &["people", "not in the export"]);
    // An edited audit event, resealed: the chain gives it away.
    let d = variant("audit");
    edit_first_line(&d, "audit_log.jsonl", |r| r["ip"] = "10.6.6.6".into());
    reseal(&d);
    refused(&d, &["audit_log.jsonl", "audit chain"]);
    // A file whose bytes are not the version's.
    let d = variant("bytes");
    std::fs::write(d.join("spaces/deal/report.md"), "swapped").unwrap();
    reseal(&d);
    refused(&d, &["spaces/deal/report.md", "blob_hash"]);
    // Not an export at all.
    let d = root.path().join("nothing");
    std::fs::create_dir_all(&d).unwrap();
    refused(&d, &["manifest.json", "not a Parvis export"]);

    // Archives: escaping names, links, duplicates, absurd sizes.
    for (i, (name, kind, twice, size)) in [
        ("../escaped.txt", tar::EntryType::Regular, false, 1u64),
        ("spaces/deal/report.md", tar::EntryType::Symlink, false, 0),
        ("manifest.json", tar::EntryType::Regular, true, 1),
        ("people.jsonl", tar::EntryType::Regular, false, 1 << 41),
    ]
    .into_iter()
    .enumerate()
    {
        let evil = root.path().join(format!("evil-{i}.tar"));
        hostile_tar(&evil, name, kind, twice, size);
        refused(&evil, &[name.trim_start_matches("../")]);
    }
    assert_eq!(n, 13);
}

#[tokio::test]
async fn an_export_taken_during_uploads_is_one_consistent_instant() {
    let (app, token) = deal_room().await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (client, url, token, stop) = (
            app.bare_client(),
            app.url("/api/v1/spaces/7/files"),
            token.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let res = client
                    .post(format!("{url}?name=during-{n}.txt"))
                    .bearer_auth(&token)
                    .body(format!("written while exporting {n} ").repeat(200))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status().as_u16(), 201);
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let root = tempfile::tempdir().unwrap();
    let one = root.path().join("one");
    let data = app.state.config.data_dir.clone();
    let out = {
        let one = one.clone();
        tokio::task::spawn_blocking(move || export(&data, &one))
            .await
            .unwrap()
    };
    assert_eq!(out.code, 0, "{}", out.stderr);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let uploads = writer.await.unwrap();
    let exported: usize = String::from_utf8(std::fs::read(one.join("documents.jsonl")).unwrap())
        .unwrap()
        .lines()
        .count();
    assert!(
        exported > 0 && exported < uploads,
        "{exported} of {uploads}: the export is an instant in the middle"
    );
    // Import checks every reference, file and checksum: it takes the export whole.
    let b = root.path().join("b");
    let out = import(&one, &b);
    assert_verified_and_indexed(&out);
}
