//! Five weeks of use, so that the adoption page of a new demo has figures
//! to show: staff most working days, partners now and then, each in a few
//! of their spaces, searching (some in vain), uploading and downloading.
//! Drawn from a fixed seed: every demo shows the same month.

use crate::service::{Error, Result};
use rusqlite::{Transaction, params};

const DAYS: i64 = 35;
/// What people searched for and did not find, with how often.
const MISSED: &[(&str, u64)] = &[
    ("parking badge", 9),
    ("expense policy 2027", 6),
    ("vpn on a phone", 5),
    ("canteen menu", 4),
    ("torque table m12", 3),
    ("formulaire de congés", 3),
];

/// A number in `0..n` drawn from the values given (same values, same number).
fn draw(values: &[i64], n: u64) -> u64 {
    let mut h = blake3::Hasher::new();
    for v in values {
        h.update(&v.to_le_bytes());
    }
    let bytes = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    u64::from_le_bytes(first) % n.max(1)
}

pub async fn seed(state: &crate::app::AppState) -> Result<()> {
    let today = crate::adoption::today(&state.time_zone);
    state.db.write(move |tx| seed_in(tx, &today)).await
}

fn seed_in(tx: &Transaction<'_>, today: &str) -> Result<()> {
    let main = crate::portals::store::default_id(tx)?.ok_or(Error::NotFound)?;
    let partners: i64 =
        tx.query_row("SELECT id FROM portals WHERE slug = 'partners'", [], |r| {
            r.get(0)
        })?;
    let people: Vec<(i64, i64, bool)> = tx
        .prepare(
            "SELECT p.id, p.org_id, o.kind = 'host' FROM people p
               JOIN organizations o ON o.id = p.org_id WHERE p.status = 'active' ORDER BY p.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut spaces_of = tx.prepare(
        "SELECT space_id FROM space_members WHERE person_id = ?1
         UNION SELECT m.space_id FROM space_members m JOIN people p ON p.org_id = m.org_id WHERE p.id = ?1
         ORDER BY 1",
    )?;
    for back in 0..DAYS {
        let day = crate::adoption::days_before(today, back);
        let weekend = tx.query_row("SELECT strftime('%w', ?1) IN ('0', '6')", [&day], |r| {
            r.get::<_, bool>(0)
        })?;
        for &(person, org, internal) in &people {
            // Staff come most working days, more of them lately; partners now and then.
            let chance = match (internal, weekend) {
                (true, false) => 60 + (DAYS - back) as u64,
                (true, true) => 8,
                (false, false) => 30,
                (false, true) => 3,
            };
            if draw(&[person, back, 1], 100) >= chance {
                continue;
            }
            let portal = if internal { main } else { partners };
            tx.execute(
                "INSERT OR IGNORE INTO adoption_presence (day, portal_id, person_id, org_id)
                 VALUES (?1, ?2, ?3, ?4)",
                params![day, portal, person, org],
            )?;
            let spaces: Vec<i64> = spaces_of
                .query_map([person], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for (i, space) in spaces.iter().enumerate() {
                if draw(&[person, back, *space, 2], 3) != 0 && i > 0 {
                    continue;
                }
                tx.execute(
                    "INSERT OR IGNORE INTO adoption_space_presence (day, space_id, person_id)
                     VALUES (?1, ?2, ?3)",
                    params![day, space, person],
                )?;
                let downloads = draw(&[person, back, *space, 3], 4) as i64;
                let uploads = i64::from(draw(&[person, back, *space, 4], 5) == 0);
                for (metric, n, size) in [
                    ("download", downloads, 420_000),
                    ("upload", uploads, 1_300_000),
                ] {
                    if n > 0 {
                        count(tx, &day, metric, org, *space, n, n * size)?;
                    }
                }
            }
            let searches = draw(&[person, back, 5], 4) as i64;
            if searches > 0 {
                count(tx, &day, "search", org, 0, searches, 0)?;
            }
        }
        for (i, (query, weight)) in MISSED.iter().enumerate() {
            let n = draw(&[back, i as i64, 6], weight + 1) as i64 / 3;
            if n == 0 {
                continue;
            }
            let portal = if query.starts_with("torque") {
                partners
            } else {
                main
            };
            tx.execute(
                "INSERT INTO adoption_misses (day, portal_id, query, n) VALUES (?1, ?2, ?3, ?4)",
                params![day, portal, query, n],
            )?;
            let host: i64 = tx.query_row(
                "SELECT id FROM organizations WHERE kind = 'host'",
                [],
                |r| r.get(0),
            )?;
            count(tx, &day, "search", host, 0, n, 0)?;
            count(tx, &day, "search_miss", host, 0, n, 0)?;
        }
    }
    Ok(())
}

fn count(
    tx: &Transaction<'_>,
    day: &str,
    metric: &str,
    org: i64,
    space: i64,
    n: i64,
    bytes: i64,
) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO adoption_counts (day, metric, org_id, space_id, n, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (day, metric, org_id, space_id)
         DO UPDATE SET n = n + excluded.n, bytes = bytes + excluded.bytes",
        params![day, metric, org, space, n, bytes],
    )
}
