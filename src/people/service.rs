//! People rules: who may create, list, disable and reset whom; every change audited.

use super::events;
use super::model::{Person, PersonStatus};
use super::store;
use crate::access::{self, Actor};
use crate::auth::password::PasswordHasher;
use crate::auth::session;
use crate::content::events::record;
use crate::db::{Db, is_unique_violation};
use crate::organizations::OrgKind;
use crate::service::{DisplayName, Email, Error, Locale, NewPassword, Result};

pub struct NewPerson {
    pub email: Email,
    pub name: DisplayName,
    /// Slug of the organization; `None` means the host organization.
    pub org_slug: Option<String>,
    pub title: String,
    pub department: String,
    pub phone: String,
    pub locale: Option<Locale>,
    pub admin: bool,
    pub password: Option<NewPassword>,
    /// The person must choose a new password at next sign-in.
    pub must_change: bool,
    /// After this instant (ms) the account can no longer sign in.
    pub expires_at: Option<i64>,
}

impl NewPerson {
    pub fn new(email: Email, name: DisplayName) -> Self {
        NewPerson {
            email,
            name,
            org_slug: None,
            title: String::new(),
            department: String::new(),
            phone: String::new(),
            locale: None,
            admin: false,
            password: None,
            must_change: false,
            expires_at: None,
        }
    }
}

fn bounded(field: &'static str, s: &str, max: usize) -> Result<String> {
    let s = s.trim();
    if s.chars().count() > max {
        return Err(Error::invalid(field, "field-too-long"));
    }
    if s.chars().any(char::is_control) {
        return Err(Error::invalid(field, "field-invalid"));
    }
    Ok(s.to_string())
}

pub async fn create(
    db: &Db,
    hasher: &PasswordHasher,
    actor: &Actor,
    new: NewPerson,
) -> Result<Person> {
    access::require_admin(actor)?;
    let title = bounded("title", &new.title, 120)?;
    let department = bounded("department", &new.department, 120)?;
    let phone = bounded("phone", &new.phone, 40)?;
    if new.expires_at.is_some_and(|t| t <= crate::util::now_ms()) {
        return Err(Error::invalid("expires", "expiry-in-past"));
    }
    let hash = match &new.password {
        Some(pw) => Some(
            hasher
                .hash(pw.secret())
                .await
                .map_err(|e| Error::Internal(e.to_string()))?,
        ),
        None => None,
    };
    let actor = *actor;
    db.write(move |tx| {
        let org = match &new.org_slug {
            Some(slug) => crate::organizations::store::by_slug(tx, slug)?
                .ok_or(Error::invalid("org", "org-unknown"))?,
            None => crate::organizations::store::host(tx)?
                .ok_or(Error::invalid("org", "org-no-host"))?,
        };
        if new.admin && org.kind != OrgKind::Host {
            return Err(Error::invalid("admin", "admin-must-be-internal"));
        }
        let row = store::NewRow {
            org_id: org.id,
            email: new.email.as_str(),
            display_name: new.name.as_str(),
            title: &title,
            department: &department,
            phone: &phone,
            locale: new.locale,
            is_admin: new.admin,
            password_hash: hash.as_deref(),
            password_must_change: new.must_change,
            expires_at: new.expires_at,
        };
        let id = match store::insert(tx, &row, crate::util::now_ms()) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Conflict("email-taken")),
            other => other?,
        };
        record(
            tx,
            &actor,
            &events::Created {
                id,
                email: new.email.as_str(),
                org: Some(&org.slug),
                admin: Some(new.admin),
                via: None,
            },
        )?;
        store::by_id(tx, id, &crate::access::SqlFilter::everything())?.ok_or(Error::NotFound)
    })
    .await
}

/// Removes what the actor may not know about a visible person: an external
/// person sees a co-member from a third organization without its name.
fn redact(actor: &Actor, mut person: Person) -> Person {
    if let Some(p) = actor.principal()
        && !access::can_see_organization(p, person.org_id, person.internal())
    {
        person.org_name.clear();
        person.org_slug.clear();
    }
    person
}

