//! Signatories without an account: a step may name someone by their
//! address (a client's signatory), asked for one decision. When the step
//! starts, a worker mails them a single-use link bound to that flow, that
//! entry into the step (its round) and that version's bytes. Opening the
//! link sends a one-time code to the same address; the code opens a grant,
//! held by their browser alone, that shows that version (and nothing else)
//! and takes their decision, once. The link, the code and the grant are
//! kept as hashes only: nobody on the instance, the flow's starter
//! included, can act in their place.

use super::store::{self, FlowRow};
use crate::access::Actor;
use crate::content::events::record;
use crate::db::Db;
use crate::i18n::{I18n, Tr};
use crate::mail::{self, Mail};
use crate::service::{Email, Error, Locale, Result};
use crate::util::{now_ms, random_token};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::collections::BTreeSet;
use std::sync::Arc;

/// How long a link works: the step may wait that long.
pub const LINK_MS: i64 = 30 * 86_400_000;
/// How long a code works, and how many tries it allows.
const CODE_MS: i64 = 15 * 60 * 1000;
const CODE_TRIES: i64 = 5;
/// Codes one link may send.
const CODES: i64 = 5;
/// How long an opened link shows the file and takes the decision.
pub const GRANT_MS: i64 = 60 * 60 * 1000;
/// Invitations mailed per transaction.
const BATCH: usize = 50;

fn hash(secret: &str) -> Vec<u8> {
    blake3::hash(secret.as_bytes()).as_bytes().to_vec()
}

