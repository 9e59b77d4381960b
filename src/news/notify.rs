//! Whom news concerns: the people a post is addressed to, when it is
//! published, when an announcement asks them again, and when its writers
//! remind those who have not acknowledged it.

use crate::access::news::AUDIENCE;
use crate::content::{Concerned, Happened, Notify, Reason, Topic};
use crate::service::Result;
use rusqlite::Connection;

pub const NOTIFY: Notify = Notify {
    reasons: &[
        Reason {
            name: "news",
            topic: Topic::News,
        },
        Reason {
            name: "news-to-acknowledge",
            topic: Topic::Acknowledgements,
        },
        Reason {
            name: "news-acknowledge-again",
            topic: Topic::Acknowledgements,
        },
        Reason {
            name: "news-reminder",
            topic: Topic::Acknowledgements,
        },
    ],
    who,
    reply: None,
};

/// The post's audience, without those who acknowledged `version` (when given).
fn audience(c: &Connection, news: i64, unacknowledged: Option<i64>) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT p.id FROM people p JOIN organizations o ON o.id = p.org_id
         WHERE {AUDIENCE} AND NOT EXISTS (SELECT 1 FROM news_acks a
             WHERE a.news_id = :news AND a.person_id = p.id AND a.version = :version)"
    );
    let version = unacknowledged.unwrap_or(-1);
    let ids = c
        .prepare_cached(&sql)?
        .query_map(
            rusqlite::named_params! {":news": news, ":version": version},
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

fn who(c: &Connection, h: &Happened) -> Result<Concerned> {
    let version = h.detail["version"].as_i64();
    let (reason, unacknowledged) = match h.action.as_str() {
        "news.publish" if h.detail["requires_ack"].as_bool() == Some(true) => {
            ("news-to-acknowledge", version)
        }
        "news.publish" => ("news", None),
        "news.update" if h.detail["acknowledge_again"].as_bool() == Some(true) => {
            ("news-acknowledge-again", version)
        }
        "news.remind" => ("news-reminder", version),
        _ => return Ok(Vec::new()),
    };
    Ok(audience(c, h.target_id, unacknowledged)?
        .into_iter()
        .map(|p| (p, reason))
        .collect())
}
