//! The space's home page and its pinned links' forms.

use super::activity::{self, Activity, Home, What};
use super::links::{self, Link, LinkUrl};
use super::members_web::{AddDraft, InviteDraft, OrgChoice, org_choices};
use crate::access::{self, SpaceAction};
use crate::app::AppState;
use crate::news::says::Says;
use crate::service::Error;
use crate::spaces::{self, Space};
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
#[template(path = "space.html")]
struct SpacePage {
    page: Chrome,
    space: Space,
    role: &'static str,
    members: Vec<spaces::model::MemberRow>,
    portals: Vec<String>,
    home: Home,
    links: Vec<Link>,
    news: crate::news::feed::Feed,
    /// Whether the viewer manages the space (links, news).
    manages: bool,
    /// Whether the viewer may change who is a member (internal managers, administrators).
    manages_members: bool,
    /// External organizations to invite people from, those in the space first.
    invite_orgs: Vec<OrgChoice>,
    notice: Option<String>,
    invite: InviteDraft,
    add: AddDraft,
    link: LinkDraft,
}

impl Says for SpacePage {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

impl SpacePage {
    fn orgs_in_space(&self) -> impl Iterator<Item = &OrgChoice> {
        self.invite_orgs.iter().filter(|o| o.in_space)
    }

    fn orgs_elsewhere(&self) -> impl Iterator<Item = &OrgChoice> {
        self.invite_orgs.iter().filter(|o| !o.in_space)
    }

    fn existing_text(&self, x: &super::members_web::Existing) -> String {
        self.page.tr.t2(
            "invite-existing",
            ("name", x.name.clone()),
            ("org", x.org_name.clone()),
        )
    }

    fn size(&self, bytes: &i64) -> String {
        crate::i18n::human_size(*bytes, self.page.tr.locale)
    }

    /// One activity line, in the page's language (without the link).
    fn said(&self, a: &Activity) -> String {
        let tr = &self.page.tr;
        let who = a
            .who
            .clone()
            .unwrap_or_else(|| tr.t("activity-someone").to_string());
        match &a.what {
            What::Added { .. } => tr.t1("activity-added", "who", who),
            What::Version { number, .. } => {
                tr.t2("activity-version", ("who", who), ("number", *number))
            }
            What::Joined { kind } => match *kind {
                "person" => tr.t1("activity-joined-person", "who", who),
                "group" => tr.t1("activity-joined-group", "who", who),
                _ => tr.t1("activity-joined-organization", "who", who),
            },
        }
    }

    /// The file an activity line is about: its id and name.
    fn file_of<'a>(&self, a: &'a Activity) -> Option<(i64, &'a str)> {
        match &a.what {
            What::Added { document, name } | What::Version { document, name, .. } => {
                Some((*document, name.as_str()))
            }
            What::Joined { .. } => None,
        }
    }
}

/// The forms of a space's page, as typed after an error.
#[derive(Default)]
pub struct Forms {
    invite: InviteDraft,
    add: AddDraft,
    link: LinkDraft,
}

impl Forms {
    pub fn invite(invite: InviteDraft) -> Forms {
        Forms {
            invite,
            ..Forms::default()
        }
    }

    pub fn add(add: AddDraft) -> Forms {
        Forms {
            add,
            ..Forms::default()
        }
    }

