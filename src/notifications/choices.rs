//! What a person chose about being told: read, changed (all at once or
//! nothing), and stopped from an e-mail's unsubscribe link.

use super::links;
use super::prefs::{self, Delivery, Level, SpaceLevel};
use crate::access::Principal;
use crate::content::{ContentKind, Topic};
use crate::db::Db;
use crate::service::{Error, Result};
use rusqlite::OptionalExtension;

/// A person's choices: a delivery for each topic this instance notifies of,
/// a level for each space they belong to or chose for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Choices {
    pub topics: Vec<TopicDelivery>,
    pub spaces: Vec<SpaceLevel>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TopicDelivery {
    pub topic: &'static str,
    pub delivery: Delivery,
    /// What it is for someone who never chose.
    pub default: Delivery,
}

/// The topics some kind of this instance notifies of, in their order.
pub fn offered(kinds: &[&'static ContentKind]) -> Vec<Topic> {
    let mut topics: Vec<Topic> = kinds
        .iter()
        .flat_map(|k| k.notify.reasons.iter().map(|r| r.topic))
        .collect();
    topics.sort();
    topics.dedup();
    topics
}

fn read(
    c: &rusqlite::Connection,
    kinds: &[&'static ContentKind],
    p: &Principal,
) -> Result<Choices> {
    let mut topics = Vec::new();
    for topic in offered(kinds) {
        topics.push(TopicDelivery {
            topic: topic.name(),
            delivery: prefs::delivery(c, p.person_id, topic)?,
            default: Delivery::default_for(topic),
        });
    }
    Ok(Choices {
        topics,
        spaces: prefs::spaces(c, p)?,
    })
}

pub async fn choices(
    db: &Db,
    kinds: &'static [&'static ContentKind],
    p: &Principal,
) -> Result<Choices> {
    let p = *p;
    db.read(move |c| read(c, kinds, &p)).await
}

/// Changes to make; what is not named stays.
#[derive(Debug, Default)]
pub struct Change {
    pub topics: Vec<(String, String)>,
    pub spaces: Vec<(i64, String)>,
    /// A form sent from a page: a space that became invisible since the
    /// page was shown is passed over, not a reason to refuse the rest.
    pub skip_unseen_spaces: bool,
}

/// Applies every change or none: an unknown topic, delivery or level is
/// refused, and so is a space the person may not choose for (as missing).
pub async fn change(
    db: &Db,
    kinds: &'static [&'static ContentKind],
    p: &Principal,
    change: Change,
    tz: jiff::tz::TimeZone,
) -> Result<Choices> {
    let offered = offered(kinds);
    let mut topics = Vec::new();
    for (topic, delivery) in &change.topics {
        let topic = Topic::parse(topic)
            .filter(|t| offered.contains(t))
            .ok_or(Error::invalid("topic", "notification-topic-invalid"))?;
        let delivery = Delivery::parse(delivery)
            .ok_or(Error::invalid("delivery", "notification-delivery-invalid"))?;
        topics.push((topic, delivery));
    }
    let mut spaces = Vec::new();
    for (space, level) in &change.spaces {
        let level =
            Level::parse(level).ok_or(Error::invalid("level", "notification-level-invalid"))?;
        spaces.push((*space, level));
    }
    let p = *p;
    let skip_unseen = change.skip_unseen_spaces;
    db.write(move |tx| {
        for (space, level) in &spaces {
            // Each space on its own: one the person no longer sees is
            // missing, whatever the length of their list.
            if !crate::access::seen::notified_space(tx, &p, *space)? {
                if skip_unseen {
                    continue;
                }
                return Err(Error::NotFound);
            }
            prefs::set_level(tx, p.person_id, *space, *level)?;
        }
        let now = crate::util::now_ms();
        for (topic, delivery) in &topics {
            set_delivery(tx, kinds, p.person_id, *topic, *delivery, now, &tz)?;
        }
        read(tx, kinds, &p)
    })
    .await
}

/// Records a delivery and moves what waits to be e-mailed under that topic
/// to the new one: at once, to the next digest, or dropped for the
/// application only.
fn set_delivery(
    tx: &rusqlite::Connection,
    kinds: &[&'static ContentKind],
    person: i64,
    topic: Topic,
    delivery: Delivery,
    now: i64,
    tz: &jiff::tz::TimeZone,
) -> Result<()> {
    prefs::set_delivery(tx, person, topic, delivery)?;
    let due = prefs::mail_due(delivery, now, tz);
    for kind in kinds {
        for reason in kind.notify.reasons.iter().filter(|r| r.topic == topic) {
            tx.prepare_cached(
                "UPDATE notifications SET mail_due_at = ?4
                 WHERE person_id = ?1 AND target_type = ?2 AND reason = ?3
                   AND mail_due_at IS NOT NULL",
            )?
            .execute(rusqlite::params![person, kind.name, reason.name, due])?;
        }
    }
    Ok(())
}

/// Whom and what an unsubscribe link stops, if it is a valid one: the
/// topic and the (partly hidden) address, for the page that asks.
pub async fn unsubscribe_target(db: &Db, token: String) -> Result<Option<(Topic, String)>> {
    db.read(move |c| {
        let Some((person, topic)) = links::verify(c, &token)? else {
            return Ok(None);
        };
        let email: Option<String> = c
            .prepare_cached("SELECT email FROM people WHERE id = ?1")?
            .query_row([person], |r| r.get(0))
            .optional()?;
        Ok(email.map(|e| (topic, mask(&e))))
    })
    .await
}

/// Stops the e-mails of a link's topic (they stay in the application);
/// the topic, or `None` for a link that is not valid.
pub async fn unsubscribe(
    db: &Db,
    kinds: &'static [&'static ContentKind],
    token: String,
) -> Result<Option<Topic>> {
    db.write(move |tx| {
        let Some((person, topic)) = links::verify(tx, &token)? else {
            return Ok(None);
        };
        let exists: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)")?
            .query_row([person], |r| r.get(0))?;
        if !exists {
            return Ok(None);
        }
        let utc = jiff::tz::TimeZone::UTC;
        set_delivery(tx, kinds, person, topic, Delivery::App, 0, &utc)?;
        Ok(Some(topic))
    })
    .await
}

/// `j…@example.org`: enough for its owner to recognise, little for anyone else.
fn mask(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".to_string(),
    }
}
