//! TLS with rustls (1.2 and 1.3 only, ring provider). Certificates come from a
//! self-signed ECDSA P-256 pair generated once into `<data_dir>/tls/`, or from
//! PEM files that SIGHUP reloads: new handshakes use the new certificate while
//! open connections carry on undisturbed.

use crate::config::{Config, TlsMode};
use arc_swap::ArcSwap;
use rustls::crypto::CryptoProvider;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} holds no usable PEM {what}")]
    Pem { path: PathBuf, what: &'static str },
    #[error("the private key in {path} is not usable: {message}")]
    Key { path: PathBuf, message: String },
    #[error("cannot generate the self-signed certificate: {0}")]
    Generate(String),
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The certificate used for new handshakes; swapped on reload.
#[derive(Debug)]
pub struct CertStore {
    current: ArcSwap<CertifiedKey>,
    cert_path: PathBuf,
    key_path: PathBuf,
}

impl CertStore {
    /// Reads the PEM files again; on error the previous certificate stays in use.
    pub fn reload(&self) -> Result<(), TlsError> {
        let key = load_pair(&self.cert_path, &self.key_path)?;
        self.current.store(Arc::new(key));
        Ok(())
    }

    pub fn cert_path(&self) -> &Path {
        &self.cert_path
    }
}

impl ResolvesServerCert for CertStore {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.load_full())
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn load_pair(cert_path: &Path, key_path: &Path) -> Result<CertifiedKey, TlsError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| TlsError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let cert_pem = read(cert_path)?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|_| TlsError::Pem {
            path: cert_path.to_path_buf(),
            what: "certificate",
        })?;
    if certs.is_empty() {
        return Err(TlsError::Pem {
            path: cert_path.to_path_buf(),
            what: "certificate",
        });
    }
    let key_pem = read(key_path)?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|_| TlsError::Pem {
        path: key_path.to_path_buf(),
        what: "private key",
    })?;
    let signing = provider()
        .key_provider
        .load_private_key(key)
        .map_err(|e| TlsError::Key {
            path: key_path.to_path_buf(),
            message: e.to_string(),
        })?;
    let ck = CertifiedKey::new(certs, signing);
    ck.keys_match().map_err(|e| TlsError::Key {
        path: key_path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(ck)
}

/// Checks that a certificate and key load and belong together.
pub fn check_pair(cert: &Path, key: &Path) -> Result<(), TlsError> {
    load_pair(cert, key).map(|_| ())
}

/// Where the self-signed pair lives.
pub fn self_signed_paths(data_dir: &Path) -> (PathBuf, PathBuf) {
    let dir = data_dir.join("tls");
    (dir.join("cert.pem"), dir.join("key.pem"))
}

/// Names the certificate is valid for: the configured host names, the
/// portals' host names (`extra`) and loopback.
fn subject_names(config: &Config, extra: &[String]) -> Vec<String> {
    let mut names: Vec<String> = config.server.hostnames.clone();
    for n in extra
        .iter()
        .map(String::as_str)
        .chain(["localhost", "127.0.0.1", "::1"])
    {
        if !names.iter().any(|h| h == n) {
            names.push(n.to_string());
        }
    }
    names
}

/// Creates the self-signed pair unless one for the same names already exists.
/// Returns true when a new certificate was written.
pub fn ensure_self_signed(config: &Config, extra: &[String]) -> Result<bool, TlsError> {
    let (cert_path, key_path) = self_signed_paths(&config.data_dir);
    let names = subject_names(config, extra);
    let names_path = cert_path.with_file_name("names.txt");
    let wanted = names.join("\n");
    if cert_path.exists() && key_path.exists() {
        let recorded = std::fs::read_to_string(&names_path).unwrap_or_default();
        if recorded == wanted && load_pair(&cert_path, &key_path).is_ok() {
            return Ok(false);
        }
    }
    let dir = cert_path.parent().unwrap_or(Path::new("."));
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TlsError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(write_err(dir))?;

    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|e| TlsError::Generate(e.to_string()))?;
    let mut params = rcgen::CertificateParams::new(names.clone())
        .map_err(|e| TlsError::Generate(e.to_string()))?;
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        names.first().cloned().unwrap_or_default(),
    );
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "Parvis (self-signed)");
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(825);
    let cert = params
        .self_signed(&key)
        .map_err(|e| TlsError::Generate(e.to_string()))?;

    write_private(&key_path, key.serialize_pem().as_bytes())?;
    write_private(&cert_path, cert.pem().as_bytes())?;
    write_private(&names_path, wanted.as_bytes())?;
    Ok(true)
}

