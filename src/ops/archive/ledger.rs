//! Lists of files too long to hold in memory — a million documents' paths,
//! sizes and checksums — kept in a scratch SQLite database beside the work,
//! so that backup, restore, export and import use the same few MiB whatever
//! the instance's size. The scratch file is removed however the command ends.

use super::manifest::FileEntry;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// The page cache of a ledger: what it may hold in memory before it spills
/// to its file.
const CACHE_KIB: i64 = 4096;

pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

/// The order a list is read back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// As the entries were added.
    Added,
    ByPath,
}

impl Ledger {
    /// A new, empty ledger in `dir` (a directory on the disk the work is
    /// written to: not `/tmp`, which may be small or memory).
    pub fn create(dir: &Path) -> rusqlite::Result<Ledger> {
        let path = dir.join(format!(
            ".parvis-ledger-{}.db",
            crate::util::random_token(8)
        ));
        let ledger = Ledger {
            conn: Connection::open(&path)?,
            path,
        };
        // Nothing in it outlives the command: no journal, no sync, one
        // transaction never committed (the file is deleted after).
        ledger.conn.execute_batch(&format!(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = FILE;
             PRAGMA cache_size = -{CACHE_KIB}; BEGIN;"
        ))?;
        Ok(ledger)
    }

    /// A new list of files in this ledger, named `name` (a plain word).
    pub fn list(&self, name: &'static str) -> rusqlite::Result<FileList<'_>> {
        self.conn.execute_batch(&format!(
            "CREATE TABLE \"{name}\" (
                seq INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                size INTEGER NOT NULL,
                blake3 TEXT NOT NULL,
                stored_in TEXT,
                found INTEGER NOT NULL DEFAULT 0
            );"
        ))?;
        Ok(FileList {
            conn: &self.conn,
            table: name,
        })
    }

    /// For questions across lists.
    pub fn sql(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

/// One list of a ledger: each path at most once.
#[derive(Clone, Copy)]
pub struct FileList<'l> {
    conn: &'l Connection,
    table: &'static str,
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<FileEntry> {
    Ok(FileEntry {
        path: r.get(0)?,
        size: r.get::<_, i64>(1)? as u64,
        blake3: r.get(2)?,
        stored_in: r.get(3)?,
    })
}

impl<'l> FileList<'l> {
    pub fn table(&self) -> &'static str {
        self.table
    }

    /// Adds `f`; false (and nothing changed) when its path is listed already.
    pub fn add(&self, f: &FileEntry) -> rusqlite::Result<bool> {
        let added = self
            .conn
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO \"{}\" (path, size, blake3, stored_in) VALUES (?1, ?2, ?3, ?4)",
                self.table
            ))?
            .execute(params![f.path, f.size as i64, f.blake3, f.stored_in])?;
        Ok(added == 1)
    }

    pub fn get(&self, path: &str) -> rusqlite::Result<Option<FileEntry>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT path, size, blake3, stored_in FROM \"{}\" WHERE path = ?1",
                self.table
            ))?
            .query_row([path], entry)
            .optional()
    }

    /// Notes that `path` was met; false when it is not listed or was met already.
    pub fn mark_found(&self, path: &str) -> rusqlite::Result<bool> {
        let changed = self
            .conn
            .prepare_cached(&format!(
                "UPDATE \"{}\" SET found = 1 WHERE path = ?1 AND found = 0",
                self.table
            ))?
            .execute([path])?;
        Ok(changed == 1)
    }

    /// How many entries, and their total size.
    pub fn totals(&self) -> rusqlite::Result<(usize, u64)> {
        self.conn.query_row(
            &format!(
                "SELECT count(*), ifnull(sum(size), 0) FROM \"{}\"",
                self.table
            ),
            [],
            |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as u64)),
        )
    }

    /// Calls `each` with every entry, in `order`, without loading the list.
    pub fn each<E: From<rusqlite::Error>>(
        &self,
        order: Order,
        mut each: impl FnMut(FileEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let by = match order {
            Order::Added => "seq",
            Order::ByPath => "path",
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT path, size, blake3, stored_in FROM \"{}\" ORDER BY {by}",
            self.table
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(entry(row)?)?;
        }
        Ok(())
    }

    /// The earlier archives entries are stored in, each with its first path.
    pub fn archives(&self) -> rusqlite::Result<Vec<(String, String)>> {
        self.conn
            .prepare(&format!(
                "SELECT stored_in, (SELECT path FROM \"{0}\" f WHERE f.stored_in = a.stored_in
                                    ORDER BY seq LIMIT 1)
                 FROM (SELECT DISTINCT stored_in FROM \"{0}\" WHERE stored_in IS NOT NULL) a
                 ORDER BY 1",
                self.table
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    /// The first path (in order of adding) for which `condition` (SQL over
    /// this list's columns, with `?1`… bound to `args`) holds.
    pub fn first_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> rusqlite::Result<Option<String>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT path FROM \"{}\" WHERE {condition} ORDER BY seq LIMIT 1",
                    self.table
                ),
                args,
                |r| r.get(0),
            )
            .optional()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: u64) -> FileEntry {
        FileEntry {
            path: path.into(),
            size,
            blake3: format!("{size:064x}"),
            stored_in: None,
        }
    }

    #[test]
    fn a_list_keeps_each_path_once_and_reads_back_in_either_order() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::create(dir.path()).unwrap();
        let list = ledger.list("files").unwrap();
        assert!(list.add(&file("b", 2)).unwrap());
        assert!(list.add(&file("a", 1)).unwrap());
        assert!(!list.add(&file("b", 9)).unwrap(), "a path twice");
        assert_eq!(list.totals().unwrap(), (2, 3));
        assert_eq!(list.get("b").unwrap().unwrap().size, 2);
        assert!(list.get("c").unwrap().is_none());
        for (order, expected) in [(Order::Added, ["b", "a"]), (Order::ByPath, ["a", "b"])] {
            let mut seen = Vec::new();
            list.each::<rusqlite::Error>(order, |f| {
                seen.push(f.path);
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, expected);
        }
        assert!(list.mark_found("a").unwrap());
        assert!(!list.mark_found("a").unwrap(), "met twice");
        assert!(!list.mark_found("c").unwrap(), "not listed");
        assert_eq!(
            list.first_where("found = 0", []).unwrap().as_deref(),
            Some("b")
        );
    }

    #[test]
    fn the_scratch_file_goes_with_the_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::create(dir.path()).unwrap();
        ledger.list("files").unwrap().add(&file("a", 1)).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        drop(ledger);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
