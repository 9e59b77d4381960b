//! News and announcements: posts in a space or for the whole instance,
//! addressed to audiences, published now, later or never (drafts), pinned,
//! expiring, and — for announcements — acknowledged by each reader, with a
//! report for their writers.

pub mod api;
pub mod events;
pub mod feed;
pub mod form;
pub mod form_web;
pub mod kind;
mod kind_routes;
pub mod model;
pub mod notify;
pub mod publisher;
pub mod report;
pub mod says;
pub mod service;
pub mod store;
pub mod web;

pub use kind::KIND;
