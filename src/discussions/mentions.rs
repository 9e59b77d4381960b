//! Mentions: whom a message names, who of them are told, and whom a
//! writer may mention.

use super::model::Writer;
use super::service::{Writers, me};
use crate::access::Actor;
use crate::access::discussions::{Act, require_forum, require_topic};
use crate::db::Db;
use crate::service::Result;
use rusqlite::Connection;

/// Sorts the people a message mentions: those who may read `topic` are
/// told (by the notifier, from the change's `mentions`); the others are
/// named back to the writer. Someone the writer may not know of is no
/// mention at all.
pub(super) fn sort_mentions(
    c: &Connection,
    actor: &Actor,
    topic: i64,
    ids: &[i64],
) -> Result<(Vec<i64>, Vec<Writer>)> {
    let mut w = Writers::new(actor);
    let (mut told, mut not_told) = (Vec::new(), Vec::new());
    for &id in ids {
        let writer = w.of(c, Some(id))?;
        if writer.name.is_none() || me(actor) == Some(id) {
            continue;
        }
        let reads = match crate::auth::principal_now(c, id)? {
            Some(p) => {
                crate::access::allows(require_topic(c, &Actor::person(p, None), topic, Act::Read))?
            }
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

/// Someone the writer may mention, and whether they may read the forum.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Suggestion {
    pub id: i64,
    pub name: String,
    /// Told if mentioned; `false`: they may not read this space.
    pub can_see: bool,
    /// What to write to mention them.
    pub markdown: String,
}

/// People whose name (any word of it) or e-mail address starts with `q`,
/// among those the writer may know of, for a message in `forum`.
pub async fn mention_suggestions(
    db: &Db,
    actor: &Actor,
    forum: i64,
    q: &str,
) -> Result<Vec<Suggestion>> {
    let q: String = q.trim().trim_start_matches('@').chars().take(40).collect();
    let filter = crate::access::filter_for(actor, crate::access::people_filter, "p")?;
    let actor = *actor;
    db.read(move |c| {
        require_forum(c, &actor, forum, Act::Read)?;
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let like = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
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
                Some(p) => crate::access::allows(require_forum(
                    c,
                    &Actor::person(p, None),
                    forum,
                    Act::Read,
                ))?,
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
    })
    .await
}
