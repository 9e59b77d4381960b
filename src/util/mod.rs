//! Small shared helpers: secrets that cannot be printed, the clock, random
//! tokens, the server's activity.

mod activity;
mod secret;

pub use activity::{Activity, InFlight};
pub use secret::Secret;

use base64::Engine;
use rand::RngCore;

/// Milliseconds since the Unix epoch: the one time unit stored in the database.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Whether a failed write ran out of room: the disk is full (ENOSPC), a
/// quota is reached (EDQUOT) or a file-size limit (EFBIG). The same write
/// succeeds once room is made, so it is told as such, not as a fault.
pub fn is_storage_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge
    )
}

/// Aborts a task when dropped: a worker that runs each round as a task of
/// its own (so that a panic costs one round) stops the round it waits on
/// when it is stopped itself.
pub struct AbortOnDrop(pub tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A URL-safe random token carrying `bytes` bytes of entropy from the OS generator.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&buf)
}

/// A readable one-time password: 4 groups of 5 characters from an alphabet
/// without look-alike characters (about 98 bits).
pub fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut out = String::with_capacity(23);
    for group in 0..4 {
        if group > 0 {
            out.push('-');
        }
        for _ in 0..5 {
            let idx = (rng.next_u32() as usize) % ALPHABET.len();
            out.push(ALPHABET[idx] as char);
        }
    }
    out
}

/// Formats a millisecond timestamp as RFC 3339 UTC (for display, export and logs).
pub fn format_ms(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| ms.to_string())
}

/// Compares two byte strings in time independent of where they differ.
/// Lowers the scheduling priority of the calling thread (and of the threads
/// it starts from now on): for background work, such as an index rebuild,
/// that must leave the processor to the requests being served. Best effort.
pub fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    {
        // On Linux a thread id names one thread to setpriority.
        let me = Some(rustix::thread::gettid());
        if let Ok(now) = rustix::process::getpriority_process(me) {
            let _ = rustix::process::setpriority_process(me, (now + 10).min(19));
        }
    }
}

/// Creates (or empties) a file only its owner may read and write.
pub fn private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates a directory (and its missing parents) only its owner may enter.
pub fn private_dir(path: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A wall-clock time (`2026-12-04T15:00`) in `tz`, in ms: for tests that
/// count days as people do.
#[cfg(test)]
pub fn local_ms(s: &str, tz: &jiff::tz::TimeZone) -> i64 {
    s.parse::<jiff::civil::DateTime>()
        .unwrap()
        .to_zoned(tz.clone())
        .unwrap()
        .timestamp()
        .as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_url_safe() {
        let a = random_token(32);
        let b = random_token(32);
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn readable_passwords_have_four_groups() {
        let p = readable_password();
        assert_eq!(p.split('-').count(), 4);
        assert_eq!(p.len(), 23);
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
