//! Sealing a finished flow: its record built from the flow, its document
//! version and its decisions (each with its audit entry's id and hash),
//! signed with the instance's key and kept; and checking a record against
//! this instance (its keys, its audit log).

use super::keys;
use super::record::{self, FORMAT, Verdict};
use super::store;
use crate::i18n::time::iso;
use crate::service::{Error, Result};
use rusqlite::{Connection, Transaction, params};
use serde_json::{Value, json};

/// Builds, signs and keeps the record of finished flow `id`.
pub fn seal(tx: &Transaction<'_>, id: i64, now: i64) -> Result<Value> {
    let flow = store::flow(tx, id)?.ok_or(Error::NotFound)?;
    let subject = subject_of(tx, &flow)?;
    let (key_id, pair) = keys::signing_key(tx, now)?;
    let public = keys::known(tx)?
        .into_iter()
        .find(|k| k.id == key_id)
        .map(|k| k.public_key)
        .ok_or_else(|| Error::Internal("the signing key vanished".into()))?;
    let mut decisions = Vec::new();
    for d in store::decisions(tx, id)? {
        let approver = match (d.approver_id, &d.signatory) {
            (Some(p), _) => Value::String(keys::pseudonym(tx, p, now)?),
            (None, Some(email)) => Value::String(keys::signatory_pseudonym(tx, email, now)?),
            (None, None) => Value::Null,
        };
        let on_behalf_of = match d.on_behalf_of {
            Some(p) => Value::String(keys::pseudonym(tx, p, now)?),
            None => Value::Null,
        };
        let step_name = flow
            .definition
            .steps
            .get(d.step as usize)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        decisions.push(json!({
            "step": d.step + 1,
            "step_name": step_name,
            "approver": approver,
            "decision": d.decision,
            // The words stay on the instance; the record proves them by hash
            // and carries nothing a person typed about themselves or others.
            "comment_blake3": blake3::hash(d.comment.as_bytes()).to_hex().to_string(),
            "stand_in": d.stand_in,
            "on_behalf_of": on_behalf_of,
            "blake3": d.blob_hash,
            "at": iso(d.decided_at),
            "audit": {"id": d.audit_id, "hash": d.audit_hash},
        }));
    }
    let Value::Object(mut body) = json!({
        "format": FORMAT,
        "flow": {
            "id": flow.id,
            "template": flow.template_name,
            "template_version": flow.template_version,
            "outcome": flow.state,
            "started_at": iso(flow.started_at),
            "finished_at": iso(now),
        },
        "decisions": decisions,
    }) else {
        return Err(Error::Internal("a record is an object".into()));
    };
    body.insert(subject.0.into(), subject.1);
    let signature = keys::sign(
        &pair,
        record::canonical(&Value::Object(body.clone())).as_bytes(),
    );
    let sealed = record::signed(body, &key_id, &public, &signature);
    let text = serde_json::to_string_pretty(&sealed).map_err(|e| Error::Internal(e.to_string()))?;
    tx.execute(
        "INSERT INTO approval_records (flow_id, record, key_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, text, key_id, now],
    )?;
    Ok(sealed)
}

/// What the record vouches for: a document's version, or a request's
/// bytes as the flow kept them (the same bytes verify against it).
fn subject_of(tx: &Transaction<'_>, flow: &store::FlowRow) -> Result<(&'static str, Value)> {
    let doc = super::subject::Subject::of_flow(tx, flow)?.ok_or(Error::NotFound)?;
    Ok(match flow.on {
        super::subject::On::Document(id) => {
            let size: i64 = tx.query_row(
                "SELECT size FROM document_versions WHERE document_id = ?1 AND number = ?2",
                params![id, flow.version_number],
                |r| r.get(0),
            )?;
            let v = json!({"id": id, "name": doc.name, "space": doc.space_id,
                "version": flow.version_number, "size": size, "blake3": flow.blob_hash});
            ("document", v)
        }
        super::subject::On::Request(id) => {
            let size = flow.snapshot.as_deref().map_or(0, str::len);
            let v = json!({"id": id, "name": doc.name, "space": doc.space_id,
                "version": flow.version_number, "size": size, "blake3": flow.blob_hash,
                "status": flow.target_status});
            ("request", v)
        }
    })
}

/// Checks a record file (and, if given, the BLAKE3 hash of the document's
/// bytes) against this instance: its keys, and the place of each decision
/// in its audit log.
pub fn verify(c: &Connection, bytes: &[u8], document: Option<&str>) -> Result<Verdict> {
    let known: Vec<keys::PublicKey> = keys::known(c)?;
    let is_known =
        |id: &str, public: &str| known.iter().any(|k| k.id == id && k.public_key == public);
    let chain = |entries: &[(i64, String)]| {
        entries.iter().all(|(id, hash)| {
            c.query_row("SELECT hash FROM audit_events WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .map(|h| &h == hash)
            .unwrap_or(false)
        })
    };
    Ok(record::check(bytes, document, is_known, Some(&chain)))
}
