//! Deadlines of flow steps, counted in working days (Monday to Friday, in
//! the instance's time zone) from the step's start. A loop reminds the
//! step's approvers before the deadline, and once it has passed escalates:
//! the step's backup approvers (or the space's managers) may decide too,
//! and one approval from them settles it. Each stage is told once per step
//! (a step entered again starts afresh); the notifier tells the people.

use super::events::Warned;
use super::flows;
use super::store;
use crate::access::Actor;
use crate::content::events::record;
use crate::db::Db;
use crate::service::Result;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use rusqlite::Connection;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// Flows told per transaction.
const BATCH: usize = 200;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// `days` working days after `start` (ms), at the same time of day: a step
/// started on a Friday afternoon with one day is due on Monday afternoon.
pub fn due(start: i64, days: u32, tz: &TimeZone) -> i64 {
    let Ok(at) = jiff::Timestamp::from_millisecond(start) else {
        return start;
    };
    let mut t = at.to_zoned(tz.clone());
    let mut left = days;
    while left > 0 {
        t = match t.tomorrow() {
            Ok(next) => next,
            Err(_) => return start + i64::from(days) * DAY_MS,
        };
        if !matches!(t.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    t.timestamp().as_millisecond()
}

/// When the approvers are reminded: a day before the deadline, or halfway
/// through a shorter one.
pub fn reminder(start: i64, due: i64) -> i64 {
    due - DAY_MS.min((due - start) / 2)
}

/// A stage owed: the flow, its stage (1 remind, 2 escalate), its due time.
type Owed = (i64, i64, i64);

/// The running flows whose step has a deadline, told or not at `now`.
/// Definitions are read once per template version.
fn owed(c: &Connection, now: i64, tz: &TimeZone) -> Result<Vec<Owed>> {
    let mut st = c.prepare_cached(
        "SELECT id, template_id, template_version, step, step_started_at, warned
           FROM approval_flows WHERE state = 'running' AND warned < 2
          ORDER BY step_started_at",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (r.get::<_, i64>(1)?, r.get::<_, i64>(2)?),
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut definitions = HashMap::new();
    let mut out = Vec::new();
    for (id, template, step, started, warned) in rows {
        let definition = match definitions.entry(template) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(store::definition_of(c, template.0, template.1)?)
            }
        };
        let days = definition
            .as_ref()
            .and_then(|d| d.steps.get(step as usize))
            .and_then(|s| s.deadline_days);
        let Some(days) = days else {
            continue;
        };
        let due = due(started, days, tz);
        let stage = if now >= due {
            2
        } else if now >= reminder(started, due) {
            1
        } else {
            0
        };
        if stage > warned {
            out.push((id, stage, due));
            if out.len() == BATCH {
                break;
            }
        }
    }
    Ok(out)
}

/// Tells the stages owed at `now`; how many. The running flows are read
/// without holding the writer; only those owed are written, each checked
/// again in the write (a flow decided or moved on meanwhile is left).
pub async fn step(db: &Db, now: i64, tz: &TimeZone) -> Result<usize> {
    let scan_tz = tz.clone();
    let owed = db.read(move |c| owed(c, now, &scan_tz)).await?;
    if owed.is_empty() {
        return Ok(0);
    }
    let tz = tz.clone();
    db.write(move |tx| {
        let system = Actor::system();
        let mut told = 0;
        for &(id, stage, due) in &owed {
            let Some(flow) = store::flow(tx, id)? else {
                continue;
            };
            let days = flow
                .definition
                .steps
                .get(flow.step as usize)
                .and_then(|s| s.deadline_days);
            let still = flow.state == "running"
                && flow.warned < stage
                && days.is_some_and(|d| self::due(flow.step_started_at, d, &tz) == due);
            if !still {
                continue;
            }
            store::set_warned(tx, id, stage)?;
            if stage == 2 {
                // Those standing in wait too, as the deciders now count them.
                let flow = store::flow(tx, id)?.unwrap_or(flow.clone());
                if let Some(doc) = super::subject::Subject::of_flow(tx, &flow)? {
                    let decided = store::decided_in_round(tx, &flow)?;
                    let waiting: BTreeSet<i64> =
                        flows::step_deciders(tx, &flow, flow.step as usize, &doc)?
                            .into_iter()
                            .filter(|p| !decided.contains(p))
                            .collect();
                    store::set_waiting(tx, id, &waiting, now)?;
                }
            }
            record(
                tx,
                &system,
                &Warned {
                    id,
                    step: flow.step + 1,
                    escalated: stage == 2,
                    due,
                },
            )?;
            told += 1;
        }
        Ok(told)
    })
    .await
}

/// Runs until aborted; a failure (a full disk) is tried again.
pub async fn run(db: Db, tz: TimeZone) {
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tick.tick().await;
        loop {
            match step(&db, crate::util::now_ms(), &tz).await {
                // A full batch: more may be owed.
                Ok(n) if n == BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "approval deadlines wait; trying again");
                    break;
                }
            }
        }
    }
}

/// How long the oldest passed deadline has waited to be escalated (ms),
/// for `parvis check`.
pub fn overdue(c: &Connection, now: i64, tz: &TimeZone) -> Result<Option<i64>> {
    Ok(owed(c, now, tz)?
        .into_iter()
        .filter(|(_, stage, _)| *stage == 2)
        .map(|(_, _, due)| now - due)
        .max())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::local_ms as ms;

    #[test]
    fn deadlines_count_working_days_in_the_instance_time_zone() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        // Friday 2026-12-04 15:00: one working day is Monday 15:00.
        let friday = ms("2026-12-04T15:00", &paris);
        assert_eq!(due(friday, 1, &paris), ms("2026-12-07T15:00", &paris));
        // Five working days from a Monday: the next Monday.
        let monday = ms("2026-12-07T09:30", &paris);
        assert_eq!(due(monday, 5, &paris), ms("2026-12-14T09:30", &paris));
        // Across the change to summer time: still 09:00 on the wall clock.
        let before = ms("2027-03-26T09:00", &paris);
        assert_eq!(due(before, 1, &paris), ms("2027-03-29T09:00", &paris));
        // Saturday counts from Monday.
        let saturday = ms("2026-12-05T10:00", &paris);
        assert_eq!(due(saturday, 1, &paris), ms("2026-12-07T10:00", &paris));
    }

    #[test]
    fn reminders_come_a_day_before_or_halfway() {
        let start = 0;
        assert_eq!(reminder(start, 5 * DAY_MS), 4 * DAY_MS);
        assert_eq!(reminder(start, DAY_MS), DAY_MS / 2);
        assert_eq!(reminder(start, 3 * DAY_MS), 2 * DAY_MS);
    }
}
