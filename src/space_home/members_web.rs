//! Who joins a space, from its page: a manager adds someone who already has
//! an account (picked among the people they may know of), or invites someone
//! external. Neither form has a default that could be wrong: the organization
//! and the role are always chosen, an address whose domain points to another
//! organization must be confirmed, and an address that already has an account
//! becomes "add to this space" instead of a dead end.

use super::web::{Forms, space_page};
use crate::app::AppState;
use crate::organizations::{OrgKind, Organization};
use crate::service::{DisplayName, Email, Error, Slug};
use crate::spaces;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Signed};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// What the invitation form shows: empty, or as typed with what to fix.
#[derive(Default, Deserialize)]
pub struct InviteDraft {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub role: String,
    /// The organization the inviter confirmed although the address disagrees with it.
    #[serde(default)]
    pub org_confirmed: String,
    #[serde(skip)]
    pub error: Option<String>,
    /// Set when the address disagrees with the chosen organization: the
    /// form then asks for confirmation.
    #[serde(skip)]
    pub confirm: Option<String>,
    /// Set when the address already has an account.
    #[serde(skip)]
    pub existing: Option<Existing>,
}

impl InviteDraft {
    pub fn role_selected(&self, role: &str) -> bool {
        self.role == role
    }
}

/// Someone who already has an account, offered to be added instead.
pub struct Existing {
    pub email: String,
    pub name: String,
    pub org_name: String,
}

/// What the "add a member" form shows.
#[derive(Default, Deserialize)]
pub struct AddDraft {
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub role: String,
    #[serde(skip)]
    pub error: Option<String>,
}

impl AddDraft {
    pub fn role_selected(&self, role: &str) -> bool {
        self.role == role
    }
}

/// An organization in the invitation's list.
pub struct OrgChoice {
    pub slug: String,
    pub name: String,
    /// Already in the space (as a member, or through its people).
    pub in_space: bool,
}

