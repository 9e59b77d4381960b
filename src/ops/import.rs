//! `parvis import`: a new instance from a `parvis export`, a directory or a
//! tar archive. Nothing is trusted: the archive's names, every file's size
//! and checksum against the manifest, every row's fields against the schema,
//! every reference, and the audit chain are checked before the database is
//! committed; on any fault the new data directory is removed again. Rows keep
//! their ids, so exporting the imported instance gives the same files.
//! Passwords were not exported: each active person gets an invitation link
//! to choose a new one.

use super::archive::ledger::{FileList, Ledger, Order};
use super::archive::manifest::{self, FileEntry, ReadError};
use super::archive::{EntryFault, Hashing, plain_entries, plain_relative};
use super::export::tables::{self, Exported, Files};
use super::export::{FORMAT, MANIFEST, Manifest, columns};
use crate::config::Config;
use crate::content::ContentKind;
use base64::Engine as _;
use rusqlite::types::Value as SqlValue;
use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// No file of an export is larger than this.
const MAX_FILE: u64 = 1 << 40;
/// Nor its manifest (read one entry at a time: about 5,000,000 files).
const MAX_MANIFEST: u64 = 1 << 30;
/// Nor one line of JSON.
const MAX_LINE: u64 = 64 << 20;
/// The largest audit event id accepted (exact in JSON, far from overflow).
const MAX_AUDIT_ID: i64 = 1 << 53;
/// Nor a photo or a logo.
const MAX_IMAGE: u64 = 16 << 20;
/// Where an archive is unpacked, inside the new data directory.
const STAGING: &str = ".import";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0} is not empty: import builds a new instance (choose an empty directory)")]
    NotEmpty(PathBuf),
    #[error("refused: {entry}: {why}")]
    Bad { entry: String, why: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Db(String),
}

