//! Document budgets, printed (not asserted), all against the real release
//! binary over HTTPS on loopback:
//! - the first page of a folder of 10,000 files, sorted and permission-filtered,
//!   for a non-administrator member (page and API), p50/p99 over 300 requests
//!   (budget p99 ≤ 50 ms);
//! - 10,000 small files uploaded through the API by 8 clients: files per second;
//! - 1 GiB written to the data directory's disk with `dd … conv=fsync`, then a
//!   1 GiB upload streamed to Parvis: the ratio of the two times, and the
//!   server's peak resident memory during the upload (it must stay flat);
//! - WebDAV: a PROPFIND of the library holding those 10,000 files, and 2 GiB
//!   streamed by PUT, with the server's peak memory after it.
//!
//! - the small-file store (`small_files.rs`): N files of 1–2 KiB, files per
//!   second and the blob store's room on disk against the content.
//!
//! Run: `cargo bench --bench documents`; only the small-file store:
//! `BENCH_ONLY=small-files cargo bench --bench documents`. `BENCH_PARVIS_BIN`
//! runs another `parvis` binary (an earlier build, to compare). Not
//! `PARVIS_*`: the server would take those for configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "documents/small_files.rs"]
mod small_files;
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ADMIN: &str = "bench@lumen.example";
const ADMIN_PASSWORD: &str = "benchmark pass phrase";
const MEMBER: &str = "member@lumen.example";

