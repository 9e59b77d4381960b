//! Whom a space's changes concern: the people it was just opened to.

use crate::content::{Happened, Notify, Reason, Topic};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

/// A person, or the members of a group, given a role in a space they were
/// not in (a changed role, or a whole organization, tells nobody).
pub const ADDED: Notify = Notify {
    reasons: &[Reason {
        name: "space-added",
        topic: Topic::Spaces,
    }],
    who: added,
    reply: None,
};

fn added(c: &Connection, h: &Happened) -> Result<Vec<(i64, &'static str)>> {
    let new = h.detail["previous_role"].is_null();
    if h.action != "space.member.grant" || !new {
        return Ok(Vec::new());
    }
    let member = h.detail["member"].as_str().unwrap_or_default();
    let people: Vec<i64> = match h.detail["member_kind"].as_str() {
        Some("person") => c
            .prepare_cached("SELECT id FROM people WHERE email = ?1")?
            .query_row([member], |r| r.get(0))
            .optional()?
            .into_iter()
            .collect(),
        // Those of the group who were not in the space already, by
        // themselves or through their organization.
        Some("group") => c
            .prepare_cached(
                "SELECT gm.person_id FROM group_members gm
                 JOIN groups g ON g.id = gm.group_id
                 JOIN people p ON p.id = gm.person_id
                 WHERE g.slug = ?1
                   AND NOT EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = ?2
                                   AND (sm.person_id = p.id OR sm.org_id = p.org_id))",
            )?
            .query_map(rusqlite::params![member, h.target_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
        _ => Vec::new(),
    };
    Ok(people.into_iter().map(|p| (p, "space-added")).collect())
}
