//! Notifications: what each person is told of — added to a space, a new
//! version of a file they made, and (as they come) mentions, replies and
//! announcements. The notifier (`worker`) reads each committed change back
//! from the audit log, asks the changed item's kind whom it concerns
//! (`content::Notify`), keeps those who may see the item and did not make
//! the change, and writes one row each; their open pages hear of it live.
//! Shown, each row is asked again whether its reader may still see the item.

pub mod api;
pub mod choices;
pub mod kind;
mod kind_routes;
pub mod links;
pub mod mailer;
pub mod prefs;
pub mod prefs_web;
pub mod service;
pub mod store;
pub mod web;
pub mod worker;

pub use kind::KIND;
