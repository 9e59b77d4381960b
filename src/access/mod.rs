//! THE authorization choke point (invariant 1). Every question "may this
//! principal do this to that object?" and every listing filter is answered
//! here, from one definition. Deny by default: a principal sees a space only
//! when a rule below grants it, and an object it may not see is reported as
//! not found, exactly like one that does not exist.

use crate::domain::OrgKind;
use crate::domain::Role;
use crate::service::{Error, Result};
use std::net::IpAddr;

/// A signed-in person, as far as authorization is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    pub person_id: i64,
    pub org_id: i64,
    pub org_kind: OrgKind,
    /// Member of the host organization.
    pub internal: bool,
    /// Instance administrator (always internal).
    pub admin: bool,
}

/// Who performs an action, for authorization and for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Person(Principal),
    /// An operator at the server's shell (`parvis user …`): full authority.
    Cli,
    /// Parvis itself (start-up, demo seeding, background work).
    System,
    /// Nobody signed in (failed sign-ins).
    Anonymous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub who: Who,
    pub ip: Option<IpAddr>,
}

impl Actor {
    pub fn cli() -> Actor {
        Actor {
            who: Who::Cli,
            ip: None,
        }
    }

    pub fn system() -> Actor {
        Actor {
            who: Who::System,
            ip: None,
        }
    }

    pub fn anonymous(ip: Option<IpAddr>) -> Actor {
        Actor {
            who: Who::Anonymous,
            ip,
        }
    }

    pub fn person(p: Principal, ip: Option<IpAddr>) -> Actor {
        Actor {
            who: Who::Person(p),
            ip,
        }
    }

    pub fn principal(&self) -> Option<&Principal> {
        match &self.who {
            Who::Person(p) => Some(p),
            _ => None,
        }
    }
}

/// Instance-wide administration: people, organizations, portals, operations.
pub fn require_admin(actor: &Actor) -> Result<()> {
    match actor.who {
        Who::Cli | Who::System => Ok(()),
        Who::Person(p) if p.admin && p.internal => Ok(()),
        // Non-admins are not told that admin pages exist.
        Who::Person(_) => Err(Error::NotFound),
        Who::Anonymous => Err(Error::Unauthorized),
    }
}

/// Who a portal is for: an organization, or a kind of organization.
pub trait Audience {
    fn admits(&self, org_id: i64, kind: OrgKind) -> bool;
    /// Whether documents may be shared from it by public link.
    fn allows_share_links(&self) -> bool;
}

/// Share links (a document given to whoever holds the link) are made only
/// through a portal whose administrators allow them.
pub fn require_share_links(portal: &impl Audience) -> Result<()> {
    if portal.allows_share_links() {
        Ok(())
    } else {
        Err(Error::invalid("share", "share-links-off"))
    }
}

/// Whether a person may sign in on (and use) a portal: its audience names
/// their organization or its kind. Administrators may use every portal, so
/// they can always see what each audience sees.
pub fn admitted_on(portal: &impl Audience, p: &Principal) -> bool {
    (p.admin && p.internal) || portal.admits(p.org_id, p.org_kind)
}

/// Things a person owns about themself (tokens, settings): the person, or an administrator.
pub fn require_self_or_admin(actor: &Actor, person_id: i64) -> Result<()> {
    match actor.principal() {
        Some(p) if p.person_id == person_id => Ok(()),
        _ => require_admin(actor),
    }
}

/// What one may do in a space, by the role it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceAction {
    /// See the space and its content.
    Read,
    /// Add and change content.
    Contribute,
    /// Manage members and settings.
    Manage,
}

impl SpaceAction {
    fn needs(self) -> Role {
        match self {
            SpaceAction::Read => Role::Reader,
            SpaceAction::Contribute => Role::Contributor,
            SpaceAction::Manage => Role::Manager,
        }
    }
}

/// Whether someone with `role` in a space may do `action` there: the
/// comparison `require_space` makes, for pages to offer only what will
/// work (the services decide again on each request).
pub fn can(role: Role, action: SpaceAction) -> bool {
    role >= action.needs()
}

/// Whether the principal, with `role` in a space, decides who joins it and
/// its settings (`require_space_management`, for the view).
pub fn can_manage_members(p: &Principal, role: Role) -> bool {
    p.internal && can(role, SpaceAction::Manage)
}

/// Whether a person may hold an administration-scope token: internal
/// administrators only (an external person is never one, whatever a row says).
pub fn may_hold_admin_scope(is_admin: bool, internal: bool) -> bool {
    is_admin && internal
}

