//! Orders in bulk: a CSV of the requests an outside system knows, one line
//! each, upserted as `PUT …/by-external-id/{id}` does. Every line is tried
//! in one transaction; the import is kept only when every line holds, and
//! a dry run is never kept: either way, each bad line is named with why.
//!
//! Columns: `external_id` and `title` (required), `status`, `priority`,
//! `requester` (an e-mail address; empty: the importer), then one column
//! per field, by its key (a multiple choice's options separated by `;`).

use super::filing::{Upsert, Upserted, agents_type, upsert_in};
use super::typed::values;
use crate::access::Actor;
use crate::db::{Db, DbError};
use crate::service::{Error, Result};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::HashMap;

/// At most this many lines in one file.
pub const MAX_LINES: usize = 10_000;

const KNOWN: &[&str] = &["external_id", "title", "status", "priority", "requester"];

/// What became of one line.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    pub external_id: String,
    /// `created`, `changed`, `unchanged`, or `refused`.
    pub outcome: &'static str,
    /// Why it was refused: a message code, and the field or column at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What an import did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Kept: every line held and it was not a dry run.
    pub kept: bool,
    pub dry_run: bool,
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: usize,
    pub lines: Vec<Line>,
}

/// Why a transaction ends without being kept.
enum Abort {
    /// Rolled back on purpose: a dry run, or a line refused.
    Report(Report),
    Failed(Error),
}

impl From<DbError> for Abort {
    fn from(e: DbError) -> Self {
        Abort::Failed(e.into())
    }
}

impl From<Error> for Abort {
    fn from(e: Error) -> Self {
        Abort::Failed(e)
    }
}

/// The code and the field of a refusal, as a line reports them.
fn refusal(e: &Error) -> Option<(&'static str, Option<String>)> {
    Some(match e {
        Error::InvalidItem { code, item, .. } => (*code, Some(item.to_string())),
        Error::Invalid { field, code } => (*code, Some(field.to_string())),
        Error::Conflict(code) | Error::Exists(code) => (*code, None),
        Error::NotFound | Error::Forbidden => ("request-import-not-yours", None),
        _ => return None,
    })
}

/// The rows of a CSV: its header and its lines, each by column.
fn rows(csv_bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(csv_bytes);
    let bad = || Error::invalid("file", "request-import-not-csv");
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| bad())?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(p) => Error::InvalidItem {
                field: "file",
                item: p.line().to_string(),
                code: "request-import-line-broken",
            },
            None => bad(),
        })?;
        if lines.len() == MAX_LINES {
            return Err(Error::invalid("file", "request-import-too-many"));
        }
        lines.push(record.iter().map(str::to_string).collect());
    }
    Ok((header, lines))
}

/// Imports (or, `dry_run`, checks) a CSV of requests of type `type_key`
/// into `space`, as `actor` (one of its agents).
pub async fn import(
    db: &Db,
    actor: &Actor,
    type_key: &str,
    space: i64,
    csv_bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Report> {
    let (header, lines) = rows(&csv_bytes)?;
    for required in ["external_id", "title"] {
        if !header.iter().any(|h| h == required) {
            return Err(Error::InvalidItem {
                field: "file",
                item: required.into(),
                code: "request-import-column-missing",
            });
        }
    }
    let (actor, type_key) = (*actor, type_key.to_string());
    let done = db
        .write(move |tx| {
            let (t, _) = agents_type(tx, &actor, &type_key, space)?;
            if let Some(unknown) = header
                .iter()
                .find(|h| !KNOWN.contains(&h.as_str()) && t.definition.field(h).is_none())
            {
                return Err(Abort::Failed(Error::InvalidItem {
                    field: "file",
                    item: unknown.clone(),
                    code: "request-import-column-unknown",
                }));
            }
            let mut report = Report {
                kept: false,
                dry_run,
                created: 0,
                changed: 0,
                unchanged: 0,
                refused: 0,
                lines: Vec::with_capacity(lines.len()),
            };
            for (i, cells) in lines.into_iter().enumerate() {
                let cell: HashMap<&str, &str> = header
                    .iter()
                    .map(String::as_str)
                    .zip(cells.iter().map(String::as_str))
                    .collect();
                let external = value(&cell, "external_id").to_string();
                let tried = line(tx, &actor, &t, space, &cell);
                let (outcome, why) = match tried {
                    Ok(Upserted::Created) => ("created", None),
                    Ok(Upserted::Changed) => ("changed", None),
                    Ok(Upserted::Unchanged) => ("unchanged", None),
                    Err(e) => match refusal(&e) {
                        Some(why) => ("refused", Some(why)),
                        None => return Err(Abort::Failed(e)),
                    },
                };
                match outcome {
                    "created" => report.created += 1,
                    "changed" => report.changed += 1,
                    "unchanged" => report.unchanged += 1,
                    _ => report.refused += 1,
                }
                let (code, field) = match why {
                    Some((c, f)) => (Some(c), f),
                    None => (None, None),
                };
                report.lines.push(Line {
                    line: i + 2,
                    external_id: external,
                    outcome,
                    code,
                    field,
                });
            }
            if dry_run || report.refused > 0 {
                return Err(Abort::Report(report));
            }
            report.kept = true;
            Ok(report)
        })
        .await;
    match done {
        Ok(report) | Err(Abort::Report(report)) => Ok(report),
        Err(Abort::Failed(e)) => Err(e),
    }
}

/// A line's cell in column `k`, trimmed; empty when there is none.
fn value<'a>(cell: &HashMap<&str, &'a str>, k: &str) -> &'a str {
    cell.get(k).map(|v| v.trim()).unwrap_or_default()
}

