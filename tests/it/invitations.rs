//! The external account lifecycle: invitation by a space manager, the
//! single-use link, the sponsor's renewal and ending of access (effective at
//! once on pages and API tokens), and the reminder before access ends.

use crate::helpers::*;
use crate::mail::SmtpSink;
use parvis::access::Actor;
use parvis::service::{DisplayName, Email, Slug};
use parvis::spaces::Role;
use parvis::spaces::service::{MemberRef, NewSpace};

pub(crate) struct World {
    pub app: TestApp,
    pub sink: SmtpSink,
    pub sofia: i64,
}

pub(crate) async fn world() -> World {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(|c| sink.relay(c)).await;
    app.create_org("client-co", "Client Co", "client").await;
    let sofia = app
        .create_person("sofia@host.example", "Sofia Almeida", None)
        .await;
    app.create_person("tom@host.example", "Tom Reader", None)
        .await;
    let new = NewSpace {
        name: DisplayName::parse("Client rollout").unwrap(),
        slug: Some(Slug::parse("rollout").unwrap()),
        description: String::new(),
        visibility: parvis::spaces::Visibility::Members,
        portals: Vec::new(),
    };
    parvis::spaces::service::create(&app.state.db, &Actor::cli(), new)
        .await
        .unwrap();
    for (email, role) in [
        ("sofia@host.example", Role::Manager),
        ("tom@host.example", Role::Reader),
    ] {
        parvis::spaces::service::grant(
            &app.state.db,
            &Actor::cli(),
            &Slug::parse("rollout").unwrap(),
            MemberRef::Person(Email::parse(email).unwrap()),
            role,
        )
        .await
        .unwrap();
    }
    World { app, sink, sofia }
}

