//! Replies by e-mail: the mailbox Parvis reads over IMAP with TLS. A
//! notification about one request is sent with a reply address of its own
//! (`support+<signed token>@example.org`, from `address`); the answer lands
//! in that mailbox, and from there in the request's timeline.

use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundMailConfig {
    /// Off: notifications carry no reply address and no mailbox is read.
    pub enabled: bool,
    /// The mailbox's own address; replies go to `local+token@domain`, so
    /// the server must deliver sub-addresses to it (most do).
    pub address: String,
    pub imap_host: String,
    /// IMAP over TLS from the first byte (IMAPS).
    pub imap_port: u16,
    pub username: String,
    /// Prefer the environment (PARVIS_INBOUND_MAIL_PASSWORD) to the file.
    pub password: String,
    /// The folder read; each message is marked read once handled.
    pub mailbox: String,
    /// A PEM file of the certificate authorities to trust for the IMAP
    /// server (a server with its own authority); empty: the system's.
    pub ca_file: String,
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
    /// Gives up on one step of the conversation after this long.
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
}

impl Default for InboundMailConfig {
    fn default() -> Self {
        InboundMailConfig {
            enabled: false,
            address: String::new(),
            imap_host: String::new(),
            imap_port: 993,
            username: String::new(),
            password: String::new(),
            mailbox: "INBOX".into(),
            ca_file: String::new(),
            poll_interval: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        }
    }
}

impl InboundMailConfig {
    /// The mailbox address split in its local part and domain, when it is
    /// one (and replies may be read).
    pub fn parts(&self) -> Option<(&str, &str)> {
        if !self.enabled {
            return None;
        }
        let (local, domain) = self.address.trim().rsplit_once('@')?;
        let plain = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        };
        (plain(local) && plain(domain)).then_some((local, domain))
    }
}
