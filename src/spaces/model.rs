//! Space types.

use crate::service::Error;
use serde::Serialize;

pub use crate::domain::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Every internal person may read it.
    Internal,
    /// Only its members.
    Members,
}

impl Visibility {
    pub fn parse(raw: &str) -> Result<Visibility, Error> {
        match raw.trim() {
            "internal" => Ok(Visibility::Internal),
            "members" => Ok(Visibility::Members),
            _ => Err(Error::invalid("visibility", "visibility-invalid")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Internal => "internal",
            Visibility::Members => "members",
        }
    }
}

impl rusqlite::types::FromSql for Visibility {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        Visibility::parse(v.as_str()?).map_err(|_| rusqlite::types::FromSqlError::InvalidType)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Space {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    /// People, groups and organizations that are members.
    pub members: i64,
    /// Whether an external organization is among the members.
    pub shared_externally: bool,
    /// The description in French (`description` is the English one).
    pub description_fr: String,
}

impl Space {
    /// The description in the reader's language, else the other one.
    pub fn description_in(&self, locale: &crate::service::Locale) -> &str {
        let (mine, other) = match locale {
            crate::service::Locale::Fr => (&self.description_fr, &self.description),
            crate::service::Locale::En => (&self.description, &self.description_fr),
        };
        if mine.trim().is_empty() { other } else { mine }
    }
}

/// One membership row, named, for the space page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MemberRow {
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
    pub role: String,
    /// For organizations: whether it is the host.
    pub is_host: bool,
    /// How commands name it: the person's e-mail, the group's or organization's slug.
    pub key: String,
    /// When they joined.
    pub added_at: i64,
}
