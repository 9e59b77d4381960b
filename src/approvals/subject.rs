//! What a flow decides on: a document's version (its bytes, kept by the
//! version), or a request as its customer sees it — its number, type, title
//! and public fields as canonical JSON bytes, kept with the flow. Both are
//! named by their BLAKE3 hash; a decision is on those bytes and no others.
//! Access to a flow is access to its subject.

use super::store::FlowRow;
use crate::access::{Actor, SpaceAction};
use crate::service::{Error, Result};
use rusqlite::Connection;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Document(i64),
    Request(i64),
}

#[derive(Debug, Clone)]
pub struct Subject {
    pub on: On,
    pub space_id: i64,
    /// A document's folder (none for a request).
    pub folder_id: Option<i64>,
    /// A file's name; a request's number and title.
    pub name: String,
    /// A document's current version; a request's public version.
    pub version: i64,
    pub hash: String,
    /// A request's bytes (a document's are its version's).
    pub snapshot: Option<String>,
    /// The values conditions read: a request's public fields.
    pub fields: Map<String, Value>,
    /// The keys of a request type's public fields, which conditions may name.
    pub public_fields: Vec<String>,
}

impl Subject {
    pub fn document(d: &crate::documents::Document) -> Subject {
        Subject {
            on: On::Document(d.id),
            space_id: d.space_id,
            folder_id: d.folder_id,
            name: d.name.clone(),
            version: d.current_version,
            hash: d.blob_hash.clone(),
            snapshot: None,
            fields: Map::new(),
            public_fields: Vec::new(),
        }
    }

    /// Request `id` as it stands, or none if it is gone.
    pub fn request(c: &Connection, id: i64) -> Result<Option<Subject>> {
        let Some(row) = crate::requests::store::get(c, id)? else {
            return Ok(None);
        };
        let def = crate::requests::type_store::version(c, row.type_id, row.type_version)?;
        let type_key = crate::requests::type_store::by_id(c, row.type_id)?
            .map(|t| t.key)
            .unwrap_or_default();
        // serde_json's objects keep their keys sorted: the same request
        // always gives the same bytes.
        let snapshot = serde_json::json!({
            "request": row.number,
            "type": type_key,
            "title": row.title,
            "fields": row.fields,
        })
        .to_string();
        Ok(Some(Subject {
            on: On::Request(id),
            space_id: row.space_id,
            folder_id: None,
            name: format!("{} {}", row.number, row.title),
            version: row.version,
            hash: blake3::hash(snapshot.as_bytes()).to_hex().to_string(),
            snapshot: Some(snapshot),
            fields: row.fields.clone(),
            public_fields: def
                .fields
                .iter()
                .filter(|f| !f.internal)
                .map(|f| f.key.clone())
                .collect(),
        }))
    }

    /// What flow `flow` decides on, as it stands now (none if it is gone).
    pub fn of_flow(c: &Connection, flow: &FlowRow) -> Result<Option<Subject>> {
        Subject::load(c, flow.on)
    }

    /// The document or request `on` names, as it stands (none if gone).
    pub fn load(c: &Connection, on: On) -> Result<Option<Subject>> {
        match on {
            On::Document(id) => {
                Ok(crate::documents::store::document(c, id)?.map(|d| Subject::document(&d)))
            }
            On::Request(id) => Subject::request(c, id),
        }
    }

    /// Whether the flow is on what this subject is now: the same version
    /// of a document, or a request whose bytes did not change.
    pub fn is_at(&self, flow: &FlowRow) -> bool {
        match self.on {
            On::Document(_) => self.version == flow.version_number,
            On::Request(_) => self.hash == flow.blob_hash,
        }
    }

    pub fn document_id(&self) -> Option<i64> {
        match self.on {
            On::Document(id) => Some(id),
            On::Request(_) => None,
        }
    }

    pub fn request_id(&self) -> Option<i64> {
        match self.on {
            On::Request(id) => Some(id),
            On::Document(_) => None,
        }
    }
}

/// Where a flow on `on` is seen: its file's or its request's approvals.
pub fn url(on: On) -> String {
    match on {
        On::Document(id) => format!("/files/{id}/approvals"),
        On::Request(id) => format!("/requests/{id}/approvals"),
    }
}

/// Whether the actor may `action` the subject: read it (and so know of
/// its flows and decide when asked), contribute (start a flow: a file's
/// contributors, a request's agents), or manage (its space's managers). A
/// subject they may not read is not found.
pub fn require(c: &Connection, actor: &Actor, s: &Subject, action: SpaceAction) -> Result<()> {
    match s.on {
        On::Document(_) => {
            crate::access::require_folder(c, actor, s.space_id, s.folder_id, action).map(|_| ())
        }
        On::Request(id) => {
            let (_, standing) = crate::access::requests::require_request(c, actor, id)?;
            let allowed = match action {
                SpaceAction::Read => standing.sees(),
                SpaceAction::Manage => standing.manager,
                SpaceAction::Contribute => standing.agent,
            };
            if allowed {
                Ok(())
            } else {
                Err(Error::Forbidden)
            }
        }
    }
}

/// Loads a flow's subject the actor may `action`.
pub fn require_of(
    c: &Connection,
    actor: &Actor,
    flow: &FlowRow,
    action: SpaceAction,
) -> Result<Subject> {
    let s = Subject::of_flow(c, flow)?.ok_or(Error::NotFound)?;
    require(c, actor, &s, action)?;
    Ok(s)
}
