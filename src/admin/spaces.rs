//! Administration of spaces: creation, settings, members and the portals that show them.

use super::orgs::{NoticeQuery, fixable, notice};
use super::require_admin;
use crate::app::AppState;
use crate::service::{DisplayName, Email, Error, Slug};
use crate::spaces::service::{MemberRef, NewSpace};
use crate::spaces::{Role, Space, Visibility};
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_spaces.html")]
struct SpacesPage {
    page: crate::web::page::Chrome,
    section: &'static str,
    spaces: Vec<Space>,
    portals: Vec<(String, String)>,
    open: Option<Open>,
    orgs: Vec<crate::organizations::Organization>,
    groups: Vec<crate::groups::Group>,
    notice: Option<String>,
    error: Option<String>,
}

struct Open {
    space: Space,
    members: Vec<crate::spaces::model::MemberRow>,
    /// Slugs of the portals showing it.
    shown_on: Vec<String>,
}

async fn spaces_page(
    state: &AppState,
    signed: &Signed,
    open: Option<i64>,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let spaces = crate::spaces::service::list(&state.db, &actor, None, 1000).await?;
    let open = match open {
        Some(id) => {
            let slug = crate::spaces::service::slug_of(&state.db, &actor, id).await?;
            let o = crate::spaces::service::overview(&state.db, &actor, slug.as_str()).await?;
            Some(Open {
                space: o.space,
                members: o.members,
                shown_on: o.portals.into_iter().map(|(slug, _)| slug).collect(),
            })
        }
        None => None,
    };
    let page = SpacesPage {
        page: Chrome::admin(&signed.ctx, "admin-spaces"),
        section: "admin-spaces",
        spaces,
        portals: crate::portals::service::list(&state.portals, &actor)?
            .iter()
            .map(|p| (p.slug.clone(), p.name.clone()))
            .collect(),
        open,
        orgs: crate::organizations::service::list(&state.db, &actor).await?,
        groups: crate::groups::service::list(&state.db, &actor).await?,
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
    spaces_page(&state, &signed, None, StatusCode::OK, n, None).await
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let n = notice(&signed, q.notice);
    spaces_page(&state, &signed, Some(id), StatusCode::OK, n, None).await
}

/// Fields of the creation and settings forms; checkboxes arrive as repeated `portal` pairs.
#[derive(Deserialize)]
pub struct SpaceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    description_fr: String,
    #[serde(default)]
    visibility: String,
}

pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    axum::extract::RawForm(raw): axum::extract::RawForm,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&raw).map_err(|_| HttpError::bad_request("form-invalid"))?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let result = async {
        let new = NewSpace {
            name: DisplayName::parse(get("name"))?,
            slug: None,
            description: get("description").to_string(),
            visibility: Visibility::parse(get("visibility"))?,
            portals: pairs
                .iter()
                .filter(|(n, _)| n == "portal")
                .map(|(_, v)| Slug::parse(v))
                .collect::<Result<_, _>>()?,
        };
        crate::spaces::service::create(&state.db, &signed.actor(), new).await
    }
    .await;
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/admin/spaces/{}?notice=saved", s.id)).into_response()),
        Err(e) => {
            let text = fixable(&signed, e)?;
            spaces_page(
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

pub async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<SpaceForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let result = async {
        let changes = crate::spaces::service::Changes {
            name: Some(DisplayName::parse(&form.name)?),
            description: Some(form.description.clone()),
            description_fr: Some(form.description_fr.clone()),
            visibility: Some(Visibility::parse(&form.visibility)?),
        };
        crate::spaces::service::update(&state.db, &signed.actor(), id, changes).await
    }
    .await;
    back_or_error(&state, &signed, id, result.map(|_| ())).await
}

async fn back_or_error(
    state: &AppState,
    signed: &Signed,
    id: i64,
    result: Result<(), Error>,
) -> Result<Response, HttpError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/spaces/{id}?notice=saved")).into_response()),
        Err(e) => {
            let text = fixable(signed, e)?;
            spaces_page(
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

#[derive(Deserialize)]
pub struct MemberForm {
    /// "person", "group" or "organization".
    #[serde(default)]
    kind: String,
    /// An e-mail address or a slug.
    #[serde(default)]
    who: String,
    #[serde(default)]
    role: String,
    /// "grant" or "revoke".
    #[serde(default)]
    action: String,
}

pub async fn member(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let actor = signed.actor();
    let slug = crate::spaces::service::slug_of(&state.db, &actor, id).await?;
    let result = async {
        let member = match form.kind.as_str() {
            "person" => {
                let p = crate::people::service::find(&state.db, &actor, &form.who).await?;
                MemberRef::Person(Email::parse(&p.email)?)
            }
            "group" => MemberRef::Group(Slug::parse(&form.who)?),
            "organization" => MemberRef::Org(Slug::parse(&form.who)?),
            _ => return Err(Error::invalid("kind", "member-kind-invalid")),
        };
        if form.action == "revoke" {
            crate::spaces::service::revoke(&state.db, &actor, &slug, member).await?;
        } else {
            let role =
                Role::parse(&form.role).map_err(|_| Error::invalid("role", "role-required"))?;
            crate::spaces::service::grant(&state.db, &actor, &slug, member, role).await?;
        }
        Ok(())
    }
    .await;
    back_or_error(&state, &signed, id, result).await
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    portal: String,
    /// "on" to show the space on the portal's home, anything else to withdraw it.
    #[serde(default)]
    shown: String,
}

pub async fn publish(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<PublishForm>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let actor = signed.actor();
    let slug = crate::spaces::service::slug_of(&state.db, &actor, id).await?;
    let result = async {
        let portal = Slug::parse(&form.portal)?;
        crate::portals::service::publish(&state.db, &actor, &slug, &portal, form.shown == "on")
            .await
            .map(|_| ())
    }
    .await;
    back_or_error(&state, &signed, id, result).await
}

pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    crate::spaces::service::delete(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to("/admin/spaces?notice=deleted").into_response())
}
