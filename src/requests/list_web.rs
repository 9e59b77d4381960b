//! The requests list: what the reader sees, filtered, with its CSV, the
//! reader's saved views and, for agents, changes to many rows at once.

use super::bulk::{self, Bulk, Choices};
use super::list::{self, Filter};
use super::model::Item;
use super::says::{Says, said};
use super::views::{self, View};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "requests.html")]
struct ListPage {
    page: Chrome,
    items: Vec<Item>,
    filter: Filter,
    /// The filter as a query string (for the CSV and the next page).
    query: String,
    next: Option<String>,
    /// The reader's saved views.
    views: Vec<View>,
    /// What agents may change in bulk: statuses and priorities of the
    /// types (key, name in the reader's language).
    bulk: Option<(Choices, Choices)>,
    /// What the last bulk change or saved view did.
    said: Option<String>,
    error: Option<String>,
}

impl Says for ListPage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

impl ListPage {
    fn on(&self, v: &Option<bool>) -> bool {
        *v == Some(true)
    }
}

fn query_of(f: &Filter) -> String {
    serde_urlencoded::to_string(f).unwrap_or_default()
}

pub async fn list_page(
    State(state): State<AppState>,
    signed: Signed,
    Query(filter): Query<Filter>,
) -> Result<Response, HttpError> {
    list_view(&state, &signed, filter, None, None).await
}

async fn list_view(
    state: &AppState,
    signed: &Signed,
    filter: Filter,
    said: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let page = list::list(&state.db, &actor, filter.clone()).await?;
    let views = views::mine(&state.db, &actor).await?;
    let bulk = if signed
        .ctx
        .viewer
        .as_ref()
        .is_some_and(|v| v.principal.internal)
    {
        Some(bulk::choices(&state.db, signed.ctx.tr.code()).await?)
    } else {
        None
    };
    let title = signed.ctx.tr.t("requests-title").to_string();
    let status = super::says::status_for(&error);
    render(
        status,
        &ListPage {
            page: Chrome::new(&signed.ctx, "requests", &title),
            items: page.items,
            query: query_of(&filter),
            filter,
            next: page.next,
            views,
            bulk,
            said,
            error,
        },
    )
}

/// The first value a form sent for `name`, trimmed.
fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// The filters a form carried back (`back`: the list's query string).
fn filter_of(back: &str) -> Filter {
    serde_urlencoded::from_str(back).unwrap_or_default()
}

/// `POST /requests/bulk`: the rows ticked, changed as the API's bulk does.
pub async fn bulk_submit(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let one = |k: &str| field(&pairs, k);
    let filter = filter_of(&one("back"));
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(n, _)| n == "ids")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let me = signed.ctx.viewer.as_ref().map(|v| v.principal.person_id);
    let assignee = match one("assignee").as_str() {
        "me" => Some(me),
        "none" => Some(None),
        _ => None,
    };
    let change = Bulk {
        ids,
        status: Some(one("status")).filter(|s| !s.is_empty()),
        assignee,
        priority: Some(one("priority")).filter(|s| !s.is_empty()),
    };
    let tr = &signed.ctx.tr;
    match bulk::apply(&state.db, &signed.actor(), change).await {
        Ok(done) => {
            let mut told = tr.t1("requests-bulk-changed", "count", done.changed.len());
            if !done.refused.is_empty() {
                told.push(' ');
                told.push_str(&tr.t1("requests-bulk-refused", "count", done.refused.len()));
            }
            list_view(&state, &signed, filter, Some(told), None).await
        }
        Err(e) => {
            let e = said(tr, e)?;
            list_view(&state, &signed, filter, None, Some(e)).await
        }
    }
}

/// `POST /requests/views`: the list's filters saved under a name.
pub async fn view_save(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let one = |k: &str| field(&pairs, k);
    let back = one("back");
    let filter = filter_of(&back);
    match views::save(&state.db, &signed.actor(), &one("name"), &filter).await {
        Ok(v) => Ok(Redirect::to(&format!("/requests?{}", v.query)).into_response()),
        Err(e) => {
            let e = said(&signed.ctx.tr, e)?;
            list_view(&state, &signed, filter, None, Some(e)).await
        }
    }
}

/// `POST /requests/views/{id}/delete`.
pub async fn view_delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    views::delete(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to("/requests").into_response())
}

/// The list as CSV, every page of it (at most 10,000 lines), in the
/// reader's language.
pub async fn list_csv(
    State(state): State<AppState>,
    signed: Signed,
    Query(filter): Query<Filter>,
) -> Result<Response, HttpError> {
    let tr = &signed.ctx.tr;
    let lang = tr.code();
    let mut out = csv::Writer::from_writer(Vec::new());
    let head = [
        "number",
        "title",
        "type",
        "status",
        "priority",
        "requester",
        "assignee",
        "created",
        "updated",
        "closed",
        "late",
    ]
    .map(|h| tr.t(&format!("requests-csv-{h}")).to_string());
    let csv_error = |e: csv::Error| HttpError::from(crate::service::Error::Internal(e.to_string()));
    out.write_record(&head).map_err(csv_error)?;
    let mut f = Filter {
        limit: Some(500),
        ..filter
    };
    for _ in 0..20 {
        let page = list::list(&state.db, &signed.actor(), f.clone()).await?;
        for i in &page.items {
            let name = |w: &crate::talk::Writer| w.name.clone().unwrap_or_default();
            let day = |ms: i64| crate::i18n::time::iso(ms);
            out.write_record([
                i.number.clone(),
                i.title.clone(),
                i.type_.name(lang).to_string(),
                i.status.name(lang).to_string(),
                i.priority.name(lang).to_string(),
                name(&i.requester),
                i.assignee.as_ref().map(name).unwrap_or_default(),
                day(i.created_at),
                day(i.updated_at),
                i.closed_at.map(day).unwrap_or_default(),
                if i.breached { "1" } else { "0" }.to_string(),
            ])
            .map_err(csv_error)?;
        }
        match page.next {
            Some(n) => f.before = Some(n),
            None => break,
        }
    }
    let body = out
        .into_inner()
        .map_err(|e| csv_error(e.into_error().into()))?;
    Ok(crate::web::download::csv("requests.csv", body))
}
