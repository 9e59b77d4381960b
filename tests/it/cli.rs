//! The real binary on a temporary data directory: init, users, organizations,
//! check, audit verification, and the serve process's signals.

use crate::helpers::*;

fn audit_events(dir: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(dir.join("parvis.db")).unwrap();
    c.query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn init_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = run({
        let mut c = parvis(dir.path());
        c.arg("init");
        c
    });
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first
            .stdout
            .contains("First administrator: admin@parvis.local"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("One-time password:"),
        "{}",
        first.stdout
    );
    assert!(dir.path().join("tls/cert.pem").exists());
    let events = audit_events(dir.path());
    let cert = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();

    let second = run({
        let mut c = parvis(dir.path());
        c.arg("init");
        c
    });
    assert_eq!(second.code, 0);
    assert!(
        second.stdout.contains("already initialized"),
        "{}",
        second.stdout
    );
    assert!(!second.stdout.contains("One-time password"));
    assert_eq!(audit_events(dir.path()), events);
    assert_eq!(
        std::fs::read(dir.path().join("tls/cert.pem")).unwrap(),
        cert,
        "certificate reused"
    );
}

#[test]
fn the_first_administrator_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = parvis(dir.path());
    c.env("PARVIS_ADMIN_EMAIL", "it@lumen.example")
        .env("PARVIS_ADMIN_PASSWORD", "quartz meadow lantern fig")
        .arg("init");
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("it@lumen.example") && !out.stdout.contains("One-time password"));

    let dir = tempfile::tempdir().unwrap();
    let mut c = parvis(dir.path());
    c.env("PARVIS_ADMIN_PASSWORD", "password1234").arg("init");
    let out = run(c);
    assert_eq!(
        out.code, 2,
        "a weak PARVIS_ADMIN_PASSWORD is a configuration error"
    );
    assert!(
        out.stderr.contains("PARVIS_ADMIN_PASSWORD"),
        "{}",
        out.stderr
    );
}

