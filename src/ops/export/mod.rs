//! `parvis export`: everything an instance holds, in formats any tool reads
//! — one JSON Lines file per entity, CSV beside the tabular ones, the files
//! themselves in a readable tree, a manifest with every file's checksum and a
//! README that explains it all — into a directory or a tar archive. Read in
//! one SQLite read transaction, so the export is one instant of the instance
//! even while it serves. The same data gives the same files, byte for byte:
//! rows and files are visited in a fixed order, and nothing records when.
//!
//! A person's own export (GDPR access) is the same format, limited to the
//! rows that are theirs.

mod readme;
mod sink;
pub mod tables;
pub mod tree;

use crate::config::Config;
use crate::content::ContentKind;
use crate::ops::archive::ledger::{Ledger, Order};
use crate::ops::archive::manifest::{self, Listed};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use sink::Sink;
use std::collections::{BTreeMap, HashSet};
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use tables::{Exported, Files};

/// The export format; bumped when its layout changes.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const README: &str = "README.txt";

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no database in {0} (run `parvis init` first)")]
    NoDatabase(PathBuf),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} already exists (choose a new place to export to)")]
    Exists(PathBuf),
    #[error("stored file {0} is referenced but missing (run `parvis check`)")]
    MissingBlob(String),
    #[error("stored file {0} does not match its checksum (run `parvis check`)")]
    DamagedBlob(String),
    #[error("{0}")]
    Other(String),
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// `instance`, or `person` for one person's own data.
    pub kind: String,
    /// The number of migrations applied to the database exported.
    pub schema_version: u32,
    /// Rows per JSON Lines file.
    pub counts: BTreeMap<String, u64>,
}

/// The manifest as written: with every other file of the export, sorted by
/// path, read from the ledger as it is written.
#[derive(serde::Serialize)]
struct Written<'l> {
    format: u32,
    kind: &'static str,
    schema_version: u32,
    counts: BTreeMap<String, u64>,
    files: Listed<'l>,
}

/// Whose data an export holds.
#[derive(Debug, Clone)]
pub enum Scope {
    Instance,
    /// One person's own rows. With `readable`, only the documents and
    /// folders they may still read — the web download; without, all theirs.
    Person {
        id: i64,
        readable: Option<Readable>,
    },
}

/// What a person may still read, of what they wrote.
#[derive(Debug, Clone, Default)]
pub struct Readable {
    pub documents: HashSet<i64>,
    pub folders: HashSet<i64>,
    /// Their comments on items they may still talk about.
    pub comments: HashSet<i64>,
}