/// Makes the flow's signatories match where it stands: those of its
/// current step and round are asked (once each), any other still open is
/// no longer asked (the flow moved on, restarted or ended).
pub fn sync(tx: &Transaction<'_>, flow: &FlowRow) -> Result<()> {
    let now = now_ms();
    let running = flow.state == "running";
    tx.prepare_cached(
        "UPDATE approval_signatories SET closed_at = ?3, grant_hash = NULL, code_hash = NULL
          WHERE flow_id = ?1 AND closed_at IS NULL AND NOT (?4 AND round = ?2)",
    )?
    .execute(params![flow.id, flow.round, now, running])?;
    if !running {
        return Ok(());
    }
    let Some(step) = flow.definition.steps.get(flow.step as usize) else {
        return Ok(());
    };
    let mut add = tx.prepare_cached(
        "INSERT OR IGNORE INTO approval_signatories
             (flow_id, step, round, version_number, content_blake3, email, name, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (email, name) in step.signatories() {
        // Checked when the template was saved.
        let Ok(email) = Email::parse(email) else {
            continue;
        };
        add.execute(params![
            flow.id,
            flow.step,
            flow.round,
            flow.version_number,
            flow.blob_hash,
            email.as_str(),
            name.trim(),
            now,
            now + LINK_MS
        ])?;
    }
    Ok(())
}

/// The signatories of the flow's current round, as the rule counts them
/// (minus their invitation's id, apart from people's ids).
pub fn counted(c: &Connection, flow: &FlowRow) -> Result<BTreeSet<i64>> {
    let mut st =
        c.prepare_cached("SELECT -id FROM approval_signatories WHERE flow_id = ?1 AND round = ?2")?;
    let rows = st.query_map(params![flow.id, flow.round], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the flow's current step names signatories (then it waits for
/// them, even with nobody else to decide).
pub fn asks(flow: &FlowRow, step: usize) -> bool {
    flow.definition
        .steps
        .get(step)
        .is_some_and(|s| s.signatories().next().is_some())
}

/// What the mailing worker needs besides the database.
#[derive(Clone)]
pub struct Mailer {
    pub i18n: Arc<I18n>,
    /// Base of the links, from configuration (never from a request).
    pub public_url: String,
}

/// An invitation to mail: to whom, for which file, from whom, in the
/// language of whoever started the flow.
struct Due {
    id: i64,
    flow: i64,
    email: String,
    name: String,
    document: String,
    locale: Option<String>,
    starter: String,
}

/// Mails the invitations not yet sent, each in the same transaction as its
/// token and its audit entry: a crash sends none twice and loses none.
/// Whether more wait.
pub async fn send_invitations(db: &Db, mailer: &Mailer) -> Result<bool> {
    // Called at every commit: the writer is taken only when a link is due.
    let due = db
        .read(|c| {
            Ok::<_, Error>(
                c.prepare_cached(
                    "SELECT 1 FROM approval_signatories WHERE token_hash IS NULL AND closed_at IS NULL",
                )?
                .exists([])?,
            )
        })
        .await?;
    if !due {
        return Ok(false);
    }
    let mailer = mailer.clone();
    db.write(move |tx| {
        let due: Vec<Due> = tx
            .prepare_cached(
                "SELECT s.id, s.flow_id, s.email, s.name, d.name, p.locale, coalesce(p.display_name, '')
                   FROM approval_signatories s
                   JOIN approval_flows f ON f.id = s.flow_id
                   JOIN documents d ON d.id = f.document_id
                   LEFT JOIN people p ON p.id = f.started_by
                  WHERE s.token_hash IS NULL AND s.closed_at IS NULL
                  ORDER BY s.id LIMIT ?1",
            )?
            .query_map([BATCH as i64], |r| {
                Ok(Due {
                    id: r.get(0)?,
                    flow: r.get(1)?,
                    email: r.get(2)?,
                    name: r.get(3)?,
                    document: r.get(4)?,
                    locale: r.get(5)?,
                    starter: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for Due {
            id,
            flow,
            email,
            name,
            document,
            locale,
            starter,
        } in &due
        {
            let token = random_token(32);
            tx.prepare_cached("UPDATE approval_signatories SET token_hash = ?2 WHERE id = ?1")?
                .execute(params![id, hash(&token)])?;
            let locale = locale
                .as_deref()
                .and_then(Locale::parse)
                .unwrap_or_default();
            let tr = Tr::new(mailer.i18n.clone(), locale);
            let link = format!("{}/sign/{token}", mailer.public_url);
            mail::enqueue(
                tx,
                &Mail {
                    to: email.clone(),
                    to_name: name.clone(),
                    subject: tr.t1("mail-sign-subject", "document", document.clone()),
                    text: tr.format(
                        "mail-sign-body",
                        &[
                            ("name", name.clone().into()),
                            ("sender", starter.clone().into()),
                            ("document", document.clone().into()),
                            ("link", link.into()),
                        ],
                    ),
                    unsubscribe: None,
                    reply_to: None,
                },
            )?;
            record(
                tx,
                &Actor::system(),
                &super::events::Invited {
                    id: *flow,
                    signatory: *id,
                },
            )?;
        }
        Ok(due.len() == BATCH)
    })
    .await
}

/// Mails the invitations as steps ask for them, until the database closes.
pub async fn run(db: Db, mailer: Mailer) {
    crate::db::bus::follow(&db, "approval signatories", || {
        let (db, mailer) = (db.clone(), mailer.clone());
        async move { send_invitations(&db, &mailer).await }
    })
    .await;
}

/// Sends the links of the flow's current step again (its starter or a
/// manager of its space): each signatory not yet decided gets a new link,
/// the old one stops working, and their codes are counted afresh. How
/// many links go.
pub fn resend_in(tx: &Transaction<'_>, actor: &Actor, id: i64) -> Result<i64> {
    let (flow, _) = super::flows::starters(tx, actor, id)?;
    if flow.state != "running" {
        return Err(Error::Conflict("approval-finished"));
    }
    let now = now_ms();
    let links = tx
        .prepare_cached(
            "UPDATE approval_signatories
                SET token_hash = NULL, codes_sent = 0, code_hash = NULL, code_expires_at = NULL,
                    code_attempts = 0, grant_hash = NULL, grant_expires_at = NULL, expires_at = ?3
              WHERE flow_id = ?1 AND round = ?2 AND closed_at IS NULL",
        )?
        .execute(params![id, flow.round, now + LINK_MS])?;
    let links = links as i64;
    record(tx, actor, &super::events::Resent { id, links })?;
    Ok(links)
}

/// Invitations waiting to be mailed for over a minute: the worker is
/// behind (`parvis check`).
pub fn behind(c: &Connection) -> Result<i64> {
    Ok(c.query_row(
        "SELECT count(*) FROM approval_signatories
          WHERE token_hash IS NULL AND closed_at IS NULL AND created_at < ?1",
        [now_ms() - 60_000],
        |r| r.get(0),
    )?)
}

/// An invitation as its link finds it.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: i64,
    pub flow: i64,
    pub round: i64,
    pub version: i64,
    pub blake3: String,
    pub email: String,
    pub name: String,
    /// A code was sent and still works.
    pub code_live: bool,
    /// Whether the grant given matches and still works.
    pub granted: bool,
}

/// The open invitation of `token` (`grant`: what the browser holds, if
/// anything). A link used, replaced, expired or unknown finds nothing.
pub fn find(c: &Connection, token: &str, grant: Option<&str>) -> Result<Option<Invitation>> {
    if token.len() != 43 {
        return Ok(None);
    }
    let now = now_ms();
    let grant = grant.map(hash);
    Ok(c.prepare_cached(
        "SELECT id, flow_id, round, version_number, content_blake3, email, name,
                coalesce(code_expires_at > ?2 AND code_attempts < ?4, 0),
                coalesce(grant_hash = ?3 AND grant_expires_at > ?2, 0)
           FROM approval_signatories
          WHERE token_hash = ?1 AND closed_at IS NULL AND expires_at > ?2",
    )?
    .query_row(params![hash(token), now, grant, CODE_TRIES], |r| {
        Ok(Invitation {
            id: r.get(0)?,
            flow: r.get(1)?,
            round: r.get(2)?,
            version: r.get(3)?,
            blake3: r.get(4)?,
            email: r.get(5)?,
            name: r.get(6)?,
            code_live: r.get(7)?,
            granted: r.get(8)?,
        })
    })
    .optional()?)
}

/// The invitation of `token` if its flow still waits for it at that round
/// and on those bytes; else it is closed (no longer asked) and `None`.
pub fn current(
    tx: &Transaction<'_>,
    token: &str,
    grant: Option<&str>,
) -> Result<Option<(Invitation, FlowRow)>> {
    let Some(inv) = find(tx, token, grant)? else {
        return Ok(None);
    };
    let flow = match store::flow(tx, inv.flow)? {
        Some(f) => super::flows::follow_versions(tx, f)?,
        None => return Ok(None),
    };
    // A file in the trash is asked of nobody: its link answers as one that
    // no longer works, and works again once the file is back.
    if in_trash(tx, &flow)? {
        return Ok(None);
    }
    if flow.state == "running" && flow.round == inv.round && flow.version_number == inv.version {
        return Ok(Some((inv, flow)));
    }
    sync(tx, &flow)?;
    Ok(None)
}

fn in_trash(c: &Connection, flow: &FlowRow) -> Result<bool> {
    let Some(document) = flow.document_id() else {
        return Ok(true);
    };
    let trashed: Option<bool> = c
        .prepare_cached("SELECT deleted_at IS NOT NULL FROM documents WHERE id = ?1")?
        .query_row([document], |r| r.get(0))
        .optional()?;
    Ok(trashed.unwrap_or(true))
}

/// Sends a one-time code to the invitation's address (in `locale`, the
/// page's), replacing any before it; at most a few per link.
pub fn send_code_in(
    tx: &Transaction<'_>,
    i18n: &Arc<I18n>,
    token: &str,
    locale: Locale,
) -> Result<()> {
    let (inv, _) = current(tx, token, None)?.ok_or(Error::NotFound)?;
    let sent: i64 = tx.query_row(
        "SELECT codes_sent FROM approval_signatories WHERE id = ?1",
        [inv.id],
        |r| r.get(0),
    )?;
    if sent >= CODES {
        return Err(Error::invalid("code", "approval-sign-codes"));
    }
    let code = one_time_code();
    let now = now_ms();
    tx.prepare_cached(
        "UPDATE approval_signatories
            SET code_hash = ?2, code_expires_at = ?3, code_attempts = 0, codes_sent = codes_sent + 1
          WHERE id = ?1",
    )?
    .execute(params![inv.id, hash(&code), now + CODE_MS])?;
    let tr = Tr::new(i18n.clone(), locale);
    mail::enqueue(
        tx,
        &Mail {
            to: inv.email.clone(),
            to_name: inv.name.clone(),
            subject: tr.t("mail-sign-code-subject").to_string(),
            text: tr.t2("mail-sign-code-body", ("name", inv.name), ("code", code)),
            unsubscribe: None,
            reply_to: None,
        },
    )?;
    Ok(())
}

/// Six digits, evenly drawn.
fn one_time_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// What trying a code gave.
pub enum Opened {
    /// The grant the browser keeps.
    Granted(String),
    /// Wrong, or spent: said, and counted against the code.
    Wrong,
}

/// Tries `code` on the link: the right one (once, within its time and
/// tries) opens a grant for an hour; a wrong one counts against it.
pub fn open_in(tx: &Transaction<'_>, token: &str, code: &str) -> Result<Opened> {
    let (inv, _) = current(tx, token, None)?.ok_or(Error::NotFound)?;
    if !inv.code_live {
        return Ok(Opened::Wrong);
    }
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let right = tx
        .prepare_cached("SELECT 1 FROM approval_signatories WHERE id = ?1 AND code_hash = ?2")?
        .exists(params![inv.id, hash(&code)])?;
    if !right {
        tx.prepare_cached(
            "UPDATE approval_signatories SET code_attempts = code_attempts + 1 WHERE id = ?1",
        )?
        .execute([inv.id])?;
        return Ok(Opened::Wrong);
    }
    let grant = random_token(32);
    tx.prepare_cached(
        "UPDATE approval_signatories
            SET code_hash = NULL, code_expires_at = NULL, grant_hash = ?2, grant_expires_at = ?3
          WHERE id = ?1",
    )?
    .execute(params![inv.id, hash(&grant), now_ms() + GRANT_MS])?;
    Ok(Opened::Granted(grant))
}

/// The granted invitation of `token`, its flow and its document: what its
/// page shows and its download serves.
pub fn granted(
    tx: &Transaction<'_>,
    token: &str,
    grant: &str,
) -> Result<(Invitation, FlowRow, crate::documents::Document)> {
    let (inv, flow) = current(tx, token, Some(grant))?.ok_or(Error::NotFound)?;
    if !inv.granted {
        return Err(Error::Forbidden);
    }
    // Signatories are asked on files only (a template naming one does not
    // start on a request).
    let document = flow.document_id().ok_or(Error::NotFound)?;
    let doc = crate::documents::store::document(tx, document)?.ok_or(Error::NotFound)?;
    Ok((inv, flow, doc))
}

/// Records the signatory's decision (their grant spent with it).
pub fn decide_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    (token, grant): (&str, &str),
    decision: super::flows::Decision,
    comment: &str,
) -> Result<FlowRow> {
    let (inv, flow, doc) = granted(tx, token, grant)?;
    tx.prepare_cached(
        "UPDATE approval_signatories
            SET closed_at = ?2, grant_hash = NULL, grant_expires_at = NULL
          WHERE id = ?1",
    )?
    .execute(params![inv.id, now_ms()])?;
    super::flows::decide_as_signatory(
        tx,
        actor,
        flow,
        &super::subject::Subject::document(&doc),
        (inv.id, &inv.email),
        decision,
        comment,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_six_digits() {
        for _ in 0..200 {
            let c = super::one_time_code();
            assert_eq!(c.len(), 6);
            assert!(c.chars().all(|d| d.is_ascii_digit()));
        }
    }
}
