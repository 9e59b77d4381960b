//! Groups: sets of people (teams, departments) managed by administrators,
//! usable as space members.

pub mod api;
pub mod events;
pub mod kind;
mod kind_routes;
pub mod service;
pub(crate) mod store;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Group {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub members: i64,
}

pub use kind::KIND;
