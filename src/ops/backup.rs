//! `parvis backup`: a consistent copy of an instance, taken while it serves.
//! The database is copied through SQLite's online backup API in one step
//! (one read transaction: writers go on, the copy is one instant of it); the
//! blobs that copy refers to follow (they are immutable, so copying them
//! after is still that instant); the TLS files and `config.toml` when they
//! exist; and last `manifest.json`, with the format, the schema version and
//! the size and BLAKE3 checksum of every file. All in one tar archive,
//! written beside its destination and renamed into place only when whole.
//! The search index is left out: it is rebuilt from the database.

use super::archive::ledger::{FileList, Ledger, Order};
use super::archive::manifest::{self, Listed};
use super::archive::{Hashing, file_header};
use crate::config::Config;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The archive format; bumped when its layout changes.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const DATABASE: &str = "parvis.db";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no database in {0} (run `parvis init` first)")]
    NoDatabase(PathBuf),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("blob {0} is referenced but missing (run `parvis check`)")]
    MissingBlob(String),
    #[error("{0}")]
    Other(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub use super::archive::manifest::FileEntry;

/// A backup's manifest, but for its list of files (read and written one
/// entry at a time: see [`manifest`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The number of migrations applied to the database copied.
    pub schema_version: u32,
    pub created_at: String,
}

#[derive(serde::Serialize)]
struct Written<'l> {
    format: u32,
    schema_version: u32,
    created_at: String,
    files: Listed<'l>,
}

/// How far a backup is, for a progress line.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Database,
    Blobs { done: usize, total: usize },
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
    pub blobs: usize,
    /// Stored files left in earlier archives (incremental backups).
    pub blobs_referenced: usize,
}

/// A scratch database file, removed (with its journals) however the backup ends.
struct Scratch(PathBuf);

