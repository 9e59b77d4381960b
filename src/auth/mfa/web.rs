//! Second-factor pages: the sign-in step after the password, and the
//! account's security page where a person sets up an authenticator app,
//! recovery codes and passkeys. Every change asks for the password again.

use super::passkeys::{self, RelyingParty};
use super::{challenge, recovery, totp};
use crate::app::AppState;
use crate::auth::signin::{self, Deps};
use crate::service::Error;
use crate::util::Secret;
use crate::web::context::{Ctx, clear_cookie, cookie};
use crate::web::error::HttpError;
use crate::web::extract::{Form, Json, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

/// The relying party for this request, when its host is one Parvis serves.
fn relying_party(state: &AppState, ctx: &Ctx) -> Option<RelyingParty> {
    let mut known = state.config.server.hostnames.clone();
    known.extend(state.portals.current().hostnames());
    RelyingParty::for_request(&ctx.host, ctx.secure, &known)
}

fn deps(state: &AppState) -> Deps<'_> {
    Deps {
        db: &state.db,
        hasher: &state.hasher,
        throttle: &state.throttle,
        absolute_timeout: state.config.session.absolute_timeout,
    }
}

fn challenge_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, challenge::COOKIE).map(str::to_string)
}

fn message(ctx: &Ctx, e: &Error) -> Option<String> {
    match e {
        Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code) => {
            Some(ctx.tr.t(&format!("error-{code}")).to_string())
        }
        Error::TooMany { retry_after } => Some(ctx.tr.t1(
            "mfa-locked",
            "seconds",
            retry_after.as_secs().max(1),
        )),
        _ => None,
    }
}

/// A page shown for `e`: a 429 with its `Retry-After` when `e` asks to wait.
fn throttled(res: Response, e: &Error) -> Response {
    match e {
        Error::TooMany { retry_after } => crate::web::page::too_many(res, *retry_after),
        _ => res,
    }
}

#[derive(Template)]
#[template(path = "signin_verify.html")]
struct VerifyPage {
    page: Chrome,
    error: Option<String>,
    passkey: bool,
}

async fn verify_page_with(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let Some(token) = challenge_token(headers) else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let rp_id = relying_party(state, ctx).map(|rp| rp.id);
    let Some(pending) = super::pending(&state.db, &token, ctx.portal.id, rp_id).await? else {
        let mut res = Redirect::to("/signin?notice=mfa-expired").into_response();
        res.headers_mut()
            .append(header::SET_COOKIE, clear_cookie(challenge::COOKIE));
        return Ok(res);
    };
    let page = VerifyPage {
        page: Chrome::new(ctx, "signin", ctx.tr.t("mfa-verify-title")),
        error,
        passkey: pending.passkeys > 0,
    };
    let mut res = render(status, &page)?;
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

pub async fn verify_page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    verify_page_with(&state, &ctx, &headers, StatusCode::OK, None).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Ends the challenge cookie and sets the session's.
fn signed_in(done: signin::SignedIn, next: &str) -> Response {
    let mut res = crate::auth::web::signed_in_response(done, next);
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(challenge::COOKIE));
    res
}

pub async fn verify_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, HttpError> {
    let Some(token) = challenge_token(&headers) else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let code: String = form.code.chars().take(64).collect();
    let outcome = signin::second_factor(
        &deps(&state),
        &token,
        super::Proof::Code(code),
        &ctx.portal,
        None,
        ctx.ip,
        &ctx.user_agent,
    )
    .await;
    match outcome {
        Ok((done, next)) => Ok(signed_in(done, &next)),
        Err(Error::Invalid {
            code: "mfa-challenge-expired",
            ..
        }) => {
            let mut res = Redirect::to("/signin?notice=mfa-expired").into_response();
            res.headers_mut()
                .append(header::SET_COOKIE, clear_cookie(challenge::COOKIE));
            Ok(res)
        }
        Err(e) => match message(&ctx, &e) {
            Some(text) => {
                let res =
                    verify_page_with(&state, &ctx, &headers, StatusCode::UNAUTHORIZED, Some(text))
                        .await?;
                Ok(throttled(res, &e))
            }
            None => Err(e.into()),
        },
    }
}

