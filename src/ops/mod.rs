//! Operations shared by the CLI and (later) the admin pages.

pub mod archive;
pub mod backup;
pub mod check;
pub mod export;
pub mod import;
pub mod init;
pub mod restore;
