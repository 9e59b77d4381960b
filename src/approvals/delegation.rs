//! Delegation: a person away (leave, travel) chooses who decides in their
//! place for a period; that delegate sees the flows waiting for them, is
//! told of them, and each decision they make names both. One delegation
//! per person at a time; a new one replaces it.

use super::events::Delegated;
use super::store;
use crate::access::Actor;
use crate::content::events::record;
use crate::service::{Error, Result};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// The longest delegation, in days.
const MAX_DAYS: i64 = 366;

/// Whom a delegation goes to: a person's id (the API) or address (a form).
pub enum Who {
    Id(i64),
    Email(String),
}

/// A person's delegation as they see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Delegation {
    pub delegate: i64,
    pub delegate_name: String,
    /// The first and last days, in the person's time zone.
    pub from: String,
    pub until: String,
}

fn me(actor: &Actor) -> Result<i64> {
    actor
        .principal()
        .map(|p| p.person_id)
        .ok_or(Error::Forbidden)
}

fn day_start(d: Date, tz: &TimeZone) -> Result<i64> {
    d.to_zoned(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| Error::invalid("from", "approval-delegate-dates"))
}

/// The person's own time zone, else `fallback` (the instance's): days are
/// theirs, whether set on the page or through the API.
fn zone(c: &Connection, person: i64, fallback: &TimeZone) -> Result<TimeZone> {
    let name: Option<String> = c
        .prepare_cached("SELECT time_zone FROM people WHERE id = ?1")?
        .query_row([person], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(crate::i18n::time::zone_or(name.as_deref(), fallback))
}

/// The person `who` names, if the actor may know of them and they are active.
fn delegate(c: &Connection, actor: &Actor, who: &Who) -> Result<i64> {
    let unknown = || Error::invalid("delegate", "approval-delegate-unknown");
    let id: Option<i64> = match who {
        Who::Id(id) => c
            .prepare_cached("SELECT id FROM people WHERE id = ?1 AND status = 'active'")?
            .query_row([id], |r| r.get(0))
            .optional()?,
        Who::Email(e) => c
            .prepare_cached(
                "SELECT id FROM people WHERE email = lower(trim(?1)) AND status = 'active'",
            )?
            .query_row([e], |r| r.get(0))
            .optional()?,
    };
    let id = id.ok_or_else(unknown)?;
    let p = actor.principal().ok_or(Error::Forbidden)?;
    if !crate::access::seen::person(c, p, id)? {
        return Err(unknown());
    }
    Ok(id)
}

/// Sets the actor's delegation to `who` from the day `from` to the day
/// `until` (both included, in the actor's time zone, else `instance_tz`),
/// or ends it (`None`).
pub fn set_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    to: Option<(&Who, &str, &str)>,
    instance_tz: &TimeZone,
) -> Result<Option<Delegation>> {
    let person = me(actor)?;
    let tz = &zone(tx, person, instance_tz)?;
    let now = crate::util::now_ms();
    let Some((who, from, until)) = to else {
        store::set_delegation(tx, person, None, now)?;
        record(
            tx,
            actor,
            &Delegated {
                id: person,
                delegate: None,
                from: None,
                until: None,
            },
        )?;
        return Ok(None);
    };
    let delegate = delegate(tx, actor, who)?;
    if delegate == person {
        return Err(Error::invalid("delegate", "approval-delegate-self"));
    }
    let bad = || Error::invalid("until", "approval-delegate-dates");
    let first: Date = from
        .trim()
        .parse()
        .map_err(|_| Error::invalid("from", "approval-delegate-dates"))?;
    let last: Date = until.trim().parse().map_err(|_| bad())?;
    let today = jiff::Timestamp::from_millisecond(now)
        .map_err(|_| bad())?
        .to_zoned(tz.clone())
        .date();
    let days = first.until(last).map_err(|_| bad())?.get_days() as i64;
    if last < first || last < today || days >= MAX_DAYS {
        return Err(bad());
    }
    let starts = day_start(first, tz)?;
    let ends = day_start(last.tomorrow().map_err(|_| bad())?, tz)?;
    store::set_delegation(tx, person, Some((delegate, starts, ends)), now)?;
    record(
        tx,
        actor,
        &Delegated {
            id: person,
            delegate: Some(delegate),
            from: Some(starts),
            until: Some(ends),
        },
    )?;
    of(tx, actor, instance_tz)
}

/// The actor's delegation, if they set one that has not ended.
pub fn of(c: &Connection, actor: &Actor, instance_tz: &TimeZone) -> Result<Option<Delegation>> {
    let person = me(actor)?;
    let Some((delegate, delegate_name, starts, ends)) = store::delegation(c, person)? else {
        return Ok(None);
    };
    if ends <= crate::util::now_ms() {
        return Ok(None);
    }
    let tz = &zone(c, person, instance_tz)?;
    let day = |ms: i64| -> String {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.to_zoned(tz.clone()).date().to_string())
            .unwrap_or_default()
    };
    Ok(Some(Delegation {
        delegate,
        delegate_name,
        from: day(starts),
        // The last day: the one before the instant it ends.
        until: day(ends - 1),
    }))
}
