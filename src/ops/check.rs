//! `parvis check`: a registry of named checks, each reporting clearly. Opens
//! the database read-only, so it is safe while the server runs.

use crate::config::{Config, TlsMode};
use crate::db::migration_status;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
}

type CheckFn = fn(&Config, Option<&Connection>) -> (Status, String);

/// Every check, in the order they run. Later issues add theirs here.
const CHECKS: &[(&str, CheckFn)] = &[
    ("data directory", data_dir),
    ("database integrity", integrity),
    ("foreign keys", foreign_keys),
    ("migrations", migrations),
    ("audit chain", audit_chain),
    ("outbox", outbox_backlog),
    ("notifications", notifier_backlog),
    ("news publication", news_publication),
    ("breach warnings", breach_warnings),
    ("approval deadlines", approval_deadlines),
    ("approval submissions", approval_submissions),
    ("approval signatories", approval_signatories),
    ("replies mailbox", replies_mailbox),
    ("notification e-mail", notification_mail),
    ("blobs", blobs),
    ("upload leftovers", upload_leftovers),
    ("search index", search_index),
    ("tls certificate", tls_certificate),
    ("adoption figures", adoption_figures),
];

pub fn run(config: &Config) -> Vec<Finding> {
    let db_path = config.data_dir.join("parvis.db");
    let conn = if db_path.exists() {
        Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .ok()
    } else {
        None
    };
    if let Some(c) = &conn {
        let _ = c.busy_timeout(config.storage.busy_timeout);
    }
    CHECKS
        .iter()
        .map(|(name, f)| {
            let (status, detail) = f(config, conn.as_ref());
            Finding {
                check: name,
                status,
                detail,
            }
        })
        .collect()
}

fn need_db(conn: Option<&Connection>) -> Result<&Connection, (Status, String)> {
    conn.ok_or((Status::Fail, "no database (run `parvis init` first)".into()))
}

fn data_dir(config: &Config, _: Option<&Connection>) -> (Status, String) {
    let dir = &config.data_dir;
    match std::fs::metadata(dir) {
        Err(e) => (Status::Fail, format!("{}: {e}", dir.display())),
        Ok(m) if !m.is_dir() => (
            Status::Fail,
            format!("{} is not a directory", dir.display()),
        ),
        Ok(m) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                if m.permissions().mode() & 0o077 != 0 {
                    return (
                        Status::Warn,
                        format!(
                            "{} is readable by other users (chmod 700 it)",
                            dir.display()
                        ),
                    );
                }
            }
            let _ = m;
            (Status::Ok, dir.display().to_string())
        }
    }
}

