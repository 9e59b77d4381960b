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

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Contributor => "contributor",
            Role::Manager => "manager",
        }
    }
}
