//! The adoption tables: notes added in one transaction, old rows dropped.

use super::{KEEP_COUNTS_DAYS, KEEP_PEOPLE_DAYS, Notes};
use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// Adds the notes. A person, portal, organization or space removed since
/// its note was taken is skipped (a foreign key would refuse the whole
/// write, forever).
pub(super) fn write(tx: &Transaction<'_>, notes: &Notes, now: i64) -> Result<usize, DbError> {
    let mut n = 0;
    let mut presence = tx.prepare_cached(
        "INSERT OR IGNORE INTO adoption_presence (day, portal_id, person_id, org_id)
         SELECT ?1, ?2, ?3, ?4
          WHERE EXISTS (SELECT 1 FROM portals WHERE id = ?2)
            AND EXISTS (SELECT 1 FROM people WHERE id = ?3)
            AND EXISTS (SELECT 1 FROM organizations WHERE id = ?4)",
    )?;
    for p in &notes.presence {
        n += presence.execute(params![p.day, p.portal, p.person, p.org])?;
    }
    let mut spaces = tx.prepare_cached(
        "INSERT OR IGNORE INTO adoption_space_presence (day, space_id, person_id)
         SELECT ?1, ?2, ?3
          WHERE EXISTS (SELECT 1 FROM spaces WHERE id = ?2)
            AND EXISTS (SELECT 1 FROM people WHERE id = ?3)",
    )?;
    for (day, space, person) in &notes.spaces {
        n += spaces.execute(params![day, space, person])?;
    }
    let mut counts = tx.prepare_cached(
        "INSERT INTO adoption_counts (day, metric, org_id, space_id, n, bytes)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
          WHERE EXISTS (SELECT 1 FROM organizations WHERE id = ?3)
         ON CONFLICT (day, metric, org_id, space_id)
         DO UPDATE SET n = n + excluded.n, bytes = bytes + excluded.bytes",
    )?;
    for (k, (count, bytes)) in &notes.counts {
        n += counts.execute(params![
            k.day,
            k.metric.as_str(),
            k.org,
            k.space,
            count,
            bytes
        ])?;
    }
    let mut misses = tx.prepare_cached(
        "INSERT INTO adoption_misses (day, portal_id, query, n)
         SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM portals WHERE id = ?2)
         ON CONFLICT (day, portal_id, query) DO UPDATE SET n = n + excluded.n",
    )?;
    for ((day, portal, query), count) in &notes.misses {
        n += misses.execute(params![day, portal, query, count])?;
    }
    tx.execute(
        "INSERT INTO adoption_flushes (id, last_ok_at) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET last_ok_at = excluded.last_ok_at",
        [now],
    )?;
    Ok(n)
}

pub(super) fn note_failure(tx: &Transaction<'_>, error: &str, now: i64) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO adoption_flushes (id, last_error, last_error_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET last_error = excluded.last_error,
                                        last_error_at = excluded.last_error_at",
        params![error, now],
    )?;
    Ok(())
}

/// The day `days` before `today` ('YYYY-MM-DD').
pub fn days_before(today: &str, days: i64) -> String {
    today
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_sub(jiff::Span::new().days(days)).ok())
        .map(|d| d.to_string())
        .unwrap_or_else(|| today.to_string())
}

/// Drops who was active and what was missed past `KEEP_PEOPLE_DAYS`, and
/// counters past `KEEP_COUNTS_DAYS`.
pub(super) fn prune(tx: &Transaction<'_>, today: &str) -> Result<usize, DbError> {
    let people = days_before(today, KEEP_PEOPLE_DAYS);
    let counts = days_before(today, KEEP_COUNTS_DAYS);
    let mut n = 0;
    for table in [
        "adoption_presence",
        "adoption_space_presence",
        "adoption_misses",
    ] {
        n += tx.execute(&format!("DELETE FROM {table} WHERE day < ?1"), [&people])?;
    }
    n += tx.execute("DELETE FROM adoption_counts WHERE day < ?1", [&counts])?;
    Ok(n)
}

/// How the writes of the figures stand: the last good one, and the last
/// error after it, if any.
pub fn last_flushes(c: &Connection) -> rusqlite::Result<Option<(Option<i64>, Option<String>)>> {
    c.query_row(
        "SELECT last_ok_at, CASE WHEN last_error_at > ifnull(last_ok_at, 0) THEN last_error END
           FROM adoption_flushes WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_before_counts_back_over_months_and_years() {
        assert_eq!(super::days_before("2026-03-01", 1), "2026-02-28");
        assert_eq!(super::days_before("2026-01-05", 10), "2025-12-26");
        assert_eq!(super::days_before("not a day", 3), "not a day");
    }
}
