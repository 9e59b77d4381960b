//! Inviting an external person: an administrator or an internal manager of
//! the spaces names the person, their organization and spaces; Parvis creates
//! the account without a password, with an internal sponsor and an access end
//! date, and mails a single-use link (valid `auth.invitation_lifetime`) that
//! lets them choose a password — and then enroll a second factor when their
//! portal asks for one.

use super::password::PasswordHasher;
use super::signin::{SignedIn, open_session};
use crate::access::{self, Actor};
use crate::auth::events;
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::i18n::{I18n, Tr};
use crate::mail::{self, Mail};
use crate::organizations::OrgKind;
use crate::people::store as people_store;
use crate::service::{DisplayName, Email, Error, Locale, NewPassword, Result, Slug};
use crate::spaces::Role;
use crate::util::{Secret, now_ms, random_token};
use fluent_bundle::FluentValue;
use rusqlite::{OptionalExtension, params};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

const DAY_MS: i64 = 24 * 3600 * 1000;

pub struct Invitation {
    pub email: Email,
    pub name: DisplayName,
    /// The external organization they belong to.
    pub org: Slug,
    /// Spaces they join, with a role each.
    pub spaces: Vec<(Slug, Role)>,
    /// Their sponsor; by default the person who invites.
    pub sponsor: Option<Email>,
    /// The portal they will use; by default the one the invitation is made on.
    pub portal: Option<Slug>,
    /// Days of access; by default the portal's setting.
    pub access_days: Option<u32>,
    pub locale: Option<Locale>,
    /// The inviter confirmed the organization although the address's domain
    /// points elsewhere.
    pub org_confirmed: bool,
}

/// What sending an invitation needs besides the database.
pub struct Mailer<'a> {
    pub i18n: &'a Arc<I18n>,
    pub config: &'a crate::config::Config,
    /// How long the link works.
    pub lifetime: Duration,
}

/// An invitation sent: the link is in the outbox (and returned for the CLI).
pub struct Sent {
    pub person_id: i64,
    pub link: Secret<String>,
    pub expires_at: i64,
}

fn hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

/// Who a link is mailed to, and the words around it.
pub(crate) struct LinkMail<'a> {
    pub to: &'a str,
    pub name: &'a str,
    /// Who invites (for `mail-invite-body`).
    pub inviter: &'a str,
    pub locale: Locale,
    /// The subject's message id (given `portal` and `args`).
    pub subject: &'a str,
    /// The body's message id: `mail-invite-body`, `mail-welcome-body`, …
    pub body: &'a str,
    /// More arguments for the subject and the body.
    pub args: Vec<(&'static str, FluentValue<'static>)>,
}

/// Issues a fresh single-use link for a person to choose a password on
/// `portal`, and queues its e-mail, inside the caller's transaction. Returns
/// the link and when it stops working.
pub(crate) fn issue_link(
    tx: &rusqlite::Transaction<'_>,
    i18n: &Arc<I18n>,
    config: &crate::config::Config,
    portal: &crate::portals::Portal,
    person_id: i64,
    lifetime_ms: i64,
    mail_to: LinkMail<'_>,
) -> Result<(String, i64)> {
    let token = random_token(32);
    let now = now_ms();
    let expires = now + lifetime_ms;
    tx.execute(
        "INSERT INTO one_time_tokens (purpose, token_hash, person_id, created_at, expires_at)
         VALUES ('invite', ?1, ?2, ?3, ?4)",
        params![&hash(&token)[..], person_id, now, expires],
    )?;
    let base = config.public_url_for(portal.hostnames.first().map(String::as_str));
    let link = format!("{base}/invite/{token}");
    let tr = Tr::new(i18n.clone(), mail_to.locale);
    let mut args: Vec<(&str, FluentValue<'static>)> = vec![
        ("name", mail_to.name.to_string().into()),
        ("inviter", mail_to.inviter.to_string().into()),
        ("portal", portal.name.clone().into()),
        ("link", link.clone().into()),
        ("days", (lifetime_ms / DAY_MS).max(1).into()),
    ];
    args.extend(mail_to.args);
    mail::enqueue(
        tx,
        &Mail {
            to: mail_to.to.to_string(),
            to_name: mail_to.name.to_string(),
            subject: tr.format(mail_to.subject, &args),
            text: tr.format(mail_to.body, &args),
            unsubscribe: None,
            reply_to: None,
        },
    )?;
    Ok((link, expires))
}

