//! Routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::documents;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use axum::routing::{delete, get, patch, post, put};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .route(
            "/spaces/{slug}/files/folders",
            guard(post(crate::documents::web::create_folder)),
        )
        .route(
            "/folders/{id}/rename",
            guard(post(crate::documents::folders_web::rename)),
        )
        .route(
            "/folders/{id}/move",
            guard(post(crate::documents::folders_web::relocate)),
        )
        .route(
            "/folders/{id}/delete",
            guard(post(crate::documents::folders_web::trash)),
        )
        .route(
            "/folders/{id}/untrash",
            guard(post(crate::documents::folders_web::untrash)),
        )
        .route(
            "/folders/{id}/restrict",
            guard(post(crate::documents::folders_web::restrict)),
        )
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api
                .add(
            Endpoint::new("post", "/api/v1/spaces/{id}/folders", "Create a folder")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write)
                .body("NewFolder")
                .returns("Folder"),
            guard(post(documents::api::create_folder)),
        )
                .add(
            Endpoint::new("patch", "/api/v1/folders/{id}", "Rename and/or move a folder with everything in it (`parent: null` is the library's root)")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write)
                .body("FolderChanges")
                .returns("Folder"),
            guard(patch(documents::api::update_folder)),
        )
                .add(
            Endpoint::new("delete", "/api/v1/folders/{id}", "Put a folder and its contents in the trash")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write),
            guard(delete(documents::api::remove_folder)),
        )
                .add(
            Endpoint::new("post", "/api/v1/folders/{id}/untrash", "Restore a folder with what went to the trash with it")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write),
            guard(post(documents::api::untrash_folder)),
        )
                .add(
            Endpoint::new("get", "/api/v1/folders/{id}/restriction", "Who may see a folder (space managers)")
                .need(Need::SpaceManage)
                .tag("documents")
                .returns("Restriction"),
            guard(get(documents::api::restriction)),
        )
                .add(
            Endpoint::new("put", "/api/v1/folders/{id}/restriction", "Restrict a folder to a minimum role and/or listed members (empty: lift)")
                .need(Need::SpaceManage)
                .tag("documents")
                .scope(Scope::Write)
                .body("NewRestriction")
                .returns("Restriction"),
            guard(put(documents::api::restrict)),
        )
}
