//! The routes of approval flows, each with who may call it.

use super::{api, sign_web, space_web, verify_web, web};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use axum::routing::{MethodRouter, get, post, put};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/files/{id}/approvals",
            Need::SpaceRead,
            guard(get(web::document).post(web::start)),
        )
        .page(
            "/requests/{id}/approvals",
            Need::RequestRead,
            guard(get(web::request).post(web::start_on_request)),
        )
        .route("/approvals/{id}/decide", guard(post(web::decide)))
        .route("/approvals/{id}/withdraw", guard(post(web::withdraw)))
        .route("/approvals/{id}/notes", guard(post(web::note)))
        .route("/approvals/{id}/resend", guard(post(web::resend)))
        .route("/approvals/delegation", guard(post(web::delegate)))
        .page("/approvals", Need::Signed, guard(get(web::waiting)))
        .page(
            "/approvals/verify",
            Need::Signed,
            guard(get(verify_web::form)),
        )
        .page("/about", Need::Signed, guard(get(verify_web::about)))
        // The document checked may be large: the upload limits apply.
        .uploads(axum::Router::new().route("/approvals/verify", guard(post(verify_web::check))))
        .page(
            "/spaces/{slug}/approvals",
            Need::SpaceWrite,
            guard(get(space_web::space)),
        )
        .route(
            "/spaces/{slug}/approvals/bind",
            guard(post(space_web::bind)),
        )
        .route(
            "/spaces/{slug}/approvals/templates",
            guard(post(space_web::save)),
        )
        // A signatory without an account: the link is the key, the code
        // the second one.
        .page(
            "/sign/{token}",
            Need::Token,
            guard(get(sign_web::form).post(sign_web::decide)),
        )
        .route("/sign/{token}/code", guard(post(sign_web::code)))
        .route("/sign/{token}/open", guard(post(sign_web::open)))
        .page(
            "/sign/{token}/file",
            Need::Token,
            guard(get(sign_web::file)),
        )
}

