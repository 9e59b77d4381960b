//! WebDAV against a real server: Debian's litmus suites, an rclone sync up
//! and back down byte for byte, and the same access rules as the pages
//! (other spaces, restricted folders, read-only tokens, check-outs, hostile
//! names), with writes as versions and deletes into the trash.

use crate::helpers::*;
use parvis::auth::tokens::Scope;
use reqwest::{Method, StatusCode};
use std::path::Path;

async fn world() -> TestApp {
    let app = TestApp::spawn_with(|c| c.tls.mode = parvis::config::TlsMode::Off).await;
    app.create_org("rival-co", "Rival Co", "client").await;
    let staff = app.create_person("sofia@host.example", "Sofia", None).await;
    let reader = app.create_person("tom@host.example", "Tom", None).await;
    let spy = app
        .create_person("spy@rival.example", "Spy", Some("rival-co"))
        .await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES
           (7, 'deal', 'Deal room', 'members', 0, 0), (8, 'rival', 'Rival room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES
           (7, {staff}, 'contributor', 0), (7, {reader}, 'reader', 0), (8, {spy}, 'contributor', 0);"
    ))
    .await;
    app
}

struct Dav<'a> {
    app: &'a TestApp,
    user: String,
    pass: String,
}

impl<'a> Dav<'a> {
    async fn as_(app: &'a TestApp, email: &str, scope: Scope) -> Dav<'a> {
        Dav {
            app,
            user: email.to_string(),
            pass: api_token(app, email, scope).await,
        }
    }

    fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        self.app
            .bare_client()
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                self.app.url(path),
            )
            .basic_auth(&self.user, Some(&self.pass))
    }

    async fn send(&self, method: &str, path: &str) -> (StatusCode, String) {
        let res = self
            .request(method, path)
            .header("depth", "1")
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap_or_default())
    }

    async fn put(&self, path: &str, body: &[u8]) -> StatusCode {
        self.request("PUT", path)
            .body(body.to_vec())
            .send()
            .await
            .unwrap()
            .status()
    }
}