fn bad(entry: &str, why: impl Into<String>) -> ImportError {
    ImportError::Bad {
        entry: entry.to_string(),
        why: why.into(),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl From<EntryFault> for ImportError {
    fn from(f: EntryFault) -> Self {
        ImportError::Bad {
            entry: f.entry,
            why: f.why,
        }
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Db(e.to_string())
    }
}

impl From<crate::db::DbError> for ImportError {
    fn from(e: crate::db::DbError) -> Self {
        ImportError::Db(e.to_string())
    }
}

/// A person invited to choose a new password.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub link: String,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub rows: u64,
    pub files: usize,
    pub bytes: u64,
    pub invitations: Vec<Invitation>,
}

/// Imports the export at `from` (a directory or a `.tar`) into the empty
/// (or missing) data directory of `config`.
pub fn import(
    config: &Config,
    kinds: &[&'static ContentKind],
    from: &Path,
) -> Result<Summary, ImportError> {
    let dir = &config.data_dir;
    if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(ImportError::NotEmpty(dir.clone()));
    }
    crate::util::private_dir(dir).map_err(io(dir))?;
    let result = (|| {
        // The lists of files, in the new directory (not under what is
        // imported): a million entries stay out of memory.
        let ledger = Ledger::create(dir)?;
        let root = if from.is_dir() {
            from.to_path_buf()
        } else {
            let staging = dir.join(STAGING);
            unpack(from, &staging, ledger.list("unpacked")?)?;
            staging
        };
        let summary = load(config, kinds, &root, &ledger);
        let _ = std::fs::remove_dir_all(dir.join(STAGING));
        summary
    })();
    if result.is_err() {
        // The directory was empty: leave it so.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
    }
    result
}

/// Unpacks an export archive: plain files with plain relative names only,
/// each once, of sane size.
fn unpack(archive: &Path, to: &Path, seen: FileList<'_>) -> Result<(), ImportError> {
    let file = std::fs::File::open(archive).map_err(io(archive))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    plain_entries(reader, |name, size, entry| {
        if !plain_relative(name) || name.starts_with(STAGING) {
            return Err(bad(name, "a name that leaves the export"));
        }
        // Case-folded: the tree must unpack the same on a case-blind file system.
        let folded = FileEntry {
            path: name.to_lowercase(),
            size,
            blake3: String::new(),
            stored_in: None,
        };
        if !seen.add(&folded)? {
            return Err(bad(name, "appears twice"));
        }
        if size > MAX_FILE {
            return Err(bad(name, format!("absurd size ({size} bytes)")));
        }
        let path = to.join(name);
        if let Some(parent) = path.parent() {
            crate::util::private_dir(parent).map_err(io(parent))?;
        }
        let mut out = crate::util::private_file(&path).map_err(io(&path))?;
        let copied = std::io::copy(&mut entry.take(size), &mut out)
            .map_err(|e| bad(name, format!("cut short ({e})")))?;
        if copied != size {
            return Err(bad(name, "cut short"));
        }
        Ok(())
    })?;
    Ok(())
}

/// Checks the export at `root` against its manifest, then builds the instance.
fn load(
    config: &Config,
    kinds: &[&'static ContentKind],
    root: &Path,
    ledger: &Ledger,
) -> Result<Summary, ImportError> {
    let listed = ledger.list("listed")?;
    let manifest = read_manifest(root, listed)?;
    verify_files(root, listed)?;
    let mut c = crate::db::open_single(
        &config.data_dir.join("parvis.db"),
        config.storage.busy_timeout,
    )?;
    let store = crate::blobs::BlobStore::open(&config.data_dir)
        .map_err(|e| ImportError::Db(e.to_string()))?
        .small_up_to(config.storage.small_blob_bytes);
    let tx = c.transaction()?;
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    let mut summary = Summary::default();
    // The files of document versions, with the blob hash each must have.
    let version_files = ledger.list("versions")?;
    let exported = tables::exported_tables(kinds);
    for &(table, e) in &exported {
        let name = format!("{}.jsonl", e.file);
        let Some(&expected) = manifest.counts.get(&name) else {
            // An export from before this table existed.
            continue;
        };
        let rows = load_table(&tx, root, table, e, &name, listed, version_files)?;
        if rows != expected {
            return Err(bad(
                &name,
                format!("{rows} rows where the manifest says {expected}"),
            ));
        }
        summary.rows += rows;
    }
    if let Some(extra) = manifest.counts.keys().find(|k| {
        !exported
            .iter()
            .any(|(_, e)| format!("{}.jsonl", e.file) == **k)
    }) {
        return Err(bad(extra, "an entity this version of Parvis does not know"));
    }
    let dangling: Vec<(String, i64, String)> = tx
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    if let Some((table, rowid, parent)) = dangling.first() {
        return Err(bad(
            table,
            format!("row {rowid} refers to a {parent} row that is not in the export"),
        ));
    }
    // Event ids are counted up from the newest: keep room to count.
    let newest: Option<i64> = tx.query_row("SELECT max(id) FROM audit_events", [], |r| r.get(0))?;
    if newest.is_some_and(|id| id > MAX_AUDIT_ID) {
        return Err(bad("audit_log.jsonl", "event ids beyond 2^53"));
    }
    restore_audit_head(&tx)?;
    let chain = crate::audit::verify(&tx)?;
    if let Some((id, why)) = chain.problem {
        return Err(bad(
            "audit_log.jsonl",
            format!("the audit chain does not hold at event {id}: {why}"),
        ));
    }
    version_files.each(Order::Added, |f| {
        let (path, hash) = (&f.path, &f.blake3);
        if store.exists(hash) {
            return Ok(());
        }
        let file_path = root.join(path);
        let mut f = std::fs::File::open(&file_path).map_err(io(&file_path))?;
        let mut w = store
            .writer(MAX_FILE)
            .map_err(|e| ImportError::Db(e.to_string()))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = f.read(&mut buf).map_err(io(&file_path))?;
            if n == 0 {
                break;
            }
            w.write_chunk(&buf[..n])
                .map_err(|e| ImportError::Db(e.to_string()))?;
        }
        let stored = w
            .finish_unsynced()
            .map_err(|e| ImportError::Db(e.to_string()))?;
        if stored.hash != *hash {
            let _ = store.remove(&stored.hash);
            return Err(bad(path, "its bytes do not match the version's blob_hash"));
        }
        // A small one goes into the database with the rows that refer to it.
        store
            .keep(&tx, &stored)
            .map_err(|e| ImportError::Db(e.to_string()))?;
        summary.files += 1;
        summary.bytes += stored.size;
        Ok::<_, ImportError>(())
    })?;
    summary.invitations = invite_everyone(&tx, config)?;
    // Every file durable, with one sync of the file system, before the
    // database that refers to them is committed.
    let dir = std::fs::File::open(&config.data_dir).map_err(io(&config.data_dir))?;
    rustix::fs::syncfs(&dir).map_err(|e| io(&config.data_dir)(e.into()))?;
    tx.commit()?;
    Ok(summary)
}

/// The manifest's fields; its files go to `listed`, each checked for a
/// name that stays inside the export, and listed once.
fn read_manifest(root: &Path, listed: FileList<'_>) -> Result<Manifest, ImportError> {
    let path = root.join(MANIFEST);
    let meta = std::fs::symlink_metadata(&path)
        .map_err(|_| bad(MANIFEST, "missing: this is not a Parvis export"))?;
    if !meta.is_file() {
        return Err(bad(MANIFEST, "not a plain file"));
    }
    if meta.len() > MAX_MANIFEST {
        return Err(bad(MANIFEST, format!("absurd size ({} bytes)", meta.len())));
    }
    let file = std::fs::File::open(&path).map_err(io(&path))?;
    let m: Manifest = manifest::read(file.take(MAX_MANIFEST), |f| {
        if !plain_relative(&f.path) || f.path.starts_with(STAGING) {
            return Err(bad(&f.path, "a name that leaves the export"));
        }
        if !listed.add(&f)? {
            return Err(bad(&f.path, "listed twice in the manifest"));
        }
        Ok(())
    })
    .map_err(|e| match e {
        ReadError::Entry(e) => e,
        ReadError::Json(e) => bad(MANIFEST, format!("not an export manifest ({e})")),
    })?;
    if m.format != FORMAT {
        return Err(bad(
            MANIFEST,
            format!("format {} (this version reads {FORMAT})", m.format),
        ));
    }
    if m.kind != "instance" {
        return Err(bad(
            MANIFEST,
            "a person's own export, not an instance's: it cannot be imported",
        ));
    }
    let known = crate::db::MIGRATIONS.last().map_or(0, |m| m.version);
    if m.schema_version > known {
        return Err(bad(
            MANIFEST,
            format!(
                "schema version {} is newer than this binary knows ({known}); use a newer Parvis",
                m.schema_version
            ),
        ));
    }
    Ok(m)
}

/// Every file the manifest lists is there, plain, with its size and
/// checksum; and nothing else is.
fn verify_files(root: &Path, listed: FileList<'_>) -> Result<(), ImportError> {
    listed.each(Order::Added, |f| {
        let path = root.join(&f.path);
        // Every step, not only the last, must be a real directory or file.
        let mut walked = root.to_path_buf();
        for step in f.path.split('/') {
            walked.push(step);
            let meta = std::fs::symlink_metadata(&walked)
                .map_err(|_| bad(&f.path, "listed in the manifest but missing"))?;
            if meta.file_type().is_symlink() {
                return Err(bad(&f.path, "a symbolic link (refused)"));
            }
        }
        let meta = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        if !meta.is_file() {
            return Err(bad(&f.path, "not a plain file"));
        }
        if meta.len() != f.size {
            return Err(bad(&f.path, "its size differs from the manifest's"));
        }
        let file = std::fs::File::open(&path).map_err(io(&path))?;
        let mut reader = Hashing::new(file);
        std::io::copy(&mut reader, &mut std::io::sink()).map_err(io(&path))?;
        let (size, hash) = reader.finish();
        if size != f.size || hash != f.blake3 {
            return Err(bad(&f.path, "its checksum differs from the manifest's"));
        }
        Ok(())
    })?;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(io(&d))? {
            let entry = entry.map_err(io(&d))?;
            let p = entry.path();
            let rel = p
                .strip_prefix(root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let kind = entry.file_type().map_err(io(&p))?;
            if kind.is_symlink() {
                return Err(bad(&rel, "a symbolic link (refused)"));
            }
            if kind.is_dir() {
                stack.push(p);
            } else if rel != MANIFEST && listed.get(&rel)?.is_none() {
                return Err(bad(&rel, "not listed in the manifest"));
            }
        }
    }
    Ok(())
}

/// Inserts one table's rows; returns how many.
fn load_table(
    tx: &rusqlite::Transaction<'_>,
    root: &Path,
    table: &str,
    e: &Exported,
    name: &str,
    listed: FileList<'_>,
    version_files: FileList<'_>,
) -> Result<u64, ImportError> {
    let cols = columns(tx, table, e)?;
    let by_name: HashMap<&str, &super::export::Column> =
        cols.iter().map(|c| (c.name.as_str(), c)).collect();
    let path = root.join(name);
    let file = std::fs::File::open(&path).map_err(|_| bad(name, "missing"))?;
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    let mut count = 0u64;
    let mut number = 0u64;
    loop {
        line.clear();
        number += 1;
        let read = (&mut reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)
            .map_err(io(&path))?;
        if read == 0 {
            break;
        }
        let at = format!("{name} line {number}");
        if read as u64 > MAX_LINE {
            return Err(bad(&at, "absurdly long"));
        }
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&line)
            .map_err(|err| bad(&at, format!("not a JSON object ({err})")))?;
        let mut names = Vec::with_capacity(object.len());
        let mut values: Vec<SqlValue> = Vec::with_capacity(object.len());
        let mut version_file = None;
        for (key, value) in &object {
            if e.files.carries_file() && key == "file" {
                let p = value
                    .as_str()
                    .filter(|p| plain_relative(p))
                    .ok_or_else(|| bad(&at, "file: not a path inside the export"))?;
                version_file = Some(p.to_string());
                continue;
            }
            if let Files::Column { column, .. } = e.files
                && *key == format!("{column}_file")
            {
                let p = value
                    .as_str()
                    .filter(|p| plain_relative(p))
                    .ok_or_else(|| bad(&at, format!("{key}: not a path inside the export")))?;
                let file = root.join(p);
                let size = std::fs::metadata(&file)
                    .map_err(|_| bad(&at, format!("{key}: {p} is missing")))?
                    .len();
                // Photos and logos are small images; never load a huge file.
                if size > MAX_IMAGE {
                    return Err(bad(&at, format!("{key}: {p} is too large ({size} bytes)")));
                }
                let bytes = std::fs::read(&file).map_err(io(&file))?;
                // Checked again as read: the file may have been swapped since.
                let hash = blake3::hash(&bytes).to_hex().to_string();
                if listed.get(p)?.map(|f| f.blake3) != Some(hash) {
                    return Err(bad(
                        &at,
                        format!("{key}: {p} is not the file the manifest lists"),
                    ));
                }
                names.push(column.to_string());
                values.push(SqlValue::Blob(bytes));
                continue;
            }
            let col = by_name
                .get(key.as_str())
                .ok_or_else(|| bad(&at, format!("unknown field {key}")))?;
            values.push(
                to_sql(value, &col.declared).map_err(|why| bad(&at, format!("{key}: {why}")))?,
            );
            names.push(key.clone());
        }
        if e.files.carries_file() {
            let file = version_file.ok_or_else(|| bad(&at, "no file"))?;
            let hash = object
                .get("blob_hash")
                .and_then(|v| v.as_str())
                .filter(|h| crate::blobs::is_hash(h))
                .ok_or_else(|| bad(&at, "blob_hash: not a checksum"))?;
            let wanted = FileEntry {
                path: file,
                size: 0,
                blake3: hash.to_string(),
                stored_in: None,
            };
            // Two versions may share a file only if they share its bytes.
            if !version_files.add(&wanted)?
                && version_files.get(&wanted.path)?.map(|f| f.blake3) != Some(wanted.blake3.clone())
            {
                return Err(bad(
                    &at,
                    format!("file: {} is another version's", wanted.path),
                ));
            }
        }
        let sql = format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({})",
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", "),
            (1..=names.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        tx.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values.iter()))
            .map_err(|err| bad(&at, err.to_string()))?;
        count += 1;
    }
    Ok(count)
}