/// The principal's effective role in a space: the highest of their direct,
/// group and organization memberships; internal people read internal-open
/// spaces; administrators manage every space. `None`: the space is invisible.
pub fn space_role(c: &rusqlite::Connection, p: &Principal, space_id: i64) -> Result<Option<Role>> {
    let visibility: Option<String> = rusqlite::OptionalExtension::optional(c.query_row(
        "SELECT visibility FROM spaces WHERE id = ?1",
        [space_id],
        |r| r.get(0),
    ))?;
    let Some(visibility) = visibility else {
        return Ok(None);
    };
    if p.admin && p.internal {
        return Ok(Some(Role::Manager));
    }
    let mut st = c.prepare_cached(&format!(
        "SELECT sm.role FROM space_members sm WHERE sm.space_id = :space AND {IS_MEMBER}"
    ))?;
    let roles = st
        .query_map(
            rusqlite::named_params! {":space": space_id, ":viewer_id": p.person_id, ":viewer_org": p.org_id},
            |r| r.get::<_, String>(0),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let best = roles.iter().filter_map(|r| Role::parse(r).ok()).max();
    Ok(best.or((p.internal && visibility == "internal").then_some(Role::Reader)))
}

/// Allows `action` in a space or refuses it: a space the principal may not
/// see is not found; one they see but may not act in is forbidden.
pub fn require_space(
    c: &rusqlite::Connection,
    actor: &Actor,
    space_id: i64,
    action: SpaceAction,
) -> Result<Role> {
    let role = match actor.who {
        Who::Cli | Who::System => Some(Role::Manager),
        Who::Person(p) => space_role(c, &p, space_id)?,
        Who::Anonymous => return Err(Error::Unauthorized),
    };
    match role {
        None => Err(Error::NotFound),
        Some(r) if can(r, action) => Ok(r),
        Some(_) => Err(Error::Forbidden),
    }
}

/// Changing a space's members and settings: administrators, and internal
/// people who manage the space. External managers work in the space but do
/// not decide who else joins it.
pub fn require_space_management(
    c: &rusqlite::Connection,
    actor: &Actor,
    space_id: i64,
) -> Result<()> {
    match actor.who {
        Who::Cli | Who::System => Ok(()),
        Who::Person(p) if p.admin && p.internal => Ok(()),
        Who::Person(p) => {
            require_space(c, actor, space_id, SpaceAction::Manage)?;
            if p.internal {
                Ok(())
            } else {
                Err(Error::Forbidden)
            }
        }
        Who::Anonymous => Err(Error::Unauthorized),
    }
}

/// Who may invite people into these spaces: administrators (and the CLI)
/// anywhere, with or without spaces; internal people into spaces whose
/// members they manage (`require_space_management`), naming at least one.
/// External people may not invite: to them the feature does not exist.
pub fn require_invitation(
    c: &rusqlite::Connection,
    actor: &Actor,
    spaces: &[(i64, Role)],
) -> Result<()> {
    match actor.principal() {
        None => require_admin(actor),
        Some(p) if p.admin && p.internal => Ok(()),
        Some(p) if p.internal => {
            if spaces.is_empty() {
                return Err(Error::invalid("spaces", "invite-needs-space"));
            }
            for (space, _) in spaces {
                require_space_management(c, actor, *space)?;
            }
            Ok(())
        }
        Some(_) => Err(Error::NotFound),
    }
}

/// A SQL condition plus the named parameters it uses. The condition refers to
/// the table alias given to the function that built it.
#[derive(Debug, Clone)]
pub struct SqlFilter {
    pub sql: String,
    pub params: Vec<(&'static str, i64)>,
}

impl SqlFilter {
    fn new(sql: String, p: &Principal) -> SqlFilter {
        let mut params = Vec::new();
        if sql.contains(":viewer_id") {
            params.push((":viewer_id", p.person_id));
        }
        if sql.contains(":viewer_org") {
            params.push((":viewer_org", p.org_id));
        }
        SqlFilter { sql, params }
    }

    /// No restriction: for the CLI and system actors, who have full authority.
    pub fn everything() -> SqlFilter {
        SqlFilter {
            sql: "1".to_string(),
            params: Vec::new(),
        }
    }

    /// This filter's and `other`'s parameters, each name once (both name the
    /// same principal), for a statement that uses both.
    pub fn named_with<'a>(
        &'a self,
        other: &'a SqlFilter,
    ) -> Vec<(&'a str, &'a dyn rusqlite::ToSql)> {
        let mut all = self.named();
        for (k, v) in &other.params {
            if !all.iter().any(|(n, _)| n == k) {
                all.push((*k, v as &dyn rusqlite::ToSql));
            }
        }
        all
    }

    /// Parameters in the form rusqlite's `named_params`-style APIs take.
    pub fn named(&self) -> Vec<(&str, &dyn rusqlite::ToSql)> {
        self.params
            .iter()
            .map(|(k, v)| (*k, v as &dyn rusqlite::ToSql))
            .collect()
    }
}

/// The listing filter for an actor: the principal's own (from `rule`), or
/// everything for the operator's shell and Parvis itself; anonymous callers
/// are refused. Every read of a listing takes one: there is no "no filter".
pub fn filter_for(
    actor: &Actor,
    rule: fn(&Principal, &str) -> SqlFilter,
    alias: &str,
) -> Result<SqlFilter> {
    match actor.principal() {
        Some(p) => Ok(rule(p, alias)),
        None => {
            require_admin(actor)?;
            Ok(SqlFilter::everything())
        }
    }
}

/// What `access` needs to know of a person to decide what a viewer sees of
/// them and who may change their access.
#[derive(Debug, Clone, Copy)]
pub struct PersonFacts {
    pub id: i64,
    pub internal: bool,
    pub sponsor: Option<i64>,
}

/// Which of a person's fields a viewer sees beyond the directory's (name,
/// e-mail, title, department, phone, skills, organization).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonFields {
    /// Administrator flag, status, language, time zone: the person and administrators.
    pub account: bool,
    /// End of access, sponsor, pending invitation: the person and internal people.
    pub access: bool,
    /// Renewing or ending the access (`require_sponsor`): shown as buttons.
    pub manage_access: bool,
}

