//! Backup and restore throughput, printed (not asserted), next to a plain
//! `tar` of the same data directory in the same run:
//! - an instance of 100,000 documents holding 5 GiB of files (sizes spread
//!   from 1 KiB to about 100 KiB), built straight into SQLite and the blob
//!   store (the setup is not what is measured);
//! - `tar -cf` of the data directory, then `parvis backup` of it (database
//!   through SQLite's online backup, every file checksummed, manifest);
//! - `tar -xf` of that plain archive, then `parvis restore` (every checksum
//!   verified before anything is written, each file checksummed again and
//!   synced as it is written, then the search index rebuilt: timed apart);
//! - `parvis export` of the same instance (JSON Lines, CSV, the files tree),
//!   then `parvis import` of that export into a new directory;
//! - 1% new documents, then `parvis backup --incremental-from`;
//! - the peak resident memory (VmHWM) of every `parvis` command, against
//!   the budget of 256 MiB whatever the instance's size.
//!
//! The archives are written beside the data, on the same disk. Before each
//! timed step the page cache is emptied when the benchmark may (as root), so
//! that both sides read from disk.
//!
//! Run: `cargo bench --bench backup` (BENCH_DOCS and BENCH_MIB make it
//! smaller; BENCH_PARVIS=/path/to/parvis measures another build).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const ADMIN: &str = "bench@lumen.example";
const ADMIN_PASSWORD: &str = "benchmark pass phrase";

