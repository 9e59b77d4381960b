//! The list of spaces a person may see.

use super::Space;
use super::members_web::{AddDraft, InviteDraft, OrgChoice, org_choices};
use crate::app::AppState;
use crate::server::error::HttpError;
use crate::server::extract::{Query, Signed};
use crate::server::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "spaces.html")]
struct ListPage {
    page: Chrome,
    q: String,
    spaces: Vec<Space>,
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<ListQuery>,
) -> Result<Response, HttpError> {
    let q = query.q.unwrap_or_default();
    let spaces = super::service::list(&state.db, &signed.actor(), Some(q.clone()), 500).await?;
    let ctx = &signed.ctx;
    let page = ListPage {
        page: Chrome::new(ctx, "spaces", ctx.tr.t("spaces-title")),
        q,
        spaces,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "space.html")]
struct SpacePage {
    page: Chrome,
    space: Space,
    role: &'static str,
    members: Vec<super::store::MemberRow>,
    portals: Vec<String>,
    /// Whether the viewer may change who is a member (internal managers, administrators).
    manages_members: bool,
    /// External organizations to invite people from, those in the space first.
    invite_orgs: Vec<OrgChoice>,
    notice: Option<String>,
    invite: InviteDraft,
    add: AddDraft,
}

impl SpacePage {
    fn orgs_in_space(&self) -> impl Iterator<Item = &OrgChoice> {
        self.invite_orgs.iter().filter(|o| o.in_space)
    }

    fn existing_text(&self, x: &super::members_web::Existing) -> String {
        self.page.tr.t2(
            "invite-existing",
            ("name", x.name.clone()),
            ("org", x.org_name.clone()),
        )
    }

    fn orgs_elsewhere(&self) -> impl Iterator<Item = &OrgChoice> {
        self.invite_orgs.iter().filter(|o| !o.in_space)
    }
}

/// The two membership forms of a space's page, as typed after an error.
#[derive(Default)]
pub struct Forms {
    invite: InviteDraft,
    add: AddDraft,
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
}

#[derive(Deserialize)]
pub struct ShowQuery {
    invited: Option<String>,
    added: Option<String>,
    notice: Option<String>,
}

pub async fn space_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    status: StatusCode,
    notice: Option<String>,
    forms: Forms,
) -> Result<Response, HttpError> {
    let o = super::service::overview(&state.db, &signed.actor(), slug).await?;
    let ctx = &signed.ctx;
    let manages_members = o.role == super::Role::Manager && signed.viewer.principal.internal;
    let invite_orgs = if manages_members {
        org_choices(state, signed, slug).await?
    } else {
        Vec::new()
    };
    let page = SpacePage {
        page: Chrome::new(ctx, "spaces", &o.space.name),
        role: o.role.as_str(),
        space: o.space,
        members: o.members,
        portals: o.portals.into_iter().map(|(_, name)| name).collect(),
        manages_members,
        invite_orgs,
        notice,
        invite: forms.invite,
        add: forms.add,
    };
    render(status, &page)
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    crate::server::extract::Path(slug): crate::server::extract::Path<String>,
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
        q.notice
            .filter(|n| n == "member-removed")
            .map(|n| tr.t(&format!("notice-{n}")).to_string())
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