/// Runs a peer program without blocking the server's runtime.
async fn peer(program: &str, args: Vec<String>, envs: Vec<(String, String)>) -> Output {
    let program = program.to_string();
    tokio::task::spawn_blocking(move || {
        // litmus writes its debug.log where it runs: not in the repository.
        let cwd = tempfile::tempdir().unwrap();
        let mut c = std::process::Command::new(&program);
        c.args(&args).envs(envs).current_dir(cwd.path());
        match c.output() {
            Ok(o) => Output {
                code: o.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            },
            Err(e) => panic!("{program} could not start ({e}); .ci/run installs it"),
        }
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn litmus_suites_pass() {
    let app = world().await;
    let token = api_token(&app, "sofia@host.example", Scope::Write).await;
    let url = app.url("/dav/deal/");
    let out = peer(
        "litmus",
        vec![url, "sofia@host.example".into(), token],
        vec![("TESTS".into(), "basic copymove props locks http".into())],
    )
    .await;
    for suite in ["basic", "copymove", "props", "locks", "http"] {
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("<- summary for `{suite}'")))
            .unwrap_or_else(|| panic!("no summary for {suite}:\n{}", out.stdout));
        assert!(line.contains(" 0 failed"), "{line}\n{}", out.stdout);
    }
    assert_eq!(out.code, 0, "{}", out.stdout);
}

fn write_tree(root: &Path) {
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("readme.txt", b"hello\n".to_vec()),
        ("empty.bin", Vec::new()),
        ("contrats/2026/accord été.pdf", b"%PDF-1.7 fake".to_vec()),
        (
            "contrats/2026/big.bin",
            (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect(),
        ),
        (
            "photos/ünïcødé ✓.png",
            vec![0x89, b'P', b'N', b'G', 0, 1, 2],
        ),
        ("photos/nested/deeper/note.md", b"# Title\n".to_vec()),
    ];
    for (name, data) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
}

fn listing(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

#[tokio::test]
async fn rclone_sync_round_trips_byte_for_byte() {
    let app = world().await;
    let token = api_token(&app, "sofia@host.example", Scope::Write).await;
    let obscured = peer("rclone", vec!["obscure".into(), token], vec![]).await;
    assert_eq!(obscured.code, 0, "{}", obscured.stderr);
    let env = vec![
        (
            "RCLONE_CONFIG_PARVIS_TYPE".to_string(),
            "webdav".to_string(),
        ),
        ("RCLONE_CONFIG_PARVIS_URL".into(), app.url("/dav/")),
        ("RCLONE_CONFIG_PARVIS_VENDOR".into(), "other".into()),
        (
            "RCLONE_CONFIG_PARVIS_USER".into(),
            "sofia@host.example".into(),
        ),
        (
            "RCLONE_CONFIG_PARVIS_PASS".into(),
            obscured.stdout.trim().to_string(),
        ),
        ("RCLONE_CONFIG".into(), "/dev/null".into()),
    ];
    let work = tempfile::tempdir().unwrap();
    let up = work.path().join("up");
    let down = work.path().join("down");
    write_tree(&up);
    let sync = |from: String, to: String| {
        vec![
            "sync".to_string(),
            from,
            to,
            "--create-empty-src-dirs".into(),
        ]
    };
    let out = peer(
        "rclone",
        sync(up.display().to_string(), "parvis:deal/synced".into()),
        env.clone(),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = peer(
        "rclone",
        sync("parvis:deal/synced".into(), down.display().to_string()),
        env.clone(),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(listing(&up), listing(&down));

    // A changed file goes up as a new version of the same document.
    std::fs::write(up.join("readme.txt"), b"hello again\n").unwrap();
    let out = peer(
        "rclone",
        sync(up.display().to_string(), "parvis:deal/synced".into()),
        env,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM document_versions v JOIN documents d ON d.id = v.document_id
             WHERE d.name = 'readme.txt' AND d.deleted_at IS NULL"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn webdav_sees_and_changes_only_what_the_pages_allow() {
    let app = world().await;
    let sofia = Dav::as_(&app, "sofia@host.example", Scope::Write).await;
    let tom = Dav::as_(&app, "tom@host.example", Scope::Write).await;
    let spy = Dav::as_(&app, "spy@rival.example", Scope::Write).await;
    let sofia_ro = Dav::as_(&app, "sofia@host.example", Scope::Read).await;

    // No credentials, a wrong e-mail for a valid token, a made-up token: 401.
    let res = app
        .bare_client()
        .request(Method::from_bytes(b"PROPFIND").unwrap(), app.url("/dav/"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    let wrong = Dav {
        app: &app,
        user: "tom@host.example".into(),
        pass: sofia.pass.clone(),
    };
    assert_eq!(
        wrong.send("PROPFIND", "/dav/").await.0,
        StatusCode::UNAUTHORIZED
    );
    let fake = Dav {
        app: &app,
        user: "sofia@host.example".into(),
        pass: format!("pvs_{}", "A".repeat(43)),
    };
    assert_eq!(
        fake.send("PROPFIND", "/dav/").await.0,
        StatusCode::UNAUTHORIZED
    );

    // Each sees their own spaces, and nothing of the others.
    let (status, body) = sofia.send("PROPFIND", "/dav/").await;
    assert_eq!(status, StatusCode::MULTI_STATUS);
    assert!(
        body.contains("/dav/deal/") && !body.contains("rival"),
        "{body}"
    );
    let (_, body) = spy.send("PROPFIND", "/dav/").await;
    assert!(
        body.contains("/dav/rival/") && !body.contains("deal"),
        "{body}"
    );
    assert_eq!(
        spy.send("PROPFIND", "/dav/deal/").await.0,
        StatusCode::NOT_FOUND
    );
    // To them the space does not exist, so there is no parent to put into.
    assert_eq!(spy.put("/dav/deal/x.txt", b"x").await, StatusCode::CONFLICT);

    // Writes: a contributor's become documents, then versions.
    assert_eq!(
        sofia.put("/dav/deal/plan.txt", b"one").await,
        StatusCode::CREATED
    );
    assert_eq!(
        sofia.put("/dav/deal/plan.txt", b"two").await,
        StatusCode::NO_CONTENT
    );
    let (status, body) = tom.send("GET", "/dav/deal/plan.txt").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "two"));
    assert_eq!(
        app.count("SELECT current_version FROM documents WHERE name = 'plan.txt'")
            .await,
        2
    );
    let res = tom
        .request("GET", "/dav/deal/plan.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-disposition"], "attachment");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );

    // A reader, and a read-only token, change nothing.
    assert_eq!(
        tom.put("/dav/deal/plan.txt", b"tom").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sofia_ro.put("/dav/deal/new.txt", b"ro").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        tom.send("DELETE", "/dav/deal/plan.txt").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        tom.send("MKCOL", "/dav/deal/tom/").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sofia.send("MKCOL", "/dav/newspace/").await.0,
        StatusCode::FORBIDDEN
    );

    // Hostile names: refused, nothing written anywhere.
    let before = app.count("SELECT count(*) FROM documents").await;
    for path in [
        "/dav/deal/..%2f..%2fescape.txt",
        "/dav/deal/CON.txt",
        "/dav/deal/a%00b.txt",
        "/dav/deal/bad%0aname.txt",
    ] {
        let status = sofia.put(path, b"x").await;
        assert!(status.is_client_error(), "{path}: {status}");
    }
    assert_eq!(app.count("SELECT count(*) FROM documents").await, before);
    assert!(!app.state.config.data_dir.join("escape.txt").exists());

    // A check-out on the web holds off others' writes over WebDAV.
    let doc = app
        .count("SELECT id FROM documents WHERE name = 'plan.txt'")
        .await;
    app.sql(&format!(
        "UPDATE documents SET locked_by = (SELECT id FROM people WHERE email = 'tom@host.example'),
           locked_until = 99999999999999 WHERE id = {doc}"
    ))
    .await;
    assert_eq!(
        sofia.put("/dav/deal/plan.txt", b"three").await,
        StatusCode::FORBIDDEN
    );
    app.sql(&format!(
        "UPDATE documents SET locked_by = NULL, locked_until = NULL WHERE id = {doc}"
    ))
    .await;

    // A restricted folder is invisible to a reader, over WebDAV too.
    assert_eq!(
        sofia.send("MKCOL", "/dav/deal/board/").await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        sofia.put("/dav/deal/board/minutes.txt", b"m").await,
        StatusCode::CREATED
    );
    app.sql("UPDATE folders SET min_role = 'contributor' WHERE name = 'board'")
        .await;
    let (_, body) = tom.send("PROPFIND", "/dav/deal/").await;
    assert!(!body.contains("board"), "{body}");
    assert_eq!(
        tom.send("GET", "/dav/deal/board/minutes.txt").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        sofia.send("GET", "/dav/deal/board/minutes.txt").await.0,
        StatusCode::OK
    );

    // Deleting a folder puts it in the trash with its contents, restorable whole.
    assert_eq!(
        sofia.send("DELETE", "/dav/deal/board/").await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        sofia.send("GET", "/dav/deal/board/minutes.txt").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM documents WHERE name = 'minutes.txt' AND deleted_at IS NOT NULL"
        )
        .await,
        1
    );
    let folder = app
        .count("SELECT id FROM folders WHERE name = 'board'")
        .await;
    parvis::documents::folders::untrash(&app.state.db, &parvis::access::Actor::cli(), folder)
        .await
        .unwrap();
    assert_eq!(
        sofia.send("GET", "/dav/deal/board/minutes.txt").await.0,
        StatusCode::OK
    );

    // Moves keep the document (and its versions), under its new name.
    let res = sofia
        .request("MOVE", "/dav/deal/plan.txt")
        .header("destination", app.url("/dav/deal/board/plan-v2.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        app.count(&format!(
            "SELECT current_version FROM documents WHERE id = {doc} AND name = 'plan-v2.txt'"
        ))
        .await,
        2
    );
    // Every change went through the audited service.
    assert!(
        app.count("SELECT count(*) FROM audit_events WHERE action IN ('document.move', 'folder.trash', 'document.version')")
            .await
            >= 3
    );
}

const LOCKINFO: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>someone</D:owner></D:lockinfo>"#;
const PROPERTYUPDATE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:x-test:"><D:set><D:prop><Z:colour>red</Z:colour></D:prop></D:set></D:propertyupdate>"#;

impl Dav<'_> {
    /// Status and body of a request; the request id is blanked, and so is
    /// `name` (a space's slug), so that answers about two names compare.
    async fn answer(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: &str,
        name: &str,
    ) -> (StatusCode, String) {
        let mut req = self.request(method, path).body(body.to_string());
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let id = res
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let mut text = res.text().await.unwrap_or_default();
        if !id.is_empty() {
            text = text.replace(&id, "");
        }
        // An error page carries a fresh form token for every visitor.
        let marker = "name=\"_csrf\" value=\"";
        if let Some(at) = text.find(marker) {
            let start = at + marker.len();
            text.replace_range(start..start + 43.min(text.len() - start), "");
        }
        (status, text.replace(name, "NAME"))
    }

    async fn lock(&self, path: &str, timeout: &str) -> (StatusCode, String) {
        let res = self
            .request("LOCK", path)
            .header("timeout", timeout)
            .header("content-type", "application/xml")
            .body(LOCKINFO)
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap_or_default())
    }
}

