//! First start: the host organization, the default portal and a first
//! administrator. Running it again changes nothing.

use crate::access::Actor;
use crate::app::AppState;
use crate::people::service::NewPerson;
use crate::service::{DisplayName, Email, Error, Locale, NewPassword, Result};
use crate::util::{Secret, readable_password};

/// How the first administrator is chosen: from `PARVIS_ADMIN_EMAIL` /
/// `PARVIS_ADMIN_PASSWORD`, or a default address and a one-time password.
#[derive(Default)]
pub struct AdminSeed {
    pub email: Option<String>,
    pub password: Option<Secret<String>>,
}

impl AdminSeed {
    pub fn from_env() -> AdminSeed {
        AdminSeed {
            email: std::env::var("PARVIS_ADMIN_EMAIL")
                .ok()
                .filter(|s| !s.trim().is_empty()),
            password: std::env::var("PARVIS_ADMIN_PASSWORD")
                .ok()
                .filter(|s| !s.is_empty())
                .map(Secret::new),
        }
    }
}

pub const DEFAULT_ADMIN_EMAIL: &str = "admin@parvis.local";

pub struct AdminCreated {
    pub email: String,
    /// Set when Parvis generated the password: shown once, must be changed at first sign-in.
    pub one_time_password: Option<Secret<String>>,
}

#[derive(Default)]
pub struct InitReport {
    pub host_created: bool,
    pub portal_created: bool,
    pub admin: Option<AdminCreated>,
}

impl InitReport {
    pub fn changed(&self) -> bool {
        self.host_created || self.portal_created || self.admin.is_some()
    }
}

/// Brings a fresh data directory to a usable state; a no-op on an initialized one.
pub async fn run(state: &AppState, organization: &str, seed: AdminSeed) -> Result<InitReport> {
    let name = DisplayName::parse(organization)
        .map_err(|_| Error::invalid("organization", "name-invalid"))?;
    let (host, host_created) = crate::organizations::service::ensure_host(&state.db, &name).await?;
    if host_created {
        crate::notifications::worker::start_at_the_beginning(&state.db).await?;
        crate::approvals::submissions::start_at_the_beginning(&state.db).await?;
        crate::news::service::ensure_communicators(&state.db).await?;
    }
    let host_name = host.name.clone();
    let portal_created = state
        .db
        .write(move |tx| {
            Ok::<_, Error>(crate::portals::store::ensure_default(
                tx,
                &host_name,
                Locale::En,
            )?)
        })
        .await?;
    // The key approval records are signed with, made once, here.
    state
        .db
        .write(|tx| crate::approvals::keys::signing_key(tx, crate::util::now_ms()).map(|_| ()))
        .await?;
    if portal_created {
        state
            .reload_portals()
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
    }

    let admins = state
        .db
        .read(|c| Ok::<_, Error>(crate::people::store::count_admins(c)?))
        .await?;
    let admin = if admins == 0 {
        let email = Email::parse(seed.email.as_deref().unwrap_or(DEFAULT_ADMIN_EMAIL))
            .map_err(|_| Error::invalid("PARVIS_ADMIN_EMAIL", "email-invalid"))?;
        let (password, one_time) = match seed.password {
            Some(p) => {
                let pw = NewPassword::parse(p.expose(), &[email.as_str(), email.local_part()])
                    .map_err(|e| match e {
                        Error::Invalid { code, .. } => {
                            Error::invalid("PARVIS_ADMIN_PASSWORD", code)
                        }
                        other => other,
                    })?;
                (pw, None)
            }
            None => {
                let generated = readable_password();
                let pw = NewPassword::parse(&generated, &[])?;
                (pw, Some(Secret::new(generated)))
            }
        };
        let mut new = NewPerson::new(email.clone(), DisplayName::parse("Administrator")?);
        new.admin = true;
        new.title = "Administrator".into();
        new.must_change = one_time.is_some();
        new.password = Some(password);
        crate::people::service::create(&state.db, &state.hasher, &Actor::system(), new).await?;
        Some(AdminCreated {
            email: email.to_string(),
            one_time_password: one_time,
        })
    } else {
        None
    };
    Ok(InitReport {
        host_created,
        portal_created,
        admin,
    })
}
