//! The administration pages: people (with CSV import), organizations,
//! groups, spaces and memberships, portals (with logo upload). Every page
//! answers "not found" to anyone but an administrator; every change goes
//! through the same services (and access checks) as the API and the CLI.

pub mod audit;
pub mod orgs;
pub mod people;
pub mod portals;
pub mod spaces;

use crate::app::AppState;
use crate::server::context::Ctx;
use crate::server::error::HttpError;
use crate::server::extract::Signed;
use crate::server::page::Chrome;

/// Administration pages do not exist for anyone else.
pub fn require_admin(signed: &Signed) -> Result<(), HttpError> {
    crate::access::require_admin(&signed.actor()).map_err(HttpError::from)
}

pub struct AdminPage;

impl AdminPage {
    pub fn chrome(ctx: &Ctx, title_key: &str) -> Chrome {
        Chrome::new(ctx, "admin", ctx.tr.t(title_key))
    }
}

pub fn import_mailer(state: &AppState) -> crate::people::import::Mailer<'_> {
    crate::people::import::Mailer {
        i18n: &state.i18n,
        config: &state.config,
        lifetime: state.config.auth.invitation_lifetime,
    }
}

/// The fields of a multipart form, each at most `max` bytes (a larger one is refused).
pub async fn multipart_fields(
    mut multipart: axum::extract::Multipart,
    max: usize,
) -> Result<Vec<(String, Vec<u8>)>, HttpError> {
    let mut out = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return Err(if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    HttpError::new(e.status(), "too-large")
                } else {
                    HttpError::bad_request("form-invalid")
                });
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let mut data = Vec::new();
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if data.len() + chunk.len() > max {
                        return Err(HttpError::new(
                            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                            "too-large",
                        ));
                    }
                    data.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return Err(HttpError::bad_request("form-invalid")),
            }
        }
        out.push((name, data));
        if out.len() > 20 {
            return Err(HttpError::bad_request("form-invalid"));
        }
    }
    Ok(out)
}