#[tokio::test]
async fn a_space_locked_by_its_members_looks_missing_to_everyone_else() {
    let app = world().await;
    let spy = Dav::as_(&app, "spy@rival.example", Scope::Write).await;
    // The external person locks their own space's root, with everything in it.
    let (status, body) = spy.lock("/dav/rival/", "Second-600").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sofia = Dav::as_(&app, "sofia@host.example", Scope::Write).await;
    assert_eq!(
        sofia.put("/dav/deal/mine.txt", b"mine").await,
        StatusCode::CREATED
    );
    let dest = |name: &str| app.url(&format!("/dav/{name}/moved.txt"));
    // Method, path below the space, headers, body.
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, String)>, &'a str);
    let cases: Vec<Case> = vec![
        ("PUT", "x.txt", vec![], "data"),
        ("PUT", "", vec![], "data"),
        ("MKCOL", "new/", vec![], ""),
        ("MKCOL", "", vec![], ""),
        (
            "LOCK",
            "x.txt",
            vec![("timeout", "Second-60".into())],
            LOCKINFO,
        ),
        ("LOCK", "", vec![("timeout", "Second-60".into())], LOCKINFO),
        ("PROPPATCH", "", vec![], PROPERTYUPDATE),
        ("PROPFIND", "", vec![("depth", "1".into())], ""),
        ("DELETE", "", vec![], ""),
        ("GET", "x.txt", vec![], ""),
        (
            "UNLOCK",
            "",
            vec![("lock-token", "<urn:uuid:0>".into())],
            "",
        ),
        (
            "MOVE",
            "",
            vec![("destination", app.url("/dav/deal/moved/"))],
            "",
        ),
        (
            "COPY",
            "",
            vec![("destination", app.url("/dav/deal/copied/"))],
            "",
        ),
    ];
    for (method, tail, headers, body) in &cases {
        let hidden = sofia
            .answer(
                method,
                &format!("/dav/rival/{tail}"),
                headers,
                body,
                "rival",
            )
            .await;
        let missing = sofia
            .answer(
                method,
                &format!("/dav/nowhere/{tail}"),
                headers,
                body,
                "nowhere",
            )
            .await;
        assert_eq!(hidden, missing, "{method} /dav/rival/{tail}");
        assert!(hidden.0.is_client_error(), "{method} {tail}: {hidden:?}");
        assert_ne!(hidden.0, StatusCode::LOCKED, "{method} {tail}");
    }
    // A hidden space as the destination, too.
    for method in ["MOVE", "COPY"] {
        let hidden = sofia
            .answer(
                method,
                "/dav/deal/mine.txt",
                &[("destination", dest("rival"))],
                "",
                "rival",
            )
            .await;
        let missing = sofia
            .answer(
                method,
                "/dav/deal/mine.txt",
                &[("destination", dest("nowhere"))],
                "",
                "nowhere",
            )
            .await;
        assert_eq!(hidden, missing, "{method} to the hidden space");
        assert_eq!(hidden.0, StatusCode::CONFLICT, "{method}");
    }
    // The ordinary answers, for the record: a missing parent is a conflict.
    let (status, _) = sofia
        .answer("PUT", "/dav/rival/x.txt", &[], "data", "rival")
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Those who see the space still meet the lock.
    let (status, _) = spy
        .answer("PUT", "/dav/rival/x.txt", &[], "data", "rival")
        .await;
    assert_eq!(status, StatusCode::LOCKED);
}

