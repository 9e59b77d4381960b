//! Lists of requests: what the reader sees (`access::requests`), filtered
//! by type, status, priority, assignee, organization, space, lateness and
//! dates, newest change first, a page at a time.

use super::model::{self, Item, PAGE};
use super::store::{self, COLUMNS};
use super::type_store;
use super::types::Definition;
use crate::access::requests::requests_filter;
use crate::access::{Actor, SqlFilter, filter_for};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::talk::{Writers, me};
use crate::util::now_ms;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a list is filtered by (every filter is optional; `assignee` is a
/// person's id, `me` or `none`; dates are `YYYY-MM-DD`, inclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Filter {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub space: Option<i64>,
    /// Filed by the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breached: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The `next` of the previous page (not part of a saved view).
    #[serde(skip_serializing)]
    pub before: Option<String>,
    #[serde(skip_serializing)]
    pub limit: Option<u32>,
}

/// A page of a list, and where the next starts.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub items: Vec<Item>,
    /// Give it back as `before` for the next page.
    pub next: Option<String>,
}

fn day_start(s: &str, field: &'static str) -> Result<i64> {
    let d: jiff::civil::Date = s
        .parse()
        .map_err(|_| Error::invalid(field, "request-filter-date"))?;
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| Error::invalid(field, "request-filter-date"))
}

/// Conditions over `r` and the parameters they name.
#[derive(Default)]
struct Where {
    sql: Vec<String>,
    params: Vec<(&'static str, SqlValue)>,
}

impl Where {
    fn bind(&mut self, cond: &str, name: &'static str, v: SqlValue) {
        self.sql.push(cond.to_string());
        self.params.push((name, v));
    }
}

/// The filter as SQL over `r` (its parameters beside the access filter's).
fn conditions(f: &Filter, actor: &Actor) -> Result<Where> {
    let mut w = Where::default();
    if let Some(t) = &f.type_key {
        w.bind(
            "r.type_id = (SELECT id FROM request_types WHERE key = :f_type)",
            ":f_type",
            SqlValue::Text(t.clone()),
        );
    }
    if let Some(s) = &f.status {
        w.bind(
            "r.status = :f_status",
            ":f_status",
            SqlValue::Text(s.clone()),
        );
    }
    if let Some(o) = f.open {
        w.bind("r.is_open = :f_open", ":f_open", SqlValue::Int(o.into()));
    }
    if let Some(p) = &f.priority {
        w.bind(
            "r.priority = :f_priority",
            ":f_priority",
            SqlValue::Text(p.clone()),
        );
    }
    let assignee = match f.assignee.as_deref() {
        None => None,
        Some("none") => {
            w.sql.push("r.assignee_id IS NULL".into());
            None
        }
        Some("me") => Some(me(actor).ok_or(Error::invalid("assignee", "request-filter-assignee"))?),
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| Error::invalid("assignee", "request-filter-assignee"))?,
        ),
    };
    if let Some(a) = assignee {
        w.bind(
            "r.assignee_id = :f_assignee",
            ":f_assignee",
            SqlValue::Int(a),
        );
    }
    if let Some(o) = f.organization {
        w.bind("r.org_id = :f_org", ":f_org", SqlValue::Int(o));
    }
    if let Some(s) = f.space {
        w.bind("r.space_id = :f_space", ":f_space", SqlValue::Int(s));
    }
    if f.mine == Some(true) {
        let who = me(actor).ok_or(Error::invalid("mine", "request-filter-mine"))?;
        w.bind("r.requester_id = :f_me", ":f_me", SqlValue::Int(who));
    }
    if let Some(b) = f.breached {
        let late = "(r.respond_late OR r.resolve_late
                     OR (r.responded_at IS NULL AND r.respond_due_at < :f_now)
                     OR r.resolve_due_at < :f_now)";
        let cond = if b {
            late.to_string()
        } else {
            format!("NOT {late}")
        };
        w.bind(&cond, ":f_now", SqlValue::Int(now_ms()));
    }
    if let Some(d) = &f.from {
        w.bind(
            "r.created_at >= :f_from",
            ":f_from",
            SqlValue::Int(day_start(d, "from")?),
        );
    }
    if let Some(d) = &f.to {
        let end = day_start(d, "to")? + 86_400_000;
        w.bind("r.created_at < :f_to", ":f_to", SqlValue::Int(end));
    }
    Ok(w)
}

