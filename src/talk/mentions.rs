//! Mentions: `@[Name](mention:id)` in a message. Those named who may read
//! the message are told (by the notifier, from the change's `mentions`);
//! the others are named back to the writer; someone the writer may not
//! know of is no mention at all.

use super::writers::{Writer, Writers, me};
use crate::access::{Actor, Principal};
use crate::service::{Error, Result};
use rusqlite::Connection;

/// People one message may mention: more is refused, so that a message
/// cannot page a whole organization.
pub const MAX_MENTIONS: usize = 20;

/// Whether a person may read what the message is in.
pub type MayRead<'a> = &'a dyn Fn(&Connection, &Principal) -> Result<bool>;

/// The people `body` mentions, refused beyond `MAX_MENTIONS` (`key` is the
/// translation of the refusal).
pub fn mentioned(body: &str, key: &'static str) -> Result<Vec<i64>> {
    let ids = crate::text::markdown::mentions(body);
    if ids.len() > MAX_MENTIONS {
        return Err(Error::invalid("body", key));
    }
    Ok(ids)
}

/// Sorts the people a message mentions into those told (they may read it)
/// and those named back to the writer.
pub fn sort_mentions(
    c: &Connection,
    actor: &Actor,
    ids: &[i64],
    may_read: MayRead<'_>,
) -> Result<(Vec<i64>, Vec<Writer>)> {
    let mut w = Writers::new(actor);
    let (mut told, mut not_told) = (Vec::new(), Vec::new());
    for &id in ids {
        let writer = w.of(c, Some(id))?;
        if writer.name.is_none() || me(actor) == Some(id) {
            continue;
        }
        let reads = match crate::auth::principal_now(c, id)? {
            Some(p) => may_read(c, &p)?,
            None => false,
        };
        if reads {
            told.push(id);
        } else {
            not_told.push(writer);
        }
    }
    Ok((told, not_told))
}

/// Someone the writer may mention, and whether they may read the place.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Suggestion {
    pub id: i64,
    pub name: String,
    /// Told if mentioned; `false`: they may not read it.
    pub can_see: bool,
    /// What to write to mention them.
    pub markdown: String,
}

/// People whose name (any word of it) or e-mail address starts with `q`,
/// among those the writer may know of.
pub fn suggestions(
    c: &Connection,
    actor: &Actor,
    q: &str,
    may_read: MayRead<'_>,
) -> Result<Vec<Suggestion>> {
    let q: String = q.trim().trim_start_matches('@').chars().take(40).collect();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let filter = crate::access::filter_for(actor, crate::access::people_filter, "p")?;
    let like = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let sql = format!(
        "SELECT p.id, p.display_name FROM people p
         WHERE {} AND p.status = 'active'
           AND (p.display_name LIKE :q || '%' ESCAPE '\\' OR p.display_name LIKE '% ' || :q || '%' ESCAPE '\\'
                OR p.email LIKE :q || '%' ESCAPE '\\')
         ORDER BY p.display_name COLLATE NOCASE LIMIT 8",
        filter.sql
    );
    let mut named = filter.named();
    named.push((":q", &like));
    let people: Vec<(i64, String)> = c
        .prepare(&sql)?
        .query_map(named.as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(people.len());
    for (id, name) in people {
        let can_see = match crate::auth::principal_now(c, id)? {
            Some(p) => may_read(c, &p)?,
            None => false,
        };
        // Brackets would end the mention's text early.
        let label = name.replace(['[', ']'], "");
        out.push(Suggestion {
            markdown: format!("@[{label}](mention:{id})"),
            id,
            name,
            can_see,
        });
    }
    Ok(out)
}
