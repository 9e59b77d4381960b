//! SQLite, the source of truth: one writer connection and several read-only
//! connections, each used on a blocking thread so the async executor never
//! waits on disk. WAL with `synchronous=FULL`: a committed write survives a crash.

mod migrations;
mod pool;

pub use migrations::{MIGRATIONS, Migration, MigrationStatus, migration_status};
pub mod bus;
pub use pool::{Db, note_work_enqueued, open_single};

use std::path::PathBuf;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("migration {version:04} ({name}) was changed after it was applied; refusing to start")]
    MigrationEdited { version: u32, name: String },
    #[error(
        "the database is at schema version {found}, newer than this binary knows ({known}); use a newer Parvis"
    )]
    SchemaTooNew { found: u32, known: u32 },
    #[error("migration {name} would leave {count} references to missing rows; nothing was changed")]
    DanglingReferences { name: String, count: i64 },
    #[error("a database task panicked or was cancelled")]
    TaskFailed,
}

impl DbError {
    /// SQLite could not write for want of room (SQLITE_FULL: the disk or
    /// the database's own size limit).
    pub fn is_storage_full(&self) -> bool {
        let e = match self {
            DbError::Sqlite(e) | DbError::Open { source: e, .. } => e,
            _ => return false,
        };
        matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull)
    }
}

/// Whether a SQLite error is a violated UNIQUE constraint.
pub fn is_unique_violation(err: &rusqlite::Error) -> bool {
    matches!(
        err,
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}
