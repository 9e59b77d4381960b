//! Dead properties: what WebDAV clients store on spaces, folders and
//! documents (PROPPATCH), kept in SQLite with the object, so they follow it
//! through renames and moves and go with it when it is purged. Callers pass
//! nodes that `documents::paths` resolved, i.e. already access-checked.

use crate::access::Actor;
use crate::content::events::{record, recorded};
use crate::db::Db;
use crate::documents::paths::Node;
use crate::service::{Error, Result};
use axum::http::StatusCode;
use dav_server::fs::DavProp;
use rusqlite::{Connection, params};

/// Properties per object and bytes per property: a client can't fill the disk.
const MAX_PROPS: i64 = 200;
const MAX_XML: usize = 16 * 1024;

/// (space, folder, document): exactly one is set.
pub type Key = (Option<i64>, Option<i64>, Option<i64>);

pub fn key(node: &Node) -> Option<Key> {
    match node {
        Node::Root => None,
        Node::Space { id, .. } => Some((Some(*id), None, None)),
        Node::Folder { folder, .. } => Some((None, Some(folder.id), None)),
        Node::Document { doc, .. } => Some((None, None, Some(doc.id))),
    }
}

const WHERE_KEY: &str = "ifnull(space_id, 0) = ifnull(?1, 0) AND ifnull(folder_id, 0) = ifnull(?2, 0) AND ifnull(document_id, 0) = ifnull(?3, 0)";

/// The property without its value (for status lists).
pub fn bare(p: &DavProp) -> DavProp {
    DavProp {
        name: p.name.clone(),
        prefix: p.prefix.clone(),
        namespace: p.namespace.clone(),
        xml: None,
    }
}

fn count(c: &Connection, k: Key) -> rusqlite::Result<i64> {
    c.query_row(
        &format!("SELECT count(*) FROM dav_properties WHERE {WHERE_KEY}"),
        params![k.0, k.1, k.2],
        |r| r.get(0),
    )
}

/// Applies a PROPPATCH all or nothing: if one property can't be stored, none is.
pub async fn patch(
    db: &Db,
    actor: &Actor,
    node: &Node,
    patch: Vec<(bool, DavProp)>,
) -> Result<Vec<(StatusCode, DavProp)>> {
    let k = key(node).ok_or(Error::Forbidden)?;
    let actor = *actor;
    let too_big = patch
        .iter()
        .any(|(set, p)| *set && p.xml.as_ref().is_some_and(|x| x.len() > MAX_XML));
    if too_big {
        return Ok(patch
            .iter()
            .map(|(_, p)| (StatusCode::INSUFFICIENT_STORAGE, bare(p)))
            .collect());
    }
    db.write(move |tx| {
        let mut out = Vec::with_capacity(patch.len());
        for (set, p) in &patch {
            let ns = p.namespace.clone().unwrap_or_default();
            if *set {
                tx.execute(
                    &format!("DELETE FROM dav_properties WHERE {WHERE_KEY} AND namespace = ?4 AND name = ?5"),
                    params![k.0, k.1, k.2, ns, p.name],
                )?;
                tx.execute(
                    "INSERT INTO dav_properties (space_id, folder_id, document_id, namespace, prefix, name, xml)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![k.0, k.1, k.2, ns, p.prefix, p.name, p.xml],
                )?;
            } else {
                tx.execute(
                    &format!("DELETE FROM dav_properties WHERE {WHERE_KEY} AND namespace = ?4 AND name = ?5"),
                    params![k.0, k.1, k.2, ns, p.name],
                )?;
            }
            out.push((StatusCode::OK, bare(p)));
        }
        if count(tx, k)? > MAX_PROPS {
            // Rolled back by the error: nothing of this patch stays.
            return Err(Error::invalid("properties", "too-many-properties"));
        }
        record(
            tx,
            &actor,
            &Patched {
                space: k.0,
                folder: k.1,
                document: k.2,
                changes: patch.len(),
            },
        )?;
        Ok(out)
    })
    .await
}

fn row(r: &rusqlite::Row<'_>, content: bool) -> rusqlite::Result<DavProp> {
    let ns: String = r.get(0)?;
    Ok(DavProp {
        namespace: (!ns.is_empty()).then_some(ns),
        prefix: r.get(1)?,
        name: r.get(2)?,
        xml: if content { r.get(3)? } else { None },
    })
}

/// Every dead property of a node (values only when `content`).
pub async fn all(db: &Db, node: &Node, content: bool) -> Result<Vec<DavProp>> {
    let Some(k) = key(node) else {
        return Ok(Vec::new());
    };
    db.read(move |c| {
        let mut st = c.prepare_cached(&format!(
            "SELECT namespace, prefix, name, xml FROM dav_properties WHERE {WHERE_KEY} ORDER BY id"
        ))?;
        let rows = st
            .query_map(params![k.0, k.1, k.2], |r| row(r, content))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })
    .await
}

/// One property's stored element, if set.
pub async fn one(db: &Db, node: &Node, prop: &DavProp) -> Result<Option<Vec<u8>>> {
    let Some(k) = key(node) else {
        return Ok(None);
    };
    let ns = prop.namespace.clone().unwrap_or_default();
    let name = prop.name.clone();
    db.read(move |c| {
        let found = rusqlite::OptionalExtension::optional(c.query_row(
            &format!(
                "SELECT xml FROM dav_properties WHERE {WHERE_KEY} AND namespace = ?4 AND name = ?5"
            ),
            params![k.0, k.1, k.2, ns, name],
            |r| r.get::<_, Option<Vec<u8>>>(0),
        ))?;
        Ok(found.flatten())
    })
    .await
}

/// Gives a copied document the properties of its original.
pub async fn copy(db: &Db, from: i64, to: i64) -> Result<()> {
    db.write(move |tx| {
        tx.execute(
            "INSERT OR IGNORE INTO dav_properties (document_id, namespace, prefix, name, xml)
             SELECT ?2, namespace, prefix, name, xml FROM dav_properties WHERE document_id = ?1",
            params![from, to],
        )?;
        Ok(())
    })
    .await
}

/// Which of a container's direct children carry dead properties, in one
/// query (a listing then needs no query per child).
pub async fn present_among(
    db: &Db,
    space: i64,
    folder: Option<i64>,
) -> Result<std::collections::HashSet<Key>> {
    db.read(move |c| {
        let mut st = c.prepare_cached(
            "SELECT DISTINCT NULL, NULL, p.document_id FROM dav_properties p
               JOIN documents d ON d.id = p.document_id
              WHERE d.space_id = ?1 AND ifnull(d.folder_id, 0) = ?2 AND d.deleted_at IS NULL
             UNION
             SELECT DISTINCT NULL, p.folder_id, NULL FROM dav_properties p
               JOIN folders f ON f.id = p.folder_id
              WHERE f.space_id = ?1 AND ifnull(f.parent_id, 0) = ?2 AND f.deleted_at IS NULL",
        )?;
        let rows = st
            .query_map(params![space, folder.unwrap_or(0)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<std::collections::HashSet<Key>>>()?;
        Ok(rows)
    })
    .await
}

/// Dead properties written or removed on one node: where, and how many.
#[derive(serde::Serialize)]
struct Patched {
    space: Option<i64>,
    folder: Option<i64>,
    document: Option<i64>,
    changes: usize,
}

recorded! {
    Patched => none, |_s| "dav.proppatch", |_s| None;
}
