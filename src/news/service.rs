//! News: writing, reading, acknowledging. Every entry point asks `access`
//! first; a post one may not read is not found.

use super::events::{self, text_fingerprint};
use super::model::{Draft, Full, NewFile, Publish};
use super::store::{self, Reader};
use crate::access::news::{NewsAction, Target, require_news, require_news_writer};
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::Connection;

pub(super) fn reader(actor: &Actor) -> Reader {
    match actor.principal() {
        Some(p) => Reader {
            person: p.person_id,
            people: access::people_filter(p, "x"),
        },
        None => Reader {
            person: 0,
            people: access::SqlFilter::everything(),
        },
    }
}

/// The audiences a post gets: its space alone, or the checked choice for an
/// instance-wide post (at least one, each existing and known to the writer).
fn audiences(c: &Connection, actor: &Actor, space: Option<i64>, d: &Draft) -> Result<Vec<Target>> {
    if let Some(space) = space {
        return Ok(vec![Target::Space(space)]);
    }
    if d.targets.is_empty() {
        return Err(Error::invalid("audience", "news-audience-required"));
    }
    for t in &d.targets {
        let known = store::target_exists(c, *t)?
            && match (t, actor.principal()) {
                (Target::Space(s), Some(p)) => access::space_role(c, p, *s)?.is_some(),
                (Target::Group(_), Some(p)) => access::can_see_groups(p),
                _ => true,
            };
        if !known {
            return Err(Error::invalid("audience", "news-audience-unknown"));
        }
    }
    Ok(d.targets.clone())
}

/// Records the publication if the post is published now; returns its state.
fn announce_if_due(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    id: i64,
    d: &Draft,
    version: i64,
    publish_at: Option<i64>,
    now: i64,
) -> Result<bool> {
    if publish_at.is_some_and(|t| t <= now) {
        store::mark_announced(tx, id)?;
        record(
            tx,
            actor,
            &events::Published {
                id,
                title: &d.title,
                version,
                requires_ack: d.requires_ack,
            },
        )?;
        return Ok(true);
    }
    Ok(false)
}

fn state_name(publish_at: Option<i64>, now: i64) -> &'static str {
    match publish_at {
        None => "draft",
        Some(t) if t > now => "scheduled",
        Some(_) => "published",
    }
}

/// Writes a post in a space (its managers) or for the whole instance
/// (communicators, administrators), with its cover and attachments.
pub async fn create(
    db: &Db,
    actor: &Actor,
    space: Option<i64>,
    draft: Draft,
    extras: Extras,
) -> Result<i64> {
    let now = now_ms();
    let d = draft.check(now)?;
    let actor = *actor;
    db.write(move |tx| {
        require_news_writer(tx, &actor, space)?;
        let targets = audiences(tx, &actor, space, &d)?;
        let author = actor.principal().map(|p| p.person_id);
        let publish_at = d.publish.at(now);
        let id = store::insert(tx, space, author, &d, publish_at, now)?;
        store::set_targets(tx, id, &targets)?;
        record(
            tx,
            &actor,
            &events::Created {
                id,
                title: &d.title,
                space,
                state: state_name(publish_at, now),
            },
        )?;
        apply(tx, &actor, id, &extras, now)?;
        announce_if_due(tx, &actor, id, &d, 1, publish_at, now)?;
        Ok(id)
    })
    .await
}

/// What changes with a post besides its text: its cover (`Some(None)`
/// removes it) and its attachments.
#[derive(Debug, Default)]
pub struct Extras {
    pub cover: Option<Option<crate::portals::Image>>,
    pub remove: Vec<i64>,
    pub add: Vec<NewFile>,
}

/// Applies `extras` in the caller's transaction: all of it or, refused, none.
fn apply(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    id: i64,
    extras: &Extras,
    now: i64,
) -> Result<()> {
    if let Some(cover) = &extras.cover {
        store::set_cover(tx, id, cover.as_ref())?;
        record(
            tx,
            actor,
            &events::CoverChanged {
                id,
                removed: cover.is_none(),
            },
        )?;
    }
    for &file in &extras.remove {
        if let Some(name) = store::remove_file(tx, id, file)? {
            record(tx, actor, &events::FileRemoved { id, file, name })?;
        }
    }
    if store::count_files(tx, id)? + extras.add.len() > super::model::MAX_FILES {
        return Err(Error::invalid("files", "news-files-too-many"));
    }
    for f in &extras.add {
        let file = store::add_file(tx, id, f, now)?;
        record(
            tx,
            actor,
            &events::FileAdded {
                id,
                file,
                name: &f.name,
                bytes: f.data.len(),
            },
        )?;
    }
    Ok(())
}

