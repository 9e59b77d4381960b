//! Portals: branded entry points resolved from the `Host` header. Each has
//! host names, a name, logo and colour, a default language, a welcome text,
//! an audience (who may sign in there) and the spaces published on it.

pub mod api;
pub mod events;
pub mod kind;
mod kind_routes;
pub mod model;
pub mod registry;
pub mod service;
pub(crate) mod store;
pub mod web;

pub use model::{Audience, Color, Hostname, Image, Portal, PortalImage, is_hex_color};
pub use registry::{PortalSet, Registry};

pub use kind::KIND;
