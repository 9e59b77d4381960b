//! The routes of this kind: its pages and its `/api/v1` endpoints.

use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::content::Pages;
use crate::web::api::{Api, Endpoint, Need};
use crate::web::csrf::Guard;
use crate::{admin, people};
use axum::routing::{delete, get, patch, post};

pub fn pages(guard: &Guard) -> Pages {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    Pages::default()
        .page(
            "/people/{id}/photo",
            Need::KnowPerson,
            guard(get(crate::people::web::photo)),
        )
        .page(
            "/people",
            Need::Signed,
            guard(get(crate::people::web::directory)),
        )
        .page(
            "/people/{id}",
            Need::KnowPerson,
            guard(get(crate::people::web::profile)),
        )
        .route("/people/{id}/renew", guard(post(crate::people::web::renew)))
        .route(
            "/people/{id}/end-access",
            guard(post(crate::people::web::end_access)),
        )
        .route(
            "/people/{id}/resend-invite",
            guard(post(crate::people::web::resend_invite)),
        )
        .page(
            "/admin/people",
            Need::Admin,
            guard(get(admin::people::list).post(admin::people::create)),
        )
        .page(
            "/admin/people/import",
            Need::Admin,
            guard(get(admin::people::import_form).post(admin::people::import_submit)),
        )
        .route("/admin/people/bulk", guard(post(admin::people::bulk)))
        .route(
            "/admin/people/{id}/status",
            guard(post(admin::people::set_status)),
        )
        .route(
            "/admin/people/{id}/mfa-reset",
            guard(post(admin::people::mfa_reset)),
        )
        .page(
            "/admin/people/{id}/data",
            Need::Admin,
            guard(
                get(crate::people::data_web::erase_form)
                    .post(crate::people::data_web::admin_export),
            ),
        )
        .route(
            "/admin/people/{id}/erase",
            guard(post(crate::people::data_web::erase)),
        )
}

pub fn api(api: Api, guard: &Guard) -> Api {
    let guard = |r: axum::routing::MethodRouter<AppState>| guard.on(r);
    api
                .add(
            Endpoint::new("get", "/api/v1/people", "People the caller may see; `q` searches names, titles, departments, skills")
                .need(Need::Signed)
                .tag("people")
                .page_of("Person")
                .query(crate::web::api::PEOPLE_QUERY),
            guard(get(people::api::list)),
        )
                .add(
            Endpoint::new("post", "/api/v1/people", "Create an account")
                .need(Need::Admin)
                .tag("people")
                .scope(Scope::Admin)
                .body("NewPerson")
                .returns("Person"),
            guard(post(people::api::create)),
        )
                .add(
            Endpoint::new("get", "/api/v1/people/{id}", "One person")
                .need(Need::KnowPerson)
                .tag("people")
                .returns("Person"),
            guard(get(people::api::get)),
        )
                .add(
            Endpoint::new("patch", "/api/v1/people/{id}", "Change a profile (oneself or, as administrator, anyone; status for administrators)")
                .need(Need::SelfOrAdmin)
                .tag("people")
                .scope(Scope::Write)
                .body("PersonChanges")
                .returns("Person"),
            guard(patch(people::api::update)),
        )
                .add(
            Endpoint::new("delete", "/api/v1/people/{id}", "Delete an account")
                .need(Need::Admin)
                .tag("people")
                .scope(Scope::Admin),
            guard(delete(people::api::remove)),
        )
                .add(
            Endpoint::new("post", "/api/v1/people/{id}/erase", "Erase a person: their personal data goes, what they wrote stays under a neutral name (cannot be undone)")
                .need(Need::Admin)
                .tag("people")
                .scope(Scope::Admin)
                .returns("Erasure"),
            guard(post(people::data_web::api_erase)),
        )
}