/// External organizations for the invitation form: those already in the
/// space first, then the others, each group by name.
pub async fn org_choices(
    state: &AppState,
    signed: &Signed,
    slug: &str,
) -> Result<Vec<OrgChoice>, HttpError> {
    let actor = signed.actor();
    let in_space = spaces::service::external_orgs_in(&state.db, &actor, slug).await?;
    let mut orgs: Vec<OrgChoice> = crate::organizations::service::list(&state.db, &actor)
        .await?
        .into_iter()
        .filter(|o| o.kind != OrgKind::Host)
        .map(|o| OrgChoice {
            in_space: in_space.contains(&o.id),
            slug: o.slug,
            name: o.name,
        })
        .collect();
    orgs.sort_by(|a, b| {
        b.in_space
            .cmp(&a.in_space)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(orgs)
}

fn message(signed: &Signed, code: &str) -> String {
    signed.ctx.tr.t(&format!("error-{code}")).to_string()
}

async fn again(
    state: &AppState,
    signed: &Signed,
    slug: &str,
    forms: Forms,
) -> Result<Response, HttpError> {
    space_page(state, signed, slug, StatusCode::BAD_REQUEST, None, forms).await
}

/// The organization owning the address's domain, if the inviter may know of it.
async fn owner_of(state: &AppState, signed: &Signed, email: &Email) -> Option<Organization> {
    crate::organizations::service::owner_of(&state.db, &signed.actor(), email)
        .await
        .ok()
        .flatten()
}

/// A space manager invites an external person into this space.
pub async fn invite(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(mut draft): Form<InviteDraft>,
) -> Result<Response, HttpError> {
    spaces::service::require_member_management(&state.db, &signed.actor(), &slug).await?;
    let tr = &signed.ctx.tr;
    let email = match Email::parse(&draft.email) {
        Ok(e) => e,
        Err(Error::Invalid { code, .. }) => {
            draft.error = Some(message(&signed, code));
            return again(&state, &signed, &slug, Forms::invite(draft)).await;
        }
        Err(e) => return Err(e.into()),
    };
    // An address that already has an account is added, not invited again.
    if let Ok(p) = crate::people::service::find(&state.db, &signed.actor(), email.as_str()).await {
        draft.existing = Some(Existing {
            email: p.email,
            name: p.display_name,
            org_name: p.org_name,
        });
        return again(&state, &signed, &slug, Forms::invite(draft)).await;
    }
    let owner = owner_of(&state, &signed, &email).await;
    if draft.org.trim().is_empty() {
        // Nothing is chosen for the inviter: the address's organization is
        // proposed, and they still send the form themselves.
        draft.error = Some(match owner.as_ref().filter(|o| o.kind != OrgKind::Host) {
            Some(o) => {
                draft.org = o.slug.clone();
                tr.t2(
                    "invite-org-proposed",
                    ("org", o.name.clone()),
                    ("domain", email.domain().to_string()),
                )
            }
            None => message(&signed, "invite-org-required"),
        });
        return again(&state, &signed, &slug, Forms::invite(draft)).await;
    }
    let parsed = (|| {
        Ok::<_, Error>(crate::auth::invitations::Invitation {
            email: email.clone(),
            name: DisplayName::parse(&draft.name)?,
            org: Slug::parse(&draft.org).map_err(|_| Error::invalid("org", "org-unknown"))?,
            spaces: vec![(
                Slug::parse(&slug)?,
                spaces::Role::parse(&draft.role)
                    .map_err(|_| Error::invalid("role", "role-required"))?,
            )],
            sponsor: None,
            portal: None,
            access_days: None,
            locale: None,
            // A confirmation holds for the organization it was given for only.
            org_confirmed: !draft.org_confirmed.is_empty() && draft.org_confirmed == draft.org,
        })
    })();
    let mailer = crate::auth::invitations::Mailer {
        i18n: &state.i18n,
        config: &state.config,
        lifetime: state.config.auth.invitation_lifetime,
    };
    let result = match parsed {
        Ok(inv) => {
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
            let email = percent_encoding::utf8_percent_encode(
                email.as_str(),
                percent_encoding::NON_ALPHANUMERIC,
            );
            Ok(Redirect::to(&format!("/spaces/{slug}?invited={email}")).into_response())
        }
        Err(Error::Invalid {
            code: "invite-org-mismatch",
            ..
        }) => {
            let chosen = crate::organizations::service::by_slug(
                &state.db,
                &signed.actor(),
                draft.org.trim(),
            )
            .await
            .map(|o| o.name)
            .unwrap_or_default();
            draft.confirm = Some(match owner {
                Some(o) => tr.format(
                    "invite-org-confirm-other",
                    &[
                        ("email", email.as_str().to_string().into()),
                        ("owner", o.name.into()),
                        ("org", chosen.into()),
                    ],
                ),
                None => tr.t2(
                    "invite-org-confirm-unlisted",
                    ("domain", email.domain().to_string()),
                    ("org", chosen),
                ),
            });
            again(&state, &signed, &slug, Forms::invite(draft)).await
        }
        Err(Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code)) => {
            draft.error = Some(message(&signed, code));
            again(&state, &signed, &slug, Forms::invite(draft)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A space manager adds someone who already has an account.
pub async fn add(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(mut draft): Form<AddDraft>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let result = async {
        let role = spaces::Role::parse(&draft.role)
            .map_err(|_| Error::invalid("role", "role-required"))?;
        let person = crate::people::service::find(&state.db, &actor, &draft.person).await?;
        let email = Email::parse(&person.email)?;
        spaces::service::grant(
            &state.db,
            &actor,
            &Slug::parse(&slug)?,
            spaces::service::MemberRef::Person(email),
            role,
        )
        .await?;
        Ok::<_, Error>(person.display_name)
    }
    .await;
    match result {
        Ok(name) => {
            let name =
                percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
            Ok(Redirect::to(&format!("/spaces/{slug}?added={name}")).into_response())
        }
        Err(Error::Invalid { code, .. } | Error::Conflict(code) | Error::Exists(code)) => {
            draft.error = Some(message(&signed, code));
            again(&state, &signed, &slug, Forms::add(draft)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    who: String,
}

/// A space manager removes a member (a person, a group or an organization).
pub async fn remove(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, HttpError> {
    let member = match form.kind.as_str() {
        "person" => spaces::service::MemberRef::Person(Email::parse(&form.who)?),
        "group" => spaces::service::MemberRef::Group(Slug::parse(&form.who)?),
        "organization" => spaces::service::MemberRef::Org(Slug::parse(&form.who)?),
        _ => return Err(Error::invalid("kind", "member-kind-invalid").into()),
    };
    spaces::service::revoke(&state.db, &signed.actor(), &Slug::parse(&slug)?, member).await?;
    Ok(Redirect::to(&format!("/spaces/{slug}?notice=member-removed")).into_response())
}
