//! Operations shared by the CLI and (later) the admin pages.

pub mod backup;
pub mod check;
pub mod init;
pub mod restore;
