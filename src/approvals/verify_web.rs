//! Checking an approval record in the browser (`/approvals/verify`): the
//! record file and, if given, the document, whose bytes are hashed as they
//! arrive and never kept; each check said in the reader's language. The
//! about page (`/about`) shows the keys this instance signs records with.

use super::record::Verdict;
use super::service;
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::Signed;
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;

/// The largest record read: records are a few kilobytes.
const MAX_RECORD: usize = 1 << 20;

/// One check as the page says it: its name, and whether it holds (none:
/// not asked).
struct Line {
    key: &'static str,
    holds: Option<bool>,
}

#[derive(Template)]
#[template(path = "approvals_verify.html")]
struct VerifyPage {
    page: Chrome,
    keys: Vec<super::keys::PublicKey>,
    lines: Vec<Line>,
    /// Whether everything holds, once a record was checked.
    verdict: Option<bool>,
    error: Option<String>,
}

impl VerifyPage {
    fn line(&self, l: &Line) -> String {
        let state = match l.holds {
            Some(true) => "holds",
            Some(false) => "fails",
            None => "unasked",
        };
        self.page
            .tr
            .t(&format!("approvals-verify-{}-{state}", l.key))
            .to_string()
    }
}

fn lines(v: &Verdict) -> Vec<Line> {
    vec![
        Line {
            key: "readable",
            holds: Some(v.readable),
        },
        Line {
            key: "signature",
            holds: v.readable.then_some(v.signature),
        },
        Line {
            key: "key",
            holds: v.readable.then_some(v.known_key),
        },
        Line {
            key: "chain",
            holds: v.chain,
        },
        Line {
            key: "document",
            holds: v.document,
        },
    ]
}

async fn verify_page(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    verdict: Option<&Verdict>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let title = signed.ctx.tr.t("approvals-verify-title").to_string();
    let page = VerifyPage {
        page: Chrome::new(&signed.ctx, "home", &title),
        keys: service::keys(&state.db).await?,
        lines: verdict.map(lines).unwrap_or_default(),
        verdict: verdict.map(Verdict::holds),
        error,
    };
    render(status, &page)
}

/// `GET /approvals/verify`.
pub async fn form(State(state): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    verify_page(&state, &signed, StatusCode::OK, None, None).await
}

/// `POST /approvals/verify`: `record` (the file), `document` (optional).
pub async fn check(
    State(state): State<AppState>,
    signed: Signed,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let bad = |code: &'static str| HttpError::bad_request(code);
    let mut record: Option<Vec<u8>> = None;
    let mut document: Option<String> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| bad("form-invalid"))?
    {
        match field.name() {
            Some("record") => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| bad("form-invalid"))? {
                    if bytes.len() + chunk.len() > MAX_RECORD {
                        return Err(bad("approval-record-too-large"));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                record = Some(bytes).filter(|b| !b.is_empty());
            }
            Some("document") => {
                let mut hasher = blake3::Hasher::new();
                let mut any = false;
                while let Some(chunk) = field.chunk().await.map_err(|_| bad("form-invalid"))? {
                    any |= !chunk.is_empty();
                    hasher.update(&chunk);
                }
                document = any.then(|| hasher.finalize().to_hex().to_string());
            }
            _ => {}
        }
    }
    let Some(record) = record else {
        let text = signed.ctx.tr.t("error-approval-record-missing").to_string();
        return verify_page(&state, &signed, StatusCode::BAD_REQUEST, None, Some(text)).await;
    };
    let v = service::verify(&state.db, record, document).await?;
    verify_page(&state, &signed, StatusCode::OK, Some(&v), None).await
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    page: Chrome,
    keys: Vec<super::keys::PublicKey>,
    version: String,
}

/// `GET /about`: this instance, and the keys its approval records are
/// signed with (whoever holds a record can check it with the key shown).
pub async fn about(State(state): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    let title = signed.ctx.tr.t("about-title").to_string();
    let page = AboutPage {
        page: Chrome::new(&signed.ctx, "home", &title),
        keys: service::keys(&state.db).await?,
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    render(StatusCode::OK, &page)
}
