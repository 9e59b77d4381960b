//! Libraries seen as one tree of names, for WebDAV: `/<space slug>/<folder>/…/<file>`.
//! Every step of a path is checked by `access` (the space role, then each
//! folder's restriction); a step the person may not see is not found.

use super::model::{Document, Folder};
use super::store;
use crate::access::{self, Actor, SpaceAction, SqlFilter};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::spaces::Role;
use rusqlite::Connection;

/// What a path names.
#[derive(Debug, Clone)]
pub enum Node {
    /// The list of spaces.
    Root,
    Space {
        id: i64,
        slug: String,
        role: Role,
    },
    Folder {
        folder: Folder,
        role: Role,
    },
    Document {
        doc: Document,
        role: Role,
    },
}

impl Node {
    /// Where a child of this node goes: (space, folder), or None at the root.
    pub fn container(&self) -> Option<(i64, Option<i64>)> {
        match self {
            Node::Space { id, .. } => Some((*id, None)),
            Node::Folder { folder, .. } => Some((folder.space_id, Some(folder.id))),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Node::Root => None,
            Node::Space { role, .. } | Node::Folder { role, .. } | Node::Document { role, .. } => {
                Some(*role)
            }
        }
    }
}

/// The most names one listing returns (a folder of more lists its first ones).
const LISTING_CAP: u32 = 50_000;

fn space_node(c: &Connection, actor: &Actor, slug: &str) -> Result<Node> {
    let id = crate::spaces::store::id_by_slug(c, slug)?.ok_or(Error::NotFound)?;
    let role = access::require_space(c, actor, id, SpaceAction::Read)?;
    Ok(Node::Space {
        id,
        slug: slug.to_string(),
        role,
    })
}

fn resolve_in(c: &Connection, actor: &Actor, segments: &[String]) -> Result<Node> {
    let Some((slug, rest)) = segments.split_first() else {
        return Ok(Node::Root);
    };
    let mut node = space_node(c, actor, slug)?;
    for (i, name) in rest.iter().enumerate() {
        let (space, parent) = node.container().ok_or(Error::NotFound)?;
        if let Some(f) = store::folder_by_name(c, space, parent, name)? {
            let role = access::require_folder(c, actor, space, Some(f.id), SpaceAction::Read)?;
            node = Node::Folder { folder: f, role };
            continue;
        }
        // A file ends the path.
        if i + 1 != rest.len() {
            return Err(Error::NotFound);
        }
        let doc = store::document_by_name(c, space, parent, name)?.ok_or(Error::NotFound)?;
        let role = node.role().ok_or(Error::NotFound)?;
        node = Node::Document { doc, role };
    }
    Ok(node)
}

/// The node a path names, if the actor may see it.
pub async fn resolve(db: &Db, actor: &Actor, segments: Vec<String>) -> Result<Node> {
    let actor = *actor;
    db.read(move |c| resolve_in(c, &actor, &segments)).await
}

/// A space as a folder of the tree.
#[derive(Debug, Clone)]
pub struct SpaceEntry {
    pub slug: String,
    pub name: String,
}

/// What a node contains, as the actor may see it.
pub enum Children {
    Spaces(Vec<SpaceEntry>),
    Library {
        folders: Vec<Folder>,
        documents: Vec<Document>,
    },
}

pub async fn children(db: &Db, actor: &Actor, node: &Node) -> Result<Children> {
    if let Node::Root = node {
        let spaces = crate::spaces::service::list(db, actor, None, 5_000).await?;
        return Ok(Children::Spaces(
            spaces
                .into_iter()
                .map(|s| SpaceEntry {
                    slug: s.slug,
                    name: s.name,
                })
                .collect(),
        ));
    }
    let (space, folder) = node.container().ok_or(Error::NotFound)?;
    let actor = *actor;
    db.read(move |c| {
        let role = access::require_folder(c, &actor, space, folder, SpaceAction::Read)?;
        let filter: SqlFilter = access::folders_filter_for(&actor, role, "f");
        let folders = store::subfolders(c, space, folder, &filter)?;
        let documents = store::documents_page(c, space, folder, None, None, LISTING_CAP)?;
        Ok(Children::Library { folders, documents })
    })
    .await
}
