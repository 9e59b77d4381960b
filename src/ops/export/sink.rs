//! Where an export's files go: a directory tree, or a tar archive. Either
//! way each file is checksummed as it is written, for the manifest.

use super::{ExportError, io};
use crate::ops::archive::ledger::FileList;
use crate::ops::archive::manifest::FileEntry;
use crate::ops::archive::{Hashing, file_header};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Every file written is listed in `entries`, for the manifest.
pub enum Sink<'l> {
    Dir {
        root: PathBuf,
        entries: FileList<'l>,
    },
    Tar {
        path: PathBuf,
        tar: tar::Builder<BufWriter<std::fs::File>>,
        entries: FileList<'l>,
    },
}

impl<'l> Sink<'l> {
    pub fn dir(root: &Path, entries: FileList<'l>) -> Result<Sink<'l>, ExportError> {
        crate::util::private_dir(root).map_err(io(root))?;
        Ok(Sink::Dir {
            root: root.to_path_buf(),
            entries,
        })
    }

    pub fn tar(path: &Path, entries: FileList<'l>) -> Result<Sink<'l>, ExportError> {
        // Exports hold personal data: for their owner only.
        let f = crate::util::private_file(path).map_err(io(path))?;
        Ok(Sink::Tar {
            path: path.to_path_buf(),
            tar: tar::Builder::new(BufWriter::with_capacity(1 << 20, f)),
            entries,
        })
    }

    /// Adds `size` bytes read from `from` at `name`; returns what was read
    /// and its checksum.
    pub fn add(
        &mut self,
        name: &str,
        from: &mut dyn Read,
        size: u64,
    ) -> Result<(u64, String), ExportError> {
        let mut reader = Hashing::new(from.take(size));
        let entries = match self {
            Sink::Dir { root, entries } => {
                let path = root.join(name);
                if let Some(parent) = path.parent() {
                    crate::util::private_dir(parent).map_err(io(parent))?;
                }
                let mut out = BufWriter::new(crate::util::private_file(&path).map_err(io(&path))?);
                std::io::copy(&mut reader, &mut out).map_err(io(&path))?;
                out.flush().map_err(io(&path))?;
                entries
            }
            Sink::Tar { path, tar, entries } => {
                tar.append_data(&mut file_header(size), name, &mut reader)
                    .map_err(io(path))?;
                entries
            }
        };
        let (read, blake3) = reader.finish();
        if read != size {
            return Err(ExportError::Other(format!(
                "{name} changed while it was copied"
            )));
        }
        let listed = entries.add(&FileEntry {
            path: name.to_string(),
            size,
            blake3: blake3.clone(),
            stored_in: None,
        })?;
        if !listed {
            return Err(ExportError::Other(format!("{name} written twice")));
        }
        Ok((read, blake3))
    }

    pub fn add_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), ExportError> {
        let mut from = bytes;
        self.add(name, &mut from, bytes.len() as u64).map(|_| ())
    }

    /// The files written so far.
    pub fn entries(&self) -> FileList<'l> {
        match self {
            Sink::Dir { entries, .. } | Sink::Tar { entries, .. } => *entries,
        }
    }

    /// Makes everything durable.
    pub fn finish(self) -> Result<(), ExportError> {
        match self {
            Sink::Dir { root, .. } => {
                // One file-system sync instead of one per file (100,000 files).
                let dir = std::fs::File::open(&root).map_err(io(&root))?;
                rustix::fs::syncfs(&dir).map_err(|e| io(&root)(e.into()))?;
                Ok(())
            }
            Sink::Tar { path, tar, .. } => {
                let mut w = tar.into_inner().map_err(io(&path))?;
                w.flush().map_err(io(&path))?;
                let f = w
                    .into_inner()
                    .map_err(|e| ExportError::Other(e.to_string()))?;
                f.sync_all().map_err(io(&path))
            }
        }
    }
}
