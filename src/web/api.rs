//! What every `/api/v1` handler shares: a route is registered together with
//! its description (`Api::add`), so the OpenAPI document lists exactly the
//! routes the router serves. Callers authenticate with a Bearer
//! token (or the session of the pages' own scripts, with the CSRF header);
//! errors are RFC 9457 `application/problem+json`, rendered once by the
//! context middleware. Listings are pages by id: `?limit=&after=`.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::web::error::HttpError;
use crate::web::extract::ApiCaller;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::MethodRouter;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One documented route.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub method: &'static str,
    /// In axum's and OpenAPI's common syntax: `/api/v1/people/{id}`.
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    /// The token scope the route needs.
    pub scope: Scope,
    /// Name of the request body's schema in the document, if any.
    pub body: Option<&'static str>,
    /// Name of the response's schema; `None` for 204 No Content.
    pub response: Option<&'static str>,
    /// The response is a list of `response` items.
    pub list: bool,
    /// The list comes in pages (`limit`, `after`); otherwise it is whole.
    pub paged: bool,
    /// Query parameters beyond paging.
    pub query: &'static [Param],
    /// The media type of a file answer (then `response` is `FileContent`).
    pub media: Option<&'static str>,
    /// Who may call it: the role matrix checks every route against this.
    pub need: Need,
}

/// Who may call a route. Each answers every other caller exactly as if what
/// the route names did not exist (404), except where the caller's token
/// lacks the scope (403) or there is no caller (401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Not said yet: the role-matrix test fails on it.
    Undeclared,
    /// Anyone, signed in or not (a share link's page: the link is the key).
    Public,
    /// Visitors who are not signed in (the sign-in page); a signed-in
    /// person is sent on to where they were going.
    Visitor,
    /// Whoever holds the token the path carries (a reset or invitation
    /// link, a sign-in waiting for its second factor): being signed in
    /// changes nothing, and an unknown token answers every caller alike.
    Token,
    /// Any signed-in person (their own account, their tokens).
    Signed,
    /// People of the host organization (groups are internal).
    Internal,
    /// Whoever may know the person named: internal people know everyone;
    /// an external person, the people they share a space with.
    KnowPerson,
    /// Whoever may know the organization named: internal people, and its
    /// own people.
    KnowOrganization,
    /// Members of the space the route names (or of the item's space).
    SpaceRead,
    /// Contributors and managers of that space.
    SpaceWrite,
    /// Managers of that space, internal or external (its folders).
    SpaceManage,
    /// Internal managers of that space, and administrators (its members
    /// and settings: external managers do not decide who else joins).
    SpaceSettings,
    /// The item's writer, and the managers of its space (in the role
    /// matrix the external reader wrote it).
    Author,
    /// The item's writer alone (in the role matrix, the external reader).
    Writer,
    /// Whoever sees the request: its requester, their colleagues when its
    /// type lets them (in the role matrix, the external manager), and its
    /// agents (the space's internal contributors and managers).
    RequestRead,
    /// The request's agents alone.
    Agent,
    /// The approvers of a flow's current step (in the role matrix, whose
    /// flow asks the space's managers).
    Approver,
    /// Whoever started the flow, and the managers of its space (in the role
    /// matrix, the contributor started it).
    FlowStarter,
    /// People of the host organization who may read the item (a flow's
    /// internal discussion): never its external readers.
    InternalRead,
    /// The person themselves, and administrators.
    SelfOrAdmin,
    /// Internal managers of the space, and administrators for instance-wide
    /// invitations.
    Invite,
    /// Administrators, with an admin-scope token.
    Admin,
}

impl Need {
    /// Said in the OpenAPI document.
    pub fn describe(self) -> &'static str {
        match self {
            Need::Undeclared => "undeclared",
            Need::Public => "anyone",
            Need::Visitor => "visitors not signed in",
            Need::Token => "whoever holds the link",
            Need::Signed => "any signed-in person",
            Need::Internal => "people of the host organization",
            Need::KnowPerson => "whoever may see the person",
            Need::KnowOrganization => "internal people and the organization's own people",
            Need::SpaceRead => "members of the space",
            Need::SpaceWrite => "contributors and managers of the space",
            Need::SpaceManage => "managers of the space",
            Need::SpaceSettings => "internal managers of the space, and administrators",
            Need::Author => "its writer, and the managers of its space",
            Need::Writer => "its writer alone",
            Need::RequestRead => {
                "its requester, their organization when its type says so, and its agents"
            }
            Need::Agent => {
                "its agents: the space's internal contributors and managers, the type's agent group, administrators"
            }
            Need::SelfOrAdmin => "the person themselves, and administrators",
            Need::Approver => "the approvers of the flow's current step",
            Need::FlowStarter => "whoever started the flow, and the managers of its space",
            Need::InternalRead => {
                "people of the host organization who may read it, never its external readers"
            }
            Need::Invite => "internal managers of the spaces invited to, and administrators",
            Need::Admin => "administrators",
        }
    }
}

/// A query parameter the route reads.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: ParamKind,
}

#[derive(Debug, Clone, Copy)]
pub enum ParamKind {
    String,
    Integer,
    /// An integer the server refuses outside these bounds (inclusive).
    Bounded(i64, i64),
}

impl Param {
    pub const fn new(name: &'static str, description: &'static str, kind: ParamKind) -> Param {
        Param {
            name,
            description,
            kind,
        }
    }
}

impl Endpoint {
    pub const fn new(method: &'static str, path: &'static str, summary: &'static str) -> Endpoint {
        Endpoint {
            method,
            path,
            summary,
            tag: "",
            scope: Scope::Read,
            body: None,
            response: None,
            list: false,
            paged: false,
            query: &[],
            media: None,
            need: Need::Undeclared,
        }
    }