#[test]
fn users_and_organizations_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cmd = |args: &[&str]| {
        let mut c = parvis(d);
        c.args(args);
        c
    };
    assert_eq!(run(cmd(&["init"])).code, 0);
    let out = run(cmd(&[
        "org",
        "add",
        "--name",
        "Nordhavn Logistics",
        "--kind",
        "client",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("slug nordhavn-logistics"));
    let out = run(cmd(&[
        "org",
        "add",
        "--name",
        "Nordhavn Logistics",
        "--kind",
        "client",
    ]));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    let out = run(cmd(&["org", "add", "--name", "X", "--kind", "galaxy"]));
    assert_eq!(out.code, 2);
    let fresh = tempfile::tempdir().unwrap();
    let mut c = parvis(fresh.path());
    c.args(["user", "add", "--email", "a@b.example", "--name", "A"]);
    let out = run(c);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("run `parvis init` first"),
        "{}",
        out.stderr
    );

    let out = run_with_stdin(
        cmd(&[
            "user",
            "add",
            "--email",
            "Ingrid@Nordhavn.example",
            "--name",
            "Ingrid Solberg",
            "--org",
            "nordhavn-logistics",
            "--password-stdin",
        ]),
        "fjord harbour crane 1987\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run_with_stdin(
        cmd(&[
            "user",
            "add",
            "--email",
            "weak@nordhavn.example",
            "--name",
            "Weak",
            "--password-stdin",
        ]),
        "qwerty123456\n",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("too common"), "{}", out.stderr);
    let out = run(cmd(&[
        "user",
        "add",
        "--email",
        "not-an-email",
        "--name",
        "X",
    ]));
    assert_eq!(out.code, 2);
    // Without a terminal and without --password-stdin, a one-time password is generated.
    let out = run(cmd(&[
        "user",
        "add",
        "--email",
        "ana@lumen.example",
        "--name",
        "Ana Silva",
        "--title",
        "Buyer",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("One-time password:"));

    // External accounts can carry an end date; a past one is refused.
    let out = run(cmd(&[
        "user",
        "add",
        "--email",
        "eve@nordhavn.example",
        "--name",
        "Eve",
        "--org",
        "nordhavn-logistics",
        "--expires",
        "2099-06-30",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(cmd(&[
        "user",
        "add",
        "--email",
        "old@nordhavn.example",
        "--name",
        "Old",
        "--expires",
        "2001-01-01",
    ]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("already past"), "{}", out.stderr);
    let out = run(cmd(&[
        "user",
        "add",
        "--email",
        "odd@nordhavn.example",
        "--name",
        "Odd",
        "--expires",
        "30/06/2099",
    ]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("YYYY-MM-DD"), "{}", out.stderr);

    let out = run(cmd(&["user", "list"]));
    assert!(
        out.stdout.contains("ingrid@nordhavn.example") && out.stdout.contains("Nordhavn Logistics")
    );
    let out = run(cmd(&["user", "list", "--json"]));
    let rows: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    let eve = rows
        .iter()
        .find(|r| r["email"] == "eve@nordhavn.example")
        .unwrap();
    // Through the whole of 2099-06-30 UTC: it ends at 2099-07-01T00:00:00Z.
    assert_eq!(eve["expires_at"], 4_086_547_200_000i64);
    assert!(
        rows.iter().all(|r| r.get("password_hash").is_none()),
        "secrets never listed"
    );

    assert_eq!(
        run(cmd(&["user", "disable", "ingrid@nordhavn.example"])).code,
        0
    );
    let out = run(cmd(&["user", "list", "--json"]));
    assert!(out.stdout.contains("\"status\":\"disabled\""));
    assert_eq!(
        run(cmd(&["user", "enable", "ingrid@nordhavn.example"])).code,
        0
    );
    assert_eq!(
        run(cmd(&["user", "disable", "admin@parvis.local"])).code,
        1,
        "last admin"
    );
    assert_eq!(
        run(cmd(&["user", "disable", "nobody@nordhavn.example"])).code,
        1
    );
    let out = run_with_stdin(
        cmd(&[
            "user",
            "set-password",
            "ana@lumen.example",
            "--password-stdin",
        ]),
        "river stone copper kite\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);

    let out = run(cmd(&["org", "list", "--json"]));
    assert!(out.stdout.contains("\"kind\":\"host\"") && out.stdout.contains("\"kind\":\"client\""));
    let out = run(cmd(&["audit", "verify"]));
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn check_reports_and_audit_verify_detects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut c = parvis(d);
    c.arg("init");
    assert_eq!(run(c).code, 0);
    let mut c = parvis(d);
    c.arg("check");
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stdout);
    for name in [
        "database integrity",
        "foreign keys",
        "migrations",
        "audit chain",
        "tls certificate",
    ] {
        assert!(
            out.stdout.contains(name),
            "check lacks {name}: {}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("all checks passed"));
    assert!(out.stdout.contains("not built yet"), "{}", out.stdout);

    // The search index against the database: built, then stale when rows
    // change behind the indexer's back.
    let mut c = parvis(d);
    c.arg("reindex");
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let mut c = parvis(d);
    c.arg("check");
    let out = run(c);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("search index"))
        .unwrap_or_default()
        .to_string();
    assert!(
        line.contains("1 entries for 1 in the database"),
        "{}",
        out.stdout
    );
    {
        let conn = rusqlite::Connection::open(d.join("parvis.db")).unwrap();
        conn.execute_batch(
            "INSERT INTO spaces (slug, name, created_at, updated_at) VALUES ('raw', 'Raw', 0, 0);",
        )
        .unwrap();
    }
    let mut c = parvis(d);
    c.arg("check");
    let out = run(c);
    assert_eq!(out.code, 0, "a stale index is a warning: {}", out.stdout);
    assert!(
        out.stdout
            .contains("1 entries for 2 in the database (run `parvis reindex`)"),
        "{}",
        out.stdout
    );

    // A notification e-mail that waits past its time: the mailer is stuck.
    {
        let conn = rusqlite::Connection::open(d.join("parvis.db")).unwrap();
        conn.execute_batch(
            "INSERT INTO notifications (person_id, reason, target_type, target_id, audit_id, created_at, mail_due_at)
             SELECT min(id), 'space-added', 'space', 1, 1, 0, 1000 FROM people;",
        )
        .unwrap();
    }
    let mut c = parvis(d);
    c.arg("check");
    let out = run(c);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("notification e-mail"))
        .unwrap_or_default()
        .to_string();
    assert!(
        line.contains("FAIL") && line.contains("1 notification(s) wait"),
        "{}",
        out.stdout
    );
    {
        let conn = rusqlite::Connection::open(d.join("parvis.db")).unwrap();
        conn.execute_batch("UPDATE notifications SET mail_due_at = NULL;")
            .unwrap();
    }
    let mut c = parvis(d);
    c.arg("check");
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stdout);

    // Someone with raw access edits a row.
    {
        let conn = rusqlite::Connection::open(d.join("parvis.db")).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_events_no_update;
             UPDATE audit_events SET detail = '{\"email\":\"someone-else@x.example\"}' WHERE id = 2;",
        )
        .unwrap();
    }
    let mut c = parvis(d);
    c.args(["audit", "verify"]);
    let out = run(c);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("BROKEN at event 2"), "{}", out.stdout);
    let mut c = parvis(d);
    c.arg("check");
    let out = run(c);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("FAIL") && out.stdout.contains("audit chain"));
}

#[test]
fn serve_demo_seeds_a_living_company_once_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut server = ServeProcess::start(parvis(d), &["--demo"]);
    assert!(
        server
            .stdout
            .contains("First administrator: admin@parvis.local"),
        "{}",
        server.stdout
    );
    assert!(
        server.stdout.contains("Demo people (password for all:"),
        "{}",
        server.stdout
    );
    server.signal("TERM");
    assert_eq!(
        server.wait(30),
        Some(0),
        "SIGTERM must end serve with exit code 0"
    );
    let wal = d.join("parvis.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "WAL checkpointed at shutdown"
    );

    let mut server = ServeProcess::start(parvis(d), &["--demo"]);
    assert!(!server.stdout.contains("Demo people"), "demo seeded twice");
    assert!(!server.stdout.contains("One-time password"));
    server.signal("INT");
    assert_eq!(server.wait(30), Some(0));
    let c = rusqlite::Connection::open(d.join("parvis.db")).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM people"), 13);
    assert_eq!(count("SELECT COUNT(*) FROM organizations"), 3);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM organizations WHERE kind = 'host' AND name = 'Lumen Industries'"
        ),
        1
    );
    assert_eq!(count("SELECT COUNT(*) FROM spaces"), 5);
    // Each role does its job: the CEO manages and writes in Company news,
    // managers pin links, the companies carry their e-mail domains.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM space_members m JOIN people p ON p.id = m.person_id
              JOIN spaces s ON s.id = m.space_id
             WHERE p.email = 'claire.martin@lumen.example' AND s.slug = 'company-news' AND m.role = 'manager'"
        ),
        1
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM documents d JOIN spaces s ON s.id = d.space_id
             JOIN people p ON p.id = d.created_by
             WHERE s.slug = 'company-news' AND p.email = 'claire.martin@lumen.example'"
        ),
        1
    );
    assert!(count("SELECT COUNT(*) FROM space_links") >= 4);
    // Every kind of content shows in the demo.
    for kind in parvis::content::KINDS {
        let table = kind.tables[0].name;
        assert!(
            count(&format!("SELECT COUNT(*) FROM \"{table}\"")) > 0,
            "the demo has no {} ({table})",
            kind.name
        );
    }
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM organization_domains WHERE domain IN ('nordhavn.example', 'verdier.example')"
        ),
        2
    );
}

