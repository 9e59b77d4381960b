//! Replies by e-mail. A notification about one request is sent to one
//! person with a reply address of their own for it,
//! `support+{request}.{person}.{mac}@example.org`, signed with the
//! instance's key; the answer lands in the request's timeline as a public
//! reply from that person, with its attachments. Never by the subject
//! line: a message lands only when its address is one this instance signed
//! for that request and person, and it comes from that person's address.
//! A forged or unknown address, another sender, an automatic answer (an
//! out-of-office) or an empty one is refused and logged; each message is
//! read once (its id is kept in the transaction of its reply).

use super::conversation;
use super::files::{Batch, Incoming, MAX_FILES};
use crate::access::Actor;
use crate::blobs::BlobStore;
use crate::db::Db;
use crate::documents::model::{FileName, sniff};
use crate::service::{Error, Result};
use mail_parser::{HeaderName, Message, MessageParser, MimeHeaders};
use rusqlite::{Connection, OptionalExtension};

const CONTEXT: &str = "parvis 2026 request reply address";

fn mac(key: &str, request: i64, person: i64, born: i64) -> String {
    let key = blake3::derive_key(CONTEXT, key.as_bytes());
    let signed = format!("{request}:{person}:{born}");
    blake3::keyed_hash(&key, signed.as_bytes()).to_hex()[..24].to_string()
}

fn born(c: &Connection, person: i64) -> rusqlite::Result<Option<i64>> {
    c.prepare_cached("SELECT created_at FROM people WHERE id = ?1")?
        .query_row([person], |r| r.get(0))
        .optional()
}

/// The reply address of e-mails about `request` to `person` (see
/// `content::Notify::reply`).
pub fn reply_address(
    c: &Connection,
    (local, domain): (&str, &str),
    request: i64,
    person: i64,
) -> Result<Option<String>> {
    let Some(born) = born(c, person)? else {
        return Ok(None);
    };
    let key = crate::notifications::links::instance_key(c)?;
    let mac = mac(&key, request, person, born);
    Ok(Some(format!("{local}+{request}.{person}.{mac}@{domain}")))
}

/// The request and person a token names, when this instance signed it.
fn verify(c: &Connection, token: &str) -> Result<Option<(i64, i64)>> {
    let mut parts = token.splitn(3, '.');
    let (Some(request), Some(person), Some(given)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    let (Ok(request), Ok(person)) = (request.parse::<i64>(), person.parse::<i64>()) else {
        return Ok(None);
    };
    let Some(born) = born(c, person)? else {
        return Ok(None);
    };
    let key = crate::notifications::links::instance_key(c)?;
    let expected = mac(&key, request, person, born);
    // Compared whole, in constant time.
    let same = expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.to_ascii_lowercase().bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    Ok(same.then_some((request, person)))
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// In the timeline of this request.
    Landed(i64),
    /// Read before (its reply is there already).
    Again,
    /// Not addressed to any request's reply address.
    NotAReply,
    /// Addressed to a reply address this instance never signed.
    Forged,
    /// From another address than the person's the reply address is for.
    UnknownSender,
    /// An automatic answer (out of office, delivery report).
    Automatic,
    /// Nothing but quoted text.
    Empty,
    /// Not a message, or larger than what is read.
    Unreadable,
    /// The request refused it as it would a reply from the page (the
    /// person no longer sees it, an attachment too large…).
    Refused(String),
}

impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Landed(_) => "landed",
            Outcome::Again => "again",
            Outcome::NotAReply => "not-a-reply",
            Outcome::Forged => "forged",
            Outcome::UnknownSender => "unknown-sender",
            Outcome::Automatic => "automatic",
            Outcome::Empty => "empty",
            Outcome::Unreadable => "unreadable",
            Outcome::Refused(_) => "refused",
        }
    }
}

