//! Who was active over a period, counted once: one pass over the presence
//! rows, grouped by portal, organization and person (a row per person, or
//! a few), from which the instance's, each portal's and each
//! organization's figures are counted here.

use super::figures::Row;
use crate::db::DbError;
use rusqlite::{Connection, params};
use std::collections::{HashMap, HashSet};

pub(super) struct People {
    pub active: i64,
    pub internal: i64,
    pub external: i64,
    pub by_portal: Vec<Row>,
    pub by_org: Vec<Row>,
}

/// One portal's or organization's people: seen today, over the last seven
/// days, over the period; and their days of presence.
#[derive(Default)]
struct Tally {
    today: HashSet<i64>,
    week: HashSet<i64>,
    period: HashSet<i64>,
    person_days: i64,
}

impl Tally {
    fn add(&mut self, person: i64, last: &str, week_from: &str, today: &str, days: i64) {
        if last == today {
            self.today.insert(person);
        }
        if last >= week_from {
            self.week.insert(person);
        }
        self.period.insert(person);
        self.person_days += days;
    }
}

/// `np` narrows the rows (`p` is `adoption_presence`).
pub(super) fn read(
    c: &Connection,
    from: &str,
    week_from: &str,
    today: &str,
    days: i64,
    np: &str,
) -> Result<People, DbError> {
    let mut stmt = c.prepare(&format!(
        "SELECT p.portal_id, p.org_id, p.person_id, max(p.day), count(*)
           FROM adoption_presence p
          WHERE p.day BETWEEN ?1 AND ?2{np}
          GROUP BY p.portal_id, p.org_id, p.person_id"
    ))?;
    let mut portals: HashMap<i64, Tally> = HashMap::new();
    let mut orgs: HashMap<i64, Tally> = HashMap::new();
    let rows = stmt.query_map(params![from, today], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (portal, org, person, last, n) = row?;
        portals
            .entry(portal)
            .or_default()
            .add(person, &last, week_from, today, n);
        orgs.entry(org)
            .or_default()
            .add(person, &last, week_from, today, n);
    }
    let host: Option<i64> = c
        .query_row(
            "SELECT id FROM organizations WHERE kind = 'host'",
            [],
            |r| r.get(0),
        )
        .ok();
    let mut everyone = HashSet::new();
    let mut internal = 0;
    for (org, t) in &orgs {
        everyone.extend(t.period.iter().copied());
        if Some(*org) == host {
            internal = t.period.len() as i64;
        }
    }
    let active = everyone.len() as i64;
    Ok(People {
        active,
        internal,
        external: active - internal,
        by_portal: rows_of(c, "portals", portals, days)?,
        by_org: rows_of(c, "organizations", orgs, days)?,
    })
}

/// The tallies as rows named from `table`, most people first.
fn rows_of(
    c: &Connection,
    table: &str,
    tallies: HashMap<i64, Tally>,
    days: i64,
) -> Result<Vec<Row>, DbError> {
    let mut name = c.prepare_cached(&format!("SELECT name FROM {table} WHERE id = ?1"))?;
    let mut out = Vec::with_capacity(tallies.len());
    for (id, t) in tallies {
        let Some(n) = name
            .query_row([id], |r| r.get::<_, String>(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?
        else {
            continue;
        };
        out.push(Row {
            id,
            name: n,
            today: t.today.len() as i64,
            week: t.week.len() as i64,
            period: t.period.len() as i64,
            per_day: t.person_days as f64 / days.max(1) as f64,
        });
    }
    out.sort_by(|a, b| b.period.cmp(&a.period).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}
