//! Forums: a space's, opened, changed and deleted by its managers.

use super::events;
use super::model::{Forum, ForumFields};
use super::service::{forum_of, me};
use super::store;
use crate::access::discussions::{Act, Allowed, require_forum};
use crate::access::{Actor, SpaceAction, require_space};
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::search::sources::{Change, enqueue};
use crate::service::{Error, Result};
use crate::util::now_ms;

/// A space's forums, for whoever reads the space.
pub async fn forums(db: &Db, actor: &Actor, space: i64) -> Result<Vec<Forum>> {
    let actor = *actor;
    db.read(move |c| {
        require_space(c, &actor, space, SpaceAction::Read)?;
        Ok(store::forums_of(c, space)?
            .into_iter()
            .map(forum_of)
            .collect())
    })
    .await
}

/// Whether the actor moderates the space's discussions (its managers).
pub async fn moderates(db: &Db, actor: &Actor, space: i64) -> Result<bool> {
    let actor = *actor;
    db.read(move |c| crate::access::allows(require_space(c, &actor, space, SpaceAction::Manage)))
        .await
}

pub async fn forum(db: &Db, actor: &Actor, id: i64) -> Result<(Forum, Allowed)> {
    let actor = *actor;
    db.read(move |c| {
        require_forum(c, &actor, id, Act::Read)?;
        let moderator = crate::access::allows(require_forum(c, &actor, id, Act::Moderate))?;
        let row = store::forum(c, id)?.ok_or(Error::NotFound)?;
        Ok((forum_of(row), Allowed { moderator }))
    })
    .await
}

/// A new forum, by the space's managers.
pub async fn create_forum(db: &Db, actor: &Actor, space: i64, f: ForumFields) -> Result<Forum> {
    let actor = *actor;
    db.write(move |tx| {
        require_space(tx, &actor, space, SpaceAction::Manage)?;
        let id = match store::insert_forum(tx, space, &f, me(&actor), now_ms()) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("forum-exists")),
            other => other?,
        };
        record(
            tx,
            &actor,
            &events::ForumCreated {
                id,
                space,
                name: f.name.as_str(),
                mode: f.mode.name(),
            },
        )?;
        Ok(forum_of(store::forum(tx, id)?.ok_or(Error::NotFound)?))
    })
    .await
}

pub async fn update_forum(db: &Db, actor: &Actor, id: i64, f: ForumFields) -> Result<Forum> {
    let actor = *actor;
    db.write(move |tx| {
        require_forum(tx, &actor, id, Act::Moderate)?;
        match store::update_forum(tx, id, &f, now_ms()) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Exists("forum-exists")),
            other => other?,
        }
        record(
            tx,
            &actor,
            &events::ForumUpdated {
                id,
                name: f.name.as_str(),
                mode: f.mode.name(),
            },
        )?;
        Ok(forum_of(store::forum(tx, id)?.ok_or(Error::NotFound)?))
    })
    .await
}

/// Removes a forum with its topics and their replies (out of search too).
pub async fn delete_forum(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        require_forum(tx, &actor, id, Act::Moderate)?;
        let (_, _, name, _, _, topics, _) = store::forum(tx, id)?.ok_or(Error::NotFound)?;
        for t in store::topics_of(tx, id, None, u32::MAX)? {
            unindex_topic(tx, t.id)?;
        }
        tx.execute("DELETE FROM forums WHERE id = ?1", [id])?;
        record(tx, &actor, &events::ForumDeleted { id, name, topics })?;
        Ok(())
    })
    .await
}

fn unindex_topic(tx: &rusqlite::Transaction<'_>, topic: i64) -> Result<()> {
    enqueue(tx, Change::item(&super::kind::TOPIC, topic))?;
    for r in store::reply_ids(tx, topic)? {
        enqueue(tx, Change::item(&super::kind::REPLY, r))?;
    }
    Ok(())
}
