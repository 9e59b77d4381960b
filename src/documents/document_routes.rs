//! Routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::documents;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use axum::Router;
use axum::routing::{delete, get, patch, post, put};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/spaces/{slug}/files",
            Need::SpaceRead,
            guard(get(crate::documents::web::library)),
        )
        .page(
            "/files/{id}",
            Need::SpaceRead,
            guard(get(crate::documents::document_web::document)),
        )
        .page(
            "/files/{id}/download",
            Need::SpaceRead,
            guard(get(crate::documents::download::download)),
        )
        .route(
            "/files/{id}/restore",
            guard(post(crate::documents::trash_web::restore)),
        )
        .route(
            "/files/{id}/describe",
            guard(post(crate::documents::document_web::describe)),
        )
        .route(
            "/files/{id}/rename",
            guard(post(crate::documents::document_web::rename)),
        )
        .route(
            "/files/{id}/move",
            guard(post(crate::documents::document_web::relocate)),
        )
        .route(
            "/files/{id}/copy",
            guard(post(crate::documents::document_web::copy)),
        )
        .route(
            "/files/{id}/delete",
            guard(post(crate::documents::document_web::delete)),
        )
        .route(
            "/files/{id}/lock",
            guard(post(crate::documents::document_web::lock)),
        )
        .page(
            "/files/{id}/thumbnail",
            Need::SpaceRead,
            guard(get(crate::documents::download::thumbnail)),
        )
        .route(
            "/files/{id}/untrash",
            guard(post(crate::documents::trash_web::untrash)),
        )
        .page(
            "/spaces/{slug}/files/trash",
            Need::SpaceWrite,
            guard(get(crate::documents::trash_web::trash)),
        )
        .uploads(
            Router::new()
                .route(
                    "/spaces/{slug}/files/upload",
                    guard(post(crate::documents::upload_web::upload)),
                )
                .route(
                    "/files/{id}/versions",
                    guard(post(crate::documents::version_web::upload)),
                ),
        )
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api
                .add(
            Endpoint::new("get", "/api/v1/spaces/{id}/library", "A folder's sub-folders and a page of its documents (`folder`, `after_name`, `after_id`, `limit`), each with its review state; `state` narrows the documents to one")
                .need(Need::SpaceRead)
                .tag("documents")
                .returns("Library")
                .query(crate::web::api::LIBRARY_QUERY),
            guard(get(documents::api::library)),
        )
                .add_upload(
            Endpoint::new("post", "/api/v1/spaces/{id}/files", "Upload a file (the body is the content; `name`, `folder`, `comment` in the query); a name already there gets a new version")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write)
                .body("FileContent")
                .returns("Uploaded"),
            guard(post(documents::api::upload)),
        )
                .add(
            Endpoint::new("get", "/api/v1/documents/{id}", "A document and its versions")
                .need(Need::SpaceRead)
                .tag("documents")
                .returns("DocumentDetail"),
            guard(get(documents::api::get)),
        )
                .add(
            Endpoint::new("get", "/api/v1/documents/{id}/content", "The content of the current version, or of `version`; supports Range")
                .need(Need::SpaceRead)
                .tag("documents")
                .file("*/*"),
            guard(get(documents::api::content)),
        )
                .add(
            Endpoint::new("post", "/api/v1/documents/{id}/versions/{number}/restore", "Make an earlier version current again (as a new version)")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write)
                .returns("Restored"),
            guard(post(documents::api::restore)),
        )
                .add(
            Endpoint::new("delete", "/api/v1/documents/{id}", "Put a document in the trash")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write),
            guard(delete(documents::api::remove)),
        )
                .add(
            Endpoint::new("put", "/api/v1/documents/{id}/lock", "Check a document out")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write),
            guard(put(documents::api::lock)),
        )
                .add(
            Endpoint::new("delete", "/api/v1/documents/{id}/lock", "Release (or, as a manager, break) a check-out")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write),
            guard(delete(documents::api::unlock)),
        )
                .add_upload(
            Endpoint::new("post", "/api/v1/spaces/{id}/files/form", "Upload files as multipart/form-data (`file` parts, an optional `comment` part; `folder` in the query)")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write)
                .body("FileForm")
                .returns("UploadedFiles"),
            guard(post(documents::api::upload_form)),
        )
                .add(
            Endpoint::new("patch", "/api/v1/documents/{id}", "Describe, tag, rename and/or move a document (`folder: null` is the library's root)")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write)
                .body("DocumentChanges")
                .returns("DocumentDetail"),
            guard(patch(documents::api::update)),
        )
                .add(
            Endpoint::new("post", "/api/v1/documents/{id}/copy", "Copy a document's current version to a folder of a space you may write to")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write)
                .body("CopyTarget")
                .returns("NewId"),
            guard(post(documents::api::copy)),
        )
                .add(
            Endpoint::new("post", "/api/v1/documents/{id}/untrash", "Take a document out of the trash")
                .need(Need::SpaceWrite)
                .tag("documents")
                .scope(Scope::Write),
            guard(post(documents::api::untrash)),
        )
                .add(
            Endpoint::new("get", "/api/v1/spaces/{id}/trash", "A space's trash: documents and folders (trashed with their contents)")
                .need(Need::SpaceWrite)
                .tag("documents")
                .returns("Trash"),
            guard(get(documents::api::trash)),
        )
}
