//! The routes of news: its pages and forms, and `/api/v1/news`.

use super::{api, form_web, web};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need, Param, ParamKind};
use crate::web::csrf::Guard;
use axum::Router;
use axum::routing::{MethodRouter, get, post};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page("/news", Need::Signed, guard(get(web::feed)))
        .page("/news/new", Need::Signed, guard(get(form_web::new)))
        .page("/news/{id}", Need::SpaceRead, guard(get(web::show)))
        .page(
            "/news/{id}/edit",
            Need::SpaceManage,
            guard(get(form_web::edit)),
        )
        .page(
            "/news/{id}/report",
            Need::SpaceManage,
            guard(get(web::report_page)),
        )
        .page(
            "/news/{id}/report.csv",
            Need::SpaceManage,
            guard(get(web::report_csv)),
        )
        .page("/news/{id}/cover", Need::SpaceRead, guard(get(web::cover)))
        .page(
            "/news/{id}/files/{file}",
            Need::SpaceRead,
            guard(get(web::file)),
        )
        .route("/news/{id}/acknowledge", guard(post(web::acknowledge)))
        .route("/news/{id}/delete", guard(post(web::delete)))
        .route("/news/{id}/remind", guard(post(web::remind)))
        .uploads(
            Router::new()
                .route("/news/new", guard(post(form_web::create)))
                .route("/news/{id}/edit", guard(post(form_web::update))),
        )
}

const FEED: &[Param] = &[
    Param::new(
        "before",
        "`next_before` of the previous page",
        ParamKind::String,
    ),
    Param::new("limit", "Posts per page", ParamKind::Bounded(1, 100)),
    Param::new("space", "One space's posts", ParamKind::Integer),
];

pub fn api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/news", "The caller's feed: pinned posts, announcements still to acknowledge, then the others, newest first")
            .need(Need::Signed)
            .tag("news")
            .query(FEED)
            .returns("NewsFeed"),
        guard(get(api::list)),
    )
    .add(
        Endpoint::new("post", "/api/v1/news", "Write a post: in a space (`place` `space:<id>`, its managers) or for the whole instance (`instance`, communicators and administrators, with at least one `audience`)")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write)
            .body("NewsBody")
            .returns("News"),
        guard(post(api::create)),
    )
    .add(
        Endpoint::new("get", "/api/v1/news/written", "The posts the caller writes, in every state (drafts, scheduled, published, expired)")
            .need(Need::Signed)
            .tag("news")
            .all_of("News"),
        guard(get(api::written)),
    )
    .add(
        Endpoint::new("get", "/api/v1/news/{id}", "A post, with its attachments (and its audience, for its writers)")
            .need(Need::SpaceRead)
            .tag("news")
            .returns("News"),
        guard(get(api::get)),
    )
    .add(
        Endpoint::new("put", "/api/v1/news/{id}", "Change a post (its writers); a new text of a published announcement is acknowledged again")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write)
            .body("NewsBody")
            .returns("News"),
        guard(axum::routing::put(api::replace)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/news/{id}", "Delete a post (its writers)")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write),
        guard(axum::routing::delete(api::remove)),
    )
    .add(
        Endpoint::new("post", "/api/v1/news/{id}/acknowledge", "\"I have read and understood\" the current text of an announcement")
            .need(Need::SpaceRead)
            .tag("news")
            .scope(Scope::Write),
        guard(post(api::acknowledge)),
    )
    .add(
        Endpoint::new("get", "/api/v1/news/{id}/acknowledgements", "Who the post is addressed to, per audience and per person, and who acknowledged its current text (its writers)")
            .need(Need::SpaceManage)
            .tag("news")
            .returns("NewsReport"),
        guard(get(api::acknowledgements)),
    )
    .add(
        Endpoint::new("post", "/api/v1/news/{id}/remind", "Remind those who have not acknowledged the current text (its writers)")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write),
        guard(post(api::remind)),
    )
    .add(
        Endpoint::new("put", "/api/v1/news/{id}/cover", "Set the cover image (PNG, JPEG, GIF or WebP, the body)")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write)
            .body("FileContent"),
        guard(axum::routing::put(api::set_cover)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/news/{id}/cover", "Remove the cover image")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write),
        guard(axum::routing::delete(api::remove_cover)),
    )
    .add_upload(
        Endpoint::new("post", "/api/v1/news/{id}/files", "Attach a file (the body; `name` in the query)")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write)
            .body("FileContent")
            .all_of("NewsFile"),
        guard(post(api::add_file)),
    )
    .add(
        Endpoint::new("get", "/api/v1/news/{id}/files/{file}", "An attachment, as a download")
            .need(Need::SpaceRead)
            .tag("news")
            .file("application/octet-stream"),
        guard(get(api::file)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/news/{id}/files/{file}", "Remove an attachment")
            .need(Need::SpaceManage)
            .tag("news")
            .scope(Scope::Write),
        guard(axum::routing::delete(api::remove_file)),
    )
}
