//! Reading the audit log back: the administrators' filtered, keyset-paged
//! listing and its CSV download, the chain's verification on demand (kept
//! in memory so the page stays cheap), and a space's own activity for its
//! managers, trimmed by `access` like every listing.

use super::Verification;
use crate::access::{self, Actor, SpaceAction};
use crate::db::Db;
use crate::service::{Error, Result};
pub use crate::text::csv_cell;
use jiff::tz::TimeZone;
use rusqlite::Connection;

/// Events per page.
pub const PAGE: usize = 50;
/// The most events one CSV download holds (the newest matching ones).
pub const CSV_MAX: usize = 50_000;

/// The filters as the page's query string gives them; empty means "any".
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Filters {
    /// The acting person: an e-mail address, or a name exactly one person bears.
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub target_type: String,
    #[serde(default)]
    pub target_id: String,
    /// The start of the action's name (`person.`, `signin.failure`).
    #[serde(default)]
    pub action: String,
    /// Days (YYYY-MM-DD) in the viewer's time zone, both included.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Keyset: events older than this id.
    #[serde(default)]
    pub before: String,
}

impl Filters {
    /// The query string giving these filters back, without the page cursor.
    pub fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("who", self.who.as_str()),
            ("target_type", self.target_type.as_str()),
            ("target_id", self.target_id.as_str()),
            ("action", self.action.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// The filters checked: what the SQL narrows by.
#[derive(Debug, Default, Clone)]
struct Checked {
    actor_id: Option<i64>,
    target_type: Option<String>,
    target_id: Option<String>,
    action: Option<String>,
    from: Option<i64>,
    /// Exclusive.
    until: Option<i64>,
    before: Option<i64>,
}

fn day_start(raw: &str, tz: &TimeZone) -> Result<i64> {
    let bad = || Error::invalid("date", "audit-date-invalid");
    let date: jiff::civil::Date = raw.trim().parse().map_err(|_| bad())?;
    let zoned = date.to_zoned(tz.clone()).map_err(|_| bad())?;
    Ok(zoned.timestamp().as_millisecond())
}

fn day_end(raw: &str, tz: &TimeZone) -> Result<i64> {
    let bad = || Error::invalid("date", "audit-date-invalid");
    let date: jiff::civil::Date = raw.trim().parse().map_err(|_| bad())?;
    let next = date.tomorrow().map_err(|_| bad())?;
    let zoned = next.to_zoned(tz.clone()).map_err(|_| bad())?;
    Ok(zoned.timestamp().as_millisecond())
}

fn word(raw: &str, max: usize, field: &'static str, code: &'static str) -> Result<Option<String>> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(Error::invalid(field, code));
    }
    Ok(Some(v.to_string()))
}

async fn check(db: &Db, actor: &Actor, f: &Filters, tz: &TimeZone) -> Result<Checked> {
    let mut c = Checked {
        target_type: word(
            &f.target_type,
            32,
            "target_type",
            "audit-target-type-invalid",
        )?,
        target_id: word(&f.target_id, 64, "target_id", "audit-target-id-invalid")?,
        action: word(&f.action, 64, "action", "audit-action-invalid")?,
        ..Checked::default()
    };
    if let Some(t) = &c.target_type
        && !t.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')
    {
        return Err(Error::invalid("target_type", "audit-target-type-invalid"));
    }
    if !f.from.trim().is_empty() {
        c.from = Some(day_start(&f.from, tz)?);
    }
    if !f.to.trim().is_empty() {
        c.until = Some(day_end(&f.to, tz)?);
    }
    if let (Some(a), Some(b)) = (c.from, c.until)
        && a >= b
    {
        return Err(Error::invalid("to", "audit-dates-reversed"));
    }
    if !f.before.trim().is_empty() {
        c.before = Some(
            f.before
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|b| *b > 0)
                .ok_or(Error::invalid("before", "audit-page-invalid"))?,
        );
    }
    if !f.who.trim().is_empty() {
        let person = crate::people::service::find(db, actor, &f.who)
            .await
            .map_err(|e| match e {
                Error::Invalid { .. } | Error::NotFound => {
                    Error::invalid("who", "audit-person-unknown")
                }
                e => e,
            })?;
        c.actor_id = Some(person.id);
    }
    Ok(c)
}

/// One event as the pages and the CSV show it.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub at: i64,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    /// The acting person's name and e-mail, when the viewer may know them.
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub ip: String,
    pub detail: String,
}

