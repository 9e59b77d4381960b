//! Changes to many requests at once, for agents: each request is changed
//! as it would be alone (its own workflow, its own rules, its own
//! transaction and audit entry), and the answer says which were changed
//! and why each other was not. A request the caller may not see is
//! "not found", as alone.

use super::work::{self, Patch};
use super::{model, store};
use crate::access::Actor;
use crate::db::Db;
use crate::service::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// At most this many requests per call.
pub const MAX: usize = 500;

/// What to do to each of `ids`: any of a status to move to, an assignee
/// (none: to nobody), a priority.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bulk {
    pub ids: Vec<i64>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, with = "double_option")]
    pub assignee: Option<Option<i64>>,
    #[serde(default)]
    pub priority: Option<String>,
}

/// `"assignee": null` (to nobody) differs from no `assignee` at all.
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
        Option::<i64>::deserialize(d).map(Some)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Refused {
    pub id: i64,
    pub code: &'static str,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub changed: Vec<i64>,
    pub refused: Vec<Refused>,
}

fn code_of(e: &Error) -> Option<&'static str> {
    match e {
        Error::NotFound | Error::Forbidden => Some("not-found"),
        Error::Invalid { code, .. } | Error::InvalidItem { code, .. } | Error::Conflict(code) => {
            Some(code)
        }
        _ => None,
    }
}

pub async fn apply(db: &Db, actor: &Actor, bulk: Bulk) -> Result<Outcome> {
    let ids: BTreeSet<i64> = bulk.ids.iter().copied().collect();
    if ids.is_empty() || ids.len() > MAX {
        return Err(Error::invalid("ids", "request-bulk-size"));
    }
    if bulk.status.is_none() && bulk.assignee.is_none() && bulk.priority.is_none() {
        return Err(Error::invalid("ids", "request-bulk-nothing"));
    }
    let mut out = Outcome::default();
    for id in ids {
        match one(db, actor, id, &bulk).await {
            Ok(()) => out.changed.push(id),
            Err(e) => match code_of(&e) {
                Some(code) => out.refused.push(Refused { id, code }),
                // A fault of the server, not of this request: stop, say so.
                None => return Err(e),
            },
        }
    }
    Ok(out)
}

/// The request's version and status as they are now (the change that
/// follows asks `access` itself: a request the caller may not see is
/// refused there, as missing).
async fn now(db: &Db, id: i64) -> Result<(String, String)> {
    db.read(move |c| {
        let r = store::get(c, id)?.ok_or(Error::NotFound)?;
        Ok((model::version_token(&r, true), r.status))
    })
    .await
}

async fn one(db: &Db, actor: &Actor, id: i64, bulk: &Bulk) -> Result<()> {
    if let Some(p) = &bulk.priority {
        let patch = Patch {
            version: now(db, id).await?.0,
            priority: Some(p.clone()),
            ..Patch::default()
        };
        work::update(db, actor, id, patch).await?;
    }
    if let Some(to) = bulk.assignee {
        work::assign(db, actor, id, to).await?;
    }
    if let Some(s) = &bulk.status {
        let (version, status) = now(db, id).await?;
        if status != *s {
            work::move_to(db, actor, id, s.clone(), version).await?;
        }
    }
    Ok(())
}

/// Keys and names to choose from.
pub type Choices = Vec<(String, String)>;

/// What agents may choose in bulk: the statuses and priorities of the
/// types not archived, by key (a key several types share once), named in
/// `lang`. Each request is then moved as its own type allows.
pub async fn choices(db: &Db, lang: &'static str) -> Result<(Choices, Choices)> {
    db.read(move |c| {
        let mut statuses: Vec<(String, String)> = Vec::new();
        let mut priorities: Vec<(String, String)> = Vec::new();
        for t in super::type_store::all(c)?
            .into_iter()
            .filter(|t| !t.archived)
        {
            let d = &t.definition;
            for s in &d.workflow.statuses {
                if !statuses.iter().any(|(k, _)| *k == s.key) {
                    let name = if lang == "fr" { &s.name_fr } else { &s.name_en };
                    statuses.push((s.key.clone(), name.clone()));
                }
            }
            for p in &d.priorities {
                if !priorities.iter().any(|(k, _)| *k == p.key) {
                    let name = if lang == "fr" { &p.name_fr } else { &p.name_en };
                    priorities.push((p.key.clone(), name.clone()));
                }
            }
        }
        Ok((statuses, priorities))
    })
    .await
}