/// The portal an external person of `org` should use: one whose audience
/// admits them, preferring one that names their organization, then an
/// extranet (a portal not for staff), then one showing the spaces they join,
/// then the portal the invitation is made on, then the main one.
pub(crate) fn portal_for<'p>(
    portals: &'p [crate::portals::Portal],
    org_id: i64,
    kind: OrgKind,
    published: &[String],
    current: i64,
) -> Option<&'p crate::portals::Portal> {
    use crate::portals::Audience;
    portals
        .iter()
        .filter(|p| p.admits(org_id, kind))
        .max_by_key(|p| {
            let names_org = p
                .audience
                .iter()
                .any(|a| matches!(a, Audience::Organization { id } if *id == org_id));
            let extranet = !p.admits(0, OrgKind::Host);
            (
                names_org,
                extranet,
                published.contains(&p.slug),
                p.id == current,
                p.is_default,
                std::cmp::Reverse(p.id),
            )
        })
}

pub async fn invite(
    db: &Db,
    mailer: &Mailer<'_>,
    actor: &Actor,
    current_portal: i64,
    inv: Invitation,
) -> Result<Sent> {
    if inv.access_days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(Error::invalid("access_days", "access-days-invalid"));
    }
    let i18n = mailer.i18n.clone();
    let config = mailer.config.clone();
    let lifetime = mailer.lifetime.as_millis() as i64;
    let actor = *actor;
    db.write(move |tx| {
        let org = crate::organizations::store::by_slug(tx, inv.org.as_str())?
            .ok_or(Error::invalid("org", "org-unknown"))?;
        if org.kind == OrgKind::Host {
            return Err(Error::invalid("org", "invite-external-only"));
        }
        let mut spaces = Vec::with_capacity(inv.spaces.len());
        for (slug, role) in &inv.spaces {
            let id = crate::spaces::store::id_by_slug(tx, slug.as_str())?
                .ok_or(Error::invalid("space", "space-unknown"))?;
            spaces.push((id, *role));
        }
        access::require_invitation(tx, &actor, &spaces)?;
        // The organization decides what the person will see: when the address
        // says otherwise, the inviter must have confirmed the choice.
        if !inv.org_confirmed && org_disagrees(tx, &org, &inv.email)? {
            return Err(Error::invalid("org", "invite-org-mismatch"));
        }
        if people_store::by_email(tx, inv.email.as_str())?.is_some() {
            return Err(Error::Conflict("email-taken"));
        }
        let sponsor = match (&inv.sponsor, actor.principal()) {
            (Some(email), _) => people_store::by_email(tx, email.as_str())?
                .ok_or(Error::invalid("sponsor", "person-unknown"))?,
            (None, Some(p)) => {
                people_store::by_id(tx, p.person_id, &crate::access::SqlFilter::everything())?
                    .ok_or(Error::NotFound)?
            }
            (None, None) => return Err(Error::invalid("sponsor", "sponsor-required")),
        };
        if !sponsor.internal() || sponsor.status != crate::people::PersonStatus::Active {
            return Err(Error::invalid("sponsor", "sponsor-must-be-internal"));
        }
        let portals = crate::portals::store::load_all(tx)?;
        let portal = match &inv.portal {
            Some(slug) => {
                let p = portals
                    .iter()
                    .find(|p| p.slug == slug.as_str())
                    .ok_or(Error::invalid("portal", "portal-unknown"))?;
                if !p.admits(org.id, org.kind) {
                    return Err(Error::invalid("portal", "portal-refuses-org"));
                }
                p
            }
            None => {
                let mut published = Vec::new();
                for (space, _) in &spaces {
                    published.extend(
                        crate::portals::store::portals_of_space(tx, *space)?
                            .into_iter()
                            .map(|(slug, _)| slug),
                    );
                }
                portal_for(&portals, org.id, org.kind, &published, current_portal)
                    .ok_or(Error::invalid("portal", "portal-refuses-org"))?
            }
        };
        let now = now_ms();
        let days = inv.access_days.unwrap_or(portal.external_access_days);
        let expires_at = now + i64::from(days) * DAY_MS;
        let locale = inv.locale.unwrap_or(portal.default_locale);
        let row = people_store::NewRow {
            org_id: org.id,
            email: inv.email.as_str(),
            display_name: inv.name.as_str(),
            title: "",
            department: "",
            phone: "",
            locale: Some(locale),
            is_admin: false,
            password_hash: None,
            password_must_change: false,
            expires_at: Some(expires_at),
        };
        let person_id = match people_store::insert(tx, &row, now) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Conflict("email-taken")),
            other => other?,
        };
        tx.execute(
            "UPDATE people SET sponsor_id = ?2, portal_id = ?3, invited_at = ?4 WHERE id = ?1",
            params![person_id, sponsor.id, portal.id, now],
        )?;
        let mut space_names = Vec::with_capacity(spaces.len());
        for (space, role) in &spaces {
            crate::spaces::store::grant(
                tx,
                *space,
                crate::spaces::store::Member::Person(person_id),
                *role,
                now,
            )?;
            if let Some(s) = crate::spaces::store::by_id(tx, *space)? {
                space_names.push(s.name);
            }
        }
        let inviter = match actor.principal() {
            Some(p) => {
                people_store::by_id(tx, p.person_id, &crate::access::SqlFilter::everything())?
                    .map(|x| x.display_name)
                    .unwrap_or_default()
            }
            None => sponsor.display_name.clone(),
        };
        let (link, link_expires) = issue_link(
            tx,
            &i18n,
            &config,
            portal,
            person_id,
            lifetime,
            LinkMail {
                to: inv.email.as_str(),
                name: inv.name.as_str(),
                inviter: &inviter,
                locale,
                subject: "mail-invite-subject",
                body: "mail-invite-body",
                args: vec![
                    ("spaces", space_names.join(", ").into()),
                    ("spaces_count", space_names.len().into()),
                    (
                        "ends",
                        crate::i18n::time::format_date(expires_at, locale, &config.time_zone())
                            .into(),
                    ),
                ],
            },
        )?;
        record(
            tx,
            &actor,
            &events::Invited {
                id: person_id,
                email: inv.email.as_str(),
                org: &org.slug,
                org_confirmed: inv.org_confirmed,
                sponsor: sponsor.id,
                portal: &portal.slug,
                spaces: spaces
                    .iter()
                    .map(|(space, role)| events::InvitedTo {
                        space: *space,
                        role: role.as_str(),
                    })
                    .collect(),
                access_ends: expires_at,
            },
        )?;
        Ok(Sent {
            person_id,
            link: Secret::new(link),
            expires_at: link_expires,
        })
    })
    .await
}

