//! Comments and reactions: whoever may see an item reads its comments and
//! reactions, comments and reacts; a comment's writer changes it; its
//! writer or the item's moderators remove it. The item's own rules (its
//! kind's `seen` and moderators) come from the content registry; every
//! refusal is "not found".

use super::{Actor, Principal, SpaceAction, allows, require_folder};
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// Whether a principal may see an item, as its kind says.
pub type Sees = fn(&Connection, &Principal, i64) -> Result<bool>;

/// What is asked of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Read,
    Edit,
    Remove,
}

fn principal(actor: &Actor) -> Result<&Principal> {
    actor.principal().ok_or(Error::Unauthorized)
}

/// Allows reading an item's comments and reactions, and writing a comment
/// or a reaction on it.
pub fn require_item(c: &Connection, actor: &Actor, sees: Sees, item: i64) -> Result<()> {
    if sees(c, principal(actor)?, item)? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Allows `act` on a comment by `author` on `item`: reading for whoever
/// sees the item, editing for its writer, removing for its writer and the
/// item's moderators.
pub fn require_comment(
    c: &Connection,
    actor: &Actor,
    (sees, moderates): (Sees, Sees),
    item: i64,
    author: Option<i64>,
    act: Act,
) -> Result<()> {
    require_item(c, actor, sees, item)?;
    let p = principal(actor)?;
    let mine = author == Some(p.person_id);
    match act {
        Act::Read => Ok(()),
        Act::Edit if mine => Ok(()),
        Act::Remove if mine || moderates(c, p, item)? => Ok(()),
        // As for discussions: someone else's words are not theirs to
        // touch, and a refusal says no more than "missing".
        _ => Err(Error::NotFound),
    }
}

/// A document's comments are moderated by the managers of its space.
pub fn moderates_document(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    let place: Option<(i64, Option<i64>)> = c
        .prepare_cached("SELECT space_id, folder_id FROM documents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match place {
        Some((space, folder)) => allows(require_folder(
            c,
            &Actor::person(*p, None),
            space,
            folder,
            SpaceAction::Manage,
        )),
        None => Ok(false),
    }
}

/// A news post's comments are moderated by those who write it.
pub fn moderates_news(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    allows(super::news::require_news(
        c,
        &Actor::person(*p, None),
        id,
        super::news::NewsAction::Edit,
        crate::util::now_ms(),
    ))
}

/// A document is talked about while it is out of the trash, by whoever
/// may open it.
pub fn reads_document(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    let live: bool = c
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND deleted_at IS NULL)",
        )?
        .query_row([id], |r| r.get(0))?;
    Ok(live && super::seen::document(c, p, id)?)
}

/// A post is talked about once published and while it is, by its audience
/// and its writers.
pub fn reads_news(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    let now = crate::util::now_ms();
    let published: bool = c
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM news n WHERE n.id = :id AND {})",
            super::news::published_sql("n")
        ))?
        .query_row(rusqlite::named_params! {":id": id, ":now": now}, |r| {
            r.get(0)
        })?;
    Ok(published && super::seen::news(c, p, id)?)
}
