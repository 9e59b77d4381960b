//! Routes of this kind: its pages and its `/api/v1` endpoints.

use crate::api::{Api, Endpoint};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::documents;
use crate::server::csrf::Guard;
use axum::Router;
use axum::routing::{delete, get, post};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::new(
        Router::<AppState>::new()
            .route(
                "/files/{id}/share",
                guard(post(crate::documents::share_web::create)),
            )
            .route(
                "/spaces/{slug}/files/shares",
                guard(get(crate::documents::share_web::list)),
            )
            .route(
                "/shares/{id}/revoke",
                guard(post(crate::documents::share_web::revoke)),
            )
            .route(
                "/s/{token}",
                guard(
                    get(crate::documents::share_web::public)
                        .post(crate::documents::share_web::download),
                ),
            ),
    )
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api.add(
        Endpoint::new(
            "get",
            "/api/v1/spaces/{id}/shares",
            "The share links of a space's documents",
        )
        .tag("documents")
        .all_of("ShareLink"),
        guard(get(documents::api::shares)),
    )
    .add(
        Endpoint::new(
            "post",
            "/api/v1/documents/{id}/shares",
            "Create a public share link (when the portal allows them); the URL is returned once",
        )
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
}
