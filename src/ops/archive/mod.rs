//! Pieces shared by the commands that write or read archives and trees of
//! files (backup, restore, export, import): a reader that checksums what
//! passes through it, tar headers that carry no owner or time, and the rule
//! for names an archive may hold; manifests streamed from and to ledgers.

pub mod ledger;
pub mod manifest;

use std::io::Read;
use std::path::{Component, Path};

/// Reads through to a BLAKE3 hasher, counting.
pub struct Hashing<R> {
    inner: R,
    hasher: blake3::Hasher,
    size: u64,
}

impl<R: Read> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: blake3::Hasher::new(),
            size: 0,
        }
    }

    /// The bytes read so far and their checksum (hex).
    pub fn finish(&self) -> (u64, String) {
        (self.size, self.hasher.finalize().to_hex().to_string())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// A plain file's header: owner-only, no time, so archives of the same
/// data are the same bytes.
pub fn file_header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

/// Whether `name` is a relative path of plain steps: no `..`, no `.`, no
/// root, no drive, nothing empty.
pub fn plain_relative(name: &str) -> bool {
    !name.is_empty()
        && !name.contains('\\')
        && Path::new(name)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && name
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

/// What is wrong with an entry of an archive (or, where the archive breaks,
/// with the entry before).
#[derive(Debug)]
pub struct EntryFault {
    pub entry: String,
    pub why: String,
}

pub fn fault(entry: &str, why: impl Into<String>) -> EntryFault {
    EntryFault {
        entry: entry.to_string(),
        why: why.into(),
    }
}

/// Walks a tar archive: every entry must be a plain file with a readable
/// name; `each` gets its name, declared size and data. Returns the name of
/// the last entry (for "cut after …" messages).
pub fn plain_entries<R: Read, E: From<EntryFault>>(
    reader: R,
    mut each: impl FnMut(&str, u64, &mut tar::Entry<'_, R>) -> Result<(), E>,
) -> Result<String, E> {
    let mut tar = tar::Archive::new(reader);
    let mut last = String::from("(the start of the archive)");
    let entries = tar
        .entries()
        .map_err(|e| fault(&last, format!("not a readable archive ({e})")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| {
            fault(
                &last,
                format!("the archive is cut or damaged after it ({e})"),
            )
        })?;
        let name = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .map_err(|e| fault(&last, format!("an unreadable name follows it ({e})")))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(fault(&name, "not a plain file (links and folders are refused)").into());
        }
        let size = entry
            .header()
            .size()
            .map_err(|e| fault(&name, e.to_string()))?;
        each(&name, size, &mut entry)?;
        last = name;
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::plain_relative;

    #[test]
    fn only_plain_relative_names_pass() {
        for ok in ["a", "spaces/x/y.pdf", "people.jsonl", ".hidden/x"] {
            assert!(plain_relative(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "./a",
            "a//b",
            "a/",
            "a\\..\\b",
        ] {
            assert!(!plain_relative(bad), "{bad}");
        }
    }
}
