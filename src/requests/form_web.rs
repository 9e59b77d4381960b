//! Filing a request from a space: the types offered there, then the form
//! each type's fields make (internal ones for agents alone).

use super::fields::FieldKind;
use super::files;
use super::filing;
use super::says::{Says, said};
use super::service::{self, NewRequest};
use super::typed::values;
use super::types::TypeRow;
use super::upload;
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "request_new.html")]
struct NewPage {
    page: Chrome,
    space_slug: String,
    space_name: String,
    types: Vec<TypeRow>,
    chosen: Option<TypeRow>,
    /// What was typed, by input name (several for multiple choices).
    draft: HashMap<String, Vec<String>>,
    /// Files already sent for file fields, by input name: their names.
    sent: HashMap<String, String>,
    error: Option<String>,
}

impl Says for NewPage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

/// A field as the form shows it.
pub struct Input {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub required: bool,
    pub internal: bool,
    pub options: Vec<String>,
    pub hint: String,
}

impl NewPage {
    fn type_name(&self, t: &TypeRow) -> String {
        t.definition.name(self.page.lang).to_string()
    }

    fn typed(&self, name: &str) -> String {
        self.draft
            .get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }

    /// The name of the file already sent for a file input, if any.
    fn sent_file(&self, name: &str) -> Option<String> {
        self.sent.get(name).cloned()
    }

    fn picked(&self, name: &str, option: &str) -> bool {
        self.draft
            .get(name)
            .is_some_and(|v| v.iter().any(|o| o == option))
    }

    fn inputs(&self) -> Vec<Input> {
        let Some(t) = &self.chosen else {
            return Vec::new();
        };
        let tr = &self.page.tr;
        t.definition
            .fields
            .iter()
            .map(|f| {
                let (kind, options, hint) = match &f.kind {
                    FieldKind::Text {} => ("text", vec![], String::new()),
                    FieldKind::LongText {} => {
                        ("long", vec![], tr.t("discussion-markdown-help").to_string())
                    }
                    FieldKind::Number {} => ("number", vec![], String::new()),
                    FieldKind::Money { currency } => (
                        "money",
                        vec![],
                        tr.t1("request-form-money", "currency", currency.clone()),
                    ),
                    FieldKind::Date {} => ("date", vec![], String::new()),
                    FieldKind::Choice { options } => ("choice", options.clone(), String::new()),
                    FieldKind::MultipleChoice { options } => {
                        ("multiple", options.clone(), String::new())
                    }
                    FieldKind::File {} => ("file", vec![], String::new()),
                    FieldKind::Person {} | FieldKind::Organization {} | FieldKind::Document {} => {
                        ("id", vec![], tr.t("request-form-id").to_string())
                    }
                };
                Input {
                    name: format!("f.{}", f.key),
                    label: if self.page.lang == "fr" {
                        f.label_fr.clone()
                    } else {
                        f.label_en.clone()
                    },
                    kind,
                    required: f.required,
                    internal: f.internal,
                    options,
                    hint,
                }
            })
            .collect()
    }
}

