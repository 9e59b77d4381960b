//! Who may know of one item, for the channels that tell people of changes
//! (live events, notifications): the same rules as the pages and listings,
//! asked for one item and one principal, answering only yes or no. A
//! missing item, a refusal of any kind: no.

use super::{
    Actor, Principal, SpaceAction, allows, can_see_groups, organizations_filter, passes,
    people_filter, require_folder, space_role,
};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};

/// The space and folder of a document (trashed or not), if it exists.
fn place_of_document(c: &Connection, id: i64) -> Result<Option<(i64, Option<i64>)>> {
    Ok(
        c.prepare_cached("SELECT space_id, folder_id FROM documents WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    )
}

fn in_folder(
    c: &Connection,
    p: &Principal,
    place: Option<(i64, Option<i64>)>,
    action: SpaceAction,
) -> Result<bool> {
    match place {
        Some((space, folder)) => allows(require_folder(
            c,
            &Actor::person(*p, None),
            space,
            folder,
            action,
        )),
        None => Ok(false),
    }
}

/// A document: its space's members who may open its folder.
pub fn document(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    in_folder(c, p, place_of_document(c, id)?, SpaceAction::Read)
}

/// A folder: its space's members it is not restricted from.
pub fn folder(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    let space: Option<i64> = c
        .prepare_cached("SELECT space_id FROM folders WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    in_folder(c, p, space.map(|s| (s, Some(id))), SpaceAction::Read)
}

/// A share link: the contributors of its document, who may revoke it.
pub fn share_link(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    let document: Option<i64> = c
        .prepare_cached("SELECT document_id FROM share_links WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let place = match document {
        Some(d) => place_of_document(c, d)?,
        None => None,
    };
    in_folder(c, p, place, SpaceAction::Contribute)
}

/// A space: whoever has a role in it.
pub fn space(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    Ok(space_role(c, p, id)?.is_some())
}

/// A space whose notifications the principal may choose: one they see and
/// belong to, or already chose for.
pub fn notified_space(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    passes(c, "spaces", &super::notified_spaces_filter(p, "x"), id)
}

/// A person: whoever the directory shows them to.
pub fn person(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    passes(c, "people", &people_filter(p, "x"), id)
}

/// An organization: internal people, and its own people.
pub fn organization(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    passes(c, "organizations", &organizations_filter(p, "x"), id)
}

/// A group: internal people.
pub fn group(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    Ok(can_see_groups(p) && exists(c, "groups", id)?)
}

/// A notification: the person it was written for.
pub fn notification(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM notifications WHERE id = ?1 AND person_id = ?2")?
            .query_row([id, p.person_id], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// A portal: administrators.
pub fn portal(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    Ok(p.admin && p.internal && exists(c, "portals", id)?)
}

fn exists(c: &Connection, table: &str, id: i64) -> Result<bool> {
    Ok(
        c.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// A news post: its writers, and while it is published its audience.
pub fn news(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    allows(super::news::require_news(
        c,
        &Actor::person(*p, None),
        id,
        super::news::NewsAction::Read,
        crate::util::now_ms(),
    ))
}

/// A forum, a topic or a reply: whoever reads its space.
pub fn forum(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    use super::discussions::{Act, require_forum};
    allows(require_forum(c, &Actor::person(*p, None), id, Act::Read))
}

pub fn topic(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    use super::discussions::{Act, require_topic};
    allows(require_topic(c, &Actor::person(*p, None), id, Act::Read))
}

pub fn reply(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    use super::discussions::{Act, require_reply};
    allows(require_reply(c, &Actor::person(*p, None), id, Act::Read))
}