/// Whether an address and an organization disagree: its domain belongs to
/// another organization, or the organization lists domains and not this one.
fn org_disagrees(
    c: &rusqlite::Connection,
    org: &crate::organizations::Organization,
    email: &Email,
) -> Result<bool> {
    Ok(
        match crate::organizations::store::by_domain(c, email.domain())? {
            Some(owner) => owner.id != org.id,
            None => !org.domains.is_empty(),
        },
    )
}

/// Sends a fresh link to someone who has not accepted yet (the old link stops working).
pub async fn resend(db: &Db, mailer: &Mailer<'_>, actor: &Actor, person_id: i64) -> Result<Sent> {
    let i18n = mailer.i18n.clone();
    let config = mailer.config.clone();
    let lifetime = mailer.lifetime.as_millis() as i64;
    let actor = *actor;
    db.write(move |tx| {
        let person = people_store::by_id(tx, person_id, &crate::access::SqlFilter::everything())?.ok_or(Error::NotFound)?;
        let is_sponsor = actor
            .principal()
            .is_some_and(|p| Some(p.person_id) == person.sponsor_id);
        if !is_sponsor {
            access::require_admin(&actor)?;
        }
        if !person.invitation_pending {
            return Err(Error::Conflict("invite-already-accepted"));
        }
        let now = now_ms();
        tx.execute(
            "UPDATE one_time_tokens SET used_at = ?2 WHERE person_id = ?1 AND purpose = 'invite' AND used_at IS NULL",
            params![person_id, now],
        )?;
        let portals = crate::portals::store::load_all(tx)?;
        let portal = portals
            .iter()
            .find(|p| Some(p.id) == person.portal_id)
            .or_else(|| portals.iter().find(|p| p.is_default))
            .ok_or(Error::invalid("portal", "portal-unknown"))?;
        let locale = person.locale.unwrap_or(portal.default_locale);
        let space_names = crate::spaces::store::names_of_direct_memberships(tx, person_id)?;
        let (link, link_expires) = issue_link(
            tx,
            &i18n,
            &config,
            portal,
            person_id,
            lifetime,
            LinkMail {
                to: &person.email,
                name: &person.display_name,
                inviter: person.sponsor_name.as_deref().unwrap_or(""),
                locale,
                subject: "mail-invite-subject",
                body: "mail-invite-body",
                args: vec![
                    ("spaces", space_names.join(", ").into()),
                    ("spaces_count", space_names.len().into()),
                    (
                        "ends",
                        person
                            .expires_at
                            .map(|t| {
                                crate::i18n::time::format_date(t, locale, &config.time_zone())
                            })
                            .unwrap_or_else(|| "none".into())
                            .into(),
                    ),
                ],
            },
        )?;
        record(tx, &actor, &events::InvitationResent { id: person_id })?;
        Ok(Sent {
            person_id,
            link: Secret::new(link),
            expires_at: link_expires,
        })
    })
    .await
}

