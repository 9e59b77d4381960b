//! Foundation budgets, printed (not asserted):
//! - start-up of the real binary to the first HTTPS 200 on /healthz, with the demo data;
//! - idle resident memory of that process;
//! - signed-in page views per second (wrk, HTTPS, keep-alive) next to a bare
//!   "hello" route served by the same TLS stack in the same process and run;
//! - password sign-ins per second, and the latency of other requests during a sign-in storm;
//! - memory given back: the real binary serving the demo, idle RSS and threads
//!   before a load of uploads and searches through the API, their peak, and
//!   then every second for 60 s of idleness, against the budgets (after ≤ 1.5×
//!   before and ≤ 64 MiB; ≤ 16 threads).
//!
//! Run: `cargo bench --bench foundation` (needs `wrk`: `apt-get install wrk`;
//! BENCH_PARVIS=/path/to/parvis runs another build for the start-up, idle
//! and memory figures).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::app::AppState;
use parvis::config::Config;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEMO_ADMIN: &str = "bench@lumen.example";
const DEMO_ADMIN_PASSWORD: &str = "benchmark pass phrase";
/// The demo people's password is random; the bench sets this one for Sofia.
const PEOPLE_PASSWORD: &str = "benchmark people pass phrase";

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis foundation benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    println!(
        "cores: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    let dir = tempfile::tempdir().unwrap();
    startup_and_rss(dir.path());
    rt.block_on(idle_memory(dir.path()));
    rt.block_on(throughput(dir.path()));
}

