//! The external account lifecycle: every external account has an internal
//! sponsor and an access end date. The sponsor is reminded by e-mail before
//! it ends and renews in one click; ending access (or reaching the date) ends
//! the person's sessions at once — pages, API tokens, everything.

use super::events;
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::Db;
use crate::i18n::{I18n, Tr};
use crate::mail::{self, Mail};
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::params;
use std::sync::Arc;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The sponsor of an external person, or an administrator.
fn require_sponsor_or_admin(actor: &Actor, person: &super::Person) -> Result<()> {
    if person.internal() {
        return Err(Error::invalid("person", "not-external"));
    }
    if person.erased {
        return Err(Error::Conflict("already-erased"));
    }
    access::require_sponsor(actor, &person.facts())
}

/// Extends an external person's access by their portal's access length,
/// counted from today or from the current end date, whichever is later.
pub async fn renew(db: &Db, actor: &Actor, person_id: i64) -> Result<i64> {
    renew_by(db, actor, person_id, None).await
}

/// The longest renewal one may ask for at once, in days.
pub const MAX_RENEW_DAYS: u32 = 3650;

/// Extends an external person's access by `days` (1 to 3650), counted from
/// today or from the current end date, whichever is later.
pub async fn renew_for(db: &Db, actor: &Actor, person_id: i64, days: u32) -> Result<i64> {
    if !(1..=MAX_RENEW_DAYS).contains(&days) {
        return Err(Error::invalid("days", "access-days-invalid"));
    }
    renew_by(db, actor, person_id, Some(days)).await
}

/// Renews by `days`, or by the person's portal's access length.
async fn renew_by(db: &Db, actor: &Actor, person_id: i64, days: Option<u32>) -> Result<i64> {
    let actor = *actor;
    let until = db
        .write(move |tx| {
            let person = super::store::by_id(tx, person_id, &crate::access::SqlFilter::everything())?.ok_or(Error::NotFound)?;
            require_sponsor_or_admin(&actor, &person)?;
            let days = match days {
                Some(d) => d,
                None => {
                    let portals = crate::portals::store::load_all(tx)?;
                    portals
                        .iter()
                        .find(|p| Some(p.id) == person.portal_id)
                        .or_else(|| portals.iter().find(|p| p.is_default))
                        .map_or(365, |p| p.external_access_days)
                }
            };
            let now = now_ms();
            let from = person.expires_at.unwrap_or(now).max(now);
            let until = from + i64::from(days) * DAY_MS;
            tx.execute(
                "UPDATE people SET expires_at = ?2, expiry_reminded_at = NULL, updated_at = ?3 WHERE id = ?1",
                params![person_id, until, now],
            )?;
            record(
                tx,
                &actor,
                &events::AccessRenewed {
                    id: person_id,
                    previous_end: person.expires_at,
                    new_end: until,
                },
            )?;
            Ok::<_, Error>(until)
        })
        .await?;
    crate::auth::session::sessions_changed();
    Ok(until)
}

/// Ends an external person's access now: the end date becomes now and every
/// session ends at once.
pub async fn end_access(db: &Db, actor: &Actor, person_id: i64) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let person = super::store::by_id(tx, person_id, &crate::access::SqlFilter::everything())?
            .ok_or(Error::NotFound)?;
        require_sponsor_or_admin(&actor, &person)?;
        let now = now_ms();
        tx.execute(
            "UPDATE people SET expires_at = ?2, updated_at = ?2 WHERE id = ?1",
            params![person_id, now],
        )?;
        let ended = crate::auth::session::store::delete_for_person(tx, person_id, None)?;
        record(
            tx,
            &actor,
            &events::AccessEnded {
                id: person_id,
                previous_end: person.expires_at,
                sessions_ended: ended,
            },
        )?;
        Ok::<_, Error>(())
    })
    .await?;
    crate::auth::session::sessions_changed();
    Ok(())
}

/// Mails each sponsor whose external person's access ends within `window`,
/// once per end date. Returns how many reminders were queued.
pub async fn send_reminders(
    db: &Db,
    i18n: &Arc<I18n>,
    config: &crate::config::Config,
    window: std::time::Duration,
) -> Result<usize> {
    let i18n = i18n.clone();
    let config = config.clone();
    let window = window.as_millis() as i64;
    db.write(move |tx| {
        let now = now_ms();
        let mut st = tx.prepare(
            "SELECT p.id, p.display_name, p.expires_at, o.name, s.email, s.display_name, s.locale
             FROM people p
             JOIN organizations o ON o.id = p.org_id
             JOIN people s ON s.id = p.sponsor_id
             WHERE o.kind <> 'host' AND p.status = 'active'
               AND p.expires_at > ?1 AND p.expires_at <= ?2
               AND p.expiry_reminded_at IS NULL AND s.status = 'active'",
        )?;
        let due = st
            .query_map(params![now, now + window], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<crate::service::Locale>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let portals = crate::portals::store::load_all(tx)?;
        let intranet = portals.iter().find(|p| p.is_default);
        let base = config.public_url_for(
            intranet
                .and_then(|p| p.hostnames.first())
                .map(String::as_str),
        );
        let fallback = intranet.map(|p| p.default_locale).unwrap_or_default();
        for (id, name, ends, org, sponsor_email, sponsor_name, locale) in &due {
            let locale = locale.unwrap_or(fallback);
            let tr = Tr::new(i18n.clone(), locale);
            let date = crate::i18n::time::format_date(*ends, locale, &config.time_zone());
            mail::enqueue(
                tx,
                &Mail {
                    to: sponsor_email.clone(),
                    to_name: sponsor_name.clone(),
                    subject: tr.t2(
                        "mail-expiry-subject",
                        ("name", name.clone()),
                        ("date", date.clone()),
                    ),
                    text: tr.format(
                        "mail-expiry-body",
                        &[
                            (
                                "sponsor",
                                sponsor_name
                                    .split_whitespace()
                                    .next()
                                    .unwrap_or("")
                                    .to_string()
                                    .into(),
                            ),
                            ("name", name.clone().into()),
                            ("org", org.clone().into()),
                            ("date", date.into()),
                            ("link", format!("{base}/people/{id}#access").into()),
                        ],
                    ),
                    unsubscribe: None,
                    reply_to: None,
                },
            )?;
            tx.execute(
                "UPDATE people SET expiry_reminded_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            record(
                tx,
                &Actor::system(),
                &events::AccessReminded {
                    id: *id,
                    access_ends: *ends,
                },
            )?;
        }
        Ok::<_, Error>(due.len())
    })
    .await
}