/// Changes a post: its writers. A new text of a published post is a new
/// version; an announcement's readers acknowledge it again.
pub async fn update(db: &Db, actor: &Actor, id: i64, draft: Draft, extras: Extras) -> Result<()> {
    let now = now_ms();
    let d = draft.check(now)?;
    let actor = *actor;
    db.write(move |tx| {
        require_news(tx, &actor, id, NewsAction::Edit, now)?;
        apply(tx, &actor, id, &extras, now)?;
        let old = store::state(tx, id)?.ok_or(Error::NotFound)?;
        let targets = audiences(tx, &actor, old.space, &d)?;
        let text_changed = old.title != d.title || old.body != d.body;
        let was_read = old.announced && old.publish_at.is_some_and(|t| t <= now);
        let version = if was_read && text_changed {
            old.version + 1
        } else {
            old.version
        };
        // Kept published: the same publication time; otherwise as asked.
        let publish_at = match (d.publish, old.publish_at) {
            (Publish::Now, Some(t)) if t <= now => Some(t),
            (p, _) => p.at(now),
        };
        let still_announced = old.announced && publish_at.is_some_and(|t| t <= now);
        store::update(tx, id, &d, publish_at, version, still_announced, now)?;
        store::set_targets(tx, id, &targets)?;
        record(
            tx,
            &actor,
            &events::Updated {
                id,
                title: &d.title,
                version,
                state: state_name(publish_at, now),
                acknowledge_again: still_announced
                    && d.requires_ack
                    && (version != old.version || !old.requires_ack),
            },
        )?;
        if !still_announced {
            announce_if_due(tx, &actor, id, &d, version, publish_at, now)?;
        }
        Ok(())
    })
    .await
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        require_news(tx, &actor, id, NewsAction::Edit, now_ms())?;
        let title = store::state(tx, id)?.ok_or(Error::NotFound)?.title;
        store::delete(tx, id)?;
        record(tx, &actor, &events::Deleted { id, title })?;
        Ok(())
    })
    .await
}

/// A post with its audiences and attachments, for whoever may read it.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Full> {
    let actor = *actor;
    db.read(move |c| {
        let now = now_ms();
        require_news(c, &actor, id, NewsAction::Read, now)?;
        let writes = crate::access::allows(require_news(c, &actor, id, NewsAction::Edit, now))?;
        let post = store::post(c, &reader(&actor), id)?.ok_or(Error::NotFound)?;
        let targets = store::targets(c, id)?.into_iter().map(|(_, t)| t).collect();
        Ok(Full {
            post,
            targets,
            files: store::files(c, id)?,
            writes,
        })
    })
    .await
}

/// "I have read and understood": a reader of a published announcement, for
/// its current text. False when they already had.
pub async fn acknowledge(db: &Db, actor: &Actor, id: i64) -> Result<bool> {
    let actor = *actor;
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    db.write(move |tx| {
        let now = now_ms();
        require_news(tx, &actor, id, NewsAction::Read, now)?;
        let s = store::state(tx, id)?.ok_or(Error::NotFound)?;
        let published = s.publish_at.is_some_and(|t| t <= now);
        if !s.requires_ack || !published {
            return Err(Error::Conflict("news-not-to-acknowledge"));
        }
        if !store::acknowledge(tx, id, p.person_id, s.version, now)? {
            return Ok(false);
        }
        record(
            tx,
            &actor,
            &events::Acknowledged {
                id,
                version: s.version,
                text_blake3: text_fingerprint(&s.title, &s.body),
            },
        )?;
        Ok(true)
    })
    .await
}

/// The cover image, for whoever may read the post.
pub async fn cover(db: &Db, actor: &Actor, id: i64) -> Result<(String, Vec<u8>, String)> {
    let actor = *actor;
    db.read(move |c| {
        require_news(c, &actor, id, NewsAction::Read, now_ms())?;
        store::cover(c, id)?.ok_or(Error::NotFound)
    })
    .await
}

/// An attachment's name and bytes, for whoever may read the post.
pub async fn file(db: &Db, actor: &Actor, id: i64, file: i64) -> Result<(String, Vec<u8>)> {
    let actor = *actor;
    db.read(move |c| {
        require_news(c, &actor, id, NewsAction::Read, now_ms())?;
        store::file(c, id, file)?.ok_or(Error::NotFound)
    })
    .await
}

/// The names of what audiences name (a space, an organization, a group, a
/// portal), for a post's writers; none for what they may not know of.
pub async fn target_names(
    db: &Db,
    actor: &Actor,
    targets: Vec<Target>,
) -> Result<Vec<Option<String>>> {
    let actor = *actor;
    db.read(move |c| {
        targets
            .iter()
            .map(|t| {
                let known = match (t, actor.principal()) {
                    (Target::Space(s), Some(p)) => access::space_role(c, p, *s)?.is_some(),
                    (Target::Group(_), Some(p)) => access::can_see_groups(p),
                    (Target::Org(o), Some(p)) => access::can_see_organization(p, *o, false),
                    _ => true,
                };
                Ok(if known {
                    store::target_name(c, *t)?
                } else {
                    None
                })
            })
            .collect()
    })
    .await
}

/// Changes a post's cover or attachments alone: its writers.
pub async fn change_extras(db: &Db, actor: &Actor, id: i64, extras: Extras) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| {
        let now = now_ms();
        require_news(tx, &actor, id, NewsAction::Edit, now)?;
        apply(tx, &actor, id, &extras, now)
    })
    .await
}

/// A new instance's group of communicators (who write news for the whole
/// instance), empty until administrators fill it.
pub async fn ensure_communicators(db: &Db) -> Result<()> {
    db.write(|tx| {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM groups WHERE writes_news = 1)",
            [],
            |r| r.get(0),
        )?;
        if !exists {
            tx.execute(
                "INSERT INTO groups (slug, name, description, writes_news, created_at)
                 SELECT CASE WHEN EXISTS (SELECT 1 FROM groups WHERE slug = 'communicators')
                             THEN 'news-communicators' ELSE 'communicators' END,
                        'Communicators', 'They write news and announcements for the whole instance.',
                        1, ?1",
                [now_ms()],
            )?;
        }
        Ok(())
    })
    .await
}