/// The binary measured: this build's, or `BENCH_PARVIS` (another build, such
/// as an earlier commit's, for a before/after in the same conditions).
fn parvis_cmd(dir: &std::path::Path) -> Command {
    let bin = std::env::var_os("BENCH_PARVIS")
        .unwrap_or_else(|| std::ffi::OsString::from(env!("CARGO_BIN_EXE_parvis")));
    let mut c = Command::new(bin);
    c.arg("--data-dir").arg(dir).env("PARVIS_LOG", "warn");
    c.env("PARVIS_ADMIN_EMAIL", DEMO_ADMIN)
        .env("PARVIS_ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD);
    c
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn insecure_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Uploads and searches through the API for a while, then watches the
/// process give memory and threads back while nothing happens.
async fn idle_memory(dir: &std::path::Path) {
    let port = free_port();
    let base = format!("https://127.0.0.1:{port}");
    let mut child = parvis_cmd(dir)
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = parvis_cmd(dir)
        .args([
            "token",
            "create",
            "--user",
            "claire.martin@lumen.example",
            "--name",
            "bench-load",
            "--scope",
            "write",
        ])
        .output()
        .unwrap();
    let token = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .find(|w| w.starts_with("pvs_"))
        .expect("a token")
        .to_string();
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let spaces: serde_json::Value = client
        .get(format!("{base}/api/v1/spaces"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The first space Claire may upload to.
    let mut space = None;
    for s in spaces["items"].as_array().into_iter().flatten() {
        let id = s["id"].as_i64().unwrap();
        let r = client
            .post(format!("{base}/api/v1/spaces/{id}/files?name=probe.txt"))
            .bearer_auth(&token)
            .body("probe")
            .send()
            .await
            .unwrap();
        if r.status() == 201 {
            space = Some(id);
            break;
        }
    }
    let space = space.expect("a space the demo's CEO may write to");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (before_rss, before_threads) = (rss_kib(pid), threads(pid));

    let words = [
        "report",
        "budget",
        "invoice",
        "contract",
        "logistics",
        "planning",
        "meeting",
        "quarterly",
        "supplier",
        "client",
        "design",
        "review",
        "project",
        "delivery",
    ];
    let load_start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..8u64 {
        let (c, b, t) = (client.clone(), base.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let (client, base, token) = (c, b, t);
            for i in 0..60u64 {
                // 12 KiB to 1.2 MiB of words, so extraction and indexing work too.
                let n = if i % 10 == 0 { 200_000 } else { 2_000 };
                let body: String = (0..n)
                    .map(|k| words[((w * 7919 + i * 31 + k) % words.len() as u64) as usize])
                    .collect::<Vec<_>>()
                    .join(" ");
                let r = client
                    .post(format!(
                        "{base}/api/v1/spaces/{space}/files?name=load-{w}-{i}.txt"
                    ))
                    .bearer_auth(&token)
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
            }
        }));
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..300usize {
                let q = format!("{} {}", words[(i * 3 + w as usize) % 14], words[i % 14]);
                let r = client
                    .get(format!("{base}/api/v1/search"))
                    .query(&[("q", q.as_str())])
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                let _ = r.bytes().await;
            }
        }));
    }
    let (mut peak_rss, mut peak_threads) = (0u64, 0usize);
    while tasks.iter().any(|t| !t.is_finished()) {
        peak_rss = peak_rss.max(rss_kib(pid));
        peak_threads = peak_threads.max(threads(pid));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for t in tasks {
        t.await.unwrap();
    }
    let load_s = load_start.elapsed().as_secs_f64();
    // 480 uploads and 2,400 searches; then nothing, for 60 s.
    let budget = (before_rss as f64 * 1.5).min(64.0 * 1024.0) as u64;
    let idle_start = Instant::now();
    let mut returned_after = None;
    let mut samples = Vec::new();
    while idle_start.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (r, t) = (rss_kib(pid), threads(pid));
        peak_rss = peak_rss.max(r);
        samples.push((idle_start.elapsed().as_secs(), r, t));
        if returned_after.is_none() && r <= budget && t <= 16 {
            returned_after = Some(idle_start.elapsed().as_secs());
        }
    }
    let (_, after_rss, after_threads) = *samples.last().unwrap();
    stop(&mut child);
    println!();
    println!(
        "memory given back (demo, `serve --demo` binary; 8 uploaders × 60 files of 12 KiB–1.2 MiB \
         and 8 searchers × 300 searches through the API in {load_s:.1} s, then 60 s idle):"
    );
    println!(
        "  RSS      before {:.1} MiB, peak {:.1} MiB, after 60 s idle {:.1} MiB   \
         (budget ≤ 1.5× before and ≤ 64 MiB: {:.1} MiB)",
        mib(before_rss),
        mib(peak_rss),
        mib(after_rss),
        mib(budget)
    );
    println!(
        "  threads  before {before_threads}, peak {peak_threads}, after 60 s idle {after_threads}   (budget idle ≤ 16)"
    );
    print!("  idle RSS (MiB) / threads at");
    for (s, r, t) in samples
        .iter()
        .filter(|(s, _, _)| [1, 5, 10, 20, 30, 40, 50, 60].contains(s))
    {
        print!("  {s} s: {:.0}/{t}", mib(*r));
    }
    println!();
    match returned_after {
        Some(s) => println!("  within budget after {s} s idle   (target ≤ 60 s)"),
        None => println!("  NOT within budget after 60 s idle   (target ≤ 60 s)"),
    }
}

