//! `TestApp`: a real server on 127.0.0.1:0 over a temporary data directory,
//! spoken to over HTTPS with the certificate it generated.

use parvis::access::Actor;
use parvis::app::AppState;
use parvis::config::Config;
use parvis::ops::init::AdminSeed;
use parvis::people::service::NewPerson;
use parvis::service::{DisplayName, Email, NewPassword};
use parvis::util::Secret;
use reqwest::{Client, Response};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tokio::sync::oneshot;

pub const ADMIN_EMAIL: &str = "admin@test.example";
pub const ADMIN_PASSWORD: &str = "admin pass phrase for tests";
pub const PASSWORD: &str = "a long and rare test phrase";

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub dir: TempOrKept,
    cert_pem: Vec<u8>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

/// The data directory: removed at the end unless a test keeps it for a restart.
/// Held only to keep the directory alive as long as the app.
#[allow(dead_code)]
pub enum TempOrKept {
    Temp(tempfile::TempDir),
    Kept(PathBuf),
}

pub fn test_config(dir: &Path) -> Config {
    let mut c = Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    c.server.listen = "127.0.0.1:0".parse().unwrap();
    c.server.shutdown_grace = std::time::Duration::from_secs(5);
    c.auth.hash_concurrency = 2;
    c.storage.sqlite_readers = 2;
    c
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = test_config(dir.path());
        tweak(&mut config);
        Self::start(config, TempOrKept::Temp(dir)).await
    }

    pub async fn start(config: Config, dir: TempOrKept) -> TestApp {
        Self::start_kinds(config, dir, parvis::content::KINDS, "").await
    }

    /// A server with these kinds of content, after `schema` (the tables of
    /// a kind a test adds) is applied.
    pub async fn start_kinds(
        config: Config,
        dir: TempOrKept,
        kinds: &'static [&'static parvis::content::ContentKind],
        schema: &'static str,
    ) -> TestApp {
        let state = AppState::open_with(config, kinds).await.expect("app opens");
        if !schema.is_empty() {
            state
                .db
                .write(move |tx| tx.execute_batch(schema).map_err(parvis::db::DbError::from))
                .await
                .expect("schema");
        }
        let seed = AdminSeed {
            email: Some(ADMIN_EMAIL.into()),
            password: Some(Secret::new(ADMIN_PASSWORD.into())),
        };
        parvis::ops::init::run(&state, "Test Host", seed)
            .await
            .expect("init");
        let tls = parvis::server::prepare_tls(&state).expect("tls");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = oneshot::channel::<()>();
        let run_state = state.clone();
        let handle = tokio::spawn(async move {
            parvis::server::run(run_state, listener, tls, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        let (cert, _) = parvis::tls::self_signed_paths(&state.config.data_dir);
        let cert_pem = std::fs::read(cert).unwrap_or_default();
        TestApp {
            addr,
            state,
            dir,
            cert_pem,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    /// Stops the server gracefully and returns the data directory for a restart.
    pub async fn stop(mut self) -> TempOrKept {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.expect("server task");
        }
        std::mem::replace(&mut self.dir, TempOrKept::Kept(PathBuf::new()))
    }

    pub fn url(&self, path: &str) -> String {
        let scheme = if self.state.config.tls_enabled() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://localhost:{}{path}", self.addr.port())
    }

    /// The URL of `path` on another host name served by this app (a portal's).
    pub fn url_at(&self, host: &str, path: &str) -> String {
        self.url(path)
            .replacen("://localhost:", &format!("://{host}:"), 1)
    }

    /// A browser-like client for another host name of this app; the host name
    /// must be in `server.hostnames` so the self-signed certificate covers it.
    pub fn client_at(&self, host: &str) -> Client {
        self.builder()
            .resolve(host, self.addr)
            .cookie_store(true)
            .build()
            .expect("client")
    }

    /// Posts the sign-in form of another host name with `client` (which keeps cookies).
    pub async fn signin_at(
        &self,
        client: &Client,
        host: &str,
        email: &str,
        password: &str,
        lang: &str,
    ) -> Response {
        let (_, html) = get_text(client, &self.url_at(host, "/signin")).await;
        client
            .post(self.url_at(host, "/signin"))
            .header("accept-language", lang)
            .form(&[
                ("_csrf", csrf_in(&html).as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .expect("post sign-in")
    }

    /// Signs in through the real form on another host name.
    pub async fn signed_in_at(&self, host: &str, email: &str, password: &str) -> Client {
        let client = self.client_at(host);
        let res = self.signin_at(&client, host, email, password, "en").await;
        assert_eq!(res.status(), 303, "sign-in of {email} on {host} failed");
        client
    }

    pub fn builder(&self) -> reqwest::ClientBuilder {
        let mut b = Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .resolve("localhost", self.addr)
            .redirect(reqwest::redirect::Policy::none());
        if self.state.config.tls_enabled() {
            let cert = reqwest::Certificate::from_pem(&self.cert_pem)
                .expect("generated certificate parses");
            b = b.add_root_certificate(cert);
        }
        b
    }

    /// A browser-like client: cookie jar, no automatic redirects.
    pub fn client(&self) -> Client {
        self.builder().cookie_store(true).build().expect("client")
    }

    /// A client without cookies, for raw requests.
    pub fn bare_client(&self) -> Client {
        self.builder().build().expect("client")
    }

    pub async fn create_person(&self, email: &str, name: &str, org: Option<&str>) -> i64 {
        let mut new = NewPerson::new(
            Email::parse(email).unwrap(),
            DisplayName::parse(name).unwrap(),
        );
        new.org_slug = org.map(str::to_string);
        new.password = Some(NewPassword::parse(PASSWORD, &[]).unwrap());
        parvis::people::service::create(&self.state.db, &self.state.hasher, &Actor::cli(), new)
            .await
            .expect("person created")
            .id
    }

    pub async fn create_org(&self, slug: &str, name: &str, kind: &str) -> i64 {
        let new = parvis::organizations::service::NewOrganization {
            name: DisplayName::parse(name).unwrap(),
            slug: Some(parvis::service::Slug::parse(slug).unwrap()),
            kind: parvis::organizations::OrgKind::parse(kind).unwrap(),
            domains: Vec::new(),
        };
        parvis::organizations::service::create(&self.state.db, &Actor::cli(), new)
            .await
            .expect("org created")
            .id
    }

    /// Runs SQL on the writer, for fixtures the services do not offer yet.
    pub async fn sql(&self, sql: &str) {
        let sql = sql.to_string();
        self.state
            .db
            .write(move |tx| tx.execute_batch(&sql).map_err(parvis::db::DbError::from))
            .await
            .expect("fixture SQL");
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let sql = sql.to_string();
        self.state
            .db
            .read(move |c| {
                c.query_row(&sql, [], |r| r.get(0))
                    .map_err(parvis::db::DbError::from)
            })
            .await
            .expect("count")
    }

    /// The status and bytes of the current version of the document named
    /// `name`, fetched with `token` through the API.
    pub async fn content_of(&self, token: &str, name: &str) -> (u16, Vec<u8>) {
        let id = self
            .count(&format!("SELECT id FROM documents WHERE name = '{name}'"))
            .await;
        let res = self
            .bare_client()
            .get(self.url(&format!("/api/v1/documents/{id}/content")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.bytes().await.unwrap().to_vec())
    }

    /// `GET /api/v1/search?q=` with `token`; must answer 200.
    pub async fn search_api(&self, token: &str, q: &str) -> serde_json::Value {
        let (status, v) = self.search_answer(token, q).await;
        assert_eq!(status, 200, "{q}: {v}");
        v
    }

    /// `GET /api/v1/search?q=` with `token`: the status and the JSON body.
    async fn search_answer(&self, token: &str, q: &str) -> (u16, serde_json::Value) {
        let res = self
            .bare_client()
            .get(self.url("/api/v1/search"))
            .query(&[("q", q)])
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// Searches `q` until the results satisfy `done` (the index follows
    /// changes within moments); fails after 10 s with `what`. Returns how
    /// long it took.
    pub async fn until_search(
        &self,
        token: &str,
        q: &str,
        what: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> std::time::Duration {
        let start = std::time::Instant::now();
        loop {
            // An index still held by an instance stopped in this process
            // opens a moment later; search answers "unavailable" until then.
            let (status, v) = self.search_answer(token, q).await;
            if status == 200 && done(&v) {
                return start.elapsed();
            }
            assert!(
                status == 200 || (status == 503 && v["code"] == "unavailable"),
                "{what}: only an index not open yet may refuse a search: {status} {v}"
            );
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "{what}: {status} {v}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The JSON body an API route answers to `token`.
    pub async fn api_get(&self, token: &str, path: &str) -> serde_json::Value {
        self.bare_client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// A POST to an API route as `token`, with a JSON body if any.
    pub async fn api_post(
        &self,
        token: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Response {
        let mut req = self.bare_client().post(self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.unwrap()
    }

    /// Waits until the notifier has read every change made so far.
    pub async fn notifier_caught_up(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while self
            .count("SELECT (SELECT max(id) FROM audit_events) - CAST(value AS INTEGER) FROM instance_settings WHERE key = 'notifier_position'")
            .await
            > 0
        {
            assert!(std::time::Instant::now() < deadline, "the notifier fell behind");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn audit_count(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM audit_events").await
    }

    /// Signs in through the real form; panics unless it succeeds.
    pub async fn signed_in(&self, email: &str, password: &str) -> Client {
        let client = self.client();
        let res = signin(self, &client, email, password).await;
        assert_eq!(res.status(), 303, "sign-in of {email} failed");
        client
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The CSRF token embedded in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub async fn get_text(client: &Client, url: &str) -> (u16, String) {
    let res = client.get(url).send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

/// Loads the sign-in page (for its CSRF token) and posts the form.
pub async fn signin(app: &TestApp, client: &Client, email: &str, password: &str) -> Response {
    let (_, html) = get_text(client, &app.url("/signin")).await;
    let token = csrf_in(&html);
    client
        .post(app.url("/signin"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .expect("post sign-in")
}

/// Posts a form from a page the client is on, with that page's CSRF token.
pub async fn post_form(
    app: &TestApp,
    client: &Client,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> Response {
    let (_, html) = get_text(client, &app.url(from)).await;
    let token = csrf_in(&html);
    let mut form: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    form.extend_from_slice(fields);
    client
        .post(app.url(to))
        .form(&form)
        .send()
        .await
        .expect("post")
}

/// The `name=value` pair of a cookie the response sets.
pub fn set_cookie_pair(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .find(|c| c.starts_with(&format!("{name}=")))
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The real `parvis` binary, on a data directory, with no PARVIS_* variables inherited.
pub fn parvis(dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_parvis"));
    for (k, _) in std::env::vars() {
        if k.starts_with("PARVIS_") {
            c.env_remove(k);
        }
    }
    c.arg("--data-dir").arg(dir);
    c.stdin(std::process::Stdio::null());
    c
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut c: std::process::Command) -> Output {
    let out = c.output().expect("parvis runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run_with_stdin(mut c: std::process::Command, input: &str) -> Output {
    use std::io::Write;
    c.stdin(std::process::Stdio::piped());
    c.stdout(std::process::Stdio::piped());
    c.stderr(std::process::Stdio::piped());
    let mut child = c.spawn().expect("parvis starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("parvis runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A `parvis serve` process; its port is read from what it prints.
pub struct ServeProcess {
    pub child: std::process::Child,
    pub port: u16,
    pub stdout: String,
}

impl ServeProcess {
    pub fn start(c: std::process::Command, extra: &[&str]) -> ServeProcess {
        Self::start_with_stderr(c, extra, std::process::Stdio::null())
    }

    /// Starts `serve`, its standard error going to `stderr` (a file, say).
    pub fn start_with_stderr(
        mut c: std::process::Command,
        extra: &[&str],
        stderr: std::process::Stdio,
    ) -> ServeProcess {
        use std::io::{BufRead, BufReader};
        c.args(["serve", "--listen", "127.0.0.1:0"]).args(extra);
        c.stdout(std::process::Stdio::piped());
        c.stderr(stderr);
        let mut child = c.spawn().expect("serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut seen = String::new();
        let mut port = 0;
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            seen.push_str(&line);
            if let Some(rest) = line.trim().strip_prefix("Parvis is serving ") {
                port = rest
                    .trim_end_matches('/')
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
            }
            if port != 0 && line.trim().is_empty() {
                break;
            }
            line.clear();
        }
        assert!(port != 0, "serve did not report its port: {seen}");
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).unwrap_or(0) > 0 {
                sink.clear();
            }
        });
        ServeProcess {
            child,
            port,
            stdout: seen,
        }
    }

    /// A client builder that trusts the certificate the server at `dir`
    /// made for itself and reaches it as `localhost`.
    pub fn client_for(&self, dir: &Path) -> reqwest::ClientBuilder {
        let cert = std::fs::read(dir.join("tls/cert.pem")).unwrap();
        reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&cert).unwrap())
            .resolve(
                "localhost",
                format!("127.0.0.1:{}", self.port).parse().unwrap(),
            )
    }

    pub fn signal(&self, sig: &str) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to exit, at most `secs` seconds.
    pub fn wait(&mut self, secs: u64) -> Option<i32> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A personal access token of `email`, made as the operator would.
pub async fn api_token(app: &TestApp, email: &str, scope: parvis::auth::tokens::Scope) -> String {
    parvis::auth::tokens::create(
        &app.state.db,
        &Actor::cli(),
        &Email::parse(email).unwrap(),
        "test",
        scope,
        None,
    )
    .await
    .unwrap()
    .secret
    .expose()
    .clone()
}

/// Uploads `body` as `name` into the deal room (see `deal_room`); the status.
pub async fn upload_to_deal_room(app: &TestApp, token: &str, name: &str, body: Vec<u8>) -> u16 {
    app.bare_client()
        .post(app.url(&format!("/api/v1/spaces/7/files?name={name}")))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// A server with a space Sofia manages (id 7, `deal`), and her write token.
pub async fn deal_room() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let token = deal_room_in(&app).await;
    (app, token)
}

/// The deal room in `app`: space 7, Sofia its manager; her write token.
pub async fn deal_room_in(app: &TestApp) -> String {
    let staff = app
        .create_person("sofia@host.example", "Sofia Almeida", None)
        .await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES
           (7, 'deal', 'Deal room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (7, {staff}, 'manager', 0);"
    ))
    .await;
    api_token(
        app,
        "sofia@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await
}

/// Writes a tar archive of one entry (twice with `twice`) as an attacker
/// would: any name, `..` included (written raw, as the tar crate refuses
/// them), any type (a symbolic link points at /etc/passwd), any declared
/// size (the data is at most three bytes).
pub fn hostile_tar(path: &Path, name: &str, kind: tar::EntryType, twice: bool, size: u64) {
    let mut t = tar::Builder::new(std::fs::File::create(path).unwrap());
    for _ in 0..if twice { 2 } else { 1 } {
        let mut h = tar::Header::new_gnu();
        let link = kind == tar::EntryType::Symlink;
        h.set_size(if link { 0 } else { size });
        h.set_entry_type(kind);
        if link {
            h.set_link_name("/etc/passwd").unwrap();
        }
        h.set_mode(0o600);
        let raw = &mut h.as_old_mut().name;
        *raw = [0; 100];
        raw[..name.len()].copy_from_slice(name.as_bytes());
        h.set_cksum();
        let data: &[u8] = if link {
            b""
        } else {
            &b"x=1"[..size.min(3) as usize]
        };
        t.append(&h, data).unwrap();
    }
    t.finish().unwrap();
}

/// A restore or import that succeeded: every checksum verified, the search
/// index rebuilt.
pub fn assert_verified_and_indexed(out: &Output) {
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for said in ["every checksum verified", "search index rebuilt"] {
        assert!(out.stdout.contains(said), "{said:?} not in {}", out.stdout);
    }
}