pub fn person_fields(viewer: &Principal, person: &PersonFacts) -> PersonFields {
    let own = viewer.person_id == person.id;
    PersonFields {
        account: own || (viewer.admin && viewer.internal),
        access: own || viewer.internal,
        manage_access: !person.internal
            && require_sponsor(&Actor::person(*viewer, None), person).is_ok(),
    }
}

/// The sponsor rule: an external person's access is renewed or ended by
/// their sponsor, if internal, or by an administrator.
pub fn require_sponsor(actor: &Actor, person: &PersonFacts) -> Result<()> {
    match actor.principal() {
        Some(p) if p.internal && Some(p.person_id) == person.sponsor => Ok(()),
        _ => require_admin(actor),
    }
}

/// Groups are the host's internal structure: internal people know of them
/// (their names, their members); to anyone else they do not exist.
pub fn can_see_groups(p: &Principal) -> bool {
    p.internal
}

/// Allows reading groups: internal people, the operator's shell and Parvis
/// itself; an external person is told there is nothing.
pub fn require_groups(actor: &Actor) -> Result<()> {
    match actor.principal() {
        Some(p) if can_see_groups(p) => Ok(()),
        Some(_) => Err(Error::NotFound),
        None => require_admin(actor),
    }
}

/// Whether a `space_members sm` row makes the viewer (`:viewer_id` of
/// `:viewer_org`) a member: directly, through a group, or through their
/// organization. Every membership question asks it this way.
macro_rules! is_member {
    () => {
        "(sm.person_id = :viewer_id OR sm.org_id = :viewer_org \
         OR sm.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.person_id = :viewer_id))"
    };
}
pub(crate) const IS_MEMBER: &str = is_member!();

/// Spaces the principal belongs to.
pub(crate) const MEMBER_SPACES: &str = concat!(
    "SELECT sm.space_id FROM space_members sm WHERE ",
    is_member!()
);

/// Which spaces (alias `alias`) the principal may see.
pub fn spaces_filter(p: &Principal, alias: &str) -> SqlFilter {
    let sql = if p.admin && p.internal {
        "1".to_string()
    } else if p.internal {
        format!("({alias}.visibility = 'internal' OR {alias}.id IN ({MEMBER_SPACES}))")
    } else {
        format!("{alias}.id IN ({MEMBER_SPACES})")
    };
    SqlFilter::new(sql, p)
}

/// The spaces (alias `alias`) the principal belongs to (named, through a
/// group or their organization): what "my spaces" means on their home.
pub fn member_spaces_filter(p: &Principal, alias: &str) -> SqlFilter {
    SqlFilter::new(format!("{alias}.id IN ({MEMBER_SPACES})"), p)
}

