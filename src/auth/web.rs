//! Sign-in, sign-out, the account page (password, sessions) and the language switch.

use super::session::{self, SessionInfo};
use super::signin::{self, Attempt, Deps};
use crate::app::AppState;
use crate::service::{Error, Locale, NewPassword};
use crate::util::Secret;
use crate::web::context::{Ctx, LANG_COOKIE, clear_cookie, set_cookie};
use crate::web::error::HttpError;
use crate::web::extract::{Form, Query, Signed, safe_next};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Notices that may be shown from a `?notice=` parameter; anything else is ignored.
const NOTICES: &[Notice] = &[
    Notice::new("signed-out", "notice-signed-out"),
    Notice::new("signed-out-everywhere", "notice-signed-out-everywhere"),
    Notice::new("password-changed", "notice-password-changed"),
    Notice::new("others-signed-out", "notice-others-signed-out"),
    Notice::new("session-ended", "notice-session-ended"),
    Notice::new("password-reset", "notice-password-reset"),
    Notice::new("mfa-expired", "notice-mfa-expired"),
    Notice::new("profile-saved", "notice-profile-saved"),
    Notice::new("email-changed", "notice-email-changed"),
    Notice::new("photo-saved", "notice-photo-saved"),
    Notice::new("token-revoked", "notice-token-revoked"),
];

#[derive(Deserialize)]
pub struct SigninQuery {
    next: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    page: Chrome,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

pub async fn signin_page(ctx: Ctx, Query(q): Query<SigninQuery>) -> Result<Response, HttpError> {
    let next = safe_next(q.next.as_deref());
    if ctx.viewer.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let page = SigninPage {
        page: Chrome::new(&ctx, "signin", ctx.tr.t("signin-title")),
        next,
        email: String::new(),
        error: None,
        notice: notice::shown(&ctx.tr, NOTICES, q.notice.as_deref()),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct SigninForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn signin_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SigninForm>,
) -> Result<Response, HttpError> {
    let next = safe_next(form.next.as_deref());
    let deps = Deps {
        db: &state.db,
        hasher: &state.hasher,
        throttle: &state.throttle,
        absolute_timeout: state.config.session.absolute_timeout,
    };
    let email: String = form.email.chars().take(254).collect();
    let attempt = Attempt {
        portal: &ctx.portal,
        next: &next,
        email: &email,
        password: Secret::new(form.password),
        ip: ctx.ip,
        user_agent: &ctx.user_agent,
    };
    let (status, error, retry) = match signin::sign_in(&deps, attempt).await {
        Ok(signin::Outcome::SignedIn(done)) => return Ok(signed_in_response(done, &next)),
        Ok(signin::Outcome::SecondFactor { challenge }) => {
            let mut res = Redirect::to("/signin/verify").into_response();
            let secs = (crate::auth::mfa::challenge::VALID_MS / 1000) as u64;
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    crate::auth::mfa::challenge::COOKIE,
                    challenge.expose(),
                    Some(secs),
                ),
            );
            return Ok(res);
        }
        Err(Error::TooMany { retry_after }) => (
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tr
                .t1("throttle-wait", "seconds", retry_after.as_secs().max(1)),
            Some(retry_after),
        ),
        Err(Error::Invalid { code, .. }) => (
            StatusCode::UNAUTHORIZED,
            ctx.tr.t(&format!("error-{code}")).to_string(),
            None,
        ),
        Err(other) => return Err(other.into()),
    };
    let page = SigninPage {
        page: Chrome::new(&ctx, "signin", ctx.tr.t("signin-title")),
        next,
        email,
        error: Some(error),
        notice: None,
    };
    let res = render(status, &page)?;
    Ok(match retry {
        Some(wait) => crate::web::page::too_many(res, wait),
        None => res,
    })
}

/// Sets the session cookie and goes on: to the account page first when the
/// password must be changed.
pub fn signed_in_response(done: signin::SignedIn, next: &str) -> Response {
    let target = if done.must_change_password {
        "/account#password"
    } else {
        next
    };
    let mut res = Redirect::to(target).into_response();
    let cookie = set_cookie(
        session::COOKIE,
        done.session.token.expose(),
        Some(done.session.max_age.as_secs()),
    );
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res
}

#[derive(Deserialize)]
pub struct SignoutForm {
    everywhere: Option<String>,
}

