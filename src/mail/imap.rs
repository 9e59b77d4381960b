//! Reading a mailbox over IMAP with TLS: the messages not read yet, each
//! marked read once its reader is done with it. Every step has a deadline:
//! a server that stops answering fails the poll, never hangs it.

use crate::config::InboundMailConfig;
use futures_util::TryStreamExt;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// At most this many messages are read in one poll; more wait for the next.
pub const MAX_PER_POLL: usize = 50;

/// The largest message read; a larger one is marked read and left.
pub const MAX_MESSAGE: usize = 25 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("cannot reach the IMAP server: {0}")]
    Connect(String),
    #[error("the IMAP server's certificate authorities ({0}): {1}")]
    Trust(String, String),
    #[error("the IMAP server refused the sign-in: {0}")]
    Login(String),
    #[error("IMAP: {0}")]
    Protocol(String),
    #[error("the IMAP server did not answer within {0:?}")]
    Timeout(std::time::Duration),
}

/// A message not read yet.
pub struct Unread {
    pub uid: u32,
    /// None when larger than `MAX_MESSAGE`.
    pub raw: Option<Vec<u8>>,
}

/// A signed-in mailbox, its folder selected.
pub struct Mailbox {
    session: async_imap::Session<TlsStream<TcpStream>>,
    timeout: std::time::Duration,
}

fn protocol(e: async_imap::error::Error) -> ImapError {
    ImapError::Protocol(e.to_string())
}

async fn within<T>(
    limit: std::time::Duration,
    f: impl std::future::Future<Output = Result<T, ImapError>>,
) -> Result<T, ImapError> {
    tokio::time::timeout(limit, f)
        .await
        .map_err(|_| ImapError::Timeout(limit))?
}

fn tls(config: &InboundMailConfig) -> Result<tokio_rustls::TlsConnector, ImapError> {
    let mut roots = rustls::RootCertStore::empty();
    if config.ca_file.is_empty() {
        let found = rustls_native_certs::load_native_certs();
        for cert in found.certs {
            let _ = roots.add(cert);
        }
    } else {
        let trust = |e: String| ImapError::Trust(config.ca_file.clone(), e);
        let certs =
            CertificateDer::pem_file_iter(&config.ca_file).map_err(|e| trust(e.to_string()))?;
        for cert in certs {
            roots
                .add(cert.map_err(|e| trust(e.to_string()))?)
                .map_err(|e| trust(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ImapError::Connect(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(client)))
}

impl Mailbox {
    /// Connects, checks the server's certificate, signs in and selects the
    /// configured folder.
    pub async fn open(config: &InboundMailConfig) -> Result<Mailbox, ImapError> {
        let limit = config.timeout;
        let connector = tls(config)?;
        let name = ServerName::try_from(config.imap_host.clone())
            .map_err(|e| ImapError::Connect(e.to_string()))?;
        let stream = within(limit, async {
            let tcp = TcpStream::connect((config.imap_host.as_str(), config.imap_port))
                .await
                .map_err(|e| ImapError::Connect(e.to_string()))?;
            connector
                .connect(name, tcp)
                .await
                .map_err(|e| ImapError::Connect(e.to_string()))
        })
        .await?;
        let mut client = async_imap::Client::new(stream);
        within(limit, async {
            client
                .read_response()
                .await
                .map_err(|e| ImapError::Protocol(e.to_string()))?
                .ok_or_else(|| ImapError::Protocol("no greeting".into()))
        })
        .await?;
        let mut session = within(limit, async {
            client
                .login(&config.username, &config.password)
                .await
                .map_err(|(e, _)| ImapError::Login(e.to_string()))
        })
        .await?;
        within(limit, async {
            session.select(&config.mailbox).await.map_err(protocol)
        })
        .await?;
        Ok(Mailbox {
            session,
            timeout: limit,
        })
    }

    /// The messages not read yet, oldest first, at most `MAX_PER_POLL`.
    pub async fn unread(&mut self) -> Result<Vec<Unread>, ImapError> {
        let limit = self.timeout;
        let session = &mut self.session;
        within(limit, async move {
            let mut uids: Vec<u32> = session
                .uid_search("UNSEEN")
                .await
                .map_err(protocol)?
                .into_iter()
                .collect();
            uids.sort_unstable();
            uids.truncate(MAX_PER_POLL);
            if uids.is_empty() {
                return Ok(Vec::new());
            }
            let set = uids
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let sizes: Vec<(u32, u32)> = session
                .uid_fetch(&set, "(UID RFC822.SIZE)")
                .await
                .map_err(protocol)?
                .try_collect::<Vec<_>>()
                .await
                .map_err(protocol)?
                .iter()
                .filter_map(|f| Some((f.uid?, f.size?)))
                .collect();
            let mut out = Vec::with_capacity(sizes.len());
            for (uid, size) in sizes {
                if size as usize > MAX_MESSAGE {
                    out.push(Unread { uid, raw: None });
                    continue;
                }
                // PEEK: a message is marked read only once it was handled.
                let fetched = session
                    .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
                    .await
                    .map_err(protocol)?
                    .try_collect::<Vec<_>>()
                    .await
                    .map_err(protocol)?;
                let raw = fetched
                    .iter()
                    .find(|f| f.uid == Some(uid))
                    .and_then(|f| f.body())
                    .map(<[u8]>::to_vec);
                out.push(Unread { uid, raw });
            }
            out.sort_by_key(|u| u.uid);
            Ok(out)
        })
        .await
    }

    /// Marks a message read: it is not read again.
    pub async fn mark_read(&mut self, uid: u32) -> Result<(), ImapError> {
        let limit = self.timeout;
        let session = &mut self.session;
        within(limit, async move {
            session
                .uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)")
                .await
                .map_err(protocol)?
                .try_collect::<Vec<_>>()
                .await
                .map_err(protocol)?;
            Ok(())
        })
        .await
    }

    /// Signs out (a failure to do so changes nothing).
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(self.timeout, self.session.logout()).await;
    }
}
