//! Who acknowledged an announcement, and who has not yet: per audience and
//! per person, for its writers; as CSV; and a reminder to the others.

use super::events;
use super::store;
use crate::access::news::{AUDIENCE, NewsAction, Target, require_news};
use crate::access::{self, Actor};
use crate::content::events::record;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::now_ms;
use rusqlite::Connection;

/// One audience of the post, with its counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AudienceCount {
    #[serde(skip)]
    pub target: Target,
    /// What it names (a space's, organization's, group's or portal's name).
    pub name: Option<String>,
    pub people: i64,
    pub acknowledged: i64,
}

/// One person the post is addressed to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reader {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organization: String,
    /// When they acknowledged the current text.
    pub acknowledged_at: Option<i64>,
    /// The version they last acknowledged, if an older one.
    pub earlier_version: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub id: i64,
    pub title: String,
    pub version: i64,
    pub requires_ack: bool,
    pub audiences: Vec<AudienceCount>,
    pub people: i64,
    pub acknowledged: i64,
    /// Everyone addressed, those who have not acknowledged first.
    pub readers: Vec<Reader>,
}

fn build(c: &Connection, actor: &Actor, id: i64) -> Result<Report> {
    require_news(c, actor, id, NewsAction::Edit, now_ms())?;
    let s = store::state(c, id)?.ok_or(Error::NotFound)?;
    let people = match actor.principal() {
        Some(p) => access::people_filter(p, "p"),
        None => access::SqlFilter::everything(),
    };
    let counting = format!(
        "SELECT count(*), count(a.version = :version OR NULL)
         FROM people p JOIN organizations o ON o.id = p.org_id
         LEFT JOIN news_acks a ON a.news_id = :news AND a.person_id = p.id
         WHERE {} AND {}",
        AUDIENCE.replace("t.news_id = :news", "t.id = :target"),
        people.sql
    );
    let mut audiences = Vec::new();
    for (row, target) in store::targets(c, id)? {
        let mut params = people.named();
        params.push((":version", &s.version));
        params.push((":news", &id));
        params.push((":target", &row));
        let (n, acked): (i64, i64) = c
            .prepare_cached(&counting)?
            .query_row(params.as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?;
        audiences.push(AudienceCount {
            target,
            name: store::target_name(c, target)?,
            people: n,
            acknowledged: acked,
        });
    }
    let listing = format!(
        "SELECT p.id, p.display_name, p.email, o.name, a.version, a.at
         FROM people p JOIN organizations o ON o.id = p.org_id
         LEFT JOIN news_acks a ON a.news_id = :news AND a.person_id = p.id
         WHERE {AUDIENCE} AND {}
         ORDER BY coalesce(a.version = :version, 0), p.display_name COLLATE NOCASE, p.id",
        people.sql
    );
    let mut params = people.named();
    params.push((":version", &s.version));
    params.push((":news", &id));
    let readers = c
        .prepare_cached(&listing)?
        .query_map(params.as_slice(), |r| {
            let version: Option<i64> = r.get(4)?;
            let at: Option<i64> = r.get(5)?;
            let current = version == Some(s.version);
            Ok(Reader {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                organization: r.get(3)?,
                acknowledged_at: at.filter(|_| current),
                earlier_version: version.filter(|_| !current),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Report {
        id,
        title: s.title,
        version: s.version,
        requires_ack: s.requires_ack,
        audiences,
        people: readers.len() as i64,
        acknowledged: readers
            .iter()
            .filter(|r| r.acknowledged_at.is_some())
            .count() as i64,
        readers,
    })
}

/// The report: the post's writers.
pub async fn report(db: &Db, actor: &Actor, id: i64) -> Result<Report> {
    let actor = *actor;
    db.read(move |c| build(c, &actor, id)).await
}

/// The report as CSV: one line per person, times in RFC 3339 (UTC).
pub fn csv(r: &Report) -> String {
    use crate::text::csv_cell;
    let mut out = String::from("name,email,organization,status,acknowledged_at,version\r\n");
    for p in &r.readers {
        let (status, at, version) = match (p.acknowledged_at, p.earlier_version) {
            (Some(at), _) => ("acknowledged", crate::i18n::time::iso(at), r.version),
            (None, Some(v)) => ("earlier-version", String::new(), v),
            (None, None) => ("pending", String::new(), 0),
        };
        let version = if version == 0 {
            String::new()
        } else {
            version.to_string()
        };
        let cells = [
            p.name.as_str(),
            &p.email,
            &p.organization,
            status,
            &at,
            &version,
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Reminds those who have not acknowledged the current text: the writers.
/// Returns how many are reminded (the notifier tells each of them).
pub async fn remind(db: &Db, actor: &Actor, id: i64) -> Result<usize> {
    let actor = *actor;
    db.write(move |tx| {
        let r = build(tx, &actor, id)?;
        let published = store::state(tx, id)?
            .and_then(|s| s.publish_at)
            .is_some_and(|t| t <= now_ms());
        if !r.requires_ack || !published {
            return Err(Error::Conflict("news-not-to-acknowledge"));
        }
        let pending = r.readers.len() - r.acknowledged as usize;
        record(
            tx,
            &actor,
            &events::Reminded {
                id,
                version: r.version,
                pending,
            },
        )?;
        Ok(pending)
    })
    .await
}
