//! A space's library page: a folder's sub-folders and files (keyset
//! pages), and folder creation.

use super::model::{FileName, ReviewState};
use super::service::{self};
use crate::access::{self, SpaceAction};
use crate::app::AppState;
use crate::service::Error;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const PAGE: u32 = 100;

#[derive(Deserialize, Default)]
pub struct LibraryQuery {
    pub(super) folder: Option<i64>,
    pub(super) after_name: Option<String>,
    pub(super) after_id: Option<i64>,
    pub(super) notice: Option<String>,
    /// Only files in this review state.
    pub(super) state: Option<String>,
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
    /// The review state the files shown are in, when narrowed.
    state: Option<ReviewState>,
    states: [ReviewState; 5],
    /// In a folder, for the space's managers: its restriction and who may be listed.
    restriction: Option<(
        super::folders::Restriction,
        Vec<crate::spaces::model::MemberRow>,
    )>,
}

impl LibraryPage {
    fn size(&self, bytes: &i64) -> String {
        crate::i18n::human_size(*bytes, self.page.tr.locale)
    }

    fn chosen(&self, s: &ReviewState) -> bool {
        self.state == Some(*s)
    }

    /// Whether a member is listed on the current folder's restriction.
    fn listed(&self, m: &crate::spaces::model::MemberRow) -> bool {
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

pub(super) async fn space_of(
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

const LIBRARY_NOTICES: &[Notice] = &[
    Notice::new("uploaded", "notice-docs-uploaded"),
    Notice::new("folder-created", "notice-docs-folder-created"),
    Notice::new("trashed", "notice-docs-trashed"),
    Notice::new("folder-renamed", "notice-docs-folder-renamed"),
    Notice::new("folder-moved", "notice-docs-folder-moved"),
    Notice::new("folder-restricted", "notice-docs-folder-restricted"),
];

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
    let wanted = ReviewState::filter(q.state.as_deref())?;
    let lib = service::library(
        &state.db,
        &signed.actor(),
        space.id,
        q.folder,
        after,
        wanted,
        PAGE,
    )
    .await?;
    state
        .adoption
        .in_space(signed.viewer.principal.person_id, space.id);
    let next = lib.next.as_ref().and_then(|(name, id)| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(f) = q.folder {
            pairs.push(("folder", f.to_string()));
        }
        if let Some(s) = wanted {
            pairs.push(("state", s.as_str().to_string()));
        }
        pairs.push(("after_name", name.clone()));
        pairs.push(("after_id", id.to_string()));
        serde_urlencoded::to_string(&pairs).ok()
    });
    let notice = notice::shown(&signed.ctx.tr, LIBRARY_NOTICES, q.notice.as_deref());
    let actor = signed.actor();
    let (moves, restriction) = match &lib.folder {
        Some(f) if access::can(lib.role, SpaceAction::Contribute) => {
            let moves = service::folder_choices(&state.db, &actor, space.id)
                .await?
                .into_iter()
                .filter(|(id, _)| {
                    // Not into itself nor below it, and not where it already is.
                    Some(*id) != f.parent_id && !lib.subtree_ids.contains(id)
                })
                .collect();
            let restriction = if access::can(lib.role, SpaceAction::Manage) {
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
        can_write: access::can(lib.role, SpaceAction::Contribute),
        space,
        lib,
        notice,
        error,
        next,
        moves,
        restriction,
        state: wanted,
        states: ReviewState::ALL,
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
    crate::web::error::fixable_text(&signed.ctx.tr, e)
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
                    ..Default::default()
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