fn integrity(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match need_db(conn) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let rows: rusqlite::Result<Vec<String>> = c
        .prepare("PRAGMA integrity_check")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect());
    match rows {
        Ok(r) if r.len() == 1 && r[0] == "ok" => (Status::Ok, "ok".into()),
        Ok(r) => (
            Status::Fail,
            r.into_iter().take(10).collect::<Vec<_>>().join("; "),
        ),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

fn foreign_keys(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match need_db(conn) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let rows: rusqlite::Result<Vec<(String, i64, String)>> =
        c.prepare("PRAGMA foreign_key_check").and_then(|mut st| {
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        });
    match rows {
        Ok(r) if r.is_empty() => (Status::Ok, "no dangling references".into()),
        Ok(r) => (
            Status::Fail,
            format!(
                "{} dangling reference(s), first: {} row {} → {}",
                r.len(),
                r[0].0,
                r[0].1,
                r[0].2
            ),
        ),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

fn migrations(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match need_db(conn) {
        Ok(c) => c,
        Err(e) => return e,
    };
    match migration_status(c) {
        Ok(s) if !s.edited.is_empty() => (
            Status::Fail,
            format!("migration(s) {:?} changed after being applied", s.edited),
        ),
        Ok(s) if s.applied > s.known => (
            Status::Fail,
            format!(
                "schema {} is newer than this binary ({})",
                s.applied, s.known
            ),
        ),
        Ok(s) if s.applied < s.known => (
            Status::Warn,
            format!(
                "schema {} of {}: start the server to migrate",
                s.applied, s.known
            ),
        ),
        Ok(s) => (Status::Ok, format!("schema version {}", s.applied)),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

fn audit_chain(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match need_db(conn) {
        Ok(c) => c,
        Err(e) => return e,
    };
    match crate::audit::verify(c) {
        Ok(v) if v.ok() => (Status::Ok, format!("{} event(s), chain intact", v.rows)),
        Ok(v) => (
            Status::Fail,
            v.problem.map(|(_, why)| why).unwrap_or_default(),
        ),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// How long outbox work may wait before it counts as stuck: a worker takes
/// rows oldest first, so a row waits about as long as the work queued before
/// it, seconds on a healthy server even after a large change.
const STUCK_AFTER_MS: i64 = 15 * 60 * 1000;
/// A rebuild request waits for the whole rebuild.
const REBUILD_STUCK_AFTER_MS: i64 = 6 * 3600 * 1000;
/// Failed attempts in a row after which work counts as stuck (about a
/// minute of retries), whatever its age.
const STUCK_ATTEMPTS: i64 = 5;

/// Whether work of this backlog is not being done.
fn stuck(b: &crate::outbox::Backlog, now: i64) -> bool {
    let patience = if b.kind == crate::search::REINDEX_KIND {
        REBUILD_STUCK_AFTER_MS
    } else {
        STUCK_AFTER_MS
    };
    b.attempts >= STUCK_ATTEMPTS || now - b.oldest > patience
}

fn minutes(ms: i64) -> String {
    match ms.max(0) / 60_000 {
        0 => format!("{} s", ms.max(0) / 1000),
        m => format!("{m} min"),
    }
}

/// The database for a check of work that exists from migration `since`:
/// before it, nothing can wait (`Err` with `before`'s words); from it on,
/// a failing read is a failure, never taken for "nothing waits".
fn since_schema<'c>(
    conn: Option<&'c Connection>,
    since: u32,
    before: &str,
) -> Result<&'c Connection, (Status, String)> {
    let c = need_db(conn)?;
    match migration_status(c) {
        Ok(s) if s.applied < since => Err((Status::Ok, before.into())),
        Ok(_) => Ok(c),
        Err(e) => Err((Status::Fail, e.to_string())),
    }
}

fn outbox_backlog(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 3, "no outbox yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    match crate::outbox::backlog(c) {
        Ok(rows) if rows.is_empty() => (Status::Ok, "empty".into()),
        Ok(rows) => {
            let now = crate::util::now_ms();
            let text = rows
                .iter()
                .map(|b| {
                    let mut t = format!(
                        "{}: {} waiting, the oldest for {}",
                        b.kind,
                        b.rows,
                        minutes(now - b.oldest)
                    );
                    if b.attempts > 0 {
                        t.push_str(&format!(
                            ", {} failed attempt(s), last: {}",
                            b.attempts, b.last_error
                        ));
                    }
                    t
                })
                .collect::<Vec<_>>()
                .join("; ");
            // Work that is not done is derived data missing (search
            // results, mails): a failure to act on, not a note.
            if rows.iter().any(|b| stuck(b, now)) {
                (
                    Status::Fail,
                    format!("{text} (stuck: is the server running? see its log)"),
                )
            } else if rows.iter().any(|b| b.attempts > 0) {
                (Status::Warn, text)
            } else {
                (Status::Ok, text)
            }
        }
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// Whether the notifier keeps up: changes it has not read for as long as
/// outbox work may wait mean people are not being told.
fn notifier_backlog(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 18, "no notifications yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    match crate::notifications::store::backlog(c) {
        Ok(None) => (Status::Ok, "up to date".into()),
        Ok(Some((n, oldest))) => {
            let now = crate::util::now_ms();
            let text = format!(
                "{n} change(s) not read yet, the oldest for {}",
                minutes(now - oldest)
            );
            if now - oldest > STUCK_AFTER_MS {
                (
                    Status::Fail,
                    format!("{text} (stuck: is the server running? see its log)"),
                )
            } else {
                (Status::Ok, text)
            }
        }
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// A loop's oldest due work (`late`, in ms) as a finding: stuck once it
/// waits for as long as outbox work may, fine before.
fn overdue_finding(late: rusqlite::Result<Option<i64>>, what: &str) -> (Status, String) {
    match late {
        Ok(None) => (Status::Ok, "up to date".into()),
        Ok(Some(late)) if late > STUCK_AFTER_MS => (
            Status::Fail,
            format!(
                "{what} waits for {} (stuck: is the server running? see its log)",
                minutes(late)
            ),
        ),
        Ok(Some(late)) => (Status::Ok, format!("{what} due {} ago", minutes(late))),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// Whether scheduled news comes out (and expired news goes) on time: a
/// publication not recorded for as long as outbox work may wait means its
/// audience was not told and search does not have it.
fn news_publication(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 19, "no news yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    overdue_finding(
        crate::news::publisher::overdue(c, crate::util::now_ms()),
        "a publication or expiry",
    )
}

/// Whether the agents of late requests are told: a missed target nobody
/// was warned of for as long as outbox work may wait means the warnings
/// loop is stopped or failing.
fn breach_warnings(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 24, "no breach warnings yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    overdue_finding(
        crate::requests::breaches::overdue(c, crate::util::now_ms()),
        "the warning of a missed target",
    )
}

/// Whether late approval steps are escalated: a passed deadline nobody
/// stood in for, for as long as outbox work may wait, means the deadlines
/// loop is stopped or failing.
fn approval_deadlines(config: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 27, "no approval deadlines yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    let late = crate::approvals::deadlines::overdue(c, crate::util::now_ms(), &config.time_zone())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)));
    overdue_finding(late, "the escalation of a passed deadline")
}

/// Whether files landing in bound folders start their flows: changes the
/// loop has not read while it should have kept up mean it is stopped or
/// failing (a submission waits, a draft).
fn approval_submissions(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 27, "no submissions yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    match crate::approvals::submissions::behind(c) {
        Ok(0) => (Status::Ok, "up to date".into()),
        Ok(n) if n > SUBMISSIONS_BEHIND => (
            Status::Fail,
            format!(
                "{n} changes not read for submissions (stuck: is the server running? see its log)"
            ),
        ),
        Ok(n) => (Status::Ok, format!("{n} changes to read")),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// Signatories without an account asked for over a minute and not mailed
/// their link mean the worker is stopped or failing.
fn approval_signatories(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 28, "no signatories yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    match crate::approvals::signatories::behind(c) {
        Ok(0) => (Status::Ok, "every link mailed".into()),
        Ok(n) => (
            Status::Fail,
            format!(
                "{n} signatories wait for their link (stuck: is the server running? see its log)"
            ),
        ),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// Changes the submissions loop may have left to read before `parvis
/// check` says it is stuck (it reads 500 at a time, at each commit).
const SUBMISSIONS_BEHIND: i64 = 5_000;

/// Whether the replies mailbox is read, when replies by e-mail are on: no
/// good poll for three intervals (and ten minutes at least) while polls
/// fail means replies wait, unread.
fn replies_mailbox(config: &Config, conn: Option<&Connection>) -> (Status, String) {
    let inbound = &config.inbound_mail;
    if !inbound.enabled {
        return (Status::Ok, "off".into());
    }
    if inbound.parts().is_none() {
        return (
            Status::Fail,
            "inbound_mail.address is not an e-mail address".into(),
        );
    }
    let c = match since_schema(conn, 24, "not read yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    let grace = (inbound.poll_interval.as_millis() as i64 * 3).max(10 * 60 * 1000);
    let now = crate::util::now_ms();
    match crate::requests::mailbox::last_polls(c) {
        Ok(None) => (Status::Warn, "not read yet (is the server running?)".into()),
        Ok(Some((ok, Some(error)))) if ok.is_none_or(|t| now - t > grace) => {
            (Status::Fail, format!("cannot be read: {error}"))
        }
        Ok(Some((ok, error))) => (
            Status::Ok,
            match (ok, error) {
                (Some(t), None) => format!("read {} ago", minutes(now - t)),
                (_, Some(e)) => format!("the last read failed ({e}); trying again"),
                _ => "read".into(),
            },
        ),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// Whether notification e-mails leave when due: one that waits past the
/// grace means the mailer is stopped or failing.
fn notification_mail(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 20, "no notification e-mail yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    match crate::notifications::mailer::overdue(c, crate::util::now_ms()) {
        Ok(None) => (Status::Ok, "up to date".into()),
        Ok(Some((n, late))) if late > STUCK_AFTER_MS => (
            Status::Fail,
            format!(
                "{n} notification(s) wait to be e-mailed, the oldest for {} (stuck: is the server running? see its log)",
                minutes(late)
            ),
        ),
        Ok(Some((n, late))) => (
            Status::Ok,
            format!(
                "{n} notification(s) due to be e-mailed, the oldest {} ago",
                minutes(late)
            ),
        ),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

/// Whether the adoption figures are written: a failed write after the
/// last good one, for more than a minute (several tries), means the
/// figures wait in memory and a stop would lose them.
fn adoption_figures(_: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match since_schema(conn, 25, "none yet") {
        Ok(c) => c,
        Err(e) => return e,
    };
    let now = crate::util::now_ms();
    let stale = |ok: Option<i64>| ok.is_none_or(|t| now - t > 60_000);
    match crate::adoption::last_flushes(c) {
        Ok(None) | Ok(Some((None, None))) => (Status::Ok, "none written yet".into()),
        Ok(Some((ok, Some(error)))) if stale(ok) => {
            (Status::Fail, format!("cannot be written: {error}"))
        }
        Ok(Some((_, Some(error)))) => (
            Status::Ok,
            format!("the last write failed ({error}); trying again"),
        ),
        Ok(Some((Some(t), None))) => (Status::Ok, format!("written {} ago", minutes(now - t))),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

fn tls_certificate(config: &Config, _: Option<&Connection>) -> (Status, String) {
    let (cert, key) = match config.tls.mode {
        TlsMode::Off => return (Status::Ok, "TLS is off (behind a reverse proxy)".into()),
        TlsMode::SelfSigned => crate::tls::self_signed_paths(&config.data_dir),
        TlsMode::Files => match (&config.tls.cert_file, &config.tls.key_file) {
            (Some(c), Some(k)) => (c.clone(), k.clone()),
            _ => {
                return (
                    Status::Fail,
                    "tls.cert_file and tls.key_file are required".into(),
                );
            }
        },
    };
    if config.tls.mode == TlsMode::SelfSigned && !cert.exists() {
        return (
            Status::Warn,
            "no self-signed certificate yet; `serve` creates it".into(),
        );
    }
    match crate::tls::check_pair(&cert, &key) {
        Ok(()) => (Status::Ok, format!("{} matches its key", short(&cert))),
        Err(e) => (Status::Fail, e.to_string()),
    }
}

fn short(p: &Path) -> String {
    p.display().to_string()
}

/// Every blob a version refers to exists and has the hash it is named by,
/// whether it is a file or a row of `small_blobs` (read in this check's
/// connection); blobs nothing refers to are reported (the collector removes
/// them later).
fn blobs(config: &Config, conn: Option<&Connection>) -> (Status, String) {
    let c = match need_db(conn) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let store = match crate::blobs::BlobStore::open(&config.data_dir) {
        Ok(s) => s,
        Err(e) => return (Status::Fail, e.to_string()),
    };
    // Every file a kind needs must be there; caches (thumbnails) are made again.
    let (referenced, cached) = match referenced_blobs(c) {
        Ok(v) => v,
        Err(e) => return (Status::Fail, e.to_string()),
    };
    let mut missing = Vec::new();
    let mut corrupt = Vec::new();
    for hash in &referenced {
        let in_db = match crate::blobs::small::contains(c, hash) {
            Ok(found) => found,
            Err(e) => return (Status::Fail, e.to_string()),
        };
        let intact = if in_db {
            crate::blobs::small::verify(c, hash)
        } else {
            store.verify(hash)
        };
        match intact {
            Ok(true) => {}
            Ok(false) if in_db || store.exists(hash) => corrupt.push(hash.clone()),
            Ok(false) => missing.push(hash.clone()),
            Err(e) => return (Status::Fail, e.to_string()),
        }
    }
    let on_disk = match (store.list(), crate::blobs::small::list(c)) {
        (Ok(mut files), Ok(rows)) => {
            files.extend(rows);
            files.sort();
            files.dedup();
            files
        }
        (Err(e), _) | (_, Err(e)) => return (Status::Fail, e.to_string()),
    };
    let orphans = on_disk
        .iter()
        .filter(|h| !referenced.contains(*h) && !cached.contains(*h))
        .count();
    if !missing.is_empty() || !corrupt.is_empty() {
        let first = missing
            .first()
            .or(corrupt.first())
            .cloned()
            .unwrap_or_default();
        return (
            Status::Fail,
            format!(
                "{} missing and {} damaged of {} referenced blobs (first: {first})",
                missing.len(),
                corrupt.len(),
                referenced.len()
            ),
        );
    }
    let detail = format!(
        "{} referenced blobs intact, {orphans} unreferenced",
        referenced.len()
    );
    if orphans > 0 {
        (
            Status::Warn,
            format!("{detail} (collected after a grace period)"),
        )
    } else {
        (Status::Ok, detail)
    }
}

type Hashes = std::collections::BTreeSet<String>;

/// The files every kind refers to: those it needs, and its caches.
fn referenced_blobs(c: &Connection) -> rusqlite::Result<(Hashes, Hashes)> {
    let (mut needed, mut cached) = (Hashes::new(), Hashes::new());
    for r in crate::content::KINDS.iter().flat_map(|k| k.blobs) {
        let into = if r.required { &mut needed } else { &mut cached };
        let sql = format!(
            "SELECT DISTINCT {c} FROM \"{t}\" WHERE {c} <> ''",
            c = r.column,
            t = r.table
        );
        for h in c.prepare(&sql)?.query_map([], |r| r.get::<_, String>(0))? {
            into.insert(h?);
        }
    }
    Ok((needed, cached))
}

/// Partial files of uploads that were interrupted (a crash, a full disk).
/// A server may be running: files still held by a writer are not counted,
/// nor those younger than a few minutes (a writer may be about to hold one).
fn upload_leftovers(config: &Config, _: Option<&Connection>) -> (Status, String) {
    let store = match crate::blobs::BlobStore::open(&config.data_dir) {
        Ok(s) => s,
        Err(e) => return (Status::Fail, e.to_string()),
    };
    match store.count_leftovers(std::time::Duration::from_secs(10 * 60)) {
        (0, _) => (Status::Ok, "none".into()),
        (n, bytes) => (
            Status::Warn,
            format!(
                "{n} file{} ({bytes} bytes) in blobs/tmp from interrupted uploads, \
                 removed when the server next starts",
                if n == 1 { "" } else { "s" }
            ),
        ),
    }
}

/// The index holds one entry per space, person and library file: fewer or
/// more (with no change waiting in the outbox) means it went stale.
fn search_index(config: &Config, conn: Option<&Connection>) -> (Status, String) {
    use crate::search::index::{LiveIndex, inspect};
    let c = match need_db(conn) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let live = match inspect(&config.data_dir) {
        Ok(LiveIndex::Entries(generation, n)) => (generation, n),
        Ok(LiveIndex::Missing) => {
            return (Status::Warn, "not built yet (the server builds it)".into());
        }
        Ok(LiveIndex::Outdated(generation)) => {
            return (
                Status::Warn,
                format!("{generation} is from an older version (the server rebuilds it)"),
            );
        }
        Err(e) => {
            return (
                Status::Fail,
                format!("{e} (run `parvis reindex`, or delete the index directory)"),
            );
        }
    };
    let expected = match crate::search::sources::all_keys(c, crate::content::KINDS) {
        Ok(keys) => keys.len() as u64,
        Err(e) => return (Status::Fail, e.to_string()),
    };
    let backlog = crate::outbox::backlog(c).unwrap_or_default();
    let search = backlog
        .iter()
        .find(|b| b.kind == crate::search::OUTBOX_KIND);
    let waiting: i64 = backlog
        .iter()
        .filter(|b| b.kind == crate::search::OUTBOX_KIND || b.kind == crate::search::REINDEX_KIND)
        .map(|b| b.rows)
        .sum();
    let (generation, entries) = live;
    let detail = format!("{generation}: {entries} entries for {expected} in the database");
    let now = crate::util::now_ms();
    if let Some(b) = search.filter(|b| stuck(b, now)) {
        // Changes the indexer does not take: searches miss them until it does.
        (
            Status::Fail,
            format!(
                "{detail}, {} change(s) not indexed for {} (is the server running? see its log)",
                b.rows,
                minutes(now - b.oldest)
            ),
        )
    } else if entries == expected {
        (Status::Ok, detail)
    } else if waiting > 0 {
        (
            Status::Ok,
            format!("{detail}, {waiting} change(s) waiting to be indexed"),
        )
    } else {
        (Status::Warn, format!("{detail} (run `parvis reindex`)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_check_fails_when_its_table_cannot_be_read() {
        let (_dir, c) = crate::content::tests::schema();
        let config = Config::default();
        for check in [
            outbox_backlog,
            notifier_backlog,
            news_publication,
            notification_mail,
        ] {
            assert_eq!(check(&config, Some(&c)).0, Status::Ok);
        }
        // A damaged schema is not "nothing waits".
        c.execute_batch(
            "DROP INDEX notifications_mail_due;
             ALTER TABLE notifications DROP COLUMN mail_due_at;",
        )
        .unwrap();
        let (status, detail) = notification_mail(&config, Some(&c));
        assert_eq!(status, Status::Fail, "{detail}");
        assert!(detail.contains("mail_due_at"), "{detail}");
    }

    /// The replies mailbox: fine while read, failing once polls have
    /// failed for longer than the grace, fine again once one succeeds.
    #[test]
    fn the_replies_mailbox_fails_while_it_cannot_be_read() {
        let (_dir, c) = crate::content::tests::schema();
        let mut config = Config::default();
        assert_eq!(replies_mailbox(&config, Some(&c)).0, Status::Ok, "off");
        config.inbound_mail.enabled = true;
        config.inbound_mail.address = "support@example.org".into();
        assert_eq!(
            replies_mailbox(&config, Some(&c)).0,
            Status::Warn,
            "not read yet"
        );
        let now = crate::util::now_ms();
        let hour = 3_600_000;
        c.execute(
            "INSERT INTO inbound_mail_polls (id, last_ok_at, last_error, last_error_at)
             VALUES (1, ?1, 'connection refused', ?2)",
            [now - hour, now],
        )
        .unwrap();
        let (status, detail) = replies_mailbox(&config, Some(&c));
        assert_eq!(status, Status::Fail, "{detail}");
        assert!(detail.contains("connection refused"), "{detail}");
        c.execute("UPDATE inbound_mail_polls SET last_ok_at = ?1", [now + 1])
            .unwrap();
        assert_eq!(replies_mailbox(&config, Some(&c)).0, Status::Ok);
        config.inbound_mail.address = "not an address".into();
        assert_eq!(replies_mailbox(&config, Some(&c)).0, Status::Fail);
    }

    #[test]
    fn adoption_figures_fail_while_they_cannot_be_written() {
        let (_dir, c) = crate::content::tests::schema();
        let config = Config::default();
        assert_eq!(adoption_figures(&config, Some(&c)).0, Status::Ok);
        let now = crate::util::now_ms();
        c.execute(
            "INSERT INTO adoption_flushes (id, last_ok_at, last_error, last_error_at)
             VALUES (1, ?1, 'database or disk is full', ?2)",
            [now - 3_600_000, now],
        )
        .unwrap();
        let (status, detail) = adoption_figures(&config, Some(&c));
        assert_eq!(status, Status::Fail, "{detail}");
        assert!(detail.contains("disk is full"), "{detail}");
        // A good write since: recovered.
        c.execute("UPDATE adoption_flushes SET last_ok_at = ?1", [now + 1])
            .unwrap();
        assert_eq!(adoption_figures(&config, Some(&c)).0, Status::Ok);
        // A failure just after a good write is being tried again.
        c.execute("UPDATE adoption_flushes SET last_error_at = ?1", [now + 2])
            .unwrap();
        assert_eq!(adoption_figures(&config, Some(&c)).0, Status::Ok);
    }
}
