//! Outgoing e-mail. A message is enqueued in the outbox inside the
//! transaction of the change that causes it, and a worker sends it after
//! commit over SMTP (lettre), retrying with growing delays; in `log` mode it
//! is written to the log instead. Replies arrive in a mailbox read over
//! IMAP (`imap`).

pub mod imap;

use crate::config::{MailConfig, MailMode, SmtpSecurity};
use crate::db::DbError;
use crate::outbox::{self, Handler};
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The outbox kind of e-mail work.
pub const KIND: &str = "mail";

/// One message, already written in its recipient's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    /// A one-click unsubscribe address (RFC 8058), for messages a person
    /// chose to receive and may stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe: Option<String>,
    /// Where an answer goes (a request's own reply address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

/// Queues `mail` inside the caller's transaction.
pub fn enqueue(tx: &rusqlite::Transaction<'_>, mail: &Mail) -> Result<i64, DbError> {
    let payload = serde_json::to_value(mail).map_err(|_| DbError::TaskFailed)?;
    outbox::enqueue(tx, KIND, &payload)
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("cannot set up SMTP to {host}: {message}")]
    Setup { host: String, message: String },
}

/// The worker's handler for the configured mode.
pub fn handler(config: &MailConfig) -> Result<Handler, MailError> {
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Setup {
            host: config.smtp_host.clone(),
            message: format!("mail.from: {e}"),
        })?;
    match config.mode {
        MailMode::Log => Ok(Arc::new(move |payload| {
            Box::pin(async move {
                let mail: Mail =
                    serde_json::from_value(payload).map_err(|e| format!("unreadable mail: {e}"))?;
                // One line per mail: the body's line breaks are written as \n.
                tracing::info!(to = %mail.to, subject = %mail.subject, text = ?mail.text, "mail (log mode, not sent)");
                Ok(())
            })
        })),
        MailMode::Smtp => {
            let transport = Arc::new(transport(config)?);
            Ok(Arc::new(move |payload| {
                let transport = transport.clone();
                let from = from.clone();
                Box::pin(async move {
                    let mail: Mail = match serde_json::from_value(payload) {
                        Ok(m) => m,
                        // A payload that cannot be read never will be: drop it loudly.
                        Err(e) => {
                            tracing::error!(error = %e, "dropping an unreadable mail from the outbox");
                            return Ok(());
                        }
                    };
                    let message = build(&from, &mail)?;
                    transport
                        .send(message)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
            }))
        }
    }
}

fn transport(config: &MailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let setup = |e: lettre::transport::smtp::Error| MailError::Setup {
        host: config.smtp_host.clone(),
        message: e.to_string(),
    };
    let host = config.smtp_host.as_str();
    let builder = match config.smtp_security {
        SmtpSecurity::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(setup)?
        }
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(setup)?,
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
    };
    let mut builder = builder
        .port(config.smtp_port)
        .timeout(Some(config.smtp_timeout));
    if !config.smtp_username.is_empty() {
        builder = builder.credentials(Credentials::new(
            config.smtp_username.clone(),
            config.smtp_password.clone(),
        ));
    }
    Ok(builder.build())
}

fn build(from: &Mailbox, mail: &Mail) -> Result<Message, String> {
    let address = mail
        .to
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", mail.to))?;
    let to = Mailbox::new(
        (!mail.to_name.is_empty()).then(|| mail.to_name.clone()),
        address,
    );
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN);
    if let Some(url) = &mail.unsubscribe {
        // The address is ours, but a control character must never reach a header.
        if url.chars().any(|c| c.is_control() || c == '<' || c == '>') {
            return Err(format!("unsubscribe address {url:?}"));
        }
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
    }
    if let Some(reply_to) = &mail.reply_to {
        let address = reply_to
            .parse()
            .map_err(|e| format!("reply address {reply_to:?}: {e}"))?;
        builder = builder.reply_to(Mailbox::new(None, address));
    }
    builder.body(mail.text.clone()).map_err(|e| e.to_string())
}