/// Writes through a temporary file and a rename, owner-readable only.
fn write_private(path: &Path, data: &[u8]) -> Result<(), TlsError> {
    use std::io::Write;
    let err = |source| TlsError::Write {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(err)?;
    f.write_all(data).map_err(err)?;
    f.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)?;
    Ok(())
}

/// A rustls configuration and the certificate store it resolves from.
pub type Prepared = (Arc<rustls::ServerConfig>, Arc<CertStore>);

/// Builds the rustls configuration for the configured mode; `None` when TLS is off.
/// `extra_names`: more host names for a self-signed certificate (the portals').
pub fn server_config(
    config: &Config,
    extra_names: &[String],
) -> Result<Option<Prepared>, TlsError> {
    let (cert_path, key_path) = match config.tls.mode {
        TlsMode::Off => return Ok(None),
        TlsMode::SelfSigned => {
            ensure_self_signed(config, extra_names)?;
            self_signed_paths(&config.data_dir)
        }
        TlsMode::Files => match (&config.tls.cert_file, &config.tls.key_file) {
            (Some(c), Some(k)) => (c.clone(), k.clone()),
            _ => {
                return Err(TlsError::Pem {
                    path: PathBuf::from("tls.cert_file / tls.key_file"),
                    what: "certificate",
                });
            }
        },
    };
    let first = load_pair(&cert_path, &key_path)?;
    let store = Arc::new(CertStore {
        current: ArcSwap::from_pointee(first),
        cert_path,
        key_path,
    });
    let mut sc = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_no_client_auth()
        .with_cert_resolver(store.clone());
    sc.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    // Resumption spares a full handshake for returning browsers.
    sc.session_storage = rustls::server::ServerSessionMemoryCache::new(4096);
    Ok(Some((Arc::new(sc), store)))
}

/// Reloads the certificate on every SIGHUP until the process ends.
pub fn reload_on_sighup(store: Arc<CertStore>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; certificate reload disabled");
            return;
        };
        while hup.recv().await.is_some() {
            match store.reload() {
                Ok(()) => {
                    tracing::info!(cert = %store.cert_path().display(), "TLS certificate reloaded")
                }
                Err(e) => {
                    tracing::error!(error = %e, "TLS certificate reload failed; keeping the previous one")
                }
            }
            // Coalesce bursts of signals.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_is_generated_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        assert!(ensure_self_signed(&config, &[]).unwrap());
        let (cert, key) = self_signed_paths(dir.path());
        let before = std::fs::read(&cert).unwrap();
        assert!(!ensure_self_signed(&config, &[]).unwrap());
        assert_eq!(before, std::fs::read(&cert).unwrap());
        let pem = std::fs::read_to_string(&key).unwrap();
        assert!(pem.contains("PRIVATE KEY"));
        assert!(load_pair(&cert, &key).is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn garbage_files_are_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("c.pem");
        let k = dir.path().join("k.pem");
        std::fs::write(&c, "not a pem").unwrap();
        std::fs::write(&k, "nope").unwrap();
        let err = load_pair(&c, &k).unwrap_err().to_string();
        assert!(err.contains("c.pem"), "{err}");
    }
}
