//! The administration pages: people (with CSV import), organizations,
//! groups, spaces and memberships, portals (with logo upload). Every page
//! answers "not found" to anyone but an administrator; every change goes
//! through the same services (and access checks) as the API and the CLI.

pub mod adoption;
pub mod audit;
pub mod orgs;
pub mod people;
pub mod portals;
pub mod spaces;

use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::Signed;

/// Administration pages do not exist for anyone else.
pub fn require_admin(signed: &Signed) -> Result<(), HttpError> {
    crate::access::require_admin(&signed.actor()).map_err(HttpError::from)
}

pub fn import_mailer(state: &AppState) -> crate::people::import::Mailer<'_> {
    crate::people::import::Mailer {
        i18n: &state.i18n,
        config: &state.config,
        lifetime: state.config.auth.invitation_lifetime,
    }
}
