//! What the index holds, read from SQLite (the truth): the expansion of a
//! change ("this folder moved") into the entries it touches, and each entry
//! loaded by its kind's search source (`content::search`). A new kind of
//! content adds nothing here: its registry entry says how it is searched.

use crate::content::{ContentKind, Placement};
use crate::service::Result;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

pub use crate::content::search::Entry;

/// A change to index, as the outbox carries it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(tag = "t", content = "id", rename_all = "snake_case")]
pub enum Change {
    Document(i64),
    Space(i64),
    Person(i64),
    /// Every document in the folder's subtree (moved, trashed, restricted…).
    Folder(i64),
    /// A space and everything in it.
    SpaceContent(i64),
    /// A space that is gone, with its content: dropped from the index.
    SpaceGone(i64),
    /// The people whose visibility follows this space's, group's or
    /// organization's membership.
    PeopleOfSpace(i64),
    PeopleOfGroup(i64),
    PeopleOfOrg(i64),
    /// One item of any searchable kind, by the kind's name.
    Item(String, i64),
}

impl Change {
    /// One item of `kind`.
    pub fn item(kind: &ContentKind, id: i64) -> Change {
        Change::Item(kind.name.to_string(), id)
    }
}

/// One entry to (re)write or delete: an item of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub kind: &'static str,
    pub id: i64,
}

impl Key {
    pub fn text(&self) -> String {
        format!("{}:{}", self.kind, self.id)
    }
}

const DOCUMENT: &str = "document";
const SPACE: &str = "space";
const PERSON: &str = "person";

fn key(kind: &'static str) -> impl Fn(i64) -> Key {
    move |id| Key { kind, id }
}

/// Enqueues `change` in the caller's transaction (invariant 4).
pub fn enqueue(tx: &rusqlite::Transaction<'_>, change: Change) -> Result<()> {
    let payload = serde_json::to_value(&change)
        .map_err(|e| crate::service::Error::Internal(e.to_string()))?;
    crate::outbox::enqueue(tx, super::OUTBOX_KIND, &payload)?;
    Ok(())
}

fn ids(c: &Connection, sql: &str, id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut st = c.prepare_cached(sql)?;
    st.query_map([id], |r| r.get(0))?.collect()
}

