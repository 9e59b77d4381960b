//! What the index holds, read from SQLite (the truth): one loader per kind
//! of entry, and the expansion of a change ("this folder moved") into the
//! entries it touches. A new content type adds a loader and a key listing.

use crate::access::search::{library_tokens, person_tokens, space_token};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

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
}

/// One entry to (re)write or delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Document(i64),
    Space(i64),
    Person(i64),
}

impl Key {
    pub fn text(&self) -> String {
        match self {
            Key::Document(id) => format!("document:{id}"),
            Key::Space(id) => format!("space:{id}"),
            Key::Person(id) => format!("person:{id}"),
        }
    }
}

/// An entry as the indexer writes it.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub key: String,
    pub kind: &'static str,
    pub allow: Vec<String>,
    pub restrict: Vec<String>,
    pub title: String,
    pub tags: String,
    pub body: String,
    pub space: Option<i64>,
    pub author: Option<i64>,
    pub ext: String,
    pub updated: i64,
    pub url: String,
    /// A stored file whose text goes into the body: (blob hash, content type).
    pub file: Option<(String, String)>,
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

/// The entries a change touches.
pub fn expand(c: &Connection, change: &Change) -> rusqlite::Result<Vec<Key>> {
    Ok(match *change {
        Change::Document(id) => vec![Key::Document(id)],
        Change::Space(id) => vec![Key::Space(id)],
        Change::Person(id) => vec![Key::Person(id)],
        Change::Folder(id) => ids(
            c,
            "SELECT d.id FROM documents d JOIN folders f ON f.id = d.folder_id
             WHERE substr(f.path, 1, length((SELECT path FROM folders WHERE id = ?1)))
                   = (SELECT path FROM folders WHERE id = ?1)",
            id,
        )?
        .into_iter()
        .map(Key::Document)
        .collect(),
        Change::SpaceContent(id) => {
            let mut keys = vec![Key::Space(id)];
            keys.extend(
                ids(c, "SELECT id FROM documents WHERE space_id = ?1", id)?
                    .into_iter()
                    .map(Key::Document),
            );
            keys
        }
        Change::SpaceGone(_) => Vec::new(),
        Change::PeopleOfSpace(id) => ids(
            c,
            "SELECT person_id FROM space_members WHERE space_id = ?1 AND person_id IS NOT NULL
             UNION SELECT gm.person_id FROM space_members sm JOIN group_members gm ON gm.group_id = sm.group_id
                   WHERE sm.space_id = ?1
             UNION SELECT p.id FROM space_members sm JOIN people p ON p.org_id = sm.org_id WHERE sm.space_id = ?1",
            id,
        )?
        .into_iter()
        .map(Key::Person)
        .collect(),
        Change::PeopleOfGroup(id) => ids(c, "SELECT person_id FROM group_members WHERE group_id = ?1", id)?
            .into_iter()
            .map(Key::Person)
            .collect(),
        Change::PeopleOfOrg(id) => ids(c, "SELECT id FROM people WHERE org_id = ?1", id)?
            .into_iter()
            .map(Key::Person)
            .collect(),
    })
}

/// Every entry there should be, for a rebuild.
pub fn all_keys(c: &Connection) -> rusqlite::Result<Vec<Key>> {
    let mut keys = Vec::new();
    let mut st = c.prepare("SELECT id FROM spaces")?;
    for id in st.query_map([], |r| r.get(0))? {
        keys.push(Key::Space(id?));
    }
    let mut st = c.prepare("SELECT id FROM people WHERE status = 'active'")?;
    for id in st.query_map([], |r| r.get(0))? {
        keys.push(Key::Person(id?));
    }
    let mut st = c.prepare("SELECT id FROM documents WHERE deleted_at IS NULL")?;
    for id in st.query_map([], |r| r.get(0))? {
        keys.push(Key::Document(id?));
    }
    Ok(keys)
}

/// The entry for a key, or None when it should not be in the index (gone,
/// trashed, disabled).
pub fn load(c: &Connection, key: Key) -> Result<Option<Entry>> {
    match key {
        Key::Document(id) => document(c, id),
        Key::Space(id) => space(c, id),
        Key::Person(id) => person(c, id),
    }
}

fn document(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT d.name, d.description, d.tags, d.space_id, d.updated_by, d.updated_at,
                    d.content_type, d.blob_hash, f.path
             FROM documents d LEFT JOIN folders f ON f.id = d.folder_id
             WHERE d.id = ?1 AND d.deleted_at IS NULL AND (f.id IS NULL OR f.deleted_at IS NULL)",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })
        .optional()?;
    let Some((name, description, tags, space, author, updated, ct, hash, path)) = row else {
        return Ok(None);
    };
    let (allow, restrict) = library_tokens(space, path.as_deref());
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .filter(|e| e.len() <= 8)
        .unwrap_or_default();
    Ok(Some(Entry {
        key: Key::Document(id).text(),
        kind: "document",
        allow,
        restrict,
        title: name,
        tags,
        body: description,
        space: Some(space),
        author,
        ext,
        updated,
        url: format!("/files/{id}"),
        file: (!hash.is_empty()).then_some((hash, ct)),
    }))
}

fn space(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT slug, name,
                    CASE WHEN description_fr = '' THEN description
                         ELSE description || char(10) || description_fr END,
                    updated_at
             FROM spaces WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .optional()?;
    Ok(row.map(|(slug, name, description, updated)| Entry {
        key: Key::Space(id).text(),
        kind: "space",
        allow: vec![space_token(id)],
        title: name,
        body: description,
        space: Some(id),
        updated,
        url: format!("/spaces/{slug}"),
        ..Entry::default()
    }))
}

fn person(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT display_name, title, department, skills, updated_at FROM people
             WHERE id = ?1 AND status = 'active'",
        )?
        .query_row(params![id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .optional()?;
    let Some((name, title, department, skills, updated)) = row else {
        return Ok(None);
    };
    Ok(Some(Entry {
        key: Key::Person(id).text(),
        kind: "person",
        allow: person_tokens(c, id)?,
        title: name,
        tags: skills,
        body: [title, department]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        updated,
        url: format!("/people/{id}"),
        ..Entry::default()
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
