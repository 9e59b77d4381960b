//! Share links in the pages: creating one from a document (the link is shown
//! once), the space's list with revocation, and the public page a link opens
//! (password form when protected, then the download).

use super::share::{self, NewLink};
use crate::app::AppState;
use crate::service::{Error, NewPassword};
use crate::util::Secret;
use crate::web::context::Ctx;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    days: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    max_downloads: String,
}

#[derive(Template)]
#[template(path = "share_created.html")]
struct CreatedPage {
    page: Chrome,
    doc_id: i64,
    doc_name: String,
    url: String,
}

pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<ShareForm>,
) -> Result<Response, HttpError> {
    let ctx = &signed.ctx;
    let (doc, _, _) = super::service::details(&state.db, &signed.actor(), id).await?;
    let parsed = (|| {
        Ok::<_, Error>(NewLink {
            days: form
                .days
                .trim()
                .parse()
                .map_err(|_| Error::invalid("days", "share-days-invalid"))?,
            password: match form.password.as_str() {
                "" => None,
                p => Some(NewPassword::parse(p, &[])?),
            },
            max_downloads: match form.max_downloads.trim() {
                "" => None,
                n => Some(
                    n.parse()
                        .map_err(|_| Error::invalid("max_downloads", "share-downloads-invalid"))?,
                ),
            },
        })
    })();
    let result = match parsed {
        Ok(new) => {
            share::create(
                &state.db,
                &state.hasher,
                &signed.actor(),
                &*ctx.portal,
                id,
                new,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(token) => {
            let base = state
                .config
                .public_url_for(ctx.portal.hostnames.first().map(String::as_str));
            let page = CreatedPage {
                page: Chrome::new(ctx, "spaces", ctx.tr.t("share-title")),
                doc_id: id,
                doc_name: doc.name,
                url: format!("{base}/s/{}", token.expose()),
            };
            let mut res = render(StatusCode::OK, &page)?;
            res.headers_mut().insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            Ok(res)
        }
        Err(Error::Invalid { code, .. }) => {
            Ok(Redirect::to(&format!("/files/{id}?share_error={code}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "shares.html")]
struct ListPage {
    page: Chrome,
    space: crate::spaces::Space,
    links: Vec<(share::LinkInfo, String)>,
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
) -> Result<Response, HttpError> {
    let space = crate::spaces::service::overview(&state.db, &signed.actor(), &slug)
        .await?
        .space;
    let chrome = Chrome::new(&signed.ctx, "spaces", signed.ctx.tr.t("share-list-title"));
    let links = share::list(&state.db, &signed.actor(), space.id)
        .await?
        .into_iter()
        .map(|l| {
            let until = chrome.datetime(&l.expires_at);
            (l, until)
        })
        .collect();
    render(
        StatusCode::OK,
        &ListPage {
            page: chrome,
            space,
            links,
        },
    )
}

pub async fn revoke(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let space = share::revoke(&state.db, &signed.actor(), id).await?;
    let slug = crate::spaces::service::slug_of(&state.db, &signed.actor(), space).await?;
    Ok(Redirect::to(&format!("/spaces/{slug}/files/shares")).into_response())
}

#[derive(Template)]
#[template(path = "share_public.html")]
struct PublicPage {
    page: Chrome,
    token: String,
    name: String,
    size: String,
    protected: bool,
    error: Option<String>,
}

async fn public_page(
    state: &AppState,
    ctx: &Ctx,
    token: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let shared = if ctx.portal.share_links {
        share::open(&state.db, token).await?
    } else {
        None
    };
    let Some(shared) = shared else {
        return Err(HttpError::not_found());
    };
    let page = PublicPage {
        page: Chrome::new(ctx, "", &shared.document.name),
        token: token.to_string(),
        size: crate::i18n::human_size(shared.document.size, ctx.tr.locale),
        name: shared.document.name,
        protected: shared.protected,
        error,
    };
    let mut res = render(status, &page)?;
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

pub async fn public(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    public_page(&state, &ctx, &token, StatusCode::OK, None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    if !ctx.portal.share_links {
        return Err(HttpError::not_found());
    }
    // Guessing a link's password meets the sign-in delays.
    let key = format!("share:{}", blake3::hash(token.as_bytes()).to_hex());
    if let Some(wait) = state.throttle.wait(&key, ctx.ip) {
        let text = ctx.tr.t1("throttle-wait", "seconds", wait.as_secs().max(1));
        let res = public_page(
            &state,
            &ctx,
            &token,
            StatusCode::TOO_MANY_REQUESTS,
            Some(text),
        )
        .await?;
        return Ok(crate::web::page::too_many(res, wait));
    }
    let password = Secret::new(form.password);
    match share::use_link(&state.db, &state.hasher, &token, Some(&password), ctx.ip).await {
        Ok((doc, version)) => {
            state.throttle.succeed(&key, ctx.ip);
            super::download::respond(&state, &doc, &version, false, &headers).await
        }
        Err(Error::Invalid {
            code: "share-password-wrong",
            ..
        }) => {
            state.throttle.fail(&key, ctx.ip);
            let text = ctx.tr.t("error-share-password-wrong").to_string();
            public_page(&state, &ctx, &token, StatusCode::UNAUTHORIZED, Some(text)).await
        }
        Err(Error::Invalid { .. }) => Err(HttpError::not_found()),
        Err(e) => Err(e.into()),
    }
}
