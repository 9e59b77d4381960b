//! What is said on a request: public replies, from the customer's side or
//! the agents', and agents' internal notes, each with the files it brings.

use super::events::{Noted, Replied};
use super::files::{Batch, RequestFile};
use super::model::{self, RequestView};
use super::service::view;
use super::store::{self, Said};
use super::work::{keep_public, load};
use crate::access::Actor;
use crate::access::requests::require_agent;
use crate::content::events::record;
use crate::db::Db;
use crate::service::Result;
use crate::talk::me;
use crate::util::now_ms;
use rusqlite::Transaction;
use serde_json::Value;

/// Words, or files, or both: a reply or a note needs one of them.
pub(super) fn words(body: &str, files: &Option<Batch>) -> Result<String> {
    if body.trim().is_empty() && !Batch::is_empty(files) {
        return Ok(String::new());
    }
    model::body(body)
}

/// A public reply, from the customer's side or the agents', with the files
/// it brings; an agent's first one meets the first-response target.
pub async fn reply(
    db: &Db,
    actor: &Actor,
    id: i64,
    body: &str,
    by_mail: bool,
    files: Option<Batch>,
) -> Result<RequestView> {
    let body = words(body, &files)?;
    let actor = *actor;
    db.write(move |tx| {
        reply_in(tx, &actor, id, &body, by_mail, files.as_ref())?;
        view(tx, &actor, id, false)
    })
    .await
}

/// An internal note, with the files it brings: agents alone read it.
pub async fn note(
    db: &Db,
    actor: &Actor,
    id: i64,
    body: &str,
    files: Option<Batch>,
) -> Result<RequestView> {
    let body = words(body, &files)?;
    let actor = *actor;
    db.write(move |tx| {
        note_in(tx, &actor, id, &body, files.as_ref())?;
        view(tx, &actor, id, false)
    })
    .await
}

/// Files alone, sent as a reply (or, `internal`, as an agents' note):
/// those kept come back.
pub async fn send_files(
    db: &Db,
    actor: &Actor,
    id: i64,
    internal: bool,
    files: Batch,
) -> Result<Vec<RequestFile>> {
    let actor = *actor;
    db.write(move |tx| {
        if internal {
            note_in(tx, &actor, id, "", Some(&files))
        } else {
            reply_in(tx, &actor, id, "", false, Some(&files))
        }
    })
    .await
}

pub(super) fn reply_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: i64,
    body: &str,
    by_mail: bool,
    files: Option<&Batch>,
) -> Result<Vec<RequestFile>> {
    let (mut row, _, s) = load(tx, actor, id, None)?;
    let now = now_ms();
    let by = me(actor);
    let (kept, detail) = match files {
        Some(b) => b.keep(tx, row.space_id, id, false, by)?,
        None => (Vec::new(), Value::Null),
    };
    let said = Said {
        by_mail,
        detail: &detail,
        ..Said::words("reply", body)
    };
    // An agent answering their own request is its requester replying.
    let by_agent = s.agent && !s.requester;
    if by_agent {
        row.sla.answered(now);
    }
    let entry = keep_public(tx, actor, &mut row, now, said)?;
    if let Some(p) = by {
        store::watch(tx, id, p, true)?;
    }
    record(
        tx,
        actor,
        &Replied {
            id,
            number: &row.number,
            entry,
            by_agent,
            by_mail,
        },
    )?;
    Ok(kept)
}

fn note_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: i64,
    body: &str,
    files: Option<&Batch>,
) -> Result<Vec<RequestFile>> {
    let (f, _) = require_agent(tx, actor, id)?;
    let number: String = tx
        .prepare_cached("SELECT number FROM requests WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let (kept, detail) = match files {
        Some(b) => b.keep(tx, f.space_id, id, true, me(actor))?,
        None => (Vec::new(), Value::Null),
    };
    let said = Said {
        detail: &detail,
        ..Said::words("note", body)
    };
    let note = store::add_note(tx, id, now_ms(), me(actor), said)?;
    record(
        tx,
        actor,
        &Noted {
            id: note,
            request: id,
            number: &number,
            what: "note",
        },
    )?;
    Ok(kept)
}
