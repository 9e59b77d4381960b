//! News and announcements: who writes a post, who reads it, and the two
//! directions of one audience rule — the posts addressed to a person (their
//! feed, `Addressed`) and the people a post is addressed to (its
//! acknowledgement report and its notices, `AUDIENCE`). A test holds the two
//! to the same answers.

use super::{Actor, Principal, SpaceAction, Who, require_admin, require_space};
use crate::domain::OrgKind;
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// One of the audiences of an instance-wide post (a space's post has its
/// space alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Everyone of the host organization.
    Internal,
    /// Whoever reads the space.
    Space(i64),
    /// Everyone of one organization.
    Org(i64),
    /// Everyone of every organization of a kind (all clients…).
    OrgKind(OrgKind),
    /// The members of a group (groups are internal).
    Group(i64),
    /// Whoever the portal admits.
    Portal(i64),
}

impl Target {
    /// Its row in `news_targets`: kind, ref, org_kind.
    pub fn columns(self) -> (&'static str, Option<i64>, Option<&'static str>) {
        match self {
            Target::Internal => ("internal", None, None),
            Target::Space(id) => ("space", Some(id), None),
            Target::Org(id) => ("org", Some(id), None),
            Target::OrgKind(k) => ("org_kind", None, Some(k.as_str())),
            Target::Group(id) => ("group", Some(id), None),
            Target::Portal(id) => ("portal", Some(id), None),
        }
    }

    /// Back from a row; an unknown row is no audience at all.
    pub fn from_columns(kind: &str, r: Option<i64>, org_kind: Option<&str>) -> Option<Target> {
        Some(match (kind, r, org_kind) {
            ("internal", None, None) => Target::Internal,
            ("space", Some(id), None) => Target::Space(id),
            ("org", Some(id), None) => Target::Org(id),
            ("org_kind", None, Some(k)) => Target::OrgKind(OrgKind::parse(k).ok()?),
            ("group", Some(id), None) => Target::Group(id),
            ("portal", Some(id), None) => Target::Portal(id),
            _ => return None,
        })
    }

    /// The token its search entries carry (`access::search` grants them).
    pub fn token(self) -> String {
        match self {
            Target::Internal => "internal".into(),
            Target::Space(id) => super::search::space_token(id),
            Target::Org(id) => format!("org:{id}"),
            Target::OrgKind(k) => format!("orgkind:{}", k.as_str()),
            Target::Group(id) => format!("group:{id}"),
            Target::Portal(id) => format!("portal:{id}"),
        }
    }
}

/// The token held by those who edit every instance-wide post
/// (administrators, communicators): they find them all.
pub const EDITORS_TOKEN: &str = "news-editors";

/// Whether `{alias}` (a `news` row) is published at `:now`: past its
/// publication, before its expiry.
pub fn published_sql(alias: &str) -> String {
    format!(
        "({alias}.publish_at IS NOT NULL AND {alias}.publish_at <= :now \
         AND ({alias}.expires_at IS NULL OR {alias}.expires_at > :now))"
    )
}

/// The people (alias `p`, with their organization `o`) a post `:news` is
/// addressed to: active, and in one of its audiences. The same rule as
/// `Addressed`, from the other side.
pub const AUDIENCE: &str = "p.status = 'active' AND EXISTS (
    SELECT 1 FROM news_targets t WHERE t.news_id = :news AND (
        (t.kind = 'internal' AND o.kind = 'host')
     OR (t.kind = 'org' AND t.ref = p.org_id)
     OR (t.kind = 'org_kind' AND t.org_kind = o.kind)
     OR (t.kind = 'group' AND o.kind = 'host'
         AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = t.ref AND gm.person_id = p.id))
     OR (t.kind = 'portal' AND EXISTS (SELECT 1 FROM portal_audience pa
         WHERE pa.portal_id = t.ref AND (pa.org_id = p.org_id OR pa.org_kind = o.kind)))
     OR (t.kind = 'space' AND (
            EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = t.ref
                AND (sm.person_id = p.id OR sm.org_id = p.org_id
                     OR sm.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.person_id = p.id)))
         OR (o.kind = 'host' AND EXISTS (SELECT 1 FROM spaces s WHERE s.id = t.ref AND s.visibility = 'internal'))))))";

