//! How each person is told. Per topic: in the application only, or by
//! e-mail too, at once or as a daily or weekly digest. Per space: follow,
//! mentions only, or mute. A person who chose nothing has the defaults:
//! what is addressed to them alone (mentions, announcements to acknowledge,
//! a space opened to them) by e-mail at once, the rest in the application.

use crate::access::{self, Principal};
use crate::content::Topic;
use jiff::ToSpan;
use rusqlite::{Connection, OptionalExtension, params};

/// How notifications of a topic reach their reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// In the application only.
    App,
    /// In the application, and by e-mail as soon as they are written.
    Immediately,
    /// In the application, and by e-mail in one digest a day.
    Daily,
    /// In the application, and by e-mail in one digest a week.
    Weekly,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [
        Delivery::App,
        Delivery::Immediately,
        Delivery::Daily,
        Delivery::Weekly,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Delivery::App => "app",
            Delivery::Immediately => "immediately",
            Delivery::Daily => "daily",
            Delivery::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.name() == s)
    }

    /// What a person who chose nothing gets.
    pub fn default_for(topic: Topic) -> Delivery {
        match topic {
            Topic::Mentions
            | Topic::Acknowledgements
            | Topic::Spaces
            | Topic::Requests
            | Topic::Approvals => Delivery::Immediately,
            Topic::Replies
            | Topic::Comments
            | Topic::Discussions
            | Topic::News
            | Topic::Documents => Delivery::App,
        }
    }
}

/// How much of a space's notifications reach a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Follow,
    Mentions,
    Mute,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Follow, Level::Mentions, Level::Mute];

    pub fn name(self) -> &'static str {
        match self {
            Level::Follow => "follow",
            Level::Mentions => "mentions",
            Level::Mute => "mute",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == s)
    }

    /// Whether a notification of `topic` from a space at this level reaches
    /// its reader. An announcement to acknowledge always does: reading it
    /// is not a matter of taste.
    pub fn passes(self, topic: Topic) -> bool {
        match self {
            Level::Follow => true,
            // What is addressed to the reader: their requests and the
            // approvals they are asked for among it.
            Level::Mentions => matches!(
                topic,
                Topic::Mentions | Topic::Acknowledgements | Topic::Requests | Topic::Approvals
            ),
            Level::Mute => topic == Topic::Acknowledgements,
        }
    }
}

/// A person's delivery for `topic`.
pub fn delivery(c: &Connection, person: i64, topic: Topic) -> rusqlite::Result<Delivery> {
    let chosen: Option<String> = c
        .prepare_cached(
            "SELECT delivery FROM notification_topic_prefs WHERE person_id = ?1 AND topic = ?2",
        )?
        .query_row(params![person, topic.name()], |r| r.get(0))
        .optional()?;
    Ok(chosen
        .as_deref()
        .and_then(Delivery::parse)
        .unwrap_or(Delivery::default_for(topic)))
}

/// A person's level for a space.
pub fn level(c: &Connection, person: i64, space: i64) -> rusqlite::Result<Level> {
    let chosen: Option<String> = c
        .prepare_cached(
            "SELECT level FROM notification_space_prefs WHERE person_id = ?1 AND space_id = ?2",
        )?
        .query_row(params![person, space], |r| r.get(0))
        .optional()?;
    Ok(chosen
        .as_deref()
        .and_then(Level::parse)
        .unwrap_or(Level::Follow))
}

/// Records a delivery; the default is stored as no choice, so that a
/// better default reaches those who never chose.
pub fn set_delivery(
    c: &Connection,
    person: i64,
    topic: Topic,
    d: Delivery,
) -> rusqlite::Result<()> {
    if d == Delivery::default_for(topic) {
        c.execute(
            "DELETE FROM notification_topic_prefs WHERE person_id = ?1 AND topic = ?2",
            params![person, topic.name()],
        )?;
    } else {
        c.execute(
            "INSERT INTO notification_topic_prefs (person_id, topic, delivery) VALUES (?1, ?2, ?3)
             ON CONFLICT (person_id, topic) DO UPDATE SET delivery = excluded.delivery",
            params![person, topic.name(), d.name()],
        )?;
    }
    Ok(())
}

pub fn set_level(c: &Connection, person: i64, space: i64, l: Level) -> rusqlite::Result<()> {
    if l == Level::Follow {
        c.execute(
            "DELETE FROM notification_space_prefs WHERE person_id = ?1 AND space_id = ?2",
            params![person, space],
        )?;
    } else {
        c.execute(
            "INSERT INTO notification_space_prefs (person_id, space_id, level) VALUES (?1, ?2, ?3)
             ON CONFLICT (person_id, space_id) DO UPDATE SET level = excluded.level",
            params![person, space, l.name()],
        )?;
    }
    Ok(())
}

/// A space whose notifications a person chooses, with their level.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SpaceLevel {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub level: Level,
}

/// The spaces whose notifications `p` chooses, by name.
pub fn spaces(c: &Connection, p: &Principal) -> rusqlite::Result<Vec<SpaceLevel>> {
    let filter = access::notified_spaces_filter(p, "s");
    let sql = format!(
        "SELECT s.id, s.slug, s.name, nsp.level FROM spaces s
         LEFT JOIN notification_space_prefs nsp ON nsp.space_id = s.id AND nsp.person_id = :me
         WHERE {} ORDER BY s.name COLLATE NOCASE, s.id LIMIT 1000",
        filter.sql
    );
    let mut named = filter.named();
    named.push((":me", &p.person_id));
    c.prepare_cached(&sql)?
        .query_map(named.as_slice(), |r| {
            Ok(SpaceLevel {
                id: r.get(0)?,
                slug: r.get(1)?,
                name: r.get(2)?,
                level: r
                    .get::<_, Option<String>>(3)?
                    .as_deref()
                    .and_then(Level::parse)
                    .unwrap_or(Level::Follow),
            })
        })?
        .collect()
}

