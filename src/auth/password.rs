//! argon2id password hashing on a bounded set of blocking threads, so a storm
//! of sign-ins queues here instead of taking every core from other requests.

use crate::util::Secret;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// OWASP's recommended argon2id minimum: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

/// Longest password input ever hashed, in bytes; longer input is refused before hashing.
pub const MAX_INPUT_BYTES: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Argon(String),
    #[error("password hashing was cancelled")]
    Cancelled,
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)
        .map_err(|e| HashError::Argon(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A hash of a random password, verified against when the account does not
/// exist, so that an unknown e-mail costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_now(&crate::util::random_token(16)).ok());

fn hash_now(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Argon(e.to_string()))
}

fn verify_now(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    // Verify with the parameters recorded in the hash itself.
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Hashes and verifies passwords, at most `concurrency` at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    slots: Arc<Semaphore>,
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        PasswordHasher {
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    pub async fn hash(&self, password: &Secret<String>) -> Result<String, HashError> {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|_| HashError::Cancelled)?;
        let pw = password.clone();
        tokio::task::spawn_blocking(move || hash_now(pw.expose()))
            .await
            .map_err(|_| HashError::Cancelled)?
    }

    /// Checks `password` against `stored`; with no stored hash, burns the same
    /// time on a dummy hash and answers false.
    pub async fn verify(&self, password: &Secret<String>, stored: Option<String>) -> bool {
        if password.expose().len() > MAX_INPUT_BYTES {
            return false;
        }
        let Ok(_slot) = self.slots.acquire().await else {
            return false;
        };
        let pw = password.clone();
        tokio::task::spawn_blocking(move || match stored {
            Some(hash) => verify_now(pw.expose(), &hash),
            None => {
                if let Some(dummy) = DUMMY_HASH.as_deref() {
                    let _ = verify_now(pw.expose(), dummy);
                }
                false
            }
        })
        .await
        .unwrap_or(false)
    }

    /// Computes the dummy hash now rather than during the first failed sign-in.
    pub fn preload() {
        LazyLock::force(&DUMMY_HASH);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let h = PasswordHasher::new(1);
        let pw = Secret::new("correct horse battery staple".to_string());
        let hash = h.hash(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify(&pw, Some(hash.clone())).await);
        assert!(!h.verify(&Secret::new("wrong".into()), Some(hash)).await);
        assert!(!h.verify(&pw, None).await);
        assert!(!h.verify(&pw, Some("garbage".into())).await);
    }
}
