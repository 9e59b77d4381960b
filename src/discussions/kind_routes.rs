//! The routes of discussions: pages with their forms, and `/api/v1`.

use super::{api, topic_web, web, writing_web};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need, Param, ParamKind};
use crate::web::csrf::Guard;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

pub fn forum_pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/spaces/{slug}/discussions",
            Need::SpaceRead,
            guard(get(web::space_forums).post(web::create_forum)),
        )
        .page("/forums/{id}", Need::SpaceRead, guard(get(web::forum)))
        .page(
            "/forums/{id}/edit",
            Need::SpaceManage,
            guard(get(web::edit_forum_form).post(web::edit_forum)),
        )
        .route("/forums/{id}/delete", guard(post(web::delete_forum)))
}

pub fn forum_api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/spaces/{id}/forums", "A space's forums, by name, with how many topics each holds")
            .need(Need::SpaceRead)
            .tag("discussions")
            .all_of("Forum"),
        guard(get(api::forums)),
    )
    .add(
        Endpoint::new("post", "/api/v1/spaces/{id}/forums", "Open a forum in a space (its managers); `mode` has no default: `discussion` or `questions`")
            .need(Need::SpaceManage)
            .tag("discussions")
            .scope(Scope::Write)
            .body("ForumBody")
            .returns("Forum"),
        guard(post(api::create_forum)),
    )
    .add(
        Endpoint::new("get", "/api/v1/forums/{id}", "A forum")
            .need(Need::SpaceRead)
            .tag("discussions")
            .returns("Forum"),
        guard(get(api::forum)),
    )
    .add(
        Endpoint::new("put", "/api/v1/forums/{id}", "Rename a forum, describe it, change its mode (the space's managers)")
            .need(Need::SpaceManage)
            .tag("discussions")
            .scope(Scope::Write)
            .body("ForumBody")
            .returns("Forum"),
        guard(put(api::update_forum)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/forums/{id}", "Delete a forum with its topics and their replies (the space's managers)")
            .need(Need::SpaceManage)
            .tag("discussions")
            .scope(Scope::Write),
        guard(delete(api::delete_forum)),
    )
}

pub fn topic_pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/forums/{id}/new",
            Need::SpaceRead,
            guard(get(writing_web::new_topic_form).post(writing_web::create_topic)),
        )
        .page(
            "/topics/{id}",
            Need::SpaceRead,
            guard(get(topic_web::topic)),
        )
        .page(
            "/topics/{id}/edit",
            Need::Author,
            guard(get(writing_web::edit_topic_form).post(writing_web::edit_topic)),
        )
        .page(
            "/topics/{id}/history",
            Need::SpaceRead,
            guard(get(writing_web::topic_history)),
        )
        .route("/topics/{id}/moderate", guard(post(topic_web::moderate)))
        .route("/topics/{id}/delete", guard(post(topic_web::delete_topic)))
        .route("/topics/{id}/follow", guard(post(topic_web::follow)))
}

const TOPICS: &[Param] = &[
    Param::new(
        "after",
        "`next_after` of the previous page",
        ParamKind::String,
    ),
    Param::new("limit", "Topics per page", ParamKind::Bounded(1, 100)),
];

const MENTIONS: &[Param] = &[Param::new(
    "q",
    "The start of a name or an address",
    ParamKind::String,
)];

