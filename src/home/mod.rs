//! The home page: a signed-in person's starting point.

pub mod service;
pub mod web;
