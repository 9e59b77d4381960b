//! Person types.

use crate::organizations::OrgKind;
use crate::service::{Error, Locale};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonStatus {
    Active,
    Disabled,
}

impl PersonStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonStatus::Active => "active",
            PersonStatus::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Result<PersonStatus, Error> {
        match raw {
            "active" => Ok(PersonStatus::Active),
            "disabled" => Ok(PersonStatus::Disabled),
            _ => Err(Error::invalid("status", "status-invalid")),
        }
    }
}

impl rusqlite::types::FromSql for PersonStatus {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        PersonStatus::parse(v.as_str()?).map_err(|_| rusqlite::types::FromSqlError::InvalidType)
    }
}

/// A person as listings and profiles show them (no secrets).
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub title: String,
    pub department: String,
    pub phone: String,
    pub locale: Option<Locale>,
    pub is_admin: bool,
    pub status: PersonStatus,
    pub expires_at: Option<i64>,
    pub org_id: i64,
    pub org_slug: String,
    pub org_name: String,
    pub org_kind: OrgKind,
    pub created_at: i64,
    /// Comma-separated skills, as typed.
    pub skills: String,
    /// The internal person answerable for an external account.
    pub sponsor_id: Option<i64>,
    pub sponsor_name: Option<String>,
    /// Invited, and has not set a password yet.
    pub invitation_pending: bool,
    /// The portal an external person was invited to.
    pub portal_id: Option<i64>,
    /// Fingerprint of the profile photo, if there is one.
    pub photo_etag: Option<String>,
    /// Erased: only a neutral name remains.
    pub erased: bool,
    /// The time zone the person reads times in; `None`: the instance's.
    pub time_zone: Option<String>,
}

impl Person {
    pub fn internal(&self) -> bool {
        self.org_kind == OrgKind::Host
    }

    /// What `access` decides about them from.
    pub fn facts(&self) -> crate::access::PersonFacts {
        crate::access::PersonFacts {
            id: self.id,
            internal: self.internal(),
            sponsor: self.sponsor_id,
        }
    }

    /// Skills one by one.
    pub fn skill_list(&self) -> Vec<&str> {
        self.skills
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Two letters for the avatar.
    pub fn initials(&self) -> String {
        self.display_name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect()
    }
}

/// What sign-in needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub person_id: i64,
    pub password_hash: Option<String>,
    pub status: PersonStatus,
    pub expires_at: Option<i64>,
}

impl Credentials {
    pub fn may_sign_in(&self, now: i64) -> bool {
        self.status == PersonStatus::Active && self.expires_at.is_none_or(|t| t > now)
    }
}

impl rusqlite::types::FromSql for Locale {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        Locale::parse(v.as_str()?).ok_or(rusqlite::types::FromSqlError::InvalidType)
    }
}

impl rusqlite::types::ToSql for Locale {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.code().into())
    }
}
