//! Whom discussions concern: the members of a space when a topic starts
//! in it, a topic's followers when someone replies, an answer's writer when
//! it is accepted.

use super::store;
use crate::content::{Concerned, Happened, Notify, Reason, Topic};
use crate::service::Result;
use rusqlite::Connection;

pub const TOPICS: Notify = Notify {
    reasons: &[Reason {
        name: "topic-new",
        topic: Topic::Discussions,
    }],
    who: topics,
};

pub const REPLIES: Notify = Notify {
    reasons: &[
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

fn topics(c: &Connection, h: &Happened) -> Result<Concerned> {
    if h.action != "topic.create" {
        return Ok(Vec::new());
    }
    let Some(space) = h.detail["space"].as_i64() else {
        return Ok(Vec::new());
    };
    Ok(members(c, space)?
        .into_iter()
        .map(|p| (p, "topic-new"))
        .collect())
}

fn replies(c: &Connection, h: &Happened) -> Result<Concerned> {
    match h.action.as_str() {
        "reply.create" => {
            let Some(topic) = h.detail["topic"].as_i64() else {
                return Ok(Vec::new());
            };
            Ok(store::followers(c, topic)?
                .into_iter()
                .map(|p| (p, "topic-reply"))
                .collect())
        }
        "reply.accept" if h.detail["accepted"].as_bool() == Some(true) => {
            Ok(store::reply(c, h.target_id)?
                .and_then(|r| r.3)
                .map(|author| vec![(author, "answer-accepted")])
                .unwrap_or_default())
        }
        _ => Ok(Vec::new()),
    }
}