pub async fn signout(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SignoutForm>,
) -> Result<Response, HttpError> {
    let everywhere = form.everywhere.is_some();
    if let Some(viewer) = &ctx.viewer {
        signin::sign_out(&state.db, viewer, ctx.ip, everywhere).await?;
    }
    let notice = if everywhere {
        "signed-out-everywhere"
    } else {
        "signed-out"
    };
    let mut res = Redirect::to(&format!("/signin?notice={notice}")).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(session::COOKIE));
    Ok(res)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Chrome,
    me: crate::people::Person,
    must_change: bool,
    sessions: Vec<SessionRow>,
    tokens: Vec<TokenRow>,
    x: AccountExtra,
    /// Time zones to choose from, and the instance's (the default).
    zones: Vec<String>,
    instance_zone: String,
}

impl AccountPage {
    /// The person's saved language, or the page's.
    fn language_is(&self, code: &str) -> bool {
        self.me.locale.unwrap_or(self.page.tr.locale).code() == code
    }
}

/// What an account page shows besides the account: a notice, the error of
/// the form that failed, a token secret shown once.
#[derive(Default)]
pub struct AccountExtra {
    pub notice: Option<String>,
    pub password_error: Option<String>,
    pub profile_error: Option<String>,
    pub email_error: Option<String>,
    pub token_error: Option<String>,
    pub new_token: Option<String>,
}

struct SessionRow {
    current: bool,
    created: String,
    last_seen: String,
    ip: String,
    device: String,
}

struct TokenRow {
    id: i64,
    name: String,
    scope: &'static str,
    created: String,
    expires: String,
    last_used: String,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    notice: Option<String>,
}

pub async fn account_page(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    x: AccountExtra,
) -> Result<Response, HttpError> {
    let ctx = &signed.ctx;
    let me = crate::people::service::get(
        &state.db,
        &signed.actor(),
        signed.viewer.principal.person_id,
    )
    .await?;
    let sessions: Vec<SessionInfo> = session::list_for(&state.db, me.id).await?;
    let email = crate::service::Email::parse(&me.email)?;
    let tokens = super::tokens::list(&state.db, &signed.actor(), &email).await?;
    let chrome = Chrome::new(ctx, "account", ctx.tr.t("account-title"));
    let rows = sessions
        .into_iter()
        .map(|s| SessionRow {
            current: s.id == signed.viewer.session_id,
            created: chrome.datetime(&s.created_at),
            last_seen: chrome.datetime(&s.last_seen_at),
            ip: s.ip,
            device: describe_agent(&s.user_agent),
        })
        .collect();
    let tokens = tokens
        .into_iter()
        .filter(|t| !t.revoked)
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            scope: t.scope.as_str(),
            created: chrome.date(&t.created_at),
            expires: t.expires_at.map(|e| chrome.date(&e)).unwrap_or_default(),
            last_used: t
                .last_used_at
                .map(|e| chrome.datetime(&e))
                .unwrap_or_default(),
        })
        .collect();
    let page = AccountPage {
        page: chrome,
        me,
        must_change: signed.viewer.must_change_password,
        sessions: rows,
        tokens,
        x,
        zones: crate::i18n::time::zone_names(),
        instance_zone: state.config.server.time_zone.clone(),
    };
    render(status, &page)
}

