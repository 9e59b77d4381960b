//! The routes of notifications: the list page and its forms, and `/api/v1`.

use crate::app::AppState;
use crate::content::Pages;
use crate::notifications::{api, web};
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use axum::routing::{get, post};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page("/notifications", Need::Signed, guard(get(web::list)))
        .route("/notifications/{id}/read", guard(post(web::open)))
        .route("/notifications/read", guard(post(web::read_all)))
}

pub fn api(a: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    a.add(
        Endpoint::new("get", "/api/v1/notifications", "The caller's notifications, newest first (`before` an id, `limit` up to 100); only those whose item they may still see")
            .need(Need::Signed)
            .tag("notifications")
            .all_of("Notification"),
        guard(get(api::list)),
    )
    .add(
        Endpoint::new("post", "/api/v1/notifications/{id}/read", "Mark one of the caller's notifications read; returns it")
            .need(Need::Signed)
            .tag("notifications")
            .returns("Notification"),
        guard(post(api::read)),
    )
    .add(
        Endpoint::new("post", "/api/v1/notifications/read", "Mark all the caller's notifications read")
            .need(Need::Signed)
            .tag("notifications"),
        guard(post(api::read_all)),
    )
}
