//! A space's home page: what the space is for, what happened lately, the
//! files changed last, pinned links, and its members — with, for those who
//! manage it, the forms to add, invite and remove members and to pin links.
//! Later features (news, discussions, tasks, requests) add their panels here.

pub mod activity;
pub mod links;
pub mod members_web;
pub mod web;
