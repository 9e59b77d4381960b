//! Discussions: forums in a space, topics in a forum, replies in a topic;
//! forums of questions where an answer is accepted; edits kept; topics
//! followed; the space's managers moderate. Rules in
//! `access::discussions`.

pub mod api;
pub mod events;
pub mod forums;
pub mod kind;
mod kind_routes;
pub mod mentions;
pub mod model;
mod notify;
pub mod replies;
pub mod service;
pub mod store;
pub mod topic_web;
pub mod web;
pub mod writing_web;

pub use kind::{FORUM, REPLY, TOPIC};
