//! The home page.

use crate::app::AppState;
use crate::news::says::Says;
use crate::spaces::Space;
use crate::web::error::HttpError;
use crate::web::extract::Signed;
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Chrome,
    first_name: String,
    welcome: String,
    spaces: Vec<Space>,
    people: i64,
    internal: bool,
    news: crate::news::feed::Feed,
    topics: Vec<crate::discussions::model::Topic>,
}

impl Says for HomePage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

pub async fn page(State(state): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let super::service::Overview { spaces, people } =
        super::service::overview(&state.db, &actor, signed.ctx.portal.id, 24).await?;
    let scope = crate::news::feed::Scope {
        portal: Some(signed.ctx.portal.id),
        ..Default::default()
    };
    let news = crate::news::feed::feed(&state.db, &actor, scope, 5).await?;
    let topics = crate::discussions::service::latest(&state.db, &actor, 5).await?;
    let ctx = &signed.ctx;
    let page = HomePage {
        news,
        topics,
        page: Chrome::new(ctx, "home", ctx.tr.t("home-title")),
        first_name: signed
            .viewer
            .display_name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string(),
        welcome: ctx.portal.welcome(ctx.tr.locale).to_string(),
        spaces,
        people,
        internal: signed.viewer.principal.internal,
    };
    render(StatusCode::OK, &page)
}