fn startup_and_rss(dir: &std::path::Path) {
    // First start seeds the demo; it is not what we time.
    let port = free_port();
    let mut first = parvis_cmd(dir)
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let client = insecure_client();
    let url = format!("https://127.0.0.1:{port}/healthz");
    wait_for(&client, &url, Duration::from_secs(60));
    stop(&mut first);

    let mut samples = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..7 {
        let port = free_port();
        let url = format!("https://127.0.0.1:{port}/healthz");
        let start = Instant::now();
        let mut child = parvis_cmd(dir)
            .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        wait_for(&client, &url, Duration::from_secs(30));
        samples.push(start.elapsed());
        // Idle: a few requests, then let it settle.
        for _ in 0..20 {
            let _ = client
                .get(format!("https://127.0.0.1:{port}/signin"))
                .send();
        }
        std::thread::sleep(Duration::from_millis(500));
        rss.push(rss_kib(child.id()));
        stop(&mut child);
    }
    samples.sort();
    rss.sort();
    println!();
    println!("start-up to first HTTPS 200 on /healthz (demo data, 7 starts):");
    println!(
        "  median {:.0} ms, min {:.0} ms, max {:.0} ms   (target ≤ 300 ms)",
        ms(samples[samples.len() / 2]),
        ms(samples[0]),
        ms(samples[samples.len() - 1])
    );
    println!("idle RSS after start-up and 20 requests:");
    println!(
        "  median {:.1} MiB   (target ≤ 50 MiB)",
        rss[rss.len() / 2] as f64 / 1024.0
    );
}

fn wait_for(client: &reqwest::blocking::Client, url: &str, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(r) = client.get(url).send()
            && r.status() == 200
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("{url} did not answer within {limit:?}");
}

