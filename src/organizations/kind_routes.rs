//! The routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use crate::{admin, organizations};
use axum::routing::{delete, get, patch, post};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/admin/organizations",
            Need::Admin,
            guard(get(admin::orgs::orgs).post(admin::orgs::create_org)),
        )
        .route(
            "/admin/organizations/{id}",
            guard(post(admin::orgs::update_org)),
        )
        .route(
            "/admin/organizations/{id}/delete",
            guard(post(admin::orgs::delete_org)),
        )
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api.add(
        Endpoint::new(
            "get",
            "/api/v1/organizations",
            "Organizations the caller may know of",
        )
        .need(Need::Signed)
        .tag("organizations")
        .page_of("Organization"),
        guard(get(organizations::api::list)),
    )
    .add(
        Endpoint::new(
            "post",
            "/api/v1/organizations",
            "Create an external organization",
        )
        .need(Need::Admin)
        .tag("organizations")
        .scope(Scope::Admin)
        .body("NewOrganization")
        .returns("Organization"),
        guard(post(organizations::api::create)),
    )
    .add(
        Endpoint::new("get", "/api/v1/organizations/{id}", "One organization")
            .need(Need::KnowOrganization)
            .tag("organizations")
            .returns("Organization"),
        guard(get(organizations::api::get)),
    )
    .add(
        Endpoint::new(
            "patch",
            "/api/v1/organizations/{id}",
            "Rename an organization",
        )
        .need(Need::Admin)
        .tag("organizations")
        .scope(Scope::Admin)
        .body("OrganizationChanges")
        .returns("Organization"),
        guard(patch(organizations::api::update)),
    )
    .add(
        Endpoint::new(
            "delete",
            "/api/v1/organizations/{id}",
            "Delete an external organization without people",
        )
        .need(Need::Admin)
        .tag("organizations")
        .scope(Scope::Admin),
        guard(delete(organizations::api::remove)),
    )
}
