//! The pages of a signatory without an account (`/sign/{token}`): the link
//! alone shows nothing of the file; it sends a one-time code to the
//! address it was mailed to, and the code opens, for this browser alone
//! (a cookie scoped to the link), the version to decide on, its download
//! and the decision form.

use super::flows::Decision;
use super::service;
use super::signatories::{GRANT_MS, Opened};
use crate::app::AppState;
use crate::web::context::{Ctx, cookie};
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const COOKIE: &str = "parvis_sign";

/// The grant this browser holds for a link, if any.
fn grant(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
}

/// The grant, for the link's own paths only, for an hour (the code is what
/// a forwarded link lacks).
fn grant_cookie(token: &str, value: &str, max_age: i64) -> HeaderValue {
    let text = format!(
        "{COOKIE}={value}; Path=/sign/{token}; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age}"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

enum Stage {
    /// The link no longer works.
    Gone,
    /// Send the code, or type the one sent.
    Code {
        name: String,
        masked: String,
        sent: bool,
    },
    Open(Box<service::SigningOpen>),
    Done,
}

#[derive(Template)]
#[template(path = "approvals_sign.html")]
struct SignPage {
    page: Chrome,
    token: String,
    stage: Stage,
    error: Option<String>,
}

impl SignPage {
    fn decision(&self, d: &service::DecisionRow) -> String {
        self.page
            .tr
            .t(&format!("approvals-decision-{}", d.decision))
            .to_string()
    }

    fn asked(&self, open: &service::SigningOpen) -> String {
        self.page.tr.t2(
            "sign-asked",
            ("template", open.template.clone()),
            ("step", open.step_name.clone()),
        )
    }

    fn when(&self, d: &service::DecisionRow) -> String {
        self.page.datetime(&d.decided_at)
    }
}

fn show(
    ctx: &Ctx,
    token: &str,
    stage: Stage,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let title = ctx.tr.t("sign-title").to_string();
    let token = match stage {
        Stage::Gone | Stage::Done => String::new(),
        _ => token.to_string(),
    };
    let mut res = render(
        status,
        &SignPage {
            page: Chrome::new(ctx, "signin", &title),
            token,
            stage,
            error,
        },
    )?;
    // The link must not leak through the Referer of anything it loads.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    token: &str,
    grant: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let stage = match service::signing(&state.db, token, grant).await? {
        None => return show(ctx, token, Stage::Gone, None, StatusCode::GONE),
        Some(s) => match s.open {
            Some(open) => Stage::Open(Box::new(open)),
            None => Stage::Code {
                name: s.name,
                masked: s.masked,
                sent: s.code_live,
            },
        },
    };
    show(ctx, token, stage, error, status)
}

/// `GET /sign/{token}`.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    page(&state, &ctx, &token, grant(&headers), None, StatusCode::OK).await
}

/// The error said on the page, or the link gone.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    token: &str,
    grant: Option<String>,
    e: crate::service::Error,
) -> Result<Response, HttpError> {
    match crate::web::error::fixable_text(&ctx.tr, &e) {
        Some(text) => {
            let status = crate::web::error::status_of(&e);
            page(state, ctx, token, grant, Some(text), status).await
        }
        None => show(ctx, token, Stage::Gone, None, StatusCode::GONE),
    }
}

/// `POST /sign/{token}/code`: mails a one-time code to the link's address.
pub async fn code(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    match service::signing_code(&state.db, &state.i18n, &token, ctx.tr.locale).await {
        Ok(()) => Ok(Redirect::to(&format!("/sign/{token}")).into_response()),
        Err(e) => refused(&state, &ctx, &token, None, e).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /sign/{token}/open`: the code opens the link for this browser.
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(form): Form<CodeForm>,
) -> Result<Response, HttpError> {
    match service::signing_open(&state.db, &token, &form.code).await {
        Ok(Opened::Granted(grant)) => {
            let mut res = Redirect::to(&format!("/sign/{token}")).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                grant_cookie(&token, &grant, GRANT_MS / 1000),
            );
            Ok(res)
        }
        Ok(Opened::Wrong) => {
            let text = ctx.tr.t("error-approval-sign-code").to_string();
            page(
                &state,
                &ctx,
                &token,
                None,
                Some(text),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => refused(&state, &ctx, &token, None, e).await,
    }
}

/// `GET /sign/{token}/file`: the version to decide on, to the browser the
/// code opened the link for; nothing to anyone else.
pub async fn file(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let grant = grant(&headers).ok_or_else(HttpError::not_found)?;
    let (name, content_type, hash, size) = service::signing_file(&state.db, &token, &grant)
        .await
        .map_err(|_| HttpError::not_found())?;
    let content = crate::documents::download::Content {
        name: &name,
        content_type: &content_type,
        hash: &hash,
        size,
    };
    crate::documents::download::respond_content(&state, content, false, &headers).await
}

#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST /sign/{token}`: the signatory's one decision.
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<DecideForm>,
) -> Result<Response, HttpError> {
    let Some(grant) = grant(&headers) else {
        return page(&state, &ctx, &token, None, None, StatusCode::FORBIDDEN).await;
    };
    let actor = crate::access::Actor::anonymous(ctx.ip);
    let done = match Decision::parse(&form.decision) {
        Ok(d) => {
            service::signing_decide(&state.db, &actor, (&token, &grant), d, &form.comment).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => {
            let mut res = show(&ctx, &token, Stage::Done, None, StatusCode::OK)?;
            res.headers_mut()
                .append(header::SET_COOKIE, grant_cookie(&token, "", 0));
            Ok(res)
        }
        Err(e) => refused(&state, &ctx, &token, Some(grant), e).await,
    }
}
