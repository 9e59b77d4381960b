//! What a person sees of their notifications: only those whose item they
//! may still see, named as they may see it.

use super::store;
use crate::access::Principal;
use crate::content::{ContentKind, find};
use crate::db::Db;
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// One notification, as shown to its reader.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Shown {
    pub id: i64,
    /// Why it was sent (`space-added`…).
    pub reason: String,
    pub kind: &'static str,
    pub item: i64,
    pub title: String,
    pub url: String,
    /// Who made the change, if the reader may know of them.
    pub actor: Option<String>,
    pub created_at: i64,
    pub read: bool,
    /// The space it happened in, whose level its reader chose.
    #[serde(skip)]
    pub space: Option<i64>,
}

/// The sentence telling what happened, in the reader's language.
pub fn sentence(tr: &crate::i18n::Tr, n: &Shown) -> String {
    let who = n
        .actor
        .clone()
        .unwrap_or_else(|| tr.t("notification-someone").to_string());
    tr.t2(
        &format!("notification-{}", n.reason),
        ("actor", who),
        ("title", n.title.clone()),
    )
}

/// Unread notifications counted at most: the bell says "99+" beyond.
pub const MAX_COUNTED: u32 = 100;

/// A row as its reader may see it, or `None` when they may no longer see
/// what it names.
pub(super) fn shown(
    c: &Connection,
    kinds: &[&'static ContentKind],
    p: &Principal,
    row: store::Row,
) -> Result<Option<Shown>> {
    let Some(kind) = find(kinds, &row.target_type) else {
        return Ok(None);
    };
    if !(kind.seen.by)(c, p, row.target_id)? {
        return Ok(None);
    }
    let Some(entry) = kind
        .search
        .map(|s| (s.load)(c, row.target_id))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    let actor = match row.actor_id {
        Some(a) if crate::access::seen::person(c, p, a)? => c
            .prepare_cached("SELECT display_name FROM people WHERE id = ?1")?
            .query_row([a], |r| r.get::<_, String>(0))
            .optional()?,
        _ => None,
    };
    Ok(Some(Shown {
        id: row.id,
        reason: row.reason,
        kind: kind.name,
        item: row.target_id,
        title: entry.context.unwrap_or(entry.title),
        url: entry.url,
        actor,
        created_at: row.created_at,
        read: row.read_at.is_some(),
        space: entry.space,
    }))
}

/// A page of the reader's notifications, newest first, before `before`.
pub async fn list(
    db: &Db,
    kinds: &'static [&'static ContentKind],
    p: &Principal,
    before: i64,
    limit: u32,
) -> Result<Vec<Shown>> {
    let p = *p;
    db.read(move |c| {
        let mut out = Vec::new();
        for row in store::page(c, p.person_id, before, limit)? {
            out.extend(shown(c, kinds, &p, row)?);
        }
        Ok(out)
    })
    .await
}

/// How many unread notifications a person may see (at most `MAX_COUNTED`).
pub async fn unread_count_of(
    db: &Db,
    kinds: &'static [&'static ContentKind],
    person: i64,
) -> Result<i64> {
    db.read(move |c| {
        let Some(p) = crate::auth::principal_now(c, person)? else {
            return Ok(0);
        };
        let mut n = 0;
        for row in store::unread(c, person, MAX_COUNTED)? {
            n += i64::from(shown(c, kinds, &p, row)?.is_some());
        }
        Ok(n)
    })
    .await
}

/// Marks one of the reader's notifications read (its page to go to, as
/// they may see it), or all of them (`None`).
pub async fn mark_read(
    db: &Db,
    kinds: &'static [&'static ContentKind],
    p: &Principal,
    id: Option<i64>,
) -> Result<Option<Shown>> {
    let p = *p;
    db.write(move |tx| {
        let now = crate::util::now_ms();
        let Some(id) = id else {
            store::mark_read(tx, p.person_id, None, now)?;
            return Ok(None);
        };
        // Another person's, or one naming what they no longer see: not there.
        let row = store::one(tx, p.person_id, id)?.ok_or(Error::NotFound)?;
        let mut shown = shown(tx, kinds, &p, row)?.ok_or(Error::NotFound)?;
        store::mark_read(tx, p.person_id, Some(id), now)?;
        shown.read = true;
        Ok(Some(shown))
    })
    .await
}