/// Mails the SMTP server received, once there are at least `n`: (to, subject, text).
pub(crate) async fn mails(w: &World, n: usize) -> Vec<(String, String, String)> {
    w.app.state.outbox.ring();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let got = w.sink.account_mails();
        if got.len() >= n || std::time::Instant::now() > deadline {
            return got.into_iter().map(|(s, to, text)| (to, s, text)).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

pub(crate) fn token_in(text: &str) -> String {
    let start = text.find("/invite/").expect("a link") + "/invite/".len();
    text[start..start + 43].to_string()
}

async fn invite_through_the_page(
    app: &TestApp,
    who: &reqwest::Client,
    email: &str,
) -> reqwest::Response {
    post_form(
        app,
        who,
        "/spaces/rollout",
        "/spaces/rollout/invite",
        &[
            ("email", email),
            ("name", "Ingrid Solberg"),
            ("org", "client-co"),
            ("role", "contributor"),
        ],
    )
    .await
}

async fn accept(
    app: &TestApp,
    token: &str,
    password: &str,
) -> (reqwest::Client, reqwest::Response) {
    let client = app.client();
    let (_, html) = get_text(&client, &app.url(&format!("/invite/{token}"))).await;
    let res = client
        .post(app.url(&format!("/invite/{token}")))
        .form(&[
            ("_csrf", csrf_in(&html).as_str()),
            ("new", password),
            ("confirm", password),
        ])
        .send()
        .await
        .unwrap();
    (client, res)
}

#[tokio::test]
async fn a_space_manager_invites_an_external_person_who_opens_their_account() {
    let w = world().await;
    let app = &w.app;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (_, page) = get_text(&sofia, &app.url("/spaces/rollout")).await;
    assert!(page.contains("Invite someone external") && page.contains("Client Co"));
    let res = invite_through_the_page(app, &sofia, "ingrid@client.example").await;
    assert_eq!(res.status(), 303);
    let (_, page) = get_text(&sofia, &app.url(&location(&res))).await;
    assert!(page.contains("Invitation sent to ingrid@client.example"));

    let got = mails(&w, 1).await;
    let (to, subject, text) = got.last().unwrap().clone();
    assert!(to.contains("ingrid@client.example"), "{to}");
    assert!(
        subject.contains("Sofia Almeida invites you to Client rollout"),
        "{subject}"
    );
    assert!(
        text.contains("Sofia Almeida invites you") && text.contains("7 days"),
        "{text}"
    );
    let token = token_in(&text);

    // Not signed in yet: the account has no password.
    assert_eq!(
        signin(app, &app.client(), "ingrid@client.example", "")
            .await
            .status(),
        401
    );
    let (status, html) = get_text(&app.client(), &app.url(&format!("/invite/{token}"))).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ingrid Solberg") && html.contains("Client Co"));
    let (client, res) = accept(app, &token, "ingrid picks a rare phrase").await;
    assert_eq!(res.status(), 303);
    let (status, spaces) = get_text(&client, &app.url("/spaces")).await;
    assert_eq!(status, 200);
    assert!(spaces.contains("Client rollout"));
    // Once only.
    let (again, res) = accept(app, &token, "another rare phrase here").await;
    assert_eq!(res.status(), 410);
    assert_eq!(get_text(&again, &app.url("/")).await.0, 303);

    let (sponsor, ends): (i64, i64) = app
        .state
        .db
        .read(|c| {
            Ok::<_, parvis::db::DbError>(c.query_row(
                "SELECT sponsor_id, expires_at FROM people WHERE email = 'ingrid@client.example'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(sponsor, w.sofia);
    let year = 365 * 24 * 3600 * 1000_i64;
    assert!(
        (ends - parvis::util::now_ms() - year).abs() < 60_000,
        "a year by default"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('person.invite', 'person.invite.accept')")
            .await,
        2
    );
}

#[tokio::test]
async fn twenty_concurrent_uses_of_an_invitation_succeed_exactly_once() {
    let w = world().await;
    let app = &w.app;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    invite_through_the_page(app, &sofia, "ingrid@client.example").await;
    let token = token_in(&mails(&w, 1).await.last().unwrap().2);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let client = app.client();
        let url = app.url(&format!("/invite/{token}"));
        tasks.push(tokio::spawn(async move {
            let (_, html) = get_text(&client, &url).await;
            if !html.contains("name=\"_csrf\"") {
                return 0;
            }
            let password = format!("concurrent rare phrase {i}");
            let res = client
                .post(&url)
                .form(&[
                    ("_csrf", csrf_in(&html).as_str()),
                    ("new", password.as_str()),
                    ("confirm", password.as_str()),
                ])
                .send()
                .await
                .unwrap();
            u32::from(res.status() == 303)
        }));
    }
    let mut won = 0;
    for t in tasks {
        won += t.await.unwrap();
    }
    assert_eq!(won, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.email = 'ingrid@client.example'")
            .await,
        1
    );
}

#[tokio::test]
async fn only_staff_who_manage_the_space_may_invite_and_bad_input_changes_nothing() {
    let w = world().await;
    let app = &w.app;
    let people_before = app.count("SELECT COUNT(*) FROM people").await;
    // A reader of the space sees no form, and posting anyway is refused like a missing page.
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let (_, page) = get_text(&tom, &app.url("/spaces/rollout")).await;
    assert!(!page.contains("Invite someone external"));
    let res = invite_through_the_page(app, &tom, "x@client.example").await;
    assert_eq!(res.status(), 404);
    // Bad input is shown in the person's language; nothing is written.
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    for (email, org, fr_text) in [
        (
            "not an address",
            "client-co",
            "adresse e-mail n’est pas valide",
        ),
        ("staff2@host.example", "test-host", "organisations externes"),
        ("tom@host.example", "client-co", "a déjà un compte"),
    ] {
        let (_, html) = get_text(&sofia, &app.url("/spaces/rollout")).await;
        let res = sofia
            .post(app.url("/spaces/rollout/invite"))
            .header("accept-language", "fr")
            .form(&[
                ("_csrf", csrf_in(&html).as_str()),
                ("email", email),
                ("name", "Someone"),
                ("org", org),
                ("role", "reader"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{email}");
        let body = res.text().await.unwrap();
        assert!(body.contains(fr_text), "{email}: {body}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people").await,
        people_before
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'mail' AND payload NOT LIKE '%\"unsubscribe\":%'"
        )
        .await,
        0,
        "no mail for a refused invitation (notifications aside)"
    );
    assert!(w.sink.account_mails().is_empty());
}

#[tokio::test]
async fn the_sponsor_ends_and_renews_access_and_it_takes_effect_at_once() {
    let w = world().await;
    let app = &w.app;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    invite_through_the_page(app, &sofia, "ingrid@client.example").await;
    let token = token_in(&mails(&w, 1).await.last().unwrap().2);
    let (ingrid, _) = accept(app, &token, "ingrid picks a rare phrase").await;
    let id = app
        .count("SELECT id FROM people WHERE email = 'ingrid@client.example'")
        .await;
    let api = parvis::auth::tokens::create(
        &app.state.db,
        &Actor::cli(),
        &Email::parse("ingrid@client.example").unwrap(),
        "script",
        parvis::auth::tokens::Scope::Read,
        None,
    )
    .await
    .unwrap();
    let bearer = format!("Bearer {}", api.secret.expose());
    let me = |auth: String| {
        let c = app.bare_client();
        let url = app.url("/api/v1/me");
        async move {
            c.get(url)
                .header("authorization", auth)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(me(bearer.clone()).await, 200);

    // Another member of the staff may not touch it.
    let tom = app.signed_in("tom@host.example", PASSWORD).await;
    let (_, profile) = get_text(&tom, &app.url(&format!("/people/{id}"))).await;
    assert!(profile.contains("Sofia Almeida") && !profile.contains("End access now"));
    let (_, html) = get_text(&tom, &app.url(&format!("/people/{id}"))).await;
    let res = tom
        .post(app.url(&format!("/people/{id}/end-access")))
        .form(&[("_csrf", csrf_in(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let res = post_form(
        app,
        &sofia,
        &format!("/people/{id}"),
        &format!("/people/{id}/end-access"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    // At once: the page, the API.
    assert_eq!(get_text(&ingrid, &app.url("/")).await.0, 303);
    assert_eq!(me(bearer.clone()).await, 401);
    assert_eq!(
        signin(
            app,
            &app.client(),
            "ingrid@client.example",
            "ingrid picks a rare phrase"
        )
        .await
        .status(),
        401
    );

    let res = post_form(
        app,
        &sofia,
        &format!("/people/{id}"),
        &format!("/people/{id}/renew"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, page) = get_text(&sofia, &app.url(&location(&res))).await;
    assert!(page.contains("Access renewed until"), "{page}");
    assert_eq!(me(bearer).await, 200);
    app.signed_in("ingrid@client.example", "ingrid picks a rare phrase")
        .await;
}

#[tokio::test]
async fn sponsors_are_reminded_once_before_access_ends_in_their_language() {
    let w = world().await;
    let app = &w.app;
    app.sql("UPDATE people SET locale = 'fr' WHERE email = 'sofia@host.example'")
        .await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    invite_through_the_page(app, &sofia, "ingrid@client.example").await;
    let before = mails(&w, 1).await.len();
    let soon = parvis::util::now_ms() + 3 * 24 * 3600 * 1000;
    app.sql(&format!(
        "UPDATE people SET expires_at = {soon} WHERE email = 'ingrid@client.example'"
    ))
    .await;
    let window = std::time::Duration::from_secs(14 * 24 * 3600);
    let sent = parvis::people::lifecycle::send_reminders(
        &app.state.db,
        &app.state.i18n,
        &app.state.config,
        window,
    )
    .await
    .unwrap();
    assert_eq!(sent, 1);
    let got = mails(&w, before + 1).await;
    assert_eq!(got.len(), before + 1);
    let (_, subject, text) = got
        .into_iter()
        .find(|m| m.0.contains("sofia@host.example"))
        .unwrap();
    assert!(
        subject.contains("L’accès de Ingrid Solberg se termine"),
        "{subject}"
    );
    assert!(
        text.contains("/people/") && text.contains("prolonger"),
        "{text}"
    );
    // Once per end date.
    let again = parvis::people::lifecycle::send_reminders(
        &app.state.db,
        &app.state.i18n,
        &app.state.config,
        window,
    )
    .await
    .unwrap();
    assert_eq!(again, 0);
}

#[test]
fn invitations_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = |args: &[&str]| {
        let mut c = parvis(dir.path());
        c.args(args);
        run(c)
    };
    assert_eq!(cmd(&["init"]).code, 0);
    assert_eq!(
        cmd(&["org", "add", "--name", "Nordhavn", "--kind", "client"]).code,
        0
    );
    assert_eq!(cmd(&["space", "add", "--name", "Rollout"]).code, 0);
    let out = cmd(&[
        "user",
        "invite",
        "--email",
        "ingrid@nordhavn.example",
        "--name",
        "Ingrid",
        "--org",
        "nordhavn",
        "--space",
        "rollout:contributor",
        "--sponsor",
        "admin@parvis.local",
        "--days",
        "30",
        "--language",
        "fr",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("/invite/"), "{}", out.stdout);
    let out = cmd(&[
        "user",
        "invite",
        "--email",
        "x@nordhavn.example",
        "--name",
        "X",
        "--org",
        "nordhavn",
        "--sponsor",
        "ingrid@nordhavn.example",
    ]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains("sponsor must be an active member of the staff"),
        "{}",
        out.stderr
    );
    assert_eq!(cmd(&["user", "renew", "ingrid@nordhavn.example"]).code, 0);
    let out = cmd(&["user", "end-access", "ingrid@nordhavn.example"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = cmd(&["user", "renew", "admin@parvis.local"]);
    assert!(
        out.stderr.contains("not an external account"),
        "{}",
        out.stderr
    );
    assert_eq!(cmd(&["audit", "verify"]).code, 0);
}