/// The invitation behind a link, for its page: the person's name, e-mail and
/// organization, if the link is still good.
pub struct Pending {
    pub name: String,
    pub email: String,
    pub org_name: String,
}

pub async fn pending(db: &Db, token: &str) -> Result<Option<Pending>> {
    if token.len() != 43 {
        return Ok(None);
    }
    let h = hash(token);
    db.read(move |c| {
        let person: Option<i64> = c
            .query_row(
                "SELECT person_id FROM one_time_tokens WHERE token_hash = ?1 AND purpose = 'invite'
                   AND used_at IS NULL AND expires_at > ?2",
                params![&h[..], now_ms()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = person else { return Ok(None) };
        Ok(
            people_store::by_id(c, id, &crate::access::SqlFilter::everything())?.map(|p| Pending {
                name: p.display_name,
                email: p.email,
                org_name: p.org_name,
            }),
        )
    })
    .await
}

/// Uses an invitation link: exactly once, however many requests race. Sets the
/// password and opens a session.
pub async fn accept(
    db: &Db,
    hasher: &PasswordHasher,
    token: &str,
    password: NewPassword,
    ip: Option<IpAddr>,
    user_agent: &str,
    absolute: Duration,
) -> Result<SignedIn> {
    if token.len() != 43 {
        return Err(Error::invalid("token", "invite-link-invalid"));
    }
    let new_hash = hasher
        .hash(password.secret())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let h = hash(token);
    let ua = user_agent.to_string();
    db.write(move |tx| {
        let now = now_ms();
        let person: Option<i64> = tx
            .query_row(
                "UPDATE one_time_tokens SET used_at = ?2
                 WHERE token_hash = ?1 AND purpose = 'invite' AND used_at IS NULL AND expires_at > ?2
                 RETURNING person_id",
                params![&h[..], now],
                |r| r.get(0),
            )
            .optional()?;
        let person = person.ok_or(Error::invalid("token", "invite-link-invalid"))?;
        let creds = people_store::credentials_by_id(tx, person)?.ok_or(Error::NotFound)?;
        if !creds.may_sign_in(now) {
            return Err(Error::invalid("token", "invite-link-invalid"));
        }
        people_store::set_password(tx, person, &new_hash, false, now)?;
        let actor = Actor::anonymous(ip);
        record(tx, &actor, &events::InvitationAccepted { id: person })?;
        open_session(tx, person, ip, &ua, absolute, None)
    })
    .await
}
