//! The administration's view of people: who they are, where they come from,
//! when their access ends, who sponsors them, when they last signed in and
//! which second factors they have; narrowed by organization, kind and end of
//! access; and access renewed or ended for many people at once, through the
//! same lifecycle rules (and audit events) as one at a time.

use super::lifecycle;
use super::store::{self, RosterQuery, RosterRow};
use crate::access::{self, Actor};
use crate::db::Db;
use crate::service::{Error, Result};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// The most people one list shows, and one bulk change touches.
pub const MAX_ROWS: u32 = 500;

/// The filters as the page's query string gives them; empty means "any".
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub q: String,
    /// An organization's slug.
    #[serde(default)]
    pub org: String,
    /// `internal`, `client`, `partner`, `supplier` or `other`.
    #[serde(default)]
    pub kind: String,
    /// Access ends within this many days (1 to 365).
    #[serde(default)]
    pub ends: String,
}

/// The organization kinds one may filter by, as the query string names them.
pub const KINDS: &[&str] = &["internal", "client", "partner", "supplier", "other"];

impl Filters {
    /// The query string that gives these filters back (for links and forms).
    pub fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("q", self.q.as_str()),
            ("org", self.org.as_str()),
            ("kind", self.kind.as_str()),
            ("ends", self.ends.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn kind_sql(&self) -> Result<Option<&'static str>> {
        Ok(match self.kind.trim() {
            "" => None,
            "internal" => Some("host"),
            "client" => Some("client"),
            "partner" => Some("partner"),
            "supplier" => Some("supplier"),
            "other" => Some("other"),
            _ => return Err(Error::invalid("kind", "roster-kind-unknown")),
        })
    }

    fn ends_days(&self) -> Result<Option<i64>> {
        match self.ends.trim() {
            "" => Ok(None),
            raw => match raw.parse::<i64>() {
                Ok(d) if (1..=365).contains(&d) => Ok(Some(d)),
                _ => Err(Error::invalid("ends", "roster-ends-invalid")),
            },
        }
    }
}

/// The people matching `filters`, for an administrator; unknown filter
/// values are refused rather than ignored.
pub async fn list(db: &Db, actor: &Actor, filters: &Filters) -> Result<Vec<RosterRow>> {
    access::require_admin(actor)?;
    let kind = filters.kind_sql()?;
    let ends = filters.ends_days()?;
    let search: String = filters.q.trim().chars().take(200).collect();
    let org = filters.org.trim().to_string();
    db.read(move |c| {
        let org_id = if org.is_empty() {
            None
        } else {
            Some(
                crate::organizations::store::by_slug(c, &org)?
                    .ok_or(Error::invalid("org", "roster-org-unknown"))?
                    .id,
            )
        };
        let now = crate::util::now_ms();
        let q = RosterQuery {
            search: (!search.is_empty()).then_some(search.as_str()),
            org_id,
            kind,
            ends_between: ends.map(|d| (now, now + d * DAY_MS)),
        };
        Ok(store::roster(c, &q, MAX_ROWS)?)
    })
    .await
}

/// What to do to every selected person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkAction {
    /// Extend access by this many days.
    Renew(u32),
    /// End access now.
    End,
}

impl BulkAction {
    /// From the form's `action` and `days` fields.
    pub fn parse(action: &str, days: &str) -> Result<BulkAction> {
        match action {
            "renew" => {
                let days = days
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|d| (1..=lifecycle::MAX_RENEW_DAYS).contains(d))
                    .ok_or(Error::invalid("days", "access-days-invalid"))?;
                Ok(BulkAction::Renew(days))
            }
            "end" => Ok(BulkAction::End),
            _ => Err(Error::invalid("action", "roster-action-invalid")),
        }
    }
}

/// One person the change was refused for, and why (an error code).
#[derive(Debug, Clone)]
pub struct Refusal {
    pub id: i64,
    pub name: String,
    pub code: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct BulkOutcome {
    /// Each person changed, by name.
    pub done: Vec<String>,
    pub refused: Vec<Refusal>,
}

/// Parses the selected ids: at least one, at most `MAX_ROWS`, each a number.
pub fn parse_selection<'a>(raw: impl Iterator<Item = &'a str>) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for v in raw {
        let id = v
            .trim()
            .parse::<i64>()
            .map_err(|_| Error::invalid("person", "roster-selection-invalid"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
        if ids.len() > MAX_ROWS as usize {
            return Err(Error::invalid("person", "roster-selection-too-large"));
        }
    }
    if ids.is_empty() {
        return Err(Error::invalid("person", "roster-selection-empty"));
    }
    Ok(ids)
}

/// Applies `action` to each person through the lifecycle service, each in
/// its own transaction and audit event; a person it does not apply to (staff,
/// erased, unknown) is refused with the reason, and the others still change.
pub async fn bulk(db: &Db, actor: &Actor, ids: &[i64], action: BulkAction) -> Result<BulkOutcome> {
    access::require_admin(actor)?;
    let mut out = BulkOutcome::default();
    for &id in ids {
        let name = db
            .read(move |c| {
                Ok::<_, Error>(store::by_id(
                    c,
                    id,
                    &crate::access::SqlFilter::everything(),
                )?)
            })
            .await?
            .map(|p| p.display_name);
        let Some(name) = name else {
            out.refused.push(Refusal {
                id,
                name: format!("#{id}"),
                code: "roster-person-unknown",
            });
            continue;
        };
        let result = match action {
            BulkAction::Renew(days) => lifecycle::renew_for(db, actor, id, days).await.map(|_| ()),
            BulkAction::End => lifecycle::end_access(db, actor, id).await,
        };
        match result {
            Ok(()) => out.done.push(name),
            Err(Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code)) => {
                out.refused.push(Refusal { id, name, code })
            }
            Err(Error::NotFound) => out.refused.push(Refusal {
                id,
                name,
                code: "roster-person-unknown",
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
