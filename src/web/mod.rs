//! HTTP infrastructure below the features: what a handler needs to read a
//! request and answer it. Nothing here names a feature's handlers or the
//! router (`server`), so every feature can build on it.

pub mod api;
pub mod assets;
pub mod chart;
pub mod context;
pub mod csrf;
pub mod download;
pub mod error;
pub mod extract;
pub mod icons;
pub mod notice;
pub mod page;
pub mod stored_image;
