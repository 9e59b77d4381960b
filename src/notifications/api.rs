//! `/api/v1/notifications`.

use super::service;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::web::api::{no_content, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Path, Query};
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub before: Option<i64>,
    pub limit: Option<u32>,
}

/// Newest first; `next_before` pages on.
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let limit = match q.limit {
        None => 50,
        Some(n) if (1..=100).contains(&n) => n,
        Some(_) => return Err(HttpError::bad_request("limit-invalid")),
    };
    let items = service::list(
        &state.db,
        state.kinds,
        &caller.principal,
        q.before.unwrap_or(0),
        limit,
    )
    .await?;
    let next = (items.len() as u32 >= limit)
        .then(|| items.last().map(|n| n.id))
        .flatten();
    Ok(axum::Json(
        json!({"items": to_json(&items), "next_before": next}),
    ))
}

pub async fn read(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let shown = service::mark_read(&state.db, state.kinds, &caller.principal, Some(id))
        .await?
        .ok_or_else(HttpError::not_found)?;
    Ok(axum::Json(to_json(&shown)))
}

pub async fn read_all(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<axum::response::Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    service::mark_read(&state.db, state.kinds, &caller.principal, None).await?;
    Ok(no_content())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesBody {
    #[serde(default)]
    pub topics: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub spaces: std::collections::BTreeMap<String, String>,
}

pub async fn preferences(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<axum::Json<Value>, HttpError> {
    let choices = super::choices::choices(&state.db, state.kinds, &caller.principal).await?;
    Ok(axum::Json(to_json(&choices)))
}

pub async fn set_preferences(
    State(state): State<AppState>,
    caller: ApiCaller,
    crate::web::extract::Json(body): crate::web::extract::Json<PreferencesBody>,
) -> Result<axum::Json<Value>, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let mut change = super::choices::Change {
        topics: body.topics.into_iter().collect(),
        ..super::choices::Change::default()
    };
    for (space, level) in body.spaces {
        let id = space
            .parse()
            .map_err(|_| HttpError::bad_request("notification-space-invalid"))?;
        change.spaces.push((id, level));
    }
    let choices = super::choices::change(
        &state.db,
        state.kinds,
        &caller.principal,
        change,
        state.time_zone.clone(),
    )
    .await?;
    Ok(axum::Json(to_json(&choices)))
}
