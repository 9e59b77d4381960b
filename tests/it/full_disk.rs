//! A full disk under a real `parvis serve`, and room made again, without a
//! restart. The disk is simulated by lowering the running server's file-size
//! limit to nothing (RLIMIT_FSIZE, SIGXFSZ ignored): every write it makes
//! then fails with EFBIG, through the same code as ENOSPC, on any machine and
//! without privileges; raising the limit again is the room being made. Other
//! processes (the CLI, `parvis check`, this test) keep writing meanwhile, as
//! they would on a disk that another volume's writer filled.

use crate::helpers::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EMAIL: &str = "admin@disk.example";
const SECRET: &str = "a long full disk pass phrase";
const FULL_EN: &str = "The server has no room left to store this";
const FULL_FR: &str = "Le serveur n’a plus de place pour enregistrer ceci";

/// A served instance whose disk the test fills and frees.
struct SmallDisk {
    _dir: tempfile::TempDir,
    data: PathBuf,
    server: ServeProcess,
    token: String,
    /// The id of the space `deal`.
    space: i64,
    /// What the server wrote on standard error, when it goes to a pipe.
    log: Arc<Mutex<String>>,
}

fn cli(data: &Path, args: &[&str]) -> Output {
    let mut c = parvis(data);
    c.args(args);
    let out = run(c);
    assert_eq!(out.code, 0, "parvis {args:?}: {}", out.stderr);
    out
}

