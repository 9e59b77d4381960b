//! The routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use crate::{admin, groups};
use axum::routing::{delete, get, patch, post, put};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/admin/groups",
            Need::Admin,
            guard(get(admin::orgs::groups).post(admin::orgs::create_group)),
        )
        .page(
            "/admin/groups/{id}",
            Need::Admin,
            guard(get(admin::orgs::group)),
        )
        .route(
            "/admin/groups/{id}/members",
            guard(post(admin::orgs::group_member)),
        )
        .route(
            "/admin/groups/{id}/delete",
            guard(post(admin::orgs::delete_group)),
        )
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api.add(
        Endpoint::new("get", "/api/v1/groups", "Groups (internal people only)")
            .need(Need::Internal)
            .tag("groups")
            .page_of("Group"),
        guard(get(groups::api::list)),
    )
    .add(
        Endpoint::new("post", "/api/v1/groups", "Create a group")
            .need(Need::Admin)
            .tag("groups")
            .scope(Scope::Admin)
            .body("NewGroup")
            .returns("Group"),
        guard(post(groups::api::create)),
    )
    .add(
        Endpoint::new("get", "/api/v1/groups/{id}", "One group and its members")
            .need(Need::Internal)
            .tag("groups")
            .returns("GroupWithMembers"),
        guard(get(groups::api::get)),
    )
    .add(
        Endpoint::new("patch", "/api/v1/groups/{id}", "Change a group")
            .need(Need::Admin)
            .tag("groups")
            .scope(Scope::Admin)
            .body("GroupChanges")
            .returns("Group"),
        guard(patch(groups::api::update)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/groups/{id}", "Delete a group")
            .need(Need::Admin)
            .tag("groups")
            .scope(Scope::Admin),
        guard(delete(groups::api::remove)),
    )
    .add(
        Endpoint::new(
            "put",
            "/api/v1/groups/{id}/members/{person_id}",
            "Add a person to a group",
        )
        .need(Need::Admin)
        .tag("groups")
        .scope(Scope::Admin),
        guard(put(groups::api::add_member)),
    )
    .add(
        Endpoint::new(
            "delete",
            "/api/v1/groups/{id}/members/{person_id}",
            "Remove a person from a group",
        )
        .need(Need::Admin)
        .tag("groups")
        .scope(Scope::Admin),
        guard(delete(groups::api::remove_member)),
    )
}
