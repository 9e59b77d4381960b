//! A document's page (versions, preview, shares) and what it offers: rename,
//! describe, move, copy, trash, lock.

use super::model::FileName;
use super::service::{self};
use super::web::{back, fixable};
use crate::access::{self, SpaceAction};
use crate::app::AppState;
use crate::i18n::human_size;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    page: Chrome,
    doc: super::Document,
    space_slug: String,
    versions: Vec<super::Version>,
    can_write: bool,
    can_manage: bool,
    /// Checked out by the viewer.
    mine: bool,
    /// "Checked out by … until …", when someone else holds it.
    held: Option<String>,
    folders: Vec<(i64, String)>,
    spaces: Vec<crate::spaces::Space>,
    /// The portal allows public share links.
    share_allowed: bool,
    /// The current version's preview.
    preview: super::preview::Preview,
    notice: Option<String>,
    error: Option<String>,
    /// The comments section (HTML).
    comments: String,
}

impl DocumentPage {
    fn size(&self, bytes: &i64) -> String {
        human_size(*bytes, self.page.tr.locale)
    }

    fn in_folder(&self, id: &i64) -> bool {
        self.doc.folder_id == Some(*id)
    }
}

#[derive(Deserialize)]
pub struct DocQuery {
    pub(super) notice: Option<String>,
    share_error: Option<String>,
}

const DOC_NOTICES: &[Notice] = &[
    Notice::new("restored", "notice-docs-restored"),
    Notice::new("renamed", "notice-docs-renamed"),
    Notice::new("moved", "notice-docs-moved"),
    Notice::new("copied", "notice-docs-copied"),
    Notice::new("locked", "notice-docs-locked"),
    Notice::new("unlocked", "notice-docs-unlocked"),
    Notice::new("described", "notice-docs-described"),
    Notice::new("new-version", "notice-docs-new-version"),
];

pub(super) async fn document_page(
    state: &AppState,
    signed: &Signed,
    id: i64,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let (doc, versions, role) = service::details(&state.db, &actor, id).await?;
    state
        .adoption
        .in_space(signed.viewer.principal.person_id, doc.space_id);
    let folders = service::folder_choices(&state.db, &actor, doc.space_id).await?;
    let spaces = crate::spaces::service::list(&state.db, &actor, None, 500).await?;
    let space_slug = spaces
        .iter()
        .find(|s| s.id == doc.space_id)
        .map(|s| s.slug.clone())
        .unwrap_or_default();
    let preview = match versions.iter().find(|v| v.number == doc.current_version) {
        Some(v) => super::preview::of(&state.blobs, v).await?,
        None => super::preview::Preview::None,
    };
    let on = crate::comments::model::On {
        kind: super::KIND.name.to_string(),
        id,
    };
    let comments = crate::comments::section(state, signed, on).await?;
    let chrome = Chrome::new(&signed.ctx, "spaces", &doc.name);
    let me = signed.viewer.principal.person_id;
    let live = doc.locked_until.filter(|t| *t > crate::util::now_ms());
    let held = match (live, doc.locked_by) {
        (Some(until), Some(by)) if by != me => Some(signed.ctx.tr.t2(
            "docs-locked-by",
            ("name", doc.locked_by_name.clone().unwrap_or_default()),
            ("until", chrome.datetime(&until)),
        )),
        _ => None,
    };
    let page = DocumentPage {
        mine: live.is_some() && doc.locked_by == Some(me),
        held,
        can_write: access::can(role, SpaceAction::Contribute),
        can_manage: access::can(role, SpaceAction::Manage),
        page: chrome,
        space_slug,
        doc,
        versions,
        folders,
        spaces,
        share_allowed: signed.ctx.portal.share_links,
        preview,
        notice,
        error,
        comments,
    };
    render(status, &page)
}

pub async fn document(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<DocQuery>,
) -> Result<Response, HttpError> {
    let notice = notice::shown(&signed.ctx.tr, DOC_NOTICES, q.notice.as_deref());
    let error = q
        .share_error
        .as_deref()
        .filter(|c| c.starts_with("share-") || c.starts_with("password-"))
        .map(|c| signed.ctx.tr.t(&format!("error-{c}")).to_string());
    document_page(&state, &signed, id, StatusCode::OK, notice, error).await
}

/// After a change on the document page: back there with a notice, or the error shown there.
async fn after(
    state: &AppState,
    signed: &Signed,
    id: i64,
    result: crate::service::Result<()>,
    notice: &str,
) -> Result<Response, HttpError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/files/{id}?notice={notice}")).into_response()),
        Err(e) => match fixable(signed, &e) {
            Some(text) => {
                let status = crate::web::error::status_of(&e);
                document_page(state, signed, id, status, None, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

/// A new name, for a document or a folder.
#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    pub(super) name: String,
}

pub async fn rename(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<NameForm>,
) -> Result<Response, HttpError> {
    let result = match FileName::parse(&form.name) {
        Ok(name) => service::rename(&state.db, &signed.actor(), id, name).await,
        Err(e) => Err(e),
    };
    after(&state, &signed, id, result, "renamed").await
}

#[derive(Deserialize)]
pub struct DescribeForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    tags: String,
}

pub async fn describe(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<DescribeForm>,
) -> Result<Response, HttpError> {
    let result = service::describe(
        &state.db,
        &signed.actor(),
        id,
        &form.description,
        &form.tags,
    )
    .await;
    after(&state, &signed, id, result, "described").await
}

#[derive(Deserialize)]
pub struct MoveForm {
    /// A folder id, or empty for the library root.
    #[serde(default)]
    folder: String,
}

pub async fn relocate(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<MoveForm>,
) -> Result<Response, HttpError> {
    let (doc, _, _) = service::details(&state.db, &signed.actor(), id).await?;
    let folder = form.folder.trim().parse::<i64>().ok();
    let result =
        service::relocate(&state.db, &signed.actor(), id, doc.space_id, folder, None).await;
    after(&state, &signed, id, result, "moved").await
}

#[derive(Deserialize)]
pub struct CopyForm {
    #[serde(default)]
    pub(super) space: String,
}

pub async fn copy(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<CopyForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let result = async {
        let target = crate::spaces::service::overview(&state.db, &actor, &form.space).await?;
        service::copy(
            &state.db,
            &actor,
            id,
            target.space.id,
            None,
            None,
            state.config.documents.space_quota_bytes,
        )
        .await
    }
    .await;
    match result {
        Ok(new) => Ok(Redirect::to(&format!("/files/{new}?notice=copied")).into_response()),
        Err(e) => after(&state, &signed, id, Err(e), "copied").await,
    }
}

pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    match service::trash(&state.db, &signed.actor(), id).await {
        Ok(d) => {
            let slug =
                crate::spaces::service::slug_of(&state.db, &signed.actor(), d.space_id).await?;
            Ok(back(slug.as_str(), d.folder_id, "trashed"))
        }
        Err(e) => after(&state, &signed, id, Err(e), "").await,
    }
}

#[derive(Deserialize)]
pub struct LockForm {
    #[serde(default)]
    action: String,
}

pub async fn lock(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<LockForm>,
) -> Result<Response, HttpError> {
    let on = form.action == "lock";
    let result = service::lock(
        &state.db,
        &signed.actor(),
        id,
        on,
        state.config.documents.lock_duration,
    )
    .await;
    after(
        &state,
        &signed,
        id,
        result,
        if on { "locked" } else { "unlocked" },
    )
    .await
}
