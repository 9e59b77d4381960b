//! Writing a post: the form to write one and to change one. Nothing is
//! chosen for the writer where a wrong default would send a post to the
//! wrong people: the place and, for the whole instance, the audience.

use super::feed::Places;
use super::form::{Fields, Sent, target_name};
use super::model::{Attachment, MAX_FILE, MAX_FILES, State};
use super::service;
use crate::app::AppState;
use crate::domain::OrgKind;
use crate::service::Error;
use crate::web::error::HttpError;
use crate::web::extract::{Path, Query, Signed, multipart_parts};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::{Multipart, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// One audience the writer may choose, grouped for the form.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "news_form.html")]
struct FormPage {
    page: Chrome,
    /// The post changed, or none for a new one.
    editing: Option<i64>,
    fields: Fields,
    places: Places,
    kinds: Vec<Choice>,
    orgs: Vec<Choice>,
    groups: Vec<Choice>,
    spaces: Vec<Choice>,
    portals: Vec<Choice>,
    internal_checked: bool,
    has_cover: bool,
    files: Vec<Attachment>,
    error: Option<String>,
    max_files: usize,
    max_file_mib: usize,
}

impl FormPage {
    fn files_hint(&self) -> String {
        self.page.tr.t2(
            "news-files-hint",
            ("count", self.max_files),
            ("mib", self.max_file_mib),
        )
    }

    fn any_checked(&self, choices: &[Choice]) -> bool {
        choices.iter().any(|c| c.checked)
    }

    fn place_value(&self, id: &i64) -> String {
        format!("space:{id}")
    }

    fn size(&self, bytes: &i64) -> String {
        crate::i18n::human_size(*bytes, self.page.tr.locale)
    }
}

async fn choices(
    state: &AppState,
    signed: &Signed,
    fields: &Fields,
) -> Result<
    (
        Vec<Choice>,
        Vec<Choice>,
        Vec<Choice>,
        Vec<Choice>,
        Vec<Choice>,
    ),
    HttpError,
> {
    let actor = signed.actor();
    let tr = &signed.ctx.tr;
    let checked = |v: &str| fields.audience.iter().any(|a| a == v);
    let choice = |value: String, label: String| Choice {
        checked: checked(&value),
        value,
        label,
    };
    let kinds = OrgKind::EXTERNAL
        .iter()
        .map(|k| {
            choice(
                format!("org_kind:{}", k.as_str()),
                tr.t(&format!("news-audience-kind-{}", k.as_str()))
                    .to_string(),
            )
        })
        .collect();
    if !signed.viewer.principal.internal {
        return Ok((kinds, Vec::new(), Vec::new(), Vec::new(), Vec::new()));
    }
    let orgs = crate::organizations::service::list(&state.db, &actor)
        .await?
        .into_iter()
        .filter(|o| o.kind != OrgKind::Host)
        .map(|o| choice(format!("org:{}", o.id), o.name))
        .collect();
    let groups = crate::groups::service::list(&state.db, &actor)
        .await?
        .into_iter()
        .map(|g| choice(format!("group:{}", g.id), g.name))
        .collect();
    let spaces = crate::spaces::service::list(&state.db, &actor, None, 500)
        .await?
        .into_iter()
        .map(|s| choice(format!("space:{}", s.id), s.name))
        .collect();
    let portals = state
        .portals
        .current()
        .all()
        .iter()
        .map(|p| choice(format!("portal:{}", p.id), p.name.clone()))
        .collect();
    Ok((kinds, orgs, groups, spaces, portals))
}

async fn form_page(
    state: &AppState,
    signed: &Signed,
    editing: Option<i64>,
    fields: Fields,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let places = super::feed::places(&state.db, &signed.actor()).await?;
    let (has_cover, files) = match editing {
        Some(id) => {
            let full = service::get(&state.db, &signed.actor(), id).await?;
            (full.post.cover.is_some(), full.files)
        }
        None => (false, Vec::new()),
    };
    let (kinds, orgs, groups, spaces, portals) = choices(state, signed, &fields).await?;
    let ctx = &signed.ctx;
    let title = if editing.is_some() {
        ctx.tr.t("news-edit-title")
    } else {
        ctx.tr.t("news-new-title")
    };
    let page = FormPage {
        page: Chrome::new(ctx, "news", title),
        internal_checked: fields.audience.iter().any(|a| a == "internal"),
        editing,
        fields,
        places,
        kinds,
        orgs,
        groups,
        spaces,
        portals,
        has_cover,
        files,
        error,
        max_files: MAX_FILES,
        max_file_mib: MAX_FILE / (1024 * 1024),
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct NewQuery {
    space: Option<i64>,
}

pub async fn new(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Query(q): Query<NewQuery>,
) -> Result<Response, HttpError> {
    // A space's page offers to write in it: that place is the one asked for.
    let fields = Fields {
        place: q.space.map(|s| format!("space:{s}")).unwrap_or_default(),
        ..Fields::default()
    };
    form_page(&state, &signed, None, fields, StatusCode::OK, None).await
}

/// The whole form, with room for its attachments and cover.
async fn read(multipart: Multipart) -> Result<Sent, HttpError> {
    let parts = multipart_parts(
        multipart,
        MAX_FILE,
        MAX_FILE.saturating_mul(3),
        MAX_FILES + 60,
    )
    .await?;
    Ok(Sent::from_parts(parts)?)
}

async fn refused(
    state: &AppState,
    signed: &Signed,
    editing: Option<i64>,
    fields: Fields,
    e: Error,
) -> Result<Response, HttpError> {
    match e {
        Error::Invalid { code, .. } => {
            let text = signed.ctx.tr.t(&format!("error-{code}")).to_string();
            form_page(
                state,
                signed,
                editing,
                fields,
                StatusCode::BAD_REQUEST,
                Some(text),
            )
            .await
        }
        Error::TooLarge { .. } => {
            let text = signed.ctx.tr.t("error-news-file-too-large").to_string();
            form_page(
                state,
                signed,
                editing,
                fields,
                StatusCode::PAYLOAD_TOO_LARGE,
                Some(text),
            )
            .await
        }
        e => Err(e.into()),
    }
}

pub async fn create(
    AxState(state): AxState<AppState>,
    signed: Signed,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    let sent = read(multipart).await?;
    let tz = signed.ctx.tz.clone();
    let made = async {
        let place = sent.fields.place()?;
        let draft = sent.fields.draft(&tz)?;
        let extras = service::Extras {
            cover: sent.cover()?.map(Some),
            remove: Vec::new(),
            add: sent.files()?,
        };
        service::create(&state.db, &signed.actor(), place, draft, extras).await
    }
    .await;
    match made {
        Ok(id) => Ok(Redirect::to(&format!("/news/{id}?notice=saved")).into_response()),
        Err(e) => refused(&state, &signed, None, sent.fields, e).await,
    }
}

pub async fn edit(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let full = service::get(&state.db, &signed.actor(), id).await?;
    if !full.writes {
        return Err(HttpError::not_found());
    }
    let tz = &signed.ctx.tz;
    let p = &full.post;
    let now = crate::util::now_ms();
    let fields = Fields {
        title: p.title.clone(),
        body: p.body.clone(),
        place: match &p.space {
            Some(s) => format!("space:{}", s.id),
            None => "instance".into(),
        },
        audience: full.targets.iter().map(|t| target_name(*t)).collect(),
        publish: match p.state(now) {
            State::Draft => "draft",
            State::Scheduled => "schedule",
            State::Published | State::Expired => "now",
        }
        .into(),
        publish_at: p
            .publish_at
            .map(|t| crate::i18n::time::format_local(t, tz))
            .unwrap_or_default(),
        expires_at: p
            .expires_at
            .map(|t| crate::i18n::time::format_local(t, tz))
            .unwrap_or_default(),
        pinned: p.pinned,
        requires_ack: p.requires_ack,
        ..Fields::default()
    };
    form_page(&state, &signed, Some(id), fields, StatusCode::OK, None).await
}

pub async fn update(
    AxState(state): AxState<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    let sent = read(multipart).await?;
    let tz = signed.ctx.tz.clone();
    let actor = signed.actor();
    let done = async {
        let draft = sent.fields.draft(&tz)?;
        let cover = if sent.fields.remove_cover {
            Some(None)
        } else {
            sent.cover()?.map(Some)
        };
        let extras = service::Extras {
            cover,
            remove: sent.fields.remove_files.clone(),
            add: sent.files()?,
        };
        service::update(&state.db, &actor, id, draft, extras).await
    }
    .await;
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/news/{id}?notice=saved")).into_response()),
        Err(e) => refused(&state, &signed, Some(id), sent.fields, e).await,
    }
}
