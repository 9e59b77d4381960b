//! The list of spaces a person may see.

use super::Space;
use crate::app::AppState;
use crate::server::error::HttpError;
use crate::server::extract::{Query, Signed};
use crate::server::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    /// External organizations an internal manager may invite people from.
    invite_orgs: Vec<crate::organizations::Organization>,
    notice: Option<String>,
    invite: InviteDraft,
}

/// What the invitation form shows (empty, or as typed after an error).
#[derive(Default, Deserialize)]
pub struct InviteDraft {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    role: String,
    #[serde(skip)]
    error: Option<String>,
}

impl InviteDraft {
    /// Contributor unless the person chose otherwise.
    fn role_selected(&self, role: &str) -> bool {
        if self.role.is_empty() {
            role == "contributor"
        } else {
            self.role == role
        }
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    invited: Option<String>,
}

async fn space_page(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    status: StatusCode,
    notice: Option<String>,
    invite: InviteDraft,
) -> Result<Response, HttpError> {
    let o = super::service::overview(&state.db, &signed.actor(), slug).await?;
    let ctx = &signed.ctx;
    let invite_orgs = if o.role == super::Role::Manager && signed.viewer.principal.internal {
        crate::organizations::service::list(&state.db, &signed.actor())
            .await?
            .into_iter()
            .filter(|org| org.kind != crate::organizations::OrgKind::Host)
            .collect()
    } else {
        Vec::new()
    };
    let page = SpacePage {
        page: Chrome::new(ctx, "spaces", &o.space.name),
        role: o.role.as_str(),
        space: o.space,
        members: o.members,
        portals: o.portals.into_iter().map(|(_, name)| name).collect(),
        invite_orgs,
        notice,
        invite,
    };
    render(status, &page)
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    crate::server::extract::Path(slug): crate::server::extract::Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, HttpError> {
    let notice = q
        .invited
        .filter(|e| crate::service::Email::parse(e).is_ok())
        .map(|e| signed.ctx.tr.t1("notice-invite-sent", "email", e));
    space_page(
        &state,
        &signed,
        &slug,
        StatusCode::OK,
        notice,
        InviteDraft::default(),
    )
    .await
}

/// A space manager invites an external person into this space.
pub async fn invite(
    State(state): State<AppState>,
    signed: Signed,
    crate::server::extract::Path(slug): crate::server::extract::Path<String>,
    crate::server::extract::Form(mut draft): crate::server::extract::Form<InviteDraft>,
) -> Result<Response, HttpError> {
    use crate::service::{DisplayName, Email, Error, Slug};
    let parsed = (|| {
        Ok::<_, Error>(crate::auth::invitations::Invitation {
            email: Email::parse(&draft.email)?,
            name: DisplayName::parse(&draft.name)?,
            org: Slug::parse(&draft.org).map_err(|_| Error::invalid("org", "org-unknown"))?,
            spaces: vec![(Slug::parse(&slug)?, super::Role::parse(&draft.role)?)],
            sponsor: None,
            portal: None,
            access_days: None,
            locale: None,
        })
    })();
    let result = match parsed {
        Ok(inv) => {
            let mailer = crate::auth::invitations::Mailer {
                i18n: &state.i18n,
                config: &state.config,
                lifetime: state.config.auth.invitation_lifetime,
            };
            crate::auth::invitations::invite(
                &state.db,
                &mailer,
                &signed.actor(),
                signed.ctx.portal.id,
                inv,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            state.outbox.ring();
            let email = percent_encoding::utf8_percent_encode(
                draft.email.trim(),
                percent_encoding::NON_ALPHANUMERIC,
            );
            Ok(
                axum::response::Redirect::to(&format!("/spaces/{slug}?invited={email}"))
                    .into_response(),
            )
        }
        Err(Error::Invalid { code, .. } | Error::Conflict(code)) => {
            draft.error = Some(signed.ctx.tr.t(&format!("error-{code}")).to_string());
            space_page(&state, &signed, &slug, StatusCode::BAD_REQUEST, None, draft).await
        }
        Err(e) => Err(e.into()),
    }
}