impl Scratch {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// Writes the backup of `config.data_dir` to `out`.
/// With `base` (an earlier backup, full or incremental), the stored files
/// it already holds are not copied again: the manifest names the archive
/// that holds each, and restore reads them from there (keep the archives of
/// a chain together in one directory).
pub fn backup(
    config: &Config,
    out: &Path,
    base: Option<&Path>,
    mut progress: impl FnMut(Progress),
) -> Result<Summary, BackupError> {
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let result = write_archive(config, &partial, base, &mut progress);
    match result {
        Ok(summary) => {
            std::fs::rename(&partial, out).map_err(io(out))?;
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
                && let Ok(d) = std::fs::File::open(dir)
            {
                let _ = d.sync_all();
            }
            Ok(summary)
        }
        Err(e) => {
            // Nothing half-written stays behind (a full disk, a vanished blob…).
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Lists, in `into`, the stored files an earlier archive holds or refers to,
/// each with the archive that holds it.
fn earlier_files(base: &Path, out: &Path, into: FileList<'_>) -> Result<(), BackupError> {
    // Restore looks for the chain beside the newest archive: keep it there.
    let dir_of = |p: &Path| {
        p.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .canonicalize()
            .ok()
    };
    if dir_of(base).is_none() || dir_of(base) != dir_of(out) {
        return Err(BackupError::Other(format!(
            "--incremental-from: {} must be in the directory the new archive is written to",
            base.display()
        )));
    }
    let name = base
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| BackupError::Other("--incremental-from: not a file name".into()))?
        .to_string();
    super::restore::read_manifest(base, |mut f| {
        if f.path.starts_with("blobs/") {
            f.stored_in = Some(f.stored_in.unwrap_or_else(|| name.clone()));
            into.add(&f)?;
        }
        Ok(())
    })
    .map_err(|e| BackupError::Other(format!("--incremental-from: {e}")))?;
    Ok(())
}

fn write_archive(
    config: &Config,
    partial: &Path,
    base: Option<&Path>,
    progress: &mut impl FnMut(Progress),
) -> Result<Summary, BackupError> {
    let data = &config.data_dir;
    let db_path = data.join(DATABASE);
    if !db_path.is_file() {
        return Err(BackupError::NoDatabase(data.clone()));
    }
    let dir = partial
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The lists of files, beside the archive: a million entries stay out of memory.
    let ledger = Ledger::create(dir)?;
    let earlier = ledger.list("earlier")?;
    if let Some(b) = base {
        earlier_files(b, partial, earlier)?;
    }
    let files = ledger.list("files")?;
    // The copy of the database, beside the archive (not in /tmp, which may
    // be small or memory).
    let snapshot = Scratch(dir.join(format!(
        ".parvis-backup-{}.db",
        crate::util::random_token(8)
    )));
    progress(Progress::Database);
    let source = rusqlite::Connection::open_with_flags(
        &db_path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(config.storage.busy_timeout)?;
    let mut copy = rusqlite::Connection::open(snapshot.path())?;
    {
        let backup = rusqlite::backup::Backup::new(&source, &mut copy)?;
        // All pages in one step: one read transaction, one instant.
        let mut tries = 0;
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                _ => {
                    tries += 1;
                    if tries > 600 {
                        return Err(BackupError::Other("the database stayed locked".into()));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            }
        }
    }
    drop(source);
    let schema_version = crate::db::migration_status(&copy)
        .map_err(|e| BackupError::Other(e.to_string()))?
        .applied;
    copy.execute_batch("PRAGMA journal_mode = DELETE;")?;
    drop(copy);

    // The archive holds password hashes and the TLS key: for its owner only.
    let file = crate::util::private_file(partial).map_err(io(partial))?;
    let mut tar = tar::Builder::new(std::io::BufWriter::with_capacity(1 << 20, file));
    let add = |tar: &mut tar::Builder<_>, name: String, from: &Path| -> Result<(), BackupError> {
        let f = std::fs::File::open(from).map_err(io(from))?;
        let size = f.metadata().map_err(io(from))?.len();
        let mut reader = Hashing::new(f);
        tar.append_data(&mut file_header(size), &name, &mut reader)
            .map_err(io(partial))?;
        let (read, blake3) = reader.finish();
        if read != size {
            return Err(BackupError::Other(format!(
                "{} changed while it was copied",
                from.display()
            )));
        }
        files.add(&FileEntry {
            path: name,
            size,
            blake3,
            stored_in: None,
        })?;
        Ok(())
    };
    add(&mut tar, DATABASE.into(), snapshot.path())?;
    let store =
        crate::blobs::BlobStore::open(data).map_err(|e| BackupError::Other(e.to_string()))?;
    // The stored files the copy refers to, read from it as they are copied.
    let copy = rusqlite::Connection::open_with_flags(
        snapshot.path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    copy.execute_batch("PRAGMA temp_store = FILE; PRAGMA cache_size = -4096;")?;
    // Small contents travel inside the database copy (`small_blobs`, absent
    // from a database not yet at schema 17).
    let has_small: bool = copy.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'small_blobs')",
        [],
        |r| r.get(0),
    )?;
    let stored = if has_small {
        "SELECT blob_hash FROM document_versions UNION SELECT blob_hash FROM previews
         EXCEPT SELECT lower(hex(hash)) FROM small_blobs"
    } else {
        "SELECT blob_hash FROM document_versions UNION SELECT blob_hash FROM previews"
    };
    let total: usize = copy.query_row(
        &format!("SELECT count(*) FROM ({stored}) WHERE blob_hash != ''"),
        [],
        |r| r.get::<_, i64>(0).map(|n| n as usize),
    )?;
    let mut hashes = copy.prepare(&format!(
        "SELECT blob_hash FROM ({stored}) WHERE blob_hash != '' ORDER BY 1"
    ))?;
    let mut hashes = hashes.query([])?;
    let (mut done, mut blobs_referenced) = (0, 0);
    while let Some(row) = hashes.next()? {
        let hash: String = row.get(0)?;
        done += 1;
        if !crate::blobs::is_hash(&hash) {
            return Err(BackupError::MissingBlob(hash));
        }
        let name = format!("blobs/{}/{}", &hash[..2], &hash[2..]);
        // Named by their content: the same name in an earlier archive is the same bytes.
        if let Some(entry) = earlier.get(&name)? {
            files.add(&entry)?;
            blobs_referenced += 1;
            continue;
        }
        let path = store
            .path(&hash)
            .map_err(|_| BackupError::MissingBlob(hash.clone()))?;
        if !path.is_file() {
            return Err(BackupError::MissingBlob(hash.clone()));
        }
        add(&mut tar, name, &path)?;
        progress(Progress::Blobs { done, total });
    }
    for extra in ["config.toml", "tls/cert.pem", "tls/key.pem"] {
        let path = data.join(extra);
        if path.is_file() {
            add(&mut tar, extra.into(), &path)?;
        }
    }
    // Written aside, then copied in: a tar entry's size comes first.
    let aside = Scratch(dir.join(format!(
        ".parvis-manifest-{}.json",
        crate::util::random_token(8)
    )));
    let out = crate::util::private_file(aside.path()).map_err(io(aside.path()))?;
    manifest::write(
        out,
        &Written {
            format: FORMAT,
            schema_version,
            created_at: crate::util::format_ms(crate::util::now_ms()),
            files: Listed {
                list: files,
                order: Order::Added,
            },
        },
    )
    .map_err(|e| BackupError::Other(format!("manifest: {e}")))?;
    let json = std::fs::File::open(aside.path()).map_err(io(aside.path()))?;
    let size = json.metadata().map_err(io(aside.path()))?.len();
    tar.append_data(&mut file_header(size), MANIFEST, json)
        .map_err(io(partial))?;
    let mut writer = tar.into_inner().map_err(io(partial))?;
    writer.flush().map_err(io(partial))?;
    let file = writer
        .into_inner()
        .map_err(|e| BackupError::Other(e.to_string()))?;
    file.sync_all().map_err(io(partial))?;
    let (count, bytes): (i64, i64) = ledger.sql().query_row(
        "SELECT count(*), ifnull(sum(size), 0) FROM files WHERE stored_in IS NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Summary {
        files: count as usize + 1,
        bytes: bytes as u64,
        blobs: total - blobs_referenced,
        blobs_referenced,
    })
}

/// The scheduled backups of a running server: one every `backup.every`,
/// named by their time, the oldest beyond `backup.keep` deleted.
pub async fn schedule(config: std::sync::Arc<Config>) {
    let every = config.backup.every;
    if every.is_zero() {
        return;
    }
    let dir = config.data_dir.join(&config.backup.dir);
    loop {
        tokio::time::sleep(every).await;
        let (config, dir) = (config.clone(), dir.clone());
        let done = tokio::task::spawn_blocking(move || scheduled(&config, &dir)).await;
        match done {
            Ok(Ok(path)) => tracing::info!(path = %path.display(), "scheduled backup written"),
            Ok(Err(e)) => tracing::error!(error = %e, "scheduled backup failed"),
            Err(e) => tracing::error!(error = %e, "scheduled backup failed"),
        }
    }
}

const SCHEDULED_PREFIX: &str = "parvis-";
const SCHEDULED_SUFFIX: &str = ".tar";

fn scheduled(config: &Config, dir: &Path) -> Result<PathBuf, BackupError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    // Sortable, and no colons (not every file system takes them).
    let stamp = crate::util::format_ms(crate::util::now_ms()).replace(':', "-");
    let out = dir.join(format!("{SCHEDULED_PREFIX}{stamp}{SCHEDULED_SUFFIX}"));
    backup(config, &out, None, |_| {})?;
    let mut kept: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(SCHEDULED_PREFIX) && n.ends_with(SCHEDULED_SUFFIX))
        })
        .collect();
    kept.sort();
    let excess = kept.len().saturating_sub(config.backup.keep as usize);
    for old in &kept[..excess] {
        std::fs::remove_file(old).map_err(io(old))?;
    }
    Ok(out)
}
