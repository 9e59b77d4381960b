//! `/api/v1/portals` (administrators).

use super::model::{Color, Hostname, Image, SupportContact, WebLink};
use super::service::{self, AudienceRef, PortalImage, PortalInput};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::organizations::OrgKind;
use crate::service::{DisplayName, Error, Locale, Slug};
use crate::web::api::{created, no_content, page, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let all = service::list(&state.portals, &caller.actor())?;
    Ok(axum::Json(page(
        &all,
        u32::MAX,
        |p| p.id,
        |p| to_json(p.as_ref()),
    )))
}

fn slug_of(state: &AppState, caller: &ApiCaller, id: i64) -> Result<String, HttpError> {
    require_scope(caller, Scope::Admin)?;
    crate::access::require_admin(&caller.actor())?;
    state
        .portals
        .current()
        .by_id(id)
        .map(|p| p.slug.clone())
        .ok_or_else(HttpError::not_found)
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let slug = slug_of(&state, &caller, id)?;
    let p = service::get(&state.portals, &caller.actor(), &slug)?;
    Ok(axum::Json(to_json(p.as_ref())))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Body {
    name: Option<String>,
    slug: Option<String>,
    hostnames: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    primary_color: Option<String>,
    default_locale: Option<String>,
    welcome_text: Option<String>,
    welcome_text_fr: Option<String>,
    header_color: Option<String>,
    legal_url: Option<String>,
    support_contact: Option<String>,
    external_access_days: Option<u32>,
    require_mfa: Option<bool>,
    share_links: Option<bool>,
}

/// An empty value removes the link; anything else must parse.
fn optional<T>(raw: &str, parse: impl Fn(&str) -> Result<T, Error>) -> Result<Option<T>, Error> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

impl Body {
    fn parse(self) -> Result<PortalInput, Error> {
        Ok(PortalInput {
            name: self.name.as_deref().map(DisplayName::parse).transpose()?,
            slug: self.slug.as_deref().map(Slug::parse).transpose()?,
            hostnames: self
                .hostnames
                .map(|hs| {
                    hs.iter()
                        .map(|h| Hostname::parse(h))
                        .collect::<Result<_, _>>()
                })
                .transpose()?,
            audience: self
                .audience
                .map(|rules| {
                    rules
                        .iter()
                        .map(|a| match a.strip_prefix("org:") {
                            Some(slug) => Ok(AudienceRef::Org(Slug::parse(slug)?)),
                            None => Ok(AudienceRef::Kind(OrgKind::parse(a)?)),
                        })
                        .collect::<Result<Vec<_>, Error>>()
                })
                .transpose()?,
            primary_color: self
                .primary_color
                .as_deref()
                .map(Color::parse_accent)
                .transpose()?,
            header_color: self
                .header_color
                .as_deref()
                .map(Color::parse_header)
                .transpose()?,
            legal_url: self
                .legal_url
                .as_deref()
                .map(|l| optional(l, |l| WebLink::parse(l, "legal_url")))
                .transpose()?,
            support_contact: self
                .support_contact
                .as_deref()
                .map(|c| optional(c, SupportContact::parse))
                .transpose()?,
            default_locale: self
                .default_locale
                .as_deref()
                .map(|l| {
                    Locale::parse(l).ok_or(Error::invalid("default_locale", "language-invalid"))
                })
                .transpose()?,
            welcome_text: self.welcome_text,
            welcome_text_fr: self.welcome_text_fr,
            external_access_days: self.external_access_days,
            require_mfa: self.require_mfa,
            share_links: self.share_links,
        })
    }
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<Body>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let p = service::create(&state.db, &state.portals, &caller.actor(), body.parse()?).await?;
    Ok(created(to_json(p.as_ref())))
}

pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Body>,
) -> Result<axum::Json<Value>, HttpError> {
    let slug = slug_of(&state, &caller, id)?;
    let mut input = body.parse()?;
    // The slug names the portal in commands; it does not change here.
    input.slug = None;
    let p = service::update(&state.db, &state.portals, &caller.actor(), &slug, input).await?;
    Ok(axum::Json(to_json(p.as_ref())))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let slug = slug_of(&state, &caller, id)?;
    service::delete(&state.db, &state.portals, &caller.actor(), &slug).await?;
    Ok(no_content())
}

async fn put_image(
    state: &AppState,
    caller: &ApiCaller,
    id: i64,
    which: PortalImage,
    body: Option<axum::body::Bytes>,
) -> Result<axum::Json<Value>, HttpError> {
    let slug = slug_of(state, caller, id)?;
    let image = body.map(|b| Image::parse(b.to_vec())).transpose()?;
    let p = service::set_image(
        &state.db,
        &state.portals,
        &caller.actor(),
        &slug,
        which,
        image,
    )
    .await?;
    Ok(axum::Json(to_json(p.as_ref())))
}

/// `PUT /api/v1/portals/{id}/logo`: the body is the image (PNG, JPEG, GIF or WebP).
pub async fn set_logo(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<axum::Json<Value>, HttpError> {
    put_image(&state, &caller, id, PortalImage::Logo, Some(body)).await
}

pub async fn remove_logo(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let _portal = put_image(&state, &caller, id, PortalImage::Logo, None).await?;
    Ok(no_content())
}

/// `PUT /api/v1/portals/{id}/favicon`: the body is the image.
pub async fn set_favicon(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<axum::Json<Value>, HttpError> {
    put_image(&state, &caller, id, PortalImage::Favicon, Some(body)).await
}

pub async fn remove_favicon(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let _portal = put_image(&state, &caller, id, PortalImage::Favicon, None).await?;
    Ok(no_content())
}