/// The spaces (alias `alias`) whose notifications the principal chooses:
/// those they may see and belong to, or already chose for.
pub fn notified_spaces_filter(p: &Principal, alias: &str) -> SqlFilter {
    let visible = spaces_filter(p, alias).sql;
    SqlFilter::new(
        format!(
            "({visible}) AND ({alias}.id IN ({MEMBER_SPACES}) OR {alias}.id IN \
             (SELECT nsp.space_id FROM notification_space_prefs nsp WHERE nsp.person_id = :viewer_id))"
        ),
        p,
    )
}

/// Which people (alias `alias`) the principal may see: internal people see
/// everyone; an external person sees themself and the people who share one of
/// their spaces, and nobody else — not even the rest of their own organization.
pub fn people_filter(p: &Principal, alias: &str) -> SqlFilter {
    let sql = if p.internal {
        "1".to_string()
    } else {
        format!(
            "({alias}.id = :viewer_id OR {alias}.id IN ( \
                SELECT sm.person_id FROM space_members sm \
                 WHERE sm.person_id IS NOT NULL AND sm.space_id IN ({MEMBER_SPACES}) \
                UNION SELECT gm.person_id FROM space_members sm JOIN group_members gm ON gm.group_id = sm.group_id \
                 WHERE sm.space_id IN ({MEMBER_SPACES}) \
                UNION SELECT op.id FROM space_members sm JOIN people op ON op.org_id = sm.org_id \
                 WHERE sm.space_id IN ({MEMBER_SPACES})))"
        )
    };
    SqlFilter::new(sql, p)
}

/// Whether the principal may know of an organization: internal people know
/// them all; an external person knows their own and the host.
pub fn can_see_organization(p: &Principal, org_id: i64, is_host: bool) -> bool {
    p.internal || is_host || org_id == p.org_id
}

/// Which organizations (alias `alias`) the principal may know of: the same
/// rule as `can_see_organization` — internal people know them all; an
/// external person knows their own and the host (whose people they work
/// with, on the host's portal). How many people an organization counts is
/// counted through `people_filter`: only those the principal may see.
pub fn organizations_filter(p: &Principal, alias: &str) -> SqlFilter {
    let sql = if p.internal {
        "1".to_string()
    } else {
        format!("({alias}.id = :viewer_org OR {alias}.kind = 'host')")
    };
    SqlFilter::new(sql, p)
}

/// Whether a decision allows, for channels that tell people of things
/// (live events, notifications), which must never tell of what the person
/// may not see: any refusal is `false`; a failure to decide stays an error.
pub fn allows<T>(decision: Result<T>) -> Result<bool> {
    match decision {
        Ok(_) => Ok(true),
        Err(Error::Internal(e)) => Err(Error::Internal(e)),
        Err(Error::Db(e)) => Err(Error::Db(e)),
        Err(_) => Ok(false),
    }
}

/// Whether row `id` of `table` (aliased `x`) passes one of the listing
/// filters: the same rule for one item as for a listing.
pub fn passes(c: &rusqlite::Connection, table: &str, filter: &SqlFilter, id: i64) -> Result<bool> {
    let sql = format!(
        "SELECT 1 FROM {table} x WHERE x.id = :id AND {}",
        filter.sql
    );
    let mut params = filter.named();
    params.push((":id", &id));
    let found = rusqlite::OptionalExtension::optional(
        c.prepare_cached(&sql)?
            .query_row(params.as_slice(), |_| Ok(())),
    )?;
    Ok(found.is_some())
}

pub mod comments;
pub mod discussions;
pub mod news;
pub mod requests;
pub mod search;
pub mod seen;

#[cfg(test)]
mod news_tests;
#[cfg(test)]
mod tests;

/// Which folders (alias `alias`) a person with `role` in their space may see:
/// every restricted folder on the path — itself and its ancestors — must
/// admit them (a minimum role, and/or being listed; managers pass lists).
/// Deny by default: a restriction the person cannot be shown to pass hides.
pub fn folders_filter(p: &Principal, role: Role, alias: &str) -> SqlFilter {
    if p.admin && p.internal {
        return SqlFilter::everything();
    }
    let sql = format!(
        "NOT EXISTS (SELECT 1 FROM folders r
            WHERE instr({alias}.path, '/' || r.id || '/') > 0
              AND (r.min_role IS NOT NULL OR r.restricted_to_listed = 1)
              AND NOT (
                (r.min_role IS NULL OR :viewer_rank >= {min_rank})
                AND (r.restricted_to_listed = 0 OR :viewer_rank >= {manager} OR EXISTS (
                    SELECT 1 FROM folder_access fa WHERE fa.folder_id = r.id
                      AND (fa.person_id = :viewer_id
                           OR fa.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.person_id = :viewer_id))))))",
        min_rank = Role::rank_sql("r.min_role"),
        manager = Role::Manager.rank(),
    );
    let mut f = SqlFilter::new(sql, p);
    f.params.push((":viewer_rank", role.rank()));
    f
}