/// The searchable kinds placed in a space (or its library) and the column
/// naming it.
fn placed(
    kinds: &[&'static ContentKind],
) -> impl Iterator<Item = (&'static ContentKind, Placement)> {
    kinds
        .iter()
        .copied()
        .filter(|k| k.search.is_some() && !k.tables.is_empty())
        .map(|k| (k, k.placement))
}

/// The entries a change touches, with those of the items that follow
/// them: comments attached to a document, a flow on a document.
pub fn expand(
    c: &Connection,
    kinds: &[&'static ContentKind],
    change: &Change,
) -> rusqlite::Result<Vec<Key>> {
    let mut keys = expand_own(c, kinds, change)?;
    // (the kind that follows, the kind it follows or none for any kind,
    // the column naming that kind, the column naming the item)
    let followers: Vec<(&'static ContentKind, Option<&str>, Option<&str>, &str)> = kinds
        .iter()
        .copied()
        .filter(|k| k.search.is_some() && !k.tables.is_empty())
        .filter_map(|k| match k.placement {
            Placement::Attached { kind, id } => Some((k, None, Some(kind), id)),
            Placement::On { kind, column } => Some((k, Some(kind), None, column)),
            _ => None,
        })
        .collect();
    if followers.is_empty() {
        return Ok(keys);
    }
    let mut by_kind: std::collections::BTreeMap<&str, std::collections::HashSet<i64>> =
        std::collections::BTreeMap::new();
    for k in &keys {
        by_kind.entry(k.kind).or_default().insert(k.id);
    }
    let mut more = Vec::new();
    for (on_kind, ids) in &by_kind {
        // Only items that take comments have anything attached.
        let takes_comments =
            crate::content::find(kinds, on_kind).is_some_and(|k| k.talk.comments.is_some());
        for (kind, on, kind_col, id_col) in &followers {
            match on {
                Some(on) if on != on_kind => continue,
                None if !takes_comments => continue,
                _ => {}
            }
            more.extend(following(c, kind, (on_kind, *kind_col, id_col), ids)?);
        }
    }
    keys.extend(more);
    Ok(keys)
}

/// The items of `kind` on any of `ids` (items of `on_kind`). A few items
/// are asked one by one; many (a whole space's files) in one pass.
fn following(
    c: &Connection,
    kind: &'static ContentKind,
    (on_kind, kind_col, id_col): (&str, Option<&str>, &str),
    ids: &std::collections::HashSet<i64>,
) -> rusqlite::Result<Vec<Key>> {
    let table = kind.tables[0].name;
    let of_kind = kind_col
        .map(|k| format!("{k} = ?2 AND "))
        .unwrap_or_default();
    let mut out = Vec::new();
    if ids.len() <= ONE_BY_ONE {
        let sql = format!("SELECT id FROM \"{table}\" WHERE {of_kind}{id_col} = ?1");
        let mut st = c.prepare_cached(&sql)?;
        for on in ids {
            let rows = if kind_col.is_some() {
                st.query_map(rusqlite::params![on, on_kind], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?
            } else {
                st.query_map(rusqlite::params![on], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?
            };
            out.extend(rows.into_iter().map(key(kind.name)));
        }
    } else {
        let of_kind = kind_col
            .map(|k| format!("WHERE {k} = ?1"))
            .unwrap_or_default();
        let sql = format!("SELECT id, {id_col} FROM \"{table}\" {of_kind}");
        let mut st = c.prepare_cached(&sql)?;
        let row = |r: &rusqlite::Row<'_>| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?));
        let rows = if kind_col.is_some() {
            st.query_map([on_kind], row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            st.query_map([], row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        for (id, on) in rows {
            if ids.contains(&on) {
                out.push(key(kind.name)(id));
            }
        }
    }
    Ok(out)
}

/// Up to this many items of a kind, their attached items are asked one
/// item at a time (an index lookup each); beyond, in one pass.
const ONE_BY_ONE: usize = 256;

fn expand_own(
    c: &Connection,
    kinds: &[&'static ContentKind],
    change: &Change,
) -> rusqlite::Result<Vec<Key>> {
    Ok(match change {
        Change::Document(id) => vec![key(DOCUMENT)(*id)],
        Change::Space(id) => vec![key(SPACE)(*id)],
        Change::Person(id) => vec![key(PERSON)(*id)],
        Change::Item(kind, id) => crate::content::find(kinds, kind)
            .filter(|k| k.search.is_some())
            .map(|k| key(k.name)(*id))
            .into_iter()
            .collect(),
        Change::Folder(id) => {
            let mut keys = Vec::new();
            for (kind, placement) in placed(kinds) {
                let Placement::Folder { folder, .. } = placement else {
                    continue;
                };
                let sql = format!(
                    "SELECT t.id FROM \"{table}\" t JOIN folders f ON f.id = t.{folder}
                     WHERE substr(f.path, 1, length((SELECT path FROM folders WHERE id = ?1)))
                           = (SELECT path FROM folders WHERE id = ?1)",
                    table = kind.tables[0].name
                );
                keys.extend(ids(c, &sql, *id)?.into_iter().map(key(kind.name)));
            }
            keys
        }
        Change::SpaceContent(id) => {
            let mut keys = vec![key(SPACE)(*id)];
            for (kind, placement) in placed(kinds) {
                let (Placement::Space { space } | Placement::Folder { space, .. }) = placement
                else {
                    continue;
                };
                let sql = format!(
                    "SELECT id FROM \"{}\" WHERE {space} = ?1",
                    kind.tables[0].name
                );
                keys.extend(ids(c, &sql, *id)?.into_iter().map(key(kind.name)));
            }
            keys
        }
        Change::SpaceGone(_) => Vec::new(),
        Change::PeopleOfSpace(id) => ids(
            c,
            "SELECT person_id FROM space_members WHERE space_id = ?1 AND person_id IS NOT NULL
             UNION SELECT gm.person_id FROM space_members sm JOIN group_members gm ON gm.group_id = sm.group_id
                   WHERE sm.space_id = ?1
             UNION SELECT p.id FROM space_members sm JOIN people p ON p.org_id = sm.org_id WHERE sm.space_id = ?1",
            *id,
        )?
        .into_iter()
        .map(key(PERSON))
        .collect(),
        Change::PeopleOfGroup(id) => ids(c, "SELECT person_id FROM group_members WHERE group_id = ?1", *id)?
            .into_iter()
            .map(key(PERSON))
            .collect(),
        Change::PeopleOfOrg(id) => ids(c, "SELECT id FROM people WHERE org_id = ?1", *id)?
            .into_iter()
            .map(key(PERSON))
            .collect(),
    })
}

/// Every entry there should be, for a rebuild and for `parvis check`.
/// Items attached to another (comments) are there when that one is.
pub fn all_keys(c: &Connection, kinds: &[&'static ContentKind]) -> rusqlite::Result<Vec<Key>> {
    let mut keys = Vec::new();
    let mut attached = Vec::new();
    for kind in kinds {
        let Some(source) = &kind.search else { continue };
        if let Placement::Attached { .. } = kind.placement {
            attached.push(*kind);
            continue;
        }
        let mut st = c.prepare(source.all)?;
        for id in st.query_map([], |r| r.get(0))? {
            keys.push(key(kind.name)(id?));
        }
    }
    let present: std::collections::HashSet<(&str, i64)> =
        keys.iter().map(|k| (k.kind, k.id)).collect();
    let mut more = Vec::new();
    for kind in attached {
        let (Placement::Attached { kind: kind_col, id }, Some(source)) =
            (kind.placement, kind.search)
        else {
            continue;
        };
        let sql = format!(
            "SELECT a.id, a.{kind_col}, a.{id} FROM \"{}\" a WHERE a.id IN ({})",
            kind.tables[0].name, source.all
        );
        let mut st = c.prepare(&sql)?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (item, on_kind, on_id) = row?;
            if present.contains(&(on_kind.as_str(), on_id)) {
                more.push(key(kind.name)(item));
            }
        }
    }
    keys.extend(more);
    Ok(keys)
}

/// The entry for a key, or None when it should not be in the index (gone,
/// trashed, disabled, or of a kind this instance does not have).
pub fn load(c: &Connection, kinds: &[&'static ContentKind], k: Key) -> Result<Option<Entry>> {
    let Some(source) = crate::content::find(kinds, k.kind).and_then(|kind| kind.search) else {
        return Ok(None);
    };
    Ok((source.load)(c, k.id)?.map(|mut e| {
        e.key = k.text();
        e.kind = k.kind;
        e
    }))
}

/// The people whose directory entries follow a space member's membership.
pub fn people_of(m: &crate::spaces::store::Member) -> Change {
    use crate::spaces::store::Member;
    match *m {
        Member::Person(id) => Change::Person(id),
        Member::Group(id) => Change::PeopleOfGroup(id),
        Member::Org(id) => Change::PeopleOfOrg(id),
    }
}
