//! The news tables. Nothing here decides who may do what: the service asks
//! `access` first and hands in the filters it got.

use super::model::{Attachment, Draft, Post, SpaceRef};
use crate::access::SqlFilter;
use crate::access::news::Target;
use rusqlite::{Connection, OptionalExtension, ToSql, params};

/// Who reads: their id (for their acknowledgements) and the filter of the
/// people they may see (for authors' names).
pub struct Reader {
    pub person: i64,
    pub people: SqlFilter,
}

fn post_sql(people: &SqlFilter, rest: &str) -> String {
    format!(
        "SELECT n.id, n.space_id, s.slug, s.name, n.author_id,
                (SELECT x.display_name FROM people x WHERE x.id = n.author_id AND {people}),
                n.title, n.body, n.version, n.publish_at, n.expires_at, n.pinned, n.requires_ack,
                n.created_at, n.updated_at,
                (SELECT cv.etag FROM news_covers cv WHERE cv.news_id = n.id),
                (SELECT a.at FROM news_acks a WHERE a.news_id = n.id AND a.person_id = :me
                   AND a.version = n.version)
         FROM news n LEFT JOIN spaces s ON s.id = n.space_id {rest}",
        people = people.sql
    )
}

fn post_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Post> {
    let space = match (r.get::<_, Option<i64>>(1)?, r.get(2)?, r.get(3)?) {
        (Some(id), Some(slug), Some(name)) => Some(SpaceRef { id, slug, name }),
        _ => None,
    };
    Ok(Post {
        id: r.get(0)?,
        space,
        author_id: r.get(4)?,
        author_name: r.get(5)?,
        title: r.get(6)?,
        body: r.get(7)?,
        version: r.get(8)?,
        publish_at: r.get(9)?,
        expires_at: r.get(10)?,
        pinned: r.get(11)?,
        requires_ack: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        cover: r.get(15)?,
        acknowledged_at: r.get(16)?,
    })
}

/// Posts matching `condition` (over `n`, with `extra` parameters), in
/// `order`, at most `limit`.
pub fn posts(
    c: &Connection,
    reader: &Reader,
    condition: &str,
    extra: &[(&str, &dyn ToSql)],
    order: &str,
    limit: u32,
) -> rusqlite::Result<Vec<Post>> {
    let sql = post_sql(
        &reader.people,
        &format!("WHERE {condition} ORDER BY {order} LIMIT {limit}"),
    );
    let mut params = reader.people.named();
    params.push((":me", &reader.person));
    for (k, v) in extra {
        if sql.contains(k) && !params.iter().any(|(n, _)| n == k) {
            params.push((k, *v));
        }
    }
    let mut st = c.prepare_cached(&sql)?;
    st.query_map(params.as_slice(), post_row)?.collect()
}

pub fn post(c: &Connection, reader: &Reader, id: i64) -> rusqlite::Result<Option<Post>> {
    Ok(posts(c, reader, "n.id = :id", &[(":id", &id)], "n.id", 1)?
        .into_iter()
        .next())
}

/// The space a post sits in (none: instance-wide), if the post exists.
pub fn place(c: &Connection, id: i64) -> rusqlite::Result<Option<Option<i64>>> {
    c.prepare_cached("SELECT space_id FROM news WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// What the service needs of a post before changing it.
pub struct State {
    pub space: Option<i64>,
    pub title: String,
    pub body: String,
    pub version: i64,
    pub publish_at: Option<i64>,
    pub announced: bool,
    pub requires_ack: bool,
}

pub fn state(c: &Connection, id: i64) -> rusqlite::Result<Option<State>> {
    c.prepare_cached(
        "SELECT space_id, title, body, version, publish_at, announced, requires_ack
         FROM news WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(State {
            space: r.get(0)?,
            title: r.get(1)?,
            body: r.get(2)?,
            version: r.get(3)?,
            publish_at: r.get(4)?,
            announced: r.get(5)?,
            requires_ack: r.get(6)?,
        })
    })
    .optional()
}

pub fn insert(
    c: &Connection,
    space: Option<i64>,
    author: Option<i64>,
    d: &Draft,
    publish_at: Option<i64>,
    now: i64,
) -> rusqlite::Result<i64> {
    c.query_row(
        "INSERT INTO news (space_id, author_id, title, body, publish_at, expires_at, pinned,
                           requires_ack, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
        params![
            space,
            author,
            d.title,
            d.body,
            publish_at,
            d.expires_at,
            d.pinned,
            d.requires_ack,
            now
        ],
        |r| r.get(0),
    )
}

/// Writes a post's new content and settings; `announced` false when the
/// publication is (again) to be recorded.
pub fn update(
    c: &Connection,
    id: i64,
    d: &Draft,
    publish_at: Option<i64>,
    version: i64,
    announced: bool,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE news SET title = ?2, body = ?3, publish_at = ?4, expires_at = ?5, pinned = ?6,
                requires_ack = ?7, version = ?8, announced = ?9,
                withdrawn = CASE WHEN ?5 IS NULL OR ?5 > ?10 THEN 0 ELSE withdrawn END,
                updated_at = ?10
         WHERE id = ?1",
        params![
            id,
            d.title,
            d.body,
            publish_at,
            d.expires_at,
            d.pinned,
            d.requires_ack,
            version,
            announced,
            now
        ],
    )?;
    Ok(())
}

pub fn set_targets(c: &Connection, id: i64, targets: &[Target]) -> rusqlite::Result<()> {
    c.execute("DELETE FROM news_targets WHERE news_id = ?1", [id])?;
    let mut st = c.prepare_cached(
        "INSERT INTO news_targets (news_id, kind, ref, org_kind) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for t in targets {
        let (kind, r, org_kind) = t.columns();
        st.execute(params![id, kind, r, org_kind])?;
    }
    Ok(())
}

