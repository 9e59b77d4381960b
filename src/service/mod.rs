//! The service layer's error, shared by every feature, and the value types that
//! parse raw input once so services never see unchecked strings.

mod common_passwords;
mod types;

pub use types::{DisplayName, Email, EmailDomain, Locale, NewPassword, Slug};

use crate::db::DbError;
use std::time::Duration;

/// What a service call can answer besides success. Codes are stable and double
/// as translation keys (`error-<code>` in the Fluent files).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The object does not exist — or the principal may not know it exists.
    #[error("not found")]
    NotFound,
    /// The principal may see the object but not do this to it.
    #[error("forbidden")]
    Forbidden,
    /// The caller must sign in first.
    #[error("sign-in required")]
    Unauthorized,
    /// A field failed to parse; `code` names the rule.
    #[error("invalid {field}: {code}")]
    Invalid {
        field: &'static str,
        code: &'static str,
    },
    /// A file larger than the instance accepts (`field` names the input).
    #[error("{field}: too large")]
    TooLarge { field: &'static str },
    /// The space's quota has no room for the file.
    #[error("quota exceeded")]
    QuotaExceeded,
    /// The name (or key) is taken by another of the same kind: `code` says
    /// which (`folder-exists`, `space-exists`…).
    #[error("already exists: {0}")]
    Exists(&'static str),
    /// The change contradicts the current state (duplicate e-mail, …).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Too many attempts; try again later.
    #[error("too many attempts")]
    TooMany { retry_after: Duration },
    /// One entry of an input at fault: `field` names the input, `item`
    /// the entry (a request field's key, a status), `code` the rule.
    #[error("invalid {field} {item}: {code}")]
    InvalidItem {
        field: &'static str,
        item: String,
        code: &'static str,
    },
    /// The disk (or a quota, or a file-size limit) has no room for the
    /// write; nothing was kept, and the same request succeeds once room is made.
    #[error("no room left to store this")]
    StorageFull,
    /// A part of the service is not ready yet (the search index opening,
    /// or held by a process that is stopping): the same request succeeds later.
    #[error("temporarily unavailable: {0}")]
    Unavailable(&'static str),
    #[error(transparent)]
    Db(DbError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        if e.is_storage_full() {
            Error::StorageFull
        } else {
            Error::Db(e)
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::from(DbError::Sqlite(e))
    }
}

impl Error {
    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        Error::Invalid { field, code }
    }

    /// The input field at fault, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. }
            | Error::InvalidItem { field, .. }
            | Error::TooLarge { field } => Some(field),
            Error::QuotaExceeded => Some("file"),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A one-paragraph description (spaces, groups): trimmed, at most 500 characters.
pub fn description(raw: &str) -> Result<String> {
    let d = raw.trim();
    if d.chars().count() > 500 {
        return Err(Error::invalid("description", "field-too-long"));
    }
    if d.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::invalid("description", "field-invalid"));
    }
    Ok(d.to_string())
}