/// Deciding is listed before starting: the role matrix of changes asks
/// them in this order, deciding on the fixture's running flow before
/// starting another on the same file.
pub fn api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/spaces/{id}/approval-templates", "The space's flow templates, each at its latest version (for those who may start a flow)")
            .need(Need::SpaceWrite)
            .tag("approvals")
            .all_of("ApprovalTemplate"),
        guard(get(api::templates)),
    )
    .add(
        Endpoint::new("post", "/api/v1/spaces/{id}/approval-templates", "Define a flow template (`name`, `definition`: ordered steps with approvers and rules), or give the template of that name a new version (running flows keep theirs); checked whole, a step naming nobody who may decide refused")
            .need(Need::SpaceManage)
            .tag("approvals")
            .scope(Scope::Write)
            .body("ApprovalTemplateBody")
            .returns("ApprovalTemplate"),
        guard(post(api::save_template)),
    )
    .add(
        Endpoint::new("get", "/api/v1/spaces/{id}/approval-bindings", "The space's folders bound to a flow template: a file landing in one, or below it, starts that flow")
            .need(Need::SpaceWrite)
            .tag("approvals")
            .all_of("ApprovalBinding"),
        guard(get(api::bindings)),
    )
    .add(
        Endpoint::new("put", "/api/v1/folders/{id}/approval-template", "Bind a folder to a flow template of its space (`template`), or unbind it (`template: null`): each file that lands in it or below it, and each new version of one, starts that flow in the name of whoever put it there")
            .need(Need::SpaceManage)
            .tag("approvals")
            .scope(Scope::Write)
            .body("ApprovalBindingBody")
            .returns("ApprovalBindingBody"),
        guard(put(api::bind)),
    )
    .add(
        Endpoint::new("get", "/api/v1/documents/{id}/approvals", "The document's flows, newest first, with their decisions")
            .need(Need::SpaceRead)
            .tag("approvals")
            .all_of("ApprovalFlow"),
        guard(get(api::of_document)),
    )
    .add(
        Endpoint::new("get", "/api/v1/requests/{id}/approvals", "The request's flows, newest first, with their decisions; each names the bytes it decides on (the request as its customer sees it) and the status it waits to enter")
            .need(Need::RequestRead)
            .tag("approvals")
            .all_of("ApprovalFlow"),
        guard(get(api::of_request)),
    )
    .add(
        Endpoint::new("post", "/api/v1/requests/{id}/approvals", "Ask for the approval a status of the request requires (`status`): the flow its type names there starts on the request as it is now, and the request moves there once the flow is approved. Its agents only")
            .need(Need::Agent)
            .tag("approvals")
            .scope(Scope::Write)
            .body("ApprovalRequestStart")
            .returns("ApprovalFlow"),
        guard(post(api::start_on_request)),
    )
    .add(
        Endpoint::new("get", "/api/v1/approvals/waiting", "The running flows waiting for the caller's decision, across every space, the longest waiting first (at most 200)")
            .need(Need::Signed)
            .tag("approvals")
            .all_of("ApprovalFlow"),
        guard(get(api::waiting)),
    )
    .add(
        Endpoint::new("get", "/api/v1/approvals/delegation", "Who decides in the caller's place while they are away, and from when to when, if anyone")
            .need(Need::Signed)
            .tag("approvals")
            .returns("ApprovalDelegation"),
        guard(get(api::delegation)),
    )
    .add(
        Endpoint::new("put", "/api/v1/approvals/delegation", "Choose who decides in the caller's place (`delegate`, a person they may know of) from the day `from` to the day `until`, in the caller's time zone (the instance's if they chose none); `delegate: null` ends it. Their decisions name both")
            .need(Need::Signed)
            .tag("approvals")
            .scope(Scope::Write)
            .body("ApprovalDelegationBody")
            .returns("ApprovalDelegation"),
        guard(put(api::delegate)),
    )
    .add(
        Endpoint::new("get", "/api/v1/approvals/{id}", "A flow: its state, current step and decisions (brought to the document's current version first)")
            .need(Need::SpaceRead)
            .tag("approvals")
            .returns("ApprovalFlow"),
        guard(get(api::get)),
    )
    .add(
        Endpoint::new("post", "/api/v1/approvals/{id}/decisions", "Decide on the current step (`approve`, `reject`, `changes`) on the bytes hashed `blake3`; a file changed since is refused as stale, a finished flow as finished")
            .need(Need::Approver)
            .tag("approvals")
            .scope(Scope::Write)
            .body("ApprovalDecision")
            .returns("ApprovalFlow"),
        guard(post(api::decide)),
    )
    .add(
        Endpoint::new("post", "/api/v1/documents/{id}/approvals", "Start a flow (`template`) on the document's current version; one flow at work per document")
            .need(Need::SpaceWrite)
            .tag("approvals")
            .scope(Scope::Write)
            .body("ApprovalStart")
            .returns("ApprovalFlow"),
        guard(post(api::start)),
    )
    .add(
        Endpoint::new("get", "/api/v1/approvals/{id}/notes", "The flow's internal discussion, oldest first: for people of the host organization who read its file; to its external readers there is none")
            .need(Need::InternalRead)
            .tag("approvals")
            .all_of("ApprovalNote"),
        guard(get(api::notes)),
    )
    .add(
        Endpoint::new("post", "/api/v1/approvals/{id}/notes", "Add a note to the flow's internal discussion (never shown to its external readers, nor searched, nor told)")
            .need(Need::InternalRead)
            .tag("approvals")
            .scope(Scope::Write)
            .body("ApprovalNoteBody")
            .returns("ApprovalNote"),
        guard(post(api::note)),
    )
    .add(
        Endpoint::new("post", "/api/v1/approvals/{id}/resend", "Send the signatories without an account of the flow's current step new links (their starter, or a manager of its space): the old links stop working, their codes are counted afresh; how many links go (`links`)")
            .need(Need::FlowStarter)
            .tag("approvals")
            .scope(Scope::Write)
            .returns("ApprovalResent"),
        guard(post(api::resend)),
    )
    .add(
        Endpoint::new("post", "/api/v1/approvals/{id}/withdraw", "Withdraw an open flow (its starter, or a manager of its space): it ends cancelled and a file locked for it is free again")
            .need(Need::FlowStarter)
            .tag("approvals")
            .scope(Scope::Write)
            .returns("ApprovalFlow"),
        guard(post(api::withdraw)),
    )
    .add(
        Endpoint::new("get", "/api/v1/approvals/{id}/record", "The signed record of a finished flow (JSON, Ed25519): who decided what on which bytes, and where in the audit log")
            .need(Need::SpaceRead)
            .tag("approvals")
            .file("application/json"),
        guard(get(api::record)),
    )
    .add(
        Endpoint::new("post", "/api/v1/approvals/verify", "Check a record (the body) against this instance: its signature, its key, each decision's place in the audit log")
            .need(Need::Signed)
            .tag("approvals")
            .body("ApprovalRecord")
            .returns("ApprovalVerdict"),
        guard(post(api::verify)),
    )
}
