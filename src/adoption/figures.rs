//! The figures an administrator reads: counts over a period, never a
//! person. Who may read them is the caller's business (administrators
//! only: `admin::adoption`, the API).

use super::store::days_before;
use crate::db::DbError;
use rusqlite::{Connection, params};
use serde::Serialize;

/// The periods offered, in days.
pub const PERIODS: [i64; 3] = [7, 30, 90];
/// Weeks shown in the weekly series.
pub const WEEKS: i64 = 12;
const TOP: i64 = 10;
const TOP_MISSES: i64 = 20;

/// What the figures are narrowed to: one portal, or one organization.
/// Without either, the whole instance.
#[derive(Debug, Clone, Copy, Default)]
pub struct Narrow {
    pub portal: Option<i64>,
    pub org: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct Figures {
    pub from: String,
    pub to: String,
    pub days: i64,
    pub totals: Totals,
    pub per_day: Vec<Day>,
    pub per_week: Vec<Week>,
    pub by_portal: Vec<Row>,
    pub by_org: Vec<Row>,
    pub top_spaces: Vec<Space>,
    pub misses: Vec<Miss>,
}

#[derive(Debug, Default, Serialize)]
pub struct Totals {
    /// Different people active over the period.
    pub active: i64,
    pub internal: i64,
    pub external: i64,
    pub searches: i64,
    pub searches_missed: i64,
    pub uploads: i64,
    pub upload_bytes: i64,
    pub downloads: i64,
    pub download_bytes: i64,
}

#[derive(Debug, Serialize)]
pub struct Day {
    pub day: String,
    pub active: i64,
    pub uploads: i64,
    pub downloads: i64,
}

#[derive(Debug, Serialize)]
pub struct Week {
    /// The Monday the week starts on.
    pub starts: String,
    pub active: i64,
}

/// A portal's or an organization's people: today, over the last seven
/// days, over the period, and on an average day of the period.
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub today: i64,
    pub week: i64,
    pub period: i64,
    pub per_day: f64,
}

#[derive(Debug, Serialize)]
pub struct Space {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub people: i64,
    pub uploads: i64,
    pub downloads: i64,
}

#[derive(Debug, Serialize)]
pub struct Miss {
    pub query: String,
    pub count: i64,
}

/// The presence rows the narrowing keeps (`p` is `adoption_presence`).
fn narrow_sql(n: &Narrow) -> String {
    let mut s = String::new();
    if let Some(portal) = n.portal {
        s.push_str(&format!(" AND p.portal_id = {portal}"));
    }
    if let Some(org) = n.org {
        s.push_str(&format!(" AND p.org_id = {org}"));
    }
    s
}

/// The counters the narrowing keeps (`k` is `adoption_counts`). Counters
/// are not kept per portal: a portal narrows them to nothing less.
fn narrow_counts(n: &Narrow) -> String {
    n.org
        .map(|org| format!(" AND k.org_id = {org}"))
        .unwrap_or_default()
}

/// The figures of the `days` days ending `today`.
pub fn read(c: &Connection, today: &str, days: i64, n: &Narrow) -> Result<Figures, DbError> {
    let from = days_before(today, days - 1);
    let week_from = days_before(today, 6);
    let np = narrow_sql(n);
    let nk = narrow_counts(n);
    let people = super::people::read(c, &from, &week_from, today, days, &np)?;
    let mut totals = Totals {
        active: people.active,
        internal: people.internal,
        external: people.external,
        ..Totals::default()
    };
    let mut stmt = c.prepare(&format!(
        "SELECT k.metric, SUM(k.n), SUM(k.bytes) FROM adoption_counts k
          WHERE k.day BETWEEN ?1 AND ?2{nk} GROUP BY k.metric"
    ))?;
    let rows = stmt.query_map(params![from, today], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (metric, count, bytes) = row?;
        match metric.as_str() {
            "search" => totals.searches = count,
            "search_miss" => totals.searches_missed = count,
            "upload" => (totals.uploads, totals.upload_bytes) = (count, bytes),
            "download" => (totals.downloads, totals.download_bytes) = (count, bytes),
            _ => {}
        }
    }
    Ok(Figures {
        per_day: per_day(c, &from, today, days, &np, &nk)?,
        per_week: per_week(c, today, &np)?,
        by_portal: people.by_portal,
        by_org: people.by_org,
        top_spaces: top_spaces(c, &from, today, &nk, n)?,
        misses: misses(c, &from, today, n)?,
        from,
        to: today.to_string(),
        days,
        totals,
    })
}

