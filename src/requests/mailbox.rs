//! The replies mailbox, read as configured (`[inbound_mail]`): every poll
//! lands each message not read yet (see `by_mail`), then marks it read. A
//! failure (the server away, a full disk) ends the poll, leaves the
//! message unread, and is tried again at the next; each poll's outcome is
//! kept for `parvis check`.

use super::by_mail::{self, Outcome};
use crate::app::AppState;
use crate::config::InboundMailConfig;
use crate::mail::imap::Mailbox;
use rusqlite::{Connection, OptionalExtension};

/// Reads the mailbox once: how many messages were handled.
pub async fn poll(state: &AppState, config: &InboundMailConfig) -> Result<usize, String> {
    let Some(parts) = config.parts() else {
        return Err("inbound_mail.address is not an address".into());
    };
    let mut mailbox = Mailbox::open(config).await.map_err(|e| e.to_string())?;
    let unread = mailbox.unread().await.map_err(|e| e.to_string())?;
    let mut handled = 0;
    for message in unread {
        let landing = match &message.raw {
            Some(raw) => by_mail::land(
                &state.db,
                &state.blobs,
                state.config.documents.space_quota_bytes,
                parts,
                raw,
            )
            .await
            .map_err(|e| e.to_string())?,
            None => by_mail::Landing {
                outcome: Outcome::Unreadable,
                sender: String::new(),
            },
        };
        match &landing.outcome {
            Outcome::Landed(request) => {
                tracing::info!(request, "a reply by e-mail landed")
            }
            Outcome::Again | Outcome::Automatic => {}
            refused => tracing::warn!(
                outcome = refused.name(),
                reason = ?refused,
                sender = %landing.sender,
                "an e-mail to the replies mailbox was refused"
            ),
        }
        mailbox
            .mark_read(message.uid)
            .await
            .map_err(|e| e.to_string())?;
        handled += 1;
    }
    mailbox.close().await;
    Ok(handled)
}

/// Notes how a poll went, for `parvis check`.
async fn note_poll(state: &AppState, ok: bool, error: Option<String>) {
    let now = crate::util::now_ms();
    let saved = state
        .db
        .write(move |tx| {
            tx.execute(
                "INSERT INTO inbound_mail_polls (id, last_ok_at, last_error, last_error_at)
                     VALUES (1, CASE WHEN ?1 THEN ?2 END, ?3, CASE WHEN ?1 THEN NULL ELSE ?2 END)
                     ON CONFLICT (id) DO UPDATE SET
                       last_ok_at = CASE WHEN ?1 THEN ?2 ELSE last_ok_at END,
                       last_error = CASE WHEN ?1 THEN last_error ELSE ?3 END,
                       last_error_at = CASE WHEN ?1 THEN last_error_at ELSE ?2 END",
                rusqlite::params![ok, now, error],
            )
            .map_err(crate::db::DbError::from)
        })
        .await;
    if let Err(e) = saved {
        tracing::warn!(error = %e, "the replies mailbox's poll could not be noted");
    }
}

/// Reads the mailbox every `poll_interval` until aborted; does nothing
/// when replies by e-mail are off.
pub async fn run(state: AppState) {
    let config = state.config.inbound_mail.clone();
    if !config.enabled {
        return;
    }
    let mut tick = tokio::time::interval(config.poll_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match poll(&state, &config).await {
            Ok(_) => note_poll(&state, true, None).await,
            Err(e) => {
                tracing::warn!(error = %e, "the replies mailbox could not be read; trying again");
                note_poll(&state, false, Some(e)).await;
            }
        }
    }
}

/// How the mailbox's reading stands: the last good poll and the last
/// error after it, if any.
pub fn last_polls(c: &Connection) -> rusqlite::Result<Option<(Option<i64>, Option<String>)>> {
    c.query_row(
        "SELECT last_ok_at, CASE WHEN last_error_at > ifnull(last_ok_at, 0) THEN last_error END
           FROM inbound_mail_polls WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}