/// People the actor may see; `search` narrows by name, e-mail, title or department.
pub async fn list(
    db: &Db,
    actor: &Actor,
    search: Option<String>,
    limit: u32,
) -> Result<Vec<Person>> {
    let filter = access::filter_for(actor, access::people_filter, "p")?;
    let search = search
        .map(|s| s.trim().chars().take(200).collect::<String>())
        .filter(|s| !s.is_empty());
    let people = db
        .read(move |c| Ok::<_, Error>(store::list(c, &filter, search.as_deref(), limit)?))
        .await?;
    Ok(people.into_iter().map(|p| redact(actor, p)).collect())
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Person> {
    let filter = access::filter_for(actor, access::people_filter, "p")?;
    let person = db
        .read(move |c| store::by_id(c, id, &filter)?.ok_or(Error::NotFound))
        .await?;
    Ok(redact(actor, person))
}

/// The one person the actor may see named by `who`: an e-mail address, or a
/// display name that exactly one of them bears. Anyone else is unknown, so
/// a hidden person looks exactly like a missing one.
pub async fn find(db: &Db, actor: &Actor, who: &str) -> Result<Person> {
    let filter = access::filter_for(actor, access::people_filter, "p")?;
    let unknown = || Error::invalid("person", "person-unknown");
    let who = who.trim().chars().take(254).collect::<String>();
    if who.is_empty() {
        return Err(unknown());
    }
    let email = Email::parse(&who).ok();
    let person = db
        .read(move |c| {
            if let Some(email) = email {
                let Some(found) = store::by_email(c, email.as_str())? else {
                    return Ok::<_, Error>(None);
                };
                return Ok(store::by_id(c, found.id, &filter)?);
            }
            let mut named: Vec<Person> = store::list(c, &filter, Some(&who), 50)?
                .into_iter()
                .filter(|p| p.display_name.to_lowercase() == who.to_lowercase())
                .collect();
            Ok(if named.len() == 1 { named.pop() } else { None })
        })
        .await?
        .ok_or_else(unknown)?;
    Ok(redact(actor, person))
}

pub async fn by_email_admin(db: &Db, actor: &Actor, email: &Email) -> Result<Person> {
    access::require_admin(actor)?;
    let email = email.clone();
    db.read(move |c| store::by_email(c, email.as_str())?.ok_or(Error::NotFound))
        .await
}

/// Disables or re-enables an account. Disabling ends every session at once.
pub async fn set_status(
    db: &Db,
    actor: &Actor,
    email: &Email,
    status: PersonStatus,
) -> Result<Person> {
    access::require_admin(actor)?;
    let email = email.clone();
    let actor = *actor;
    db.write(move |tx| {
        let person = store::by_email(tx, email.as_str())?.ok_or(Error::NotFound)?;
        if status == PersonStatus::Disabled
            && person.is_admin
            && person.status == PersonStatus::Active
            && store::count_admins(tx)? <= 1
        {
            return Err(Error::Conflict("last-admin"));
        }
        if let Some(p) = actor.principal()
            && p.person_id == person.id
        {
            return Err(Error::Conflict("cannot-disable-self"));
        }
        store::set_status(tx, person.id, status, crate::util::now_ms())?;
        let ended = if status == PersonStatus::Disabled {
            session::store::delete_for_person(tx, person.id, None)?
        } else {
            0
        };
        record(
            tx,
            &actor,
            &events::StatusChanged {
                id: person.id,
                disabled: status == PersonStatus::Disabled,
                sessions_ended: ended,
            },
        )?;
        store::by_id(tx, person.id, &crate::access::SqlFilter::everything())?.ok_or(Error::NotFound)
    })
    .await
    .inspect(|_| crate::auth::session::sessions_changed())
}

/// An administrator sets someone's password; their sessions end.
pub async fn set_password(
    db: &Db,
    hasher: &PasswordHasher,
    actor: &Actor,
    email: &Email,
    password: NewPassword,
    must_change: bool,
) -> Result<Person> {
    access::require_admin(actor)?;
    let hash = hasher
        .hash(password.secret())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let email = email.clone();
    let actor = *actor;
    db.write(move |tx| {
        let person = store::by_email(tx, email.as_str())?.ok_or(Error::NotFound)?;
        store::set_password(tx, person.id, &hash, must_change, crate::util::now_ms())?;
        let ended = session::store::delete_for_person(tx, person.id, None)?;
        record(
            tx,
            &actor,
            &events::PasswordSet {
                id: person.id,
                must_change,
                sessions_ended: ended,
            },
        )?;
        Ok(person)
    })
    .await
    .inspect(|_| crate::auth::session::sessions_changed())
}

/// A person changes their own password, proving they know the current one.
/// Their other sessions end; the current one stays.
pub async fn change_own_password(
    db: &Db,
    hasher: &PasswordHasher,
    actor: &Actor,
    current_session: i64,
    current: &crate::util::Secret<String>,
    new: NewPassword,
) -> Result<()> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let stored = db
        .read(move |c| Ok::<_, Error>(store::password_hash(c, p.person_id)?))
        .await?;
    if !hasher.verify(current, stored).await {
        return Err(Error::invalid("current_password", "current-password-wrong"));
    }
    let hash = hasher
        .hash(new.secret())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let actor = *actor;
    db.write(move |tx| {
        store::set_password(tx, p.person_id, &hash, false, crate::util::now_ms())?;
        let ended = session::store::delete_for_person(tx, p.person_id, Some(current_session))?;
        record(
            tx,
            &actor,
            &events::PasswordChanged {
                id: p.person_id,
                other_sessions_ended: ended,
            },
        )?;
        Ok(())
    })
    .await
    .inspect(|_| crate::auth::session::sessions_changed())
}

