//! Document libraries: nested folders per space, documents with numbered
//! versions over immutable blobs, folder restrictions enforced by `access`,
//! streamed uploads and ranged downloads.

pub mod api;
mod document_routes;
pub mod document_web;
pub mod download;
pub mod events;
pub mod folder_kind;
mod folder_routes;
pub mod folders;
pub mod folders_web;
pub mod kind;
pub mod model;
mod notify;
pub mod paths;
pub mod preview;
pub mod service;
pub mod share;
pub mod share_kind;
mod share_routes;
pub mod share_web;
pub(crate) mod store;
pub mod trash_web;
pub mod upload;
pub mod upload_web;
pub mod version_web;
pub mod web;

pub use model::{Document, FileName, Folder, ReviewState, Version};

pub use kind::KIND;