fn select(c: &Connection, f: &Checked, limit: usize) -> rusqlite::Result<Vec<Row>> {
    let mut cond = String::new();
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    if let Some(v) = &f.actor_id {
        cond.push_str(" AND a.actor_kind = 'person' AND a.actor_id = :actor");
        params.push((":actor", v));
    }
    if let Some(v) = &f.target_type {
        cond.push_str(" AND a.target_type = :ttype");
        params.push((":ttype", v));
    }
    if let Some(v) = &f.target_id {
        cond.push_str(" AND a.target_id = :tid");
        params.push((":tid", v));
    }
    if let Some(v) = &f.action {
        cond.push_str(" AND substr(a.action, 1, length(:action)) = :action");
        params.push((":action", v));
    }
    if let Some(v) = &f.from {
        cond.push_str(" AND a.at >= :from");
        params.push((":from", v));
    }
    if let Some(v) = &f.until {
        cond.push_str(" AND a.at < :until");
        params.push((":until", v));
    }
    if let Some(v) = &f.before {
        cond.push_str(" AND a.id < :before");
        params.push((":before", v));
    }
    let sql = format!(
        "SELECT a.id, a.at, a.actor_kind, a.actor_id, p.display_name, p.email, a.action,
                a.target_type, a.target_id, a.ip, a.detail
         FROM audit_events a LEFT JOIN people p ON p.id = a.actor_id AND a.actor_kind = 'person'
         WHERE 1 {cond} ORDER BY a.id DESC LIMIT {limit}"
    );
    let mut st = c.prepare(&sql)?;
    st.query_map(params.as_slice(), |r| {
        Ok(Row {
            id: r.get(0)?,
            at: r.get(1)?,
            actor_kind: r.get(2)?,
            actor_id: r.get(3)?,
            actor_name: r.get(4)?,
            actor_email: r.get(5)?,
            action: r.get(6)?,
            target_type: r.get(7)?,
            target_id: r.get(8)?,
            ip: r.get(9)?,
            detail: r.get(10)?,
        })
    })?
    .collect()
}

/// One page of events, newest first, and the cursor of the next page.
pub struct Page {
    pub rows: Vec<Row>,
    pub next: Option<i64>,
}

