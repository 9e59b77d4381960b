//! Authentication: password hashing, sign-in with throttling, server-side sessions.

pub mod account_web;
pub mod events;
pub mod invitations;
pub mod invite_web;
pub mod mfa;
pub mod password;
pub mod reauth;
pub mod reset;
pub mod session;
pub mod signin;
pub mod throttle;
pub mod tokens;
pub mod tokens_api;
pub mod web;

/// How a caller proved who they are: a stream opened with it checks it
/// again while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Session(i64),
    Token(i64),
}

impl Credential {
    /// Until when it stays valid if nothing changes (ms), or `None` once it
    /// no longer is.
    pub fn valid_until(
        self,
        c: &rusqlite::Connection,
        now: i64,
        idle_ms: i64,
    ) -> rusqlite::Result<Option<i64>> {
        match self {
            Credential::Session(id) => session::store::valid_until(c, id, now, idle_ms),
            Credential::Token(id) => tokens::valid_until(c, id, now),
        }
    }
}

/// The person as authorization sees them now (organization, administrator),
/// or `None` if they are gone.
pub fn principal_now(
    c: &rusqlite::Connection,
    person_id: i64,
) -> rusqlite::Result<Option<crate::access::Principal>> {
    use rusqlite::OptionalExtension;
    Ok(signin::principal_of(c, person_id)
        .optional()?
        .map(|(p, _)| p))
}