#[tokio::test]
async fn disabling_from_the_command_line_ends_a_running_session_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let mut c = parvis(&d);
    c.arg("init");
    assert_eq!(run(c).code, 0);
    let out = run_with_stdin(
        {
            let mut c = parvis(&d);
            c.args([
                "user",
                "add",
                "--email",
                "ana@lumen.example",
                "--name",
                "Ana Silva",
                "--password-stdin",
            ]);
            c
        },
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let server = ServeProcess::start(parvis(&d), &[]);
    let client = server
        .client_for(&d)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("https://localhost:{}", server.port);
    let html = client
        .get(format!("{base}/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_in(&html);
    let res = client
        .post(format!("{base}/signin"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", "ana@lumen.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        client
            .get(format!("{base}/"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let mut c = parvis(&d);
    c.args(["user", "disable", "ana@lumen.example"]);
    assert_eq!(run(c).code, 0);
    let disabled_at = std::time::Instant::now();
    loop {
        let status = client
            .get(format!("{base}/"))
            .send()
            .await
            .unwrap()
            .status();
        if status == 303 {
            break;
        }
        assert!(
            disabled_at.elapsed() < std::time::Duration::from_millis(1500),
            "session still open"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[test]
fn logs_can_be_json_for_collectors() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = parvis(dir.path());
    c.args(["--log-format", "json", "init"]);
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("database schema migrated"))
        .expect("a log line for the migrations");
    let v: serde_json::Value = serde_json::from_str(line).expect("the log line is JSON");
    assert_eq!(v["level"], "INFO");
    assert_eq!(v["from"], 1);
    assert!(v["to"].as_u64().is_some_and(|to| to > 1), "{v}");
    // Logs go to standard error; standard output stays for the command's own output.
    assert!(!out.stdout.contains("database schema migrated"));
}

#[tokio::test]
async fn a_whole_setup_can_be_scripted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let cmd = |args: &[&str]| {
        let mut c = parvis(&d);
        c.args(args);
        c
    };
    let ok = |out: Output| {
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        out.stdout
    };
    ok(run(cmd(&["init"])));
    ok(run(cmd(&[
        "org",
        "add",
        "--name",
        "Nordhavn Logistics",
        "--kind",
        "client",
    ])));
    ok(run_with_stdin(
        cmd(&[
            "user",
            "add",
            "--email",
            "ingrid@nordhavn.example",
            "--name",
            "Ingrid",
            "--org",
            "nordhavn-logistics",
            "--password-stdin",
        ]),
        &format!("{PASSWORD}\n"),
    ));
    ok(run_with_stdin(
        cmd(&[
            "user",
            "add",
            "--email",
            "amina@lumen.example",
            "--name",
            "Amina",
            "--password-stdin",
        ]),
        &format!("{PASSWORD}\n"),
    ));
    ok(run(cmd(&[
        "space",
        "add",
        "--name",
        "Nordhavn automation",
        "--slug",
        "nordhavn-automation",
    ])));
    ok(run(cmd(&[
        "space",
        "add",
        "--name",
        "Quality",
        "--visibility",
        "internal",
    ])));
    ok(run(cmd(&["group", "add", "--name", "Quality team"])));
    assert!(
        ok(run(cmd(&[
            "group",
            "add-member",
            "--group",
            "quality-team",
            "--user",
            "amina@lumen.example"
        ])))
        .contains("Added")
    );
    ok(run(cmd(&[
        "space",
        "grant",
        "--space",
        "nordhavn-automation",
        "--org",
        "nordhavn-logistics",
        "--role",
        "reader",
    ])));
    ok(run(cmd(&[
        "space",
        "grant",
        "--space",
        "nordhavn-automation",
        "--group",
        "quality-team",
        "--role",
        "manager",
    ])));
    ok(run(cmd(&[
        "space",
        "grant",
        "--space",
        "nordhavn-automation",
        "--user",
        "ingrid@nordhavn.example",
        "--role",
        "reader",
    ])));
    // Granting again changes the role instead of adding a second membership.
    ok(run(cmd(&[
        "space",
        "grant",
        "--space",
        "nordhavn-automation",
        "--user",
        "ingrid@nordhavn.example",
        "--role",
        "contributor",
    ])));
    let list = ok(run(cmd(&["space", "list", "--json"])));
    let automation: serde_json::Value = list
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["slug"] == "nordhavn-automation")
        .unwrap();
    assert_eq!(automation["members"], 3);
    assert_eq!(automation["shared_externally"], true);

    // Mistakes are refused clearly and change nothing.
    let out = run(cmd(&[
        "space",
        "grant",
        "--space",
        "nordhavn-automation",
        "--user",
        "ingrid@nordhavn.example",
        "--role",
        "owner",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("reader, contributor or manager"),
        "{}",
        out.stderr
    );
    let out = run(cmd(&[
        "space",
        "grant",
        "--space",
        "nowhere",
        "--org",
        "nordhavn-logistics",
        "--role",
        "reader",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no space has this slug"),
        "{}",
        out.stderr
    );
    let out = run(cmd(&[
        "space",
        "grant",
        "--space",
        "nordhavn-automation",
        "--user",
        "x@y.example",
        "--org",
        "nordhavn-logistics",
        "--role",
        "reader",
    ]));
    assert_eq!(out.code, 2, "two members at once is a usage error");

    // What the model now says, through the same access filters as the pages.
    let state = parvis::app::AppState::open(test_config(&d)).await.unwrap();
    let ingrid = state
        .db
        .read(|c| {
            c.query_row(
                "SELECT id FROM people WHERE email = 'ingrid@nordhavn.example'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(parvis::db::DbError::from)
        })
        .await
        .unwrap();
    let p = parvis::auth::signin::principal(&state.db, ingrid)
        .await
        .unwrap();
    let actor = parvis::access::Actor::person(p, None);
    let names: Vec<String> = parvis::spaces::service::list(&state.db, &actor, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert_eq!(names, vec!["nordhavn-automation".to_string()]);

    assert!(
        ok(run(cmd(&[
            "space",
            "revoke",
            "--space",
            "nordhavn-automation",
            "--user",
            "ingrid@nordhavn.example"
        ])))
        .contains("Revoked")
    );
    // Still a reader through her organization.
    assert_eq!(
        parvis::spaces::service::list(&state.db, &actor, None, 100)
            .await
            .unwrap()
            .len(),
        1
    );
    ok(run(cmd(&[
        "space",
        "revoke",
        "--space",
        "nordhavn-automation",
        "--org",
        "nordhavn-logistics",
    ])));
    assert!(
        parvis::spaces::service::list(&state.db, &actor, None, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(ok(run(cmd(&["audit", "verify"]))).contains("intact"));
}

#[test]
fn backup_writes_one_archive_and_says_why_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("parvis-backup.tar");
    let mut c = parvis(d);
    c.args(["backup", "--out"]).arg(&out);
    let r = run(c);
    assert_eq!(r.code, 1, "no database yet: {}", r.stdout);
    assert!(!out.exists());
    let mut c = parvis(d);
    c.arg("init");
    assert_eq!(run(c).code, 0);
    let mut c = parvis(d);
    c.args(["backup", "--out"]).arg(&out);
    let r = run(c);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("backup written to"), "{}", r.stdout);
    let mut names = Vec::new();
    let mut archive = tar::Archive::new(std::fs::File::open(&out).unwrap());
    for e in archive.entries().unwrap() {
        names.push(e.unwrap().path().unwrap().to_string_lossy().into_owned());
    }
    assert_eq!(names.first().map(String::as_str), Some("parvis.db"));
    assert_eq!(names.last().map(String::as_str), Some("manifest.json"));
    assert!(names.iter().any(|n| n == "tls/cert.pem"), "{names:?}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the archive holds secrets");
}

/// `parvis restore --from archive` into `dir`.
fn restore(archive: &std::path::Path, dir: &std::path::Path, force: bool) -> Output {
    let mut c = parvis(dir);
    c.args(["restore", "--from"]).arg(archive);
    if force {
        c.arg("--force");
    }
    run(c)
}

fn is_empty(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

#[test]
fn restore_verifies_the_whole_archive_then_serves_the_same_content() {
    let root = tempfile::tempdir().unwrap();
    let a = root.path().join("a");
    let mut c = parvis(&a);
    c.arg("init");
    assert_eq!(run(c).code, 0);
    let mut c = parvis(&a);
    c.args(["space", "add", "--name", "Quality", "--slug", "quality"]);
    assert_eq!(run(c).code, 0);
    let archive = root.path().join("a.tar");
    let mut c = parvis(&a);
    c.args(["backup", "--out"]).arg(&archive);
    assert_eq!(run(c).code, 0);

    // Into a new directory: restored, checked, indexed.
    let b = root.path().join("b");
    let out = restore(&archive, &b, false);
    assert_verified_and_indexed(&out);
    let spaces = |dir: &std::path::Path| -> Vec<String> {
        let db = rusqlite::Connection::open(dir.join("parvis.db")).unwrap();
        let mut st = db.prepare("SELECT slug FROM spaces ORDER BY slug").unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(spaces(&b), spaces(&a));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(b.join("tls/key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the restored key is its owner's only");
    }
    let mut c = parvis(&b);
    c.arg("check");
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("entries for"), "{}", out.stdout);
    assert!(!out.stdout.contains("WARN"), "{}", out.stdout);

    // Not over an instance without --force; with it, yes.
    let out = restore(&archive, &b, false);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(restore(&archive, &b, true).code, 0);
    // Never under a running server, even with --force.
    let mut server = ServeProcess::start(parvis(&b), &[]);
    let out = restore(&archive, &b, true);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("a server is running"), "{}", out.stderr);
    server.signal("TERM");
    let _ = server.child.wait();

    // A tampered archive: refused, naming the entry, nothing written.
    let bytes = std::fs::read(&archive).unwrap();
    let mut tampered = bytes.clone();
    tampered[512 + 100] ^= 0x55; // inside parvis.db, the first entry's data
    let bad = root.path().join("tampered.tar");
    std::fs::write(&bad, &tampered).unwrap();
    let c_dir = root.path().join("c");
    let out = restore(&bad, &c_dir, false);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("entry parvis.db") && out.stderr.contains("checksum"),
        "{}",
        out.stderr
    );
    assert!(is_empty(&c_dir));

    // A truncated one: refused, naming where it breaks.
    let cut = root.path().join("cut.tar");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = restore(&cut, &c_dir, false);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("refused: "), "{}", out.stderr);
    assert!(is_empty(&c_dir));

    // Entries escaping the target, links and duplicates: refused.
    for (name, kind, twice) in [
        ("../escaped.txt", tar::EntryType::Regular, false),
        ("parvis.db", tar::EntryType::Symlink, false),
        ("config.toml", tar::EntryType::Regular, true),
    ] {
        let evil = root.path().join("evil.tar");
        hostile_tar(&evil, name, kind, twice, 3);
        let out = restore(&evil, &c_dir, false);
        assert_eq!(out.code, 1, "{name}");
        assert!(
            out.stderr.contains(&format!("entry {name}")),
            "{name}: {}",
            out.stderr
        );
        assert!(is_empty(&c_dir), "{name}");
        assert!(!root.path().join("escaped.txt").exists());
    }
}

#[test]
fn a_first_start_is_quiet_and_a_busy_port_stops_it_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr.log");
    let data = dir.path().join("data");
    let mut server = ServeProcess::start_with_stderr(
        parvis(&data),
        &["--demo"],
        std::process::Stdio::from(std::fs::File::create(&log).unwrap()),
    );
    // The first start's last event: the index built from the demo's content.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut text = String::new();
    while std::time::Instant::now() < deadline {
        text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("search index rebuilt") && text.contains("mail (log mode") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    server.signal("TERM");
    assert_eq!(server.wait(30), Some(0));
    let lines: Vec<&str> = text.lines().collect();
    assert!(text.contains("search index rebuilt"), "{text}");
    // The server's own words; in log mode each e-mail (the demo's people
    // are told of its news and discussions) is one line of output besides.
    let own = lines
        .iter()
        .filter(|l| !l.contains("mail (log mode"))
        .count();
    assert!(own <= 10, "{own} lines at first start:\n{text}");
    for line in &lines {
        assert!(
            line.contains(" INFO ") || line.contains(" WARN "),
            "every line is one event: {line:?}"
        );
        assert!(
            !line.contains('\u{1b}'),
            "no colour codes in a file: {line:?}"
        );
        assert!(!line.contains("tantivy"), "{line}");
        // Timings are short numbers, not 0.11927800000000001.
        if let Some((_, ms)) = line.split_once("ms=") {
            let ms = ms.split_whitespace().next().unwrap();
            assert!(ms.len() <= 8, "{line}");
        }
    }
    assert!(text.contains("database schema migrated"), "{text}");
    let mail = lines
        .iter()
        .find(|l| l.contains("mail (log mode"))
        .expect("the demo's mail is logged on one line");
    assert!(mail.contains("\\n"), "{mail}");
    assert!(
        mail.contains(&format!("https://localhost:{}/", server.port)),
        "links name the port really listened on: {mail}"
    );

    // A busy port stops the start before the data directory is touched.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let fresh = dir.path().join("fresh");
    let out = parvis(&fresh)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot listen on"), "{stderr}");
    assert!(
        !stderr.contains("migrat"),
        "nothing ran before the port was checked: {stderr}"
    );
    assert!(!fresh.join("parvis.db").exists());
}
