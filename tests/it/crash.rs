//! Acknowledged means durable: a real `parvis serve` receives concurrent
//! uploads and is killed with SIGKILL at a random instant, several times.
//! After each restart every upload that was acknowledged is there, with the
//! exact content; nothing half-written is visible; the database is intact.

use crate::helpers::*;
use rand::Rng;
use std::collections::BTreeMap;

const EMAIL: &str = "crash@test.example";
const SECRET: &str = "a long crash test phrase";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn sign_in(base: &str) -> (reqwest::Client, String) {
    let c = client();
    let html = c
        .get(format!("{base}/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(format!("{base}/signin"))
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
        .get(format!("{base}/spaces/crash/files"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (c, csrf_in(&page))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_uploads_survive_a_kill_at_any_instant() {
    let dir = tempfile::tempdir().unwrap();
    let mut init = parvis(dir.path());
    init.env("PARVIS_ADMIN_EMAIL", EMAIL)
        .env("PARVIS_ADMIN_PASSWORD", SECRET)
        .arg("init");
    assert_eq!(run(init).code, 0);
    let mut space = parvis(dir.path());
    space.args(["space", "add", "--name", "Crash", "--slug", "crash"]);
    assert_eq!(run(space).code, 0);

    // name → BLAKE3 of the content of its acknowledged upload
    let mut acknowledged: BTreeMap<String, String> = BTreeMap::new();
    let rounds = 5;
    for round in 0..rounds {
        let mut server = ServeProcess::start(parvis(dir.path()), &[]);
        let base = format!("https://127.0.0.1:{}", server.port);
        let (c, csrf) = sign_in(&base).await;
        let mut tasks = Vec::new();
        for worker in 0..4 {
            let (c, csrf, base) = (c.clone(), csrf.clone(), base.clone());
            tasks.push(tokio::spawn(async move {
                let mut done = Vec::new();
                for i in 0..50 {
                    let size = rand::rng().random_range(1_000..400_000);
                    let mut data = vec![0u8; size];
                    rand::rng().fill(&mut data[..]);
                    let name = format!("r{round}-w{worker}-{i}.bin");
                    let form = reqwest::multipart::Form::new().part(
                        "file",
                        reqwest::multipart::Part::bytes(data.clone()).file_name(name.clone()),
                    );
                    let res = c
                        .post(format!("{base}/spaces/crash/files/upload?_csrf={csrf}"))
                        .multipart(form)
                        .send()
                        .await;
                    match res {
                        Ok(r) if r.status() == 303 => {
                            done.push((name, blake3::hash(&data).to_hex().to_string()))
                        }
                        // The kill: refused, reset or cut connections are not acknowledgements.
                        _ => break,
                    }
                }
                done
            }));
        }
        let wait = rand::rng().random_range(150..900);
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        let _ = server.child.kill();
        let _ = server.child.wait();
        for t in tasks {
            for (name, hash) in t.await.unwrap() {
                acknowledged.insert(name, hash);
            }
        }
        // Restart and verify every acknowledged upload so far, by content.
        let server = ServeProcess::start(parvis(dir.path()), &[]);
        let base = format!("https://127.0.0.1:{}", server.port);
        let (c, _) = sign_in(&base).await;
        let db = rusqlite::Connection::open(dir.path().join("parvis.db")).unwrap();
        for (name, hash) in &acknowledged {
            let (id, stored): (i64, String) = db
                .query_row(
                    "SELECT id, blob_hash FROM documents WHERE name = ?1 AND deleted_at IS NULL",
                    [name],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap_or_else(|_| panic!("round {round}: acknowledged {name} is missing"));
            assert_eq!(&stored, hash, "round {round}: {name}");
            if rand::rng().random_bool(0.1) {
                let body = c
                    .get(format!("{base}/files/{id}/download"))
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                assert_eq!(blake3::hash(&body).to_hex().as_str(), hash);
            }
        }
        drop(server);
        let findings = parvis::ops::check::run(&parvis::config::Config {
            data_dir: dir.path().to_path_buf(),
            ..parvis::config::Config::default()
        });
        for f in &findings {
            if ["database integrity", "foreign keys", "blobs", "audit chain"].contains(&f.check) {
                assert_ne!(
                    f.status,
                    parvis::ops::check::Status::Fail,
                    "round {round}: {}: {}",
                    f.check,
                    f.detail
                );
            }
        }
    }
    eprintln!(
        "{} acknowledged uploads survived {rounds} kills",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() >= rounds,
        "only {} uploads acknowledged",
        acknowledged.len()
    );
}

#[tokio::test]
async fn leftovers_of_interrupted_uploads_are_reported_then_swept_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let app = TestApp::start(test_config(&data), TempOrKept::Kept(data.clone())).await;
    app.stop().await;
    let tmp = data.join("blobs/tmp");
    let old = tmp.join("crashed0123456.part");
    std::fs::write(&old, vec![7u8; 5000]).unwrap();
    let hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hours_ago)
        .unwrap();
    // A young one may be an upload in flight in a running server: not counted.
    let young = tmp.join("young0123456.part");
    std::fs::write(&young, b"in flight?").unwrap();
    let check = || {
        let mut c = parvis(&data);
        c.arg("check");
        run(c)
    };
    let out = check();
    assert_eq!(out.code, 0, "a leftover is a warning: {}", out.stdout);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("upload leftovers"))
        .unwrap_or_else(|| panic!("check does not mention leftovers: {}", out.stdout))
        .to_string();
    assert!(line.starts_with("[WARN]"), "{line}");
    assert!(
        line.contains("1 file") && line.contains("5000 bytes"),
        "{line}"
    );

    // Nothing writes before the server accepts: every leftover goes at start.
    let app = TestApp::start(test_config(&data), TempOrKept::Kept(data.clone())).await;
    let token = api_token(&app, ADMIN_EMAIL, parvis::auth::tokens::Scope::Admin).await;
    // Once a request is answered, the sweep is done.
    assert_eq!(
        app.bare_client()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(!old.exists(), "an old leftover survived the start");
    assert!(!young.exists(), "a young leftover survived the start");
    app.stop().await;
    let out = check();
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("upload leftovers"))
        .unwrap_or_default()
        .to_string();
    assert!(line.starts_with("[ok"), "{}", out.stdout);
}
