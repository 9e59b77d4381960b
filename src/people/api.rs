//! `/api/v1` routes about people and invitations.

use super::Person;
use crate::access::Principal;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::service::{DisplayName, Email, Error, Locale, NewPassword, Slug};
use crate::web::api::{PageQuery, created, no_content, page, require_scope};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

/// A person as the API shows them to `viewer`: account details (admin flag,
/// status, access end, sponsor) only to administrators, internal staff for
/// externals' access, and the person themself.
pub fn person_json(p: &Person, viewer: &Principal) -> Value {
    let sees = crate::access::person_fields(viewer, &p.facts());
    let mut v = json!({
        "id": p.id,
        "email": p.email,
        "display_name": p.display_name,
        "title": p.title,
        "department": p.department,
        "phone": p.phone,
        "skills": p.skill_list(),
        "internal": p.internal(),
        "organization": if p.org_slug.is_empty() { Value::Null } else {
            json!({"id": p.org_id, "slug": p.org_slug, "name": p.org_name, "kind": p.org_kind})
        },
    });
    if let Some(obj) = v.as_object_mut() {
        if sees.account {
            obj.insert("admin".into(), json!(p.is_admin));
            obj.insert("status".into(), json!(p.status));
            obj.insert("locale".into(), json!(p.locale));
            obj.insert("time_zone".into(), json!(p.time_zone));
        }
        if sees.access {
            obj.insert("access_ends_at".into(), json!(p.expires_at));
            obj.insert("sponsor_id".into(), json!(p.sponsor_id));
            obj.insert("invitation_pending".into(), json!(p.invitation_pending));
        }
    }
    v
}

/// `GET /api/v1/me`: who the caller is, and with which scope.
pub async fn me(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<axum::Json<Value>, HttpError> {
    let me = super::service::get(&state.db, &caller.actor(), caller.principal.person_id).await?;
    let mut v = person_json(&me, &caller.principal);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("scope".into(), json!(caller.scope));
        obj.insert("admin".into(), json!(caller.principal.admin));
    }
    Ok(axum::Json(v))
}

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let limit = q.limit()?;
    let people =
        super::service::page(&state.db, &caller.actor(), q.q.clone(), q.after(), limit).await?;
    Ok(axum::Json(page(
        &people,
        limit,
        |p| p.id,
        |p| person_json(p, &caller.principal),
    )))
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let p = super::service::get(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(person_json(&p, &caller.principal)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPersonBody {
    email: String,
    name: String,
    organization: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    admin: bool,
    password: Option<String>,
    locale: Option<String>,
}

fn locale(raw: Option<&str>) -> Result<Option<Locale>, Error> {
    raw.map(|l| Locale::parse(l).ok_or(Error::invalid("locale", "language-invalid")))
        .transpose()
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<NewPersonBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let email = Email::parse(&body.email)?;
    let name = DisplayName::parse(&body.name)?;
    let mut new = super::service::NewPerson::new(email.clone(), name);
    new.org_slug = body.organization;
    new.title = body.title;
    new.department = body.department;
    new.phone = body.phone;
    new.admin = body.admin;
    new.locale = locale(body.locale.as_deref())?;
    new.password = body
        .password
        .as_deref()
        .map(|p| NewPassword::parse(p, &[email.as_str(), email.local_part()]))
        .transpose()?;
    let p = super::service::create(&state.db, &state.hasher, &caller.actor(), new).await?;
    Ok(created(person_json(&p, &caller.principal)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonChanges {
    name: Option<String>,
    title: Option<String>,
    department: Option<String>,
    phone: Option<String>,
    skills: Option<Vec<String>>,
    locale: Option<String>,
    /// An IANA name; empty: the instance's.
    time_zone: Option<String>,
    status: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<PersonChanges>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let actor = caller.actor();
    if let Some(status) = body.status.as_deref() {
        require_scope(&caller, Scope::Admin)?;
        let status = super::PersonStatus::parse(status)?;
        let person = super::service::get(&state.db, &actor, id).await?;
        super::service::set_status(&state.db, &actor, &Email::parse(&person.email)?, status)
            .await?;
    }
    let changes = super::service::ProfileChanges {
        time_zone: body
            .time_zone
            .as_deref()
            .map(crate::i18n::time::zone_choice)
            .transpose()?,
        name: body.name.as_deref().map(DisplayName::parse).transpose()?,
        title: body.title,
        department: body.department,
        phone: body.phone,
        skills: body.skills.map(|s| s.join(",")),
        locale: locale(body.locale.as_deref())?,
    };
    let p = super::service::update_profile(&state.db, &actor, id, changes).await?;
    Ok(axum::Json(person_json(&p, &caller.principal)))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    super::service::delete(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpaceRole {
    space: String,
    role: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    email: String,
    name: String,
    organization: String,
    #[serde(default)]
    spaces: Vec<SpaceRole>,
    sponsor: Option<String>,
    portal: Option<String>,
    access_days: Option<u32>,
    language: Option<String>,
    #[serde(default)]
    organization_confirmed: bool,
}

pub async fn invite(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<InvitationBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let spaces = body
        .spaces
        .iter()
        .map(|s| {
            Ok((
                Slug::parse(&s.space)?,
                crate::spaces::Role::parse(s.role.as_deref().unwrap_or("reader"))?,
            ))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let inv = crate::auth::invitations::Invitation {
        email: Email::parse(&body.email)?,
        name: DisplayName::parse(&body.name)?,
        org: Slug::parse(&body.organization).map_err(|_| Error::invalid("org", "org-unknown"))?,
        spaces,
        sponsor: body.sponsor.as_deref().map(Email::parse).transpose()?,
        portal: body.portal.as_deref().map(Slug::parse).transpose()?,
        access_days: body.access_days,
        locale: locale(body.language.as_deref())?,
        org_confirmed: body.organization_confirmed,
    };
    let mailer = crate::auth::invitations::Mailer {
        i18n: &state.i18n,
        config: &state.config,
        lifetime: state.config.auth.invitation_lifetime,
    };
    let sent = crate::auth::invitations::invite(
        &state.db,
        &mailer,
        &caller.actor(),
        caller.ctx.portal.id,
        inv,
    )
    .await?;
    Ok(created(
        json!({"person_id": sent.person_id, "link_expires_at": sent.expires_at}),
    ))
}