pub fn topic_api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/forums/{id}/topics", "A forum's topics: pinned first, then by latest activity")
            .need(Need::SpaceRead)
            .tag("discussions")
            .query(TOPICS)
            .returns("TopicPage"),
        guard(get(api::topics)),
    )
    .add(
        Endpoint::new("post", "/api/v1/forums/{id}/topics", "Start a topic (whoever reads the space); its writer follows it")
            .need(Need::SpaceRead)
            .tag("discussions")
            .scope(Scope::Write)
            .body("NewTopic")
            .returns("Topic"),
        guard(post(api::create_topic)),
    )
    .add(
        Endpoint::new("get", "/api/v1/forums/{id}/mentions", "People the caller may mention in this forum (name or address starting with `q`, at most 8), each saying whether they may read it (only those are told)")
            .need(Need::SpaceRead)
            .tag("discussions")
            .query(MENTIONS)
            .all_of("MentionSuggestion"),
        guard(get(api::mentions)),
    )
    .add(
        Endpoint::new("get", "/api/v1/topics/{id}", "A topic with its first replies (in a forum of questions, the accepted answer first)")
            .need(Need::SpaceRead)
            .tag("discussions")
            .returns("Thread"),
        guard(get(api::thread)),
    )
    .add(
        Endpoint::new("patch", "/api/v1/topics/{id}", "Change a topic's title or text (its writer, or a moderator); the old text is kept in its history")
            .need(Need::Author)
            .tag("discussions")
            .scope(Scope::Write)
            .body("TopicChanges")
            .returns("Topic"),
        guard(patch(api::edit_topic)),
    )
    .add(
        Endpoint::new("put", "/api/v1/topics/{id}/moderation", "Pin, lock or move a topic (the space's managers; a move, also those of the forum it goes to)")
            .need(Need::SpaceManage)
            .tag("discussions")
            .scope(Scope::Write)
            .body("TopicModeration")
            .returns("Topic"),
        guard(put(api::moderate)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/topics/{id}", "Delete a topic with its replies (the space's managers)")
            .need(Need::SpaceManage)
            .tag("discussions")
            .scope(Scope::Write),
        guard(delete(api::delete_topic)),
    )
    .add(
        Endpoint::new("get", "/api/v1/topics/{id}/history", "The texts edits replaced, newest first")
            .need(Need::SpaceRead)
            .tag("discussions")
            .all_of("Revision"),
        guard(get(api::topic_history)),
    )
    .add(
        Endpoint::new("put", "/api/v1/topics/{id}/following", "Follow a topic: be told of its replies")
            .need(Need::SpaceRead)
            .tag("discussions")
            .scope(Scope::Write),
        guard(put(api::follow)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/topics/{id}/following", "Stop following a topic (writing in it again does not follow it again)")
            .need(Need::SpaceRead)
            .tag("discussions")
            .scope(Scope::Write),
        guard(delete(api::unfollow)),
    )
}

pub fn reply_pages(guard: &Guard) -> Pages {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .route("/topics/{id}/replies", guard(post(topic_web::create_reply)))
        .page(
            "/replies/{id}/edit",
            Need::Author,
            guard(get(writing_web::edit_reply_form).post(writing_web::edit_reply)),
        )
        .page(
            "/replies/{id}/history",
            Need::SpaceRead,
            guard(get(writing_web::reply_history)),
        )
        .route(
            "/replies/{id}/delete",
            guard(post(writing_web::delete_reply)),
        )
        .route("/replies/{id}/accept", guard(post(topic_web::accept)))
}

const REPLIES: &[Param] = &[
    Param::new(
        "after",
        "The last reply id of the previous page",
        ParamKind::Integer,
    ),
    Param::new("limit", "Replies per page", ParamKind::Bounded(1, 100)),
];

pub fn reply_api(a: Api, guard: &Guard) -> Api {
    let guard = |r: MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/topics/{id}/replies", "A topic's replies in the order they were written")
            .need(Need::SpaceRead)
            .tag("discussions")
            .query(REPLIES)
            .returns("ReplyPage"),
        guard(get(api::replies)),
    )
    .add(
        Endpoint::new("post", "/api/v1/topics/{id}/replies", "Reply in a topic (whoever reads the space; not once locked, moderators aside); its writer follows it")
            .need(Need::SpaceRead)
            .tag("discussions")
            .scope(Scope::Write)
            .body("ReplyBody")
            .returns("Reply"),
        guard(post(api::create_reply)),
    )
    .add(
        Endpoint::new("get", "/api/v1/replies/{id}", "A reply")
            .need(Need::SpaceRead)
            .tag("discussions")
            .returns("Reply"),
        guard(get(api::reply)),
    )
    .add(
        Endpoint::new("patch", "/api/v1/replies/{id}", "Change a reply's text (its writer, or a moderator); the old text is kept in its history")
            .need(Need::Author)
            .tag("discussions")
            .scope(Scope::Write)
            .body("ReplyBody")
            .returns("Reply"),
        guard(patch(api::edit_reply)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/replies/{id}", "Delete a reply (its writer, or a moderator)")
            .need(Need::Author)
            .tag("discussions")
            .scope(Scope::Write),
        guard(delete(api::delete_reply)),
    )
    .add(
        Endpoint::new("get", "/api/v1/replies/{id}/history", "The texts edits replaced, newest first")
            .need(Need::SpaceRead)
            .tag("discussions")
            .all_of("Revision"),
        guard(get(api::reply_history)),
    )
    .add(
        Endpoint::new("put", "/api/v1/replies/{id}/accepted", "Accept an answer to a question (its asker, or a moderator), in place of any other")
            .need(Need::Author)
            .tag("discussions")
            .scope(Scope::Write),
        guard(put(api::accept)),
    )
    .add(
        Endpoint::new("delete", "/api/v1/replies/{id}/accepted", "Take back the acceptance of an answer")
            .need(Need::Author)
            .tag("discussions")
            .scope(Scope::Write),
        guard(delete(api::unaccept)),
    )
}