impl SmallDisk {
    /// An instance with a space `deal` and a write token of its administrator;
    /// the server's log goes to a file in the data directory (on the disk
    /// that fills up) or, with `log_to_pipe`, to `log`.
    fn start(log_to_pipe: bool) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut init = parvis(&data);
        init.env("PARVIS_ADMIN_EMAIL", EMAIL)
            .env("PARVIS_ADMIN_PASSWORD", SECRET)
            .arg("init");
        assert_eq!(run(init).code, 0);
        cli(&data, &["space", "add", "--name", "Deal", "--slug", "deal"]);
        let token = cli(
            &data,
            &[
                "token", "create", "--user", EMAIL, "--name", "disk", "--scope", "write",
            ],
        )
        .stdout
        .trim()
        .to_string();
        let mut c = std::process::Command::new("bash");
        c.arg("-c")
            .arg("trap '' XFSZ; exec \"$@\"")
            .arg("small-disk")
            .arg(env!("CARGO_BIN_EXE_parvis"))
            .arg("--data-dir")
            .arg(&data);
        for (k, _) in std::env::vars() {
            if k.starts_with("PARVIS_") {
                c.env_remove(k);
            }
        }
        c.stdin(std::process::Stdio::null());
        let log = Arc::new(Mutex::new(String::new()));
        let server = if log_to_pipe {
            let mut server = ServeProcess::start_with_stderr(c, &[], std::process::Stdio::piped());
            let stderr = server.child.stderr.take().unwrap();
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    log.lock().unwrap().push_str(&(line + "\n"));
                }
            });
            server
        } else {
            let file = std::fs::File::create(data.join("serve.log")).unwrap();
            ServeProcess::start_with_stderr(c, &[], file.into())
        };
        let db = rusqlite::Connection::open(data.join("parvis.db")).unwrap();
        let space = db
            .query_row("SELECT id FROM spaces WHERE slug = 'deal'", [], |r| {
                r.get(0)
            })
            .unwrap();
        SmallDisk {
            _dir: dir,
            data,
            server,
            token,
            space,
            log,
        }
    }

    /// Leaves the server room for `bytes` bytes per file, or all it wants.
    fn room(&self, bytes: Option<u64>) {
        use rustix::process::{Pid, Resource, Rlimit, prlimit};
        prlimit(
            Some(Pid::from_child(&self.server.child)),
            Resource::Fsize,
            Rlimit {
                current: bytes,
                maximum: None,
            },
        )
        .unwrap();
    }

    fn client(&self) -> reqwest::Client {
        self.server
            .client_for(&self.data)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.server.port)
    }

    /// Uploads `body` as `name` through the API; the status and the body.
    async fn api_upload(&self, name: &str, body: Vec<u8>, lang: &str) -> (u16, String, String) {
        let res = self
            .client()
            .post(self.url(&format!("/api/v1/spaces/{}/files?name={name}", self.space)))
            .bearer_auth(&self.token)
            .header("accept-language", lang)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: no answer: {e}"));
        let status = res.status().as_u16();
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, ct, res.text().await.unwrap_or_default())
    }

    /// A signed-in browser and the CSRF token of its library page.
    async fn browser(&self) -> (reqwest::Client, String) {
        let c = self.client();
        let page = c.get(self.url("/signin")).send().await.unwrap();
        let html = page.text().await.unwrap();
        let res = c
            .post(self.url("/signin"))
            .form(&[
                ("_csrf", csrf_in(&html).as_str()),
                ("email", EMAIL),
                ("password", SECRET),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let page = c
            .get(self.url("/spaces/deal/files"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (c, csrf_in(&page))
    }

    /// Names the search finds for `q`.
    async fn search(&self, q: &str) -> Vec<String> {
        let res = self
            .client()
            .get(self.url("/api/v1/search"))
            .query(&[("q", q)])
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{q}");
        let v: serde_json::Value = res.json().await.unwrap();
        let mut titles: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap_or_default().to_string())
            .collect();
        titles.sort();
        titles
    }

    /// A count from the database, read beside the server.
    fn count(&self, sql: &str) -> i64 {
        let db = rusqlite::Connection::open(self.data.join("parvis.db")).unwrap();
        db.busy_timeout(Duration::from_secs(5)).unwrap();
        db.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn partial_files(&self) -> Vec<String> {
        std::fs::read_dir(self.data.join("blobs/tmp"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// Sends with curl over HTTP/2; the status and the body.
    fn curl(&self, args: &[&str], path: &str) -> (u16, String) {
        let out = std::process::Command::new("curl")
            .args(["--silent", "--http2", "--max-time", "60", "--output", "-"])
            .args(["--write-out", "\n%{http_code}"])
            .arg("--cacert")
            .arg(self.data.join("tls/cert.pem"))
            .arg("--resolve")
            .arg(format!("localhost:{}:127.0.0.1", self.server.port))
            .args(args)
            .arg(self.url(path))
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, status) = text.rsplit_once('\n').unwrap_or(("", &text));
        (status.trim().parse().unwrap_or(0), body.to_string())
    }

    fn check(&self) -> Output {
        let mut c = parvis(&self.data);
        c.arg("check");
        run(c)
    }
}

/// Waits until `done` holds, at most `secs` seconds; `what` names it.
async fn until<F, Fut>(secs: u64, what: &str, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !done().await {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "{what}: not within {secs} s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn noise(seed: &str, len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    blake3::Hasher::new()
        .update(seed.as_bytes())
        .finalize_xof()
        .fill(&mut v);
    v
}

fn line<'a>(out: &'a Output, check: &str) -> &'a str {
    out.stdout
        .lines()
        .find(|l| l.contains(check))
        .unwrap_or_else(|| panic!("no {check} line: {}", out.stdout))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_507_in_the_callers_language_keeps_nothing_and_takes_uploads_again_once_room_is_made()
 {
    let disk = SmallDisk::start(false);
    let (browser, csrf) = disk.browser().await;
    // Before: uploads work (and the token's first use is recorded).
    assert_eq!(
        disk.api_upload("before.bin", noise("before", 1000), "en")
            .await
            .0,
        201
    );
    cli(
        &disk.data,
        &["org", "add", "--name", "Nordhavn", "--kind", "client"],
    );

    disk.room(Some(0));
    // A body larger than what is buffered (it fails while streaming, the rest
    // still on its way) and a small one (it fails when flushed). Both are
    // files: up to `storage.small_blob_bytes` a content goes into the
    // database, which may still have room in its write-ahead log.
    for (name, len) in [("big.bin", 3 << 20), ("small.bin", 20_000)] {
        let (status, ct, body) = disk.api_upload(name, noise(name, len), "en").await;
        assert_eq!(status, 507, "{name}: {body}");
        assert_eq!(ct, "application/problem+json", "{name}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["code"], "storage-full", "{body}");
        assert!(
            v["detail"]
                .as_str()
                .unwrap_or_default()
                .starts_with(FULL_EN),
            "{body}"
        );
    }
    // A client that gives up on a stream answered before its body was read
    // (curl over HTTP/2) still gets the answer: the rest is read first.
    let big = disk.data.parent().unwrap().join("curl.bin");
    std::fs::write(&big, noise("curl", 8 << 20)).unwrap();
    let bearer = format!("Authorization: Bearer {}", disk.token);
    let raw = format!("@{}", big.display());
    let part = format!("file=@{};filename=curl-form.bin", big.display());
    let part2 = format!("file=@{};filename=curl-form2.bin", big.display());
    let dav = format!("{EMAIL}:{}", disk.token);
    let big_path = big.display().to_string();
    for (what, args, path) in [
        (
            "raw",
            vec!["--header", &bearer, "--data-binary", &raw],
            format!("/api/v1/spaces/{}/files?name=curl.bin", disk.space),
        ),
        (
            "form",
            vec!["--header", &bearer, "--form", &part, "--form", &part2],
            format!("/api/v1/spaces/{}/files/form", disk.space),
        ),
        (
            "dav",
            vec!["--user", &dav, "--upload-file", &big_path],
            "/dav/deal/curl-dav.bin".to_string(),
        ),
    ] {
        let (status, body) = disk.curl(&args, &path);
        assert_eq!(status, 507, "{what}: {body}");
        assert!(body.contains(FULL_EN), "{what}: {body}");
    }
    // The upload form, in French, with a file after the one refused.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(noise("form", 2 << 20)).file_name("form.bin"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(noise("form2", 1 << 20)).file_name("form2.bin"),
        );
    let res = browser
        .post(disk.url(&format!("/spaces/deal/files/upload?_csrf={csrf}")))
        .header("accept-language", "fr")
        .multipart(form)
        .send()
        .await
        .expect("the upload form gets an answer");
    assert_eq!(res.status(), 507);
    let html = res.text().await.unwrap();
    assert!(html.contains(FULL_FR), "{html}");
    // WebDAV.
    let res = disk
        .client()
        .put(disk.url("/dav/deal/dav.bin"))
        .basic_auth(EMAIL, Some(&disk.token))
        .body(noise("dav", 3 << 20))
        .send()
        .await
        .expect("WebDAV gets an answer");
    assert_eq!(res.status(), 507);
    let text = res.text().await.unwrap();
    assert!(text.contains(FULL_EN), "{text}");
    // Work done meanwhile by another process: a mail waits for the server.
    cli(
        &disk.data,
        &[
            "user",
            "invite",
            "--email",
            "ingrid@nordhavn.example",
            "--name",
            "Ingrid",
            "--org",
            "nordhavn",
            "--space",
            "deal:reader",
            "--sponsor",
            EMAIL,
        ],
    );

    // Nothing was kept: no document, no partial file.
    let names = "('big.bin', 'small.bin', 'curl.bin', 'curl-form.bin', 'curl-form2.bin', 'curl-dav.bin', \
                 'form.bin', 'form2.bin', 'dav.bin')";
    assert_eq!(
        disk.count(&format!(
            "SELECT count(*) FROM documents WHERE name IN {names}"
        )),
        0
    );
    assert_eq!(disk.partial_files(), Vec::<String>::new());

    // Room again: every way in takes the same uploads at once.
    disk.room(None);
    for (name, len) in [("big.bin", 3 << 20), ("small.bin", 10_000)] {
        let (status, _, body) = disk.api_upload(name, noise(name, len), "en").await;
        assert_eq!(status, 201, "{name}: {body}");
    }
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(noise("form", 2 << 20)).file_name("form.bin"),
    );
    let res = browser
        .post(disk.url(&format!("/spaces/deal/files/upload?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = disk
        .client()
        .put(disk.url("/dav/deal/dav.bin"))
        .basic_auth(EMAIL, Some(&disk.token))
        .body(noise("dav", 3 << 20))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(
        disk.count(&format!(
            "SELECT count(*) FROM documents WHERE name IN {names}"
        )),
        4
    );
    // The invitation's mail goes out without a restart.
    until(30, "the mail left the outbox", || async {
        disk.count("SELECT count(*) FROM outbox WHERE kind = 'mail'") == 0
    })
    .await;
    assert_eq!(disk.partial_files(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_catches_up_by_itself_once_room_is_made_and_check_fails_while_it_cannot() {
    let disk = SmallDisk::start(true);
    assert_eq!(
        disk.api_upload("aardwolf.txt", b"aardwolf".to_vec(), "en")
            .await
            .0,
        201
    );
    until(10, "the first upload is found", || async {
        disk.search("aardwolf").await == ["aardwolf.txt"]
    })
    .await;
    // The first start's build is live (a rebuild in flight would replace
    // the live index's writer and hide what this test is about).
    until(10, "the index is built", || async {
        disk.count("SELECT count(*) FROM outbox") == 0
    })
    .await;

    disk.room(Some(0));
    // Changes committed by another process while the server cannot write:
    // its indexer takes them and fails.
    let spaces = 5;
    for i in 0..spaces {
        cli(
            &disk.data,
            &[
                "space",
                "add",
                "--name",
                &format!("Quokka {i}"),
                "--slug",
                &format!("quokka-{i}"),
            ],
        );
    }
    until(20, "the indexer meets the full disk", || async {
        disk.log
            .lock()
            .unwrap()
            .contains("search indexer step failed")
    })
    .await;
    // Larger than `storage.small_blob_bytes`: a file, which cannot be written.
    assert_eq!(
        disk.api_upload("during.txt", b"aardvark ".repeat(2000), "en")
            .await
            .0,
        507
    );
    // A fresh backlog is normal; one that has waited this long is stuck.
    let out = disk.check();
    assert_eq!(out.code, 0, "fresh changes waiting: {}", out.stdout);
    {
        let db = rusqlite::Connection::open(disk.data.join("parvis.db")).unwrap();
        db.busy_timeout(Duration::from_secs(5)).unwrap();
        db.execute(
            "UPDATE outbox SET created_at = created_at - 20 * 60 * 1000 WHERE kind = 'search'",
            [],
        )
        .unwrap();
    }
    let out = disk.check();
    assert_eq!(out.code, 1, "a stuck indexer passes: {}", out.stdout);
    assert!(line(&out, "outbox").starts_with("[FAIL]"), "{}", out.stdout);
    let index = line(&out, "search index");
    assert!(
        index.starts_with("[FAIL]") && index.contains("not indexed for 20 min"),
        "{}",
        out.stdout
    );

    // Room again: uploads work at once, and the index catches up with what
    // waited, without a restart.
    disk.room(None);
    assert_eq!(
        disk.api_upload("after.txt", b"aardvark".to_vec(), "en")
            .await
            .0,
        201
    );
    let quokkas: Vec<String> = (0..spaces).map(|i| format!("Quokka {i}")).collect();
    until(30, "the index caught up", || async {
        disk.search("quokka").await == quokkas && disk.search("aardvark").await == ["after.txt"]
    })
    .await;
    until(10, "the outbox is empty", || async {
        disk.count("SELECT count(*) FROM outbox") == 0
    })
    .await;
    let out = disk.check();
    assert_eq!(out.code, 0, "{}", out.stdout);
    let index = line(&out, "search index");
    assert!(index.starts_with("[ok  ]"), "{}", out.stdout);
    assert_eq!(disk.partial_files(), Vec::<String>::new());
}

#[tokio::test]
async fn search_opens_by_itself_once_its_index_can_be_made() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    // Where the index goes, something that cannot be replaced while it is
    // there (as a disk too full to make the index's files).
    std::fs::write(data.join("index"), b"in the way").unwrap();
    let app = TestApp::start(test_config(&data), TempOrKept::Kept(data.clone())).await;
    let token = api_token(&app, ADMIN_EMAIL, parvis::auth::tokens::Scope::Read).await;
    app.create_person("zebulon@host.example", "Zebulon Quartz", None)
        .await;
    let search = || async {
        let res = app
            .bare_client()
            .get(app.url("/api/v1/search"))
            .query(&[("q", "zebulon")])
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let ok = res.status() == 200;
        let v: serde_json::Value = res.json().await.unwrap_or_default();
        ok && v["items"][0]["title"] == "Zebulon Quartz"
    };
    assert!(!search().await);
    std::fs::remove_file(data.join("index")).unwrap();
    until(30, "search works without a restart", search).await;
    app.stop().await;
}