fn parvis(dir: &std::path::Path) -> Command {
    let bin = std::env::var("BENCH_PARVIS_BIN");
    let mut c = Command::new(bin.as_deref().unwrap_or(env!("CARGO_BIN_EXE_parvis")));
    c.arg("--data-dir").arg(dir).env("PARVIS_LOG", "warn");
    c.env("PARVIS_ADMIN_EMAIL", ADMIN)
        .env("PARVIS_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("PARVIS_DOCUMENTS_MAX_FILE_BYTES", "3221225472");
    c
}

fn ok(c: Command) -> String {
    support::run(c, None)
}

fn status_kib(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis documents benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    if std::env::var("BENCH_ONLY").as_deref() == Ok("small-files") {
        small_files::run(&rt, parvis, MEMBER);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok({
        let mut c = parvis(d);
        c.arg("init");
        c
    });
    ok({
        let mut c = parvis(d);
        c.args(["space", "add", "--name", "Bench", "--slug", "bench"]);
        c
    });
    ok({
        let mut c = parvis(d);
        c.args([
            "user",
            "add",
            "--email",
            MEMBER,
            "--name",
            "Member",
            "--password-stdin",
        ]);
        support::run(c, Some(b"member bench pass phrase\n"));
        let mut c = parvis(d);
        c.args([
            "space",
            "grant",
            "--space",
            "bench",
            "--user",
            MEMBER,
            "--role",
            "contributor",
        ]);
        c
    });
    // 10,000 files in one folder, written directly: the listing is what is measured.
    {
        let db = rusqlite::Connection::open(d.join("parvis.db")).unwrap();
        let tx = db.unchecked_transaction().unwrap();
        let space: i64 = tx
            .query_row("SELECT id FROM spaces WHERE slug = 'bench'", [], |r| {
                r.get(0)
            })
            .unwrap();
        for i in 0..10_000 {
            tx.execute(
                "INSERT INTO documents (space_id, name, current_version, size, content_type, blob_hash,
                                        created_at, updated_at)
                 VALUES (?1, ?2, 1, 1234, 'application/pdf', ?3, 0, 0)",
                rusqlite::params![space, format!("Report {:05} {}.pdf", (i * 7919) % 10_000, i), "0".repeat(64)],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let token = ok({
        let mut c = parvis(d);
        c.args([
            "token", "create", "--user", MEMBER, "--name", "bench", "--scope", "write",
        ]);
        c
    });
    let token = support::token_in(&token);
    let (mut server, base) = support::serve(parvis(d));
    let client = support::client();
    rt.block_on(async {
        support::until_up(&client, &base).await;
        let space: serde_json::Value = client
            .get(format!("{base}/api/v1/spaces"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let space_id = space["items"][0]["id"].as_i64().unwrap();

        println!();
        println!(
            "first page of a 10,000-file folder (100 files, sorted, member's view), 300 requests:"
        );
        let mut samples = Vec::new();
        let mut count = 0;
        for _ in 0..300 {
            let start = Instant::now();
            let body: serde_json::Value = client
                .get(format!("{base}/api/v1/spaces/{space_id}/library"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            samples.push(start.elapsed());
            count = body["items"].as_array().map_or(0, Vec::len);
        }
        samples.sort();
        println!(
            "  API   p50 {:.1} ms  p99 {:.1} ms  ({count} files per page)   (budget p99 ≤ 50 ms)",
            pct(&samples, 0.5),
            pct(&samples, 0.99)
        );

        println!();
        println!("10,000 small files (1 KiB) uploaded through the API by 8 clients:");
        let start = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..8 {
            let (client, base, token) = (client.clone(), base.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                for i in 0..1250 {
                    let body = format!("{w}-{i}-").repeat(200).into_bytes();
                    let res = client
                        .post(format!(
                            "{base}/api/v1/spaces/{space_id}/files?name=small-{w}-{i}.txt"
                        ))
                        .bearer_auth(&token)
                        .body(body[..1024.min(body.len())].to_vec())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), 201);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        println!("  {:.0} files/s ({:.1} s)", 10_000.0 / secs, secs);

        println!();
        println!("1 GiB to disk (dd conv=fsync) and 1 GiB uploaded to Parvis over HTTPS:");
        let dd_start = Instant::now();
        let out = Command::new("dd")
            .args([
                "if=/dev/zero",
                &format!("of={}", d.join("ddtest").display()),
                "bs=1M",
                "count=1024",
                "conv=fsync",
            ])
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(out.success());
        let dd = dd_start.elapsed().as_secs_f64();
        let _ = std::fs::remove_file(d.join("ddtest"));
        let pid = server.id();
        let rss_before = status_kib(pid, "VmRSS:");
        // A generated stream: the client holds one chunk at a time too.
        let chunk = vec![0x5au8; 1024 * 1024];
        let stream = futures_util::stream::iter((0..1024).map(move |i| {
            let mut c = chunk.clone();
            c[0] = (i % 251) as u8;
            Ok::<_, std::io::Error>(c)
        }));
        let up_start = Instant::now();
        let res = client
            .post(format!(
                "{base}/api/v1/spaces/{space_id}/files?name=big.bin"
            ))
            .bearer_auth(&token)
            .header("content-length", (1024u64 * 1024 * 1024).to_string())
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .unwrap();
        let up = up_start.elapsed().as_secs_f64();
        assert_eq!(
            res.status(),
            201,
            "{}",
            res.text().await.unwrap_or_default()
        );
        let peak = status_kib(pid, "VmHWM:");
        println!("  dd        {dd:.2} s  ({:.0} MiB/s)", 1024.0 / dd);
        println!("  upload    {up:.2} s  ({:.0} MiB/s)", 1024.0 / up);
        println!("  ratio     {:.2} × the time of dd", up / dd);
        println!(
            "  server RSS before {:.1} MiB, peak {:.1} MiB",
            rss_before as f64 / 1024.0,
            peak as f64 / 1024.0
        );

        println!();
        println!(
            "WebDAV PROPFIND (Depth: 1) of the library holding the 10,000-file folder, 20 requests:"
        );
        let mut samples = Vec::new();
        let mut bytes = 0;
        for _ in 0..20 {
            let start = Instant::now();
            let res = client
                .request(
                    reqwest::Method::from_bytes(b"PROPFIND").unwrap(),
                    format!("{base}/dav/bench/"),
                )
                .basic_auth(MEMBER, Some(&token))
                .header("depth", "1")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 207);
            bytes = res.bytes().await.unwrap().len();
            samples.push(start.elapsed());
        }
        samples.sort();
        println!(
            "  p50 {:.0} ms  p99 {:.0} ms  ({:.1} MiB of XML each)",
            pct(&samples, 0.5),
            pct(&samples, 0.99),
            bytes as f64 / 1_048_576.0
        );

        let after_listing = status_kib(pid, "VmHWM:");
        println!(
            "  server peak RSS {:.1} MiB after the listings",
            after_listing as f64 / 1024.0
        );

        println!();
        println!("2 GiB streamed through WebDAV PUT:");
        let chunk = vec![0xa5u8; 1024 * 1024];
        let stream = futures_util::stream::iter((0..2048).map(move |i| {
            let mut c = chunk.clone();
            c[0] = (i % 251) as u8;
            Ok::<_, std::io::Error>(c)
        }));
        let start = Instant::now();
        let res = client
            .put(format!("{base}/dav/bench/huge.bin"))
            .basic_auth(MEMBER, Some(&token))
            .header("content-length", (2048u64 * 1024 * 1024).to_string())
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(res.status(), 201);
        let peak2 = status_kib(pid, "VmHWM:");
        println!("  {secs:.2} s  ({:.0} MiB/s)", 2048.0 / secs);
        println!(
            "  server peak RSS {:.1} MiB after it (was {:.1} MiB before it)",
            peak2 as f64 / 1024.0,
            after_listing as f64 / 1024.0
        );
    });
    let _ = server.kill();
    let _ = server.wait();
    small_files::run(&rt, parvis, MEMBER);
}
