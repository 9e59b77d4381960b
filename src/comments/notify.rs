//! Whom comments concern: the item's writer and everyone who commented on
//! it before, and the people a comment mentions.

use super::model::On;
use crate::content::{Concerned, Happened, KINDS, Notify, Reason, Topic, find};
use crate::service::Result;
use rusqlite::Connection;

pub const NOTIFY: Notify = Notify {
    reasons: &[
        Reason {
            name: "comment",
            topic: Topic::Comments,
        },
        Reason {
            name: "mention",
            topic: Topic::Mentions,
        },
    ],
    who,
    reply: None,
};

fn mentioned(h: &Happened) -> Vec<i64> {
    h.detail["mentions"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
        .unwrap_or_default()
}

/// The item's writer (as its search entry names them) and the earlier
/// commenters.
fn followers(c: &Connection, on: &On) -> Result<Vec<i64>> {
    let mut people = super::store::commenters(c, &on.kind, on.id)?;
    let writer = match find(KINDS, &on.kind).and_then(|k| k.search) {
        Some(source) => (source.load)(c, on.id)?.and_then(|e| e.author),
        None => None,
    };
    people.extend(writer);
    people.sort_unstable();
    people.dedup();
    Ok(people)
}

fn who(c: &Connection, h: &Happened) -> Result<Concerned> {
    let named = mentioned(h);
    let mut out: Concerned = named.iter().map(|p| (*p, "mention")).collect();
    if h.action == "comment.create"
        && let Some(on) = h.detail["on"].as_str().and_then(|s| On::parse(s).ok())
    {
        out.extend(
            followers(c, &on)?
                .into_iter()
                .filter(|p| !named.contains(p))
                .map(|p| (p, "comment")),
        );
    }
    Ok(out)
}
