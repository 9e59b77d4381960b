//! `/api/v1/me/tokens`: a person's own access tokens.

use super::tokens::{self, Scope};
use crate::app::AppState;
use crate::service::Email;
use crate::web::api::{created, no_content, page, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

async fn own_email(state: &AppState, caller: &ApiCaller) -> Result<Email, HttpError> {
    let me =
        crate::people::service::get(&state.db, &caller.actor(), caller.principal.person_id).await?;
    Ok(Email::parse(&me.email)?)
}

pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<axum::Json<Value>, HttpError> {
    let email = own_email(&state, &caller).await?;
    let all = tokens::list(&state.db, &caller.actor(), &email).await?;
    Ok(axum::Json(page(&all, u32::MAX, |t| t.id, to_json)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBody {
    name: String,
    scope: Option<String>,
    expires_days: Option<u32>,
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<NewBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let scope = Scope::parse(body.scope.as_deref().unwrap_or("read"))?;
    // A token never mints one stronger than itself.
    require_scope(&caller, scope)?;
    let email = own_email(&state, &caller).await?;
    let t = tokens::create(
        &state.db,
        &caller.actor(),
        &email,
        &body.name,
        scope,
        body.expires_days,
    )
    .await?;
    Ok(created(json!({"id": t.id, "secret": t.secret.expose()})))
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    // Only one's own tokens here, even for administrators.
    let email = own_email(&state, &caller).await?;
    let mine = tokens::list(&state.db, &caller.actor(), &email).await?;
    if !mine.iter().any(|t| t.id == id) {
        return Err(HttpError::not_found());
    }
    tokens::revoke(&state.db, &caller.actor(), id).await?;
    Ok(no_content())
}