pub async fn account(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<AccountQuery>,
) -> Result<Response, HttpError> {
    let notice = notice::shown(&signed.ctx.tr, NOTICES, q.notice.as_deref());
    account_page(
        &state,
        &signed,
        StatusCode::OK,
        AccountExtra {
            notice,
            ..AccountExtra::default()
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    let tr = &signed.ctx.tr;
    let fail = |code: &str| Some(tr.t(&format!("error-{code}")).to_string());
    if form.new != form.confirm {
        return account_page(
            &state,
            &signed,
            StatusCode::BAD_REQUEST,
            AccountExtra {
                password_error: fail("password-mismatch"),
                ..AccountExtra::default()
            },
        )
        .await;
    }
    let context = [
        signed.viewer.email.as_str(),
        signed.viewer.display_name.as_str(),
    ];
    let local = signed.viewer.email.split('@').next().unwrap_or("");
    let mut words: Vec<&str> = context.to_vec();
    words.push(local);
    words.extend(signed.viewer.display_name.split_whitespace());
    let new = match NewPassword::parse(&form.new, &words) {
        Ok(p) => p,
        Err(Error::Invalid { code, .. }) => {
            return account_page(
                &state,
                &signed,
                StatusCode::BAD_REQUEST,
                AccountExtra {
                    password_error: fail(code),
                    ..AccountExtra::default()
                },
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let current = Secret::new(form.current);
    match crate::people::service::change_own_password(
        &state.db,
        &state.hasher,
        &signed.actor(),
        signed.viewer.session_id,
        &current,
        new,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?notice=password-changed").into_response()),
        Err(Error::Invalid { code, .. }) => {
            account_page(
                &state,
                &signed,
                StatusCode::BAD_REQUEST,
                AccountExtra {
                    password_error: fail(code),
                    ..AccountExtra::default()
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn signout_others(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, HttpError> {
    signin::sign_out_others(&state.db, &signed.viewer, signed.ctx.ip).await?;
    Ok(Redirect::to("/account?notice=others-signed-out").into_response())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

pub async fn set_language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LanguageForm>,
) -> Result<Response, HttpError> {
    let locale = Locale::parse(&form.lang).ok_or(HttpError::bad_request("language-invalid"))?;
    if let Some(v) = &ctx.viewer {
        let actor = crate::access::Actor::person(v.principal, ctx.ip);
        crate::people::service::set_own_locale(&state.db, &actor, locale).await?;
    }
    let mut res = Redirect::to(&safe_next(form.next.as_deref())).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, locale.code(), Some(365 * 24 * 3600)),
    );
    Ok(res)
}

/// "Firefox on Linux" from a User-Agent string, good enough to recognise one's devices.
fn describe_agent(ua: &str) -> String {
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.is_empty() {
        "?"
    } else {
        "Other"
    };
    let os = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "?"
    };
    format!("{browser} · {os}")
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    page: Chrome,
    sent: bool,
    error: Option<String>,
}

pub async fn forgot_page(ctx: Ctx) -> Result<Response, HttpError> {
    let page = ForgotPage {
        page: Chrome::new(&ctx, "signin", ctx.tr.t("forgot-title")),
        sent: false,
        error: None,
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ForgotForm>,
) -> Result<Response, HttpError> {
    let key = format!(
        "reset:{}",
        form.email
            .trim()
            .to_lowercase()
            .chars()
            .take(254)
            .collect::<String>()
    );
    if let Some(wait) = state.throttle.wait(&key, ctx.ip) {
        let page = ForgotPage {
            page: Chrome::new(&ctx, "signin", ctx.tr.t("forgot-title")),
            sent: false,
            error: Some(ctx.tr.t1("throttle-wait", "seconds", wait.as_secs().max(1))),
        };
        return Ok(crate::web::page::too_many(
            render(StatusCode::TOO_MANY_REQUESTS, &page)?,
            wait,
        ));
    }
    // Every request counts against the throttle, so nobody can flood an inbox.
    state.throttle.fail(&key, ctx.ip);
    let public_url = state.config.public_url();
    let mailer = super::reset::Mailer {
        i18n: &state.i18n,
        public_url: &public_url,
    };
    let actor = crate::access::Actor::anonymous(ctx.ip);
    super::reset::request(&state.db, &mailer, &actor, &form.email, ctx.tr.locale).await?;
    let page = ForgotPage {
        page: Chrome::new(&ctx, "signin", ctx.tr.t("forgot-title")),
        sent: true,
        error: None,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    page: Chrome,
    token: String,
    valid: bool,
    error: Option<String>,
}

fn reset_page(
    ctx: &Ctx,
    token: String,
    valid: bool,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    // The token must not leak through the Referer of anything this page loads.
    let mut res = render(
        status,
        &ResetPage {
            page: Chrome::new(ctx, "signin", ctx.tr.t("reset-title")),
            token,
            valid,
            error,
        },
    )?;
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

pub async fn reset_form(
    State(state): State<AppState>,
    ctx: Ctx,
    crate::web::extract::Path(token): crate::web::extract::Path<String>,
) -> Result<Response, HttpError> {
    let valid = super::reset::is_valid(&state.db, &token).await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let token = if valid { token } else { String::new() };
    reset_page(&ctx, token, valid, None, status)
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn reset_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    crate::web::extract::Path(token): crate::web::extract::Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, HttpError> {
    let again = |code: &str| Some(ctx.tr.t(&format!("error-{code}")).to_string());
    if form.new != form.confirm {
        return reset_page(
            &ctx,
            token,
            true,
            again("password-mismatch"),
            StatusCode::BAD_REQUEST,
        );
    }
    let password = match NewPassword::parse(&form.new, &[]) {
        Ok(p) => p,
        Err(Error::Invalid { code, .. }) => {
            return reset_page(&ctx, token, true, again(code), StatusCode::BAD_REQUEST);
        }
        Err(e) => return Err(e.into()),
    };
    let actor = crate::access::Actor::anonymous(ctx.ip);
    match super::reset::complete(&state.db, &state.hasher, &actor, &token, password).await {
        Ok(()) => Ok(Redirect::to("/signin?notice=password-reset").into_response()),
        Err(Error::Invalid {
            code: "reset-link-invalid",
            ..
        }) => reset_page(&ctx, String::new(), false, None, StatusCode::GONE),
        Err(e) => Err(e.into()),
    }
}
