//! Requests: who sees one, who works on it, and the listing filter that
//! says the same for many. A request is seen by its requester, by their
//! colleagues when its type lets an organization follow its requests —
//! each only while they read the request's space — and by its agents: the
//! internal contributors and managers of the space, the members of the
//! type's agent group, and administrators. Only agents see internal notes
//! and internal fields; to anyone else those do not exist.

use super::{Actor, IS_MEMBER, MEMBER_SPACES, Principal, SqlFilter, Who, space_role};
use crate::domain::Role;
use crate::service::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// What access needs to know of a request.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub space_id: i64,
    pub requester_id: Option<i64>,
    pub org_id: Option<i64>,
    /// The type lets the requester's organization see it.
    pub org_visible: bool,
    pub agent_group: Option<i64>,
}

/// Where a principal stands towards one request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub requester: bool,
    /// Of the requester's organization, on a type that lets it see.
    pub colleague: bool,
    pub agent: bool,
    /// Manages the space (or the instance).
    pub manager: bool,
}

impl Standing {
    pub fn sees(&self) -> bool {
        self.requester || self.colleague || self.agent
    }

    /// The customer's side of a request: its requester and colleagues.
    pub fn customer(&self) -> bool {
        self.requester || self.colleague
    }
}

/// The facts of request `id`, if it exists.
pub fn facts(c: &Connection, id: i64) -> Result<Option<Facts>> {
    Ok(c.prepare_cached(
        "SELECT r.space_id, r.requester_id, r.org_id, t.org_visible, t.agent_group_id
             FROM requests r JOIN request_types t ON t.id = r.type_id WHERE r.id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Facts {
            space_id: r.get(0)?,
            requester_id: r.get(1)?,
            org_id: r.get(2)?,
            org_visible: r.get(3)?,
            agent_group: r.get(4)?,
        })
    })
    .optional()?)
}

fn in_group(c: &Connection, person: i64, group: Option<i64>) -> Result<bool> {
    let Some(g) = group else { return Ok(false) };
    Ok(
        c.prepare_cached("SELECT 1 FROM group_members WHERE group_id = ?1 AND person_id = ?2")?
            .query_row([g, person], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// Where `p` stands towards a request with these facts.
pub fn standing(c: &Connection, p: &Principal, f: &Facts) -> Result<Standing> {
    let role = space_role(c, p, f.space_id)?;
    let manager = p.internal && role == Some(Role::Manager);
    let agent = p.internal
        && (role.is_some_and(|r| r >= Role::Contributor)
            || in_group(c, p.person_id, f.agent_group)?);
    let reads = role.is_some();
    let requester = reads && f.requester_id == Some(p.person_id);
    Ok(Standing {
        requester,
        colleague: reads && !requester && f.org_visible && f.org_id == Some(p.org_id),
        agent,
        manager,
    })
}

/// Whether `p` may see request `id` (for the channels that tell of
/// changes: a missing request is a no).
pub fn sees(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    match facts(c, id)? {
        Some(f) => Ok(standing(c, p, &f)?.sees()),
        None => Ok(false),
    }
}

/// Whether `p` works on request `id` (and so sees its internal side).
pub fn works_on(c: &Connection, p: &Principal, id: i64) -> Result<bool> {
    match facts(c, id)? {
        Some(f) => Ok(standing(c, p, &f)?.agent),
        None => Ok(false),
    }
}

/// The actor's standing towards request `id`: a request they may not see
/// is not found, as one that does not exist. Parvis itself and the shell
/// act as managers.
pub fn require_request(c: &Connection, actor: &Actor, id: i64) -> Result<(Facts, Standing)> {
    let f = facts(c, id)?.ok_or(Error::NotFound)?;
    let s = match actor.who {
        Who::Cli | Who::System => Standing {
            agent: true,
            manager: true,
            ..Standing::default()
        },
        Who::Person(p) => standing(c, &p, &f)?,
        Who::Anonymous => return Err(Error::Unauthorized),
    };
    if s.sees() {
        Ok((f, s))
    } else {
        Err(Error::NotFound)
    }
}

/// The same, for what only agents do: to a customer, an agent's action
/// is forbidden (they see the request); to anyone else it is missing.
pub fn require_agent(c: &Connection, actor: &Actor, id: i64) -> Result<(Facts, Standing)> {
    let (f, s) = require_request(c, actor, id)?;
    if s.agent {
        Ok((f, s))
    } else {
        Err(Error::Forbidden)
    }
}

/// Which requests (alias `r`) the principal sees: the rule of `standing`
/// for many at once.
pub fn requests_filter(p: &Principal, r: &str) -> SqlFilter {
    if p.admin && p.internal {
        return SqlFilter::new("1".into(), p);
    }
    let reads = if p.internal {
        format!(
            "{r}.space_id IN (SELECT s.id FROM spaces s WHERE s.visibility = 'internal'
                              UNION {MEMBER_SPACES})"
        )
    } else {
        format!("{r}.space_id IN ({MEMBER_SPACES})")
    };
    let customer = format!(
        "({reads} AND ({r}.requester_id = :viewer_id
            OR ({r}.org_id = :viewer_org
                AND {r}.type_id IN (SELECT id FROM request_types WHERE org_visible = 1))))"
    );
    let sql = if p.internal {
        format!(
            "({customer}
              OR {r}.space_id IN (SELECT sm.space_id FROM space_members sm
                                  WHERE {IS_MEMBER} AND sm.role IN ('contributor', 'manager'))
              OR {r}.type_id IN (SELECT t.id FROM request_types t JOIN group_members gm
                                   ON gm.group_id = t.agent_group_id
                                 WHERE gm.person_id = :viewer_id))"
        )
    } else {
        customer
    };
    SqlFilter::new(sql, p)
}

/// The search tokens of a request of type `type_id`: its agents (of the
/// space, of the type's group), its requester and, when the type says so,
/// their organization — each of the last two only in its space.
pub fn request_tokens(f: &Facts, type_id: i64) -> Vec<String> {
    let mut allow = agent_tokens(f.space_id, type_id);
    if let Some(p) = f.requester_id {
        allow.push(format!("requester:{}:{p}", f.space_id));
    }
    if let (true, Some(o)) = (f.org_visible, f.org_id) {
        allow.push(format!("request-org:{}:{o}", f.space_id));
    }
    allow
}

/// The tokens of what agents alone find (internal notes): the space's
/// agents, and the type's group (named by the type, so that giving a type
/// another group needs no entry written again).
pub fn agent_tokens(space: i64, type_id: i64) -> Vec<String> {
    vec![format!("agents:{space}"), format!("type-agents:{type_id}")]
}

/// The request tokens a person holds, given the spaces they see with
/// their rank in each (the same rules as `standing`).
pub fn search_tokens(
    c: &Connection,
    p: &Principal,
    spaces: &[(i64, Option<i64>)],
    admin: bool,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (space, member_rank) in spaces {
        out.push(format!("requester:{space}:{}", p.person_id));
        out.push(format!("request-org:{space}:{}", p.org_id));
        if admin || (p.internal && member_rank.is_some_and(|r| r >= Role::Contributor.rank())) {
            out.push(format!("agents:{space}"));
        }
    }
    if p.internal {
        let mut st = c.prepare_cached(
            "SELECT t.id FROM request_types t JOIN group_members gm ON gm.group_id = t.agent_group_id
             WHERE gm.person_id = ?1",
        )?;
        for t in st.query_map([p.person_id], |r| r.get::<_, i64>(0))? {
            out.push(format!("type-agents:{}", t?));
        }
    }
    Ok(out)
}
