//! Where each document version goes in an export's readable tree:
//! `spaces/<space>/<folder>/…/<file name>` for the current version, earlier
//! versions beside it as `<name>.v<N>.<ext>`, and what waits in the trash
//! under `trash/<space>/…`. Names are made safe for any file system; when
//! two would collide (case-insensitively), the later one gets ` (2)`, ` (3)`…
//! Everything is visited in id order, so the same data gives the same tree.

use crate::ops::archive::ledger::Ledger;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// Longest name segment kept, in bytes (file systems allow 255).
const MAX_SEGMENT: usize = 200;

/// The path in the export of every document version, by version id, kept
/// in a ledger (a million paths, and as many names taken, stay out of memory).
pub struct Places<'l> {
    conn: &'l Connection,
}

impl Places<'_> {
    pub fn get(&self, version_id: i64) -> rusqlite::Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT path FROM places WHERE version_id = ?1")?
            .query_row([version_id], |r| r.get(0))
            .optional()
    }
}

pub fn version_paths<'l>(c: &Connection, ledger: &'l Ledger) -> rusqlite::Result<Places<'l>> {
    let conn = ledger.sql();
    conn.execute_batch(
        "CREATE TABLE places (version_id INTEGER PRIMARY KEY, path TEXT NOT NULL);
         CREATE TABLE taken (folded TEXT PRIMARY KEY) WITHOUT ROWID;",
    )?;
    let mut take = conn.prepare("INSERT OR IGNORE INTO taken (folded) VALUES (?1)")?;
    let mut place = conn.prepare("INSERT INTO places (version_id, path) VALUES (?1, ?2)")?;
    let spaces: HashMap<i64, String> = c
        .prepare("SELECT id, slug FROM spaces")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    struct Folder {
        parent: Option<i64>,
        name: String,
        deleted: bool,
    }
    let folders: HashMap<i64, Folder> = c
        .prepare("SELECT id, parent_id, name, deleted_at IS NOT NULL FROM folders")?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                Folder {
                    parent: r.get(1)?,
                    name: r.get(2)?,
                    deleted: r.get(3)?,
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut versions = c.prepare(
        "SELECT d.id, d.space_id, d.folder_id, d.name, d.current_version, d.deleted_at IS NOT NULL,
                v.id, v.number
         FROM documents d JOIN document_versions v ON v.document_id = d.id
         ORDER BY d.id, v.number DESC",
    )?;
    let mut rows = versions.query([])?;
    while let Some(r) = rows.next()? {
        let (space, folder, name): (i64, Option<i64>, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
        let (current, mut deleted): (i64, bool) = (r.get(4)?, r.get(5)?);
        let (version_id, number): (i64, i64) = (r.get(6)?, r.get(7)?);
        let mut chain = Vec::new();
        let mut next = folder;
        // Bounded: a damaged parent loop must not hang an export.
        while let Some(id) = next.filter(|_| chain.len() < 256) {
            let Some(f) = folders.get(&id) else { break };
            deleted |= f.deleted;
            chain.push(safe_segment(&f.name));
            next = f.parent;
        }
        chain.reverse();
        let root = if deleted { "trash" } else { "spaces" };
        let slug = spaces
            .get(&space)
            .map_or_else(|| format!("space-{space}"), |s| safe_segment(s));
        let file = if number == current {
            safe_segment(&name)
        } else {
            versioned(&safe_segment(&name), number)
        };
        let dir = std::iter::once(root.to_string())
            .chain(std::iter::once(slug))
            .chain(chain)
            .collect::<Vec<_>>()
            .join("/");
        let path = unique(|p| take.execute([p]).map(|n| n == 1), &dir, &file)?;
        place.execute(rusqlite::params![version_id, path])?;
    }
    Ok(Places { conn })
}

/// `report.pdf`, 2 → `report.v2.pdf`.
fn versioned(name: &str, number: i64) -> String {
    let (stem, ext) = split_extension(name);
    format!("{stem}.v{number}{ext}")
}

/// `report.pdf` → (`report`, `.pdf`); a leading dot is not an extension.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    }
}

/// `dir/file`, or the first of `dir/file (2)`, `(3)`… that `take` (which
/// claims a case-folded path, false when taken already) accepts.
fn unique(
    mut take: impl FnMut(&str) -> rusqlite::Result<bool>,
    dir: &str,
    file: &str,
) -> rusqlite::Result<String> {
    let mut candidate = format!("{dir}/{file}");
    let mut n = 2;
    while !take(&candidate.to_lowercase())? {
        let (stem, ext) = split_extension(file);
        candidate = format!("{dir}/{stem} ({n}){ext}");
        n += 1;
    }
    Ok(candidate)
}

/// A name any file system accepts: no separators, no characters Windows
/// refuses, no control characters, no trailing dots or spaces, never `.` or
/// `..`, at most `MAX_SEGMENT` bytes.
pub fn safe_segment(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    if s.len() > MAX_SEGMENT {
        let mut cut = MAX_SEGMENT;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    let trimmed = s.trim_end_matches(['.', ' ']).trim_start();
    if trimmed.is_empty() {
        "_".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_plain_segments() {
        assert_eq!(safe_segment("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(safe_segment(".."), "_");
        assert_eq!(safe_segment("."), "_");
        assert_eq!(safe_segment("a\u{0}b\nc"), "a_b_c");
        assert_eq!(safe_segment("con:tract?.pdf"), "con_tract_.pdf");
        assert_eq!(safe_segment("notes. . "), "notes");
        assert_eq!(safe_segment("Réunion.docx"), "Réunion.docx");
        let long = "é".repeat(300);
        assert!(safe_segment(&long).len() <= MAX_SEGMENT);
    }

    #[test]
    fn versions_and_clashes_get_distinct_names() {
        assert_eq!(versioned("report.pdf", 2), "report.v2.pdf");
        assert_eq!(versioned(".profile", 1), ".profile.v1");
        let mut taken = std::collections::HashSet::new();
        let mut take = |p: &str| Ok(taken.insert(p.to_string()));
        assert_eq!(unique(&mut take, "s", "A.txt").unwrap(), "s/A.txt");
        assert_eq!(unique(&mut take, "s", "a.txt").unwrap(), "s/a (2).txt");
        assert_eq!(unique(&mut take, "s", "a.txt").unwrap(), "s/a (3).txt");
    }
}
