//! Files sent with requests: which one a writer may name in a field.

use super::fields::FieldKind;
use super::types::Definition;
use crate::access::Principal;
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

/// Whether `p` may name file `id` in a field of `request` (none: one being
/// filed): a file of that request that is not internal, or one they sent
/// that waits for its request.
pub fn usable(c: &Connection, p: &Principal, id: i64, request: Option<i64>) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT 1 FROM request_files WHERE id = ?1 AND internal = 0
           AND ((request_id IS NULL AND uploaded_by = ?2) OR request_id = ?3)",
    )?
    .query_row(rusqlite::params![id, p.person_id, request], |_| Ok(()))
    .optional()?
    .is_some())
}

/// Binds the waiting files a new request's fields name to it.
pub fn attach_waiting(
    c: &Connection,
    request: i64,
    person: i64,
    values: &Map<String, Value>,
    def: &Definition,
) -> Result<()> {
    for f in &def.fields {
        if let (FieldKind::File {}, Some(id)) =
            (&f.kind, values.get(&f.key).and_then(Value::as_i64))
        {
            c.prepare_cached(
                "UPDATE request_files SET request_id = ?1
                 WHERE id = ?2 AND request_id IS NULL AND uploaded_by = ?3",
            )?
            .execute([request, id, person])?;
        }
    }
    Ok(())
}
