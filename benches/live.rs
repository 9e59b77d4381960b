//! Live channel budgets, printed (not asserted), against the real binary
//! over TLS:
//! - with 1,000 streams of 1,000 different people, the time from sending a
//!   change to each stream receiving it (p50, p99, max; budget p99 ≤ 1 s);
//! - the server's resident memory with 1,000, 5,000 and 10,000 streams
//!   open (budget ≤ 64 MiB per 1,000 streams), and one change reaching all
//!   10,000.
//!
//! Run: `cargo bench --bench live` (BENCH_PARVIS=/path/to/parvis measures
//! another build). The bench process holds the other end of every stream.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ADMIN: &str = "bench@lumen.example";
const ADMIN_PASSWORD: &str = "benchmark pass phrase";
const PEOPLE: usize = 1_000;
const STREAMS: [usize; 3] = [1_000, 5_000, 10_000];
const CHANGES: usize = 30;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis live channel benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    let dir = tempfile::tempdir().unwrap();
    // The demo, once, then the bench's people and their tokens.
    let port = free_port();
    let mut first = serve(dir.path(), port);
    rt.block_on(wait_healthy(port));
    stop(&mut first);
    let (tokens, space) = rt.block_on(people(dir.path()));
    let port = free_port();
    let mut server = serve(dir.path(), port);
    rt.block_on(wait_healthy(port));
    rt.block_on(measure(server.id(), port, tokens, space));
    stop(&mut server);
}

