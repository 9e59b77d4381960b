//! The kinds of organization: the host runs the instance; the others are
//! its clients, partners, suppliers…

use crate::service::Error;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    Host,
    Client,
    Partner,
    Supplier,
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Host,
        OrgKind::Client,
        OrgKind::Partner,
        OrgKind::Supplier,
        OrgKind::Other,
    ];

    /// Kinds an administrator may create; the host exists once, from `init`.
    pub const EXTERNAL: [OrgKind; 4] = [
        OrgKind::Client,
        OrgKind::Partner,
        OrgKind::Supplier,
        OrgKind::Other,
    ];

    pub fn parse(raw: &str) -> Result<OrgKind, Error> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "host" => Ok(OrgKind::Host),
            "client" => Ok(OrgKind::Client),
            "partner" => Ok(OrgKind::Partner),
            "supplier" => Ok(OrgKind::Supplier),
            "other" => Ok(OrgKind::Other),
            _ => Err(Error::invalid("kind", "org-kind-invalid")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Host => "host",
            OrgKind::Client => "client",
            OrgKind::Partner => "partner",
            OrgKind::Supplier => "supplier",
            OrgKind::Other => "other",
        }
    }
}

impl rusqlite::types::FromSql for OrgKind {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        OrgKind::parse(s).map_err(|_| rusqlite::types::FromSqlError::InvalidType)
    }
}