/// A post's audiences, with each row's id (for the report's counts).
pub fn targets(c: &Connection, id: i64) -> rusqlite::Result<Vec<(i64, Target)>> {
    let mut st = c.prepare_cached(
        "SELECT id, kind, ref, org_kind FROM news_targets WHERE news_id = ?1 ORDER BY id",
    )?;
    let rows = st
        .query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(row, kind, r, k)| {
            Target::from_columns(&kind, r, k.as_deref()).map(|t| (row, t))
        })
        .collect())
}

/// The table of what a target names, if it names a row.
fn table_of(t: Target) -> Option<&'static str> {
    match t {
        Target::Internal | Target::OrgKind(_) => None,
        Target::Space(_) => Some("spaces"),
        Target::Org(_) => Some("organizations"),
        Target::Group(_) => Some("groups"),
        Target::Portal(_) => Some("portals"),
    }
}

/// Whether what a target names exists.
pub fn target_exists(c: &Connection, t: Target) -> rusqlite::Result<bool> {
    match table_of(t) {
        None => Ok(true),
        Some(_) => Ok(target_name(c, t)?.is_some()),
    }
}

pub fn delete(c: &Connection, id: i64) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM news WHERE id = ?1", [id])
}

pub fn files(c: &Connection, id: i64) -> rusqlite::Result<Vec<Attachment>> {
    let mut st = c.prepare_cached(
        "SELECT id, name, content_type, size FROM news_files WHERE news_id = ?1 ORDER BY id",
    )?;
    st.query_map([id], |r| {
        Ok(Attachment {
            id: r.get(0)?,
            name: r.get(1)?,
            content_type: r.get(2)?,
            size: r.get(3)?,
        })
    })?
    .collect()
}

pub fn file(c: &Connection, news: i64, file: i64) -> rusqlite::Result<Option<(String, Vec<u8>)>> {
    c.prepare_cached("SELECT name, data FROM news_files WHERE id = ?1 AND news_id = ?2")?
        .query_row([file, news], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn add_file(
    c: &Connection,
    news: i64,
    f: &super::model::NewFile,
    now: i64,
) -> rusqlite::Result<i64> {
    c.query_row(
        "INSERT INTO news_files (news_id, name, content_type, size, data, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![
            news,
            f.name,
            f.content_type,
            f.data.len() as i64,
            f.data,
            now
        ],
        |r| r.get(0),
    )
}

pub fn remove_file(c: &Connection, news: i64, file: i64) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "DELETE FROM news_files WHERE id = ?1 AND news_id = ?2 RETURNING name",
        [file, news],
        |r| r.get(0),
    )
    .optional()
}

pub fn count_files(c: &Connection, news: i64) -> rusqlite::Result<usize> {
    c.query_row(
        "SELECT COUNT(*) FROM news_files WHERE news_id = ?1",
        [news],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as usize)
}

pub fn cover(c: &Connection, news: i64) -> rusqlite::Result<Option<(String, Vec<u8>, String)>> {
    c.prepare_cached("SELECT content_type, data, etag FROM news_covers WHERE news_id = ?1")?
        .query_row([news], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
}

pub fn set_cover(
    c: &Connection,
    news: i64,
    image: Option<&crate::portals::Image>,
) -> rusqlite::Result<()> {
    match image {
        Some(img) => c.execute(
            "INSERT INTO news_covers (news_id, content_type, data, etag) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (news_id) DO UPDATE SET content_type = excluded.content_type,
                 data = excluded.data, etag = excluded.etag",
            params![news, img.content_type, img.data, img.etag()],
        )?,
        None => c.execute("DELETE FROM news_covers WHERE news_id = ?1", [news])?,
    };
    Ok(())
}

/// Records that `person` acknowledged `version`; false when they already had.
pub fn acknowledge(
    c: &Connection,
    news: i64,
    person: i64,
    version: i64,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = c.execute(
        "INSERT INTO news_acks (news_id, person_id, version, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (news_id, person_id) DO UPDATE SET version = excluded.version, at = excluded.at
         WHERE news_acks.version <> excluded.version",
        params![news, person, version, now],
    )?;
    Ok(changed > 0)
}

/// The posts whose publication is due and not yet recorded, and those
/// whose expiry has come and is not yet recorded.
pub fn due(c: &Connection, now: i64, limit: u32) -> rusqlite::Result<(Vec<i64>, Vec<i64>)> {
    let ids = |sql: &str| -> rusqlite::Result<Vec<i64>> {
        c.prepare_cached(sql)?
            .query_map(params![now, limit], |r| r.get(0))?
            .collect()
    };
    Ok((
        ids(
            "SELECT id FROM news WHERE announced = 0 AND publish_at IS NOT NULL
             AND publish_at <= ?1 AND (expires_at IS NULL OR expires_at > ?1)
             ORDER BY publish_at LIMIT ?2",
        )?,
        ids(
            "SELECT id FROM news WHERE withdrawn = 0 AND expires_at IS NOT NULL
             AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2",
        )?,
    ))
}

pub fn mark_announced(c: &Connection, id: i64) -> rusqlite::Result<()> {
    c.execute("UPDATE news SET announced = 1 WHERE id = ?1", [id])?;
    Ok(())
}

pub fn mark_withdrawn(c: &Connection, id: i64) -> rusqlite::Result<()> {
    c.execute("UPDATE news SET withdrawn = 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// What a target names, by its name.
pub fn target_name(c: &Connection, t: Target) -> rusqlite::Result<Option<String>> {
    let Some(table) = table_of(t) else {
        return Ok(None);
    };
    let (_, id, _) = t.columns();
    c.prepare_cached(&format!("SELECT name FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()
}
