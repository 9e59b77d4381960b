//! Password reset by e-mail: same answer for unknown accounts, single-use link
//! valid 30 minutes, exactly-once under concurrency, sessions ended.

use crate::helpers::*;
use crate::mail::SmtpSink;
use std::time::{Duration, Instant};

async fn app_with_mail(sink: &SmtpSink) -> TestApp {
    TestApp::spawn_with(|c| {
        sink.relay(c);
        c.server.public_url = "https://intranet.lumen.example".into();
    })
    .await
}

async fn ask(app: &TestApp, email: &str, host: Option<&str>) -> (u16, String) {
    let client = app.client();
    let (_, html) = get_text(&client, &app.url("/forgot")).await;
    let token = csrf_in(&html);
    let mut req = client
        .post(app.url("/forgot"))
        .form(&[("_csrf", token.as_str()), ("email", email)]);
    if let Some(h) = host {
        req = req.header("x-forwarded-host", h).header("host", h);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

async fn wait_for_mail(sink: &SmtpSink, n: usize) -> Vec<(String, String, String)> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let got = sink.account_mails();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn link_in(body: &str) -> String {
    body.split_whitespace()
        .find(|w| w.starts_with("https://intranet.lumen.example/reset/"))
        .expect("a reset link in the mail")
        .to_string()
}

#[tokio::test]
async fn asking_gives_the_same_answer_for_unknown_accounts() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let known = ask(&app, "ana@test.example", None).await;
    let unknown = ask(&app, "nobody@test.example", None).await;
    let strip = |h: &str| h.replace(&csrf_in(h), "T");
    assert_eq!(known.0, 200);
    assert_eq!((known.0, strip(&known.1)), (unknown.0, strip(&unknown.1)));
    assert!(known.1.contains("a link is on its way"));
    assert_eq!(app.count("SELECT COUNT(*) FROM one_time_tokens").await, 1);
    let mails = wait_for_mail(&sink, 1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "Reset your password");
}

#[tokio::test]
async fn the_link_sets_a_new_password_once_and_ends_sessions() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    app.sql("UPDATE people SET locale = 'fr' WHERE email = 'ana@test.example'")
        .await;
    let before = app.signed_in("ana@test.example", PASSWORD).await;
    // A forged Host header does not change where the link points.
    ask(&app, "ana@test.example", Some("evil.example")).await;
    let mails = wait_for_mail(&sink, 1).await;
    let (subject, _, body) = &mails[0];
    assert_eq!(
        subject, "Réinitialisation de votre mot de passe",
        "in the person's language"
    );
    assert!(body.contains("Bonjour Ana") && !body.contains("evil.example"));
    let link = link_in(body);
    let path = link.trim_start_matches("https://intranet.lumen.example");

    let client = app.client();
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    let html = res.text().await.unwrap();
    let token = csrf_in(&html);
    let new = "juniper harbour lantern nine";
    // A common password is refused and the link stays usable.
    let res = client
        .post(app.url(path))
        .form(&[
            ("_csrf", token.as_str()),
            ("new", "password123456"),
            ("confirm", "password123456"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = client
        .post(app.url(path))
        .form(&[("_csrf", token.as_str()), ("new", new), ("confirm", new)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/signin?notice=password-reset");
    assert_eq!(
        before.get(app.url("/")).send().await.unwrap().status(),
        303,
        "old sessions ended"
    );
    assert_eq!(
        signin(&app, &app.client(), "ana@test.example", new)
            .await
            .status(),
        303
    );
    assert_eq!(
        signin(&app, &app.client(), "ana@test.example", PASSWORD)
            .await
            .status(),
        401
    );
    // Used: the link is gone.
    assert_eq!(
        client.get(app.url(path)).send().await.unwrap().status(),
        410
    );
}

#[tokio::test]
async fn twenty_concurrent_uses_of_one_link_succeed_exactly_once() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    ask(&app, "ana@test.example", None).await;
    let link = link_in(&wait_for_mail(&sink, 1).await[0].2);
    let path = link
        .trim_start_matches("https://intranet.lumen.example")
        .to_string();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let client = app.client();
        let url = app.url(&path);
        tasks.push(tokio::spawn(async move {
            let html = client.get(&url).send().await.unwrap().text().await.unwrap();
            // A task that already sees the link used still posts, with its visitor token.
            let token = if html.contains("name=\"_csrf\"") {
                csrf_in(&html)
            } else {
                String::new()
            };
            let pw = format!("concurrent pass phrase {i:02}");
            client
                .post(&url)
                .form(&[
                    ("_csrf", token.as_str()),
                    ("new", pw.as_str()),
                    ("confirm", pw.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'password.reset.complete'")
            .await,
        1
    );
}

#[tokio::test]
async fn expired_and_mistyped_links_are_refused() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    ask(&app, "ana@test.example", None).await;
    let link = link_in(&wait_for_mail(&sink, 1).await[0].2);
    let path = link
        .trim_start_matches("https://intranet.lumen.example")
        .to_string();
    app.sql("UPDATE one_time_tokens SET expires_at = 1").await;
    let client = app.client();
    let res = client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains("not valid any more"));
    for bad in [
        "/reset/short",
        "/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        assert_eq!(
            client.get(app.url(bad)).send().await.unwrap().status(),
            410,
            "{bad}"
        );
    }
    // Bytes that are not even text name nothing at all.
    assert_eq!(
        client
            .get(app.url("/reset/%00%FF"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
