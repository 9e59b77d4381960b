//! The small-file store: N files of 1–2 KiB uploaded through the API by 8
//! clients into a fresh data directory; files per second, then the room the
//! blob store takes on disk against the bytes of content. Files count by
//! their allocated blocks (`st_blocks` × 512, directories included), the
//! database's small-blob table by its pages (`dbstat`), so that what is
//! compared is what the disk gives, not file lengths.
//!
//! `BENCH_SMALL_FILES` sets N (default 10,000, about a minute and a half:
//! uploads slow down as the space fills, its quota check sums every version).

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const CLIENTS: usize = 8;

/// The size of file `i`: 1,024–2,048 bytes, spread evenly.
fn size_of(i: usize) -> usize {
    1024 + (i.wrapping_mul(2_654_435_761) % 1025)
}

/// Text-like content, different for every file.
fn content(w: usize, i: usize) -> Vec<u8> {
    let len = size_of(w * 1_000_000_007 + i);
    let mut out = format!("{w}-{i} ").into_bytes();
    let mut x = (w as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i as u64 + 1);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let c = (x % 27) as u8;
        out.push(if c == 26 { b' ' } else { b'a' + c });
    }
    out
}

/// Bytes the disk allocated for everything under `dir`.
fn allocated(dir: &Path) -> (u64, u64) {
    let (mut bytes, mut files) = (0, 0);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, 0);
    };
    for e in entries.flatten() {
        let Ok(meta) = e.metadata() else { continue };
        bytes += meta.blocks() * 512;
        if meta.is_dir() {
            let (b, f) = allocated(&e.path());
            bytes += b;
            files += f;
        } else {
            files += 1;
        }
    }
    (bytes, files)
}

/// The pages of the small-blob table and its index (0 before it existed).
fn table_bytes(db: &Path) -> (u64, u64) {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    let exists: bool = c
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'small_blobs')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if !exists {
        return (0, 0);
    }
    let bytes: i64 = c
        .query_row(
            "SELECT ifnull(sum(pgsize), 0) FROM dbstat WHERE name = 'small_blobs'
                OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'small_blobs' AND type = 'index')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let rows: i64 = c
        .query_row("SELECT count(*) FROM small_blobs", [], |r| r.get(0))
        .unwrap();
    (bytes as u64, rows as u64)
}

fn gib(b: u64) -> f64 {
    b as f64 / (1u64 << 30) as f64
}

pub fn run(rt: &tokio::runtime::Runtime, parvis: fn(&Path) -> Command, member: &str) {
    let n: usize = std::env::var("BENCH_SMALL_FILES")
        .ok()
        .and_then(|v| v.replace(['_', ','], "").parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir_in(std::env::temp_dir()).unwrap();
    let d = dir.path();
    let run = |args: &[&str], stdin: Option<&[u8]>| {
        let mut c = parvis(d);
        c.args(args);
        super::support::run(c, stdin)
    };
    run(&["init"], None);
    run(
        &["space", "add", "--name", "Small", "--slug", "small"],
        None,
    );
    run(
        &[
            "user",
            "add",
            "--email",
            member,
            "--name",
            "Member",
            "--password-stdin",
        ],
        Some(b"member bench pass phrase\n"),
    );
    run(
        &[
            "space",
            "grant",
            "--space",
            "small",
            "--user",
            member,
            "--role",
            "contributor",
        ],
        None,
    );
    let token = super::support::token_in(&run(
        &[
            "token", "create", "--user", member, "--name", "bench", "--scope", "write",
        ],
        None,
    ));
    let blobs_before = allocated(&d.join("blobs")).0;
    let (table_before, _) = table_bytes(&d.join("parvis.db"));
    let (mut server, base) = super::support::serve(parvis(d));
    let client = super::support::client();
    println!();
    println!("{n} small files (1–2 KiB, text) uploaded through the API by {CLIENTS} clients:");
    let content_bytes: u64 = rt.block_on(async {
        super::support::until_up(&client, &base).await;
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
        let start = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..CLIENTS {
            let (client, base, token) = (client.clone(), base.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                let (mut bytes, mut first) = (0u64, None);
                for i in (w..n).step_by(CLIENTS) {
                    let body = content(w, i);
                    bytes += body.len() as u64;
                    let res = client
                        .post(format!(
                            "{base}/api/v1/spaces/{space_id}/files?name=f{i:07}.txt"
                        ))
                        .bearer_auth(&token)
                        .body(body)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), 201);
                    if i + CLIENTS >= 10_000 && first.is_none() {
                        first = Some(start.elapsed());
                    }
                }
                (bytes, first)
            }));
        }
        let mut total = 0;
        let mut first_10k = std::time::Duration::ZERO;
        for t in tasks {
            let (bytes, first) = t.await.unwrap();
            total += bytes;
            first_10k = first_10k.max(first.unwrap_or_default());
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "  {:.0} files/s over all {n} ({secs:.1} s)",
            n as f64 / secs
        );
        if n >= 10_000 {
            println!(
                "  {:.0} files/s over the first 10,000",
                10_000.0 / first_10k.as_secs_f64()
            );
        }
        total
    });
    let _ = server.kill();
    let _ = server.wait();
    let (blob_files, files) = allocated(&d.join("blobs"));
    let blob_files = blob_files - blobs_before;
    let (table, rows) = table_bytes(&d.join("parvis.db"));
    let table = table - table_before;
    let store = blob_files + table;
    println!(
        "  content          {:.3} GiB ({content_bytes} bytes)",
        gib(content_bytes)
    );
    println!(
        "  blob files       {:.3} GiB allocated ({files} files)",
        gib(blob_files)
    );
    println!(
        "  small-blob table {:.3} GiB of pages ({rows} rows)",
        gib(table)
    );
    println!(
        "  blob store       {:.3} GiB = {:.2} × the content   (budget ≤ 1.3 ×)",
        gib(store),
        store as f64 / content_bytes as f64
    );
    let db = std::fs::metadata(d.join("parvis.db")).map_or(0, |m| m.blocks() * 512);
    let wal = std::fs::metadata(d.join("parvis.db-wal")).map_or(0, |m| m.blocks() * 512);
    println!(
        "  (parvis.db {:.3} GiB + WAL {:.3} GiB in all, every table and index)",
        gib(db),
        gib(wal)
    );
}