/// The folder filter for an actor: a person's (see `folders_filter`), or none
/// for the operator's shell and Parvis itself.
pub fn folders_filter_for(actor: &Actor, role: Role, alias: &str) -> SqlFilter {
    match actor.principal() {
        Some(p) => folders_filter(p, role, alias),
        None => SqlFilter::everything(),
    }
}

/// Allows an item's internal discussion (an approval flow's notes): people
/// of the host organization who may read its folder, and the operator.
/// To anyone else, an external reader of that very folder included, it
/// is not there.
pub fn require_internal_folder(
    c: &rusqlite::Connection,
    actor: &Actor,
    space_id: i64,
    folder_id: Option<i64>,
) -> Result<Role> {
    let role = require_folder(c, actor, space_id, folder_id, SpaceAction::Read)?;
    match actor.who {
        Who::Person(p) if p.internal => Ok(role),
        Who::Cli | Who::System => Ok(role),
        Who::Person(_) | Who::Anonymous => Err(Error::NotFound),
    }
}

/// Allows `action` on a folder (or the library root, `None`) of a space:
/// the space role must allow it and every restricted folder on the path must
/// admit the person. A folder they may not see is not found.
pub fn require_folder(
    c: &rusqlite::Connection,
    actor: &Actor,
    space_id: i64,
    folder_id: Option<i64>,
    action: SpaceAction,
) -> Result<Role> {
    let role = require_space(c, actor, space_id, SpaceAction::Read)?;
    if let Some(folder) = folder_id {
        let filter = folders_filter_for(actor, role, "f");
        let sql = format!(
            "SELECT 1 FROM folders f WHERE f.id = :folder AND f.space_id = :space AND f.deleted_at IS NULL AND {}",
            filter.sql
        );
        let mut params = filter.named();
        params.push((":folder", &folder));
        params.push((":space", &space_id));
        let visible = rusqlite::OptionalExtension::optional(
            c.prepare_cached(&sql)?
                .query_row(params.as_slice(), |_| Ok(())),
        )?;
        if visible.is_none() {
            return Err(Error::NotFound);
        }
    }
    if role >= action.needs() {
        Ok(role)
    } else {
        Err(Error::Forbidden)
    }
}

/// Which of `documents` the actor may read now: not in the trash, in a space
/// and behind folders that admit them. Used where a person takes their own
/// work away (their data export): what they wrote where they no longer have
/// access stays where it is.
pub fn readable_documents(
    c: &rusqlite::Connection,
    actor: &Actor,
    documents: &[i64],
) -> Result<std::collections::HashSet<i64>> {
    let mut readable = std::collections::HashSet::new();
    let mut st = c.prepare_cached(
        "SELECT space_id, folder_id FROM documents WHERE id = ?1 AND deleted_at IS NULL",
    )?;
    for &id in documents {
        let place: Option<(i64, Option<i64>)> = rusqlite::OptionalExtension::optional(
            st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))),
        )?;
        let Some((space, folder)) = place else {
            continue;
        };
        match require_folder(c, actor, space, folder, SpaceAction::Read) {
            Ok(_) => {
                readable.insert(id);
            }
            Err(Error::NotFound | Error::Forbidden | Error::Unauthorized) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(readable)
}

/// Which of `folders` the actor may read now: not in the trash, in a space
/// and behind folders that admit them (see `readable_documents`).
pub fn readable_folders(
    c: &rusqlite::Connection,
    actor: &Actor,
    folders: &[i64],
) -> Result<std::collections::HashSet<i64>> {
    let mut readable = std::collections::HashSet::new();
    let mut st =
        c.prepare_cached("SELECT space_id FROM folders WHERE id = ?1 AND deleted_at IS NULL")?;
    for &id in folders {
        let space: Option<i64> =
            rusqlite::OptionalExtension::optional(st.query_row([id], |r| r.get(0)))?;
        let Some(space) = space else {
            continue;
        };
        match require_folder(c, actor, space, Some(id), SpaceAction::Read) {
            Ok(_) => {
                readable.insert(id);
            }
            Err(Error::NotFound | Error::Forbidden | Error::Unauthorized) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(readable)
}
