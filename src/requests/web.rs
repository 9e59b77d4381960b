//! A request's page: the request with its timeline and the forms that
//! work on it, and — for agents — the same page exactly as the customer
//! sees it.

use super::fields::FieldKind;
use super::files::RequestFile;

use super::model::{FieldValue, Named, RequestView, TimelineEntry};
use super::says::{Says, said};
use super::{conversation, service, upload, work};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

macro_rules! says {
    ($($t:ty),*) => {$(
        impl Says for $t {
            fn chrome(&self) -> &Chrome {
                &self.page
            }
        }
    )*};
}

#[derive(Template)]
#[template(path = "request.html")]
struct RequestPage {
    page: Chrome,
    r: RequestView,
    timeline: Vec<TimelineEntry>,
    statuses: Vec<Named>,
    /// An agent looking at what the customer sees.
    preview: bool,
    error: Option<String>,
    notice: Option<String>,
}
says!(RequestPage);

impl RequestPage {
    fn stars(&self) -> [i64; 5] {
        [1, 2, 3, 4, 5]
    }

    fn status_name(&self, key: &serde_json::Value) -> String {
        let key = key.as_str().unwrap_or_default();
        self.statuses
            .iter()
            .find(|s| s.key == key)
            .map(|s| self.name(s))
            .unwrap_or_else(|| key.to_string())
    }

    /// The files an entry brought, as the reader sees them.
    fn files_of(&self, e: &TimelineEntry) -> Vec<&RequestFile> {
        let Some(named) = e.entry.detail["files"].as_array() else {
            return Vec::new();
        };
        named
            .iter()
            .filter_map(|n| n["id"].as_i64())
            .filter_map(|id| self.r.files.iter().find(|f| f.id == id))
            .collect()
    }

    /// The file a file field names, when the reader sees it.
    fn field_file(&self, f: &FieldValue) -> Option<&RequestFile> {
        if f.kind != (FieldKind::File {}) {
            return None;
        }
        let id = f.value.as_i64()?;
        self.r.files.iter().find(|x| x.id == id)
    }

    /// What a timeline entry says happened.
    fn what(&self, e: &TimelineEntry) -> String {
        let tr = &self.page.tr;
        let who = self.who(&e.by);
        let d = &e.entry.detail;
        match e.entry.what.as_str() {
            // Moved by its approved flow, in Parvis's name.
            "status" if d.get("approval").is_some() => {
                tr.t1("request-moved-approved", "to", self.status_name(&d["to"]))
            }
            "status" => tr.t2(
                "request-moved",
                ("actor", who),
                ("to", self.status_name(&d["to"])),
            ),
            "note" if e.entry.internal => tr.t1("request-noted", "actor", who),
            "fields" => tr.t1("request-changed-fields", "actor", who),
            "reply" if e.entry.body.is_empty() => tr.t1("request-sent-files", "actor", who),
            "reply" => tr.t1("request-replied", "actor", who),
            "assignee" => tr.t1("request-assigned", "actor", who),
            "rating" => tr.t2(
                "request-rated",
                ("actor", who),
                ("rating", d["rating"].to_string()),
            ),
            _ => tr.t1("request-filed", "actor", who),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    view: Option<String>,
    #[serde(default)]
    notice: Option<String>,
}

const NOTICES: &[Notice] = &[
    Notice::new("filed", "request-notice-filed"),
    Notice::new("saved", "request-notice-saved"),
];

async fn request_page(
    state: &AppState,
    signed: &Signed,
    id: i64,
    preview: bool,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let r = service::get(&state.db, &actor, id, preview).await?;
    let timeline = service::timeline(&state.db, &actor, id, preview).await?;
    let statuses = service::statuses(&state.db, &actor, id).await?;
    let title = format!("{} · {}", r.item.number, r.item.title);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    render(
        status,
        &RequestPage {
            page: Chrome::new(&signed.ctx, "requests", &title),
            r,
            timeline,
            statuses,
            preview,
            error,
            notice,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let notice = notice::shown(&signed.ctx.tr, NOTICES, q.notice.as_deref());
    let preview = q.view.as_deref() == Some("customer");
    request_page(&state, &signed, id, preview, None, notice).await
}

/// What the forms of a request's page send.
#[derive(Debug, Default, Deserialize)]
pub struct Act {
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

/// After a form: back to the request, or the page again with the reason.
async fn after(
    state: &AppState,
    signed: &Signed,
    id: i64,
    done: crate::service::Result<RequestView>,
) -> Result<Response, HttpError> {
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}?notice=saved")).into_response()),
        Err(e) => {
            let error = said(&signed.ctx.tr, e)?;
            request_page(state, signed, id, false, Some(error), None).await
        }
    }
}

/// A reply or a note from the page: words, files, or both.
async fn said_with_files(
    state: &AppState,
    signed: &Signed,
    id: i64,
    req: axum::extract::Request,
    internal: bool,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let done = match upload::any_form(state, req).await {
        Ok(mut form) => {
            let body = form.one("body");
            let files = upload::batch(state, form.take_files());
            let sent = files.as_ref().map_or(0, |b| b.files.len());
            let done = if internal {
                conversation::note(&state.db, &actor, id, &body, files).await
            } else {
                conversation::reply(&state.db, &actor, id, &body, false, files).await
            };
            if let Ok(view) = &done {
                // The files sent are the request's newest.
                let from = view.files.len().saturating_sub(sent);
                super::files_web::noted(state, &actor, &view.files[from..]);
            }
            done
        }
        Err(e) => Err(e),
    };
    after(state, signed, id, done).await
}

pub async fn reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, HttpError> {
    said_with_files(&state, &signed, id, req, false).await
}

pub async fn note(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, HttpError> {
    said_with_files(&state, &signed, id, req, true).await
}

pub async fn move_to(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(f): Form<Act>,
) -> Result<Response, HttpError> {
    let done = work::move_to(&state.db, &signed.actor(), id, f.status, f.version).await;
    after(&state, &signed, id, done).await
}

/// Takes the request (an agent), or gives it back to nobody.
pub async fn take(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(f): Form<Act>,
) -> Result<Response, HttpError> {
    let to = (f.status != "release").then_some(signed.viewer.principal.person_id);
    let done = work::assign(&state.db, &signed.actor(), id, to).await;
    after(&state, &signed, id, done).await
}

pub async fn watch(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(f): Form<Act>,
) -> Result<Response, HttpError> {
    let done = work::watch(&state.db, &signed.actor(), id, f.status == "on").await;
    after(&state, &signed, id, done).await
}

pub async fn rate(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(f): Form<Act>,
) -> Result<Response, HttpError> {
    let rating = f.rating.trim().parse::<i64>().unwrap_or(0);
    let done = work::rate(&state.db, &signed.actor(), id, rating, &f.comment).await;
    after(&state, &signed, id, done).await
}
