//! The routes of notifications: the list page and its forms, and `/api/v1`.

use crate::app::AppState;
use crate::content::Pages;
use crate::notifications::{api, prefs_web, web};
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use axum::routing::{get, post, put};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page("/notifications", Need::Signed, guard(get(web::list)))
        .route("/notifications/{id}/read", guard(post(web::open)))
        .route("/notifications/read", guard(post(web::read_all)))
        .page(
            "/notifications/preferences",
            Need::Signed,
            guard(get(prefs_web::preferences).post(prefs_web::save)),
        )
        // Not behind the form guard: a mail client posts here in one click
        // (RFC 8058) without cookie or form token; the signed link is the proof.
        .page(
            "/unsubscribe/{token}",
            Need::Token,
            get(prefs_web::unsubscribe_page).post(prefs_web::unsubscribe),
        )
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
        Endpoint::new("get", "/api/v1/notifications/preferences", "How the caller is told: a delivery per topic (`app`, `immediately`, `daily`, `weekly`) and a level per space (`follow`, `mentions`, `mute`)")
            .need(Need::Signed)
            .tag("notifications")
            .returns("NotificationPreferences"),
        guard(get(api::preferences)),
    )
    .add(
        Endpoint::new("put", "/api/v1/notifications/preferences", "Change how the caller is told; what is not named stays. Every change is applied, or none")
            .need(Need::Signed)
            .tag("notifications")
            .scope(crate::auth::tokens::Scope::Write)
            .body("NotificationPreferencesChange")
            .returns("NotificationPreferences"),
        guard(put(api::set_preferences)),
    )
    .add(
        Endpoint::new("post", "/api/v1/notifications/read", "Mark all the caller's notifications read")
            .need(Need::Signed)
            .tag("notifications"),
        guard(post(api::read_all)),
    )
}
