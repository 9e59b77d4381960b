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
