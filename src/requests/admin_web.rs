//! The administration page of request types: every type, and one screen
//! to define or change one whole — its definition as one JSON document
//! (fields, statuses and moves, priorities and targets, working hours),
//! checked whole on saving, with a working example to start from.

use super::says::said;
use super::type_service::{self, NewTypeBody};
use super::types::{Definition, TypeRow, example};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_request_types.html")]
struct TypesPage {
    page: Chrome,
    section: &'static str,
    types: Vec<TypeRow>,
    /// The type being changed (none: a new one).
    editing: Option<TypeRow>,
    draft: TypeForm,
    error: Option<String>,
}

impl TypesPage {
    fn name(&self, t: &TypeRow) -> String {
        t.definition.name(self.page.lang).to_string()
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct TypeForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    space: String,
    #[serde(default)]
    agent_group: String,
    #[serde(default)]
    definition: String,
    #[serde(default)]
    archived: String,
}

fn pretty(d: &Definition) -> String {
    serde_json::to_string_pretty(d).unwrap_or_default()
}

async fn page(
    state: &AppState,
    signed: &Signed,
    editing: Option<i64>,
    draft: Option<TypeForm>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let types = type_service::list(&state.db, &actor).await?;
    let editing = match editing {
        Some(id) => Some(type_service::get(&state.db, &actor, id).await?),
        None => None,
    };
    let draft = draft.unwrap_or_else(|| match &editing {
        Some(t) => TypeForm {
            key: t.key.clone(),
            agent_group: t.agent_group.map(|g| g.to_string()).unwrap_or_default(),
            definition: pretty(&t.definition),
            ..TypeForm::default()
        },
        None => TypeForm {
            definition: pretty(&example(
                "SUP",
                "Support ticket",
                "Ticket d’assistance",
                "Europe/Paris",
            )),
            ..TypeForm::default()
        },
    });
    let status = super::says::status_for(&error);
    render(
        status,
        &TypesPage {
            page: Chrome::admin(&signed.ctx, "admin-request-types"),
            section: "admin-request-types",
            types,
            editing,
            draft,
            error,
        },
    )
}

pub async fn list(State(state): State<AppState>, signed: Signed) -> Result<Response, HttpError> {
    page(&state, &signed, None, None, None).await
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    page(&state, &signed, Some(id), None, None).await
}

/// An optional number typed in a form (empty: none).
fn number(raw: &str, field: &'static str) -> crate::service::Result<Option<i64>> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| crate::service::Error::invalid(field, "request-type-number"))
}

fn definition(raw: &str) -> crate::service::Result<Definition> {
    serde_json::from_str(raw)
        .map_err(|_| crate::service::Error::invalid("definition", "request-type-json"))
}

pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<TypeForm>,
) -> Result<Response, HttpError> {
    let made = async {
        let body = NewTypeBody {
            key: f.key.trim().to_string(),
            space: number(&f.space, "space")?,
            agent_group: number(&f.agent_group, "agent_group")?,
            definition: definition(&f.definition)?,
        };
        type_service::create(&state.db, &signed.actor(), body).await
    }
    .await;
    match made {
        Ok(t) => Ok(Redirect::to(&format!("/admin/request-types/{}", t.id)).into_response()),
        Err(e) => {
            let e = said(&signed.ctx.tr, e)?;
            page(&state, &signed, None, Some(f), Some(e)).await
        }
    }
}

pub async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(f): Form<TypeForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let done = async {
        if !f.archived.is_empty() {
            return type_service::archive(&state.db, &actor, id, f.archived == "1").await;
        }
        let group = number(&f.agent_group, "agent_group")?;
        type_service::update(&state.db, &actor, id, definition(&f.definition)?, group).await
    }
    .await;
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/admin/request-types/{id}")).into_response()),
        Err(e) => {
            let e = said(&signed.ctx.tr, e)?;
            page(&state, &signed, Some(id), Some(f), Some(e)).await
        }
    }
}