fn parvis_cmd(dir: &std::path::Path) -> Command {
    let bin = std::env::var_os("BENCH_PARVIS")
        .unwrap_or_else(|| std::ffi::OsString::from(env!("CARGO_BIN_EXE_parvis")));
    let mut c = Command::new(bin);
    c.arg("--data-dir")
        .arg(dir)
        .env("PARVIS_LOG", "warn")
        .env("PARVIS_ADMIN_EMAIL", ADMIN)
        .env("PARVIS_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("PARVIS_LIVE_MAX_STREAMS", "20000")
        .env("PARVIS_LIVE_MAX_STREAMS_PER_PERSON", "20000");
    c
}

fn serve(dir: &std::path::Path, port: u16) -> Child {
    parvis_cmd(dir)
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .http1_only()
        .build()
        .unwrap()
}

async fn wait_healthy(port: u16) {
    let c = client();
    let deadline = Instant::now() + Duration::from_secs(60);
    while c
        .get(format!("https://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// 1,000 internal people in the Engineering group (contributors of the
/// Nordhavn project), each with a token; and that space's id.
async fn people(dir: &std::path::Path) -> (Vec<String>, i64) {
    let config = parvis::config::Config {
        data_dir: dir.to_path_buf(),
        ..Default::default()
    };
    let state = parvis::app::AppState::open(config).await.unwrap();
    let space = state
        .db
        .write(|tx| {
            let now = parvis::util::now_ms();
            let host: i64 = tx.query_row(
                "SELECT id FROM organizations WHERE kind = 'host'",
                [],
                |r| r.get(0),
            )?;
            let group: i64 = tx.query_row(
                "SELECT id FROM groups WHERE slug = 'engineering'",
                [],
                |r| r.get(0),
            )?;
            for i in 0..PEOPLE {
                tx.execute(
                    "INSERT INTO people (org_id, email, display_name, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                    rusqlite::params![
                        host,
                        format!("live{i}@lumen.example"),
                        format!("Live {i}"),
                        now
                    ],
                )?;
                tx.execute(
                    "INSERT INTO group_members (group_id, person_id) VALUES (?1, ?2)",
                    rusqlite::params![group, tx.last_insert_rowid()],
                )?;
            }
            Ok::<_, parvis::service::Error>(tx.query_row(
                "SELECT id FROM spaces WHERE slug = 'nordhavn-warehouse-automation'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .await
        .unwrap();
    let mut tokens = Vec::with_capacity(PEOPLE + 1);
    for i in 0..=PEOPLE {
        let email = if i == PEOPLE {
            "sofia.almeida@lumen.example".to_string()
        } else {
            format!("live{i}@lumen.example")
        };
        let created = parvis::auth::tokens::create(
            &state.db,
            &parvis::access::Actor::cli(),
            &parvis::service::Email::parse(&email).unwrap(),
            "live bench",
            parvis::auth::tokens::Scope::Write,
            None,
        )
        .await
        .unwrap();
        tokens.push(created.secret.expose().to_string());
    }
    state.db.checkpoint().await.unwrap();
    (tokens, space)
}

/// When each stream received each change (by event id).
type Seen = Arc<Mutex<Vec<(i64, Instant)>>>;

/// Opens one stream, returns once it is ready, and reads it until the bench
/// ends, noting every change.
async fn open(client: &reqwest::Client, base: &str, token: &str, seen: Option<Seen>) {
    let mut res = loop {
        match client
            .get(format!("{base}/events"))
            .bearer_auth(token)
            .send()
            .await
        {
            Ok(r) if r.status() == 200 => break r,
            Ok(r) => panic!("a stream was refused: {}", r.status()),
            // The listener's backlog overflowed: try again.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let mut ready = Some(ready_tx);
        let mut buf = String::new();
        while let Ok(Some(chunk)) = res.chunk().await {
            let at = Instant::now();
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                if block.contains("event: ready") {
                    if let Some(tx) = ready.take() {
                        let _ = tx.send(());
                    }
                } else if block.contains("event: change")
                    && let (Some(seen), Some(id)) = (&seen, event_id(&block))
                {
                    seen.lock().unwrap().push((id, at));
                }
            }
        }
    });
    ready_rx.await.expect("the stream got ready");
}

fn event_id(block: &str) -> Option<i64> {
    block
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .and_then(|v| v.trim().parse().ok())
}

/// Changes a document of the space, `n` times, a fifth of a second apart;
/// returns when each was sent.
async fn change(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    doc: i64,
    n: usize,
) -> Vec<Instant> {
    let mut sent = Vec::with_capacity(n);
    for i in 0..n {
        sent.push(Instant::now());
        let r = client
            .patch(format!("{base}/api/v1/documents/{doc}"))
            .bearer_auth(token)
            .json(&serde_json::json!({"description": format!("live bench {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    sent
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn measure(pid: u32, port: u16, tokens: Vec<String>, space: i64) {
    let base = format!("https://127.0.0.1:{port}");
    let client = client();
    let sofia = tokens[PEOPLE].clone();
    // A file of Sofia's in the space, changed by the bench.
    let uploaded: serde_json::Value = client
        .post(format!(
            "{base}/api/v1/spaces/{space}/files?name=live-bench.txt"
        ))
        .bearer_auth(&sofia)
        .body("changed by the live bench")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let doc = uploaded["document"]["id"].as_i64().expect("a document");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss0 = rss_mib(pid);
    println!("server RSS with no stream: {rss0:.1} MiB");

    // 1,000 people, a stream each, told of 30 changes.
    let seen: Seen = Arc::default();
    let opened = Instant::now();
    for chunk in tokens[..PEOPLE].chunks(100) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|t| {
                let (c, b, t, s) = (client.clone(), base.clone(), t.clone(), seen.clone());
                tokio::spawn(async move { open(&c, &b, &t, Some(s)).await })
            })
            .collect();
        for task in batch {
            task.await.unwrap();
        }
    }
    println!(
        "{PEOPLE} streams of {PEOPLE} people opened and ready in {:.1} s",
        opened.elapsed().as_secs_f64()
    );
    let sent = change(&client, &base, &sofia, doc, CHANGES).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = std::mem::take(&mut *seen.lock().unwrap());
    let mut ids: Vec<i64> = got.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    let order: HashMap<i64, usize> = ids.iter().enumerate().map(|(k, id)| (*id, k)).collect();
    let mut latencies: Vec<Duration> = got
        .iter()
        .filter_map(|(id, at)| {
            let k = order[id];
            sent.get(k).map(|s| at.saturating_duration_since(*s))
        })
        .collect();
    latencies.sort_unstable();
    let expected = PEOPLE * CHANGES;
    println!(
        "told {} of {expected} (stream, change) pairs; from sending the change to the stream: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (budget p99 ≤ 1000 ms)",
        latencies.len(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    let rss1 = rss_mib(pid);
    println!(
        "server RSS with {PEOPLE} streams: {rss1:.1} MiB ({:.1} MiB per 1,000 streams)",
        rss1 - rss0
    );

    // More streams, all Sofia's, up to 10,000 in all.
    let counted: Seen = Arc::default();
    let mut open_now = PEOPLE;
    for target in STREAMS.into_iter().skip(1) {
        while open_now < target {
            let n = (target - open_now).min(200);
            let batch: Vec<_> = (0..n)
                .map(|_| {
                    let (c, b, t, s) =
                        (client.clone(), base.clone(), sofia.clone(), counted.clone());
                    tokio::spawn(async move { open(&c, &b, &t, Some(s)).await })
                })
                .collect();
            for task in batch {
                task.await.unwrap();
            }
            open_now += n;
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        let rss = rss_mib(pid);
        println!(
            "server RSS with {target} streams: {rss:.1} MiB ({:.1} MiB per 1,000 streams; budget ≤ 64)",
            (rss - rss0) / (target as f64 / 1000.0)
        );
    }
    counted.lock().unwrap().clear();
    let t = Instant::now();
    change(&client, &base, &sofia, doc, 1).await;
    let others = STREAMS[2] - PEOPLE;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let n = counted.lock().unwrap().len();
        if n >= others || Instant::now() > deadline {
            let last = counted
                .lock()
                .unwrap()
                .iter()
                .map(|(_, at)| at.saturating_duration_since(t))
                .max()
                .unwrap_or_default();
            println!(
                "one change with {} streams open: {n} of {others} of Sofia's streams told, the last after {:.1} ms",
                STREAMS[2],
                last.as_secs_f64() * 1e3
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
