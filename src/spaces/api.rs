//! `/api/v1/spaces` and their memberships.

use super::service::{self, MemberRef, NewSpace};
use super::{Role, Visibility};
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::service::{DisplayName, Email, Error, Slug};
use crate::web::api::{PageQuery, created, no_content, page, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path, Query};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let limit = q.limit()?;
    let spaces = service::page(&state.db, &caller.actor(), q.after(), limit).await?;
    Ok(axum::Json(page(&spaces, limit, |s| s.id, to_json)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBody {
    name: String,
    slug: Option<String>,
    #[serde(default)]
    description: String,
    visibility: Option<String>,
    #[serde(default)]
    portals: Vec<String>,
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<NewBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    let new = NewSpace {
        name: DisplayName::parse(&body.name)?,
        slug: body.slug.as_deref().map(Slug::parse).transpose()?,
        description: body.description,
        visibility: Visibility::parse(body.visibility.as_deref().unwrap_or("members"))?,
        portals: body
            .portals
            .iter()
            .map(|p| Slug::parse(p))
            .collect::<Result<_, _>>()?,
    };
    let s = service::create(&state.db, &caller.actor(), new).await?;
    Ok(created(to_json(&s)))
}

async fn detail(state: &AppState, caller: &ApiCaller, id: i64) -> Result<Value, HttpError> {
    let actor = caller.actor();
    let slug = service::slug_of(&state.db, &actor, id).await?;
    let o = service::overview(&state.db, &actor, slug.as_str()).await?;
    let mut v = to_json(&o.space);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("role".into(), json!(o.role));
        obj.insert(
            "members_visible".into(),
            json!(
                o.members
                    .iter()
                    .map(|m| json!({"kind": m.kind, "id": m.id, "name": m.name, "role": m.role}))
                    .collect::<Vec<_>>()
            ),
        );
    }
    Ok(v)
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    Ok(axum::Json(detail(&state, &caller, id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    name: Option<String>,
    description: Option<String>,
    description_fr: Option<String>,
    visibility: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Changes>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let changes = service::Changes {
        name: body.name.as_deref().map(DisplayName::parse).transpose()?,
        description: body.description,
        description_fr: body.description_fr,
        visibility: body
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?,
    };
    let s = service::update(&state.db, &caller.actor(), id, changes).await?;
    Ok(axum::Json(to_json(&s)))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Admin)?;
    service::delete(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}

pub async fn members(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    let d = detail(&state, &caller, id).await?;
    let items = d.get("members_visible").cloned().unwrap_or(json!([]));
    Ok(axum::Json(json!({"items": items, "next_after": null})))
}

/// Who a grant or a revocation names: exactly one of them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Who {
    person: Option<String>,
    group: Option<String>,
    organization: Option<String>,
    role: Option<String>,
}

impl Who {
    fn member(&self) -> Result<MemberRef, Error> {
        match (&self.person, &self.group, &self.organization) {
            (Some(p), None, None) => Ok(MemberRef::Person(Email::parse(p)?)),
            (None, Some(g), None) => Ok(MemberRef::Group(Slug::parse(g)?)),
            (None, None, Some(o)) => Ok(MemberRef::Org(Slug::parse(o)?)),
            _ => Err(Error::invalid("member", "member-one-of")),
        }
    }
}

pub async fn grant(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<Who>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let member = body.member()?;
    let role = Role::parse(body.role.as_deref().unwrap_or("reader"))?;
    let actor = caller.actor();
    let slug = service::slug_of(&state.db, &actor, id).await?;
    service::grant(&state.db, &actor, &slug, member, role).await?;
    Ok(no_content())
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(who): Query<Who>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let member = who.member()?;
    let actor = caller.actor();
    let slug = service::slug_of(&state.db, &actor, id).await?;
    if service::revoke(&state.db, &actor, &slug, member).await? {
        Ok(no_content())
    } else {
        Err(HttpError::not_found())
    }
}
