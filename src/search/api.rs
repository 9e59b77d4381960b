//! `GET /api/v1/search` and `GET /api/v1/search/suggest`.

use super::web::SearchQuery;
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Query};
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn search(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<SearchQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let request = q.request(caller.ctx.tr.locale, state.kinds);
    let results = super::search(&state, &caller.actor(), request.clone()).await?;
    Ok(axum::Json(json!({
        "total": results.total,
        "page": request.page,
        "page_size": super::query::PAGE,
        "items": results.hits,
        "facets": {
            "type": results.facets.kinds.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "space": results.facets.spaces.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "ext": results.facets.exts.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "state": results.facets.states.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "author": results.facets.authors.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "changed_within_days": results.facets.dates.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
        },
    })))
}

#[derive(Deserialize)]
pub struct SuggestQuery {
    q: Option<String>,
}

pub async fn suggest(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<SuggestQuery>,
) -> Result<axum::Json<Value>, HttpError> {
    let items = super::suggest(&state, &caller.actor(), q.q.unwrap_or_default()).await?;
    Ok(axum::Json(json!({ "items": items })))
}
