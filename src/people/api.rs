//! `/api/v1` routes about people.

use crate::app::AppState;
use crate::server::error::HttpError;
use crate::server::extract::ApiCaller;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// `GET /api/v1/me`: who the caller is, and with which scope.
pub async fn me(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Value>, HttpError> {
    let me = super::service::get(&state.db, &caller.actor(), caller.principal.person_id).await?;
    Ok(Json(json!({
        "id": me.id,
        "email": me.email,
        "display_name": me.display_name,
        "title": me.title,
        "department": me.department,
        "locale": me.locale,
        "organization": {"id": me.org_id, "slug": me.org_slug, "name": me.org_name, "kind": me.org_kind},
        "internal": caller.principal.internal,
        "admin": caller.principal.admin,
        "scope": caller.scope,
    })))
}
