//! The routes of request types, requests and internal notes.

use super::{admin_web, api, dashboard_web, files_web, form_web, import_web, list_web, web};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need, Param, ParamKind};
use crate::web::csrf::Guard;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

pub fn type_pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/admin/request-types",
            Need::Admin,
            guard(get(admin_web::list).post(admin_web::create)),
        )
        .page(
            "/admin/request-types/{id}",
            Need::Admin,
            guard(get(admin_web::show).post(admin_web::update)),
        )
}

pub fn request_pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page("/requests", Need::Signed, guard(get(list_web::list_page)))
        .page(
            "/requests.csv",
            Need::Signed,
            guard(get(list_web::list_csv)),
        )
        .route("/requests/bulk", guard(post(list_web::bulk_submit)))
        .route("/requests/views", guard(post(list_web::view_save)))
        .route(
            "/requests/views/{id}/delete",
            guard(post(list_web::view_delete)),
        )
        .page(
            "/requests/import",
            Need::Signed,
            guard(get(import_web::form)),
        )
        .page(
            "/requests/dashboard",
            Need::Signed,
            guard(get(dashboard_web::page)),
        )
        .page("/requests/{id}", Need::RequestRead, guard(get(web::show)))
        .page(
            "/requests/{id}/files/{file}",
            Need::RequestRead,
            guard(get(files_web::download)),
        )
        .page(
            "/spaces/{slug}/requests/new",
            Need::SpaceRead,
            guard(get(form_web::form)),
        )
        .route("/requests/{id}/status", guard(post(web::move_to)))
        .route("/requests/{id}/take", guard(post(web::take)))
        .route("/requests/{id}/watch", guard(post(web::watch)))
        .route("/requests/{id}/rating", guard(post(web::rate)))
        // Forms that may carry files: the server gives them the upload limits.
        .uploads(
            axum::Router::new()
                .route("/spaces/{slug}/requests/new", guard(post(form_web::file)))
                .route("/requests/{id}/reply", guard(post(web::reply)))
                .route("/requests/import", guard(post(import_web::submit))),
        )
}

pub fn note_pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .uploads(axum::Router::new().route("/requests/{id}/note", guard(post(web::note))))
}

pub fn type_api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/request-types", "Every request type, archived ones too, with its latest definition")
            .need(Need::Admin)
            .tag("requests")
            .scope(Scope::Admin)
            .all_of("RequestType"),
        guard(get(api::types)),
    )
    .add(
        Endpoint::new("post", "/api/v1/request-types", "Define a request type (checked whole: fields, statuses and moves, priorities and targets, working hours)")
            .need(Need::Admin)
            .tag("requests")
            .scope(Scope::Admin)
            .body("NewRequestType")
            .returns("RequestType"),
        guard(post(api::create_type)),
    )
    .add(
        Endpoint::new("get", "/api/v1/request-types/{id}", "A request type")
            .need(Need::Admin)
            .tag("requests")
            .scope(Scope::Admin)
            .returns("RequestType"),
        guard(get(api::get_type)),
    )
    .add(
        Endpoint::new("put", "/api/v1/request-types/{id}", "A new definition: a new version for new requests (requests filed before keep theirs); the same definition again changes nothing")
            .need(Need::Admin)
            .tag("requests")
            .scope(Scope::Admin)
            .body("RequestTypeVersion")
            .returns("RequestType"),
        guard(put(api::update_type)),
    )
    .add(
        Endpoint::new("patch", "/api/v1/request-types/{id}", "Archive a type (no new requests; its requests stay) or bring it back")
            .need(Need::Admin)
            .tag("requests")
            .scope(Scope::Admin)
            .body("Archive")
            .returns("RequestType"),
        guard(patch(api::archive_type)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/request-types/{id}", "Delete a type no request was filed under (one with requests is archived instead: 409)")
            .need(Need::Admin)
            .tag("requests")
            .scope(Scope::Admin),
        guard(delete(api::delete_type)),
    )
}

