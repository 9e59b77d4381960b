//! The notification mailer: e-mails what each person chose to receive by
//! e-mail, when it is due — at once, or gathered in a daily or weekly
//! digest. One e-mail per person and topic, so that its one-click
//! unsubscribe link stops exactly that. Each row is asked again, as it is
//! mailed, whether its reader may still see what it names: a mail never
//! names what its reader may no longer see. The mail goes to the outbox and
//! the rows are marked mailed in one transaction, so a crash or a full disk
//! sends nothing twice and loses nothing.

use super::links;
use super::prefs;
use super::service::{self, Shown};
use super::store::Row;
use crate::app::AppState;
use crate::content::{ContentKind, Topic, find};
use crate::i18n::Tr;
use crate::mail::{self, Mail};
use crate::service::{Locale, Result};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// People mailed per transaction.
const PEOPLE_PER_STEP: u32 = 50;
/// Notifications named in one e-mail at most (a digest says how many more).
const LISTED: usize = 50;
/// Rows looked at per person and step: a person told of 50,000 things at
/// once gets an e-mail naming the latest and pointing to the rest, not a
/// transaction that reads them all.
const READ_PER_PERSON: u32 = 1000;

/// Runs until the server stops: woken by the notifier when it wrote rows
/// (`wake`), and each 30 s for digests that came due.
pub async fn run(state: AppState, wake: Arc<tokio::sync::Notify>) {
    let mut wait = Duration::from_millis(500);
    loop {
        match step(&state, crate::util::now_ms()).await {
            Ok(n) if n == PEOPLE_PER_STEP as usize => continue,
            Ok(_) => wait = Duration::from_millis(500),
            Err(e) => {
                tracing::warn!(error = %e, "notification e-mails wait; trying again");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(30));
                continue;
            }
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(30)) => {}
        }
    }
}

/// E-mails what is due at `now` for up to `PEOPLE_PER_STEP` people; how
/// many people it looked at.
pub async fn step(state: &AppState, now: i64) -> Result<usize> {
    // Most wakes find nothing due: look before taking the write lock.
    let due: bool = state
        .db
        .read(move |c| -> Result<bool> {
            Ok(c.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM notifications
                 WHERE mail_due_at IS NOT NULL AND mail_due_at <= ?1)",
            )?
            .query_row([now], |r| r.get(0))?)
        })
        .await?;
    if !due {
        return Ok(0);
    }
    let state = state.clone();
    let db = state.db.clone();
    db.write(move |tx| {
        let people: Vec<i64> = tx
            .prepare_cached(
                "SELECT DISTINCT person_id FROM notifications
                 WHERE mail_due_at IS NOT NULL AND mail_due_at <= ?1 LIMIT ?2",
            )?
            .query_map(params![now, PEOPLE_PER_STEP], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if people.is_empty() {
            return Ok(0);
        }
        let portals = crate::portals::store::load_all(tx)?;
        for &person in &people {
            let (mails, oldest) = mails_for(tx, &state, &portals, person, now)?;
            for mail in mails {
                mail::enqueue(tx, &mail)?;
            }
            // What was looked at, and what was read in the meantime, is
            // done; older unread rows beyond the step's share stay due and
            // leave in the next step.
            tx.prepare_cached(
                "UPDATE notifications SET mail_due_at = NULL
                 WHERE person_id = ?1 AND mail_due_at IS NOT NULL AND mail_due_at <= ?2
                   AND (read_at IS NOT NULL OR id >= ?3)",
            )?
            .execute(params![person, now, oldest])?;
        }
        Ok(people.len())
    })
    .await
}

/// Notifications due to be e-mailed before `now`: how many, and how long
/// the oldest has waited (`None` when none is due).
pub fn overdue(c: &Connection, now: i64) -> rusqlite::Result<Option<(i64, i64)>> {
    c.query_row(
        "SELECT count(*), min(mail_due_at) FROM notifications
         WHERE mail_due_at IS NOT NULL AND mail_due_at <= ?1",
        [now],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)),
    )
    .map(|(n, oldest)| oldest.map(|o| (n, now - o)))
}

/// The person an e-mail goes to.
struct Recipient {
    email: String,
    name: String,
    locale: Option<Locale>,
    principal: crate::access::Principal,
}