/// Every day of the period, days without anyone included.
fn per_day(
    c: &Connection,
    from: &str,
    today: &str,
    days: i64,
    np: &str,
    nk: &str,
) -> Result<Vec<Day>, DbError> {
    let mut out: Vec<Day> = (0..days)
        .rev()
        .map(|back| Day {
            day: days_before(today, back),
            active: 0,
            uploads: 0,
            downloads: 0,
        })
        .collect();
    let mut index = std::collections::HashMap::new();
    for (i, d) in out.iter().enumerate() {
        index.insert(d.day.clone(), i);
    }
    let mut stmt = c.prepare(&format!(
        "SELECT p.day, COUNT(DISTINCT p.person_id) FROM adoption_presence p
          WHERE p.day BETWEEN ?1 AND ?2{np} GROUP BY p.day"
    ))?;
    let rows = stmt.query_map(params![from, today], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (day, n) = row?;
        if let Some(&i) = index.get(&day) {
            out[i].active = n;
        }
    }
    let mut stmt = c.prepare(&format!(
        "SELECT k.day, k.metric, SUM(k.n) FROM adoption_counts k
          WHERE k.day BETWEEN ?1 AND ?2 AND k.metric IN ('upload', 'download'){nk}
          GROUP BY k.day, k.metric"
    ))?;
    let rows = stmt.query_map(params![from, today], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (day, metric, n) = row?;
        if let Some(&i) = index.get(&day) {
            if metric == "upload" {
                out[i].uploads = n;
            } else {
                out[i].downloads = n;
            }
        }
    }
    Ok(out)
}

/// The last `WEEKS` weeks (Monday to Sunday), this one included: one
/// range of the primary key per week (cheaper than mapping every row to
/// its week).
fn per_week(c: &Connection, today: &str, np: &str) -> Result<Vec<Week>, DbError> {
    let monday: String = c.query_row("SELECT date(?1, '-6 days', 'weekday 1')", [today], |r| {
        r.get(0)
    })?;
    let mut stmt = c.prepare(&format!(
        "SELECT COUNT(DISTINCT p.person_id) FROM adoption_presence p
          WHERE p.day BETWEEN ?1 AND ?2{np}"
    ))?;
    (0..WEEKS)
        .rev()
        .map(|back| {
            let starts = days_before(&monday, back * 7);
            let ends = days_before(&starts, -6);
            let active = stmt.query_row(params![starts, ends], |r| r.get(0))?;
            Ok(Week { starts, active })
        })
        .collect()
}

/// The spaces most people used over the period, with their transfers
/// (summed for those spaces alone, in one pass over the period).
fn top_spaces(
    c: &Connection,
    from: &str,
    today: &str,
    nk: &str,
    n: &Narrow,
) -> Result<Vec<Space>, DbError> {
    // Narrowed, a space's people are those active on that portal or as
    // members of that organization over the period (a small set, read once).
    let people_narrow = match (n.portal, n.org) {
        (None, None) => String::new(),
        _ => format!(
            " AND sp.person_id IN (SELECT p.person_id FROM adoption_presence p
                                    WHERE p.day BETWEEN ?1 AND ?2{})",
            narrow_sql(n)
        ),
    };
    let mut stmt = c.prepare(&format!(
        "SELECT s.id, s.name, s.slug, t.people FROM
           (SELECT sp.space_id, COUNT(DISTINCT sp.person_id) AS people
              FROM adoption_space_presence sp
             WHERE sp.day BETWEEN ?1 AND ?2{people_narrow}
             GROUP BY sp.space_id) t
           JOIN spaces s ON s.id = t.space_id
          ORDER BY t.people DESC, s.name LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![from, today, TOP], |r| {
        Ok(Space {
            id: r.get(0)?,
            name: r.get(1)?,
            slug: r.get(2)?,
            people: r.get(3)?,
            uploads: 0,
            downloads: 0,
        })
    })?;
    let mut top: Vec<Space> = rows.collect::<rusqlite::Result<_>>()?;
    if top.is_empty() {
        return Ok(top);
    }
    let ids = top
        .iter()
        .map(|s| s.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let mut stmt = c.prepare(&format!(
        "SELECT k.space_id, k.metric, SUM(k.n) FROM adoption_counts k
          WHERE k.day BETWEEN ?1 AND ?2 AND k.metric IN ('upload', 'download')
            AND k.space_id IN ({ids}){nk}
          GROUP BY k.space_id, k.metric"
    ))?;
    let rows = stmt.query_map(params![from, today], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (space, metric, count) = row?;
        if let Some(s) = top.iter_mut().find(|s| s.id == space) {
            if metric == "upload" {
                s.uploads = count;
            } else {
                s.downloads = count;
            }
        }
    }
    Ok(top)
}

/// What was searched for most without a result. Not kept per
/// organization: narrowed to one, there is none to show.
fn misses(c: &Connection, from: &str, today: &str, n: &Narrow) -> Result<Vec<Miss>, DbError> {
    if n.org.is_some() {
        return Ok(Vec::new());
    }
    let portal = n
        .portal
        .map(|p| format!(" AND portal_id = {p}"))
        .unwrap_or_default();
    let mut stmt = c.prepare(&format!(
        "SELECT query, SUM(n) FROM adoption_misses
          WHERE day BETWEEN ?1 AND ?2{portal}
          GROUP BY query ORDER BY SUM(n) DESC, query LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![from, today, TOP_MISSES], |r| {
        Ok(Miss {
            query: r.get(0)?,
            count: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let c = Connection::open_in_memory().unwrap();
        // 2026-12-05 is a Saturday, 2026-12-07 a Monday.
        for (day, monday) in [
            ("2026-12-05", "2026-11-30"),
            ("2026-12-07", "2026-12-07"),
            ("2026-12-06", "2026-11-30"),
        ] {
            let got: String = c
                .query_row("SELECT date(?1, '-6 days', 'weekday 1')", [day], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(got, monday, "{day}");
        }
    }
}
