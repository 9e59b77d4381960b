//! Comments on the items of every kind that takes them (documents, news
//! posts; later kinds say so in the content registry), and reactions on
//! the items of the kinds that take those (the same, with topics, replies
//! and comments). Whoever may see the item reads, writes and reacts; the
//! item's moderators remove comments; mentions tell those who may see it.

pub mod api;
pub mod events;
pub mod kind;
pub mod kind_routes;
pub mod model;
pub mod notify;
pub mod reactions;
pub mod service;
pub mod store;
pub mod view;
pub mod web;

pub use kind::KIND;
pub use view::{Reacts, section};