    fn link(link: LinkDraft) -> Forms {
        Forms {
            link,
            ..Forms::default()
        }
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    invited: Option<String>,
    added: Option<String>,
    notice: Option<String>,
}

/// Notices a redirect may ask the page to show.
const NOTICES: &[Notice] = &[
    Notice::new("member-removed", "notice-member-removed"),
    Notice::new("link-added", "notice-link-added"),
    Notice::new("link-removed", "notice-link-removed"),
    Notice::new("about-saved", "notice-about-saved"),
];

pub async fn space_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    status: StatusCode,
    notice: Option<String>,
    forms: Forms,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let o = spaces::service::overview(&state.db, &actor, slug).await?;
    let ctx = &signed.ctx;
    state
        .adoption
        .in_space(signed.viewer.principal.person_id, o.space.id);
    let manages = access::can(o.role, SpaceAction::Manage);
    let manages_members = access::can_manage_members(&signed.viewer.principal, o.role);
    let invite_orgs = if manages_members {
        org_choices(state, signed, slug).await?
    } else {
        Vec::new()
    };
    let home = activity::of(&state.db, &actor, o.space.id, &o.members).await?;
    let links = links::list(&state.db, &actor, o.space.id).await?;
    let scope = crate::news::feed::Scope {
        space: Some(o.space.id),
        ..Default::default()
    };
    let news = crate::news::feed::feed(&state.db, &actor, scope, 5).await?;
    let page = SpacePage {
        page: Chrome::new(ctx, "spaces", &o.space.name),
        role: o.role.as_str(),
        space: o.space,
        members: o.members,
        portals: o.portals.into_iter().map(|(_, name)| name).collect(),
        home,
        links,
        news,
        manages,
        manages_members,
        invite_orgs,
        notice,
        invite: forms.invite,
        add: forms.add,
        link: forms.link,
    };
    render(status, &page)
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, HttpError> {
    let tr = &signed.ctx.tr;
    let notice = if let Some(e) = q
        .invited
        .filter(|e| crate::service::Email::parse(e).is_ok())
    {
        Some(tr.t1("notice-invite-sent", "email", e))
    } else if let Some(name) = q.added.filter(|n| n.chars().count() <= 120) {
        Some(tr.t1("notice-member-added", "name", name))
    } else {
        notice::shown(tr, NOTICES, q.notice.as_deref())
    };
    space_page(
        &state,
        &signed,
        &slug,
        StatusCode::OK,
        notice,
        Forms::default(),
    )
    .await
}

/// What the "pin a link" form shows.
#[derive(Default, Deserialize)]
pub struct LinkDraft {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(skip)]
    pub error: Option<String>,
}

async fn space_id(state: &AppState, signed: &Signed, slug: &str) -> Result<i64, HttpError> {
    Ok(spaces::service::overview(&state.db, &signed.actor(), slug)
        .await?
        .space
        .id)
}

/// A manager pins a link.
pub async fn add_link(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(mut draft): Form<LinkDraft>,
) -> Result<Response, HttpError> {
    let id = space_id(&state, &signed, &slug).await?;
    let result = match LinkUrl::parse(&draft.url) {
        Ok(url) => links::add(&state.db, &signed.actor(), id, &draft.title, url).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/spaces/{slug}?notice=link-added")).into_response()),
        Err(Error::Invalid { code, .. }) => {
            draft.error = Some(signed.ctx.tr.t(&format!("error-{code}")).to_string());
            space_page(
                &state,
                &signed,
                &slug,
                StatusCode::BAD_REQUEST,
                None,
                Forms::link(draft),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AboutForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    description_fr: String,
}

/// A manager says what the space is for, in English and in French.
pub async fn about(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(form): Form<AboutForm>,
) -> Result<Response, HttpError> {
    let id = space_id(&state, &signed, &slug).await?;
    let changes = spaces::service::Changes {
        description: Some(form.description),
        description_fr: Some(form.description_fr),
        ..spaces::service::Changes::default()
    };
    match spaces::service::update(&state.db, &signed.actor(), id, changes).await {
        Ok(_) => Ok(Redirect::to(&format!("/spaces/{slug}?notice=about-saved")).into_response()),
        Err(Error::Invalid { code, .. }) => {
            let text = signed.ctx.tr.t(&format!("error-{code}")).to_string();
            space_page(
                &state,
                &signed,
                &slug,
                StatusCode::BAD_REQUEST,
                Some(text),
                Forms::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A manager unpins a link.
pub async fn remove_link(
    State(state): State<AppState>,
    signed: Signed,
    Path((slug, link)): Path<(String, i64)>,
) -> Result<Response, HttpError> {
    let id = space_id(&state, &signed, &slug).await?;
    links::remove(&state.db, &signed.actor(), id, link).await?;
    Ok(Redirect::to(&format!("/spaces/{slug}?notice=link-removed")).into_response())
}