/// What addresses a post to one person: the audiences they are in. An
/// administrator's feed is what is addressed to them as a person, not
/// everything they may open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addressed {
    pub internal: bool,
    pub org: i64,
    pub org_kind: Option<OrgKind>,
    pub groups: Vec<i64>,
    pub spaces: Vec<i64>,
    pub portals: Vec<i64>,
}

fn ids(c: &Connection, sql: &str, params: &[(&str, &dyn rusqlite::ToSql)]) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st
        .query_map(params, |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

/// The audiences `p` is in.
pub fn addressed(c: &Connection, p: &Principal) -> Result<Addressed> {
    let who: &[(&str, &dyn rusqlite::ToSql)] =
        &[(":viewer_id", &p.person_id), (":viewer_org", &p.org_id)];
    let spaces = ids(
        c,
        &format!(
            "SELECT s.id FROM spaces s WHERE s.id IN ({}) {}",
            super::MEMBER_SPACES,
            if p.internal {
                "OR s.visibility = 'internal'"
            } else {
                ""
            }
        ),
        who,
    )?;
    let groups = if p.internal {
        ids(
            c,
            "SELECT group_id FROM group_members WHERE person_id = :viewer_id",
            &who[..1],
        )?
    } else {
        Vec::new()
    };
    let kind = p.org_kind.as_str();
    let portals = ids(
        c,
        "SELECT DISTINCT portal_id FROM portal_audience WHERE org_id = :viewer_org OR org_kind = :kind",
        &[(":viewer_org", &p.org_id), (":kind", &kind)],
    )?;
    Ok(Addressed {
        internal: p.internal,
        org: p.org_id,
        org_kind: Some(p.org_kind),
        groups,
        spaces,
        portals,
    })
}

fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        "NULL".into()
    } else {
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
}

impl Addressed {
    /// SQL true when the post `{alias}` has an audience they are in. Every
    /// value written into it is a number or a fixed name.
    pub fn sql(&self, alias: &str) -> String {
        let kind = self.org_kind.map_or("none", OrgKind::as_str);
        format!(
            "EXISTS (SELECT 1 FROM news_targets t WHERE t.news_id = {alias}.id AND (\
               (t.kind = 'internal' AND {internal}) \
               OR (t.kind = 'org' AND t.ref = {org}) \
               OR (t.kind = 'org_kind' AND t.org_kind = '{kind}') \
               OR (t.kind = 'group' AND t.ref IN ({groups})) \
               OR (t.kind = 'space' AND t.ref IN ({spaces})) \
               OR (t.kind = 'portal' AND t.ref IN ({portals}))))",
            internal = i64::from(self.internal),
            org = self.org,
            groups = id_list(&self.groups),
            spaces = id_list(&self.spaces),
            portals = id_list(&self.portals),
        )
    }

    /// The search tokens of these audiences.
    pub fn tokens(&self) -> Vec<String> {
        let mut t = Vec::new();
        if self.internal {
            t.push(Target::Internal.token());
        }
        t.push(Target::Org(self.org).token());
        if let Some(k) = self.org_kind {
            t.push(Target::OrgKind(k).token());
        }
        t.extend(self.groups.iter().map(|g| Target::Group(*g).token()));
        t.extend(self.portals.iter().map(|g| Target::Portal(*g).token()));
        t
    }
}

/// Whether the person writes instance-wide news: an administrator, or an
/// internal member of a group marked for it.
pub fn is_communicator(c: &Connection, p: &Principal) -> Result<bool> {
    if p.admin && p.internal {
        return Ok(true);
    }
    if !p.internal {
        return Ok(false);
    }
    Ok(c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM group_members gm JOIN groups g ON g.id = gm.group_id
                        WHERE gm.person_id = ?1 AND g.writes_news = 1)",
    )?
    .query_row([p.person_id], |r| r.get(0))?)
}

