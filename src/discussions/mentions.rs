//! Mentions in discussions: told when they may read the topic; suggested
//! with whether they may read the forum.

use crate::access::discussions::{Act, require_forum, require_topic};
use crate::access::{Actor, allows};
use crate::db::Db;
use crate::service::Result;
use crate::talk::{self, Suggestion, Writer};
use rusqlite::Connection;

/// Those of `ids` who may read `topic` (told), and the others.
pub(super) fn sort_mentions(
    c: &Connection,
    actor: &Actor,
    topic: i64,
    ids: &[i64],
) -> Result<(Vec<i64>, Vec<Writer>)> {
    talk::sort_mentions(c, actor, ids, &|c, p| {
        allows(require_topic(c, &Actor::person(*p, None), topic, Act::Read))
    })
}

/// People the writer may mention in `forum`, whose name or address starts
/// with `q`.
pub async fn mention_suggestions(
    db: &Db,
    actor: &Actor,
    forum: i64,
    q: &str,
) -> Result<Vec<Suggestion>> {
    let actor = *actor;
    let q = q.to_string();
    db.read(move |c| {
        require_forum(c, &actor, forum, Act::Read)?;
        talk::suggestions(c, &actor, &q, &|c, p| {
            allows(require_forum(c, &Actor::person(*p, None), forum, Act::Read))
        })
    })
    .await
}
