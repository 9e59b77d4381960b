//! The news pages: the feed, a post with its acknowledgement, and what its
//! writers do with it (delete, remind, the report and its CSV).

use super::feed::{self, Feed, Scope};
use super::model::{Attachment, Post};
use super::report::{self, Report};
use super::says::{Says, target_label};
use super::service;
use crate::access::news::Target;
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "news.html")]
struct FeedPage {
    page: Chrome,
    feed: Feed,
    written: Vec<Post>,
    /// Shows what the reader writes, in every state.
    show_written: bool,
    writes: bool,
    older: Option<String>,
    notice: Option<String>,
}

impl Says for FeedPage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

#[derive(Deserialize)]
pub struct FeedQuery {
    view: Option<String>,
    before: Option<String>,
    notice: Option<String>,
}

const NOTICES: &[Notice] = &[
    Notice::new("deleted", "news-notice-deleted"),
    Notice::new("saved", "news-notice-saved"),
    Notice::new("acknowledged", "news-notice-acknowledged"),
];

const FEED_PAGE: u32 = 20;

fn cursor(raw: Option<&str>) -> Result<Option<(i64, i64)>, HttpError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let (t, id) = raw
        .split_once('.')
        .ok_or_else(|| HttpError::bad_request("cursor-invalid"))?;
    match (t.parse(), id.parse()) {
        (Ok(t), Ok(id)) => Ok(Some((t, id))),
        _ => Err(HttpError::bad_request("cursor-invalid")),
    }
}

pub async fn feed(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Query(q): Query<FeedQuery>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let writes = feed::writes_anywhere(&state.db, &actor).await?;
    let show_written = writes && q.view.as_deref() == Some("written");
    let scope = Scope {
        before: cursor(q.before.as_deref())?,
        ..Scope::default()
    };
    let (feed, written) = if show_written {
        (
            Feed::default(),
            feed::written(&state.db, &actor, 200).await?,
        )
    } else {
        (
            feed::feed(&state.db, &actor, scope, FEED_PAGE).await?,
            Vec::new(),
        )
    };
    let older = (feed.posts.len() as u32 == FEED_PAGE)
        .then(|| feed.posts.last())
        .flatten()
        .map(|p| format!("{}.{}", p.publish_at.unwrap_or_default(), p.id));
    let ctx = &signed.ctx;
    let page = FeedPage {
        page: Chrome::new(ctx, "news", ctx.tr.t("news-title")),
        notice: notice::shown(&ctx.tr, NOTICES, q.notice.as_deref()),
        feed,
        written,
        show_written,
        writes,
        older,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "news_post.html")]
struct PostPage {
    page: Chrome,
    post: Post,
    html: String,
    audiences: Vec<String>,
    files: Vec<Attachment>,
    writes: bool,
    notice: Option<String>,
    /// The comments section (HTML), once the post is published.
    comments: String,
}

impl Says for PostPage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

impl PostPage {
    fn size(&self, bytes: &i64) -> String {
        crate::i18n::human_size(*bytes, self.page.tr.locale)
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

const POST_NOTICES: &[Notice] = &[
    Notice::new("saved", "news-notice-saved"),
    Notice::new("acknowledged", "news-notice-acknowledged"),
    Notice::new("reminded", "news-notice-reminded"),
];

/// The names of a post's audiences, for its writers.
async fn audience_names(
    state: &AppState,
    signed: &Signed,
    targets: &[Target],
) -> Result<Vec<String>, HttpError> {
    let names = super::service::target_names(&state.db, &signed.actor(), targets.to_vec()).await?;
    Ok(targets
        .iter()
        .zip(names)
        .map(|(t, n)| target_label(&signed.ctx.tr, *t, n.as_deref()))
        .collect())
}

pub async fn show(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    let full = service::get(&state.db, &signed.actor(), id).await?;
    let audiences = if full.writes {
        audience_names(&state, &signed, &full.targets).await?
    } else {
        Vec::new()
    };
    let comments = if full
        .post
        .publish_at
        .is_some_and(|t| t <= crate::util::now_ms())
    {
        let on = crate::comments::model::On {
            kind: super::KIND.name.to_string(),
            id,
        };
        crate::comments::section(&state, &signed, on).await?
    } else {
        String::new()
    };
    let ctx = &signed.ctx;
    let page = PostPage {
        comments,
        page: Chrome::new(ctx, "news", &full.post.title),
        html: full.post.html(),
        post: full.post,
        audiences,
        files: full.files,
        writes: full.writes,
        notice: notice::shown(&ctx.tr, POST_NOTICES, q.notice.as_deref()),
    };
    render(StatusCode::OK, &page)
}

pub async fn acknowledge(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    service::acknowledge(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to(&format!("/news/{id}?notice=acknowledged")).into_response())
}

pub async fn delete(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    service::delete(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to("/news?notice=deleted").into_response())
}

pub async fn remind(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    report::remind(&state.db, &signed.actor(), id).await?;
    Ok(Redirect::to(&format!("/news/{id}/report?notice=reminded")).into_response())
}

#[derive(Template)]
#[template(path = "news_report.html")]
struct ReportPage {
    page: Chrome,
    report: Report,
    audiences: Vec<(String, i64, i64)>,
    notice: Option<String>,
}

impl ReportPage {
    fn summary(&self) -> String {
        self.page.tr.t2(
            "news-report-summary",
            ("done", self.report.acknowledged),
            ("total", self.report.people),
        )
    }
}

/// People listed on the page; the CSV has them all.
const REPORT_ROWS: usize = 1000;

pub async fn report_page(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, HttpError> {
    let mut report = report::report(&state.db, &signed.actor(), id).await?;
    let ctx = &signed.ctx;
    let audiences = report
        .audiences
        .iter()
        .map(|a| {
            (
                target_label(&ctx.tr, a.target, a.name.as_deref()),
                a.people,
                a.acknowledged,
            )
        })
        .collect();
    report.readers.truncate(REPORT_ROWS);
    let page = ReportPage {
        page: Chrome::new(ctx, "news", ctx.tr.t("news-report-title")),
        audiences,
        notice: notice::shown(&ctx.tr, POST_NOTICES, q.notice.as_deref()),
        report,
    };
    render(StatusCode::OK, &page)
}

pub async fn report_csv(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let report = report::report(&state.db, &signed.actor(), id).await?;
    let name = format!("acknowledgements-{id}.csv");
    let mut res = crate::web::download::csv(&name, report::csv(&report));
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

pub async fn cover(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (content_type, data, etag) = service::cover(&state.db, &signed.actor(), id).await?;
    Ok(crate::web::stored_image::respond(
        &headers,
        &etag,
        &content_type,
        data,
        "private, no-cache",
    ))
}

/// An attachment, always as a download: it never runs as a page here.
pub async fn file(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    let (name, data) = service::file(&state.db, &signed.actor(), id, file).await?;
    Ok(crate::web::download::attachment(&name, data))
}