/// Writing news where it sits: a space's managers in their space; for the
/// whole instance, communicators and administrators. External people are
/// not told instance news can be written.
pub fn require_news_writer(c: &Connection, actor: &Actor, space: Option<i64>) -> Result<()> {
    match space {
        Some(space) => require_space(c, actor, space, SpaceAction::Manage).map(|_| ()),
        None => match actor.who {
            Who::Person(p) if is_communicator(c, &p)? => Ok(()),
            Who::Person(p) if p.internal => Err(Error::Forbidden),
            _ => require_admin(actor),
        },
    }
}

/// What one may do with a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewsAction {
    Read,
    Edit,
}

/// Allows `action` on post `id`. Its writers (`require_news_writer` where
/// it sits) read and edit it in every state; anyone else reads it while it
/// is published, if it is addressed to them. Anything else: not found.
pub fn require_news(
    c: &Connection,
    actor: &Actor,
    id: i64,
    action: NewsAction,
    now: i64,
) -> Result<()> {
    let row: Option<(Option<i64>, bool)> = c
        .prepare_cached(&format!(
            "SELECT n.space_id, {} FROM news n WHERE n.id = :id",
            published_sql("n")
        ))?
        .query_row(rusqlite::named_params! {":id": id, ":now": now}, |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((space, published)) = row else {
        return Err(Error::NotFound);
    };
    match require_news_writer(c, actor, space) {
        Ok(()) => return Ok(()),
        Err(Error::Db(e)) => return Err(Error::Db(e)),
        Err(Error::Internal(e)) => return Err(Error::Internal(e)),
        Err(_) => {}
    }
    let Some(p) = actor.principal() else {
        return Err(Error::Unauthorized);
    };
    if published && in_audience(c, id, p.person_id)? {
        match action {
            NewsAction::Read => Ok(()),
            NewsAction::Edit => Err(Error::Forbidden),
        }
    } else {
        Err(Error::NotFound)
    }
}

/// Whether post `news` is addressed to `person` (`AUDIENCE`).
pub fn in_audience(c: &Connection, news: i64, person: i64) -> Result<bool> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM people p JOIN organizations o ON o.id = p.org_id
                        WHERE p.id = :person AND {AUDIENCE})"
    );
    Ok(c.prepare_cached(&sql)?.query_row(
        rusqlite::named_params! {":news": news, ":person": person},
        |r| r.get(0),
    )?)
}

/// Which posts (alias `alias`) the principal writes, in every state: those
/// of the spaces they manage, and instance-wide ones if they are a
/// communicator.
pub fn writes_filter(c: &Connection, p: &Principal, alias: &str) -> Result<super::SqlFilter> {
    if p.admin && p.internal {
        return Ok(super::SqlFilter::everything());
    }
    let instance = if is_communicator(c, p)? {
        format!("{alias}.space_id IS NULL OR ")
    } else {
        String::new()
    };
    let sql = format!(
        "({instance}{alias}.space_id IN (SELECT sm.space_id FROM space_members sm
             WHERE sm.role = 'manager' AND {}))",
        super::IS_MEMBER
    );
    Ok(super::SqlFilter::new(sql, p))
}

/// Whether the principal writes news anywhere: a communicator, or a manager
/// of a space (`require_news_writer`, asked once rather than per space).
pub fn writes_anywhere(c: &Connection, p: &Principal) -> Result<bool> {
    if is_communicator(c, p)? {
        return Ok(true);
    }
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM space_members sm WHERE sm.role = 'manager' AND {})",
        super::IS_MEMBER
    );
    Ok(c.prepare_cached(&sql)?.query_row(
        rusqlite::named_params! {":viewer_id": p.person_id, ":viewer_org": p.org_id},
        |r| r.get(0),
    )?)
}