async fn space(state: &AppState, slug: &str) -> Result<(i64, String, String), HttpError> {
    let slug = slug.to_string();
    let found = state
        .db
        .read(move |c| {
            use rusqlite::OptionalExtension;
            c.query_row(
                "SELECT id, name, slug FROM spaces WHERE slug = ?1",
                [&slug],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(crate::service::Error::from)
        })
        .await?;
    found.ok_or_else(HttpError::not_found)
}

#[derive(Debug, Default, Deserialize)]
pub struct TypeQuery {
    #[serde(default, rename = "type")]
    type_key: Option<String>,
}

async fn new_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    type_key: Option<&str>,
    draft: HashMap<String, Vec<String>>,
    sent: HashMap<String, String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let (id, space_name, space_slug) = space(state, slug).await?;
    let types = service::offered(&state.db, &signed.actor(), id).await?;
    let chosen = match type_key {
        Some(k) => types.iter().find(|t| t.key == k).cloned(),
        None if types.len() == 1 => types.first().cloned(),
        None => None,
    };
    let title = signed.ctx.tr.t("request-new-title").to_string();
    let status = super::says::status_for(&error);
    render(
        status,
        &NewPage {
            page: Chrome::new(&signed.ctx, "requests", &title),
            space_slug,
            space_name,
            types,
            chosen,
            draft,
            sent,
            error,
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<TypeQuery>,
) -> Result<Response, HttpError> {
    new_page(
        &state,
        &signed,
        &slug,
        q.type_key.as_deref(),
        HashMap::new(),
        HashMap::new(),
        None,
    )
    .await
}

pub async fn file(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    req: axum::extract::Request,
) -> Result<Response, HttpError> {
    let (space_id, ..) = space(&state, &slug).await?;
    let actor = signed.actor();
    let mut sent = HashMap::new();
    let form = upload::any_form(&state, req).await;
    let (draft, kept) = match form {
        Ok(mut form) => {
            // Each file sent for a file field waits for this filing; the
            // field names it by its id, as the API does.
            let mut kept = Ok(());
            for (input, file) in std::mem::take(&mut form.files) {
                let name = file.name.as_str().to_string();
                let quota = state.config.documents.space_quota_bytes;
                match files::send_waiting(&state.db, &state.blobs, &actor, space_id, file, quota)
                    .await
                {
                    Ok(f) => {
                        super::files_web::noted(&state, &actor, std::slice::from_ref(&f));
                        form.text.insert(input.clone(), vec![f.id.to_string()]);
                        sent.insert(input, name);
                    }
                    Err(e) => {
                        kept = Err(e);
                        break;
                    }
                }
            }
            (form.text, kept)
        }
        Err(e) => (HashMap::new(), Err(e)),
    };
    let one = |k: &str| {
        draft
            .get(k)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    };
    let type_key = one("type");
    if let Err(e) = kept {
        let e = said(&signed.ctx.tr, e)?;
        let chosen = Some(type_key.as_str()).filter(|k| !k.is_empty());
        return new_page(&state, &signed, &slug, chosen, draft, sent, Some(e)).await;
    }
    let types = service::offered(&state.db, &actor, space_id).await?;
    let Some(t) = types.into_iter().find(|t| t.key == type_key) else {
        let e = said(
            &signed.ctx.tr,
            crate::service::Error::invalid("type", "request-type-unknown"),
        )?;
        return new_page(&state, &signed, &slug, None, draft, sent, Some(e)).await;
    };
    // A file sent with an earlier try of this form keeps its name.
    names_of_sent(&state, &actor, &t, &draft, &mut sent).await?;
    let priority = Some(one("priority")).filter(|p| !p.is_empty());
    let new = NewRequest {
        type_key: type_key.clone(),
        title: one("title"),
        fields: values(&t, &draft),
        priority,
        on_behalf_of: None,
    };
    match filing::file(&state.db, &actor, space_id, new).await {
        Ok(r) => Ok(Redirect::to(&format!("/requests/{}?notice=filed", r.item.id)).into_response()),
        Err(e) => {
            let e = said(&signed.ctx.tr, e)?;
            new_page(
                &state,
                &signed,
                &slug,
                Some(&type_key),
                draft,
                sent,
                Some(e),
            )
            .await
        }
    }
}

/// The names of the waiting files a form's file fields carry from an
/// earlier try (a hidden input with their id), for the form shown again.
async fn names_of_sent(
    state: &AppState,
    actor: &crate::access::Actor,
    t: &TypeRow,
    draft: &HashMap<String, Vec<String>>,
    sent: &mut HashMap<String, String>,
) -> Result<(), HttpError> {
    for f in &t.definition.fields {
        let input = format!("f.{}", f.key);
        if f.kind != (FieldKind::File {}) || sent.contains_key(&input) {
            continue;
        }
        let Some(id) = draft
            .get(&input)
            .and_then(|v| v.first())
            .and_then(|v| v.parse().ok())
        else {
            continue;
        };
        if let Some(name) = files::waiting_name(&state.db, actor, id).await? {
            sent.insert(input, name);
        }
    }
    Ok(())
}
