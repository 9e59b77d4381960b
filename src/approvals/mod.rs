//! Document approval flows (issue 18): templates a space's managers define,
//! flows over one version of a document, decisions on its exact bytes, and
//! the signed record of a finished flow that anyone can verify later
//! (`parvis verify-approval`).

pub mod api;
pub mod approvers;
pub mod bindings;
pub mod conditions;
pub mod deadlines;
pub mod definition;
pub mod delegation;
pub mod events;
pub mod flows;
pub mod follower;
pub mod keys;
pub mod kind;
mod kind_routes;
pub mod notes;
mod notify;
pub mod record;
pub mod sealing;
mod search;
pub mod service;
pub mod sign_web;
pub mod signatories;
pub mod space_web;
pub mod store;
pub mod subject;
pub mod submissions;
pub mod templates;
pub mod verify_web;
pub mod web;

pub use kind::KIND;
