//! The routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use crate::{admin, portals};
use axum::routing::{delete, get, patch, post, put};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/admin/portals",
            Need::Admin,
            guard(get(admin::portals::list).post(admin::portals::create)),
        )
        .page(
            "/admin/portals/{id}",
            Need::Admin,
            guard(get(admin::portals::show).post(admin::portals::update)),
        )
        .route(
            "/admin/portals/{id}/logo",
            guard(post(admin::portals::logo)),
        )
        .route(
            "/admin/portals/{id}/favicon",
            guard(post(admin::portals::favicon)),
        )
        .route(
            "/admin/portals/{id}/delete",
            guard(post(admin::portals::delete)),
        )
        .route("/admin/mfa-policy", guard(post(admin::portals::policy)))
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api
                .add(
            Endpoint::new("get", "/api/v1/portals", "Portals")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin)
                .all_of("Portal"),
            guard(get(portals::api::list)),
        )
                .add(
            Endpoint::new("post", "/api/v1/portals", "Create a portal")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin)
                .body("PortalInput")
                .returns("Portal"),
            guard(post(portals::api::create)),
        )
                .add(
            Endpoint::new("get", "/api/v1/portals/{id}", "One portal")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin)
                .returns("Portal"),
            guard(get(portals::api::get)),
        )
                .add(
            Endpoint::new("patch", "/api/v1/portals/{id}", "Change a portal")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin)
                .body("PortalInput")
                .returns("Portal"),
            guard(patch(portals::api::update)),
        )
                .add(
            Endpoint::new("delete", "/api/v1/portals/{id}", "Delete a portal (not the default one)")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin),
            guard(delete(portals::api::remove)),
        )
                .add(
            Endpoint::new("put", "/api/v1/portals/{id}/logo", "Set a portal's logo (the body is a PNG, JPEG, GIF or WebP image of at most 512 KiB; SVG is refused)")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin)
                .body("FileContent")
                .returns("Portal"),
            guard(put(portals::api::set_logo)),
        )
                .add(
            Endpoint::new("delete", "/api/v1/portals/{id}/logo", "Go back to the built-in logo")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin),
            guard(delete(portals::api::remove_logo)),
        )
                .add(
            Endpoint::new("put", "/api/v1/portals/{id}/favicon", "Set a portal's favicon (the body is a PNG, JPEG, GIF or WebP image of at most 512 KiB; SVG is refused)")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin)
                .body("FileContent")
                .returns("Portal"),
            guard(put(portals::api::set_favicon)),
        )
                .add(
            Endpoint::new("delete", "/api/v1/portals/{id}/favicon", "Go back to the logo as favicon")
                .need(Need::Admin)
                .tag("portals")
                .scope(Scope::Admin),
            guard(delete(portals::api::remove_favicon)),
        )
}
