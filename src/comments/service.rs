//! Comment rules: the item's kind says whether it takes comments, who sees
//! it and who moderates; `access::comments` decides; every change is
//! audited in its own transaction.

use super::events::{CommentEdited, CommentRemoved, Commented};
use super::model::{self, Comment, On, PAGE};
use super::store::{self, Row};
use crate::access::comments::{Act, Sees, require_comment, require_item};
use crate::access::{Actor, allows};
use crate::content::events::record;
use crate::content::{ContentKind, find};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::talk::{self, Suggestion, Writer, Writers, me};
use crate::util::now_ms;
use rusqlite::Connection;

type Kinds = &'static [&'static ContentKind];

/// The rules of an item's kind: who sees it, who moderates its comments.
/// A kind that takes no comments is as missing as an item one may not see.
pub(super) fn rules(kinds: Kinds, kind: &str) -> Result<(&'static ContentKind, (Sees, Sees))> {
    let k = find(kinds, kind).ok_or(Error::NotFound)?;
    let moderates = k.talk.comments.ok_or(Error::NotFound)?;
    Ok((k, (k.talk_readers(), moderates)))
}

/// An item's comments as one reader sees them, with whether they may write.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Thread {
    pub on: String,
    pub comments: Vec<Comment>,
    pub total: i64,
    /// Where the next page starts, if there is more.
    pub next: Option<i64>,
}

/// Something written, with the people it mentions who may not read it
/// (and so were not told): the writer is told instead.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Posted {
    #[serde(flatten)]
    pub comment: Comment,
    pub not_told: Vec<Writer>,
}

fn comment_of(
    c: &Connection,
    actor: &Actor,
    writers: &mut Writers<'_>,
    rules: (Sees, Sees),
    row: Row,
) -> Result<Comment> {
    let (id, kind, item, body, author, created_at, edited_at) = row;
    let p = actor.principal().ok_or(Error::Unauthorized)?;
    let mine = author.is_some() && author == me(actor);
    let removable = mine || (rules.1)(c, p, item)?;
    let reactions = store::reactions(c, "comment", &[id], p.person_id)?
        .remove(&id)
        .unwrap_or_default();
    Ok(Comment {
        id,
        on: format!("{kind}:{item}"),
        body,
        author: writers.of(c, author)?,
        created_at,
        edited_at,
        reactions,
        mine,
        removable,
    })
}

/// The comments on `on` after comment `after`, oldest first.
pub async fn thread(db: &Db, kinds: Kinds, actor: &Actor, on: On, after: i64) -> Result<Thread> {
    let (_, rules) = rules(kinds, &on.kind)?;
    let actor = *actor;
    db.read(move |c| {
        require_item(c, &actor, rules.0, on.id)?;
        let mut w = Writers::new(&actor);
        let rows = store::list(c, &on.kind, on.id, after, PAGE + 1)?;
        let more = rows.len() > PAGE as usize;
        let comments = rows
            .into_iter()
            .take(PAGE as usize)
            .map(|r| comment_of(c, &actor, &mut w, rules, r))
            .collect::<Result<Vec<_>>>()?;
        Ok(Thread {
            on: on.text(),
            next: more.then(|| comments.last().map(|c| c.id)).flatten(),
            total: store::count(c, &on.kind, on.id)?,
            comments,
        })
    })
    .await
}

/// Who of the people `body` mentions may read the item (told), and the rest.
fn sort_mentions(
    c: &Connection,
    actor: &Actor,
    sees: Sees,
    item: i64,
    ids: &[i64],
) -> Result<(Vec<i64>, Vec<Writer>)> {
    talk::sort_mentions(c, actor, ids, &|c, p| sees(c, p, item))
}

pub async fn add(db: &Db, kinds: Kinds, actor: &Actor, on: On, body: &str) -> Result<Posted> {
    let (_, rules) = rules(kinds, &on.kind)?;
    let body = model::body(body)?;
    let named = talk::mentioned(&body, "comment-mentions-too-many")?;
    let actor = *actor;
    db.write(move |tx| {
        require_item(tx, &actor, rules.0, on.id)?;
        let author = me(&actor).ok_or(Error::Unauthorized)?;
        let id = store::insert(tx, &on.kind, on.id, &body, author, now_ms())?;
        let (mentions, not_told) = sort_mentions(tx, &actor, rules.0, on.id, &named)?;
        record(
            tx,
            &actor,
            &Commented {
                id,
                on: on.text(),
                mentions,
            },
        )?;
        posted(tx, &actor, rules, id, not_told)
    })
    .await
}

/// Comment `id` as its writer now sees it, with those it did not tell.
fn posted(
    c: &Connection,
    actor: &Actor,
    rules: (Sees, Sees),
    id: i64,
    not_told: Vec<Writer>,
) -> Result<Posted> {
    let row = store::get(c, id)?.ok_or(Error::NotFound)?;
    let comment = comment_of(c, actor, &mut Writers::new(actor), rules, row)?;
    Ok(Posted { comment, not_told })
}

