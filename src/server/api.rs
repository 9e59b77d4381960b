//! The JSON API's assembly: the instance's own routes and each kind's, and
//! the OpenAPI document describing them.

use super::openapi;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::ContentKind;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use axum::routing::MethodRouter;
use serde_json::Value;

/// Every API route: the instance's own and each kind's. The guard adds the
/// CSRF check (for session callers) the pages' routes have.
pub fn routes(g: &Guard, kinds: &[&ContentKind]) -> Api {
    let api = kinds.iter().fold(own(g), |api, k| (k.api)(api, g));
    api.document_itself()
}

/// The routes that belong to no kind: the caller, their tokens, search.
fn own(g: &Guard) -> Api {
    use crate::people;
    use axum::routing::{delete, get, post};
    let guard = |r: MethodRouter<AppState>| g.on(r);
    const ME: &str = "/api/v1/me";
    Api::new()
        .add(
            Endpoint::new("get", ME, "Who the caller is, and with which scope")
                .need(Need::Signed)
                .tag("people")
                .returns("Me"),
            guard(get(people::api::me)),
        )
        .add(
            Endpoint::new("get", "/api/v1/me/export", "All the caller's own data (profile, memberships, what they wrote and uploaded where they still have access, their audit trail) as a tar archive in the export format")
                .need(Need::Signed)
                .tag("people")
                .file("application/x-tar"),
            guard(get(people::data_web::api_export)),
        )
        .add(
            Endpoint::new("get", "/api/v1/me/tokens", "The caller's access tokens")
                .need(Need::Signed)
                .tag("tokens")
                .all_of("Token"),
            guard(get(crate::auth::tokens_api::list)),
        )
        .add(
            Endpoint::new("post", "/api/v1/me/tokens", "Create an access token (its secret is shown once)")
                .need(Need::Signed)
                .tag("tokens")
                .scope(Scope::Write)
                .body("NewToken")
                .returns("CreatedToken"),
            guard(post(crate::auth::tokens_api::create)),
        )
        .add(
            Endpoint::new("delete", "/api/v1/me/tokens/{id}", "Revoke one of the caller's tokens")
                .need(Need::Signed)
                .tag("tokens")
                .scope(Scope::Write),
            guard(delete(crate::auth::tokens_api::revoke)),
        )
        .add(
            Endpoint::new("post", "/api/v1/invitations", "Invite an external person (sponsor, access end date, single-use link by e-mail)")
                .need(Need::Invite)
                .tag("people")
                .scope(Scope::Write)
                .body("NewInvitation")
                .returns("Invitation"),
            guard(post(people::api::invite)),
        )
        .add(
            Endpoint::new("get", "/events", "The changes the caller may see, as they happen: a Server-Sent Events stream (`change` events carry the action, the kind, the item's id and its space; `Last-Event-ID` replays what a reconnecting client missed, or sends `reload` when it was away too long)")
                .need(Need::Signed)
                .tag("live")
                .file("text/event-stream"),
            guard(get(crate::live::web::events)),
        )
        .add(
            Endpoint::new("get", "/api/v1/search", "Search everything you may see (`q`, `type`, `space`, `ext`, `state` (a review state: `draft`, `review`, `approved`, `rejected`, `changes`), `from`, `to` in ms, `sort=date` or `sort=recent` (relevance with recent entries lifted), `page`; quoted words must be in that order); hits with snippets, facet counts")
                .need(Need::Signed)
                .tag("search")
                .returns("SearchResults"),
            guard(get(crate::search::api::search)),
        )
        .add(
            Endpoint::new("get", "/api/v1/admin/adoption", "Adoption figures, counts only: people active per day and week, per portal and organization, top spaces, searches without a result, uploads and downloads (`days`: 7, 30 or 90; `portal` or `organization` narrows them)")
                .need(Need::Admin)
                .tag("admin")
                .scope(Scope::Admin)
                .returns("Adoption"),
            guard(get(crate::admin::adoption::api)),
        )
        .add(
            Endpoint::new("get", "/api/v1/search/suggest", "Titles of files, spaces and people starting like `q`, for a search box")
                .need(Need::Signed)
                .tag("search")
                .returns("Suggestions"),
            guard(get(crate::search::api::suggest)),
        )
}

impl Api {
    /// The document's own route (described in `openapi::document`), built
    /// from the routes it describes on its first request (most servers are
    /// never asked for it; built at start, it stayed in memory for nothing).
    fn document_itself(mut self) -> Api {
        let endpoints = std::sync::Arc::new(self.endpoints.clone());
        let doc = std::sync::Arc::new(std::sync::OnceLock::<Value>::new());
        self.router = self.router.route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let (endpoints, doc) = (endpoints.clone(), doc.clone());
                async move { axum::Json(doc.get_or_init(|| openapi::document(&endpoints)).clone()) }
            }),
        );
        self
    }
}