pub async fn set_own_locale(db: &Db, actor: &Actor, locale: Locale) -> Result<()> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    db.write(move |tx| {
        store::set_locale(tx, p.person_id, locale, crate::util::now_ms())?;
        Ok(())
    })
    .await
}

/// A page of the people the actor may see, by id (the API's listing).
pub async fn page(
    db: &Db,
    actor: &Actor,
    search: Option<String>,
    after: i64,
    limit: u32,
) -> Result<Vec<Person>> {
    let filter = access::filter_for(actor, access::people_filter, "p")?;
    let search = search
        .map(|s| s.trim().chars().take(200).collect::<String>())
        .filter(|s| !s.is_empty());
    let people = db
        .read(move |c| Ok::<_, Error>(store::page(c, &filter, search.as_deref(), after, limit)?))
        .await?;
    Ok(people.into_iter().map(|p| redact(actor, p)).collect())
}

/// Profile changes; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ProfileChanges {
    pub name: Option<DisplayName>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub skills: Option<String>,
    pub locale: Option<Locale>,
    /// `Some(None)` goes back to the instance's time zone.
    pub time_zone: Option<Option<crate::i18n::time::ZoneName>>,
}

/// Skills as a clean comma-separated list: at most 30, each at most 60 characters.
fn clean_skills(raw: &str) -> Result<String> {
    let skills: Vec<String> = raw
        .split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect();
    if skills.len() > 30 || skills.iter().any(|s| s.chars().count() > 60) {
        return Err(Error::invalid("skills", "field-too-long"));
    }
    if skills.iter().any(|s| s.chars().any(char::is_control)) {
        return Err(Error::invalid("skills", "field-invalid"));
    }
    Ok(skills.join(", "))
}

/// Changes a profile: the person themself or an administrator.
pub async fn update_profile(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: ProfileChanges,
) -> Result<Person> {
    access::require_self_or_admin(actor, id)?;
    let title = changes
        .title
        .as_deref()
        .map(|t| bounded("title", t, 120))
        .transpose()?;
    let department = changes
        .department
        .as_deref()
        .map(|t| bounded("department", t, 120))
        .transpose()?;
    let phone = changes
        .phone
        .as_deref()
        .map(|t| bounded("phone", t, 40))
        .transpose()?;
    let skills = changes.skills.as_deref().map(clean_skills).transpose()?;
    let actor = *actor;
    db.write(move |tx| {
        let old = store::by_id(tx, id, &crate::access::SqlFilter::everything())?
            .ok_or(Error::NotFound)?;
        let profile = store::Profile {
            display_name: changes
                .name
                .as_ref()
                .map_or(old.display_name.as_str(), DisplayName::as_str),
            title: title.as_deref().unwrap_or(&old.title),
            department: department.as_deref().unwrap_or(&old.department),
            phone: phone.as_deref().unwrap_or(&old.phone),
            skills: skills.as_deref().unwrap_or(&old.skills),
            locale: changes.locale.or(old.locale),
            time_zone: match &changes.time_zone {
                Some(z) => z.as_ref().map(|z| z.as_str()),
                None => old.time_zone.as_deref(),
            },
        };
        store::update_profile(tx, id, &profile, crate::util::now_ms())?;
        let mut changed: Vec<&str> = Vec::new();
        for (field, set) in [
            ("name", changes.name.is_some()),
            ("title", title.is_some()),
            ("department", department.is_some()),
            ("phone", phone.is_some()),
            ("skills", skills.is_some()),
            ("locale", changes.locale.is_some()),
            ("time_zone", changes.time_zone.is_some()),
        ] {
            if set {
                changed.push(field);
            }
        }
        record(
            tx,
            &actor,
            &events::Updated {
                id,
                fields: &changed,
            },
        )?;
        store::by_id(tx, id, &crate::access::SqlFilter::everything())?.ok_or(Error::NotFound)
    })
    .await
}