impl Readable {
    /// The set a table's rows are kept by, and the column holding the id.
    fn keep(&self, table: &str) -> Option<(&HashSet<i64>, &'static str)> {
        match table {
            "documents" => Some((&self.documents, "id")),
            "document_versions" => Some((&self.documents, "document_id")),
            "folders" => Some((&self.folders, "id")),
            "folder_access" => Some((&self.folders, "folder_id")),
            "comments" => Some((&self.comments, "id")),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Table(&'static str),
    Files { done: usize, total: usize },
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub rows: u64,
    pub files: usize,
    pub bytes: u64,
}

/// Exports `config.data_dir` to `out`: a directory, or a tar archive when
/// `out` ends in `.tar`. Written beside `out` and renamed into place when
/// whole; on any error nothing is left behind.
pub fn export(
    config: &Config,
    kinds: &[&'static ContentKind],
    scope: &Scope,
    out: &Path,
    mut progress: impl FnMut(Progress),
) -> Result<Summary, ExportError> {
    if out.exists() {
        return Err(ExportError::Exists(out.to_path_buf()));
    }
    let db_path = config.data_dir.join("parvis.db");
    if !db_path.is_file() {
        return Err(ExportError::NoDatabase(config.data_dir.clone()));
    }
    let c = Connection::open_with_flags(
        &db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(config.storage.busy_timeout)?;
    let store = crate::blobs::BlobStore::open(&config.data_dir)
        .map_err(|e| ExportError::Other(e.to_string()))?;
    let as_tar = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tar"));
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let scratch = Scratch::new(&partial)?;
    let result = (|| {
        let ledger = Ledger::create(&scratch.0)?;
        let entries = ledger.list("files")?;
        let mut sink = if as_tar {
            Sink::tar(&partial, entries)?
        } else {
            Sink::dir(&partial, entries)?
        };
        let summary = write(
            &c,
            &store,
            (kinds, scope),
            &mut sink,
            &scratch,
            &ledger,
            &mut progress,
        )?;
        sink.finish()?;
        Ok(summary)
    })();
    match result {
        Ok(summary) => {
            std::fs::rename(&partial, out).map_err(io(out))?;
            sync_parent(out);
            Ok(summary)
        }
        Err(e) => {
            // A full disk, a vanished file…: nothing half-written stays.
            if as_tar {
                let _ = std::fs::remove_file(&partial);
            } else {
                let _ = std::fs::remove_dir_all(&partial);
            }
            Err(e)
        }
    }
}

fn sync_parent(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}

/// A directory beside the output for files being generated, removed however
/// the export ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(partial: &Path) -> Result<Scratch, ExportError> {
        let dir = PathBuf::from(format!("{}.scratch", partial.display()));
        crate::util::private_dir(&dir).map_err(io(&dir))?;
        Ok(Scratch(dir))
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The files an export copies after its rows: (path in the export, blob
/// hash), one JSON array per line in the scratch directory.
struct ToCopy {
    path: PathBuf,
    out: Option<std::io::BufWriter<std::fs::File>>,
    count: usize,
}

impl ToCopy {
    fn new(scratch: &Scratch) -> Result<ToCopy, ExportError> {
        let path = scratch.file("to-copy.jsonl");
        let out = crate::util::private_file(&path).map_err(io(&path))?;
        Ok(ToCopy {
            out: Some(std::io::BufWriter::new(out)),
            path,
            count: 0,
        })
    }

    fn push(&mut self, path: &str, hash: &str) -> Result<(), ExportError> {
        let Some(out) = self.out.as_mut() else {
            return Err(ExportError::Other("file list already read".into()));
        };
        serde_json::to_writer(&mut *out, &(path, hash))
            .map_err(|e| ExportError::Other(e.to_string()))?;
        std::io::Write::write_all(out, b"\n").map_err(io(&self.path))?;
        self.count += 1;
        Ok(())
    }

    /// The list, in the order it was written.
    fn read(
        &mut self,
    ) -> Result<impl Iterator<Item = Result<(String, String), ExportError>> + use<>, ExportError>
    {
        if let Some(mut out) = self.out.take() {
            std::io::Write::flush(&mut out).map_err(io(&self.path))?;
        }
        let file = std::fs::File::open(&self.path).map_err(io(&self.path))?;
        let path = self.path.clone();
        Ok(
            std::io::BufRead::lines(std::io::BufReader::new(file)).map(move |line| {
                let line = line.map_err(io(&path))?;
                serde_json::from_str(&line).map_err(|e| ExportError::Other(e.to_string()))
            }),
        )
    }
}

/// A column of an exported table, as the schema declares it.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub declared: String,
}

/// The columns of `table` that an export carries.
pub fn columns(c: &Connection, table: &str, e: &Exported) -> rusqlite::Result<Vec<Column>> {
    let mut stmt = c.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")?;
    let all = stmt
        .query_map([table], |r| {
            Ok(Column {
                name: r.get(0)?,
                declared: r.get::<_, String>(1)?.to_ascii_uppercase(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(all
        .into_iter()
        .filter(|col| !e.omit.contains(&col.name.as_str()))
        .collect())
}

fn write(
    c: &Connection,
    store: &crate::blobs::BlobStore,
    (kinds, scope): (&[&'static ContentKind], &Scope),
    sink: &mut Sink,
    scratch: &Scratch,
    ledger: &Ledger,
    progress: &mut impl FnMut(Progress),
) -> Result<Summary, ExportError> {
    // One read transaction: every table and file list is the same instant.
    c.execute_batch("BEGIN")?;
    let schema_version = crate::db::migration_status(c)
        .map_err(|e| ExportError::Other(e.to_string()))?
        .applied;
    let version_paths = tree::version_paths(c, ledger)?;
    let mut counts = BTreeMap::new();
    let mut summary = Summary::default();
    // Files to copy after the rows, listed on disk: a million documents'
    // paths and hashes would otherwise stay in memory for the whole export.
    let mut blobs = ToCopy::new(scratch)?;
    let mut listed_columns = Vec::new();
    for (table, e) in tables::exported_tables(kinds) {
        let filter = match scope {
            Scope::Instance => None,
            Scope::Person { id, .. } => match e.person {
                Some(sql) => Some((sql, *id)),
                None => continue,
            },
        };
        progress(Progress::Table(table));
        let mut cols = columns(c, table, e)?;
        if let Scope::Person { .. } = scope {
            cols.retain(|col| !e.person_omit.contains(&col.name.as_str()));
        }
        let keep = match scope {
            Scope::Person {
                readable: Some(r), ..
            } => r.keep(table),
            _ => None,
        };
        let rows = write_table(
            c,
            table,
            e,
            &cols,
            filter,
            keep,
            &version_paths,
            sink,
            scratch,
            &mut blobs,
        )?;
        counts.insert(format!("{}.jsonl", e.file), rows);
        summary.rows += rows;
        listed_columns.push((table, e, cols));
    }
    let total = blobs.count;
    for (i, found) in blobs.read()?.enumerate() {
        let (path, hash) = found?;
        let (path, hash) = (path.as_str(), hash.as_str());
        let from = store
            .path(hash)
            .map_err(|_| ExportError::MissingBlob(hash.to_string()))?;
        // A small content is read in this export's own read transaction:
        // the same instant as its rows.
        let small =
            crate::blobs::small::get(c, hash).map_err(|e| ExportError::Other(e.to_string()))?;
        let (_, found) = match small {
            Some(bytes) => sink.add(path, &mut bytes.as_slice(), bytes.len() as u64)?,
            None => {
                let mut f = std::fs::File::open(&from)
                    .map_err(|_| ExportError::MissingBlob(hash.to_string()))?;
                let size = f.metadata().map_err(io(&from))?.len();
                sink.add(path, &mut f, size)?
            }
        };
        if found != hash {
            return Err(ExportError::DamagedBlob(hash.to_string()));
        }
        progress(Progress::Files { done: i + 1, total });
    }
    c.execute_batch("COMMIT")?;
    let kind = match scope {
        Scope::Instance => "instance",
        Scope::Person { .. } => "person",
    };
    let readme = readme::text(
        kind,
        schema_version,
        &listed_columns,
        &tables::tables(kinds),
    );
    sink.add_bytes(README, readme.as_bytes())?;
    (summary.files, summary.bytes) = sink.entries().totals()?;
    summary.files += 1;
    let manifest = Written {
        format: FORMAT,
        kind,
        schema_version,
        counts,
        files: Listed {
            list: sink.entries(),
            order: Order::ByPath,
        },
    };
    // Written aside, then copied in: a tar entry's size comes first.
    let aside = scratch.file(MANIFEST);
    let out = crate::util::private_file(&aside).map_err(io(&aside))?;
    manifest::write(out, &manifest).map_err(|e| ExportError::Other(e.to_string()))?;
    let mut json = std::fs::File::open(&aside).map_err(io(&aside))?;
    let size = json.metadata().map_err(io(&aside))?.len();
    sink.add(MANIFEST, &mut json, size)?;
    Ok(summary)
}

/// Writes one table's JSON Lines (and CSV) and notes the files its rows refer to.
#[allow(clippy::too_many_arguments)]
fn write_table(
    c: &Connection,
    table: &str,
    e: &Exported,
    cols: &[Column],
    filter: Option<(&str, i64)>,
    keep: Option<(&HashSet<i64>, &str)>,
    version_paths: &tree::Places<'_>,
    sink: &mut Sink,
    scratch: &Scratch,
    blobs: &mut ToCopy,
) -> Result<u64, ExportError> {
    let list = cols
        .iter()
        .map(|col| format!("\"{}\"", col.name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = format!("SELECT {list} FROM \"{table}\"");
    if let Some((condition, _)) = filter {
        sql.push_str(&format!(" WHERE {condition}"));
    }
    sql.push_str(&format!(" ORDER BY {}", e.order));
    let mut stmt = c.prepare(&sql)?;
    let mut rows = match filter {
        Some((_, id)) => stmt.query([id])?,
        None => stmt.query([])?,
    };
    let jsonl_path = scratch.file(&format!("{}.jsonl", e.file));
    let mut jsonl =
        BufWriter::new(crate::util::private_file(&jsonl_path).map_err(io(&jsonl_path))?);
    let csv_path = scratch.file(&format!("{}.csv", e.file));
    let mut csv = if e.csv {
        let mut w =
            csv::Writer::from_writer(crate::util::private_file(&csv_path).map_err(io(&csv_path))?);
        let mut header: Vec<String> = Vec::new();
        for col in cols {
            match e.files {
                Files::Column { column, .. } if column == col.name => {
                    header.push(format!("{column}_file"))
                }
                _ => header.push(col.name.clone()),
            }
        }
        if e.files.carries_file() {
            header.push("file".into());
        }
        w.write_record(&header)
            .map_err(|err| ExportError::Other(err.to_string()))?;
        Some(w)
    } else {
        None
    };
    let keep =
        keep.and_then(|(set, column)| cols.iter().position(|c| c.name == column).map(|i| (set, i)));
    // In a person's own export, the address others acted from is theirs, not
    // the person's: blanked on events the person did not do.
    let position = |name: &str| cols.iter().position(|c| c.name == name);
    let foreign_ip = match (table, filter) {
        ("audit_events", Some((_, person))) => {
            match (position("actor_kind"), position("actor_id"), position("ip")) {
                (Some(k), Some(a), Some(ip)) => Some((k, a, ip, person)),
                _ => None,
            }
        }
        _ => None,
    };
    let mut count = 0u64;
    while let Some(r) = rows.next()? {
        if let Some((set, i)) = keep
            && !set.contains(&r.get::<_, i64>(i)?)
        {
            continue;
        }
        let blank_ip = match foreign_ip {
            Some((k, a, ip, person)) => {
                let theirs = r.get::<_, String>(k)? == "person"
                    && r.get::<_, Option<i64>>(a)? == Some(person);
                (!theirs).then_some(ip)
            }
            None => None,
        };
        let mut object = serde_json::Map::new();
        let mut record: Vec<String> = Vec::with_capacity(cols.len() + 1);
        for (i, col) in cols.iter().enumerate() {
            let value = r.get_ref(i)?;
            if let Files::Column {
                column, key, dir, ..
            } = e.files
                && column == col.name
            {
                let key_index = cols.iter().position(|c| c.name == key).unwrap_or(0);
                let key_value = r.get::<_, i64>(key_index)?;
                let content_type = cols
                    .iter()
                    .position(|c| c.name == "content_type")
                    .map(|i| r.get::<_, String>(i))
                    .transpose()?
                    .unwrap_or_default();
                let path = format!("{dir}/{key_value}.{}", extension_for(&content_type));
                if let ValueRef::Blob(bytes) = value {
                    sink.add_bytes(&path, bytes)?;
                }
                object.insert(format!("{column}_file"), path.clone().into());
                record.push(path);
                continue;
            }
            if blank_ip == Some(i) {
                object.insert(col.name.clone(), "".into());
                record.push(String::new());
                continue;
            }
            let (json, text) = to_json(value);
            object.insert(col.name.clone(), json);
            record.push(text);
        }
        if e.files.carries_file() {
            let id: i64 = r.get(cols.iter().position(|c| c.name == "id").unwrap_or(0))?;
            let hash: String =
                r.get(cols.iter().position(|c| c.name == "blob_hash").unwrap_or(0))?;
            let path = match e.files {
                Files::Stored { dir } => {
                    let name: String =
                        r.get(cols.iter().position(|c| c.name == "name").unwrap_or(0))?;
                    format!("{dir}/{id}-{}", tree::safe_segment(&name))
                }
                _ => version_paths
                    .get(id)?
                    .ok_or_else(|| ExportError::Other(format!("version {id} has no place")))?,
            };
            object.insert("file".into(), path.clone().into());
            record.push(path.clone());
            blobs.push(&path, &hash)?;
        }
        serde_json::to_writer(&mut jsonl, &serde_json::Value::Object(object))
            .map_err(|err| ExportError::Other(err.to_string()))?;
        jsonl.write_all(b"\n").map_err(io(&jsonl_path))?;
        if let Some(w) = csv.as_mut() {
            w.write_record(&record)
                .map_err(|err| ExportError::Other(err.to_string()))?;
        }
        count += 1;
    }
    let mut jsonl = jsonl
        .into_inner()
        .map_err(|err| ExportError::Other(err.to_string()))?;
    add_scratch(sink, &format!("{}.jsonl", e.file), &mut jsonl, &jsonl_path)?;
    if let Some(w) = csv {
        let mut f = w
            .into_inner()
            .map_err(|err| ExportError::Other(err.to_string()))?;
        add_scratch(sink, &format!("{}.csv", e.file), &mut f, &csv_path)?;
    }
    Ok(count)
}

fn add_scratch(
    sink: &mut Sink,
    name: &str,
    f: &mut std::fs::File,
    path: &Path,
) -> Result<(), ExportError> {
    let size = f.stream_position().map_err(io(path))?;
    f.rewind().map_err(io(path))?;
    sink.add(name, f, size)?;
    let _ = std::fs::remove_file(path);
    Ok(())
}

/// A column's value in JSON, and as CSV text. BLOBs become base64.
fn to_json(value: ValueRef<'_>) -> (serde_json::Value, String) {
    use base64::Engine as _;
    match value {
        ValueRef::Null => (serde_json::Value::Null, String::new()),
        ValueRef::Integer(i) => (i.into(), i.to_string()),
        ValueRef::Real(f) => (
            serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
            f.to_string(),
        ),
        ValueRef::Text(t) => {
            let s = String::from_utf8_lossy(t).into_owned();
            (s.clone().into(), s)
        }
        ValueRef::Blob(b) => {
            let s = base64::engine::general_purpose::STANDARD.encode(b);
            (s.clone().into(), s)
        }
    }
}

/// The file extension for an image's content type.
pub fn extension_for(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        _ => "bin",
    }
}
