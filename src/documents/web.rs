//! Library pages: a folder's sub-folders and files (keyset pages), folder
//! creation, uploads streamed from a plain multipart form straight to the blob
//! store, a document's versions, and downloads with ranges, ETags, a safe
//! Content-Disposition and no active content ever rendered inline.

use super::model::{FileName, inline_safe};
use super::service::{self, UploadTarget};
use crate::app::AppState;
use crate::blobs::Sink;
use crate::server::error::HttpError;
use crate::server::extract::{Form, Path, Query, Signed};
use crate::server::notice::{self, Notice};
use crate::server::page::{Chrome, render};
use crate::service::Error;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const PAGE: u32 = 100;

#[derive(Deserialize, Default)]
pub struct LibraryQuery {
    pub(super) folder: Option<i64>,
    pub(super) after_name: Option<String>,
    pub(super) after_id: Option<i64>,
    pub(super) notice: Option<String>,
}

#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    page: Chrome,
    space: crate::spaces::Space,
    lib: service::Library,
    can_write: bool,
    notice: Option<String>,
    error: Option<String>,
    /// The `?…` of the next page, if any.
    next: Option<String>,
    /// In a folder the viewer may change: where it may move to.
    moves: Vec<(i64, String)>,
    /// In a folder, for the space's managers: its restriction and who may be listed.
    restriction: Option<(
        super::folders::Restriction,
        Vec<crate::spaces::store::MemberRow>,
    )>,
}

impl LibraryPage {
    fn size(&self, bytes: &i64) -> String {
        human_size(*bytes, self.page.tr.locale)
    }

    /// Whether a member is listed on the current folder's restriction.
    fn listed(&self, m: &crate::spaces::store::MemberRow) -> bool {
        self.restriction.as_ref().is_some_and(|(r, _)| {
            let list = if m.kind == "group" {
                &r.groups
            } else {
                &r.people
            };
            list.iter().any(|(id, _)| *id == m.id)
        })
    }
}

/// "1.4 MB" / "1,4 Mo".
pub fn human_size(bytes: i64, locale: crate::service::Locale) -> String {
    let units_en = ["B", "KB", "MB", "GB", "TB"];
    let units_fr = ["o", "Ko", "Mo", "Go", "To"];
    let units = if locale == crate::service::Locale::Fr {
        units_fr
    } else {
        units_en
    };
    let mut v = bytes.max(0) as f64;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    let text = if i == 0 {
        format!("{v:.0} {}", units[i])
    } else {
        format!("{v:.1} {}", units[i])
    };
    if locale == crate::service::Locale::Fr {
        text.replace('.', ",")
    } else {
        text
    }
}

async fn space_of(
    state: &AppState,
    signed: &Signed,
    slug: &str,
) -> Result<crate::spaces::Space, HttpError> {
    Ok(
        crate::spaces::service::overview(&state.db, &signed.actor(), slug)
            .await?
            .space,
    )
}

pub(super) async fn library_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    q: &LibraryQuery,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let space = space_of(state, signed, slug).await?;
    let after = match (&q.after_name, q.after_id) {
        (Some(n), Some(i)) => Some((n.clone(), i)),
        _ => None,
    };
    let lib = service::library(&state.db, &signed.actor(), space.id, q.folder, after, PAGE).await?;
    let next = lib.next.as_ref().and_then(|(name, id)| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(f) = q.folder {
            pairs.push(("folder", f.to_string()));
        }
        pairs.push(("after_name", name.clone()));
        pairs.push(("after_id", id.to_string()));
        serde_urlencoded::to_string(&pairs).ok()
    });
    let notice = notice::shown(&signed.ctx.tr, LIBRARY_NOTICES, q.notice.as_deref());
    let actor = signed.actor();
    let (moves, restriction) = match &lib.folder {
        Some(f) if lib.role >= crate::spaces::Role::Contributor => {
            let moves = service::folder_choices(&state.db, &actor, space.id)
                .await?
                .into_iter()
                .filter(|(id, _)| {
                    // Not into itself nor below it, and not where it already is.
                    Some(*id) != f.parent_id && !lib.subtree_ids.contains(id)
                })
                .collect();
            let restriction = if lib.role >= crate::spaces::Role::Manager {
                let (_, r) = super::folders::restriction(&state.db, &actor, f.id).await?;
                let members = crate::spaces::service::overview(&state.db, &actor, slug)
                    .await?
                    .members
                    .into_iter()
                    .filter(|m| m.kind != "organization")
                    .collect();
                Some((r, members))
            } else {
                None
            };
            (moves, restriction)
        }
        _ => (Vec::new(), None),
    };
    let page = LibraryPage {
        page: Chrome::new(&signed.ctx, "spaces", &space.name),
        can_write: lib.role >= crate::spaces::Role::Contributor,
        space,
        lib,
        notice,
        error,
        next,
        moves,
        restriction,
    };
    render(status, &page)
}

