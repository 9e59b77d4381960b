//! What people read: their feed (pinned posts, announcements still to
//! acknowledge, then the rest), a space's or a portal's, and the posts
//! their writers look after.

use super::model::Post;
use super::service::reader;
use super::store;
use crate::access::news::{Addressed, published_sql, require_news_writer};
use crate::access::{self, Actor, SpaceAction};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;

/// What a feed shows: pinned posts, announcements still to acknowledge,
/// then the others, newest first.
#[derive(Debug, Default)]
pub struct Feed {
    pub pinned: Vec<Post>,
    pub to_acknowledge: Vec<Post>,
    pub posts: Vec<Post>,
}

/// Where a feed is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    /// A portal's home: its own posts (instance-wide posts for everyone or
    /// for it, and the posts of the spaces it shows).
    pub portal: Option<i64>,
    /// One space's posts.
    pub space: Option<i64>,
    /// Older than this post (publication time, id).
    pub before: Option<(i64, i64)>,
}

/// The posts addressed to the reader and published now.
pub async fn feed(db: &Db, actor: &Actor, scope: Scope, limit: u32) -> Result<Feed> {
    let actor = *actor;
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    db.read(move |c| {
        let now = now_ms();
        let mut cond = published_sql("n");
        match scope.space {
            Some(space) => {
                access::require_space(c, &actor, space, SpaceAction::Read)?;
                cond.push_str(&format!(" AND n.space_id = {space}"));
            }
            None => {
                let addressed: Addressed = access::news::addressed(c, &p)?;
                cond.push_str(" AND ");
                cond.push_str(&addressed.sql("n"));
            }
        }
        if let Some(portal) = scope.portal {
            cond.push_str(&format!(
                " AND (n.space_id IN (SELECT space_id FROM space_portals WHERE portal_id = {portal})
                   OR (n.space_id IS NULL AND NOT EXISTS (SELECT 1 FROM news_targets t
                         WHERE t.news_id = n.id AND t.kind = 'portal' AND t.ref <> {portal})))"
            ));
        }
        let r = reader(&actor);
        let extra: &[(&str, &dyn rusqlite::ToSql)] = &[(":now", &now)];
        let newest = "n.publish_at DESC, n.id DESC";
        let first_page = scope.before.is_none();
        let pinned = if first_page {
            store::posts(c, &r, &format!("{cond} AND n.pinned = 1"), extra, newest, 5)?
        } else {
            Vec::new()
        };
        let to_acknowledge = if first_page {
            store::posts(
                c,
                &r,
                &format!(
                    "{cond} AND n.requires_ack = 1 AND NOT EXISTS (SELECT 1 FROM news_acks a
                       WHERE a.news_id = n.id AND a.person_id = :me AND a.version = n.version)"
                ),
                extra,
                newest,
                20,
            )?
        } else {
            Vec::new()
        };
        let (bt, bid) = scope.before.unwrap_or((i64::MAX, i64::MAX));
        let rest = format!("{cond} AND n.pinned = 0 AND (n.publish_at, n.id) < (:bt, :bid)");
        let posts = store::posts(
            c,
            &r,
            &rest,
            &[(":now", &now), (":bt", &bt), (":bid", &bid)],
            newest,
            limit.clamp(1, 100),
        )?;
        // An announcement still to acknowledge is shown there, not twice.
        let pinned = pinned
            .into_iter()
            .filter(|p| !to_acknowledge.iter().any(|a| a.id == p.id))
            .collect();
        Ok(Feed {
            pinned,
            to_acknowledge,
            posts,
        })
    })
    .await
}

/// The posts the reader writes, in every state (drafts, scheduled,
/// published, expired), newest change first.
pub async fn written(db: &Db, actor: &Actor, limit: u32) -> Result<Vec<Post>> {
    let actor = *actor;
    db.read(move |c| {
        let filter = match actor.principal() {
            Some(p) => access::news::writes_filter(c, p, "n")?,
            None => {
                access::require_admin(&actor)?;
                access::SqlFilter::everything()
            }
        };
        let r = reader(&actor);
        let named = filter.named();
        Ok(store::posts(
            c,
            &r,
            &filter.sql,
            &named,
            "n.updated_at DESC, n.id DESC",
            limit.clamp(1, 200),
        )?)
    })
    .await
}

/// Where the person may write news: the whole instance, and spaces.
#[derive(Debug, Default)]
pub struct Places {
    pub instance: bool,
    pub spaces: Vec<(i64, String, String)>,
}

pub async fn places(db: &Db, actor: &Actor) -> Result<Places> {
    let actor = *actor;
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    db.read(move |c| {
        let filter = access::spaces_filter(&p, "s");
        let spaces =
            crate::spaces::store::list(c, &filter, &crate::spaces::store::Narrow::default(), 1000)?;
        let mut out = Places {
            instance: access::news::is_communicator(c, &p)?,
            spaces: Vec::new(),
        };
        for s in spaces {
            if access::allows(require_news_writer(c, &actor, Some(s.id)))? {
                out.spaces.push((s.id, s.slug, s.name));
            }
        }
        Ok(out)
    })
    .await
}

/// Whether the reader writes news anywhere (the news page offers to write).
pub async fn writes_anywhere(db: &Db, actor: &Actor) -> Result<bool> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    db.read(move |c| access::news::writes_anywhere(c, &p)).await
}
