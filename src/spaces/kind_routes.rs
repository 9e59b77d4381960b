//! The routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use crate::{admin, spaces};
use axum::routing::{delete, get, patch, post};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/spaces",
            Need::Signed,
            guard(get(crate::spaces::web::list)),
        )
        .page(
            "/spaces/{slug}",
            Need::SpaceRead,
            guard(get(crate::space_home::web::show)),
        )
        .page(
            "/spaces/{slug}/activity",
            Need::SpaceManage,
            guard(get(admin::audit::space_activity)),
        )
        .route(
            "/spaces/{slug}/invite",
            guard(post(crate::space_home::members_web::invite)),
        )
        .route(
            "/spaces/{slug}/members",
            guard(post(crate::space_home::members_web::add)),
        )
        .route(
            "/spaces/{slug}/links",
            guard(post(crate::space_home::web::add_link)),
        )
        .route(
            "/spaces/{slug}/about",
            guard(post(crate::space_home::web::about)),
        )
        .route(
            "/spaces/{slug}/links/{id}/remove",
            guard(post(crate::space_home::web::remove_link)),
        )
        .route(
            "/spaces/{slug}/members/remove",
            guard(post(crate::space_home::members_web::remove)),
        )
        .page(
            "/admin/spaces",
            Need::Admin,
            guard(get(admin::spaces::list).post(admin::spaces::create)),
        )
        .page(
            "/admin/spaces/{id}",
            Need::Admin,
            guard(get(admin::spaces::show).post(admin::spaces::update)),
        )
        .route(
            "/admin/spaces/{id}/members",
            guard(post(admin::spaces::member)),
        )
        .route(
            "/admin/spaces/{id}/portals",
            guard(post(admin::spaces::publish)),
        )
        .route(
            "/admin/spaces/{id}/delete",
            guard(post(admin::spaces::delete)),
        )
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api.add(
        Endpoint::new("get", "/api/v1/spaces", "Spaces the caller may see")
            .need(Need::Signed)
            .tag("spaces")
            .page_of("Space"),
        guard(get(spaces::api::list)),
    )
    .add(
        Endpoint::new("post", "/api/v1/spaces", "Create a space")
            .need(Need::Admin)
            .tag("spaces")
            .scope(Scope::Admin)
            .body("NewSpace")
            .returns("Space"),
        guard(post(spaces::api::create)),
    )
    .add(
        Endpoint::new(
            "get",
            "/api/v1/spaces/{id}",
            "One space, the caller's role and the members they may know of",
        )
        .need(Need::SpaceRead)
        .tag("spaces")
        .returns("SpaceDetail"),
        guard(get(spaces::api::get)),
    )
    .add(
        Endpoint::new(
            "patch",
            "/api/v1/spaces/{id}",
            "Change a space (managers; visibility: administrators)",
        )
        .need(Need::SpaceSettings)
        .tag("spaces")
        .scope(Scope::Write)
        .body("SpaceChanges")
        .returns("Space"),
        guard(patch(spaces::api::update)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/spaces/{id}", "Delete a space")
            .need(Need::Admin)
            .tag("spaces")
            .scope(Scope::Admin),
        guard(delete(spaces::api::remove)),
    )
    .add(
        Endpoint::new(
            "get",
            "/api/v1/spaces/{id}/members",
            "Members of a space the caller may know of",
        )
        .need(Need::SpaceRead)
        .tag("spaces")
        .all_of("Member"),
        guard(get(spaces::api::members)),
    )
    .add(
        Endpoint::new(
            "post",
            "/api/v1/spaces/{id}/members",
            "Grant a person, a group or an organization a role",
        )
        .need(Need::SpaceSettings)
        .tag("spaces")
        .scope(Scope::Write)
        .body("Grant"),
        guard(post(spaces::api::grant)),
    )
    .add(
        Endpoint::new(
            "delete",
            "/api/v1/spaces/{id}/members",
            "Revoke a membership (`person`, `group` or `organization` in the query)",
        )
        .need(Need::SpaceSettings)
        .tag("spaces")
        .scope(Scope::Write),
        guard(delete(spaces::api::revoke)),
    )
}