const LIST: &[Param] = &[
    Param::new("type", "A type's key", ParamKind::String),
    Param::new("status", "A status's key", ParamKind::String),
    Param::new(
        "open",
        "`true`: open ones; `false`: closed ones",
        ParamKind::String,
    ),
    Param::new("priority", "A priority's key", ParamKind::String),
    Param::new(
        "assignee",
        "A person's id, `me` or `none`",
        ParamKind::String,
    ),
    Param::new(
        "organization",
        "The requester's organization",
        ParamKind::Integer,
    ),
    Param::new("space", "A space's id", ParamKind::Integer),
    Param::new("mine", "`true`: filed by the caller", ParamKind::String),
    Param::new(
        "breached",
        "`true`: a service-level target is missed (or due and not met)",
        ParamKind::String,
    ),
    Param::new(
        "from",
        "Filed on or after this day (`YYYY-MM-DD`)",
        ParamKind::String,
    ),
    Param::new("to", "Filed on or before this day", ParamKind::String),
    Param::new("before", "`next` of the previous page", ParamKind::String),
    Param::new(
        "limit",
        "At most this many (1 to 500, 50 by default)",
        ParamKind::Bounded(1, 500),
    ),
];

pub fn request_api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/spaces/{id}/request-types", "The request types one may file in a space, with the fields the caller fills (internal ones for its agents alone)")
            .need(Need::SpaceRead)
            .tag("requests")
            .all_of("RequestType"),
        guard(get(api::offered)),
    )
    .add(
        Endpoint::new("post", "/api/v1/spaces/{id}/requests", "File a request in a space (whoever reads it): the caller is its requester, for their organization")
            .need(Need::SpaceRead)
            .tag("requests")
            .scope(Scope::Write)
            .body("NewRequest")
            .returns("Request"),
        guard(post(api::file)),
    )
    .add_upload(
        Endpoint::new("post", "/api/v1/spaces/{id}/request-files", "Send a file ahead of filing (the body is the content, `name` in the query), to name its id in a file field; it waits a day for its request, seen by its sender alone")
            .need(Need::SpaceRead)
            .tag("requests")
            .scope(Scope::Write)
            .body("FileContent")
            .returns("RequestFile"),
        guard(post(files_web::send_waiting)),
    )
    .add(
        Endpoint::new("put", "/api/v1/requests/{type}/by-external-id/{external}", "Create or update the request an outside system (an ERP) knows by this id, as a whole: fields replaced, status set as it says; the same body twice changes nothing and records nothing (agents of the space)")
            .need(Need::Agent)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestUpsert")
            .returns("RequestUpserted"),
        guard(put(api::upsert)),
    )
    .add_upload(
        Endpoint::new("post", "/api/v1/requests/{type}/import", "Create or update many requests an outside system knows, from a CSV (the body): `external_id`, `title`, `status`, `priority`, `requester` (an e-mail address) and one column per field; `space` in the query; with `dry_run=true` nothing is kept. Every line is kept, or none: 422 names each refused line and why")
            .need(Need::Agent)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestCsv")
            .returns("RequestImport"),
        guard(post(import_web::import_api)),
    )
    .add(
        Endpoint::new("post", "/api/v1/requests/bulk", "Change many requests at once (up to 500): a status to move to, an assignee, a priority; each is changed as it would be alone, and the answer lists those changed and why each other was not")
            .need(Need::Signed)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestBulk")
            .returns("RequestBulkOutcome"),
        guard(post(api::bulk)),
    )
    .add(
        Endpoint::new("get", "/api/v1/requests", "The requests the caller sees, newest change first, filtered")
            .need(Need::Signed)
            .tag("requests")
            .query(LIST)
            .returns("RequestPage"),
        guard(get(api::list)),
    )
    .add(
        Endpoint::new("get", "/api/v1/requests/{id}", "A request, as the caller may see it (internal fields for its agents alone)")
            .need(Need::RequestRead)
            .tag("requests")
            .returns("Request"),
        guard(get(api::get)),
    )
    .add(
        Endpoint::new("patch", "/api/v1/requests/{id}", "Change its title, priority or fields (agents), from the version last seen")
            .need(Need::Agent)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestPatch")
            .returns("Request"),
        guard(patch(api::update)),
    )
    .add(
        Endpoint::new("get", "/api/v1/requests/{id}/preview", "The request and its timeline exactly as its requester's organization sees them (agents)")
            .need(Need::Agent)
            .tag("requests")
            .returns("RequestPreview"),
        guard(get(api::preview)),
    )
    .add(
        Endpoint::new("get", "/api/v1/requests/{id}/timeline", "Everything that happened to it, oldest first (internal notes for its agents alone)")
            .need(Need::RequestRead)
            .tag("requests")
            .returns("Timeline"),
        guard(get(api::timeline)),
    )
    .add(
        Endpoint::new("post", "/api/v1/requests/{id}/status", "Move it to another status, as its type's workflow lets the caller, from the version last seen")
            .need(Need::RequestRead)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestMove")
            .returns("Request"),
        guard(post(api::move_to)),
    )
    .add(
        Endpoint::new("put", "/api/v1/requests/{id}/assignee", "Give it to one of its agents, or to nobody")
            .need(Need::Agent)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestAssignee")
            .returns("Request"),
        guard(put(api::assign)),
    )
    .add(
        Endpoint::new("post", "/api/v1/requests/{id}/replies", "A public reply (the requester's side and the agents' read it)")
            .need(Need::RequestRead)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestText")
            .returns("Request"),
        guard(post(api::reply)),
    )
    .add(
        Endpoint::new("get", "/api/v1/requests/{id}/files", "The files sent with it that the caller sees (internal ones for its agents alone)")
            .need(Need::RequestRead)
            .tag("requests")
            .returns("RequestFiles"),
        guard(get(files_web::list)),
    )
    .add_upload(
        Endpoint::new("post", "/api/v1/requests/{id}/files", "Send a file (the body is the content, `name` in the query) as a reply, or with `internal=true` as an internal note (agents): an invoice, a delivery note")
            .need(Need::RequestRead)
            .tag("requests")
            .scope(Scope::Write)
            .body("FileContent")
            .returns("RequestFiles"),
        guard(post(files_web::send)),
    )
    .add(
        Endpoint::new("get", "/api/v1/requests/{id}/files/{file}", "A file's content; supports Range")
            .need(Need::RequestRead)
            .tag("requests")
            .file("*/*"),
        guard(get(files_web::download_api)),
    )
    .add(
        Endpoint::new("put", "/api/v1/requests/{id}/watch", "Follow it: be told of its replies and changes")
            .need(Need::RequestRead)
            .tag("requests")
            .scope(Scope::Write)
            .returns("Request"),
        guard(put(api::watch)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/requests/{id}/watch", "Stop following it")
            .need(Need::RequestRead)
            .tag("requests")
            .scope(Scope::Write)
            .returns("Request"),
        guard(delete(api::unwatch)),
    )
    .add(
        Endpoint::new("put", "/api/v1/requests/{id}/rating", "Rate the answer once it is closed, 1 to 5 with a comment (its requester)")
            .need(Need::Writer)
            .tag("requests")
            .scope(Scope::Write)
            .body("RequestRating")
            .returns("Request"),
        guard(put(api::rate)),
    )
}

pub fn note_api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new(
            "post",
            "/api/v1/requests/{id}/notes",
            "An internal note: its agents alone read it, on every channel",
        )
        .need(Need::Agent)
        .tag("requests")
        .scope(Scope::Write)
        .body("RequestText")
        .returns("Request"),
        guard(post(api::note)),
    )
}
