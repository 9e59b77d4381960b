//! Writers as the reader may know them.

use crate::access::Actor;
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

/// Someone who wrote, as the reader may know them: a name only when the
/// reader may see that person (`None`: a former member, or erased).
#[derive(Debug, Clone, Serialize)]
pub struct Writer {
    pub id: Option<i64>,
    pub name: Option<String>,
}

/// The person acting, if a person acts.
pub fn me(actor: &Actor) -> Option<i64> {
    actor.principal().map(|p| p.person_id)
}

/// Names writers as the reader may know them, asking once per person.
pub struct Writers<'a> {
    actor: &'a Actor,
    known: HashMap<i64, Writer>,
}

impl<'a> Writers<'a> {
    pub fn new(actor: &'a Actor) -> Self {
        Writers {
            actor,
            known: HashMap::new(),
        }
    }

    pub fn of(&mut self, c: &Connection, id: Option<i64>) -> Result<Writer> {
        let Some(id) = id else {
            return Ok(Writer {
                id: None,
                name: None,
            });
        };
        if let Some(w) = self.known.get(&id) {
            return Ok(w.clone());
        }
        let visible = match self.actor.principal() {
            Some(p) => crate::access::seen::person(c, p, id)?,
            None => true,
        };
        let name: Option<String> = if visible {
            c.prepare_cached("SELECT display_name FROM people WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
        } else {
            None
        };
        let w = Writer {
            id: name.as_ref().map(|_| id),
            name,
        };
        self.known.insert(id, w.clone());
        Ok(w)
    }
}
