//! Configuration: built-in defaults (the one `impl Default` below) < config
//! file < `PARVIS_*` environment < command-line flags. Unknown keys and
//! invalid values are refused at start with the key's name and the layer.

mod inbound;
mod load;

pub use inbound::InboundMailConfig;

pub use load::{ConfigError, Layers, load};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The whole configuration. Every key is documented in `config.example.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where Parvis keeps everything it writes.
    pub data_dir: PathBuf,
    pub server: ServerConfig,
    pub tls: TlsConfig,
    pub session: SessionConfig,
    pub auth: AuthConfig,
    pub storage: StorageConfig,
    pub log: LogConfig,
    pub mail: MailConfig,
    pub inbound_mail: InboundMailConfig,
    pub documents: DocumentsConfig,
    pub backup: BackupConfig,
    pub retention: RetentionConfig,
    pub runtime: RuntimeConfig,
    pub live: LiveConfig,
}

/// The live channel (`GET /events`): how many streams it holds and how
/// long it remembers what it sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveConfig {
    /// Streams open at once, in all; one more is refused until one closes.
    pub max_streams: usize,
    /// Streams one person may hold at once (tabs, devices, API clients).
    pub max_streams_per_person: usize,
    /// A comment sent on a quiet stream this often, so that proxies keep it open.
    #[serde(with = "humantime_serde")]
    pub heartbeat: Duration,
    /// Changes kept for a client that reconnects (`Last-Event-ID`); one
    /// that was away longer is told to reload.
    #[serde(with = "humantime_serde")]
    pub replay: Duration,
}

/// Threads and memory of the running process: each pool has a ceiling, and
/// what an idle server holds is given back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeConfig {
    /// Threads running requests; 0: one per core.
    pub worker_threads: usize,
    /// Most threads doing blocking work at once (SQLite queries, file reads
    /// and writes, password hashes); more work waits for one of them.
    pub blocking_threads: usize,
    /// A blocking thread unused this long ends, and its memory goes with it.
    #[serde(with = "humantime_serde")]
    pub thread_keep_alive: Duration,
    /// After this long without a request, memory held for speed is given
    /// back (SQLite's page caches, the search engine's caches); "0s": never.
    #[serde(with = "humantime_serde")]
    pub release_memory_after: Duration,
}

/// How long personal data is kept (the trash's delay is `documents.trash_retention`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionConfig {
    /// Audit events older than this are dropped; "0s" keeps them forever.
    #[serde(with = "humantime_serde")]
    pub audit_log: Duration,
    /// External people whose access ended this long ago are erased; "0s": never.
    #[serde(with = "humantime_serde")]
    pub erase_expired_external_after: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// The running server writes a backup this often; "0s" turns it off.
    #[serde(with = "humantime_serde")]
    pub every: Duration,
    /// How many of those backups are kept; older ones are deleted.
    pub keep: u32,
    /// Where they are written; a relative path is under the data directory.
    pub dir: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentsConfig {
    /// Largest file accepted, in bytes (uploads stream to disk; memory stays flat).
    pub max_file_bytes: u64,
    /// Bytes a space may hold, all versions and the trash included, unless the
    /// space has its own quota.
    pub space_quota_bytes: u64,
    /// Deleted files and folders stay in the trash this long, then are purged.
    #[serde(with = "humantime_serde")]
    pub trash_retention: Duration,
    /// A check-out (lock) lasts this long unless renewed or released.
    #[serde(with = "humantime_serde")]
    pub lock_duration: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port of the HTTPS (or HTTP when `tls.mode = "off"`) listener.
    pub listen: SocketAddr,
    /// Host names this instance answers to; they go into the self-signed certificate.
    pub hostnames: Vec<String>,
    /// The address people use to reach Parvis, for links in e-mails. Empty: derived
    /// from the first host name and the listening port. Never taken from requests,
    /// so a forged Host header cannot redirect a reset link.
    pub public_url: String,
    /// Addresses of reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are trusted.
    pub trusted_proxies: Vec<IpNet>,
    /// A request that takes longer is answered with 503.
    #[serde(with = "humantime_serde")]
    pub request_timeout: Duration,
    /// Largest request body accepted on ordinary routes, in bytes.
    pub max_body_bytes: usize,
    /// Time allowed for the TLS handshake and the request headers.
    #[serde(with = "humantime_serde")]
    pub header_timeout: Duration,
    /// In-flight requests get this long to finish after SIGTERM.
    #[serde(with = "humantime_serde")]
    pub shutdown_grace: Duration,
    /// The time zone times are shown in (an IANA name such as `Europe/Paris`)
    /// for people who did not choose their own.
    pub time_zone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// An ECDSA P-256 certificate generated into `<data_dir>/tls/` and reused.
    SelfSigned,
    /// PEM certificate chain and key from files, reloaded on SIGHUP.
    Files,
    /// Plain HTTP, for use behind a reverse proxy that terminates TLS.
    Off,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    pub mode: TlsMode,
    /// PEM certificate chain (mode "files").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<PathBuf>,
    /// PEM private key (mode "files").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
    /// `Strict-Transport-Security` max-age sent when TLS is on (also when a proxy terminates it).
    #[serde(with = "humantime_serde")]
    pub hsts_max_age: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionConfig {
    /// A session unused this long ends.
    #[serde(with = "humantime_serde")]
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not.
    #[serde(with = "humantime_serde")]
    pub absolute_timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Password hashes computed at once; 0 means one less than the number of cores (at least 1).
    pub hash_concurrency: usize,
    /// Failed sign-ins for one account from one client address before delays start.
    pub account_free_failures: u32,
    /// Failed sign-ins from one client address, whatever the account, before delays start.
    pub address_free_failures: u32,
    /// Failed sign-ins in a row for one account from all addresses together
    /// before everyone trying it is delayed (at most 100, NIST SP 800-63B).
    pub account_lockout_failures: u32,
    /// Longest delay imposed between two attempts.
    #[serde(with = "humantime_serde")]
    pub max_throttle_delay: Duration,
    /// How long an invitation link works.
    #[serde(with = "humantime_serde")]
    pub invitation_lifetime: Duration,
    /// How long before an external account's access ends its sponsor is reminded.
    #[serde(with = "humantime_serde")]
    pub expiry_reminder: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// Read-only SQLite connections kept open beside the single writer.
    pub sqlite_readers: usize,
    /// How long a connection waits for a lock before giving up.
    #[serde(with = "humantime_serde")]
    pub busy_timeout: Duration,
    /// Contents up to this many bytes are stored in the database rather than
    /// as one file each (a file takes a whole disk block and a directory
    /// entry, and two more fsyncs to write); 0 stores every content as a file.
    pub small_blob_bytes: u64,
    /// Pages each SQLite connection (the writer and every reader) may keep
    /// in memory, in KiB.
    pub sqlite_cache_kib: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A tracing filter such as "info" or "parvis=debug,tower_http=info".
    pub level: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailMode {
    /// Messages are written to the log instead of being sent (first runs, tests).
    Log,
    /// Messages are sent through the SMTP relay below.
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the server cannot.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a trusted network.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub mode: MailMode,
    /// Sender of every message, e.g. "Lumen Intranet <intranet@lumen.example>".
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    /// Empty: no authentication.
    pub smtp_username: String,
    /// Prefer the environment (PARVIS_MAIL_SMTP_PASSWORD) to the file for this one.
    pub smtp_password: String,
    /// Gives up on one connection attempt after this long.
    #[serde(with = "humantime_serde")]
    pub smtp_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("parvis-data"),
            server: ServerConfig {
                listen: SocketAddr::from(([0, 0, 0, 0], 8443)),
                hostnames: vec!["localhost".to_string()],
                time_zone: "UTC".to_string(),
                public_url: String::new(),
                trusted_proxies: Vec::new(),
                request_timeout: Duration::from_secs(60),
                max_body_bytes: 1024 * 1024,
                header_timeout: Duration::from_secs(10),
                shutdown_grace: Duration::from_secs(20),
            },
            tls: TlsConfig {
                mode: TlsMode::SelfSigned,
                cert_file: None,
                key_file: None,
                hsts_max_age: Duration::from_secs(365 * 24 * 3600),
            },
            session: SessionConfig {
                idle_timeout: Duration::from_secs(30 * 60),
                absolute_timeout: Duration::from_secs(12 * 3600),
            },
            auth: AuthConfig {
                hash_concurrency: 0,
                account_free_failures: 5,
                address_free_failures: 20,
                account_lockout_failures: 50,
                max_throttle_delay: Duration::from_secs(15 * 60),
                invitation_lifetime: Duration::from_secs(7 * 24 * 3600),
                expiry_reminder: Duration::from_secs(14 * 24 * 3600),
            },
            live: LiveConfig {
                max_streams: 10_000,
                max_streams_per_person: 16,
                heartbeat: Duration::from_secs(15),
                replay: Duration::from_secs(10 * 60),
            },
            storage: StorageConfig {
                sqlite_readers: 4,
                busy_timeout: Duration::from_secs(5),
                small_blob_bytes: 16 * 1024,
                sqlite_cache_kib: 16_000,
            },
            log: LogConfig {
                format: LogFormat::Text,
                level: "info".to_string(),
            },
            mail: MailConfig {
                mode: MailMode::Log,
                from: "Parvis <parvis@localhost>".to_string(),
                smtp_host: "localhost".to_string(),
                smtp_port: 587,
                smtp_security: SmtpSecurity::Starttls,
                smtp_username: String::new(),
                smtp_password: String::new(),
                smtp_timeout: Duration::from_secs(30),
            },
            inbound_mail: InboundMailConfig::default(),
            documents: DocumentsConfig {
                max_file_bytes: 4 * 1024 * 1024 * 1024,
                space_quota_bytes: 50 * 1024 * 1024 * 1024,
                trash_retention: Duration::from_secs(30 * 24 * 3600),
                lock_duration: Duration::from_secs(8 * 3600),
            },
            backup: BackupConfig {
                every: Duration::ZERO,
                keep: 7,
                dir: PathBuf::from("backups"),
            },
            retention: RetentionConfig {
                audit_log: Duration::ZERO,
                erase_expired_external_after: Duration::ZERO,
            },
            runtime: RuntimeConfig {
                worker_threads: 0,
                blocking_threads: 8,
                thread_keep_alive: Duration::from_secs(1),
                release_memory_after: Duration::from_secs(30),
            },
        }
    }
}

impl Config {
    /// Rules that span several keys or bound a value; reported with the key's name.
    fn check(&self) -> Result<(), (&'static str, String)> {
        if self.tls.mode == TlsMode::Files {
            if self.tls.cert_file.is_none() {
                return Err(("tls.cert_file", "required when tls.mode = \"files\"".into()));
            }
            if self.tls.key_file.is_none() {
                return Err(("tls.key_file", "required when tls.mode = \"files\"".into()));
            }
        }
        if self.session.idle_timeout < Duration::from_secs(1) {
            return Err(("session.idle_timeout", "must be at least 1s".into()));
        }
        if self.session.absolute_timeout < self.session.idle_timeout {
            return Err((
                "session.absolute_timeout",
                "must not be shorter than session.idle_timeout".into(),
            ));
        }
        if self.storage.sqlite_readers == 0 || self.storage.sqlite_readers > 64 {
            return Err(("storage.sqlite_readers", "must be between 1 and 64".into()));
        }
        // Each upload in progress holds up to this much in memory.
        if self.storage.small_blob_bytes > 1024 * 1024 {
            return Err(("storage.small_blob_bytes", "must be at most 1048576".into()));
        }
        if !(256..=4 * 1024 * 1024).contains(&self.storage.sqlite_cache_kib) {
            return Err((
                "storage.sqlite_cache_kib",
                "must be between 256 and 4194304".into(),
            ));
        }
        if self.runtime.worker_threads > 256 {
            return Err(("runtime.worker_threads", "must be at most 256".into()));
        }
        // Below two, one slow file write would hold up every query.
        if !(2..=512).contains(&self.runtime.blocking_threads) {
            return Err((
                "runtime.blocking_threads",
                "must be between 2 and 512".into(),
            ));
        }
        if self.runtime.thread_keep_alive < Duration::from_millis(100) {
            return Err(("runtime.thread_keep_alive", "must be at least 100ms".into()));
        }
        if self.server.max_body_bytes < 1024 {
            return Err(("server.max_body_bytes", "must be at least 1024".into()));
        }
        if self.server.request_timeout < Duration::from_secs(1) {
            return Err(("server.request_timeout", "must be at least 1s".into()));
        }
        if !(1..=100).contains(&self.auth.account_lockout_failures) {
            return Err((
                "auth.account_lockout_failures",
                "must be between 1 and 100".into(),
            ));
        }
        if self.auth.hash_concurrency > 256 {
            return Err(("auth.hash_concurrency", "must be at most 256".into()));
        }
        let day = Duration::from_secs(24 * 3600);
        if self.auth.invitation_lifetime < Duration::from_secs(3600)
            || self.auth.invitation_lifetime > 90 * day
        {
            return Err((
                "auth.invitation_lifetime",
                "must be between 1h and 90days".into(),
            ));
        }
        if self.documents.max_file_bytes == 0 {
            return Err(("documents.max_file_bytes", "must be at least 1".into()));
        }
        if self.documents.lock_duration < Duration::from_secs(60) {
            return Err(("documents.lock_duration", "must be at least 1m".into()));
        }
        if !self.backup.every.is_zero() && self.backup.keep == 0 {
            return Err(("backup.keep", "must be at least 1".into()));
        }
        if !self.retention.audit_log.is_zero() && self.retention.audit_log < 30 * day {
            // An audit log that forgets within days proves nothing.
            return Err((
                "retention.audit_log",
                "must be 0s (forever) or at least 30days".into(),
            ));
        }
        if !self.retention.erase_expired_external_after.is_zero()
            && self.retention.erase_expired_external_after < day
        {
            return Err((
                "retention.erase_expired_external_after",
                "must be 0s (never) or at least 1day".into(),
            ));
        }
        if self.auth.expiry_reminder > 365 * day {
            return Err(("auth.expiry_reminder", "must be at most 365days".into()));
        }
        if crate::i18n::time::ZoneName::parse(&self.server.time_zone).is_err() {
            return Err((
                "server.time_zone",
                format!(
                    "{:?} is not a time zone name (such as \"Europe/Paris\" or \"UTC\")",
                    self.server.time_zone
                ),
            ));
        }
        if self.server.hostnames.is_empty() {
            return Err(("server.hostnames", "must name at least one host".into()));
        }
        for h in &self.server.hostnames {
            let ok = !h.is_empty()
                && h.len() <= 253
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
            if !ok {
                return Err(("server.hostnames", format!("{h:?} is not a host name")));
            }
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err((
                "mail.from",
                format!(
                    "{:?} is not an address like \"Name <user@host>\"",
                    self.mail.from
                ),
            ));
        }
        if self.mail.mode == MailMode::Smtp && self.mail.smtp_host.trim().is_empty() {
            return Err((
                "mail.smtp_host",
                "required when mail.mode = \"smtp\"".into(),
            ));
        }
        let url = &self.server.public_url;
        if !url.is_empty()
            && !((url.starts_with("https://") || url.starts_with("http://"))
                && url.len() > 8
                && !url
                    .chars()
                    .any(|c| c.is_whitespace() || c == '?' || c == '#'))
        {
            return Err((
                "server.public_url",
                format!("{url:?} is not an http(s) address"),
            ));
        }
        if self.log.level.trim().is_empty() {
            return Err(("log.level", "must not be empty".into()));
        }
        Ok(())
    }

    /// The base URL for links in e-mails, without a trailing slash.
    /// The instance's time zone (checked when the configuration was loaded).
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.server.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    pub fn public_url(&self) -> String {
        if !self.server.public_url.is_empty() {
            return self.server.public_url.trim_end_matches('/').to_string();
        }
        let scheme = if self.tls_enabled() { "https" } else { "http" };
        let host = self
            .server
            .hostnames
            .first()
            .map(String::as_str)
            .unwrap_or("localhost");
        format!("{scheme}://{host}:{}", self.server.listen.port())
    }

    /// The public address with another host name (a portal's), keeping the
    /// scheme and port, for links in e-mails that must open that portal.
    pub fn public_url_for(&self, host: Option<&str>) -> String {
        let base = self.public_url();
        let Some(host) = host else { return base };
        let Some((scheme, rest)) = base.split_once("://") else {
            return base;
        };
        let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        let port = authority.rsplit_once(':').map(|(_, p)| p).unwrap_or("");
        let mut out = format!("{scheme}://{host}");
        if !port.is_empty() && !authority.ends_with(']') {
            out.push(':');
            out.push_str(port);
        }
        if !path.is_empty() {
            out.push('/');
            out.push_str(path);
        }
        out
    }

    /// Password hashes computed at once, resolved from `auth.hash_concurrency`.
    pub fn hash_concurrency(&self) -> usize {
        if self.auth.hash_concurrency > 0 {
            return self.auth.hash_concurrency;
        }
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        cores.saturating_sub(1).max(1)
    }

    /// Threads running requests, resolved from `runtime.worker_threads`.
    pub fn worker_threads(&self) -> usize {
        if self.runtime.worker_threads > 0 {
            return self.runtime.worker_threads;
        }
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }

    pub fn tls_enabled(&self) -> bool {
        self.tls.mode != TlsMode::Off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses_to_the_defaults() {
        let text = include_str!("../../config.example.toml");
        let parsed: Config = toml::from_str(text).expect("config.example.toml parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn example_config_documents_every_key() {
        let text = include_str!("../../config.example.toml");
        let defaults = toml::Value::try_from(Config::default()).expect("defaults serialize");
        let mut keys = Vec::new();
        load::flatten_keys("", &defaults, &mut keys);
        // Optional keys have no default value, so they are not serialized; list them here.
        keys.extend(["tls.cert_file".to_string(), "tls.key_file".to_string()]);
        for key in keys {
            let leaf = key.rsplit('.').next().unwrap_or(&key);
            assert!(
                text.contains(&format!("{leaf} =")) || text.contains(&format!("# {leaf} =")),
                "config.example.toml does not document `{key}`"
            );
        }
    }

    #[test]
    fn defaults_pass_the_checks() {
        assert!(Config::default().check().is_ok());
    }
}