#[tokio::test]
async fn a_lock_lasts_as_long_as_asked_within_bounds() {
    let app = world().await;
    let sofia = Dav::as_(&app, "sofia@host.example", Scope::Write).await;
    assert_eq!(
        sofia.put("/dav/deal/notes.txt", b"v1").await,
        StatusCode::CREATED
    );
    let (status, body) = sofia.lock("/dav/deal/notes.txt", "Second-1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Second-1"), "{body}");
    // Without the lock's token, a write meets the lock…
    assert_eq!(
        sofia.put("/dav/deal/notes.txt", b"v2").await,
        StatusCode::LOCKED
    );
    // …until the second has passed.
    let start = std::time::Instant::now();
    loop {
        let status = sofia.put("/dav/deal/notes.txt", b"v2").await;
        if status.is_success() {
            break;
        }
        assert_eq!(status, StatusCode::LOCKED);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "a 1-second lock still holds"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The check-out it was mirrored as ends with it.
    let checked_out = "SELECT COUNT(*) FROM documents WHERE name = 'notes.txt'
        AND locked_until > CAST(strftime('%s','now') AS INTEGER) * 1000 - 1000";
    while app.count(checked_out).await > 0 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the check-out outlives the lock"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // No timeout, or an infinite one, gets a bounded lease.
    for asked in ["Infinite", "Second-4100000000"] {
        let (status, body) = sofia.lock("/dav/deal/notes.txt", asked).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let secs: u64 = body
            .split("Second-")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no timeout in {body}"));
        assert!((1..=3600).contains(&secs), "{asked}: {secs}");
        let token = body
            .split("<D:href>")
            .find(|s| s.starts_with("urn:uuid:"))
            .and_then(|s| s.split('<').next())
            .unwrap_or_else(|| panic!("no token in {body}"))
            .to_string();
        let res = sofia
            .request("UNLOCK", "/dav/deal/notes.txt")
            .header("lock-token", format!("<{token}>"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_file_saved_over_webdav_says_so_in_its_versions() {
    let app = world().await;
    let sofia = Dav::as_(&app, "sofia@host.example", Scope::Write).await;
    let put = |body: &'static [u8], agent: &'static str, comment: Option<&'static str>| {
        let mut r = sofia
            .request("PUT", "/dav/deal/plan.txt")
            .header("user-agent", agent)
            .body(body.to_vec());
        if let Some(c) = comment {
            r = r.header("x-version-comment", c);
        }
        r.send()
    };
    assert!(
        put(b"one", "rclone/v1.60.1", None)
            .await
            .unwrap()
            .status()
            .is_success()
    );
    let res = put(
        b"two",
        "rclone/v1.60.1",
        Some("Prix%20r%C3%A9vis%C3%A9s%0A"),
    )
    .await
    .unwrap();
    assert!(res.status().is_success());
    let comments: Vec<String> = {
        let id = app
            .count("SELECT id FROM documents WHERE name = 'plan.txt'")
            .await;
        let db = app.state.db.clone();
        db.read(move |c| {
            let mut st = c.prepare(
                "SELECT comment FROM document_versions WHERE document_id = ?1 ORDER BY number",
            )?;
            let rows = st
                .query_map([id], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok::<_, parvis::db::DbError>(rows)
        })
        .await
        .unwrap()
    };
    assert_eq!(comments, vec!["WebDAV (rclone)", "Prix révisés"]);
}
