//! An organization's dashboard of its requests: how many are open and
//! closed by type, how many met their targets, how long resolution takes,
//! what was asked and for how much by month, what is late now. Counted in
//! SQL over exactly the requests the reader sees (`access::requests`), so
//! an organization's people see their own and agents whom they serve.

use super::model::Named;
use super::type_store;
use crate::access::requests::requests_filter;
use crate::access::{Actor, filter_for};
use crate::db::Db;
use crate::service::Result;
use crate::util::now_ms;
use rusqlite::Connection;
use serde::Serialize;

/// One type's requests, open and closed.
#[derive(Debug, Clone, Serialize)]
pub struct ByType {
    #[serde(rename = "type")]
    pub type_: Named,
    pub open: i64,
    pub closed: i64,
}

/// One month: requests filed, and the amounts they carry in one currency.
#[derive(Debug, Clone, Serialize)]
pub struct Month {
    /// `2026-11`.
    pub month: String,
    pub filed: i64,
    /// Minor units, by currency (`EUR`), of the money fields of its requests.
    pub amounts: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub organization: Option<i64>,
    pub by_type: Vec<ByType>,
    pub closed: i64,
    /// Closed requests that met both targets.
    pub closed_in_time: i64,
    /// Median time from filing to closing, in milliseconds.
    pub median_resolution_ms: Option<i64>,
    pub months: Vec<Month>,
    /// Open requests late now.
    pub late_now: i64,
    /// How many closed requests their requester rated 1, 2, 3, 4 and 5.
    pub ratings: [i64; 5],
    /// The latest words given with a rating (at most five).
    pub rating_words: Vec<RatingWords>,
}

/// A rating given with words, and the request it is about.
#[derive(Debug, Clone, Serialize)]
pub struct RatingWords {
    pub id: i64,
    pub number: String,
    pub rating: i64,
    pub comment: String,
}

impl Dashboard {
    /// The share of closed requests that met their targets, in percent.
    pub fn compliance(&self) -> Option<i64> {
        (self.closed > 0).then(|| (self.closed_in_time * 100 + self.closed / 2) / self.closed)
    }

    pub fn rated(&self) -> i64 {
        self.ratings.iter().sum()
    }

    /// The average rating, to one decimal (`4.3`).
    pub fn average_rating(&self) -> Option<f64> {
        let rated = self.rated();
        let stars: i64 = (1..=5).zip(self.ratings).map(|(s, n)| s * n).sum();
        (rated > 0).then(|| (stars * 10 / rated) as f64 / 10.0)
    }
}