/// The hour of the day digests leave, in the instance's time zone.
pub const DIGEST_HOUR: i8 = 7;

/// When a notification written at `now` (ms) for a reader who chose `d`
/// is to be e-mailed: at once, at the next digest hour, or on the next
/// Monday at that hour; never in the application only.
pub fn mail_due(d: Delivery, now: i64, tz: &jiff::tz::TimeZone) -> Option<i64> {
    let next = |weekly: bool| -> Option<i64> {
        let at = jiff::Timestamp::from_millisecond(now).ok()?;
        let today = at.to_zoned(tz.clone()).date();
        let mut day = today;
        loop {
            let candidate = day.at(DIGEST_HOUR, 0, 0, 0).to_zoned(tz.clone()).ok()?;
            let monday = day.weekday() == jiff::civil::Weekday::Monday;
            if candidate.timestamp() > at && (!weekly || monday) {
                return Some(candidate.timestamp().as_millisecond());
            }
            day = day.checked_add(1.day()).ok()?;
            if day > today.checked_add(8.days()).ok()? {
                return None;
            }
        }
    };
    match d {
        Delivery::App => None,
        Delivery::Immediately => Some(now),
        Delivery::Daily => next(false),
        Delivery::Weekly => next(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::local_ms as ms;

    #[test]
    fn digests_leave_at_the_next_digest_hour_in_the_instance_time_zone() {
        let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        // Friday 4 December 2026.
        let friday_morning = ms("2026-12-04T06:59:59", &paris);
        let friday_noon = ms("2026-12-04T12:00", &paris);
        assert_eq!(mail_due(Delivery::App, friday_noon, &paris), None);
        assert_eq!(
            mail_due(Delivery::Immediately, friday_noon, &paris),
            Some(friday_noon)
        );
        assert_eq!(
            mail_due(Delivery::Daily, friday_morning, &paris),
            Some(ms("2026-12-04T07:00", &paris))
        );
        assert_eq!(
            mail_due(Delivery::Daily, friday_noon, &paris),
            Some(ms("2026-12-05T07:00", &paris))
        );
        assert_eq!(
            mail_due(Delivery::Weekly, friday_noon, &paris),
            Some(ms("2026-12-07T07:00", &paris))
        );
        // On Monday at the digest hour exactly, the digest of this week has left.
        let monday = ms("2026-12-07T07:00", &paris);
        assert_eq!(
            mail_due(Delivery::Weekly, monday, &paris),
            Some(ms("2026-12-14T07:00", &paris))
        );
        // Across the change to summer time, still 07:00 on the wall clock.
        let saturday = ms("2027-03-27T20:00", &paris);
        assert_eq!(
            mail_due(Delivery::Daily, saturday, &paris),
            Some(ms("2027-03-28T07:00", &paris))
        );
        assert_eq!(
            ms("2027-03-28T07:00", &paris) - ms("2027-03-27T07:00", &paris),
            23 * 3_600_000
        );
    }

    #[test]
    fn every_choice_reads_well_in_both_languages() {
        let i18n = crate::i18n::I18n::load().unwrap();
        let mut keys = Vec::new();
        for t in Topic::ALL {
            keys.push(format!("notification-topic-{}", t.name()));
            keys.push(format!("notification-topic-{}-help", t.name()));
        }
        keys.extend(Delivery::ALL.map(|d| format!("notification-delivery-{}", d.name())));
        keys.extend(Level::ALL.map(|l| format!("notification-level-{}", l.name())));
        for key in keys {
            for locale in [crate::service::Locale::En, crate::service::Locale::Fr] {
                assert!(i18n.has(locale, &key), "{key} is not translated");
            }
        }
    }

    #[test]
    fn a_muted_space_still_asks_for_acknowledgements() {
        for topic in Topic::ALL {
            assert!(Level::Follow.passes(topic));
            assert_eq!(Level::Mute.passes(topic), topic == Topic::Acknowledgements);
        }
        assert!(Level::Mentions.passes(Topic::Mentions));
        assert!(!Level::Mentions.passes(Topic::News));
    }

    #[test]
    fn the_default_is_stored_as_no_choice() {
        let (_dir, c) = crate::content::tests::schema();
        c.execute_batch(
            "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at) VALUES (1, 'host', 'Host', 'host', 0, 0);
             INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
               VALUES (1, 1, 'a@example.org', 'A', 0, 0);",
        )
        .unwrap();
        assert_eq!(delivery(&c, 1, Topic::News).unwrap(), Delivery::App);
        set_delivery(&c, 1, Topic::News, Delivery::Weekly).unwrap();
        assert_eq!(delivery(&c, 1, Topic::News).unwrap(), Delivery::Weekly);
        set_delivery(&c, 1, Topic::News, Delivery::App).unwrap();
        let rows: i64 = c
            .query_row("SELECT count(*) FROM notification_topic_prefs", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(rows, 0);
    }
}