/// A JSON value as the SQL value a column of `declared` type takes.
fn to_sql(value: &serde_json::Value, declared: &str) -> Result<SqlValue, String> {
    use serde_json::Value as J;
    Ok(match (value, declared) {
        (J::Null, _) => SqlValue::Null,
        (J::Number(n), "INTEGER") => SqlValue::Integer(n.as_i64().ok_or("expected an integer")?),
        (J::Number(n), "REAL") => SqlValue::Real(n.as_f64().ok_or("expected a number")?),
        (J::String(s), "TEXT") => SqlValue::Text(s.clone()),
        (J::String(s), "BLOB") => SqlValue::Blob(
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| "expected base64")?,
        ),
        (_, "INTEGER") => return Err("expected an integer".into()),
        (_, "TEXT") => return Err("expected text".into()),
        (_, "BLOB") => return Err("expected base64".into()),
        _ => return Err("a value of the wrong type".into()),
    })
}

/// The audit chain's head, from the newest imported event.
fn restore_audit_head(tx: &rusqlite::Transaction<'_>) -> Result<(), ImportError> {
    tx.execute(
        "UPDATE audit_head SET
            last_id = ifnull((SELECT max(id) FROM audit_events), 0),
            last_hash = ifnull((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), ''),
            row_count = (SELECT count(*) FROM audit_events),
            first_id = ifnull((SELECT min(id) FROM audit_events), 1),
            first_prev_hash = ifnull((SELECT prev_hash FROM audit_events ORDER BY id LIMIT 1), '')
         WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// An invitation link for every active person whose access has not ended,
/// mailed (the outbox sends it when the server starts) and returned.
fn invite_everyone(
    tx: &rusqlite::Transaction<'_>,
    config: &Config,
) -> Result<Vec<Invitation>, ImportError> {
    let i18n =
        std::sync::Arc::new(crate::i18n::I18n::load().map_err(|e| ImportError::Db(e.to_string()))?);
    let portals = crate::portals::store::load_all(tx)?;
    let now = crate::util::now_ms();
    /// id, e-mail, name, locale, portal.
    type Row = (i64, String, String, Option<String>, Option<i64>);
    let people: Vec<Row> = tx
        .prepare(
            "SELECT id, email, display_name, locale, portal_id FROM people
             WHERE status = 'active' AND (expires_at IS NULL OR expires_at > ?1) ORDER BY id",
        )?
        .query_map([now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    let lifetime = config.auth.invitation_lifetime.as_millis() as i64;
    let mut out = Vec::with_capacity(people.len());
    for (id, email, name, locale, portal_id) in people {
        let Some(portal) = portals
            .iter()
            .find(|p| Some(p.id) == portal_id)
            .or_else(|| portals.iter().find(|p| p.is_default))
            .or_else(|| portals.first())
        else {
            break;
        };
        let locale = locale
            .as_deref()
            .and_then(crate::service::Locale::parse)
            .unwrap_or(portal.default_locale);
        let (link, _) = crate::auth::invitations::issue_link(
            tx,
            &i18n,
            config,
            portal,
            id,
            lifetime,
            crate::auth::invitations::LinkMail {
                to: &email,
                name: &name,
                inviter: "",
                locale,
                subject: "mail-moved-subject",
                body: "mail-moved-body",
                args: Vec::new(),
            },
        )
        .map_err(|e| ImportError::Db(e.to_string()))?;
        out.push(Invitation { email, link });
    }
    Ok(out)
}
