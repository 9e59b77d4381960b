//! `parvis restore`: an instance from a `parvis backup` archive. The whole
//! archive is read and checked against its manifest before anything is
//! written: only plain files at the places a backup puts them, each once, of
//! sane size, every one listed with the right size and BLAKE3 checksum. A
//! truncated or tampered archive is refused with the name of the first bad
//! entry. The search index is not in the archive; it is rebuilt after.

use super::archive::ledger::{FileList, Ledger};
use super::archive::manifest::{self, FileEntry, ReadError};
use super::archive::{EntryFault, plain_entries, plain_relative};
use super::backup::{DATABASE, FORMAT, MANIFEST, Manifest};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// No single file of a backup is larger than this.
const MAX_FILE: u64 = 1 << 40;
/// Nor its manifest (read one entry at a time: about 5,000,000 files).
const MAX_MANIFEST: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("{archive}: {source}")]
    Read {
        archive: PathBuf,
        source: std::io::Error,
    },
    #[error("refused: entry {entry}: {why}")]
    BadEntry { entry: String, why: String },
    #[error("refused: {0}")]
    BadArchive(String),
    #[error("{0} is not empty (add --force to replace what it holds)")]
    NotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the scratch list of files: {0}")]
    Ledger(#[from] rusqlite::Error),
}

fn bad(entry: &str, why: impl Into<String>) -> RestoreError {
    RestoreError::BadEntry {
        entry: entry.to_string(),
        why: why.into(),
    }
}

impl From<EntryFault> for RestoreError {
    fn from(f: EntryFault) -> Self {
        RestoreError::BadEntry {
            entry: f.entry,
            why: f.why,
        }
    }
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> RestoreError + '_ {
    move |source| RestoreError::Write {
        path: path.to_path_buf(),
        source,
    }
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
}

/// Whether `name` is a place a backup writes to (and nothing else: no
/// parent steps, no absolute path, no link).
fn allowed(name: &str) -> bool {
    let path = Path::new(name);
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return false;
    }
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    match name.split('/').collect::<Vec<_>>().as_slice() {
        [DATABASE] | [MANIFEST] | ["config.toml"] | ["tls", "cert.pem"] | ["tls", "key.pem"] => {
            true
        }
        ["blobs", dir, rest] => dir.len() == 2 && rest.len() == 62 && hex(dir) && hex(rest),
        _ => false,
    }
}

/// Copies an entry's data to `sink` (`to` names it in errors); returns its
/// size and BLAKE3 checksum.
fn copy_hashing(
    entry: &mut impl Read,
    name: &str,
    sink: &mut impl Write,
    to: &str,
) -> Result<(u64, String), RestoreError> {
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = entry
            .read(&mut buf)
            .map_err(|e| bad(name, format!("cut short ({e})")))?;
        if n == 0 {
            return Ok((total, hasher.finalize().to_hex().to_string()));
        }
        hasher.update(&buf[..n]);
        sink.write_all(&buf[..n])
            .map_err(|source| RestoreError::Write {
                path: PathBuf::from(to),
                source,
            })?;
        total += n as u64;
    }
}

/// Reads the whole archive and checks it against its manifest (the lists
/// of files it keeps go to a scratch file beside the archive).
pub fn verify(archive: &Path) -> Result<Summary, RestoreError> {
    let beside = archive
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let ledger = Ledger::create(beside).or_else(|_| Ledger::create(&std::env::temp_dir()))?;
    check(archive, None, &ledger)
}

/// Where a checked file goes: nowhere (verification only), or its place
/// under a staging directory (a restore, in the same single pass).
fn sink_for(into: Option<&Path>, name: &str) -> Result<Box<dyn Write>, RestoreError> {
    let Some(dir) = into else {
        return Ok(Box::new(std::io::sink()));
    };
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(write_err(parent))?;
    }
    // The database, the key and the files are the instance's: its owner's only.
    let file = crate::util::private_file(&path).map_err(write_err(&path))?;
    Ok(Box::new(std::io::BufWriter::with_capacity(1 << 16, file)))
}

/// Checks a manifest's entry as it is read, and lists it.
fn note_listed(listed: FileList<'_>, f: FileEntry) -> Result<(), RestoreError> {
    if !allowed(&f.path) {
        return Err(bad(&f.path, "not a place a backup writes to"));
    }
    if let Some(name) = f.stored_in.as_deref() {
        // Only stored files, named by their content, may live in an earlier archive.
        if !f.path.starts_with("blobs/") {
            return Err(bad(
                &f.path,
                "only stored files may come from an earlier backup",
            ));
        }
        if !plain_relative(name) || name.contains('/') {
            return Err(bad(
                &f.path,
                format!("stored in {name:?}, not an archive's name"),
            ));
        }
    }
    if !listed.add(&f)? {
        return Err(bad(&f.path, "listed twice in the manifest"));
    }
    Ok(())
}

