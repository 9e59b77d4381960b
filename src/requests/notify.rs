//! Whom a request's changes concern: its agents of a new request, the
//! assignee of an assignment, the requester and watchers of a reply or a
//! status change, and of an internal note its assignee and watchers (the
//! notifier then keeps only those who see it: agents alone see a note).

use crate::content::{Concerned, Happened, Notify, Reason, Topic};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

const fn reason(name: &'static str) -> Reason {
    Reason {
        name,
        topic: Topic::Requests,
    }
}

pub const REQUESTS: Notify = Notify {
    reasons: &[
        reason("request-new"),
        reason("request-assigned"),
        reason("request-reply"),
        reason("request-status"),
        reason("request-rated"),
        reason("request-due-soon"),
        reason("request-late"),
    ],
    who: request_who,
    // An e-mail about one request may be answered by e-mail.
    reply: Some(super::by_mail::reply_address),
};

pub const NOTES: Notify = Notify {
    reasons: &[reason("request-note")],
    who: note_who,
    reply: None,
};

/// Internal people who handle a space's requests of a type: its
/// contributors and managers, however they are members, and the type's
/// agent group.
fn agents(c: &Connection, space: i64, group: Option<i64>) -> Result<Vec<i64>> {
    Ok(c.prepare_cached(
        "SELECT p.id FROM people p JOIN organizations o ON o.id = p.org_id AND o.kind = 'host'
             WHERE p.id IN (
               SELECT sm.person_id FROM space_members sm
                WHERE sm.space_id = ?1 AND sm.role IN ('contributor', 'manager')
               UNION SELECT gm.person_id FROM space_members sm
                 JOIN group_members gm ON gm.group_id = sm.group_id
                WHERE sm.space_id = ?1 AND sm.role IN ('contributor', 'manager')
               UNION SELECT x.id FROM space_members sm JOIN people x ON x.org_id = sm.org_id
                WHERE sm.space_id = ?1 AND sm.role IN ('contributor', 'manager')
               UNION SELECT gm.person_id FROM group_members gm WHERE gm.group_id = ?2)",
    )?
    .query_map(rusqlite::params![space, group], |r| r.get(0))?
    .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Its requester, assignee and watchers.
fn around(c: &Connection, id: i64) -> Result<(Option<i64>, Option<i64>, Vec<i64>)> {
    let row: Option<(Option<i64>, Option<i64>)> = c
        .prepare_cached("SELECT requester_id, assignee_id FROM requests WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (requester, assignee) = row.unwrap_or_default();
    Ok((requester, assignee, super::store::watchers(c, id)?))
}

fn request_who(c: &Connection, h: &Happened) -> Result<Concerned> {
    let id = h.target_id;
    let (requester, assignee, watchers) = around(c, id)?;
    let everyone = |reason: &'static str| -> Concerned {
        let mut people: Vec<i64> = watchers.iter().copied().chain(requester).collect();
        people.sort_unstable();
        people.dedup();
        people.into_iter().map(|p| (p, reason)).collect()
    };
    Ok(match h.action.as_str() {
        "request.create" => {
            let Some(f) = crate::access::requests::facts(c, id)? else {
                return Ok(Vec::new());
            };
            agents(c, f.space_id, f.agent_group)?
                .into_iter()
                .map(|p| (p, "request-new"))
                .collect()
        }
        "request.assign" => h.detail["assignee"]
            .as_i64()
            .map(|p| vec![(p, "request-assigned")])
            .unwrap_or_default(),
        "request.reply" => everyone("request-reply"),
        "request.status" => everyone("request-status"),
        "request.rate" => assignee
            .map(|p| vec![(p, "request-rated")])
            .unwrap_or_default(),
        // A target at risk: whoever has it, or every agent while nobody does.
        "request.due_soon" | "request.late" => {
            let reason = if h.action == "request.late" {
                "request-late"
            } else {
                "request-due-soon"
            };
            match assignee {
                Some(p) => vec![(p, reason)],
                None => {
                    let Some(f) = crate::access::requests::facts(c, id)? else {
                        return Ok(Vec::new());
                    };
                    agents(c, f.space_id, f.agent_group)?
                        .into_iter()
                        .map(|p| (p, reason))
                        .collect()
                }
            }
        }
        _ => Vec::new(),
    })
}

fn note_who(c: &Connection, h: &Happened) -> Result<Concerned> {
    if h.detail["what"].as_str() != Some("note") {
        return Ok(Vec::new());
    }
    let Some(request) = h.detail["request"].as_i64() else {
        return Ok(Vec::new());
    };
    let (_, assignee, watchers) = around(c, request)?;
    let mut people: Vec<i64> = watchers.into_iter().chain(assignee).collect();
    people.sort_unstable();
    people.dedup();
    Ok(people.into_iter().map(|p| (p, "request-note")).collect())
}