/// Deletes an account (administrators). Shared content they authored is
/// handled by erasure (see the export issue); for now the account, its
/// memberships, sessions, tokens and factors go.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        let person = store::by_id(tx, id, &crate::access::SqlFilter::everything())?
            .ok_or(Error::NotFound)?;
        if actor.principal().is_some_and(|p| p.person_id == id) {
            return Err(Error::Conflict("cannot-delete-self"));
        }
        if person.is_admin && person.status == PersonStatus::Active && store::count_admins(tx)? <= 1
        {
            return Err(Error::Conflict("last-admin"));
        }
        store::delete(tx, id)?;
        record(
            tx,
            &actor,
            &events::Deleted {
                id,
                email: &person.email,
                org: &person.org_slug,
            },
        )?;
        Ok(())
    })
    .await
    .inspect(|_| crate::auth::session::sessions_changed())
}

/// A person changes their own e-mail address (after re-entering their
/// password, checked by the caller). The old address is told, so a takeover
/// does not go unnoticed.
pub async fn change_own_email(
    db: &Db,
    i18n: &std::sync::Arc<crate::i18n::I18n>,
    actor: &Actor,
    new: &Email,
) -> Result<()> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let (actor, new, i18n) = (*actor, new.clone(), i18n.clone());
    db.write(move |tx| {
        let me = store::by_id(tx, p.person_id, &crate::access::SqlFilter::everything())?
            .ok_or(Error::NotFound)?;
        if me.email == new.as_str() {
            return Ok(());
        }
        match store::set_email(tx, p.person_id, new.as_str(), crate::util::now_ms()) {
            Err(e) if is_unique_violation(&e) => return Err(Error::Conflict("email-taken")),
            other => other?,
        };
        let tr = crate::i18n::Tr::new(i18n, me.locale.unwrap_or_default());
        crate::mail::enqueue(
            tx,
            &crate::mail::Mail {
                to: me.email.clone(),
                to_name: me.display_name.clone(),
                subject: tr.t("mail-email-changed-subject").to_string(),
                text: tr.t2(
                    "mail-email-changed-body",
                    ("name", me.display_name.clone()),
                    ("email", new.to_string()),
                ),
                unsubscribe: None,
                reply_to: None,
            },
        )?;
        record(
            tx,
            &actor,
            &events::EmailChanged {
                id: p.person_id,
                previous: &me.email,
                new: new.as_str(),
            },
        )?;
        Ok(())
    })
    .await
    .inspect(|_| crate::auth::session::sessions_changed())
}

/// Sets (or with `None` removes) a profile photo: the person or an administrator.
pub async fn set_photo(
    db: &Db,
    actor: &Actor,
    id: i64,
    image: Option<crate::portals::Image>,
) -> Result<()> {
    access::require_self_or_admin(actor, id)?;
    let actor = *actor;
    db.write(move |tx| {
        match &image {
            Some(img) => store::set_photo(
                tx,
                id,
                img.content_type,
                &img.data,
                &img.etag(),
                crate::util::now_ms(),
            )?,
            None => {
                store::remove_photo(tx, id)?;
            }
        }
        record(
            tx,
            &actor,
            &events::PhotoChanged {
                id,
                removed: image.is_none(),
            },
        )?;
        Ok(())
    })
    .await
}

/// A profile photo, for whoever may see the person.
pub async fn photo(db: &Db, actor: &Actor, id: i64) -> Result<(String, Vec<u8>, String)> {
    get(db, actor, id).await?;
    db.read(move |c| store::photo(c, id)?.ok_or(Error::NotFound))
        .await
}