/// The binary measured: this build's, or `BENCH_PARVIS` (another build, such
/// as an earlier commit's, for a before/after in the same conditions).
fn parvis(dir: &Path) -> Command {
    let bin = std::env::var_os("BENCH_PARVIS")
        .unwrap_or_else(|| std::ffi::OsString::from(env!("CARGO_BIN_EXE_parvis")));
    let mut c = Command::new(bin);
    c.arg("--data-dir").arg(dir).env("PARVIS_LOG", "warn");
    c.env("PARVIS_ADMIN_EMAIL", ADMIN)
        .env("PARVIS_ADMIN_PASSWORD", ADMIN_PASSWORD);
    c
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn shell(line: &str) {
    let status = Command::new("sh").arg("-c").arg(line).status().unwrap();
    assert!(status.success(), "{line}");
}

fn du(path: &Path) -> u64 {
    let out = Command::new("du").arg("-sb").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Adds `count` documents (ids from `first`) with `bytes` of files in all
/// to space 1, straight into SQLite and the blob store.
fn add_documents(data: &Path, first: u64, count: u64, bytes: u64) {
    let mut db = rusqlite::Connection::open(data.join("parvis.db")).unwrap();
    let tx = db.transaction().unwrap();
    let mean = bytes / count.max(1);
    let mut buf = Vec::new();
    for i in first..first + count {
        // Sizes from 1 KiB to about twice the mean, the mean kept.
        let size = 1024 + (i * 7919 % (2 * mean.saturating_sub(1024).max(1)));
        buf.resize(size as usize, 0);
        blake3::Hasher::new()
            .update(&i.to_le_bytes())
            .finalize_xof()
            .fill(&mut buf);
        let hash = blake3::hash(&buf).to_hex().to_string();
        let dir = data.join("blobs").join(&hash[..2]);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(&hash[2..]), &buf).unwrap();
        tx.execute(
            "INSERT INTO documents (id, space_id, name, current_version, size, content_type, blob_hash, created_at, updated_at)
             VALUES (?1, 1, ?2, 1, ?3, 'application/octet-stream', ?4, 0, 0)",
            rusqlite::params![i as i64, format!("file-{i:06}.bin"), size as i64, hash],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO document_versions (document_id, number, blob_hash, size, content_type, original_name, created_at)
             VALUES (?1, 1, ?2, ?3, 'application/octet-stream', ?4, 0)",
            rusqlite::params![i as i64, hash, size as i64, format!("file-{i:06}.bin")],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// Writes dirty pages out and, where allowed (root), empties the page cache,
/// so each side of a comparison starts cold: otherwise whichever archive was
/// written last is read from memory and the other from disk.
fn cold() -> bool {
    shell("sync");
    std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

/// Peak resident memory allowed to any bulk command, whatever the instance's size.
const PEAK_BUDGET_MIB: f64 = 256.0;

/// Runs a `parvis` command to its end, watching its peak resident memory
/// (VmHWM, read every 10 ms while it runs: the high-water mark only rises, so
/// the last reading misses at most the final 10 ms); returns what it printed
/// and the peak in MiB.
fn peak(mut command: Command) -> (String, f64) {
    use std::io::Read;
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let status = format!("/proc/{}/status", child.id());
    let mut hwm_kib = 0u64;
    loop {
        if let Some(kib) = std::fs::read_to_string(&status).ok().and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        }) {
            hwm_kib = hwm_kib.max(kib);
        }
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "parvis failed");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    (reader.join().unwrap(), hwm_kib as f64 / 1024.0)
}

fn peak_line(what: &str, mib: f64) {
    println!(
        "  {:<44} {mib:>8.1} MiB peak RSS   (budget ≤ {PEAK_BUDGET_MIB:.0} MiB{})",
        what,
        if mib > PEAK_BUDGET_MIB { ", OVER" } else { "" }
    );
}

/// `timed` for a `parvis` command, with its peak resident memory.
fn timed_peak(what: &str, command: Command) -> f64 {
    cold();
    let started = Instant::now();
    let (_, mib) = peak(command);
    let s = started.elapsed().as_secs_f64();
    println!("  {what:<44} {s:>8.1} s");
    peak_line(what, mib);
    s
}

fn timed(what: &str, line: &str) -> f64 {
    cold();
    let started = Instant::now();
    shell(line);
    let s = started.elapsed().as_secs_f64();
    println!("  {what:<44} {s:>8.1} s");
    s
}

/// The seconds a command printed on the line holding `marker`, as in
/// "restored … in 12.3 s, every checksum verified" or "search index rebuilt:
/// N entries in 4.5 s".
fn seconds_in(out: &str, marker: &str) -> f64 {
    out.lines()
        .find(|l| l.contains(marker))
        .and_then(|l| l.rsplit(" in ").next())
        .and_then(|t| t.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn rate(bytes: u64, seconds: f64) -> String {
    format!(
        "{:.0} MiB/s",
        bytes as f64 / 1_048_576.0 / seconds.max(1e-9)
    )
}

fn main() {
    let docs = env_or("BENCH_DOCS", 100_000);
    let mib = env_or("BENCH_MIB", 5 * 1024);
    println!(
        "Parvis backup benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    let root = tempfile::Builder::new()
        .prefix("parvis-bench-backup")
        .tempdir_in(std::env::current_dir().unwrap().join("target"))
        .unwrap();
    let data = root.path().join("data");
    support::run(
        {
            let mut c = parvis(&data);
            c.arg("init");
            c
        },
        None,
    );
    {
        let db = rusqlite::Connection::open(data.join("parvis.db")).unwrap();
        db.execute(
            "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
             VALUES (1, 'archive', 'Archive', 'internal', 0, 0)",
            [],
        )
        .unwrap();
    }
    let started = Instant::now();
    add_documents(&data, 1, docs, mib << 20);
    shell("sync");
    let size = du(&data);
    println!(
        "  instance: {docs} documents, {:.2} GiB in the data directory (built in {:.0} s)",
        size as f64 / (1u64 << 30) as f64,
        started.elapsed().as_secs_f64()
    );
    println!(
        "  page cache emptied before each timed step: {}",
        if cold() {
            "yes"
        } else {
            "no (not root): warm and cold reads mix"
        }
    );
    let d = data.display();
    let r = root.path().display();

    println!("Backup");
    let tar_s = timed(
        "tar -cf (then sync)",
        &format!("tar -cf {r}/plain.tar -C {d} . && sync {r}/plain.tar"),
    );
    let backup_s = timed_peak("parvis backup", {
        let mut c = parvis(&data);
        c.args(["backup", "--out"])
            .arg(root.path().join("parvis.tar"));
        c
    });
    println!(
        "  throughput: tar {}, parvis backup {} (parvis/tar time ratio {:.2})",
        rate(size, tar_s),
        rate(size, backup_s),
        backup_s / tar_s
    );

    println!("Restore");
    let untar_s = timed(
        "tar -xf (then sync)",
        &format!("mkdir {r}/untarred && tar -xf {r}/plain.tar -C {r}/untarred && sync"),
    );
    // Deleting 5 GiB is journal work of its own: done before restore starts.
    shell(&format!("rm -rf {r}/untarred {r}/plain.tar && sync"));
    cold();
    let (out, restore_mib) = peak({
        let mut c = parvis(&root.path().join("restored"));
        c.args(["restore", "--from"])
            .arg(root.path().join("parvis.tar"));
        c
    });
    let restore_s = seconds_in(&out, "every checksum verified");
    let reindex_s = seconds_in(&out, "search index rebuilt");
    println!(
        "  {:<44} {restore_s:>8.1} s",
        "parvis restore (verify, write, sync)"
    );
    println!(
        "  {:<44} {reindex_s:>8.1} s",
        "  then the search index rebuilt"
    );
    println!(
        "  throughput: tar -xf {}, parvis restore {} (parvis/tar time ratio {:.2})",
        rate(size, untar_s),
        rate(size, restore_s),
        restore_s / untar_s
    );
    peak_line("parvis restore (with its index rebuild)", restore_mib);
    let (_, reindex_mib) = peak({
        let mut c = parvis(&root.path().join("restored"));
        c.arg("reindex");
        c
    });
    peak_line("parvis reindex (of the restored instance)", reindex_mib);
    shell(&format!("rm -rf {r}/restored && sync"));

    println!("Export (open formats)");
    let export_s = timed_peak("parvis export (JSON Lines, CSV, files tree)", {
        let mut c = parvis(&data);
        c.args(["export", "--out"]).arg(root.path().join("export"));
        c
    });
    println!(
        "  throughput: parvis export {} (export/tar -cf time ratio {:.2})",
        rate(size, export_s),
        export_s / tar_s
    );
    cold();
    let (out, import_mib) = peak({
        let mut c = parvis(&root.path().join("imported"));
        c.args(["import", "--from"]).arg(root.path().join("export"));
        c
    });
    let import_s = seconds_in(&out, "every checksum verified");
    println!(
        "  {:<44} {import_s:>8.1} s",
        "parvis import (check, load, files, sync)"
    );
    println!(
        "  {:<44} {:>8.1} s",
        "  then the search index rebuilt",
        seconds_in(&out, "search index rebuilt")
    );
    println!(
        "  throughput: parvis import {} (import/tar -xf time ratio {:.2})",
        rate(size, import_s),
        import_s / untar_s
    );
    peak_line("parvis import (with its index rebuild)", import_mib);
    shell(&format!("rm -rf {r}/export {r}/imported && sync"));

    println!("Incremental");
    let extra = (docs / 100).max(1);
    add_documents(&data, docs + 1, extra, (mib << 20) / 100);
    shell("sync");
    let incr_s = timed_peak(
        &format!("parvis backup --incremental-from (+{extra} docs)"),
        {
            let mut c = parvis(&data);
            c.args(["backup", "--out"])
                .arg(root.path().join("incremental.tar"))
                .arg("--incremental-from")
                .arg(root.path().join("parvis.tar"));
            c
        },
    );
    let full = std::fs::metadata(root.path().join("parvis.tar"))
        .unwrap()
        .len();
    let incr = std::fs::metadata(root.path().join("incremental.tar"))
        .unwrap()
        .len();
    println!(
        "  incremental archive {:.1} MiB vs full {:.1} MiB; {:.2}× the full backup's time",
        incr as f64 / 1_048_576.0,
        full as f64 / 1_048_576.0,
        incr_s / backup_s
    );
}
