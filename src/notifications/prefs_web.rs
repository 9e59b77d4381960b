//! The notification settings page, and the page an e-mail's unsubscribe
//! link opens (also the address a mail client posts to in one click).

use super::choices::{self, Change, Choices};
use super::prefs::{Delivery, Level};
use crate::app::AppState;
use crate::web::context::Ctx;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "notification_preferences.html")]
struct PreferencesPage {
    page: Chrome,
    choices: Choices,
    deliveries: [Delivery; 4],
    levels: [Level; 3],
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

const NOTICES: &[Notice] = &[Notice::new("saved", "notification-settings-saved")];

pub async fn preferences(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    let choices = choices::choices(&state.db, state.kinds, &signed.viewer.principal).await?;
    let tr = &signed.ctx.tr;
    let page = PreferencesPage {
        notice: notice::shown(tr, NOTICES, q.notice.as_deref()),
        page: Chrome::new(
            &signed.ctx,
            "notifications",
            tr.t("notification-settings-title"),
        ),
        choices,
        deliveries: Delivery::ALL,
        levels: Level::ALL,
    };
    render(StatusCode::OK, &page)
}

/// `topic-<name>=<delivery>` and `space-<id>=<level>`, all applied or none.
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let mut change = Change {
        skip_unseen_spaces: true,
        ..Change::default()
    };
    for (key, value) in pairs {
        if let Some(topic) = key.strip_prefix("topic-") {
            change.topics.push((topic.to_string(), value));
        } else if let Some(space) = key.strip_prefix("space-") {
            let id = space
                .parse()
                .map_err(|_| HttpError::bad_request("notification-level-invalid"))?;
            change.spaces.push((id, value));
        }
    }
    choices::change(
        &state.db,
        state.kinds,
        &signed.viewer.principal,
        change,
        state.time_zone.clone(),
    )
    .await?;
    Ok(Redirect::to("/notifications/preferences?notice=saved").into_response())
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    page: Chrome,
    token: String,
    topic: String,
    email: String,
    done: bool,
}

impl UnsubscribePage {
    fn ask(&self) -> String {
        self.page.tr.t2(
            "unsubscribe-ask",
            ("topic", self.topic.clone()),
            ("email", self.email.clone()),
        )
    }
}

/// The page for a link's topic: asking (`token` and `email` given), or done.
fn unsubscribe_view(
    ctx: &Ctx,
    topic: crate::content::Topic,
    token: String,
    email: String,
    done: bool,
) -> Result<Response, HttpError> {
    let page = UnsubscribePage {
        topic: ctx
            .tr
            .t(&format!("notification-topic-{}", topic.name()))
            .to_string(),
        page: Chrome::new(ctx, "", ctx.tr.t("unsubscribe-title")),
        token,
        email,
        done,
    };
    let mut res = render(StatusCode::OK, &page)?;
    // The token is in the address: it must not leave in a Referer.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// Asks before stopping: a link scanner that opens the address changes nothing.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    let (topic, email) = choices::unsubscribe_target(&state.db, token.clone())
        .await?
        .ok_or_else(HttpError::not_found)?;
    unsubscribe_view(&ctx, topic, token, email, false)
}

/// Stops the link's topic; the same for the page's button and for a mail
/// client's one-click `List-Unsubscribe=One-Click` post, which carries no
/// cookie and no form token: the signed link is the proof.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    let topic = choices::unsubscribe(&state.db, state.kinds, token)
        .await?
        .ok_or_else(HttpError::not_found)?;
    unsubscribe_view(&ctx, topic, String::new(), String::new(), true)
}
