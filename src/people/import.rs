//! Importing people from a CSV file: a dry run that checks every row and says
//! what is wrong with each, then an import that writes all rows or none. Each
//! imported person receives a single-use link to choose their password, in
//! their language; external people get the importer as sponsor.

use super::events;
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::Db;
use crate::i18n::I18n;
use crate::organizations::OrgKind;
use crate::service::{DisplayName, Email, Error, Locale, Result};
use crate::util::now_ms;
use rusqlite::params;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Columns a file may have; `email` and `name` are required.
pub const COLUMNS: [&str; 8] = [
    "email",
    "name",
    "organization",
    "title",
    "department",
    "phone",
    "language",
    "skills",
];
pub const MAX_ROWS: usize = 5000;
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// One row as understood, or why it cannot be imported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RowReport {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub email: String,
    pub name: String,
    pub organization: String,
    /// Error codes (`error-<code>` messages), empty when the row is good.
    pub errors: Vec<&'static str>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub rows: Vec<RowReport>,
    /// A problem with the whole file (encoding, columns), if any.
    pub file_error: Option<&'static str>,
    /// Set after a real import: how many accounts were created.
    pub imported: usize,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.file_error.is_none()
            && !self.rows.is_empty()
            && self.rows.iter().all(|r| r.errors.is_empty())
    }

    fn file(code: &'static str) -> Report {
        Report {
            rows: Vec::new(),
            file_error: Some(code),
            imported: 0,
        }
    }
}

struct Parsed {
    line: usize,
    fields: HashMap<&'static str, String>,
}

/// Decodes and splits the file; `;` is accepted as separator (spreadsheets in French do that).
fn parse(bytes: &[u8]) -> std::result::Result<Vec<Parsed>, &'static str> {
    if bytes.len() > MAX_BYTES {
        return Err("csv-too-large");
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "csv-encoding")?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| "csv-unreadable")?.clone();
    let mut index = Vec::new();
    for h in headers.iter() {
        let h = h.trim().to_lowercase();
        match COLUMNS.iter().find(|c| **c == h) {
            Some(c) => index.push(*c),
            None => return Err("csv-unknown-column"),
        }
    }
    if !index.contains(&"email") || !index.contains(&"name") {
        return Err("csv-missing-column");
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| "csv-unreadable")?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if out.len() >= MAX_ROWS {
            return Err("csv-too-many-rows");
        }
        let mut fields = HashMap::new();
        for (col, value) in index.iter().zip(record.iter()) {
            fields.insert(*col, value.to_string());
        }
        out.push(Parsed {
            line: i + 2,
            fields,
        });
    }
    if out.is_empty() {
        return Err("csv-empty");
    }
    Ok(out)
}

struct Ready {
    email: Email,
    name: DisplayName,
    org_id: i64,
    kind: OrgKind,
    internal: bool,
    title: String,
    department: String,
    phone: String,
    skills: String,
    locale: Option<Locale>,
}

fn code_of(e: Error) -> &'static str {
    match e {
        Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code) => code,
        _ => "bad-request",
    }
}

fn field_ok(s: &str, max: usize) -> std::result::Result<String, &'static str> {
    if s.chars().count() > max {
        Err("field-too-long")
    } else if s.chars().any(char::is_control) {
        Err("field-invalid")
    } else {
        Ok(s.to_string())
    }
}

/// Checks every row against the file and the database.
fn check(
    c: &rusqlite::Connection,
    rows: &[Parsed],
    orgs_confirmed: bool,
) -> Result<(Vec<RowReport>, Vec<Option<Ready>>)> {
    let orgs =
        crate::organizations::store::list(c, &crate::organizations::store::Seen::everything())?;
    let host = orgs
        .iter()
        .find(|o| o.kind == OrgKind::Host)
        .ok_or(Error::NotFound)?;
    let mut seen = HashSet::new();
    let mut reports = Vec::new();
    let mut ready = Vec::new();
    for row in rows {
        let get = |k: &str| row.fields.get(k).cloned().unwrap_or_default();
        let mut errors = Vec::new();
        let email = Email::parse(&get("email")).map_err(code_of);
        if let Ok(e) = &email {
            if !seen.insert(e.as_str().to_string()) {
                errors.push("csv-duplicate-row");
            } else if crate::people::store::by_email(c, e.as_str())?.is_some() {
                errors.push("email-taken");
            }
        }
        let name = DisplayName::parse(&get("name")).map_err(code_of);
        let org_slug = get("organization");
        // Whose domain the address is at: the organization a row without one
        // joins, and a check on a row that names another.
        let owner = match &email {
            Ok(e) => orgs.iter().find(|o| o.owns(e)),
            Err(_) => None,
        };
        let org = if org_slug.is_empty() {
            Some(owner.unwrap_or(host))
        } else {
            orgs.iter()
                .find(|o| o.slug == org_slug || o.name.eq_ignore_ascii_case(&org_slug))
        };
        match (org, owner) {
            (None, _) => errors.push("org-unknown"),
            // An address that is not one has no domain to disagree with.
            _ if email.is_err() || orgs_confirmed => {}
            (Some(o), Some(w)) if o.id != w.id => errors.push("org-domain-elsewhere"),
            (Some(o), None) if !o.domains.is_empty() => errors.push("org-domain-unlisted"),
            _ => {}
        }
        let lang = get("language");
        let locale = if lang.is_empty() {
            None
        } else {
            let l = Locale::parse(&lang);
            if l.is_none() {
                errors.push("language-invalid");
            }
            l
        };
        let title = field_ok(&get("title"), 120);
        let department = field_ok(&get("department"), 120);
        let phone = field_ok(&get("phone"), 40);
        let skills = field_ok(&get("skills"), 1000);
        for r in [&email.as_ref().map(|_| ()), &name.as_ref().map(|_| ())] {
            if let Err(code) = r {
                errors.push(code);
            }
        }
        for r in [&title, &department, &phone, &skills] {
            if let Err(code) = r {
                errors.push(code);
            }
        }
        errors.dedup();
        reports.push(RowReport {
            line: row.line,
            email: get("email").chars().take(254).collect(),
            name: get("name").chars().take(120).collect(),
            organization: org.map(|o| o.name.clone()).unwrap_or(org_slug),
            errors: errors.clone(),
        });
        ready.push(match (email, name, org, errors.is_empty()) {
            (Ok(email), Ok(name), Some(org), true) => Some(Ready {
                email,
                name,
                org_id: org.id,
                kind: org.kind,
                internal: org.kind == OrgKind::Host,
                title: title.unwrap_or_default(),
                department: department.unwrap_or_default(),
                phone: phone.unwrap_or_default(),
                skills: skills.unwrap_or_default(),
                locale,
            }),
            _ => None,
        });
    }
    Ok((reports, ready))
}

