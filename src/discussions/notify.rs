//! Whom discussions concern: the members of a space when a topic starts
//! in it, a topic's followers when someone replies, an answer's writer when
//! it is accepted.

use super::store;
use crate::content::{Concerned, Happened, Notify, Reason, Topic};
use crate::service::Result;
use rusqlite::Connection;

const MENTION: Reason = Reason {
    name: "mention",
    topic: Topic::Mentions,
};

pub const TOPICS: Notify = Notify {
    reasons: &[
        Reason {
            name: "topic-new",
            topic: Topic::Discussions,
        },
        MENTION,
    ],
    who: topics,
    reply: None,
};

pub const REPLIES: Notify = Notify {
    reasons: &[
        MENTION,
        Reason {
            name: "topic-reply",
            topic: Topic::Replies,
        },
        Reason {
            name: "answer-accepted",
            topic: Topic::Replies,
        },
    ],
    who: replies,
    reply: None,
};

/// The people a space counts as members: named, through a group, or
/// through their organization (not everyone who may read an open space).
fn members(c: &Connection, space: i64) -> Result<Vec<i64>> {
    Ok(c
        .prepare_cached(
            "SELECT person_id FROM space_members WHERE space_id = ?1 AND person_id IS NOT NULL
             UNION SELECT gm.person_id FROM space_members sm JOIN group_members gm ON gm.group_id = sm.group_id
                   WHERE sm.space_id = ?1
             UNION SELECT p.id FROM space_members sm JOIN people p ON p.org_id = sm.org_id
                   WHERE sm.space_id = ?1",
        )?
        .query_map([space], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The people a change names as mentioned (the notifier keeps those who
/// may read it), each told once, as mentioned rather than for any other reason.
fn mentioned(h: &Happened) -> Vec<i64> {
    h.detail["mentions"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
        .unwrap_or_default()
}

fn with_mentions(h: &Happened, others: Vec<i64>, reason: &'static str) -> Concerned {
    let named = mentioned(h);
    let mut out: Concerned = named.iter().map(|p| (*p, "mention")).collect();
    out.extend(
        others
            .into_iter()
            .filter(|p| !named.contains(p))
            .map(|p| (p, reason)),
    );
    out
}

fn topics(c: &Connection, h: &Happened) -> Result<Concerned> {
    match h.action.as_str() {
        "topic.create" => {
            let members = match h.detail["space"].as_i64() {
                Some(space) => members(c, space)?,
                None => Vec::new(),
            };
            Ok(with_mentions(h, members, "topic-new"))
        }
        "topic.update" => Ok(with_mentions(h, Vec::new(), "mention")),
        _ => Ok(Vec::new()),
    }
}

fn replies(c: &Connection, h: &Happened) -> Result<Concerned> {
    match h.action.as_str() {
        "reply.create" => {
            let followers = match h.detail["topic"].as_i64() {
                Some(topic) => store::followers(c, topic)?,
                None => Vec::new(),
            };
            Ok(with_mentions(h, followers, "topic-reply"))
        }
        "reply.update" => Ok(with_mentions(h, Vec::new(), "mention")),
        "reply.accept" if h.detail["accepted"].as_bool() == Some(true) => {
            Ok(store::reply(c, h.target_id)?
                .and_then(|r| r.3)
                .map(|author| vec![(author, "answer-accepted")])
                .unwrap_or_default())
        }
        _ => Ok(Vec::new()),
    }
}
