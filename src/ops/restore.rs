//! `parvis restore`: an instance from a `parvis backup` archive. The whole
//! archive is read and checked against its manifest before anything is
//! written: only plain files at the places a backup puts them, each once, of
//! sane size, every one listed with the right size and BLAKE3 checksum. A
//! truncated or tampered archive is refused with the name of the first bad
//! entry. The search index is not in the archive; it is rebuilt after.

use super::archive::{EntryFault, plain_entries};
use super::backup::{DATABASE, FORMAT, MANIFEST, Manifest};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// No single file of a backup is larger than this.
const MAX_FILE: u64 = 1 << 40;
/// Nor its manifest.
const MAX_MANIFEST: u64 = 256 << 20;

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

/// Reads the whole archive and checks it against its manifest.
pub fn verify(archive: &Path) -> Result<Manifest, RestoreError> {
    check(archive, None)
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

/// Checks the archive (and the earlier ones it builds on) against its
/// manifest, in one pass; with `into`, writes each file there as it goes.
fn check(archive: &Path, into: Option<&Path>) -> Result<Manifest, RestoreError> {
    let read_err = |source| RestoreError::Read {
        archive: archive.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(archive).map_err(read_err)?;
    let mut seen: HashMap<String, (u64, String)> = HashMap::new();
    let mut manifest: Option<Manifest> = None;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let last = plain_entries(reader, |name, size, entry| {
        if !allowed(name) {
            return Err(bad(name, "not a place a backup writes to"));
        }
        if seen.contains_key(name) || (name == MANIFEST && manifest.is_some()) {
            return Err(bad(name, "appears twice"));
        }
        if size > MAX_FILE || (name == MANIFEST && size > MAX_MANIFEST) {
            return Err(bad(name, format!("absurd size ({size} bytes)")));
        }
        if name == MANIFEST {
            let mut json = Vec::with_capacity(size as usize);
            entry
                .read_to_end(&mut json)
                .map_err(|e| bad(name, format!("cut short ({e})")))?;
            let m: Manifest = serde_json::from_slice(&json)
                .map_err(|e| bad(name, format!("not a manifest ({e})")))?;
            manifest = Some(m);
        } else {
            let mut out = sink_for(into, name)?;
            let (read, hash) = copy_hashing(entry, name, &mut out, name)?;
            out.flush().map_err(write_err(Path::new(name)))?;
            if read != size {
                return Err(bad(name, "cut short"));
            }
            seen.insert(name.to_string(), (size, hash));
        }
        Ok(())
    })?;
    let manifest = manifest.ok_or_else(|| {
        RestoreError::BadArchive(format!("no manifest: the archive is cut after {last}"))
    })?;
    if manifest.format != FORMAT {
        return Err(bad(
            MANIFEST,
            format!("format {} (this version reads {FORMAT})", manifest.format),
        ));
    }
    let mut listed = std::collections::HashSet::new();
    for f in &manifest.files {
        if !allowed(&f.path) {
            return Err(bad(&f.path, "not a place a backup writes to"));
        }
        if f.stored_in.is_some() {
            // Only stored files, named by their content, may live in an earlier archive.
            if !f.path.starts_with("blobs/") {
                return Err(bad(
                    &f.path,
                    "only stored files may come from an earlier backup",
                ));
            }
            listed.insert(f.path.as_str());
            continue;
        }
        let Some((size, hash)) = seen.get(&f.path) else {
            return Err(bad(&f.path, "listed in the manifest but missing"));
        };
        if *size != f.size || *hash != f.blake3 {
            return Err(bad(&f.path, "its checksum differs from the manifest's"));
        }
        listed.insert(f.path.as_str());
    }
    if let Some(extra) = seen.keys().find(|k| !listed.contains(k.as_str())) {
        return Err(bad(extra, "not listed in the manifest"));
    }
    if !seen.contains_key(DATABASE) {
        return Err(bad(DATABASE, "missing"));
    }
    for (earlier, files) in earlier_archives(archive, &manifest)? {
        let mut wanted: HashMap<&str, (u64, &str)> = files
            .iter()
            .map(|f| (f.path.as_str(), (f.size, f.blake3.as_str())))
            .collect();
        each_entry_with_seek(&earlier, |name, entry| {
            let Some(&(size, hash)) = wanted.get(name) else {
                return Ok(false);
            };
            let mut out = sink_for(into, name)?;
            let (read, found) = copy_hashing(entry, name, &mut out, name)?;
            out.flush().map_err(write_err(Path::new(name)))?;
            if read != size || found != hash {
                return Err(bad(
                    name,
                    format!(
                        "its checksum in {} differs from the manifest's",
                        earlier.display()
                    ),
                ));
            }
            wanted.remove(name);
            Ok(true)
        })?;
        if let Some(missing) = wanted.keys().next() {
            return Err(bad(
                missing,
                format!(
                    "listed as stored in {}, which does not hold it",
                    earlier.display()
                ),
            ));
        }
    }
    Ok(manifest)
}

/// The earlier archives an incremental backup refers to, each with the
/// files it holds for it; they must lie beside `archive`.
fn earlier_archives<'m>(
    archive: &Path,
    manifest: &'m Manifest,
) -> Result<Vec<(PathBuf, Vec<&'m super::backup::FileEntry>)>, RestoreError> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&super::backup::FileEntry>> =
        Default::default();
    for f in &manifest.files {
        if let Some(name) = f.stored_in.as_deref() {
            if !super::archive::plain_relative(name) || name.contains('/') {
                return Err(bad(
                    &f.path,
                    format!("stored in {name:?}, not an archive's name"),
                ));
            }
            groups.entry(name).or_default().push(f);
        }
    }
    let dir = archive.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for (name, files) in groups {
        let path = dir.join(name);
        if !path.is_file() {
            let first = files.first().map_or(name, |f| f.path.as_str());
            return Err(bad(
                first,
                format!("stored in the earlier backup {name}, which is not beside this one"),
            ));
        }
        out.push((path, files));
    }
    Ok(out)
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
/// before it.
pub fn read_manifest(archive: &Path) -> Result<Manifest, RestoreError> {
    let mut manifest = None;
    each_entry_with_seek(archive, |name, entry| {
        if name != MANIFEST {
            return Ok(false);
        }
        if entry.header().size().unwrap_or(u64::MAX) > MAX_MANIFEST {
            return Err(bad(name, "absurd size"));
        }
        let mut json = Vec::new();
        entry
            .read_to_end(&mut json)
            .map_err(|e| bad(name, format!("cut short ({e})")))?;
        manifest = Some(
            serde_json::from_slice(&json)
                .map_err(|e| bad(name, format!("not a manifest ({e})")))?,
        );
        Ok(true)
    })?;
    manifest.ok_or_else(|| RestoreError::BadArchive(format!("{}: no manifest", archive.display())))
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
    let written = check(archive, Some(&staging)).map(|m| Summary {
        files: m.files.len(),
        bytes: m.files.iter().map(|f| f.size).sum(),
    });
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
