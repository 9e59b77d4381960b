//! Spaces: the unit of sharing. Members are people, groups or whole
//! organizations with a role; visibility is internal-open or members-only.

pub mod api;
pub mod events;
pub mod kind;
mod kind_routes;
pub mod model;
mod notify;
pub mod service;
pub(crate) mod store;
pub mod web;

pub use model::{Role, Space, Visibility};

pub use kind::KIND;
