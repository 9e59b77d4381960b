//! The invitation link's page: an invited person chooses a password and is
//! signed in (then guided to a second factor when their portal asks for one).

use super::invitations::{self, Pending};
use crate::app::AppState;
use crate::service::{Error, NewPassword};
use crate::web::context::Ctx;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    page: Chrome,
    token: String,
    pending: Option<Pending>,
    error: Option<String>,
}

fn page(
    ctx: &Ctx,
    token: String,
    pending: Option<Pending>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let mut res = render(
        status,
        &InvitePage {
            page: Chrome::new(ctx, "signin", ctx.tr.t("invite-title")),
            token,
            pending,
            error,
        },
    )?;
    // The token must not leak through the Referer of anything this page loads.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    let pending = invitations::pending(&state.db, &token).await?;
    let status = if pending.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let token = if pending.is_some() {
        token
    } else {
        String::new()
    };
    page(&ctx, token, pending, None, status)
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, HttpError> {
    let Some(pending) = invitations::pending(&state.db, &token).await? else {
        return page(&ctx, String::new(), None, None, StatusCode::GONE);
    };
    let again = |pending: Pending, code: &str| {
        let text = ctx.tr.t(&format!("error-{code}")).to_string();
        page(
            &ctx,
            token.clone(),
            Some(pending),
            Some(text),
            StatusCode::BAD_REQUEST,
        )
    };
    if form.new != form.confirm {
        return again(pending, "password-mismatch");
    }
    let local = pending.email.split('@').next().unwrap_or("").to_string();
    let mut words = vec![pending.email.as_str(), local.as_str()];
    words.extend(pending.name.split_whitespace());
    let password = match NewPassword::parse(&form.new, &words) {
        Ok(p) => p,
        Err(Error::Invalid { code, .. }) => return again(pending, code),
        Err(e) => return Err(e.into()),
    };
    match invitations::accept(
        &state.db,
        &state.hasher,
        &token,
        password,
        ctx.ip,
        &ctx.user_agent,
        state.config.session.absolute_timeout,
    )
    .await
    {
        Ok(done) => Ok(super::web::signed_in_response(done, "/")),
        Err(Error::Invalid {
            code: "invite-link-invalid",
            ..
        }) => page(&ctx, String::new(), None, None, StatusCode::GONE),
        Err(e) => Err(e.into()),
    }
}
