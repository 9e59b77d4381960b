//! What happens to accounts, as values (see `content::events`): sign-in and
//! sign-out, second factors, tokens, password resets, invitations. Each
//! is recorded on the person it concerns; an invitation also writes the
//! new person's directory entry.

use crate::content::events::{Recorded, recorded};
use crate::search::sources::Change;
use serde::Serialize;

/// A failed sign-in, on the account when the address named one.
#[derive(Serialize)]
pub struct SigninFailed<'a> {
    #[serde(skip)]
    pub person: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    pub reason: &'a str,
}

impl Recorded for SigninFailed<'_> {
    fn action(&self) -> &'static str {
        "signin.failure"
    }
    fn target(&self) -> Option<(&'static str, i64)> {
        self.person.map(|id| ("person", id))
    }
    fn reindex(&self) -> Option<Change> {
        None
    }
}

/// The password was right; a second factor is awaited.
#[derive(Serialize)]
pub struct PasswordAccepted {
    #[serde(skip)]
    pub id: i64,
}

#[derive(Serialize)]
pub struct SignedIn<'a> {
    #[serde(skip)]
    pub id: i64,
    pub session: i64,
    pub second_factor: Option<&'a str>,
}

/// The current session ended, or every one of the person's (`everywhere`).
#[derive(Serialize)]
pub struct SignedOut {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub everywhere: bool,
    pub sessions_ended: usize,
}

/// Every session but the current one ended.
#[derive(Serialize)]
pub struct SignedOutOthers {
    #[serde(skip)]
    pub id: i64,
    pub sessions_ended: usize,
}

/// An API token made for the person (`id`); its secret is never recorded.
#[derive(Serialize)]
pub struct TokenCreated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub token: i64,
    pub name: &'a str,
    pub scope: &'a str,
    pub expires_at: Option<i64>,
}

#[derive(Serialize)]
pub struct TokenRevoked {
    #[serde(skip)]
    pub id: i64,
    pub token: i64,
}

#[derive(Serialize)]
pub struct ResetRequested {
    #[serde(skip)]
    pub id: i64,
}

#[derive(Serialize)]
pub struct ResetCompleted {
    #[serde(skip)]
    pub id: i64,
    pub sessions_ended: usize,
}

/// A space an invitation opens, with the role.
#[derive(Serialize)]
pub struct InvitedTo {
    pub space: i64,
    pub role: &'static str,
}

#[derive(Serialize)]
pub struct Invited<'a> {
    #[serde(skip)]
    pub id: i64,
    pub email: &'a str,
    pub org: &'a str,
    pub org_confirmed: bool,
    pub sponsor: i64,
    pub portal: &'a str,
    pub spaces: Vec<InvitedTo>,
    pub access_ends: i64,
}

#[derive(Serialize)]
pub struct InvitationResent {
    #[serde(skip)]
    pub id: i64,
}

#[derive(Serialize)]
pub struct InvitationAccepted {
    #[serde(skip)]
    pub id: i64,
}

/// An administrator removed every second factor (the person lost their device).
#[derive(Serialize)]
pub struct FactorsReset {
    #[serde(skip)]
    pub id: i64,
    pub totp: usize,
    pub passkeys: usize,
    pub recovery_codes: usize,
    pub sessions_ended: usize,
}

#[derive(Serialize)]
pub struct PasskeyAdded<'a> {
    #[serde(skip)]
    pub id: i64,
    pub passkey: i64,
    pub name: &'a str,
    pub rp_id: &'a str,
}

#[derive(Serialize)]
pub struct PasskeyRemoved {
    #[serde(skip)]
    pub id: i64,
    pub passkey: i64,
}

#[derive(Serialize)]
pub struct RecoveryRegenerated {
    #[serde(skip)]
    pub id: i64,
    pub codes: usize,
}

/// A TOTP secret made, not yet confirmed by a code.
#[derive(Serialize)]
pub struct TotpBegun {
    #[serde(skip)]
    pub id: i64,
}

#[derive(Serialize)]
pub struct TotpEnabled {
    #[serde(skip)]
    pub id: i64,
    pub recovery_codes_issued: usize,
}

#[derive(Serialize)]
pub struct TotpRemoved {
    #[serde(skip)]
    pub id: i64,
}

/// Who must use a second factor, for the whole instance.
#[derive(Serialize)]
pub struct MfaPolicySet<'a> {
    pub admins: bool,
    pub kinds: &'a [crate::domain::OrgKind],
}

recorded! {
    MfaPolicySet<'_> => none, |_s| "mfa.policy", |_s| None;
    PasswordAccepted => "person", |_s| "signin.password", |_s| None;
    SignedIn<'_> => "person", |_s| "signin.success", |_s| None;
    SignedOut => "person", |s| if s.everywhere { "signout.everywhere" } else { "signout" }, |_s| None;
    SignedOutOthers => "person", |_s| "signout.others", |_s| None;
    TokenCreated<'_> => "person", |_s| "token.create", |_s| None;
    TokenRevoked => "person", |_s| "token.revoke", |_s| None;
    ResetRequested => "person", |_s| "password.reset.request", |_s| None;
    ResetCompleted => "person", |_s| "password.reset.complete", |_s| None;
    Invited<'_> => "person", |_s| "person.invite", |s| Some(Change::Person(s.id));
    InvitationResent => "person", |_s| "person.invite.resend", |_s| None;
    InvitationAccepted => "person", |_s| "person.invite.accept", |_s| None;
    FactorsReset => "person", |_s| "mfa.reset", |_s| None;
    PasskeyAdded<'_> => "person", |_s| "mfa.passkey.add", |_s| None;
    PasskeyRemoved => "person", |_s| "mfa.passkey.remove", |_s| None;
    RecoveryRegenerated => "person", |_s| "mfa.recovery.regenerate", |_s| None;
    TotpBegun => "person", |_s| "mfa.totp.begin", |_s| None;
    TotpEnabled => "person", |_s| "mfa.totp.enable", |_s| None;
    TotpRemoved => "person", |_s| "mfa.totp.remove", |_s| None;
}