/// One line, upserted in the import's transaction.
fn line(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    t: &super::types::TypeRow,
    space: i64,
    cell: &HashMap<&str, &str>,
) -> Result<Upserted> {
    let get = |k: &str| value(cell, k);
    let requester = match get("requester") {
        "" => None,
        email => Some(
            tx.prepare_cached("SELECT id FROM people WHERE lower(email) = lower(?1)")?
                .query_row([email], |r| r.get::<_, i64>(0))
                .optional()?
                .ok_or_else(|| Error::invalid("requester", "request-import-requester-unknown"))?,
        ),
    };
    let draft: HashMap<String, Vec<String>> = t
        .definition
        .fields
        .iter()
        .filter_map(|f| {
            let raw = cell.get(f.key.as_str())?.trim();
            let given: Vec<String> = match f.kind {
                super::fields::FieldKind::MultipleChoice { .. } => raw
                    .split(';')
                    .map(|o| o.trim().to_string())
                    .filter(|o| !o.is_empty())
                    .collect(),
                _ => vec![raw.to_string()],
            };
            Some((format!("f.{}", f.key), given))
        })
        .collect();
    let optional = |k: &str| Some(get(k).to_string()).filter(|v| !v.is_empty());
    let body = Upsert {
        space,
        title: get("title").to_string(),
        fields: values(t, &draft),
        status: optional("status"),
        priority: optional("priority"),
        requester,
    };
    let (done, _) = upsert_in(tx, actor, &t.key, get("external_id"), body)?;
    Ok(done)
}

/// What the import page offers its reader: the types not archived (key,
/// name) and the spaces where they handle requests (id, name).
pub async fn choices(
    db: &Db,
    actor: &Actor,
    locale: crate::service::Locale,
) -> Result<(Vec<(String, String)>, Vec<(i64, String)>)> {
    let Some(p) = actor.principal().copied() else {
        return Err(Error::Unauthorized);
    };
    db.read(move |c| {
        let lang = if locale == crate::service::Locale::Fr {
            "fr"
        } else {
            "en"
        };
        let types = super::type_store::all(c)?
            .into_iter()
            .filter(|t| !t.archived)
            .map(|t| (t.key.clone(), t.definition.name(lang).to_string()))
            .collect();
        let spaces: Vec<(i64, String)> = if !p.internal {
            Vec::new()
        } else {
            c.prepare_cached("SELECT id, name FROM spaces ORDER BY name")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(i64, String)>>>()?
                .into_iter()
                .filter(|(id, _)| {
                    p.admin
                        || crate::access::space_role(c, &p, *id)
                            .ok()
                            .flatten()
                            .is_some_and(|r| r >= crate::domain::Role::Contributor)
                })
                .collect()
        };
        Ok((types, spaces))
    })
    .await
}
