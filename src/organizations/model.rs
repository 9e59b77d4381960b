//! Organization types.

use serde::Serialize;

pub use crate::domain::OrgKind;

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub people: i64,
    pub created_at: i64,
    /// The e-mail domains its people write from, sorted.
    pub domains: Vec<String>,
}

impl Organization {
    /// Whether an address belongs to one of its domains.
    pub fn owns(&self, email: &crate::service::Email) -> bool {
        self.domains.iter().any(|d| d == email.domain())
    }
}
