//! Routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::documents;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use axum::routing::{delete, get, post};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .route(
            "/files/{id}/share",
            guard(post(crate::documents::share_web::create)),
        )
        .page(
            "/spaces/{slug}/files/shares",
            Need::SpaceWrite,
            guard(get(crate::documents::share_web::list)),
        )
        .route(
            "/shares/{id}/revoke",
            guard(post(crate::documents::share_web::revoke)),
        )
        .page(
            "/s/{token}",
            Need::Public,
            guard(
                get(crate::documents::share_web::public)
                    .post(crate::documents::share_web::download),
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
        .need(Need::SpaceWrite)
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
        .need(Need::SpaceWrite)
        .tag("documents")
        .scope(Scope::Write)
        .body("NewShare")
        .returns("ShareCreated"),
        guard(post(documents::api::share)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/shares/{id}", "Revoke a share link")
            .need(Need::SpaceWrite)
            .tag("documents")
            .scope(Scope::Write),
        guard(delete(documents::api::revoke_share)),
    )
}