    pub const fn need(mut self, need: Need) -> Endpoint {
        self.need = need;
        self
    }

    pub const fn tag(mut self, tag: &'static str) -> Endpoint {
        self.tag = tag;
        self
    }

    pub const fn scope(mut self, scope: Scope) -> Endpoint {
        self.scope = scope;
        self
    }

    pub const fn body(mut self, schema: &'static str) -> Endpoint {
        self.body = Some(schema);
        self
    }

    pub const fn returns(mut self, schema: &'static str) -> Endpoint {
        self.response = Some(schema);
        self
    }

    pub const fn page_of(mut self, schema: &'static str) -> Endpoint {
        self.response = Some(schema);
        self.list = true;
        self.paged = true;
        self
    }

    /// A list answered whole, in one page.
    pub const fn all_of(mut self, schema: &'static str) -> Endpoint {
        self.response = Some(schema);
        self.list = true;
        self
    }

    pub const fn query(mut self, params: &'static [Param]) -> Endpoint {
        self.query = params;
        self
    }

    /// The answer is a file of this media type.
    pub const fn file(mut self, media: &'static str) -> Endpoint {
        self.response = Some("FileContent");
        self.media = Some(media);
        self
    }
}

/// The API's routers and the description of every route they hold.
pub struct Api {
    pub router: Router<AppState>,
    /// Routes whose body is a whole file: the server gives them the upload limits.
    pub uploads: Router<AppState>,
    pub endpoints: Vec<Endpoint>,
}

impl Default for Api {
    fn default() -> Api {
        Api::new()
    }
}

impl Api {
    pub fn new() -> Api {
        Api {
            router: Router::new(),
            uploads: Router::new(),
            endpoints: Vec::new(),
        }
    }

    pub fn add(mut self, e: Endpoint, handler: MethodRouter<AppState>) -> Api {
        self.router = self.router.route(e.path, handler);
        self.endpoints.push(e);
        self
    }

    pub fn add_upload(mut self, e: Endpoint, handler: MethodRouter<AppState>) -> Api {
        self.uploads = self.uploads.route(e.path, handler);
        self.endpoints.push(e);
        self
    }
}

pub const PEOPLE_QUERY: &[Param] = &[Param::new("q", "Words to look for", ParamKind::String)];

/// The library's page: where, from where, how many.
pub const LIBRARY_QUERY: &[Param] = &[
    Param::new(
        "folder",
        "A folder of the space; none: its root",
        ParamKind::Integer,
    ),
    Param::new(
        "after_name",
        "The `next.after_name` of the previous page",
        ParamKind::String,
    ),
    Param::new(
        "after_id",
        "The `next.after_id` of the previous page",
        ParamKind::Integer,
    ),
    Param::new(
        "limit",
        "Documents per page (default 100)",
        ParamKind::Bounded(1, 500),
    ),
    Param::new(
        "state",
        "Only files in this review state: `draft`, `review`, `approved`, `rejected`, `changes`",
        ParamKind::String,
    ),
];

/// `value` of the query parameter `name`, refused outside the bounds the
/// document gives it.
fn bounded(
    params: &[Param],
    name: &str,
    value: Option<u32>,
    default: u32,
) -> Result<u32, HttpError> {
    let Some(v) = value else { return Ok(default) };
    let ok = params.iter().any(|p| {
        p.name == name
            && matches!(p.kind, ParamKind::Bounded(lo, hi) if (lo..=hi).contains(&i64::from(v)))
    });
    if ok {
        Ok(v)
    } else {
        Err(HttpError::bad_request("limit-invalid"))
    }
}

/// `limit` of the library, within the documented bounds.
pub fn library_limit(value: Option<u32>) -> Result<u32, HttpError> {
    bounded(LIBRARY_QUERY, "limit", value, 100)
}

/// Refuses a call whose token's scope is below what the route needs.
pub fn require_scope(caller: &ApiCaller, needed: Scope) -> Result<(), HttpError> {
    if caller.scope >= needed {
        Ok(())
    } else {
        Err(HttpError::new(StatusCode::FORBIDDEN, "scope-insufficient"))
    }
}

/// `?limit=&after=&q=` of listings.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub limit: Option<u32>,
    pub after: Option<i64>,
    pub q: Option<String>,
}

impl PageQuery {
    pub const DEFAULT: u32 = 50;
    pub const MAX: u32 = 200;

    /// The page size asked, refused outside the documented 1..=MAX.
    pub fn limit(&self) -> Result<u32, HttpError> {
        match self.limit {
            None => Ok(Self::DEFAULT),
            Some(n) if (1..=Self::MAX).contains(&n) => Ok(n),
            Some(_) => Err(HttpError::bad_request("limit-invalid")),
        }
    }

    pub fn after(&self) -> i64 {
        self.after.unwrap_or(0).max(0)
    }
}

/// A page: the items as `view` shows them and, when there may be more, the
/// `after` of the next page.
pub fn page<T>(
    items: &[T],
    limit: u32,
    id: impl Fn(&T) -> i64,
    view: impl Fn(&T) -> Value,
) -> Value {
    let next = if items.len() as u32 >= limit {
        items.last().map(&id)
    } else {
        None
    };
    let items: Vec<Value> = items.iter().map(view).collect();
    json!({"items": items, "next_after": next})
}

/// Any serializable value as JSON (`Null` if it cannot be, which our types never are).
pub fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// 201 with a JSON body.
pub fn created(body: Value) -> axum::response::Response {
    use axum::response::IntoResponse;
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

/// 204 No Content.
pub fn no_content() -> axum::response::Response {
    use axum::response::IntoResponse;
    StatusCode::NO_CONTENT.into_response()
}
