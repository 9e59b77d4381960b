//! Replies by e-mail, through real servers: the notification about a
//! request leaves over SMTP with a reply address of its own; the answer is
//! put in a Dovecot mailbox, read over IMAP with TLS, and lands in the
//! request's timeline, without the quoted text, with its attachment. A
//! forged address, another sender, an out-of-office and a message read
//! twice land nothing.

use crate::discussions::{get, post, token};
use crate::helpers::*;
use crate::mail::{SmtpSink, header};
use crate::role_matrix::fixture;
use serde_json::{Value, json};
use std::io::BufRead;
use std::time::{Duration, Instant};

/// A Dovecot of its own (tests/peers/dovecot), stopped when dropped.
pub struct ImapPeer {
    child: std::process::Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl ImapPeer {
    pub fn start() -> ImapPeer {
        let dir = tempfile::tempdir().unwrap();
        let mut child =
            std::process::Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/dovecot"))
                .arg(dir.path())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("tests/peers/dovecot (scripts/test-deps installs dovecot-imapd)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Some(port) = line
            .trim()
            .strip_prefix("port=")
            .and_then(|p| p.parse().ok())
        else {
            let _ = child.kill();
            panic!("dovecot did not start: {line:?}");
        };
        ImapPeer { child, port, dir }
    }

    /// Runs Python's imaplib, signed in with INBOX selected as `m`.
    fn python(&self, script: &str, input: &[u8]) -> String {
        use std::io::Write;
        let program = format!(
            "import imaplib, ssl, sys\n\
             ctx = ssl.create_default_context(cafile={cert:?})\n\
             m = imaplib.IMAP4_SSL('localhost', {port}, ssl_context=ctx)\n\
             m.login('parvis', 'secret')\n\
             m.select('INBOX')\n\
             {script}\n",
            cert = self.dir.path().join("cert.pem").display().to_string(),
            port = self.port,
        );
        let mut child = std::process::Command::new("python3")
            .arg("-c")
            .arg(program)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "imaplib failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Delivers a message to the mailbox, as the mail server would.
    pub fn deliver(&self, raw: &str) {
        self.python(
            "m.append('INBOX', None, None, sys.stdin.buffer.read())",
            raw.replace('\n', "\r\n").as_bytes(),
        );
    }

    /// How many messages are not read yet.
    pub fn unread(&self) -> usize {
        self.python("print(len(m.search(None, 'UNSEEN')[1][0].split()))", b"")
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for ImapPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Reply-To of the first mail to `to` about `about`, once it arrived.
async fn reply_address(sink: &SmtpSink, to: &str, about: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = sink
            .messages()
            .into_iter()
            .find(|(_, d)| d.1.contains(to) && d.0.contains(about));
        if let Some((raw, (_, _, body))) = found {
            assert!(
                body.contains("##-"),
                "the marker above which to answer: {body}"
            );
            return header(&raw, "Reply-To").expect("a Reply-To");
        }
        assert!(Instant::now() < deadline, "no mail to {to} about {about}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn message(from: &str, to: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: {to}\nSubject: Re: your request\nMessage-ID: <{id}>\n\
         Date: Sat, 05 Dec 2026 10:00:00 +0000\n{extra}MIME-Version: 1.0\n\
         Content-Type: text/plain; charset=utf-8\n\n{body}\n"
    )
}

/// The replies of a request's timeline that came by e-mail, as the caller sees them.
async fn by_mail(app: &TestApp, who: &str, id: i64) -> Vec<Value> {
    let (s, tl) = get(app, who, &format!("/api/v1/requests/{id}/timeline")).await;
    assert_eq!(s, 200, "{tl}");
    tl["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["by_mail"] == true)
        .cloned()
        .collect()
}

#[tokio::test]
async fn an_answer_by_e_mail_lands_in_the_timeline_and_nothing_else_does() {
    let sink = SmtpSink::start();
    let imap = ImapPeer::start();
    let cert = imap.dir.path().join("cert.pem").display().to_string();
    let port = imap.port;
    let app = TestApp::spawn_with(|c| {
        sink.relay(c);
        c.inbound_mail.enabled = true;
        c.inbound_mail.address = "support@parvis.test".into();
        c.inbound_mail.imap_host = "localhost".into();
        c.inbound_mail.imap_port = port;
        c.inbound_mail.username = "parvis".into();
        c.inbound_mail.password = "secret".into();
        c.inbound_mail.ca_file = cert;
        c.inbound_mail.poll_interval = Duration::from_millis(200);
    })
    .await;
    let f = fixture(&app).await;
    let (client, agent) = (token(&f, 2), token(&f, 4));
    let (s, r) = post(
        &app,
        &client,
        "/api/v1/spaces/50/requests",
        json!({"type": "support", "title": "Pallet 9 arrived broken", "fields": {"reference": "PAL-9"}}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let number = r["number"].as_str().unwrap().to_string();

    // The agent is told of it, and answers the e-mail from their mail client.
    let address = reply_address(&sink, "contrib@host.example", &number).await;
    assert!(
        address.starts_with("support+") && address.ends_with("@parvis.test"),
        "{address}"
    );
    let answer = format!(
        "From: Contrib <contrib@host.example>\nTo: {address}\nSubject: Re: {number}\n\
         Message-ID: <answer-1@host.example>\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\n\n\
         --b1\nContent-Type: text/plain; charset=utf-8\n\n\
         We replace it tomorrow; the carrier's report is attached.\n\n\
         On Sat, 5 Dec 2026, Parvis wrote:\n> ##- Reply above this line -##\n> Someone filed {number}\n\
         --b1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"carrier report.pdf\"\n\
         Content-Transfer-Encoding: base64\n\nJVBERi0xLjQgcmVwb3J0\n--b1--\n"
    );
    imap.deliver(&answer);
    // The same message again (a client sending twice): it lands once.
    imap.deliver(&answer);
    let deadline = Instant::now() + Duration::from_secs(20);
    while by_mail(&app, &client, id).await.is_empty() {
        assert!(Instant::now() < deadline, "the answer never landed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Forged, from someone else, automatic, not a reply: nothing lands.
    let forged = format!(
        "{}0000@parvis.test",
        address
            .trim_end_matches("@parvis.test")
            .trim_end_matches(|c: char| c.is_ascii_hexdigit())
    );
    imap.deliver(&message(
        "contrib@host.example",
        &forged,
        "forged@x",
        "",
        "Let me in",
    ));
    imap.deliver(&message(
        "rival@rival.example",
        &address,
        "rival@x",
        "",
        "Close this please",
    ));
    imap.deliver(&message(
        "contrib@host.example",
        &address,
        "away@x",
        "Auto-Submitted: auto-replied\n",
        "I am away until Monday",
    ));
    imap.deliver(&message(
        "someone@else.example",
        "support@parvis.test",
        "plain@x",
        "",
        "Hello?",
    ));
    let deadline = Instant::now() + Duration::from_secs(20);
    while imap.unread() > 0 {
        assert!(Instant::now() < deadline, "the mailbox was not read");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let landed = by_mail(&app, &client, id).await;
    assert_eq!(landed.len(), 1, "{landed:?}");
    let body = landed[0]["body"].as_str().unwrap();
    assert_eq!(
        body,
        "We replace it tomorrow; the carrier's report is attached."
    );
    let (s, files) = get(&app, &client, &format!("/api/v1/requests/{id}/files")).await;
    assert_eq!(s, 200);
    assert_eq!(files["items"][0]["name"], "carrier report.pdf");
    for (outcome, n) in [
        ("landed", 1),
        ("forged", 1),
        ("unknown-sender", 1),
        ("automatic", 1),
        ("not-a-reply", 1),
    ] {
        let got = app
            .count(&format!(
                "SELECT count(*) FROM inbound_mail WHERE outcome = '{outcome}'"
            ))
            .await;
        assert_eq!(got, n, "{outcome}");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM request_events WHERE what = 'reply' AND by_mail = 1")
            .await,
        1
    );

    // The requester is told of the answer, and answers by e-mail in turn.
    let address = reply_address(&sink, "reader@client.example", &number).await;
    imap.deliver(&message(
        "Reader <READER@client.example>",
        &address,
        "thanks@client.example",
        "",
        "Thank you, tomorrow is fine.\n\n-- \nReader, Client Co",
    ));
    let deadline = Instant::now() + Duration::from_secs(20);
    while by_mail(&app, &agent, id).await.len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the requester's answer never landed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let landed = by_mail(&app, &agent, id).await;
    assert_eq!(landed[1]["body"], "Thank you, tomorrow is fine.");

    // The check says the mailbox is read.
    let findings = parvis::ops::check::run(&app.state.config);
    let mailbox = findings
        .iter()
        .find(|f| f.check == "replies mailbox")
        .expect("a finding");
    assert_eq!(format!("{:?}", mailbox.status), "Ok", "{}", mailbox.detail);
}
