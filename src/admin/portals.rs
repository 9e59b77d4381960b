//! Administration of portals (host names, audience, branding with a colour
//! preview, logo upload) and of the instance-wide second-factor policy.

use super::orgs::{NoticeQuery, fixable, notice};
use super::require_admin;
use crate::app::AppState;
use crate::auth::mfa::Policy;
use crate::organizations::OrgKind;
use crate::portals::model::{SupportContact, WebLink};
use crate::portals::service::{AudienceRef, PortalImage, PortalInput};
use crate::portals::{Audience, Color, Hostname, Image, Portal};
use crate::service::{DisplayName, Error, Locale, Slug};
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::{Multipart, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "admin_portals.html")]
struct PortalsPage {
    page: crate::web::page::Chrome,
    section: &'static str,
    portals: Vec<Arc<Portal>>,
    open: Option<Arc<Portal>>,
    kinds: Vec<&'static str>,
    orgs: Vec<crate::organizations::Organization>,
    policy: Policy,
    notice: Option<String>,
    error: Option<String>,
}

impl PortalsPage {
    fn logo(&self, p: &Portal) -> String {
        crate::web::page::logo_url(p)
    }

    fn favicon(&self, p: &Portal) -> String {
        crate::web::page::favicon_of(p).0
    }
}

impl PortalsPage {
    fn admits_kind(&self, kind: &str) -> bool {
        self.open.as_ref().is_some_and(|p| {
            p.audience
                .iter()
                .any(|a| matches!(a, Audience::Kind { kind: k } if k.as_str() == kind))
        })
    }

    fn admits_org(&self, id: &i64) -> bool {
        self.open.as_ref().is_some_and(|p| {
            p.audience
                .iter()
                .any(|a| matches!(a, Audience::Organization { id: o } if o == id))
        })
    }

    fn policy_has(&self, kind: &str) -> bool {
        self.policy.kinds.iter().any(|k| k.as_str() == kind)
    }
}

async fn portals_page(
    state: &AppState,
    signed: &Signed,
    open: Option<i64>,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let portals = crate::portals::service::list(&state.portals, &actor)?;
    let open = match open {
        Some(id) => Some(
            portals
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or_else(HttpError::not_found)?,
        ),
        None => None,
    };
    let page = PortalsPage {
        page: Chrome::admin(&signed.ctx, "admin-portals"),
        section: "admin-portals",
        portals,
        open,
        kinds: OrgKind::ALL.iter().map(|k| k.as_str()).collect(),
        orgs: crate::organizations::service::list(&state.db, &actor)
            .await?
            .into_iter()
            .filter(|o| o.kind != OrgKind::Host)
            .collect(),
        policy: state.portals.current().mfa_policy.clone(),
        notice,
        error,
    };
    render(status, &page)
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let n = notice(&signed, q.notice);
    portals_page(&state, &signed, None, StatusCode::OK, n, None).await
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let n = notice(&signed, q.notice);
    portals_page(&state, &signed, Some(id), StatusCode::OK, n, None).await
}

fn pairs(raw: &[u8]) -> Result<Vec<(String, String)>, HttpError> {
    serde_urlencoded::from_bytes(raw).map_err(|_| HttpError::bad_request("form-invalid"))
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// An optional field: empty means none.
fn optional<T>(raw: &str, parse: impl Fn(&str) -> Result<T, Error>) -> Result<Option<T>, Error> {
    match raw.trim() {
        "" => Ok(None),
        v => parse(v).map(Some),
    }
}

/// The settings form: every field is present, checkboxes as repeated pairs.
fn settings(pairs: &[(String, String)]) -> Result<PortalInput, Error> {
    let hostnames = value(pairs, "hostnames")
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|h| !h.is_empty())
        .map(Hostname::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let mut audience = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "kind" => audience.push(AudienceRef::Kind(OrgKind::parse(v)?)),
            "org" => audience.push(AudienceRef::Org(Slug::parse(v)?)),
            _ => {}
        }
    }
    Ok(PortalInput {
        name: Some(DisplayName::parse(value(pairs, "name").unwrap_or(""))?),
        slug: None,
        hostnames: Some(hostnames),
        audience: Some(audience),
        primary_color: Some(Color::parse_accent(value(pairs, "color").unwrap_or(""))?),
        // A field the form did not send keeps its value; an empty link removes it.
        header_color: value(pairs, "header_color")
            .map(Color::parse_header)
            .transpose()?,
        welcome_text_fr: value(pairs, "welcome_fr").map(str::to_string),
        legal_url: value(pairs, "legal_url")
            .map(|v| optional(v, |l| WebLink::parse(l, "legal_url")))
            .transpose()?,
        support_contact: value(pairs, "support_contact")
            .map(|v| optional(v, SupportContact::parse))
            .transpose()?,
        default_locale: Some(
            Locale::parse(value(pairs, "language").unwrap_or(""))
                .ok_or(Error::invalid("language", "language-invalid"))?,
        ),
        welcome_text: Some(value(pairs, "welcome").unwrap_or("").to_string()),
        external_access_days: Some(
            value(pairs, "access_days")
                .unwrap_or("")
                .trim()
                .parse()
                .map_err(|_| Error::invalid("external_access_days", "access-days-invalid"))?,
        ),
        require_mfa: Some(value(pairs, "require_mfa") == Some("on")),
        share_links: Some(value(pairs, "share_links") == Some("on")),
    })
}

pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    RawForm(raw): RawForm,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let pairs = pairs(&raw)?;
    let result = async {
        let input = PortalInput {
            name: Some(DisplayName::parse(value(&pairs, "name").unwrap_or(""))?),
            // A new portal starts closed: the administrator opens it to its audience.
            audience: Some(Vec::new()),
            ..PortalInput::default()
        };
        crate::portals::service::create(&state.db, &state.portals, &signed.actor(), input).await
    }
    .await;
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/admin/portals/{}?notice=saved", p.id)).into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            portals_page(
                &state,
                &signed,
                None,
                StatusCode::BAD_REQUEST,
                None,
                Some(text),
            )
            .await
        }
    }
}

fn slug_of(state: &AppState, id: i64) -> Result<String, HttpError> {
    state
        .portals
        .current()
        .by_id(id)
        .map(|p| p.slug.clone())
        .ok_or_else(HttpError::not_found)
}

async fn after(
    state: &AppState,
    signed: &Signed,
    id: i64,
    result: Result<(), Error>,
) -> Result<Response, HttpError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/portals/{id}?notice=saved")).into_response()),
        Err(e) => {
            let text = fixable(signed, e)?;
            portals_page(
                state,
                signed,
                Some(id),
                StatusCode::BAD_REQUEST,
                None,
                Some(text),
            )
            .await
        }
    }
}

pub async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    RawForm(raw): RawForm,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let slug = slug_of(&state, id)?;
    let pairs = pairs(&raw)?;
    let result = async {
        let input = settings(&pairs)?;
        crate::portals::service::update(&state.db, &state.portals, &signed.actor(), &slug, input)
            .await
            .map(|_| ())
    }
    .await;
    after(&state, &signed, id, result).await
}

pub async fn logo(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    image(state, signed, id, multipart, PortalImage::Logo).await
}

pub async fn favicon(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    image(state, signed, id, multipart, PortalImage::Favicon).await
}

/// The logo or favicon form: a file, or `remove`.
async fn image(
    state: AppState,
    signed: Signed,
    id: i64,
    multipart: Multipart,
    which: PortalImage,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let slug = slug_of(&state, id)?;
    let fields = crate::web::extract::multipart_fields(multipart, Image::MAX_BYTES + 1).await?;
    let remove = fields.iter().any(|(n, v)| n == "remove" && !v.is_empty());
    let part = match which {
        PortalImage::Logo => "logo",
        PortalImage::Favicon => "favicon",
    };
    let result = async {
        let image = if remove {
            None
        } else {
            let data = fields
                .into_iter()
                .find(|(n, _)| n == part)
                .map(|(_, d)| d)
                .unwrap_or_default();
            Some(Image::parse(data)?)
        };
        crate::portals::service::set_image(
            &state.db,
            &state.portals,
            &signed.actor(),
            &slug,
            which,
            image,
        )
        .await
        .map(|_| ())
    }
    .await;
    after(&state, &signed, id, result).await
}

pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let slug = slug_of(&state, id)?;
    match crate::portals::service::delete(&state.db, &state.portals, &signed.actor(), &slug).await {
        Ok(()) => Ok(Redirect::to("/admin/portals?notice=deleted").into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            portals_page(
                &state,
                &signed,
                Some(id),
                StatusCode::CONFLICT,
                None,
                Some(text),
            )
            .await
        }
    }
}

pub async fn policy(
    State(state): State<AppState>,
    signed: Signed,
    RawForm(raw): RawForm,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let pairs = pairs(&raw)?;
    let kinds = pairs
        .iter()
        .filter(|(k, _)| k == "mfa_kind")
        .map(|(_, v)| OrgKind::parse(v))
        .collect::<Result<Vec<_>, _>>()?;
    let policy = Policy {
        admins: value(&pairs, "mfa_admins") == Some("on"),
        kinds,
    };
    crate::auth::mfa::policy::set(&state.db, &state.portals, &signed.actor(), policy).await?;
    Ok(Redirect::to("/admin/portals?notice=saved").into_response())
}