/// The events matching `f`, for an administrator; dates are days in `tz`.
pub async fn page(db: &Db, actor: &Actor, f: &Filters, tz: &TimeZone) -> Result<Page> {
    access::require_admin(actor)?;
    let checked = check(db, actor, f, tz).await?;
    let mut rows = db
        .read(move |c| Ok::<_, Error>(select(c, &checked, PAGE + 1)?))
        .await?;
    let next = if rows.len() > PAGE {
        rows.truncate(PAGE);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(Page { rows, next })
}

/// The events matching `f` (the newest `CSV_MAX`), as CSV with a header
/// row; times in RFC 3339 (UTC). Returns the text and whether it was cut.
pub async fn csv(db: &Db, actor: &Actor, f: &Filters, tz: &TimeZone) -> Result<(String, bool)> {
    access::require_admin(actor)?;
    let mut checked = check(db, actor, f, tz).await?;
    checked.before = None;
    let rows = db
        .read(move |c| Ok::<_, Error>(select(c, &checked, CSV_MAX + 1)?))
        .await?;
    let cut = rows.len() > CSV_MAX;
    let mut out = String::from(
        "id,at,actor_kind,actor_id,actor_name,actor_email,action,target_type,target_id,ip,detail\r\n",
    );
    for r in rows.iter().take(CSV_MAX) {
        let cells = [
            r.id.to_string(),
            crate::i18n::time::iso(r.at),
            r.actor_kind.clone(),
            r.actor_id.map(|i| i.to_string()).unwrap_or_default(),
            r.actor_name.clone().unwrap_or_default(),
            r.actor_email.clone().unwrap_or_default(),
            r.action.clone(),
            r.target_type.clone(),
            r.target_id.clone(),
            r.ip.clone(),
            r.detail.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok((out, cut))
}

/// The chain as last verified by this process.
#[derive(Debug, Clone)]
pub struct Checkup {
    pub at: i64,
    pub result: Verification,
    /// The newest event when it was verified.
    pub through: i64,
}

/// The last checkup of each instance this process serves, by data directory
/// (one in production; the tests run several side by side).
static LAST: std::sync::Mutex<Vec<(std::path::PathBuf, Checkup)>> =
    std::sync::Mutex::new(Vec::new());
/// One verification at a time: a second request waits and reuses the first.
static RUNNING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The count of events kept and the newest id, from the chain's head (cheap).
pub async fn head(db: &Db, actor: &Actor) -> Result<(i64, i64)> {
    access::require_admin(actor)?;
    db.read(|c| {
        Ok::<_, Error>(c.query_row(
            "SELECT row_count, last_id FROM audit_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    })
    .await
}

/// The last verification's outcome for the instance in `data_dir`, if one
/// ran since the server started.
pub fn last_checkup(data_dir: &std::path::Path) -> Option<Checkup> {
    let g = LAST.lock().ok()?;
    g.iter()
        .find(|(d, _)| d == data_dir)
        .map(|(_, c)| c.clone())
}

/// Walks the whole chain now (on a reader, one walk at a time) and keeps the outcome.
pub async fn verify_now(db: &Db, actor: &Actor, data_dir: &std::path::Path) -> Result<Checkup> {
    access::require_admin(actor)?;
    let _one = RUNNING.lock().await;
    let (result, through) = db
        .read(|c| {
            let through: i64 =
                c.query_row("SELECT last_id FROM audit_head WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
            Ok::<_, Error>((super::verify(c)?, through))
        })
        .await?;
    let checkup = Checkup {
        at: crate::util::now_ms(),
        result,
        through,
    };
    if let Ok(mut g) = LAST.lock() {
        g.retain(|(d, _)| d != data_dir);
        g.push((data_dir.to_path_buf(), checkup.clone()));
    }
    Ok(checkup)
}

/// One event of a space's activity, as its managers see it.
#[derive(Debug, Clone)]
pub struct SpaceEvent {
    pub id: i64,
    pub at: i64,
    /// Who did it, when the viewer may know of them.
    pub who: Option<String>,
    /// `person`, `cli`, `system` or `anonymous`.
    pub actor_kind: String,
    pub action: String,
    /// `space`, `document` or `folder`.
    pub target_type: String,
    pub target_id: i64,
    /// The document's or folder's name.
    pub target_name: Option<String>,
}

pub struct SpacePage {
    pub space_id: i64,
    pub name: String,
    pub events: Vec<SpaceEvent>,
    pub next: Option<i64>,
}

/// The events about a space, its documents and its folders, for the people
/// who manage it (anyone else finds no such page): documents and folders
/// the viewer may not see are left out, and so are the names of people
/// they may not know of.
pub async fn space_activity(
    db: &Db,
    actor: &Actor,
    slug: &str,
    before: Option<i64>,
) -> Result<SpacePage> {
    let p = *actor.principal().ok_or(Error::NotFound)?;
    let actor = *actor;
    let slug = slug.to_string();
    db.read(move |c| {
        let space: Option<(i64, String)> = rusqlite::OptionalExtension::optional(c.query_row(
            "SELECT id, name FROM spaces WHERE slug = ?1",
            [&slug],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))?;
        let (space_id, name) = space.ok_or(Error::NotFound)?;
        let role = match access::require_space(c, &actor, space_id, SpaceAction::Manage) {
            Ok(r) => r,
            Err(Error::Forbidden) => return Err(Error::NotFound),
            Err(e) => return Err(e),
        };
        let folders = access::folders_filter(&p, role, "f");
        let people = access::people_filter(&p, "vp");
        let visible_folder = format!(
            "SELECT f.id FROM folders f WHERE f.space_id = :space AND {}",
            folders.sql
        );
        let before_cond = if before.is_some() {
            "AND a.id < :before"
        } else {
            ""
        };
        let sql = format!(
            "SELECT a.id, a.at, a.actor_kind,
                    (SELECT vp.display_name FROM people vp WHERE vp.id = a.actor_id AND a.actor_kind = 'person' AND {people}),
                    a.action, a.target_type, CAST(a.target_id AS INTEGER),
                    CASE a.target_type
                      WHEN 'document' THEN (SELECT d.name FROM documents d WHERE d.id = CAST(a.target_id AS INTEGER))
                      WHEN 'folder' THEN (SELECT f.name FROM folders f WHERE f.id = CAST(a.target_id AS INTEGER))
                    END
             FROM audit_events a
             WHERE a.id IN (
                 SELECT e.id FROM audit_events e
                  WHERE e.target_type = 'space' AND e.target_id = CAST(:space AS TEXT)
                 UNION ALL
                 SELECT e.id FROM documents d
                   JOIN audit_events e ON e.target_type = 'document' AND e.target_id = CAST(d.id AS TEXT)
                  WHERE d.space_id = :space
                    AND (d.folder_id IS NULL OR d.folder_id IN ({visible_folder}))
                 UNION ALL
                 SELECT e.id FROM folders vf
                   JOIN audit_events e ON e.target_type = 'folder' AND e.target_id = CAST(vf.id AS TEXT)
                  WHERE vf.id IN ({visible_folder}))
             {before_cond}
             ORDER BY a.id DESC LIMIT {}",
            PAGE + 1,
            people = people.sql,
        );
        let mut params = folders.named();
        params.extend(people.named());
        params.push((":space", &space_id));
        if let Some(b) = &before {
            params.push((":before", b));
        }
        let mut events: Vec<SpaceEvent> = c
            .prepare(&sql)?
            .query_map(params.as_slice(), |r| {
                Ok(SpaceEvent {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor_kind: r.get(2)?,
                    who: r.get(3)?,
                    action: r.get(4)?,
                    target_type: r.get(5)?,
                    target_id: r.get::<_, Option<i64>>(6)?.unwrap_or_default(),
                    target_name: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let next = if events.len() > PAGE {
            events.truncate(PAGE);
            events.last().map(|e| e.id)
        } else {
            None
        };
        Ok(SpacePage {
            space_id,
            name,
            events,
            next,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("+33"), "'+33");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            csv_cell("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_cell(""), "");
    }
}