#[derive(Debug, Clone)]
enum SqlValue {
    Int(i64),
    Text(String),
}

impl rusqlite::ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            SqlValue::Int(i) => i.to_sql(),
            SqlValue::Text(s) => s.to_sql(),
        }
    }
}

/// `updated_at.id` of the last line: the next page starts after it.
fn cursor(before: Option<&str>) -> Result<Option<(i64, i64)>> {
    let Some(b) = before else { return Ok(None) };
    let bad = || Error::invalid("before", "request-filter-cursor");
    let (u, i) = b.split_once('.').ok_or_else(bad)?;
    Ok(Some((
        u.parse().map_err(|_| bad())?,
        i.parse().map_err(|_| bad())?,
    )))
}

/// The rows of a list, as the access and the filter keep them.
pub fn rows(
    c: &Connection,
    actor: &Actor,
    f: &Filter,
    before: Option<&str>,
    limit: u32,
) -> Result<Vec<store::Row>> {
    let access: SqlFilter = filter_for(actor, requests_filter, "r")?;
    let Where {
        sql: mut conds,
        params: extra,
    } = conditions(f, actor)?;
    conds.push(access.sql.clone());
    let after = cursor(before)?;
    if after.is_some() {
        conds.push("(r.updated_at, r.id) < (:c_updated, :c_id)".into());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM requests r WHERE {} ORDER BY r.updated_at DESC, r.id DESC LIMIT :limit",
        conds.join(" AND ")
    );
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = access.named();
    for (k, v) in &extra {
        params.push((k, v));
    }
    let (cu, ci) = after.unwrap_or_default();
    if after.is_some() {
        params.push((":c_updated", &cu));
        params.push((":c_id", &ci));
    }
    let limit = i64::from(limit);
    params.push((":limit", &limit));
    let mut st = c.prepare_cached(&sql)?;
    let found = st
        .query_map(params.as_slice(), store::row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found)
}

/// Definitions of type versions, each read once per list.
#[derive(Default)]
pub struct Definitions {
    known: HashMap<(i64, i64), (String, Definition)>,
}

impl Definitions {
    pub fn of(
        &mut self,
        c: &Connection,
        type_id: i64,
        version: i64,
    ) -> Result<&(String, Definition)> {
        use std::collections::hash_map::Entry;
        match self.known.entry((type_id, version)) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => {
                let def = type_store::version(c, type_id, version)?;
                let key: String = c
                    .prepare_cached("SELECT key FROM request_types WHERE id = ?1")?
                    .query_row([type_id], |r| r.get(0))?;
                Ok(e.insert((key, def)))
            }
        }
    }
}

pub fn item(
    c: &Connection,
    defs: &mut Definitions,
    w: &mut Writers<'_>,
    r: &store::Row,
    now: i64,
) -> Result<Item> {
    let (key, def) = defs.of(c, r.type_id, r.type_version)?;
    model::item(c, key, def, r, w, now)
}

pub async fn list(db: &Db, actor: &Actor, f: Filter) -> Result<Page> {
    let limit = f.limit.unwrap_or(PAGE);
    if !(1..=500).contains(&limit) {
        return Err(Error::invalid("limit", "limit-invalid"));
    }
    let actor = *actor;
    db.read(move |c| {
        let rows = rows(c, &actor, &f, f.before.as_deref(), limit + 1)?;
        let more = rows.len() > limit as usize;
        let mut defs = Definitions::default();
        let mut w = Writers::new(&actor);
        let now = now_ms();
        let items = rows
            .iter()
            .take(limit as usize)
            .map(|r| item(c, &mut defs, &mut w, r, now))
            .collect::<Result<Vec<_>>>()?;
        let next = more
            .then(|| items.last().map(|i| format!("{}.{}", i.updated_at, i.id)))
            .flatten();
        Ok(Page { items, next })
    })
    .await
}
