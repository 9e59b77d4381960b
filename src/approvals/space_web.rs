//! A space's approval flows (`/spaces/{slug}/approvals`): its templates
//! with their steps, and its folders bound to one (external submission),
//! which its managers bind and unbind here.

use super::service;
use crate::access::{self, SpaceAction};
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

const NOTICES: &[Notice] = &[
    Notice::new("bound", "approvals-notice-bound"),
    Notice::new("unbound", "approvals-notice-unbound"),
    Notice::new("saved", "approvals-notice-template-saved"),
];

/// A flow that works as it is, for a manager to change: one review by the
/// space's managers within three working days.
const EXAMPLE: &str = r#"{
  "steps": [
    {
      "name": "Review",
      "approvers": [{"type": "role", "role": "manager"}],
      "rule": {"type": "any"},
      "deadline_days": 3,
      "on_reject": "author"
    }
  ],
  "forbid_self_approval": true,
  "on_new_version": "restart",
  "lock_during_review": false
}"#;

/// A template as the page lists it: its name, version and steps in words.
struct TemplateView {
    id: i64,
    name: String,
    version: i64,
    steps: Vec<String>,
}

#[derive(Template)]
#[template(path = "approvals_space.html")]
struct SpacePage {
    page: Chrome,
    slug: String,
    space: String,
    templates: Vec<TemplateView>,
    /// (template id, name) to bind to.
    choices: Vec<(i64, String)>,
    bindings: Vec<super::bindings::Binding>,
    folders: Vec<(i64, String)>,
    can_manage: bool,
    /// The editor's name and definition (a template to change, what was
    /// typed, or the example).
    draft: (String, String),
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    notice: Option<String>,
    /// A template to change in the editor.
    #[serde(default)]
    edit: Option<i64>,
}

/// What the page shows besides the space: a notice or an error, and the
/// editor's content if not the example.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: Option<String>,
    draft: Option<(String, String)>,
    edit: Option<i64>,
}

async fn space_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, HttpError> {
    let Shown {
        notice,
        error,
        draft,
        edit,
    } = shown;
    let actor = signed.actor();
    let overview = crate::spaces::service::overview(&state.db, &actor, slug).await?;
    let space = overview.space;
    let templates = service::templates(&state.db, &actor, space.id).await?;
    let bindings = service::bindings(&state.db, &actor, space.id).await?;
    let can_manage = access::can(overview.role, SpaceAction::Manage);
    let folders = if can_manage {
        crate::documents::service::folder_choices(&state.db, &actor, space.id).await?
    } else {
        Vec::new()
    };
    let tr = &signed.ctx.tr;
    let live: Vec<_> = templates.into_iter().filter(|t| !t.archived).collect();
    let draft = draft
        .or_else(|| {
            let t = live.iter().find(|t| Some(t.id) == edit)?;
            let json = serde_json::to_string_pretty(&t.definition).ok()?;
            Some((t.name.clone(), json))
        })
        .unwrap_or_else(|| (String::new(), EXAMPLE.to_string()));
    let page = SpacePage {
        page: Chrome::new(&signed.ctx, "spaces", &space.name),
        slug: slug.to_string(),
        space: space.name,
        choices: live.iter().map(|t| (t.id, t.name.clone())).collect(),
        templates: live
            .into_iter()
            .map(|t| TemplateView {
                id: t.id,
                name: t.name,
                version: t.version,
                steps: t
                    .definition
                    .steps
                    .iter()
                    .map(|s| match s.deadline_days {
                        Some(d) => tr.t2(
                            "approvals-step-with-deadline",
                            ("name", s.name.clone()),
                            ("days", d.to_string()),
                        ),
                        None => s.name.clone(),
                    })
                    .collect(),
            })
            .collect(),
        bindings,
        folders,
        can_manage,
        draft,
        notice,
        error,
    };
    render(status, &page)
}

/// `GET /spaces/{slug}/approvals`.
pub async fn space(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let shown = Shown {
        notice: notice::shown(&signed.ctx.tr, NOTICES, q.notice.as_deref()),
        edit: q.edit,
        ..Shown::default()
    };
    space_page(&state, &signed, &slug, StatusCode::OK, shown).await
}

#[derive(Debug, Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    definition: String,
}

/// `POST /spaces/{slug}/approvals/templates`: defines a flow, or changes
/// the one of that name (a new version: running flows keep theirs). The
/// whole is checked; each mistake is named, with its step, and what was
/// typed stays on the page.
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(form): Form<TemplateForm>,
) -> Result<Response, HttpError> {
    use crate::service::Error;
    let actor = signed.actor();
    let overview = crate::spaces::service::overview(&state.db, &actor, &slug).await?;
    let done = match serde_json::from_str::<serde_json::Value>(&form.definition) {
        Ok(def) => service::save_template(&state.db, &actor, overview.space.id, &form.name, def)
            .await
            .map(|_| ()),
        Err(_) => Err(Error::invalid("definition", "approval-definition-invalid")),
    };
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("/spaces/{slug}/approvals?notice=saved")).into_response())
        }
        Err(e) => {
            let tr = &signed.ctx.tr;
            let Some(text) = crate::web::error::fixable_text(tr, &e) else {
                return Err(e.into());
            };
            let text = match &e {
                Error::InvalidItem { item, .. } => tr.t2(
                    "approvals-mistake-in-step",
                    ("step", item.clone()),
                    ("error", text),
                ),
                _ => text,
            };
            let shown = Shown {
                error: Some(text),
                draft: Some((form.name, form.definition)),
                ..Shown::default()
            };
            let status = crate::web::error::status_of(&e);
            space_page(&state, &signed, &slug, status, shown).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct BindForm {
    /// Neither is chosen for the manager: an empty choice is refused.
    #[serde(default)]
    folder: String,
    /// Empty: unbind.
    #[serde(default)]
    template: String,
    /// `unbind` to unbind the folder.
    #[serde(default)]
    action: String,
}

/// `POST /spaces/{slug}/approvals/bind`.
pub async fn bind(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(form): Form<BindForm>,
) -> Result<Response, HttpError> {
    use crate::service::Error;
    let unbind = form.action == "unbind";
    let folder = form
        .folder
        .parse::<i64>()
        .map_err(|_| Error::invalid("folder", "approval-folder-choose"));
    let template = if unbind {
        Ok(None)
    } else {
        form.template
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Error::invalid("template", "approval-template-unknown"))
    };
    let done = match (folder, template) {
        (Ok(f), Ok(t)) => service::bind(&state.db, &signed.actor(), f, t).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match done {
        Ok(()) => {
            let notice = if unbind { "unbound" } else { "bound" };
            Ok(Redirect::to(&format!("/spaces/{slug}/approvals?notice={notice}")).into_response())
        }
        Err(e) => match crate::web::error::fixable_text(&signed.ctx.tr, &e) {
            Some(text) => {
                let status = crate::web::error::status_of(&e);
                let shown = Shown {
                    error: Some(text),
                    ..Shown::default()
                };
                space_page(&state, &signed, &slug, status, shown).await
            }
            None => Err(e.into()),
        },
    }
}
