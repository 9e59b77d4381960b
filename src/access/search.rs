//! Search trimming, from the same rules as everything else here: the tokens
//! an index entry carries, and the tokens a person holds. An entry is found
//! by a person who holds one of its `allow` tokens and is refused none of its
//! `restrict` tokens; the engine applies both inside the query, so counts,
//! facets, snippets and suggestions never see what the person may not.

use super::{IS_MEMBER, MEMBER_SPACES, Principal, SqlFilter, spaces_filter};
use crate::domain::Role;
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// What a person holds when searching.
#[derive(Debug, Clone, Default)]
pub struct SearchGrants {
    pub allow: Vec<String>,
    /// Restricted folders (in spaces they see) that do not admit them.
    pub deny: Vec<String>,
    /// The spaces they see (for facet names and filters).
    pub spaces: Vec<i64>,
}

pub fn space_token(id: i64) -> String {
    format!("space:{id}")
}

pub fn folder_token(id: i64) -> String {
    format!("folder:{id}")
}

pub fn search_grants(c: &Connection, p: &Principal) -> Result<SearchGrants> {
    let admin = p.admin && p.internal;
    let filter = spaces_filter(p, "s");
    let sql = format!(
        "SELECT s.id, (SELECT max({rank}) FROM space_members sm
                       WHERE sm.space_id = s.id AND {IS_MEMBER})
         FROM spaces s WHERE {}",
        filter.sql,
        rank = Role::rank_sql("sm.role"),
    );
    // One filter over the whole statement, so its parameters are all bound.
    let whole = SqlFilter::new(sql, p);
    let mut st = c.prepare_cached(&whole.sql)?;
    let spaces = st
        .query_map(whole.named().as_slice(), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut g = SearchGrants::default();
    g.allow.push(format!("person:{}", p.person_id));
    // The audiences of news (the host's people hold "internal" among them).
    g.allow.extend(super::news::addressed(c, p)?.tokens());
    if super::news::is_communicator(c, p)? {
        g.allow.push(super::news::EDITORS_TOKEN.into());
    }
    let mut ranks = std::collections::HashMap::new();
    for (id, member_rank) in &spaces {
        g.allow.push(space_token(*id));
        g.spaces.push(*id);
        if member_rank.is_some() && !p.internal {
            g.allow.push(format!("cospace:{id}"));
        }
        // Internal people read internal spaces they are not members of.
        let r = if admin {
            Role::Manager.rank()
        } else {
            member_rank.unwrap_or(Role::Reader.rank())
        };
        ranks.insert(*id, r);
    }
    g.allow
        .extend(super::requests::search_tokens(c, p, &spaces, admin)?);
    if admin {
        return Ok(g);
    }
    let mut st = c.prepare_cached(
        "SELECT f.id, f.space_id, f.min_role, f.restricted_to_listed,
                EXISTS (SELECT 1 FROM folder_access fa WHERE fa.folder_id = f.id
                          AND (fa.person_id = ?1 OR fa.group_id IN
                               (SELECT gm.group_id FROM group_members gm WHERE gm.person_id = ?1)))
         FROM folders f WHERE f.min_role IS NOT NULL OR f.restricted_to_listed = 1",
    )?;
    let restricted = st
        .query_map(params![p.person_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (folder, space, min_role, listed, on_list) in restricted {
        let Some(&my_rank) = ranks.get(&space) else {
            continue;
        };
        let needed = min_role
            .as_deref()
            .and_then(|r| Role::parse(r).ok())
            .map_or(Role::Reader.rank(), Role::rank);
        let admitted = my_rank >= needed && (!listed || my_rank >= Role::Manager.rank() || on_list);
        if !admitted {
            g.deny.push(folder_token(folder));
        }
    }
    Ok(g)
}

/// The tokens of a document (or anything stored in a library folder): its
/// space, and every folder on its path — restricted or not, so restricting
/// a folder later takes effect at once, through the person's refusals,
/// without waiting for its files to be indexed again.
pub fn library_tokens(space: i64, folder_path: Option<&str>) -> (Vec<String>, Vec<String>) {
    let folders = folder_path
        .unwrap_or_default()
        .split('/')
        .filter_map(|s| s.parse::<i64>().ok())
        .map(folder_token)
        .collect();
    (vec![space_token(space)], folders)
}

/// The tokens of a person's directory entry: internal people see everyone;
/// an external person sees themself and whoever shares one of their spaces.
pub fn person_tokens(c: &Connection, person: i64) -> Result<Vec<String>> {
    let mut allow = vec!["internal".to_string(), format!("person:{person}")];
    let org: Option<i64> = c
        .query_row("SELECT org_id FROM people WHERE id = ?1", [person], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    let mut st = c.prepare_cached(MEMBER_SPACES)?;
    let params = rusqlite::named_params! {":viewer_id": person, ":viewer_org": org};
    for s in st.query_map(params, |r| r.get::<_, i64>(0))? {
        allow.push(format!("cospace:{}", s?));
    }
    Ok(allow)
}
