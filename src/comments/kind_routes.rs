//! The routes of comments and reactions: the forms of an item's page, the
//! page to change a comment, and `/api/v1`.

use super::{api, web};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need, Param, ParamKind};
use crate::web::csrf::Guard;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .route("/on/{on}/comments", guard(post(web::create)))
        .route("/on/{on}/reactions", guard(post(web::react)))
        .page(
            "/comments/{id}/edit",
            Need::Writer,
            guard(get(web::edit_form).post(web::edit)),
        )
        .route("/comments/{id}/delete", guard(post(web::remove)))
}

const THREAD: &[Param] = &[Param::new(
    "after",
    "`next_after` of the previous page",
    ParamKind::String,
)];

const MENTIONS: &[Param] = &[Param::new(
    "q",
    "The start of a name or an address",
    ParamKind::String,
)];

pub fn api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/comments/on/{on}", "The comments on an item (`on` is `kind:id`: `document:12`, `news:3`), oldest first, 100 at a time, each with its reactions")
            .need(Need::SpaceRead)
            .tag("comments")
            .query(THREAD)
            .returns("CommentPage"),
        guard(get(api::thread)),
    )
    .add(
        Endpoint::new("post", "/api/v1/comments/on/{on}", "Comment on an item (whoever may see it); the people it mentions who may see the item are told, the others are returned in `not_told`")
            .need(Need::SpaceRead)
            .tag("comments")
            .scope(Scope::Write)
            .body("CommentBody")
            .returns("Comment"),
        guard(post(api::create)),
    )
    .add(
        Endpoint::new("get", "/api/v1/comments/on/{on}/mentions", "People the caller may mention on this item (name or address starting with `q`, at most 8), each saying whether they may see it (only those are told)")
            .need(Need::SpaceRead)
            .tag("comments")
            .query(MENTIONS)
            .all_of("MentionSuggestion"),
        guard(get(api::mentions)),
    )
    .add(
        Endpoint::new("get", "/api/v1/comments/{id}", "A comment")
            .need(Need::SpaceRead)
            .tag("comments")
            .returns("Comment"),
        guard(get(api::get_one)),
    )
    .add(
        Endpoint::new("patch", "/api/v1/comments/{id}", "Change a comment (its writer alone)")
            .need(Need::Writer)
            .tag("comments")
            .scope(Scope::Write)
            .body("CommentBody")
            .returns("Comment"),
        guard(patch(api::edit)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/comments/{id}", "Remove a comment (its writer, or whoever moderates the item: a document's space managers, a post's writers)")
            .need(Need::Author)
            .tag("comments")
            .scope(Scope::Write),
        guard(delete(api::remove)),
    )
    .add(
        Endpoint::new("get", "/api/v1/reactions/{on}", "The reactions on an item (`kind:id`: a document, a post, a topic, a reply, a comment): how many of each, and whether the caller gave it")
            .need(Need::SpaceRead)
            .tag("comments")
            .returns("Reactions"),
        guard(get(api::reactions_of)),
    )
    .add(
        Endpoint::new("put", "/api/v1/reactions/{on}/{reaction}", "React (like, love, celebrate, laugh, surprised, thanks); giving it twice changes nothing; at most 60 a minute")
            .need(Need::SpaceRead)
            .tag("comments")
            .scope(Scope::Write)
            .returns("Reactions"),
        guard(put(api::react)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/reactions/{on}/{reaction}", "Take a reaction back")
            .need(Need::SpaceRead)
            .tag("comments")
            .scope(Scope::Write)
            .returns("Reactions"),
        guard(delete(api::unreact)),
    )
}
