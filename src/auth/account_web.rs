//! The account page's own forms: profile, photo, e-mail address (after the
//! password again) and personal access tokens.

use super::web::{AccountExtra, account_page};
use crate::app::AppState;
use crate::service::{DisplayName, Email, Error, Locale};
use crate::util::Secret;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Signed};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

fn message(signed: &Signed, e: &Error) -> Option<String> {
    match e {
        Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code) => {
            Some(signed.ctx.tr.t(&format!("error-{code}")).to_string())
        }
        Error::TooMany { retry_after } => Some(signed.ctx.tr.t1(
            "throttle-wait",
            "seconds",
            retry_after.as_secs().max(1),
        )),
        _ => None,
    }
}

/// Shows a fixable error in the form it belongs to; passes the rest on.
async fn refused(
    state: &AppState,
    signed: &Signed,
    e: Error,
    place: fn(&mut AccountExtra) -> &mut Option<String>,
) -> Result<Response, HttpError> {
    let Some(text) = message(signed, &e) else {
        return Err(e.into());
    };
    let mut x = AccountExtra::default();
    *place(&mut x) = Some(text);
    let res = account_page(state, signed, StatusCode::BAD_REQUEST, x).await?;
    Ok(match e {
        Error::TooMany { retry_after } => crate::web::page::too_many(res, retry_after),
        _ => res,
    })
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn profile(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<ProfileForm>,
) -> Result<Response, HttpError> {
    let result = async {
        let changes = crate::people::service::ProfileChanges {
            name: Some(DisplayName::parse(&form.name)?),
            title: Some(form.title.clone()),
            department: Some(form.department.clone()),
            phone: Some(form.phone.clone()),
            skills: Some(form.skills.clone()),
            locale: Locale::parse(&form.language),
            time_zone: Some(crate::i18n::time::zone_choice(&form.time_zone)?),
        };
        crate::people::service::update_profile(
            &state.db,
            &signed.actor(),
            signed.viewer.principal.person_id,
            changes,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => {
            crate::auth::session::sessions_changed();
            Ok(Redirect::to("/account?notice=profile-saved").into_response())
        }
        Err(e) => refused(&state, &signed, e, |x| &mut x.profile_error).await,
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn email(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<EmailForm>,
) -> Result<Response, HttpError> {
    let result = async {
        let new = Email::parse(&form.email)?;
        super::reauth::confirm_password(
            &state.db,
            &state.hasher,
            &state.throttle,
            &signed.actor(),
            &Secret::new(form.password.clone()),
        )
        .await?;
        crate::people::service::change_own_email(&state.db, &state.i18n, &signed.actor(), &new)
            .await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/account?notice=email-changed").into_response()),
        Err(e) => refused(&state, &signed, e, |x| &mut x.email_error).await,
    }
}

pub async fn photo(
    State(state): State<AppState>,
    signed: Signed,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    let fields =
        crate::web::extract::multipart_fields(multipart, crate::portals::Image::MAX_BYTES + 1)
            .await?;
    let remove = fields.iter().any(|(n, v)| n == "remove" && !v.is_empty());
    let result = async {
        let image = if remove {
            None
        } else {
            let data = fields
                .into_iter()
                .find(|(n, _)| n == "photo")
                .map(|(_, d)| d)
                .unwrap_or_default();
            Some(crate::portals::Image::parse(data)?)
        };
        crate::people::service::set_photo(
            &state.db,
            &signed.actor(),
            signed.viewer.principal.person_id,
            image,
        )
        .await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/account?notice=photo-saved").into_response()),
        Err(e) => refused(&state, &signed, e, |x| &mut x.profile_error).await,
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    days: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<TokenForm>,
) -> Result<Response, HttpError> {
    let result = async {
        let scope = super::tokens::Scope::parse(&form.scope)?;
        let days = match form.days.trim() {
            "" => None,
            d => Some(
                d.parse::<u32>()
                    .map_err(|_| Error::invalid("expires", "token-expiry-invalid"))?,
            ),
        };
        let email = Email::parse(&signed.viewer.email)?;
        super::tokens::create(&state.db, &signed.actor(), &email, &form.name, scope, days).await
    }
    .await;
    match result {
        // The secret is shown once, on this very page, and never stored.
        Ok(created) => {
            let x = AccountExtra {
                new_token: Some(created.secret.expose().clone()),
                ..AccountExtra::default()
            };
            let mut res = account_page(&state, &signed, StatusCode::OK, x).await?;
            res.headers_mut().insert(
                axum::http::header::REFERRER_POLICY,
                axum::http::HeaderValue::from_static("no-referrer"),
            );
            Ok(res)
        }
        Err(e) => refused(&state, &signed, e, |x| &mut x.token_error).await,
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let email = Email::parse(&signed.viewer.email)?;
    let mine = super::tokens::list(&state.db, &signed.actor(), &email).await?;
    if !mine.iter().any(|t| t.id == id) {
        return Err(HttpError::not_found());
    }
    super::tokens::revoke(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to("/account?notice=token-revoked#tokens").into_response())
}
