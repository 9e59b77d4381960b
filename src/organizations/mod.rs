//! Organizations: the host (whose members are the internal staff) and the
//! external clients, partners and suppliers. Every person belongs to exactly one.

pub mod api;
pub mod events;
pub mod kind;
mod kind_routes;
pub mod model;
pub mod service;
pub(crate) mod store;

pub use model::{OrgKind, Organization};

pub use kind::KIND;
