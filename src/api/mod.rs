//! The JSON API under `/api/v1`: every route is registered here together with
//! its description, so the OpenAPI document (`/api/v1/openapi.json`) lists
//! exactly the routes the router serves. Callers authenticate with a Bearer
//! token (or the session of the pages' own scripts, with the CSRF header);
//! errors are RFC 9457 `application/problem+json`, rendered once by the
//! context middleware. Listings are pages by id: `?limit=&after=`.

pub mod openapi;

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::server::error::HttpError;
use crate::server::extract::ApiCaller;
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
        }
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

impl Api {
    fn new() -> Api {
        Api {
            router: Router::new(),
            uploads: Router::new(),
            endpoints: Vec::new(),
        }
    }

    fn add(mut self, e: Endpoint, handler: MethodRouter<AppState>) -> Api {
        self.router = self.router.route(e.path, handler);
        self.endpoints.push(e);
        self
    }

    fn add_upload(mut self, e: Endpoint, handler: MethodRouter<AppState>) -> Api {
        self.uploads = self.uploads.route(e.path, handler);
        self.endpoints.push(e);
        self
    }
}

const PEOPLE_QUERY: &[Param] = &[Param::new("q", "Words to look for", ParamKind::String)];

/// The library's page: where, from where, how many.
const LIBRARY_QUERY: &[Param] = &[
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

/// Every API route. `guard` adds the CSRF check (for session callers) the
/// pages' routes have.
pub fn routes(guard: impl Fn(MethodRouter<AppState>) -> MethodRouter<AppState>) -> Api {
    use crate::{documents, groups, organizations, people, portals, spaces};
    use axum::routing::{delete, get, patch, post, put};
    const ME: &str = "/api/v1/me";
    Api::new()
        .add(
            Endpoint::new("get", ME, "Who the caller is, and with which scope")
                .tag("people")
                .returns("Me"),
            guard(get(people::api::me)),
        )
        .add(
            Endpoint::new("get", "/api/v1/me/export", "All the caller's own data (profile, memberships, what they wrote and uploaded where they still have access, their audit trail) as a tar archive in the export format")
                .tag("people")
                .file("application/x-tar"),
            guard(get(people::data_web::api_export)),
        )
        .add(
            Endpoint::new("get", "/api/v1/me/tokens", "The caller's access tokens")
                .tag("tokens")
                .all_of("Token"),
            guard(get(crate::auth::tokens_api::list)),
        )
        .add(
            Endpoint::new("post", "/api/v1/me/tokens", "Create an access token (its secret is shown once)")
                .tag("tokens")
                .scope(Scope::Write)
                .body("NewToken")
                .returns("CreatedToken"),
            guard(post(crate::auth::tokens_api::create)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/me/tokens/{id}", "Revoke one of the caller's tokens")
                .tag("tokens")
                .scope(Scope::Write),
            guard(delete(crate::auth::tokens_api::revoke)),
        )
        .add(
            Endpoint::new("get", "/api/v1/organizations", "Organizations the caller may know of")
                .tag("organizations")
                .page_of("Organization"),
            guard(get(organizations::api::list)),
        )
        .add(
            Endpoint::new("post", "/api/v1/organizations", "Create an external organization")
                .tag("organizations")
                .scope(Scope::Admin)
                .body("NewOrganization")
                .returns("Organization"),
            guard(post(organizations::api::create)),
        )
        .add(
            Endpoint::new("get", "/api/v1/organizations/{id}", "One organization")
                .tag("organizations")
                .returns("Organization"),
            guard(get(organizations::api::get)),
        )
        .add(
            Endpoint::new("patch", "/api/v1/organizations/{id}", "Rename an organization")
                .tag("organizations")
                .scope(Scope::Admin)
                .body("OrganizationChanges")
                .returns("Organization"),
            guard(patch(organizations::api::update)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/organizations/{id}", "Delete an external organization without people")
                .tag("organizations")
                .scope(Scope::Admin),
            guard(delete(organizations::api::remove)),
        )
        .add(
            Endpoint::new("get", "/api/v1/people", "People the caller may see; `q` searches names, titles, departments, skills")
                .tag("people")
                .page_of("Person")
                .query(PEOPLE_QUERY),
            guard(get(people::api::list)),
        )
        .add(
            Endpoint::new("post", "/api/v1/people", "Create an account")
                .tag("people")
                .scope(Scope::Admin)
                .body("NewPerson")
                .returns("Person"),
            guard(post(people::api::create)),
        )
        .add(
            Endpoint::new("get", "/api/v1/people/{id}", "One person")
                .tag("people")
                .returns("Person"),
            guard(get(people::api::get)),
        )
        .add(
            Endpoint::new("patch", "/api/v1/people/{id}", "Change a profile (oneself or, as administrator, anyone; status for administrators)")
                .tag("people")
                .scope(Scope::Write)
                .body("PersonChanges")
                .returns("Person"),
            guard(patch(people::api::update)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/people/{id}", "Delete an account")
                .tag("people")
                .scope(Scope::Admin),
            guard(delete(people::api::remove)),
        )
        .add(
            Endpoint::new("post", "/api/v1/people/{id}/erase", "Erase a person: their personal data goes, what they wrote stays under a neutral name (cannot be undone)")
                .tag("people")
                .scope(Scope::Admin)
                .returns("Erasure"),
            guard(post(people::data_web::api_erase)),
        )
        .add(
            Endpoint::new("post", "/api/v1/invitations", "Invite an external person (sponsor, access end date, single-use link by e-mail)")
                .tag("people")
                .scope(Scope::Write)
                .body("NewInvitation")
                .returns("Invitation"),
            guard(post(people::api::invite)),
        )
        .add(
            Endpoint::new("get", "/api/v1/groups", "Groups (internal people only)")
                .tag("groups")
                .page_of("Group"),
            guard(get(groups::api::list)),
        )
        .add(
            Endpoint::new("post", "/api/v1/groups", "Create a group")
                .tag("groups")
                .scope(Scope::Admin)
                .body("NewGroup")
                .returns("Group"),
            guard(post(groups::api::create)),
        )
        .add(
            Endpoint::new("get", "/api/v1/groups/{id}", "One group and its members")
                .tag("groups")
                .returns("GroupWithMembers"),
            guard(get(groups::api::get)),
        )
        .add(
            Endpoint::new("patch", "/api/v1/groups/{id}", "Change a group")
                .tag("groups")
                .scope(Scope::Admin)
                .body("GroupChanges")
                .returns("Group"),
            guard(patch(groups::api::update)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/groups/{id}", "Delete a group")
                .tag("groups")
                .scope(Scope::Admin),
            guard(delete(groups::api::remove)),
        )
        .add(
            Endpoint::new("put", "/api/v1/groups/{id}/members/{person_id}", "Add a person to a group")
                .tag("groups")
                .scope(Scope::Admin),
            guard(put(groups::api::add_member)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/groups/{id}/members/{person_id}", "Remove a person from a group")
                .tag("groups")
                .scope(Scope::Admin),
            guard(delete(groups::api::remove_member)),
        )
        .add(
            Endpoint::new("get", "/api/v1/portals", "Portals")
                .tag("portals")
                .scope(Scope::Admin)
                .all_of("Portal"),
            guard(get(portals::api::list)),
        )
        .add(
            Endpoint::new("post", "/api/v1/portals", "Create a portal")
                .tag("portals")
                .scope(Scope::Admin)
                .body("PortalInput")
                .returns("Portal"),
            guard(post(portals::api::create)),
        )
        .add(
            Endpoint::new("get", "/api/v1/portals/{id}", "One portal")
                .tag("portals")
                .scope(Scope::Admin)
                .returns("Portal"),
            guard(get(portals::api::get)),
        )
        .add(
            Endpoint::new("patch", "/api/v1/portals/{id}", "Change a portal")
                .tag("portals")
                .scope(Scope::Admin)
                .body("PortalInput")
                .returns("Portal"),
            guard(patch(portals::api::update)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/portals/{id}", "Delete a portal (not the default one)")
                .tag("portals")
                .scope(Scope::Admin),
            guard(delete(portals::api::remove)),
        )
        .add(
            Endpoint::new("put", "/api/v1/portals/{id}/logo", "Set a portal's logo (the body is a PNG, JPEG, GIF or WebP image of at most 512 KiB; SVG is refused)")
                .tag("portals")
                .scope(Scope::Admin)
                .body("FileContent")
                .returns("Portal"),
            guard(put(portals::api::set_logo)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/portals/{id}/logo", "Go back to the built-in logo")
                .tag("portals")
                .scope(Scope::Admin),
            guard(delete(portals::api::remove_logo)),
        )
        .add(
            Endpoint::new("put", "/api/v1/portals/{id}/favicon", "Set a portal's favicon (the body is a PNG, JPEG, GIF or WebP image of at most 512 KiB; SVG is refused)")
                .tag("portals")
                .scope(Scope::Admin)
                .body("FileContent")
                .returns("Portal"),
            guard(put(portals::api::set_favicon)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/portals/{id}/favicon", "Go back to the logo as favicon")
                .tag("portals")
                .scope(Scope::Admin),
            guard(delete(portals::api::remove_favicon)),
        )
        .add(
            Endpoint::new("get", "/api/v1/spaces", "Spaces the caller may see")
                .tag("spaces")
                .page_of("Space"),
            guard(get(spaces::api::list)),
        )
        .add(
            Endpoint::new("post", "/api/v1/spaces", "Create a space")
                .tag("spaces")
                .scope(Scope::Admin)
                .body("NewSpace")
                .returns("Space"),
            guard(post(spaces::api::create)),
        )
        .add(
            Endpoint::new("get", "/api/v1/spaces/{id}", "One space, the caller's role and the members they may know of")
                .tag("spaces")
                .returns("SpaceDetail"),
            guard(get(spaces::api::get)),
        )
        .add(
            Endpoint::new("patch", "/api/v1/spaces/{id}", "Change a space (managers; visibility: administrators)")
                .tag("spaces")
                .scope(Scope::Write)
                .body("SpaceChanges")
                .returns("Space"),
            guard(patch(spaces::api::update)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/spaces/{id}", "Delete a space")
                .tag("spaces")
                .scope(Scope::Admin),
            guard(delete(spaces::api::remove)),
        )
        .add(
            Endpoint::new("get", "/api/v1/spaces/{id}/members", "Members of a space the caller may know of")
                .tag("spaces")
                .all_of("Member"),
            guard(get(spaces::api::members)),
        )
        .add(
            Endpoint::new("post", "/api/v1/spaces/{id}/members", "Grant a person, a group or an organization a role")
                .tag("spaces")
                .scope(Scope::Write)
                .body("Grant"),
            guard(post(spaces::api::grant)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/spaces/{id}/members", "Revoke a membership (`person`, `group` or `organization` in the query)")
                .tag("spaces")
                .scope(Scope::Write),
            guard(delete(spaces::api::revoke)),
        )
        .add(
            Endpoint::new("get", "/api/v1/spaces/{id}/library", "A folder's sub-folders and a page of its documents (`folder`, `after_name`, `after_id`, `limit`)")
                .tag("documents")
                .returns("Library")
                .query(LIBRARY_QUERY),
            guard(get(documents::api::library)),
        )
        .add(
            Endpoint::new("post", "/api/v1/spaces/{id}/folders", "Create a folder")
                .tag("documents")
                .scope(Scope::Write)
                .body("NewFolder")
                .returns("Folder"),
            guard(post(documents::api::create_folder)),
        )
        .add_upload(
            Endpoint::new("post", "/api/v1/spaces/{id}/files", "Upload a file (the body is the content; `name`, `folder`, `comment` in the query); a name already there gets a new version")
                .tag("documents")
                .scope(Scope::Write)
                .body("FileContent")
                .returns("Uploaded"),
            guard(post(documents::api::upload)),
        )
        .add(
            Endpoint::new("get", "/api/v1/documents/{id}", "A document and its versions")
                .tag("documents")
                .returns("DocumentDetail"),
            guard(get(documents::api::get)),
        )
        .add(
            Endpoint::new("get", "/api/v1/documents/{id}/content", "The content of the current version, or of `version`; supports Range")
                .tag("documents")
                .file("*/*"),
            guard(get(documents::api::content)),
        )
        .add(
            Endpoint::new("post", "/api/v1/documents/{id}/versions/{number}/restore", "Make an earlier version current again (as a new version)")
                .tag("documents")
                .scope(Scope::Write)
                .returns("Restored"),
            guard(post(documents::api::restore)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/documents/{id}", "Put a document in the trash")
                .tag("documents")
                .scope(Scope::Write),
            guard(delete(documents::api::remove)),
        )
        .add(
            Endpoint::new("put", "/api/v1/documents/{id}/lock", "Check a document out")
                .tag("documents")
                .scope(Scope::Write),
            guard(put(documents::api::lock)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/documents/{id}/lock", "Release (or, as a manager, break) a check-out")
                .tag("documents")
                .scope(Scope::Write),
            guard(delete(documents::api::unlock)),
        )
        .add_upload(
            Endpoint::new("post", "/api/v1/spaces/{id}/files/form", "Upload files as multipart/form-data (`file` parts, an optional `comment` part; `folder` in the query)")
                .tag("documents")
                .scope(Scope::Write)
                .body("FileForm")
                .returns("UploadedFiles"),
            guard(post(documents::api::upload_form)),
        )
        .add(
            Endpoint::new("patch", "/api/v1/documents/{id}", "Describe, tag, rename and/or move a document (`folder: null` is the library's root)")
                .tag("documents")
                .scope(Scope::Write)
                .body("DocumentChanges")
                .returns("DocumentDetail"),
            guard(patch(documents::api::update)),
        )
        .add(
            Endpoint::new("post", "/api/v1/documents/{id}/copy", "Copy a document's current version to a folder of a space you may write to")
                .tag("documents")
                .scope(Scope::Write)
                .body("CopyTarget")
                .returns("NewId"),
            guard(post(documents::api::copy)),
        )
        .add(
            Endpoint::new("post", "/api/v1/documents/{id}/untrash", "Take a document out of the trash")
                .tag("documents")
                .scope(Scope::Write),
            guard(post(documents::api::untrash)),
        )
        .add(
            Endpoint::new("get", "/api/v1/spaces/{id}/trash", "A space's trash: documents and folders (trashed with their contents)")
                .tag("documents")
                .returns("Trash"),
            guard(get(documents::api::trash)),
        )
        .add(
            Endpoint::new("patch", "/api/v1/folders/{id}", "Rename and/or move a folder with everything in it (`parent: null` is the library's root)")
                .tag("documents")
                .scope(Scope::Write)
                .body("FolderChanges")
                .returns("Folder"),
            guard(patch(documents::api::update_folder)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/folders/{id}", "Put a folder and its contents in the trash")
                .tag("documents")
                .scope(Scope::Write),
            guard(delete(documents::api::remove_folder)),
        )
        .add(
            Endpoint::new("post", "/api/v1/folders/{id}/untrash", "Restore a folder with what went to the trash with it")
                .tag("documents")
                .scope(Scope::Write),
            guard(post(documents::api::untrash_folder)),
        )
        .add(
            Endpoint::new("get", "/api/v1/folders/{id}/restriction", "Who may see a folder (space managers)")
                .tag("documents")
                .returns("Restriction"),
            guard(get(documents::api::restriction)),
        )
        .add(
            Endpoint::new("put", "/api/v1/folders/{id}/restriction", "Restrict a folder to a minimum role and/or listed members (empty: lift)")
                .tag("documents")
                .scope(Scope::Write)
                .body("NewRestriction")
                .returns("Restriction"),
            guard(put(documents::api::restrict)),
        )
        .add(
            Endpoint::new("get", "/api/v1/spaces/{id}/shares", "The share links of a space's documents")
                .tag("documents")
                .all_of("ShareLink"),
            guard(get(documents::api::shares)),
        )
        .add(
            Endpoint::new("post", "/api/v1/documents/{id}/shares", "Create a public share link (when the portal allows them); the URL is returned once")
                .tag("documents")
                .scope(Scope::Write)
                .body("NewShare")
                .returns("ShareCreated"),
            guard(post(documents::api::share)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/shares/{id}", "Revoke a share link")
                .tag("documents")
                .scope(Scope::Write),
            guard(delete(documents::api::revoke_share)),
        )
        .add(
            Endpoint::new("get", "/api/v1/search", "Search everything you may see (`q`, `type`, `space`, `ext`, `from`, `to` in ms, `sort=date` or `sort=recent` (relevance with recent entries lifted), `page`; quoted words must be in that order); hits with snippets, facet counts")
                .tag("search")
                .returns("SearchResults"),
            guard(get(crate::search::api::search)),
        )
        .add(
            Endpoint::new("get", "/api/v1/search/suggest", "Titles of files, spaces and people starting like `q`, for a search box")
                .tag("search")
                .returns("Suggestions"),
            guard(get(crate::search::api::suggest)),
        )
        .document_itself()
}

impl Api {
    /// The document's own route (described in `openapi::document`).
    fn document_itself(mut self) -> Api {
        self.router = self
            .router
            .route("/api/v1/openapi.json", axum::routing::get(openapi_json));
        self
    }
}

/// `GET /api/v1/openapi.json`: the document, built once from the routes.
async fn openapi_json() -> axum::Json<Value> {
    static DOC: std::sync::LazyLock<Value> =
        std::sync::LazyLock::new(|| openapi::document(&routes(|r| r).endpoints));
    axum::Json(DOC.clone())
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
