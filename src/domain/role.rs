//! The roles a person holds in a space.

use crate::service::Error;
use serde::Serialize;

/// Roles in a space, ordered: reader < contributor < manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Reader,
    Contributor,
    Manager,
}

impl Role {
    pub fn parse(raw: &str) -> Result<Role, Error> {
        match raw.trim() {
            "reader" => Ok(Role::Reader),
            "contributor" => Ok(Role::Contributor),
            "manager" => Ok(Role::Manager),
            _ => Err(Error::invalid("role", "role-invalid")),
        }
    }

    /// Its rank, the same in Rust and in SQL comparisons (see `rank_sql`).
    pub fn rank(self) -> i64 {
        match self {
            Role::Reader => 0,
            Role::Contributor => 1,
            Role::Manager => 2,
        }
    }

    /// The rank of the role named in `column`, as SQL.
    pub fn rank_sql(column: &str) -> String {
        format!(
            "CASE {column} WHEN 'reader' THEN {} WHEN 'contributor' THEN {} ELSE {} END",
            Role::Reader.rank(),
            Role::Contributor.rank(),
            Role::Manager.rank()
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Contributor => "contributor",
            Role::Manager => "manager",
        }
    }
}