/// What a real import needs for the welcome e-mails.
pub struct Mailer<'a> {
    pub i18n: &'a Arc<I18n>,
    pub config: &'a crate::config::Config,
    pub lifetime: std::time::Duration,
}

/// Checks the file; with `mailer` (a real import) and only when every row is
/// good, creates every account in one transaction. A row whose organization
/// disagrees with its address's domain is refused unless `orgs_confirmed`
/// (the administrator confirmed it for a single person).
pub async fn run(
    db: &Db,
    actor: &Actor,
    bytes: Vec<u8>,
    mailer: Option<Mailer<'_>>,
    orgs_confirmed: bool,
) -> Result<Report> {
    access::require_admin(actor)?;
    let rows = match parse(&bytes) {
        Ok(rows) => rows,
        Err(code) => return Ok(Report::file(code)),
    };
    let Some(mailer) = mailer else {
        return db
            .read(move |c| {
                let (rows, _) = check(c, &rows, orgs_confirmed)?;
                Ok(Report {
                    rows,
                    file_error: None,
                    imported: 0,
                })
            })
            .await;
    };
    let i18n = mailer.i18n.clone();
    let config = mailer.config.clone();
    let lifetime = mailer.lifetime.as_millis() as i64;
    let actor = *actor;
    db.write(move |tx| {
        let (reports, ready) = check(tx, &rows, orgs_confirmed)?;
        let mut report = Report {
            rows: reports,
            file_error: None,
            imported: 0,
        };
        if !report.ok() {
            return Ok(report);
        }
        let now = now_ms();
        let portals = crate::portals::store::load_all(tx)?;
        let default = portals.iter().find(|p| p.is_default);
        let sponsor = actor.principal().map(|p| p.person_id);
        for r in ready.into_iter().flatten() {
            // External people get the portal meant for their organization.
            let portal = if r.internal {
                default
            } else {
                crate::auth::invitations::portal_for(
                    &portals,
                    r.org_id,
                    r.kind,
                    &[],
                    default.map_or(0, |p| p.id),
                )
                .or(default)
            };
            let row = crate::people::store::NewRow {
                org_id: r.org_id,
                email: r.email.as_str(),
                display_name: r.name.as_str(),
                title: &r.title,
                department: &r.department,
                phone: &r.phone,
                locale: r.locale,
                is_admin: false,
                password_hash: None,
                password_must_change: false,
                expires_at: (!r.internal).then(|| {
                    now + i64::from(portal.map_or(365, |p| p.external_access_days)) * 86_400_000
                }),
            };
            let id = crate::people::store::insert(tx, &row, now)?;
            tx.execute(
                "UPDATE people SET skills = ?2, invited_at = ?3, sponsor_id = ?4, portal_id = ?5 WHERE id = ?1",
                params![
                    id,
                    r.skills,
                    now,
                    if r.internal { None } else { sponsor },
                    portal.map(|p| p.id)
                ],
            )?;
            let portal = portal.ok_or(Error::NotFound)?;
            crate::auth::invitations::issue_link(
                tx,
                &i18n,
                &config,
                portal,
                id,
                lifetime,
                crate::auth::invitations::LinkMail {
                    to: r.email.as_str(),
                    name: r.name.as_str(),
                    inviter: "",
                    locale: r.locale.unwrap_or(portal.default_locale),
                    subject: "mail-welcome-subject",
                    body: "mail-welcome-body",
                    args: Vec::new(),
                },
            )?;
            record(
                tx,
                &actor,
                &events::Created {
                    id,
                    email: r.email.as_str(),
                    org: None,
                    admin: None,
                    via: Some("csv-import"),
                },
            )?;
            report.imported += 1;
        }
        Ok(report)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_loosely_but_never_guessed() {
        let rows =
            parse("\u{feff}Email;Name;Organization\r\nana@x.example;Ana;\r\n;;\r\n".as_bytes())
                .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].fields["name"], "Ana");
        assert_eq!(parse(b"email,name\n").err(), Some("csv-empty"));
        assert_eq!(
            parse(b"email,fullname\na,b\n").err(),
            Some("csv-unknown-column")
        );
        assert_eq!(
            parse(b"email,title\na,b\n").err(),
            Some("csv-missing-column")
        );
        assert_eq!(
            parse(b"email,name\n\xe9t\xe9,x\n").err(),
            Some("csv-encoding")
        );
    }
}