/// The comment `id` with its rules, after asking `act` of it.
fn asked(
    c: &Connection,
    kinds: Kinds,
    actor: &Actor,
    id: i64,
    act: Act,
) -> Result<(Row, (Sees, Sees))> {
    let row = store::get(c, id)?.ok_or(Error::NotFound)?;
    let (_, rules) = rules(kinds, &row.1)?;
    require_comment(c, actor, rules, row.2, row.4, act)?;
    Ok((row, rules))
}

pub async fn get(db: &Db, kinds: Kinds, actor: &Actor, id: i64) -> Result<Comment> {
    let actor = *actor;
    db.read(move |c| {
        let (row, rules) = asked(c, kinds, &actor, id, Act::Read)?;
        comment_of(c, &actor, &mut Writers::new(&actor), rules, row)
    })
    .await
}

pub async fn edit(db: &Db, kinds: Kinds, actor: &Actor, id: i64, body: &str) -> Result<Posted> {
    let body = model::body(body)?;
    let named = talk::mentioned(&body, "comment-mentions-too-many")?;
    let actor = *actor;
    db.write(move |tx| {
        let (old, rules) = asked(tx, kinds, &actor, id, Act::Edit)?;
        let before = crate::text::markdown::mentions(&old.3);
        let added: Vec<i64> = named.into_iter().filter(|p| !before.contains(p)).collect();
        let (mentions, not_told) = sort_mentions(tx, &actor, rules.0, old.2, &added)?;
        if old.3 != body {
            store::edit(tx, id, &body, now_ms())?;
            record(
                tx,
                &actor,
                &CommentEdited {
                    id,
                    on: format!("{}:{}", old.1, old.2),
                    mentions,
                },
            )?;
        }
        posted(tx, &actor, rules, id, not_told)
    })
    .await
}

/// Removes a comment; the item it was on, for the page to go back to.
pub async fn remove(db: &Db, kinds: Kinds, actor: &Actor, id: i64) -> Result<On> {
    let actor = *actor;
    db.write(move |tx| {
        let (row, _) = asked(tx, kinds, &actor, id, Act::Remove)?;
        store::delete(tx, id)?;
        record(
            tx,
            &actor,
            &CommentRemoved {
                id,
                on: format!("{}:{}", row.1, row.2),
                moderated: row.4 != me(&actor),
            },
        )?;
        Ok(On {
            kind: row.1,
            id: row.2,
        })
    })
    .await
}

/// Where an item's page is, for whoever may see it (its search entry).
pub async fn page_of(db: &Db, kinds: Kinds, actor: &Actor, on: On) -> Result<String> {
    let (kind, rules) = rules(kinds, &on.kind)?;
    let actor = *actor;
    db.read(move |c| {
        require_item(c, &actor, rules.0, on.id)?;
        let entry = kind
            .search
            .map(|s| (s.load)(c, on.id))
            .transpose()?
            .flatten();
        // An item one sees but that is not searched (a draft) has its page
        // where the kind puts it; without an entry, back home.
        Ok(entry.map(|e| e.url).unwrap_or_else(|| "/".to_string()))
    })
    .await
}

/// People the writer may mention on `on`, each saying whether they may
/// read it.
pub async fn mention_suggestions(
    db: &Db,
    kinds: Kinds,
    actor: &Actor,
    on: On,
    q: &str,
) -> Result<Vec<Suggestion>> {
    let (_, rules) = rules(kinds, &on.kind)?;
    let actor = *actor;
    let q = q.to_string();
    db.read(move |c| {
        require_item(c, &actor, rules.0, on.id)?;
        talk::suggestions(c, &actor, &q, &|c, p| (rules.0)(c, p, on.id))
    })
    .await
}

/// Whether the actor may see `on` (for pages that show comments).
pub async fn may_see(db: &Db, kinds: Kinds, actor: &Actor, on: On) -> Result<bool> {
    let Ok((_, rules)) = rules(kinds, &on.kind) else {
        return Ok(false);
    };
    let actor = *actor;
    db.read(move |c| allows(require_item(c, &actor, rules.0, on.id)))
        .await
}

/// The ids of `p`'s own comments on items they may still talk about (for
/// the export of their data: one on an item now hidden from them would
/// tell that it still exists).
pub fn readable_own(
    c: &Connection,
    kinds: Kinds,
    p: &crate::access::Principal,
) -> Result<std::collections::HashSet<i64>> {
    let rows: Vec<(i64, String, i64)> = c
        .prepare("SELECT id, target_type, target_id FROM comments WHERE author_id = ?1")?
        .query_map([p.person_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = std::collections::HashSet::new();
    for (id, kind, item) in rows {
        if let Ok((_, (reads, _))) = rules(kinds, &kind)
            && reads(c, p, item)?
        {
            out.insert(id);
        }
    }
    Ok(out)
}
