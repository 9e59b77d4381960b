//! External submission: a file that lands in a folder bound to a flow
//! template (a supplier drops a certificate into "Certificates"), or a new
//! version of one, starts that flow in the name of whoever put it there.
//! The loop reads committed changes back from the audit log from where it
//! stopped, keeping its place in the same transaction as the flows it
//! starts: a crash or a full disk repeats nothing and loses nothing.

use super::flows;
use super::store;
use crate::db::Db;
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Transaction};

const POSITION: &str = "approval_submissions_position";

/// Changes read per transaction.
const BATCH: i64 = 500;

fn position(c: &Connection) -> Result<Option<i64>> {
    Ok(
        c.prepare_cached("SELECT value FROM instance_settings WHERE key = ?1")?
            .query_row([POSITION], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| v.parse().ok()),
    )
}

fn set_position(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO instance_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(rusqlite::params![POSITION, id.to_string()])?;
    Ok(())
}

/// Starts the flow of a file that landed (document `id`, put there by
/// `by`), if its folder is bound and nothing is at work on it. A flow that
/// cannot start (its first step names nobody who may decide) leaves the
/// file a draft, said in the log, and nothing half-written.
fn landed(tx: &Transaction<'_>, id: i64, by: Option<i64>) -> Result<bool> {
    let Some(doc) = crate::documents::store::document(tx, id)? else {
        return Ok(false);
    };
    let Some(folder) = doc.folder_id else {
        return Ok(false);
    };
    let Some(folder) = crate::documents::store::folder(tx, folder)? else {
        return Ok(false);
    };
    let Some(template) = store::binding_for(tx, &folder.path)? else {
        return Ok(false);
    };
    // The flow at work follows the new version itself; a version a flow
    // already ran on (started by hand, or decided meanwhile) is not
    // submitted again.
    if store::open_flow(tx, super::subject::On::Document(id))?.is_some()
        || store::any_flow_on(tx, id, doc.current_version)?
    {
        return Ok(false);
    }
    tx.execute_batch("SAVEPOINT submission")?;
    match flows::start_landed(tx, &doc, template, by) {
        Ok(_) => {
            tx.execute_batch("RELEASE submission")?;
            Ok(true)
        }
        // What the template makes impossible is said and skipped; a fault
        // (a full disk) fails the whole step, read again once it goes.
        Err(e @ (Error::Invalid { .. } | Error::InvalidItem { .. } | Error::Conflict(_))) => {
            tx.execute_batch("ROLLBACK TO submission; RELEASE submission")?;
            tracing::warn!(error = %e, document = id, "a submitted file's flow could not start");
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// A new instance starts the flows of every submission from its first
/// change on (an existing one without a position starts from where it is).
pub async fn start_at_the_beginning(db: &Db) -> Result<()> {
    db.write(|tx| {
        if position(tx)?.is_none() {
            set_position(tx, 0)?;
        }
        Ok(())
    })
    .await
}

/// Reads one batch of changes and starts the flows they call for; how
/// many changes it read, and how many flows it started.
pub async fn step(db: &Db) -> Result<(usize, usize)> {
    db.write(move |tx| {
        let Some(after) = position(tx)? else {
            // A new instance, or one from before submissions: from now on.
            let latest: i64 =
                tx.query_row("SELECT coalesce(max(id), 0) FROM audit_events", [], |r| {
                    r.get(0)
                })?;
            set_position(tx, latest)?;
            return Ok((0, 0));
        };
        let rows: Vec<(i64, String, String, Option<i64>)> = tx
            .prepare_cached(
                "SELECT id, action, target_id, actor_id FROM audit_events
                  WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?
            .query_map(rusqlite::params![after, BATCH], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut started = 0;
        for (_, action, target, actor) in &rows {
            if action != "document.create" && action != "document.version" {
                continue;
            }
            let Ok(id) = target.parse::<i64>() else {
                continue;
            };
            started += usize::from(landed(tx, id, *actor)?);
        }
        if let Some((last, ..)) = rows.last() {
            set_position(tx, *last)?;
        }
        Ok((rows.len(), started))
    })
    .await
}

/// Runs until the database closes.
pub async fn run(db: Db) {
    crate::db::bus::follow(&db, "approval submissions", || async {
        Ok::<_, crate::service::Error>(step(&db).await?.0 as i64 == BATCH)
    })
    .await;
}

/// How many changes the loop has not read yet, for `parvis check`.
pub fn behind(c: &Connection) -> Result<i64> {
    // Not started yet: it starts from where the log then is.
    let Some(at) = position(c)? else {
        return Ok(0);
    };
    Ok(c.query_row(
        "SELECT count(*) FROM audit_events WHERE id > ?1",
        [at],
        |r| r.get(0),
    )?)
}
