//! People: accounts and profiles. Every person belongs to exactly one organization.

pub mod api;
pub mod data_export;
pub mod data_web;
pub mod erasure;
pub mod events;
pub mod import;
pub mod kind;
mod kind_routes;
pub mod lifecycle;
pub mod model;
pub mod roster;
pub mod service;
pub(crate) mod store;
pub mod web;

pub use model::{Person, PersonStatus};

pub use kind::KIND;
