//! Search speed, printed (not asserted), in two parts:
//! - `long`: real prose (the classic IR collections' abstracts, joined into
//!   pages) at the lengths people's documents have: 1,000 wiki pages of
//!   ~860 words, and documents of 1,000, 5,000 and 20,000 words (like text
//!   extracted from PDFs), each length in its own space; 2–3 word queries
//!   from the collections' real questions; in the engine, the results page
//!   and over HTTPS, and the throughput of `/api/v1/search` at 1 and 16
//!   connections next to DokuWiki's search serving the same pages
//!   (`PARVIS_BENCH_PEERS=1`, through `benches/peers/dokuwiki`);
//! - `scale`: 1,000,000 documents of mixed lengths (`PARVIS_BENCH_DOCS`),
//!   against SQLite FTS5, while a rebuild runs, and over HTTPS, with the
//!   server's memory under 16 concurrent searchers.
//!
//! Run: `cargo bench --bench search` (both parts), or with
//! `PARVIS_BENCH_PART=long` / `PARVIS_BENCH_PART=scale`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod long;
mod scale;

use parvis::access::search::SearchGrants;
use parvis::search::index::Engine;
use parvis::search::query::{self, Request};
use parvis::service::Locale;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn main() {
    let part = std::env::var("PARVIS_BENCH_PART").unwrap_or_default();
    println!(
        "Parvis search benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    if part.is_empty() || part == "long" {
        long::run();
    }
    if part.is_empty() || part == "scale" {
        scale::run();
    }
}

pub fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub fn p50_p99(samples: &mut [Duration]) -> String {
    samples.sort();
    format!(
        "p50 {:>6.2} ms  p99 {:>6.2} ms",
        pct(samples, 0.5),
        pct(samples, 0.99)
    )
}

pub fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        dir_size(&path)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

pub fn parvis(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_parvis"));
    c.arg("--data-dir").arg(dir).env("PARVIS_LOG", "warn");
    // The server refuses PARVIS_ variables it does not know.
    for var in [
        "PARVIS_BENCH_DOCS",
        "PARVIS_BENCH_PART",
        "PARVIS_BENCH_PEERS",
    ] {
        c.env_remove(var);
    }
    c.env("PARVIS_ADMIN_EMAIL", "admin@lumen.example")
        .env("PARVIS_ADMIN_PASSWORD", "benchmark pass phrase");
    c
}

/// One engine query and one results-page query, timed.
pub fn both(engine: &Engine, grants: &SearchGrants, q: &str) -> (Duration, Duration, usize) {
    let start = Instant::now();
    let top = query::ranked(engine, grants, q, Locale::En, 20).unwrap();
    let in_engine = start.elapsed();
    let start = Instant::now();
    let r = query::search(
        engine,
        grants,
        &Request {
            q: q.to_string(),
            ..Request::default()
        },
    )
    .unwrap();
    let page = start.elapsed();
    assert!(r.total >= top.len());
    (in_engine, page, top.len())
}

/// A real instance on a data directory whose search index is in place:
/// `spaces` spaces in SQLite, and one member per entry of `members` (in
/// those spaces, as readers) with a read token each.
pub struct Instance {
    pub server: Child,
    pub base: String,
    pub tokens: Vec<String>,
}

impl Instance {
    pub fn start(d: &Path, spaces: i64, members: &[Vec<i64>]) -> Instance {
        let mut c = parvis(d);
        c.arg("init");
        support::run(c, None);
        let mut tokens = Vec::new();
        for (i, member_spaces) in members.iter().enumerate() {
            let email = format!("searcher{i}@lumen.example");
            let mut c = parvis(d);
            c.args([
                "user",
                "add",
                "--email",
                &email,
                "--name",
                &format!("Searcher {i}"),
                "--password-stdin",
            ]);
            support::run(c, Some(b"searcher bench pass phrase\n"));
            let db = rusqlite::Connection::open(d.join("parvis.db")).unwrap();
            let tx = db.unchecked_transaction().unwrap();
            if i == 0 {
                for id in 1..=spaces {
                    tx.execute(
                        "INSERT INTO spaces (id, slug, name, created_at, updated_at) VALUES (?1, ?2, ?3, 0, 0)",
                        rusqlite::params![id, format!("space-{id}"), format!("Space {id}")],
                    )
                    .unwrap();
                }
            }
            let person: i64 = tx
                .query_row("SELECT id FROM people WHERE email = ?1", [&email], |r| {
                    r.get(0)
                })
                .unwrap();
            for s in member_spaces {
                tx.execute(
                    "INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (?1, ?2, 'reader', 0)",
                    rusqlite::params![s, person],
                )
                .unwrap();
            }
            tx.commit().unwrap();
            let mut c = parvis(d);
            c.args([
                "token", "create", "--user", &email, "--name", "bench", "--scope", "read",
            ]);
            tokens.push(support::token_in(&support::run(c, None)));
        }
        let (server, base) = support::serve(parvis(d));
        Instance {
            server,
            base,
            tokens,
        }
    }

    /// Resident memory of the server, from `/proc`: (total, anonymous,
    /// file-backed — the memory-mapped index) in MiB, and its threads.
    pub fn memory(&self) -> (f64, f64, f64, usize) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.server.id()))
            .unwrap_or_default();
        let kib = |key: &str| {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
                / 1024.0
        };
        let threads = std::fs::read_dir(format!("/proc/{}/task", self.server.id()))
            .map(|d| d.count())
            .unwrap_or(0);
        (kib("VmRSS:"), kib("RssAnon:"), kib("RssFile:"), threads)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// `GET url` with `q` for each query in turn, timed one by one.
pub async fn latencies(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    queries: &[String],
) -> Vec<Duration> {
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        let start = Instant::now();
        let status = get(client, url, token, q).await;
        assert_eq!(status, 200, "{url} {q}");
        out.push(start.elapsed());
    }
    out
}

async fn get(client: &reqwest::Client, url: &str, token: Option<&str>, q: &str) -> u16 {
    let res = match token {
        Some(t) => client.get(url).query(&[("q", q)]).bearer_auth(t),
        // A peer whose URL template holds the query.
        None => client.get(url.replace("{q}", &urlencode(q))),
    }
    .send()
    .await
    .unwrap();
    let status = res.status().as_u16();
    let _ = res.bytes().await.unwrap();
    status
}

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Requests per second with `connections` clients, each sending the next
/// query as soon as the last answer is read, for `time`.
pub async fn throughput(
    url: &str,
    token: Option<&str>,
    queries: &[String],
    connections: usize,
    time: Duration,
) -> f64 {
    let end = Instant::now() + time;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let client = support::client();
        let url = url.to_string();
        let token = token.map(str::to_string);
        let queries = queries.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            let mut i = c * 7;
            while Instant::now() < end {
                let status =
                    get(&client, &url, token.as_deref(), &queries[i % queries.len()]).await;
                assert_eq!(status, 200);
                n += 1;
                i += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    total as f64 / start.elapsed().as_secs_f64()
}