pub async fn library(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<LibraryQuery>,
) -> Result<Response, HttpError> {
    library_page(&state, &signed, &slug, &q, StatusCode::OK, None).await
}

pub(super) fn back(slug: &str, folder: Option<i64>, notice: &str) -> Response {
    let folder = folder.map(|f| format!("folder={f}&")).unwrap_or_default();
    Redirect::to(&format!("/spaces/{slug}/files?{folder}notice={notice}")).into_response()
}

pub(super) fn fixable(signed: &Signed, e: &Error) -> Option<String> {
    match e {
        Error::Invalid { code, .. } | Error::Conflict(code) => {
            Some(signed.ctx.tr.t(&format!("error-{code}")).to_string())
        }
        _ => None,
    }
}

/// What an upload page tells of a failure it can explain: those of
/// `fixable`, and a full disk (the same upload succeeds once room is made).
pub(super) fn upload_notice(signed: &Signed, e: &Error) -> Option<String> {
    match e {
        Error::StorageFull => Some(signed.ctx.tr.t("error-storage-full").to_string()),
        Error::TooLarge { .. } => Some(signed.ctx.tr.t("error-file-too-large").to_string()),
        Error::QuotaExceeded => Some(signed.ctx.tr.t("error-quota-exceeded").to_string()),
        _ => fixable(signed, e),
    }
}

#[derive(Deserialize)]
pub struct FolderForm {
    #[serde(default)]
    name: String,
    parent: Option<i64>,
}

