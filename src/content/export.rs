//! How a kind's tables leave the instance in `parvis export`: each table is
//! exported, derived (rebuilt from the others) or secret (never leaves). An
//! exported table gives all its columns except those named in `omit`, so a
//! new column is exported without anyone having to remember it.

/// How a table is treated by `parvis export`.
#[derive(Debug, Clone, Copy)]
pub enum Treatment {
    Exported(Exported),
    /// Rebuilt from exported data (or a cache, or work in flight); the reason.
    Derived(&'static str),
    /// Credentials and bearer secrets; the reason.
    Secret(&'static str),
}

/// A table written to `<file>.jsonl` (and `<file>.csv` for tabular lists).
#[derive(Debug, Clone, Copy)]
pub struct Exported {
    pub file: &'static str,
    /// Columns left out: secrets or transient state; each must have a default.
    pub omit: &'static [&'static str],
    /// The sort that makes the file the same from one export to the next.
    pub order: &'static str,
    pub csv: bool,
    pub files: Files,
    /// For a person's own export: the rows that are theirs (`?1` is their id).
    pub person: Option<&'static str>,
    /// Columns left out of a person's own export besides `omit`: what is
    /// about them but not theirs to see (a request's internal fields).
    pub person_omit: &'static [&'static str],
}

/// Bytes a table's rows refer to, written as files beside the JSON Lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    None,
    /// A BLOB column written to `<dir>/<key>.<extension of content_type>`; the
    /// row carries `<column>_file` instead of the column.
    Column {
        column: &'static str,
        key: &'static str,
        dir: &'static str,
    },
    /// Document versions: the file in the readable tree; the row carries `file`.
    Versions,
    /// Rows naming stored content by `blob_hash` (files sent with
    /// requests): the content written to `<dir>/<id>-<name>`; the row
    /// carries `file`.
    Stored {
        dir: &'static str,
    },
}

impl Files {
    /// The row carries `file`, the path of its content in the export.
    pub fn carries_file(&self) -> bool {
        matches!(self, Files::Versions | Files::Stored { .. })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub treatment: Treatment,
}

pub const fn exported(name: &'static str, e: Exported) -> Table {
    Table {
        name,
        treatment: Treatment::Exported(e),
    }
}

pub const fn plain(file: &'static str, order: &'static str) -> Exported {
    Exported {
        file,
        omit: &[],
        order,
        csv: false,
        files: Files::None,
        person: None,
        person_omit: &[],
    }
}

pub const fn derived(name: &'static str, why: &'static str) -> Table {
    Table {
        name,
        treatment: Treatment::Derived(why),
    }
}

pub const fn secret(name: &'static str, why: &'static str) -> Table {
    Table {
        name,
        treatment: Treatment::Secret(why),
    }
}
