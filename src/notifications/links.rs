//! One-click unsubscribe links: `{person}.{topic}.{mac}`, signed with the
//! instance's own key, so that a link stops one topic's e-mails for one
//! person and cannot be forged for another. The key is made on first use
//! and never leaves the instance. The person's creation time is signed too:
//! a deleted person's id may be given again, and their old links must not
//! speak for the newcomer.

use crate::content::Topic;
use rusqlite::{Connection, OptionalExtension};

const CONTEXT: &str = "parvis 2026 notification unsubscribe link";

fn mac(key: &str, person: i64, born: i64, topic: Topic) -> String {
    let key = blake3::derive_key(CONTEXT, key.as_bytes());
    let signed = format!("{person}:{born}:{}", topic.name());
    blake3::keyed_hash(&key, signed.as_bytes()).to_hex()[..32].to_string()
}

fn born(c: &Connection, person: i64) -> rusqlite::Result<Option<i64>> {
    c.prepare_cached("SELECT created_at FROM people WHERE id = ?1")?
        .query_row([person], |r| r.get(0))
        .optional()
}

/// The instance's key for what its e-mails sign (links, reply
/// addresses), made on first use.
pub fn instance_key(c: &Connection) -> rusqlite::Result<String> {
    c.prepare_cached("INSERT OR IGNORE INTO mail_link_key (id, key) VALUES (1, ?1)")?
        .execute([crate::util::random_token(32)])?;
    c.prepare_cached("SELECT key FROM mail_link_key WHERE id = 1")?
        .query_row([], |r| r.get(0))
}

/// The link's token for `person` and `topic`, making the key if needed.
pub fn token(c: &Connection, person: i64, topic: Topic) -> rusqlite::Result<String> {
    let key = instance_key(c)?;
    let born = born(c, person)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    Ok(format!(
        "{person}.{}.{}",
        topic.name(),
        mac(&key, person, born, topic)
    ))
}

/// The person and topic a token names, if it is one this instance signed.
pub fn verify(c: &Connection, token: &str) -> rusqlite::Result<Option<(i64, Topic)>> {
    let mut parts = token.splitn(3, '.');
    let (Some(person), Some(topic), Some(given)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    let (Ok(person), Some(topic)) = (person.parse::<i64>(), Topic::parse(topic)) else {
        return Ok(None);
    };
    let Some(key) = c
        .prepare_cached("SELECT key FROM mail_link_key WHERE id = 1")?
        .query_row([], |r| r.get::<_, String>(0))
        .optional()?
    else {
        return Ok(None);
    };
    let Some(born) = born(c, person)? else {
        return Ok(None);
    };
    let expected = mac(&key, person, born, topic);
    Ok(
        crate::util::constant_time_eq(expected.as_bytes(), given.as_bytes())
            .then_some((person, topic)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_one_person_and_one_topic_and_cannot_be_forged() {
        let (_dir, c) = crate::content::tests::schema();
        let person = |id: i64, born: i64| {
            c.execute(
                "INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
                 VALUES (?1, 1, ?1 || '@example.org', 'P', ?2, ?2)",
                [id, born],
            )
            .unwrap()
        };
        c.execute(
            "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
             VALUES (1, 'host', 'Host', 'host', 0, 0)",
            [],
        )
        .unwrap();
        person(7, 100);
        person(8, 100);
        assert_eq!(verify(&c, "1.news.00").unwrap(), None, "no key yet");
        let t = token(&c, 7, Topic::News).unwrap();
        assert_eq!(token(&c, 7, Topic::News).unwrap(), t, "stable");
        assert_eq!(verify(&c, &t).unwrap(), Some((7, Topic::News)));
        let (_, mac) = t.rsplit_once('.').unwrap();
        for forged in [
            format!("8.news.{mac}"),
            format!("7.mentions.{mac}"),
            format!("7.news.{}", &mac[..31]),
            format!("7.news.{mac}0"),
            "7.news".to_string(),
            "x.news.abc".to_string(),
            String::new(),
            "7.nonsense.abc".to_string(),
        ] {
            assert_eq!(verify(&c, &forged).unwrap(), None, "{forged}");
        }
        // The person leaves and someone new is given the same id.
        c.execute("DELETE FROM people WHERE id = 7", []).unwrap();
        assert_eq!(verify(&c, &t).unwrap(), None, "nobody by that id");
        person(7, 200);
        assert_eq!(
            verify(&c, &t).unwrap(),
            None,
            "the newcomer is not unsubscribed"
        );
        assert_ne!(token(&c, 7, Topic::News).unwrap(), t);
    }
}