/// Options for `navigator.credentials.get`, for the challenge in the cookie.
pub async fn passkey_options(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<axum::Json<Value>, HttpError> {
    let token = challenge_token(&headers).ok_or_else(HttpError::not_found)?;
    let rp = relying_party(&state, &ctx).ok_or_else(HttpError::not_found)?;
    let options = super::start_passkey_signin(&state.db, &token, ctx.portal.id, rp)
        .await?
        .ok_or_else(HttpError::not_found)?;
    Ok(axum::Json(options))
}

#[derive(Deserialize)]
pub struct AssertionBody {
    credential: Value,
}

pub async fn passkey_verify(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Json(body): Json<AssertionBody>,
) -> Result<Response, HttpError> {
    let token = challenge_token(&headers).ok_or_else(HttpError::not_found)?;
    let rp = relying_party(&state, &ctx);
    let outcome = signin::second_factor(
        &deps(&state),
        &token,
        super::Proof::Passkey(body.credential.to_string()),
        &ctx.portal,
        rp,
        ctx.ip,
        &ctx.user_agent,
    )
    .await;
    match outcome {
        Ok((done, next)) => {
            let target = if done.must_change_password {
                "/account#password".to_string()
            } else {
                next.clone()
            };
            let cookies = signed_in(done, &next);
            let mut res = axum::Json(json!({"next": target})).into_response();
            for v in cookies.headers().get_all(header::SET_COOKIE) {
                res.headers_mut().append(header::SET_COOKIE, v.clone());
            }
            Ok(res)
        }
        Err(Error::Invalid { code, .. }) => Err(HttpError::new(StatusCode::UNAUTHORIZED, code)),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- account page

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    page: Chrome,
    factors: super::Factors,
    passkeys: Vec<PasskeyRow>,
    required: bool,
    must_enroll: bool,
    /// Set while enrolling an authenticator app.
    enrollment: Option<EnrollmentView>,
    /// Shown once, right after they were made.
    new_codes: Vec<String>,
    notice: Option<String>,
    error: Option<String>,
    passkeys_possible: bool,
}

struct EnrollmentView {
    qr_svg: String,
    secret: String,
}

struct PasskeyRow {
    id: i64,
    name: String,
    host: String,
    created: String,
    last_used: String,
}

#[derive(Default)]
struct Extra {
    enrollment: Option<EnrollmentView>,
    new_codes: Vec<String>,
    notice: Option<String>,
    error: Option<String>,
}

const NOTICES: &[Notice] = &[
    Notice::new("totp-removed", "notice-totp-removed"),
    Notice::new("passkey-added", "notice-passkey-added"),
    Notice::new("passkey-removed", "notice-passkey-removed"),
    Notice::new("mfa-enrolled", "notice-mfa-enrolled"),
];

#[derive(Deserialize)]
pub struct SecurityQuery {
    notice: Option<String>,
}

async fn security_page(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    extra: Extra,
) -> Result<Response, HttpError> {
    let ctx = &signed.ctx;
    let person = signed.viewer.principal.person_id;
    let factors = super::factors_of(&state.db, person).await?;
    let chrome = Chrome::new(ctx, "account", ctx.tr.t("security-title"));
    let passkeys = passkeys::list(&state.db, person)
        .await?
        .into_iter()
        .map(|p| PasskeyRow {
            id: p.id,
            name: p.name,
            host: p.rp_id,
            created: chrome.datetime(&p.created_at),
            last_used: p
                .last_used_at
                .map(|t| chrome.datetime(&t))
                .unwrap_or_default(),
        })
        .collect();
    let required = state
        .portals
        .current()
        .mfa_policy
        .requires(&ctx.portal, &signed.viewer.principal);
    let page = SecurityPage {
        page: chrome,
        required,
        must_enroll: required && !factors.any(),
        factors,
        passkeys,
        enrollment: extra.enrollment,
        new_codes: extra.new_codes,
        notice: extra.notice,
        error: extra.error,
        passkeys_possible: relying_party(state, ctx).is_some(),
    };
    let mut res = render(status, &page)?;
    // Secrets on this page must not outlive it in caches or leak through links.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

pub async fn security(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<SecurityQuery>,
) -> Result<Response, HttpError> {
    let notice = notice::shown(&signed.ctx.tr, NOTICES, q.notice.as_deref());
    security_page(
        &state,
        &signed,
        StatusCode::OK,
        Extra {
            notice,
            ..Extra::default()
        },
    )
    .await
}

/// Shows the error on the security page, or passes it on when it is not the person's to fix.
async fn refused(state: &AppState, signed: &Signed, e: Error) -> Result<Response, HttpError> {
    match message(&signed.ctx, &e) {
        Some(text) => {
            let res = security_page(
                state,
                signed,
                StatusCode::BAD_REQUEST,
                Extra {
                    error: Some(text),
                    ..Extra::default()
                },
            )
            .await?;
            Ok(throttled(res, &e))
        }
        None => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn reauth(state: &AppState, signed: &Signed, password: String) -> crate::service::Result<()> {
    crate::auth::reauth::confirm_password(
        &state.db,
        &state.hasher,
        &state.throttle,
        &signed.actor(),
        &Secret::new(password),
    )
    .await
}

pub async fn totp_begin(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    if let Err(e) = reauth(&state, &signed, form.password).await {
        return refused(&state, &signed, e).await;
    }
    match totp::begin(&state.db, &signed.actor(), &signed.ctx.portal.name).await {
        Ok(e) => {
            let view = EnrollmentView {
                qr_svg: e.qr_svg,
                secret: e.secret_base32.expose().clone(),
            };
            security_page(
                &state,
                &signed,
                StatusCode::OK,
                Extra {
                    enrollment: Some(view),
                    ..Extra::default()
                },
            )
            .await
        }
        Err(e) => refused(&state, &signed, e).await,
    }
}

pub async fn totp_confirm(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CodeForm>,
) -> Result<Response, HttpError> {
    let code: String = form.code.chars().take(64).collect();
    match totp::confirm(&state.db, &signed.actor(), &code).await {
        Ok(codes) => {
            let notice = Some(signed.ctx.tr.t("notice-mfa-enrolled").to_string());
            security_page(
                &state,
                &signed,
                StatusCode::OK,
                Extra {
                    new_codes: codes.iter().map(|c| c.expose().clone()).collect(),
                    notice,
                    ..Extra::default()
                },
            )
            .await
        }
        Err(e) => refused(&state, &signed, e).await,
    }
}

/// A factor may go unless it is the last one and the policy requires one.
async fn may_remove(state: &AppState, signed: &Signed, kind: &str) -> crate::service::Result<()> {
    let f = super::factors_of(&state.db, signed.viewer.principal.person_id).await?;
    let remaining = usize::from(f.totp && kind != "totp") + f.passkeys as usize
        - usize::from(kind == "passkey" && f.passkeys > 0);
    let required = state
        .portals
        .current()
        .mfa_policy
        .requires(&signed.ctx.portal, &signed.viewer.principal);
    if required && remaining == 0 {
        return Err(Error::Conflict("mfa-required-by-policy"));
    }
    Ok(())
}

pub async fn totp_remove(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    let checked = match reauth(&state, &signed, form.password).await {
        Ok(()) => may_remove(&state, &signed, "totp").await,
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        return refused(&state, &signed, e).await;
    }
    totp::remove(
        &state.db,
        &signed.actor(),
        signed.viewer.principal.person_id,
    )
    .await?;
    Ok(Redirect::to("/account/security?notice=totp-removed").into_response())
}

pub async fn recovery_regenerate(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    if let Err(e) = reauth(&state, &signed, form.password).await {
        return refused(&state, &signed, e).await;
    }
    match recovery::regenerate(&state.db, &signed.actor()).await {
        Ok(codes) => {
            security_page(
                &state,
                &signed,
                StatusCode::OK,
                Extra {
                    new_codes: codes.iter().map(|c| c.expose().clone()).collect(),
                    ..Extra::default()
                },
            )
            .await
        }
        Err(e) => refused(&state, &signed, e).await,
    }
}

#[derive(Deserialize)]
pub struct RegisterOptionsBody {
    #[serde(default)]
    password: String,
}

pub async fn passkey_register_options(
    State(state): State<AppState>,
    signed: Signed,
    Json(body): Json<RegisterOptionsBody>,
) -> Result<axum::Json<Value>, HttpError> {
    reauth(&state, &signed, body.password).await?;
    let rp = relying_party(&state, &signed.ctx).ok_or_else(HttpError::not_found)?;
    let options =
        passkeys::start_registration(&state.db, &signed.actor(), signed.viewer.session_id, &rp)
            .await?;
    Ok(axum::Json(options))
}

#[derive(Deserialize)]
pub struct RegisterBody {
    #[serde(default)]
    name: String,
    credential: Value,
}

pub async fn passkey_register(
    State(state): State<AppState>,
    signed: Signed,
    Json(body): Json<RegisterBody>,
) -> Result<axum::Json<Value>, HttpError> {
    let rp = relying_party(&state, &signed.ctx).ok_or_else(HttpError::not_found)?;
    passkeys::finish_registration(
        &state.db,
        &signed.actor(),
        signed.viewer.session_id,
        &rp,
        &body.name,
        &body.credential.to_string(),
    )
    .await?;
    Ok(axum::Json(
        json!({"next": "/account/security?notice=passkey-added"}),
    ))
}

pub async fn passkey_remove(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    let checked = match reauth(&state, &signed, form.password).await {
        Ok(()) => may_remove(&state, &signed, "passkey").await,
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        return refused(&state, &signed, e).await;
    }
    passkeys::remove(
        &state.db,
        &signed.actor(),
        signed.viewer.principal.person_id,
        id,
    )
    .await?;
    Ok(Redirect::to("/account/security?notice=passkey-removed").into_response())
}
