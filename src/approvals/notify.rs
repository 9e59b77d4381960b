//! Whom a flow's changes concern: the people its step waits for when it
//! starts, moves to a step, is reminded of its deadline or escalated; and
//! whoever started it when it ends or comes back to them. The notifier then
//! keeps only those who may read the file.

use super::store;
use crate::content::{Concerned, Happened, Notify, Reason, Topic};
use crate::service::Result;
use rusqlite::Connection;

const fn reason(name: &'static str) -> Reason {
    Reason {
        name,
        topic: Topic::Approvals,
    }
}

pub const NOTIFY: Notify = Notify {
    reasons: &[
        reason("approval-waiting"),
        reason("approval-reminder"),
        reason("approval-escalated"),
        reason("approval-approved"),
        reason("approval-rejected"),
        reason("approval-returned"),
        reason("approval-cancelled"),
    ],
    who,
    reply: None,
};

fn who(c: &Connection, h: &Happened) -> Result<Concerned> {
    let id = h.target_id;
    let Some(flow) = store::flow(c, id)? else {
        return Ok(Vec::new());
    };
    let (state, starter) = (flow.state.as_str(), flow.started_by);
    // Those the step waits for, while it still runs (a flow that moved on
    // meanwhile tells its new step's people by its own change).
    let waiting = |reason: &'static str| -> Result<Concerned> {
        if state != "running" {
            return Ok(Vec::new());
        }
        // …and whoever takes the decisions of one of them who is away.
        let now = crate::util::now_ms();
        let mut people = Vec::new();
        for p in store::waiting_on(c, id)? {
            people.push((p, reason));
            if let Some(d) = store::delegate_of(c, p, now)?
                && !store::barred(c, &flow, d)?
            {
                people.push((d, reason));
            }
        }
        Ok(people)
    };
    let starter = |reason: &'static str| -> Concerned {
        starter.map(|p| vec![(p, reason)]).unwrap_or_default()
    };
    Ok(match h.action.as_str() {
        "approval.start" | "approval.step" => waiting("approval-waiting")?,
        "approval.remind" => waiting("approval-reminder")?,
        "approval.escalate" => waiting("approval-escalated")?,
        "approval.approve" => starter("approval-approved"),
        "approval.reject" => starter("approval-rejected"),
        "approval.return" => starter("approval-returned"),
        "approval.cancel" => starter("approval-cancelled"),
        _ => Vec::new(),
    })
}