fn recipient(c: &Connection, person: i64) -> Result<Option<Recipient>> {
    let Some(principal) = crate::auth::principal_now(c, person)? else {
        return Ok(None);
    };
    // Someone invited who has not opened their account is told by the
    // invitation itself (or by a new one, once it expired); their e-mails
    // start once they have signed up.
    if !signed_up(c, person)? {
        return Ok(None);
    }
    let row = c
        .prepare_cached("SELECT email, display_name, locale FROM people WHERE id = ?1")?
        .query_row([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(row.map(|(email, name, locale)| Recipient {
        email,
        name,
        locale,
        principal,
    }))
}

/// Whether `person` opened their account: a password, a passkey or a
/// session (single sign-on leaves one). An unused invitation, even an expired one, is
/// not an account opened.
fn signed_up(c: &Connection, person: i64) -> rusqlite::Result<bool> {
    c.prepare_cached(
        "SELECT NOT EXISTS (SELECT 1 FROM one_time_tokens
                            WHERE person_id = ?1 AND purpose = 'invite' AND used_at IS NULL)
             OR EXISTS (SELECT 1 FROM people WHERE id = ?1 AND password_hash IS NOT NULL)
             OR EXISTS (SELECT 1 FROM webauthn_credentials WHERE person_id = ?1)
             OR EXISTS (SELECT 1 FROM sessions WHERE person_id = ?1)",
    )?
    .query_row([person], |r| r.get(0))
}

/// The e-mails due for `person`: one per topic with something they may
/// still see and have not read yet; and the oldest row looked at (those
/// older wait for the next step).
fn mails_for(
    c: &Connection,
    state: &AppState,
    portals: &[crate::portals::Portal],
    person: i64,
    now: i64,
) -> Result<(Vec<Mail>, i64)> {
    // A disabled or expired account is not written to, nor one not opened
    // yet; their rows are cleared.
    let Some(to) = recipient(c, person)? else {
        return Ok((Vec::new(), i64::MIN));
    };
    let p = to.principal;
    let rows: Vec<Row> = c
        .prepare_cached(
            "SELECT id, reason, target_type, target_id, actor_id, created_at, read_at
             FROM notifications
             WHERE person_id = ?1 AND mail_due_at IS NOT NULL AND mail_due_at <= ?2
               AND read_at IS NULL
             ORDER BY id DESC LIMIT ?3",
        )?
        .query_map(params![person, now, READ_PER_PERSON], super::store::row)?
        .collect::<rusqlite::Result<_>>()?;
    let oldest = if rows.len() < READ_PER_PERSON as usize {
        i64::MIN
    } else {
        rows.last().map_or(i64::MIN, |r| r.id)
    };
    let mut by_topic: BTreeMap<Topic, Vec<Shown>> = BTreeMap::new();
    for row in rows {
        let Some(topic) = topic_of(state.kinds, &row) else {
            continue;
        };
        let Some(shown) = service::shown(c, state.kinds, &p, row)? else {
            continue;
        };
        // A space muted since the row was written is muted for its mail.
        if let Some(space) = shown.space
            && !prefs::level(c, person, space)?.passes(topic)
        {
            continue;
        }
        by_topic.entry(topic).or_default().push(shown);
    }
    for items in by_topic.values_mut() {
        items.reverse();
    }
    if by_topic.is_empty() {
        return Ok((Vec::new(), oldest));
    }
    // Links open the portal the person signs in to.
    let portal = portals
        .iter()
        .filter(|x| !x.is_default)
        .find(|x| !p.internal && x.admits(p.org_id, p.org_kind))
        .or_else(|| portals.iter().find(|x| x.is_default));
    let base = state
        .config
        .public_url_for(portal.and_then(|x| x.hostnames.first()).map(String::as_str));
    let locale = to
        .locale
        .or(portal.map(|x| x.default_locale))
        .unwrap_or_default();
    let tr = Tr::new(state.i18n.clone(), locale);
    let mut mails = Vec::new();
    for (topic, items) in by_topic {
        let unsubscribe = format!("{base}/unsubscribe/{}", links::token(c, person, topic)?);
        let reply_to = reply_address(c, state, &items, person)?;
        let mut mail = compose(&tr, &to, topic, &items, &base, unsubscribe);
        if let Some(address) = reply_to {
            // Above the marker, the answer; below, what the reader quotes.
            mail.text = format!("{}\n\n{}", tr.t("notification-mail-reply-above"), mail.text);
            mail.reply_to = Some(address);
        }
        mails.push(mail);
    }
    Ok((mails, oldest))
}

/// The reply address of an e-mail about one item of a kind that takes
/// answers by e-mail, when replies are read.
fn reply_address(
    c: &Connection,
    state: &AppState,
    items: &[Shown],
    person: i64,
) -> Result<Option<String>> {
    let ([one], Some(mailbox)) = (items, state.config.inbound_mail.parts()) else {
        return Ok(None);
    };
    match find(state.kinds, one.kind).and_then(|k| k.notify.reply) {
        Some(reply) => reply(c, mailbox, one.item, person),
        None => Ok(None),
    }
}

fn topic_of(kinds: &[&'static ContentKind], row: &Row) -> Option<Topic> {
    find(kinds, &row.target_type)?.notify.topic_of(&row.reason)
}

fn compose(
    tr: &Tr,
    to: &Recipient,
    topic: Topic,
    items: &[Shown],
    base: &str,
    unsubscribe: String,
) -> Mail {
    let topic_name = tr
        .t(&format!("notification-topic-{}", topic.name()))
        .to_string();
    let subject = match items {
        [one] => service::sentence(tr, one),
        many => tr.t2(
            "notification-mail-subject",
            ("count", many.len()),
            ("topic", topic_name.clone()),
        ),
    };
    let mut text = tr.t1("notification-mail-hello", "name", to.name.clone());
    text.push_str("\n\n");
    for item in items.iter().take(LISTED) {
        text.push_str(&format!(
            "- {}\n  {base}{}\n\n",
            service::sentence(tr, item),
            item.url
        ));
    }
    if items.len() > LISTED {
        text.push_str(&tr.t1("notification-mail-more", "count", items.len() - LISTED));
        text.push_str(&format!("\n  {base}/notifications\n\n"));
    }
    text.push_str("-- \n");
    text.push_str(&tr.format(
        "notification-mail-footer",
        &[
            ("topic", topic_name.into()),
            (
                "preferences",
                format!("{base}/notifications/preferences").into(),
            ),
            ("unsubscribe", unsubscribe.clone().into()),
        ],
    ));
    text.push('\n');
    Mail {
        to: to.email.clone(),
        to_name: to.name.clone(),
        subject,
        text,
        unsubscribe: Some(unsubscribe),
        reply_to: None,
    }
}