/// Checks the archive (and the earlier ones it builds on) against its
/// manifest, in one pass; with `into`, writes each file there as it goes.
/// What it has seen and what the manifest lists are kept in `ledger`.
fn check(archive: &Path, into: Option<&Path>, ledger: &Ledger) -> Result<Summary, RestoreError> {
    let read_err = |source| RestoreError::Read {
        archive: archive.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(archive).map_err(read_err)?;
    let seen = ledger.list("seen")?;
    let listed = ledger.list("listed")?;
    let mut head: Option<Manifest> = None;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let last = plain_entries(reader, |name, size, entry| {
        if !allowed(name) {
            return Err(bad(name, "not a place a backup writes to"));
        }
        if (name == MANIFEST && head.is_some()) || seen.get(name)?.is_some() {
            return Err(bad(name, "appears twice"));
        }
        if size > MAX_FILE || (name == MANIFEST && size > MAX_MANIFEST) {
            return Err(bad(name, format!("absurd size ({size} bytes)")));
        }
        if name == MANIFEST {
            head = Some(
                manifest::read(entry.take(size), |f| note_listed(listed, f)).map_err(
                    |e| match e {
                        ReadError::Entry(e) => e,
                        ReadError::Json(e) => bad(name, format!("not a manifest ({e})")),
                    },
                )?,
            );
        } else {
            let mut out = sink_for(into, name)?;
            let (read, blake3) = copy_hashing(entry, name, &mut out, name)?;
            out.flush().map_err(write_err(Path::new(name)))?;
            if read != size {
                return Err(bad(name, "cut short"));
            }
            seen.add(&FileEntry {
                path: name.to_string(),
                size,
                blake3,
                stored_in: None,
            })?;
        }
        Ok(())
    })?;
    let head = head.ok_or_else(|| {
        RestoreError::BadArchive(format!("no manifest: the archive is cut after {last}"))
    })?;
    if head.format != FORMAT {
        return Err(bad(
            MANIFEST,
            format!("format {} (this version reads {FORMAT})", head.format),
        ));
    }
    if let Some(path) = listed.first_where(
        "stored_in IS NULL AND path NOT IN (SELECT path FROM seen)",
        [],
    )? {
        return Err(bad(&path, "listed in the manifest but missing"));
    }
    if let Some(path) = listed.first_where(
        "stored_in IS NULL AND EXISTS (SELECT 1 FROM seen s WHERE s.path = listed.path
             AND (s.size != listed.size OR s.blake3 != listed.blake3))",
        [],
    )? {
        return Err(bad(&path, "its checksum differs from the manifest's"));
    }
    if let Some(path) = seen.first_where("path NOT IN (SELECT path FROM listed)", [])? {
        return Err(bad(&path, "not listed in the manifest"));
    }
    if seen.get(DATABASE)?.is_none() {
        return Err(bad(DATABASE, "missing"));
    }
    check_earlier(archive, into, listed)?;
    let (files, bytes) = listed.totals()?;
    Ok(Summary { files, bytes })
}