fn stop(child: &mut std::process::Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs wrk and returns requests per second.
fn wrk(url: &str, headers: &[String], seconds: u32) -> f64 {
    let mut c = Command::new("wrk");
    c.args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency"]);
    for h in headers {
        c.args(["-H", h]);
    }
    c.arg(url);
    let out = c.output().expect("wrk is installed (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    if text.contains("Non-2xx") {
        println!("  warning: wrk saw non-2xx answers for {url}");
    }
    rps
}

async fn throughput(dir: &std::path::Path) {
    let mut config = Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    config.log.level = "warn".into();
    // Benchmarks sign in many times from one address.
    config.auth.address_free_failures = u32::MAX;
    let state = AppState::open(config).await.unwrap();
    parvis::people::service::set_password(
        &state.db,
        &state.hasher,
        &parvis::access::Actor::cli(),
        &parvis::service::Email::parse("sofia.almeida@lumen.example").unwrap(),
        parvis::service::NewPassword::parse(PEOPLE_PASSWORD, &[]).unwrap(),
        false,
    )
    .await
    .unwrap();
    let tls = parvis::server::prepare_tls(&state).unwrap();

    let app_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app_port = app_listener.local_addr().unwrap().port();
    let (_stop_app, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(parvis::server::run(
        state.clone(),
        app_listener,
        tls.clone(),
        async {
            let _ = rx.await;
        },
    ));

    // The bare route: same accept loop, same TLS configuration, no middleware.
    let hello_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hello_port = hello_listener.local_addr().unwrap().port();
    let hello = axum::Router::new().route("/hello", axum::routing::get(|| async { "hello" }));
    let limits = parvis::server::listener::ConnLimits {
        header_timeout: Duration::from_secs(10),
        shutdown_grace: Duration::from_secs(1),
    };
    let (_stop_hello, rx2) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(parvis::server::listener::serve(
        hello_listener,
        hello,
        tls,
        limits,
        async {
            let _ = rx2.await;
        },
    ));

    let base = format!("https://127.0.0.1:{app_port}");
    let cookie = tokio::task::spawn_blocking({
        let base = base.clone();
        move || sign_in_cookie(&base, "sofia.almeida@lumen.example")
    })
    .await
    .unwrap();

    println!();
    println!("signed-in page views (wrk -t2 -c32, HTTPS keep-alive, 10 s each):");
    let hello_rps = tokio::task::spawn_blocking(move || {
        wrk(&format!("https://127.0.0.1:{hello_port}/hello"), &[], 10)
    })
    .await
    .unwrap();
    let header = format!("Cookie: {cookie}");
    let home_url = format!("{base}/");
    let home_rps = tokio::task::spawn_blocking(move || wrk(&home_url, &[header], 10))
        .await
        .unwrap();
    println!("  bare hello route      {hello_rps:>9.0} req/s");
    println!("  signed-in home page   {home_rps:>9.0} req/s");
    println!(
        "  ratio                 {:>9.1} %   (target ≥ 20 %)",
        100.0 * home_rps / hello_rps
    );

    sign_in_storm(&base, &cookie).await;
}

fn sign_in_cookie(base: &str, email: &str) -> String {
    let client = reqwest::blocking::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (token, _) = csrf(&client, base);
    let password = PEOPLE_PASSWORD.to_string();
    let res = client
        .post(format!("{base}/signin"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", password.as_str()),
        ])
        .send()
        .unwrap();
    assert_eq!(res.status(), 303, "bench sign-in failed");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-parvis_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap()
}

fn csrf(client: &reqwest::blocking::Client, base: &str) -> (String, String) {
    let html = client
        .get(format!("{base}/signin"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    (html[start..].split('"').next().unwrap().to_string(), html)
}

async fn sign_in_storm(base: &str, cookie: &str) {
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let probe = |c: reqwest::Client, url: String, cookie: String, dur: Duration| async move {
        let mut lat = Vec::new();
        let start = Instant::now();
        while start.elapsed() < dur {
            let t = Instant::now();
            let r = c.get(&url).header("cookie", &cookie).send().await.unwrap();
            assert_eq!(r.status(), 200);
            let _ = r.bytes().await;
            lat.push(t.elapsed());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        lat.sort();
        lat
    };
    let page = format!("{base}/people");
    let quiet = probe(
        client.clone(),
        page.clone(),
        cookie.to_string(),
        Duration::from_secs(4),
    )
    .await;

    // The storm: 16 clients signing in as fast as they can, each with its own CSRF cookie.
    let storm_for = Duration::from_secs(8);
    let mut tasks = Vec::new();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    for _ in 0..16 {
        let base = base.to_string();
        let done = done.clone();
        tasks.push(tokio::spawn(async move {
            // No cookie jar: each attempt is a fresh visitor with the same
            // double-submit CSRF cookie, as a crowd of browsers would be.
            let c = reqwest::Client::builder()
                .use_rustls_tls()
                .danger_accept_invalid_certs(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let res = c.get(format!("{base}/signin")).send().await.unwrap();
            let cookie = res
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with("__Host-parvis_csrf="))
                .map(|v| v.split(';').next().unwrap().to_string())
                .unwrap();
            let token = cookie.trim_start_matches("__Host-parvis_csrf=").to_string();
            let start = Instant::now();
            while start.elapsed() < storm_for {
                let r = c
                    .post(format!("{base}/signin"))
                    .header("cookie", &cookie)
                    .form(&[
                        ("_csrf", token.as_str()),
                        ("email", "sofia.almeida@lumen.example"),
                        ("password", PEOPLE_PASSWORD),
                    ])
                    .send()
                    .await
                    .unwrap();
                if r.status() == 303 {
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let busy = probe(
        client.clone(),
        page,
        cookie.to_string(),
        Duration::from_secs(6),
    )
    .await;
    for t in tasks {
        t.await.unwrap();
    }
    let per_sec = done.load(std::sync::atomic::Ordering::Relaxed) as f64 / storm_for.as_secs_f64();
    let pct = |v: &Vec<Duration>, p: f64| ms(v[((v.len() as f64 - 1.0) * p) as usize]);
    println!();
    println!("password sign-ins (argon2id m=19 MiB t=2 p=1, 16 concurrent clients, 8 s):");
    println!("  {per_sec:.1} sign-ins/s");
    println!("other requests (signed-in /people, one every 20 ms) p50 / p99:");
    println!(
        "  quiet        {:>6.1} ms / {:>6.1} ms",
        pct(&quiet, 0.5),
        pct(&quiet, 0.99)
    );
    println!(
        "  during storm {:>6.1} ms / {:>6.1} ms",
        pct(&busy, 0.5),
        pct(&busy, 0.99)
    );
}