/// The conditions every figure shares: what the reader sees, of
/// `organization` if given.
fn scope(actor: &Actor, organization: Option<i64>) -> Result<(String, Vec<(&'static str, i64)>)> {
    let access = filter_for(actor, requests_filter, "r")?;
    let mut sql = access.sql;
    let mut params = access.params;
    if let Some(o) = organization {
        sql = format!("{sql} AND r.org_id = :org");
        params.push((":org", o));
    }
    Ok((sql, params))
}

fn named<'a>(params: &'a [(&'static str, i64)]) -> Vec<(&'static str, &'a dyn rusqlite::ToSql)> {
    params
        .iter()
        .map(|(k, v)| (*k, v as &dyn rusqlite::ToSql))
        .collect()
}

fn compute(c: &Connection, actor: &Actor, organization: Option<i64>) -> Result<Dashboard> {
    let (scope, params) = scope(actor, organization)?;
    let p = named(&params);
    let mut by_type = Vec::new();
    let mut st = c.prepare(&format!(
        "SELECT r.type_id, sum(r.is_open), sum(NOT r.is_open) FROM requests r
         WHERE {scope} GROUP BY r.type_id ORDER BY count(*) DESC"
    ))?;
    let rows = st
        .query_map(p.as_slice(), |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, i64, i64)>>>()?;
    for (type_id, open, closed) in rows {
        let Some(t) = type_store::by_id(c, type_id)? else {
            continue;
        };
        let d = &t.definition;
        by_type.push(ByType {
            type_: Named::new(&t.key, &d.name_en, &d.name_fr),
            open,
            closed,
        });
    }
    let (closed, in_time): (i64, i64) = c.query_row(
        &format!(
            "SELECT count(*), coalesce(sum(NOT r.respond_late AND NOT r.resolve_late), 0)
             FROM requests r WHERE {scope} AND NOT r.is_open"
        ),
        p.as_slice(),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let median = if closed == 0 {
        None
    } else {
        let mut q = p.clone();
        let offset = (closed - 1) / 2;
        q.push((":offset", &offset));
        Some(c.query_row(
            &format!(
                "SELECT r.closed_at - r.created_at FROM requests r
                 WHERE {scope} AND NOT r.is_open AND r.closed_at IS NOT NULL
                 ORDER BY r.closed_at - r.created_at LIMIT 1 OFFSET :offset"
            ),
            q.as_slice(),
            |r| r.get(0),
        )?)
    };
    let mut months: Vec<Month> = Vec::new();
    let mut st = c.prepare(&format!(
        "SELECT strftime('%Y-%m', r.created_at / 1000, 'unixepoch') AS m, count(*) FROM requests r
         WHERE {scope} AND r.created_at >= :since GROUP BY m ORDER BY m"
    ))?;
    let since = now_ms() - 366 * 86_400_000;
    let mut q = p.clone();
    q.push((":since", &since));
    for row in st.query_map(q.as_slice(), |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
        let (month, filed) = row?;
        months.push(Month {
            month,
            filed,
            amounts: Vec::new(),
        });
    }
    // Amounts: the public money values of each request (never internal).
    let mut st = c.prepare(&format!(
        "SELECT m, json_extract(o, '$.currency') AS cur, sum(json_extract(o, '$.amount'))
         FROM (SELECT strftime('%Y-%m', r.created_at / 1000, 'unixepoch') AS m,
                      -- Only objects are JSON text here: a text value is not.
                      CASE WHEN j.type = 'object' THEN j.value END AS o
               FROM requests r, json_each(r.fields) j
               WHERE {scope} AND r.created_at >= :since)
         WHERE json_extract(o, '$.currency') IS NOT NULL
         GROUP BY m, cur ORDER BY m, cur"
    ))?;
    for row in st.query_map(q.as_slice(), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (month, currency, sum) = row?;
        if let Some(m) = months.iter_mut().find(|m| m.month == month) {
            m.amounts.push((currency, sum));
        }
    }
    let mut q = p.clone();
    let now = now_ms();
    q.push((":now", &now));
    let late_now = c.query_row(
        &format!(
            "SELECT count(*) FROM requests r WHERE {scope} AND r.is_open
               AND (r.respond_late OR r.resolve_late
                    OR (r.responded_at IS NULL AND r.respond_due_at < :now)
                    OR r.resolve_due_at < :now)"
        ),
        q.as_slice(),
        |r| r.get(0),
    )?;
    let mut ratings = [0; 5];
    let mut st = c.prepare(&format!(
        "SELECT r.rating, count(*) FROM requests r
         WHERE {scope} AND r.rating BETWEEN 1 AND 5 GROUP BY r.rating"
    ))?;
    for row in st.query_map(p.as_slice(), |r| Ok((r.get::<_, usize>(0)?, r.get(1)?)))? {
        let (stars, n) = row?;
        ratings[stars - 1] = n;
    }
    let rating_words = c
        .prepare(&format!(
            "SELECT r.id, r.number, r.rating, r.rating_comment FROM requests r
             WHERE {scope} AND r.rating IS NOT NULL AND trim(ifnull(r.rating_comment, '')) <> ''
             ORDER BY r.closed_at DESC, r.id DESC LIMIT 5"
        ))?
        .query_map(p.as_slice(), |r| {
            Ok(RatingWords {
                id: r.get(0)?,
                number: r.get(1)?,
                rating: r.get(2)?,
                comment: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Dashboard {
        organization,
        by_type,
        closed,
        closed_in_time: in_time,
        median_resolution_ms: median,
        months,
        late_now,
        ratings,
        rating_words,
    })
}

/// The dashboard of the requests the actor sees — of one organization if
/// given (an external person's own, whatever they ask: they see no other).
pub async fn dashboard(db: &Db, actor: &Actor, organization: Option<i64>) -> Result<Dashboard> {
    let actor = *actor;
    let organization = match actor.principal() {
        Some(p) if !p.internal => Some(p.org_id),
        _ => organization,
    };
    db.read(move |c| compute(c, &actor, organization)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_count_closed_in_time_medians_and_public_amounts() {
        let (_dir, c) = crate::content::tests::schema();
        let def = super::super::types::example("SUP", "Support", "Assistance", "UTC");
        let json = serde_json::to_string(&def).unwrap();
        let now = now_ms();
        c.execute_batch(&format!(
            "INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
               VALUES (5, 'deal', 'Deal', 'members', 0, 0);
             INSERT INTO request_types (id, key, prefix, version, created_at, updated_at)
               VALUES (1, 'support', 'SUP', 1, 0, 0);
             INSERT INTO request_type_versions (type_id, version, definition, created_at)
               VALUES (1, 1, '{json}', 0);
             INSERT INTO requests (type_id, type_version, space_id, number, title, status, is_open,
                 priority, fields, internal_fields, created_at, updated_at, closed_at, resolve_late)
               VALUES
               (1, 1, 5, 'A', 'a', 'resolved', 0, 'normal', '{{\"ref\": \"INV-7\", \"amount\": {{\"amount\": 1000, \"currency\": \"EUR\"}}}}',
                '{{\"cost\": {{\"amount\": 999, \"currency\": \"EUR\"}}}}', {now}, {now}, {now} + 3600000, 0),
               (1, 1, 5, 'B', 'b', 'resolved', 0, 'normal', '{{}}', '{{}}', {now}, {now}, {now} + 7200000, 1),
               (1, 1, 5, 'C', 'c', 'new', 1, 'normal', '{{\"amount\": {{\"amount\": 500, \"currency\": \"EUR\"}}}}',
                '{{}}', {now}, {now}, NULL, 0);"
        ))
        .unwrap();
        let d = compute(&c, &Actor::system(), None).unwrap();
        assert_eq!((d.by_type[0].open, d.by_type[0].closed), (1, 2));
        assert_eq!(
            (d.closed, d.closed_in_time, d.compliance()),
            (2, 1, Some(50))
        );
        assert_eq!(d.median_resolution_ms, Some(3_600_000));
        assert_eq!(d.months.len(), 1);
        assert_eq!(d.months[0].filed, 3);
        assert_eq!(
            d.months[0].amounts,
            [("EUR".to_string(), 1500)],
            "internal amounts left out"
        );
        let outsider = Actor::person(
            crate::access::Principal {
                person_id: 9,
                org_id: 3,
                org_kind: crate::domain::OrgKind::Client,
                internal: false,
                admin: false,
            },
            None,
        );
        let d = compute(&c, &outsider, Some(3)).unwrap();
        assert!(
            d.by_type.is_empty() && d.months.is_empty() && d.closed == 0,
            "{d:?}"
        );
        // Once theirs, they count.
        c.execute_batch(
            "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
               VALUES (3, 'client', 'Client', 'client', 0, 0);
             INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
               VALUES (9, 3, 'c@client.example', 'C', 0, 0);
             INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (5, 9, 'reader', 0);
             UPDATE requests SET requester_id = 9, org_id = 3;",
        )
        .unwrap();
        let d = compute(&c, &outsider, Some(3)).unwrap();
        assert_eq!((d.closed, d.months[0].amounts.len()), (2, 1), "{d:?}");
    }
}