/// Reads, from the earlier archives beside `archive`, the files its
/// manifest says they hold, checking each.
fn check_earlier(
    archive: &Path,
    into: Option<&Path>,
    listed: FileList<'_>,
) -> Result<(), RestoreError> {
    let dir = archive.parent().unwrap_or(Path::new("."));
    // A chain holds few archives: their names fit in memory, their files do not.
    let names = listed.archives()?;
    for (name, first) in names {
        let earlier = dir.join(&name);
        if !earlier.is_file() {
            return Err(bad(
                &first,
                format!("stored in the earlier backup {name}, which is not beside this one"),
            ));
        }
        each_entry_with_seek(&earlier, |path, entry| {
            let Some(f) = listed.get(path)? else {
                return Ok(false);
            };
            if f.stored_in.as_deref() != Some(name.as_str()) || !listed.mark_found(path)? {
                return Ok(false);
            }
            let mut out = sink_for(into, path)?;
            let (read, found) = copy_hashing(entry, path, &mut out, path)?;
            out.flush().map_err(write_err(Path::new(path)))?;
            if read != f.size || found != f.blake3 {
                return Err(bad(
                    path,
                    format!(
                        "its checksum in {} differs from the manifest's",
                        earlier.display()
                    ),
                ));
            }
            Ok(true)
        })?;
        if let Some(missing) = listed.first_where("stored_in = ?1 AND found = 0", [&name])? {
            return Err(bad(
                &missing,
                format!(
                    "listed as stored in {}, which does not hold it",
                    earlier.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Calls `each` with every plain entry of `archive`; entries it does not
/// read (it returns false) are skipped without reading their data.
fn each_entry_with_seek(
    archive: &Path,
    mut each: impl FnMut(&str, &mut tar::Entry<'_, std::fs::File>) -> Result<bool, RestoreError>,
) -> Result<(), RestoreError> {
    let read_err = |source| RestoreError::Read {
        archive: archive.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(archive).map_err(read_err)?;
    let mut tar = tar::Archive::new(file);
    for entry in tar.entries_with_seek().map_err(read_err)? {
        let mut entry =
            entry.map_err(|e| RestoreError::BadArchive(format!("{}: {e}", archive.display())))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let name = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .map_err(|e| RestoreError::BadArchive(format!("{}: {e}", archive.display())))?;
        each(&name, &mut entry)?;
    }
    Ok(())
}

/// Only the manifest of a backup archive, found without reading the files
/// before it: `each` gets its entries one by one.
pub fn read_manifest(
    archive: &Path,
    mut each: impl FnMut(FileEntry) -> Result<(), RestoreError>,
) -> Result<Manifest, RestoreError> {
    let mut head = None;
    each_entry_with_seek(archive, |name, entry| {
        if name != MANIFEST {
            return Ok(false);
        }
        let size = entry.header().size().unwrap_or(u64::MAX);
        if size > MAX_MANIFEST {
            return Err(bad(name, "absurd size"));
        }
        head = Some(
            manifest::read(entry.take(size), &mut each).map_err(|e| match e {
                ReadError::Entry(e) => e,
                ReadError::Json(e) => bad(name, format!("not a manifest ({e})")),
            })?,
        );
        Ok(true)
    })?;
    head.ok_or_else(|| RestoreError::BadArchive(format!("{}: no manifest", archive.display())))
}

/// Where a restore is written before it replaces anything, inside the target.
const STAGING: &str = ".restoring";
/// Where what it replaces waits until the swap is done.
const REPLACED: &str = ".replaced";

/// What an instance's data directory holds that a restore replaces (the
/// index is dropped and rebuilt).
const INSTANCE: &[&str] = &[
    DATABASE,
    "parvis.db-wal",
    "parvis.db-shm",
    "config.toml",
    "tls",
    "blobs",
    "index",
];

/// Moves what `dir` held aside, the staged files into place, then drops
/// what was aside; if a step fails, what was aside is moved back.
fn swap_in(dir: &Path, staging: &Path, occupied: bool) -> Result<(), RestoreError> {
    let aside = dir.join(REPLACED);
    if aside.exists() {
        std::fs::remove_dir_all(&aside).map_err(write_err(&aside))?;
    }
    crate::util::private_dir(&aside).map_err(write_err(&aside))?;
    let mut moved = Vec::new();
    let result = (|| {
        if occupied {
            for item in INSTANCE {
                let from = dir.join(item);
                if from.exists() {
                    std::fs::rename(&from, aside.join(item)).map_err(write_err(&from))?;
                    moved.push(*item);
                }
            }
        }
        // Renames within one file system: each is whole or not done.
        for item in INSTANCE {
            let from = staging.join(item);
            if from.exists() {
                let to = dir.join(item);
                std::fs::rename(&from, &to).map_err(write_err(&to))?;
            }
        }
        Ok(())
    })();
    if result.is_err() {
        for item in INSTANCE {
            let _ = std::fs::rename(dir.join(item), staging.join(item));
        }
        for item in &moved {
            let _ = std::fs::rename(aside.join(item), dir.join(item));
        }
    }
    let _ = std::fs::remove_dir_all(&aside);
    result
}

/// Restores `archive` into `dir`: verified first, then written beside what
/// `dir` holds and swapped in only when whole; with `force`, what `dir` held
/// of an instance is replaced. On any error (a full disk…) the staged files
/// are removed and `dir` is as it was.
pub fn restore(archive: &Path, dir: &Path, force: bool) -> Result<Summary, RestoreError> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if occupied && !force {
        return Err(RestoreError::NotEmpty(dir.to_path_buf()));
    }
    let staging = dir.join(STAGING);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(write_err(&staging))?;
    }
    crate::util::private_dir(&staging).map_err(write_err(&staging))?;
    // Checked and written aside in one pass; nothing of `dir` is touched
    // until every checksum has been verified.
    let written = Ledger::create(&staging)
        .map_err(RestoreError::from)
        .and_then(|ledger| check(archive, Some(&staging), &ledger));
    // One sync of the file system for every file written (not one per
    // file: 100,000 of them), before anything is swapped in.
    let written = written.and_then(|s| {
        let d = std::fs::File::open(&staging).map_err(write_err(&staging))?;
        rustix::fs::syncfs(&d).map_err(|e| write_err(&staging)(e.into()))?;
        Ok(s)
    });
    let summary = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if let Err(e) = swap_in(dir, &staging, occupied) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    std::fs::remove_dir_all(&staging).map_err(write_err(&staging))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn only_the_places_a_backup_writes_to_are_allowed() {
        let blob = format!("blobs/ab/{}", "c".repeat(62));
        for ok in ["parvis.db", "manifest.json", "tls/key.pem", blob.as_str()] {
            assert!(allowed(ok), "{ok}");
        }
        for refused in [
            "../parvis.db",
            "/etc/passwd",
            "blobs/../../x",
            "blobs/ab/short",
            "index/CURRENT",
            "tls/../parvis.db",
            "./parvis.db",
            "",
        ] {
            assert!(!allowed(refused), "{refused}");
        }
    }
}