pub async fn create_folder(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(form): Form<FolderForm>,
) -> Result<Response, HttpError> {
    let space = space_of(&state, &signed, &slug).await?;
    let result = match FileName::parse(&form.name) {
        Ok(name) => {
            service::create_folder(&state.db, &signed.actor(), space.id, form.parent, name).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(back(&slug, form.parent, "folder-created")),
        Err(e) => match fixable(&signed, &e) {
            Some(text) => {
                let q = LibraryQuery {
                    folder: form.parent,
                    after_name: None,
                    after_id: None,
                    notice: None,
                };
                library_page(
                    &state,
                    &signed,
                    &slug,
                    &q,
                    StatusCode::BAD_REQUEST,
                    Some(text),
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct UploadQuery {
    folder: Option<i64>,
}

/// Streams a body into the blob store (never whole in memory); returns what
/// was stored and its first bytes (to recognise the content type).
pub async fn store_stream<S, E>(
    blobs: &crate::blobs::BlobStore,
    limit: u64,
    stream: S,
) -> Result<(crate::blobs::Stored, Vec<u8>), Error>
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    use futures_util::StreamExt;
    let mut stream = std::pin::pin!(stream);
    let sink = Sink::start(blobs, limit).map_err(service::blob_error)?;
    let mut first = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                if first.len() < 512 {
                    first.extend_from_slice(&chunk[..chunk.len().min(512 - first.len())]);
                }
                if sink.send(chunk).await.is_err() {
                    // The write failed (no room, too large): the client
                    // still sending gets the answer, not a reset connection.
                    drain(stream.as_mut()).await;
                    break;
                }
            }
            Err(_) => {
                sink.abort().await;
                return Err(Error::invalid("file", "upload-interrupted"));
            }
        }
    }
    let stored = sink.finish().await.map_err(service::blob_error)?;
    Ok((stored, first))
}

/// The most of a refused body read and thrown away so that its sender gets
/// the answer; a larger one is cut off (its client may then see a reset).
const DRAIN_MAX: u64 = 64 * 1024 * 1024;
/// …and for at most this long.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(30);

/// Reads and drops the rest of a body (see `DRAIN_MAX`).
async fn drain<S, E>(mut stream: std::pin::Pin<&mut S>)
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    use futures_util::StreamExt;
    let mut left = DRAIN_MAX;
    let read = async {
        while let Some(Ok(chunk)) = stream.next().await {
            left = left.saturating_sub(chunk.len() as u64);
            if left == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, read).await;
}

/// Reads and drops the rest of a multipart body, every part left.
async fn drain_multipart(multipart: &mut Multipart) {
    let mut left = DRAIN_MAX;
    let read = async {
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(chunk)) = field.chunk().await {
                left = left.saturating_sub(chunk.len() as u64);
                if left == 0 {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, read).await;
}

/// Streams each file part of a multipart body into the blob store and
/// records it, in order; a `comment` text part applies to the files after
/// it. Stops at the first file that fails (too large, interrupted, no room,
/// a bad name), which leaves nothing; returns what was recorded before.
/// With `as_name`, every file becomes a new version of the document of that
/// name, whatever the file was called on the sender's disk.
pub async fn store_multipart(
    state: &AppState,
    actor: &crate::access::Actor,
    space_id: i64,
    folder: Option<i64>,
    as_name: Option<&FileName>,
    multipart: &mut Multipart,
) -> (Vec<(super::Document, i64)>, Option<Error>) {
    let (uploaded, failure) = store_parts(state, actor, space_id, folder, as_name, multipart).await;
    if failure.is_some() {
        // The client may still be sending the parts after the one refused.
        drain_multipart(multipart).await;
    }
    (uploaded, failure)
}

async fn store_parts(
    state: &AppState,
    actor: &crate::access::Actor,
    space_id: i64,
    folder: Option<i64>,
    as_name: Option<&FileName>,
    multipart: &mut Multipart,
) -> (Vec<(super::Document, i64)>, Option<Error>) {
    let limits = &state.config.documents;
    let mut comment = String::new();
    let mut uploaded = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return (uploaded, None),
            Err(_) => return (uploaded, Some(Error::invalid("file", "upload-interrupted"))),
        };
        let Some(raw_name) = field.file_name().map(str::to_string) else {
            // A text field: only the version comment is expected.
            if field.name() == Some("comment") {
                comment = field
                    .text()
                    .await
                    .unwrap_or_default()
                    .chars()
                    .take(500)
                    .collect();
            }
            continue;
        };
        if raw_name.is_empty() {
            continue;
        }
        // Browsers may send a path ("C:\\…\\x.pdf"); keep its last segment only to parse.
        let last = raw_name.rsplit(['/', '\\']).next().unwrap_or("");
        let parsed = match as_name {
            Some(name) => Ok(name.clone()),
            None => FileName::parse(last),
        };
        let target = match parsed {
            Ok(name) => UploadTarget {
                space_id,
                folder,
                name,
                comment: comment.clone(),
            },
            Err(e) => return (uploaded, Some(e)),
        };
        if let Err(e) =
            service::check_upload(&state.db, actor, &target, None, limits.space_quota_bytes).await
        {
            return (uploaded, Some(e));
        }
        let (stored, first) = match store_stream(&state.blobs, limits.max_file_bytes, field).await {
            Ok(done) => done,
            Err(e) => return (uploaded, Some(e)),
        };
        match service::commit_upload(
            &state.db,
            &state.blobs,
            actor,
            target,
            stored,
            first,
            limits.space_quota_bytes,
        )
        .await
        {
            Ok(done) => uploaded.push(done),
            Err(e) => return (uploaded, Some(e)),
        }
    }
}

/// The upload form: every file of a multipart form, streamed.
pub async fn upload(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<UploadQuery>,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let space = space_of(&state, &signed, &slug).await?;
    let (uploaded, failure) = store_multipart(
        &state,
        &signed.actor(),
        space.id,
        q.folder,
        None,
        &mut multipart,
    )
    .await;
    let uploaded = uploaded.len();
    match failure {
        None if uploaded > 0 => Ok(back(&slug, q.folder, "uploaded")),
        None => {
            let text = signed.ctx.tr.t("error-upload-empty").to_string();
            let lq = LibraryQuery {
                folder: q.folder,
                after_name: None,
                after_id: None,
                notice: None,
            };
            library_page(
                &state,
                &signed,
                &slug,
                &lq,
                StatusCode::BAD_REQUEST,
                Some(text),
            )
            .await
        }
        Some(e) => match upload_notice(&signed, &e) {
            Some(text) => {
                let status = upload_status(&e);
                let lq = LibraryQuery {
                    folder: q.folder,
                    after_name: None,
                    after_id: None,
                    notice: None,
                };
                library_page(&state, &signed, &slug, &lq, status, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

/// The status of a refused upload whose reason is shown in the page.
pub(super) fn upload_status(e: &Error) -> StatusCode {
    match crate::server::error::status_of(e) {
        s if s.is_client_error() || s == StatusCode::INSUFFICIENT_STORAGE => s,
        _ => StatusCode::BAD_REQUEST,
    }
}

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
    notice: Option<String>,
    share_error: Option<String>,
}

const LIBRARY_NOTICES: &[Notice] = &[
    Notice::new("uploaded", "notice-docs-uploaded"),
    Notice::new("folder-created", "notice-docs-folder-created"),
    Notice::new("trashed", "notice-docs-trashed"),
    Notice::new("folder-renamed", "notice-docs-folder-renamed"),
    Notice::new("folder-moved", "notice-docs-folder-moved"),
    Notice::new("folder-restricted", "notice-docs-folder-restricted"),
];

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
        can_write: role >= crate::spaces::Role::Contributor,
        can_manage: role >= crate::spaces::Role::Manager,
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
                let status = crate::server::error::status_of(&e);
                document_page(state, signed, id, status, None, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
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
    space: String,
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

#[derive(Template)]
#[template(path = "trash.html")]
struct TrashPage {
    page: Chrome,
    space: crate::spaces::Space,
    items: Vec<(super::Document, String)>,
    folders: Vec<(super::Folder, String)>,
    notice: Option<String>,
    error: Option<String>,
}

pub async fn trash(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<DocQuery>,
) -> Result<Response, HttpError> {
    trash_page(&state, &signed, &slug, StatusCode::OK, q.notice, None).await
}

pub(super) async fn trash_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let space = space_of(state, signed, slug).await?;
    let chrome = Chrome::new(&signed.ctx, "spaces", signed.ctx.tr.t("docs-trash"));
    let items = service::trash_of(&state.db, &signed.actor(), space.id)
        .await?
        .into_iter()
        .map(|(d, at)| {
            let when = chrome.datetime(&at);
            (d, when)
        })
        .collect();
    let folders = super::folders::trashed(&state.db, &signed.actor(), space.id)
        .await?
        .into_iter()
        .map(|(f, at)| {
            let when = chrome.datetime(&at);
            (f, when)
        })
        .collect();
    let notice = notice
        .filter(|n| n == "untrashed")
        .map(|n| signed.ctx.tr.t(&format!("notice-docs-{n}")).to_string());
    render(
        status,
        &TrashPage {
            page: chrome,
            space,
            items,
            folders,
            notice,
            error,
        },
    )
}

pub async fn untrash(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<CopyForm>,
) -> Result<Response, HttpError> {
    let result = service::untrash(&state.db, &signed.actor(), id).await;
    after_untrash(&state, &signed, &form.space, result).await
}

/// Back to the trash with a notice, or the trash again with the reason.
pub(super) async fn after_untrash(
    state: &AppState,
    signed: &Signed,
    space: &str,
    result: crate::service::Result<()>,
) -> Result<Response, HttpError> {
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/spaces/{space}/files/trash?notice=untrashed")).into_response(),
        ),
        Err(e) => match fixable(signed, &e) {
            Some(text) => {
                trash_page(state, signed, space, StatusCode::CONFLICT, None, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct RestoreForm {
    version: i64,
}

pub async fn restore(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, HttpError> {
    service::restore_version(&state.db, &signed.actor(), id, form.version).await?;
    Ok(Redirect::to(&format!("/files/{id}?notice=restored")).into_response())
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    v: Option<i64>,
    inline: Option<u8>,
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded`.
pub fn content_disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// One `bytes=a-b` range within `len`, or why not.
fn range(headers: &HeaderMap, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(raw) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some(spec) = raw.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        // Several ranges: serve the whole file, as the RFC allows.
        return Ok(None);
    }
    let (a, b) = spec.split_once('-').ok_or(())?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().map_err(|_| ())?;
            if n == 0 {
                return Err(());
            }
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        (s, "") => (s.parse().map_err(|_| ())?, len.saturating_sub(1)),
        (s, e) => (
            s.parse().map_err(|_| ())?,
            e.parse::<u64>().map_err(|_| ())?.min(len.saturating_sub(1)),
        ),
    };
    if len == 0 || start > end || start >= len {
        return Err(());
    }
    Ok(Some((start, end)))
}

pub async fn download(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    serve(
        &state,
        &signed.actor(),
        id,
        q.v,
        q.inline == Some(1),
        &headers,
    )
    .await
}

/// A version's content as an HTTP response (pages and API alike).
pub async fn serve(
    state: &AppState,
    actor: &crate::access::Actor,
    id: i64,
    number: Option<i64>,
    want_inline: bool,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let (doc, version) = service::for_download(&state.db, actor, id, number).await?;
    respond(state, &doc, &version, want_inline, headers).await
}

/// The response carrying a version's content, once access was decided.
pub async fn respond(
    state: &AppState,
    doc: &super::Document,
    version: &super::Version,
    want_inline: bool,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let etag = format!("\"{}\"", version.blob_hash);
    let len = version.size.max(0) as u64;
    let fresh = crate::server::stored_image::fresh(headers, &etag);
    let inline = want_inline && inline_safe(&version.content_type);
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut file = service::open_blob(&state.blobs, version).await?;
        match range(headers, len) {
            Err(()) => {
                let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    r.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return Ok(r);
            }
            Ok(Some((start, end))) => {
                file.seek(std::io::SeekFrom::Start(start))
                    .await
                    .map_err(|_| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
                let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(
                    file.take(end - start + 1),
                ));
                let mut r = (StatusCode::PARTIAL_CONTENT, body).into_response();
                let h = r.headers_mut();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                    h.insert(header::CONTENT_RANGE, v);
                }
                h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start + 1));
                r
            }
            Ok(None) => {
                let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
                let mut r = body.into_response();
                r.headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
                r
            }
        }
    };
    let h = res.headers_mut();
    let ct = if inline {
        version.content_type.as_str()
    } else {
        "application/octet-stream"
    };
    if let Ok(v) = HeaderValue::from_str(ct) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&doc.name, inline)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    // Whatever the file holds, it never runs as a page of this origin. A PDF
    // shown inline is the exception that proves it: browsers refuse to start
    // their PDF viewer in a sandbox, and that viewer runs apart from the
    // page's origin anyway; it may be framed by the document page only.
    if inline && version.content_type == "application/pdf" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
            ),
        );
        h.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    } else {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}

/// The thumbnail of a document's image (current version, or `?v=`), made on
/// first request and cached.
pub async fn thumbnail(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (_, version) = service::for_download(&state.db, &signed.actor(), id, q.v).await?;
    let (hash, ct) = super::preview::thumbnail(&state.db, &state.blobs, &version).await?;
    let data = {
        use tokio::io::AsyncReadExt;
        let mut blob = state
            .blobs
            .open_async(&hash)
            .await
            .map_err(service::blob_error)?
            .ok_or_else(|| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        let mut data = Vec::new();
        blob.read_to_end(&mut data)
            .await
            .map_err(|_| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        data
    };
    Ok(crate::server::stored_image::respond(
        &headers,
        &hash,
        &ct,
        data,
        "private, max-age=86400",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_never_break_the_header() {
        let d = content_disposition("rapport \"final\"\r\n été.pdf", false);
        assert!(
            d.starts_with("attachment; filename=\"rapport _final___ _t_.pdf\""),
            "{d}"
        );
        assert!(d.contains("filename*=UTF-8''rapport%20%22final%22%0D%0A%20%C3%A9t%C3%A9%2Epdf"));
        assert!(HeaderValue::from_str(&d).is_ok());
    }

    #[test]
    fn ranges() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::RANGE, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(range(&HeaderMap::new(), 10), Ok(None));
        assert_eq!(range(&h("bytes=0-3"), 10), Ok(Some((0, 3))));
        assert_eq!(range(&h("bytes=5-"), 10), Ok(Some((5, 9))));
        assert_eq!(range(&h("bytes=-4"), 10), Ok(Some((6, 9))));
        assert_eq!(range(&h("bytes=8-100"), 10), Ok(Some((8, 9))));
        assert_eq!(range(&h("bytes=10-"), 10), Err(()));
        assert_eq!(range(&h("bytes=5-2"), 10), Err(()));
        assert_eq!(range(&h("bytes=x-y"), 10), Err(()));
        assert_eq!(range(&h("bytes=0-1,3-4"), 10), Ok(None));
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(999, crate::service::Locale::En), "999 B");
        assert_eq!(human_size(1_400_000, crate::service::Locale::Fr), "1,4 Mo");
    }
}