/// The tokens of the reply addresses a message was sent to (`local+token@domain`).
fn tokens(m: &Message<'_>, (local, domain): (&str, &str)) -> Vec<String> {
    let mut addresses: Vec<String> = Vec::new();
    for list in [m.to(), m.cc()].into_iter().flatten() {
        addresses.extend(list.iter().filter_map(|a| a.address()).map(str::to_string));
    }
    for v in m.header_as(HeaderName::DeliveredTo, mail_parser::HeaderForm::Addresses) {
        if let Some(list) = v.as_address() {
            addresses.extend(list.iter().filter_map(|a| a.address()).map(str::to_string));
        }
    }
    let prefix = format!("{}+", local.to_ascii_lowercase());
    let mut out: Vec<String> = addresses
        .iter()
        .filter_map(|a| {
            let (l, d) = a.rsplit_once('@')?;
            let l = l.to_ascii_lowercase();
            (d.eq_ignore_ascii_case(domain) && l.starts_with(&prefix))
                .then(|| l[prefix.len()..].to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a message says it was sent by a machine (RFC 3834).
fn automatic(m: &Message<'_>) -> bool {
    let said = |name: &str| {
        m.header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let auto = said("Auto-Submitted");
    (!auto.is_empty() && auto != "no")
        || matches!(said("Precedence").as_str(), "bulk" | "junk" | "auto_reply")
        || m.header_raw("X-Autoreply").is_some()
}

/// The answer itself: what is above the marker our e-mails carry, above a
/// quote's "On … wrote:" line, without the quoted lines and the signature.
pub fn answer(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("##-") || t == "-- " || line == "-- " {
            break;
        }
        let lower = t.to_lowercase();
        let quote_head = (lower.starts_with("on ") && lower.ends_with("wrote:"))
            || (lower.starts_with("le ")
                && (lower.ends_with("a écrit :") || lower.ends_with("a écrit:")))
            || lower.starts_with("-----original message-----")
            || lower.starts_with("-----message d'origine-----");
        if quote_head {
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    kept.join("\n").trim().to_string()
}

/// A message's attachments with a name that is a valid file name, stored.
fn attachments(m: &Message<'_>, blobs: &BlobStore) -> Result<Vec<Incoming>> {
    let mut out = Vec::new();
    for part in m.attachments().take(MAX_FILES) {
        let Some(name) = part.attachment_name().and_then(|n| FileName::parse(n).ok()) else {
            continue;
        };
        let bytes = part.contents();
        let stored = blobs
            .put(bytes)
            .map_err(crate::documents::service::blob_error)?;
        out.push(Incoming {
            content_type: sniff(&bytes[..bytes.len().min(512)], &name),
            name,
            stored,
        });
    }
    Ok(out)
}

/// What a message says, read before the transaction.
struct Read {
    id: String,
    automatic: bool,
    sender: String,
    tokens: Vec<String>,
    body: String,
    files: Vec<Incoming>,
}

fn read(raw: &[u8], mailbox: (&str, &str), blobs: &BlobStore) -> Result<Option<Read>> {
    let Some(m) = MessageParser::default().parse(raw) else {
        return Ok(None);
    };
    let id = m
        .message_id()
        .map(str::to_string)
        .unwrap_or_else(|| blake3::hash(raw).to_hex().to_string());
    let sender = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let automatic = automatic(&m);
    let tokens = tokens(&m, mailbox);
    let body = m.body_text(0).map(|t| answer(&t)).unwrap_or_default();
    // Stored only for a message that may land; a refused one stores nothing.
    let files = if automatic || tokens.len() != 1 {
        Vec::new()
    } else {
        attachments(&m, blobs)?
    };
    Ok(Some(Read {
        id,
        automatic,
        sender,
        tokens,
        body,
        files,
    }))
}

fn seen_before(c: &Connection, id: &str) -> Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM inbound_mail WHERE message_id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

fn remember(c: &Connection, id: &str, outcome: &Outcome, at: i64) -> Result<()> {
    let request = match outcome {
        Outcome::Landed(r) => Some(*r),
        _ => None,
    };
    c.prepare_cached(
        "INSERT OR IGNORE INTO inbound_mail (message_id, read_at, outcome, request_id)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![id, at, outcome.name(), request])?;
    Ok(())
}

/// Whether the request refused a reply as it would one from the page
/// (the person no longer sees it, a file too large…), rather than failed.
fn refusal(e: &Error) -> bool {
    matches!(
        e,
        Error::NotFound
            | Error::Forbidden
            | Error::Invalid { .. }
            | Error::InvalidItem { .. }
            | Error::TooLarge { .. }
            | Error::QuotaExceeded
            | Error::Conflict(_)
    )
}

/// Reads one message: lands it as a reply, or says why not. Whatever the
/// outcome, the message is remembered, so that it is never read twice; a
/// failure (a full disk) leaves it to be read again.
pub async fn land(
    db: &Db,
    blobs: &BlobStore,
    quota: u64,
    mailbox: (&str, &str),
    raw: &[u8],
) -> Result<Landing> {
    let Some(Read {
        id,
        automatic,
        sender,
        tokens,
        body,
        files,
    }) = read(raw, mailbox, blobs)?
    else {
        return Ok(Landing {
            outcome: Outcome::Unreadable,
            sender: String::new(),
        });
    };
    let from = sender.clone();
    let blobs = blobs.clone();
    let message = id.clone();
    let landed = db
        .write(move |tx| {
            if seen_before(tx, &message)? {
                return Ok(Outcome::Again);
            }
            let outcome = match &tokens[..] {
                _ if automatic => Outcome::Automatic,
                [] => Outcome::NotAReply,
                [token] => match verify(tx, token)? {
                    None => Outcome::Forged,
                    Some((request, person)) => {
                        let email: Option<String> = tx
                            .prepare_cached("SELECT lower(email) FROM people WHERE id = ?1")?
                            .query_row([person], |r| r.get(0))
                            .optional()?;
                        let principal = crate::auth::principal_now(tx, person)?;
                        match (email, principal) {
                            (Some(e), Some(p)) if e == sender => {
                                let files = (!files.is_empty()).then_some(Batch {
                                    blobs,
                                    quota,
                                    files,
                                });
                                match conversation::words(&body, &files) {
                                    Ok(body) => {
                                        let actor = Actor::person(p, None);
                                        conversation::reply_in(
                                            tx,
                                            &actor,
                                            request,
                                            &body,
                                            true,
                                            files.as_ref(),
                                        )?;
                                        Outcome::Landed(request)
                                    }
                                    Err(_) => Outcome::Empty,
                                }
                            }
                            _ => Outcome::UnknownSender,
                        }
                    }
                },
                // Several reply addresses at once: none of them is the answer's.
                _ => Outcome::Forged,
            };
            remember(tx, &message, &outcome, crate::util::now_ms())?;
            Ok(outcome)
        })
        .await;
    let outcome = match landed {
        Err(e) if refusal(&e) => {
            // Nothing of the reply was kept; the refusal is remembered.
            let outcome = Outcome::Refused(e.to_string());
            let kept = outcome.clone();
            db.write(move |tx| remember(tx, &id, &kept, crate::util::now_ms()))
                .await?;
            outcome
        }
        other => other?,
    };
    Ok(Landing {
        outcome,
        sender: from,
    })
}

/// What became of a message, and who it said it came from (for the log).
#[derive(Debug)]
pub struct Landing {
    pub outcome: Outcome,
    pub sender: String,
}

#[cfg(test)]
mod tests {
    use super::answer;

    #[test]
    fn the_answer_is_what_is_above_the_quote_and_the_signature() {
        let mail = "Thanks, tomorrow works.\n> quoted line\nSee you.\n\n\
                    On Sat, 5 Dec 2026 at 10:00, Parvis <p@x> wrote:\n> ##- Reply above -##\n> old";
        assert_eq!(answer(mail), "Thanks, tomorrow works.\nSee you.");
        assert_eq!(
            answer("Merci.\nLe samedi 5 décembre, Parvis a écrit :\n> x"),
            "Merci."
        );
        assert_eq!(answer("Ok\n-- \nMarc, Verdier"), "Ok");
        assert_eq!(answer("##- Reply above this line -##\nall quoted"), "");
        assert_eq!(answer("> only a quote"), "");
    }
}
