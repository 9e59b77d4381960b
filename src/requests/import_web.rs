//! Importing requests from a CSV: `POST /api/v1/requests/{type}/import`
//! (the body is the file) and the page `/requests/import`, each with a dry
//! run that names every bad line and changes nothing.

use super::import::{self, Report};
use super::says::{Says, said};
use super::upload;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::service::Error;
use crate::web::api::{require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The largest CSV read.
const MAX_CSV: usize = 16 * 1024 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    space: i64,
    #[serde(default)]
    dry_run: bool,
}

/// 200 with the report when every line holds (kept, or would be on a dry
/// run); 422 with it when a line is refused (nothing kept).
pub async fn import_api(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(type_key): Path<String>,
    Query(q): Query<ImportQuery>,
    body: Body,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let bytes = axum::body::to_bytes(body, MAX_CSV)
        .await
        .map_err(|_| Error::TooLarge { field: "file" })?;
    let report = import::import(
        &state.db,
        &caller.actor(),
        &type_key,
        q.space,
        bytes.to_vec(),
        q.dry_run,
    )
    .await?;
    let status = if report.refused > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(to_json(&report))).into_response())
}

#[derive(Template)]
#[template(path = "request_import.html")]
struct ImportPage {
    page: Chrome,
    types: Vec<(String, String)>,
    spaces: Vec<(i64, String)>,
    chosen_type: String,
    chosen_space: Option<i64>,
    report: Option<Report>,
    error: Option<String>,
}

impl Says for ImportPage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

impl ImportPage {
    fn is_space(&self, id: &i64) -> bool {
        self.chosen_space == Some(*id)
    }

    fn outcome_key(&self, l: &import::Line) -> &'static str {
        match l.outcome {
            "created" => "request-import-created",
            "changed" => "request-import-changed",
            _ => "request-import-unchanged",
        }
    }

    /// Why a line was refused, in the reader's language.
    fn why(&self, l: &import::Line) -> String {
        let tr = &self.page.tr;
        match (l.code, &l.field) {
            (Some(code), Some(field)) => tr.t1(&format!("error-{code}"), "item", field.clone()),
            (Some(code), None) => tr.t(&format!("error-{code}")).to_string(),
            _ => String::new(),
        }
    }
}

async fn page(
    state: &AppState,
    signed: &Signed,
    chosen: (String, Option<i64>),
    report: Option<Report>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let (types, spaces) = import::choices(&state.db, &signed.actor(), signed.ctx.tr.locale).await?;
    let title = signed.ctx.tr.t("request-import-title").to_string();
    let status = match (&error, &report) {
        (Some(_), _) => StatusCode::BAD_REQUEST,
        (_, Some(r)) if r.refused > 0 => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    render(
        status,
        &ImportPage {
            page: Chrome::new(&signed.ctx, "requests", &title),
            types,
            spaces,
            chosen_type: chosen.0,
            chosen_space: chosen.1,
            report,
            error,
        },
    )
}

pub async fn form(State(state): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    page(&state, &signed, (String::new(), None), None, None).await
}

pub async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    req: axum::extract::Request,
) -> Result<Response, HttpError> {
    let form = match upload::csv_form(&state, req, MAX_CSV).await {
        Ok(f) => f,
        Err(e) => {
            let e = said(&signed.ctx.tr, e)?;
            return page(&state, &signed, (String::new(), None), None, Some(e)).await;
        }
    };
    let type_key = form.one("type");
    let space = form.one("space").parse::<i64>().ok();
    let chosen = (type_key.clone(), space);
    let Some(space) = space.filter(|_| !type_key.is_empty()) else {
        let e = said(
            &signed.ctx.tr,
            Error::invalid("space", "request-import-choose"),
        )?;
        return page(&state, &signed, chosen, None, Some(e)).await;
    };
    let dry_run = form.one("mode") != "import";
    let done = import::import(
        &state.db,
        &signed.actor(),
        &type_key,
        space,
        form.file,
        dry_run,
    )
    .await;
    match done {
        Ok(report) => page(&state, &signed, chosen, Some(report), None).await,
        Err(e) => {
            let e = said(&signed.ctx.tr, e)?;
            page(&state, &signed, chosen, None, Some(e)).await
        }
    }
}
