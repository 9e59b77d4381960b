//! Mail through the outbox to a real SMTP server (aiosmtpd, from PyPI), in both languages.

use crate::helpers::*;
use parvis::config::{MailMode, SmtpSecurity};
use parvis::mail::{self, Mail};
use std::path::Path;
use std::time::{Duration, Instant};

pub struct SmtpSink {
    child: std::process::Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("maildir"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd (pip install aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start (pip install aiosmtpd)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpSink { child, port, dir }
    }

    /// Sends the instance's mail to this sink.
    pub fn relay(&self, c: &mut parvis::config::Config) {
        c.mail.mode = MailMode::Smtp;
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = self.port;
        c.mail.smtp_security = SmtpSecurity::None;
    }

    fn files(&self) -> Vec<std::path::PathBuf> {
        let new = self.dir.path().join("maildir").join("new");
        let mut files: Vec<_> = std::fs::read_dir(&new)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Every received message, raw and decoded (subject, recipient, body).
    pub fn messages(&self) -> Vec<(String, (String, String, String))> {
        self.files()
            .iter()
            .map(|f| {
                let raw = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
                (raw, decode(f))
            })
            .collect()
    }

    /// Subject, recipient and decoded body of every received message.
    pub fn received(&self) -> Vec<(String, String, String)> {
        self.files().iter().map(|f| decode(f)).collect()
    }

    /// The same, without the notification e-mails (those with an
    /// unsubscribe link): what accounts are sent (invitations, resets…).
    pub fn account_mails(&self) -> Vec<(String, String, String)> {
        self.messages()
            .into_iter()
            .filter(|(raw, _)| header(raw, "List-Unsubscribe").is_none())
            .map(|(_, d)| d)
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Python's email package reads the message exactly as a mail client would.
fn decode(path: &Path) -> (String, String, String) {
    let script = "import email,sys\n\
        from email.header import decode_header, make_header\n\
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'))\n\
        print(str(make_header(decode_header(m['Subject']))))\n\
        print(m['To'])\n\
        sys.stdout.write(m.get_payload(decode=True).decode(m.get_content_charset() or 'utf-8'))";
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.splitn(3, '\n');
    (
        lines.next().unwrap_or("").to_string(),
        lines.next().unwrap_or("").to_string(),
        lines.next().unwrap_or("").to_string(),
    )
}

async fn queue(app: &TestApp, mail: Mail) {
    app.state
        .db
        .write(move |tx| mail::enqueue(tx, &mail).map(|_| ()))
        .await
        .unwrap();
    app.state.outbox.ring();
}

#[tokio::test]
async fn queued_mail_reaches_the_smtp_server_in_both_languages() {
    let sink = SmtpSink::start();
    let port = sink.port;
    let app = TestApp::spawn_with(|c| {
        c.mail.mode = MailMode::Smtp;
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = port;
        c.mail.smtp_security = SmtpSecurity::None;
        c.mail.from = "Lumen Intranet <intranet@lumen.example>".into();
    })
    .await;
    queue(
        &app,
        Mail {
            to: "ana@test.example".into(),
            to_name: "Ana Silva".into(),
            subject: "Your access to Lumen".into(),
            text: "Hello Ana,\nyour access is ready.".into(),
            unsubscribe: None,
            reply_to: None,
        },
    )
    .await;
    queue(
        &app,
        Mail {
            to: "zoe@test.example".into(),
            to_name: "Zoé Dupré".into(),
            subject: "Réinitialisation de votre mot de passe".into(),
            text: "Bonjour Zoé,\nvoici le lien : « à usage unique ».".into(),
            unsubscribe: None,
            reply_to: None,
        },
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut got = sink.received();
    while got.len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        got = sink.received();
    }
    assert_eq!(got.len(), 2, "both messages delivered");
    let en = got
        .iter()
        .find(|m| m.0 == "Your access to Lumen")
        .expect("English message");
    assert!(en.1.contains("ana@test.example") && en.2.contains("your access is ready"));
    let fr = got
        .iter()
        .find(|m| m.0 == "Réinitialisation de votre mot de passe")
        .expect("French message");
    assert!(fr.1.contains("zoe@test.example"));
    assert!(
        fr.2.contains("Bonjour Zoé") && fr.2.contains("« à usage unique »"),
        "{}",
        fr.2
    );
    // Sent mail leaves the outbox (the row goes once the relay has answered,
    // a moment after the sink stored the message).
    let deadline = Instant::now() + Duration::from_secs(10);
    while app
        .count("SELECT COUNT(*) FROM outbox WHERE kind = 'mail'")
        .await
        > 0
    {
        assert!(Instant::now() < deadline, "sent mail stayed in the outbox");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn mail_waits_in_the_outbox_while_the_relay_is_down() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = TestApp::spawn_with(|c| {
        c.mail.mode = MailMode::Smtp;
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = port;
        c.mail.smtp_security = SmtpSecurity::None;
        c.mail.smtp_timeout = Duration::from_secs(2);
    })
    .await;
    queue(
        &app,
        Mail {
            to: "ana@test.example".into(),
            to_name: String::new(),
            subject: "Hello".into(),
            text: "Hi".into(),
            unsubscribe: None,
            reply_to: None,
        },
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while app
        .count("SELECT COUNT(*) FROM outbox WHERE attempts > 0")
        .await
        == 0
    {
        assert!(
            Instant::now() < deadline,
            "the failed attempt was not recorded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE last_error <> ''")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE next_attempt_at > created_at")
            .await,
        1
    );
}

/// The value of header `name` of a raw message, its folded lines joined.
pub fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next()?.split("\n\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\n ", " ");
    unfolded.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}
