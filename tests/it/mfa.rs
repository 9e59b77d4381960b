//! Second factors through the real pages: enrolling an authenticator app,
//! signing in with codes and recovery codes, single use under concurrency,
//! the lockout, and the policy that sends people to enroll.

use crate::helpers::*;
use parvis::access::Actor;
use parvis::auth::mfa::totp::code_at;
use reqwest::Client;

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start)
        .skip(1)
        .filter_map(|piece| piece.split(end).next())
        .collect()
}

/// Enrolls an authenticator app for a signed-in client; returns the secret
/// and the recovery codes. The code used is the one of `ENROLLED_AT`'s step.
async fn enroll(app: &TestApp, client: &Client, password: &str) -> (String, Vec<String>) {
    enroll_at(app, client, password).await.0
}

async fn enroll_at(app: &TestApp, client: &Client, password: &str) -> ((String, Vec<String>), u64) {
    let res = post_form(
        app,
        client,
        "/account/security",
        "/account/security/totp/begin",
        &[("password", password)],
    )
    .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<svg"), "a QR code is shown");
    let secret = between(&html, "<code class=\"secret\">", "</code>")[0].to_string();
    let at = now_secs();
    let code = code_at(&secret, at).unwrap();
    let res = post_form(
        app,
        client,
        "/account/security",
        "/account/security/totp/confirm",
        &[("code", &code)],
    )
    .await;
    let html = res.text().await.unwrap();
    let codes: Vec<String> = between(&html, "<li><code>", "</code></li>")
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), 10, "{html}");
    ((secret, codes), at)
}

/// Posts email and password; returns the client holding the challenge cookie.
async fn password_step(app: &TestApp, email: &str, password: &str) -> Client {
    let client = app.client();
    let res = signin(app, &client, email, password).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/signin/verify");
    client
}

async fn submit_code(app: &TestApp, client: &Client, code: &str, lang: &str) -> reqwest::Response {
    let (_, html) = get_text(client, &app.url("/signin/verify")).await;
    client
        .post(app.url("/signin/verify"))
        .header("accept-language", lang)
        .form(&[("_csrf", csrf_in(&html).as_str()), ("code", code)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_authenticator_app_guards_the_sign_in_and_each_code_works_once() {
    let app = TestApp::spawn().await;
    app.create_person("ana@host.example", "Ana Silva", None)
        .await;
    let ana = app.signed_in("ana@host.example", PASSWORD).await;
    let ((secret, codes), enrolled_at) = enroll_at(&app, &ana, PASSWORD).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mfa_recovery_codes WHERE used_at IS NULL")
            .await,
        10
    );

    // The password alone no longer opens a session.
    let client = password_step(&app, "ana@host.example", PASSWORD).await;
    assert_eq!(get_text(&client, &app.url("/")).await.0, 303);
    // The code used to enroll was spent: it cannot sign in.
    let spent = code_at(&secret, enrolled_at).unwrap();
    let next = code_at(&secret, enrolled_at + 30).unwrap();
    if spent != next {
        let res = submit_code(&app, &client, &spent, "en").await;
        assert_eq!(res.status(), 401);
    }
    let res = submit_code(&app, &client, &next, "en").await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(get_text(&client, &app.url("/")).await.0, 200);

    // The same code a second time: refused (replay).
    let again = password_step(&app, "ana@host.example", PASSWORD).await;
    let res = submit_code(&app, &again, &next, "en").await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("not valid"));

    // A recovery code works once, typed loosely.
    let loose = codes[0].to_uppercase().replace('-', " ");
    let res = submit_code(&app, &again, &loose, "en").await;
    assert_eq!(res.status(), 303);
    let third = password_step(&app, "ana@host.example", PASSWORD).await;
    assert_eq!(
        submit_code(&app, &third, &codes[0], "en").await.status(),
        401
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'signin.success'
             AND json_extract(detail, '$.second_factor') = 'recovery-code'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn twenty_concurrent_uses_of_one_code_succeed_exactly_once() {
    let app = TestApp::spawn().await;
    app.create_person("ana@host.example", "Ana Silva", None)
        .await;
    let ana = app.signed_in("ana@host.example", PASSWORD).await;
    let (secret, codes) = enroll(&app, &ana, PASSWORD).await;
    for code in [code_at(&secret, now_secs() + 30).unwrap(), codes[1].clone()] {
        let mut live = Vec::new();
        for _ in 0..20 {
            live.push(password_step(&app, "ana@host.example", PASSWORD).await);
        }
        let mut tasks = Vec::new();
        for client in live {
            let url = app.url("/signin/verify");
            let code = code.clone();
            tasks.push(tokio::spawn(async move {
                let (_, html) = get_text(&client, &url).await;
                if !html.contains("name=\"_csrf\"") {
                    return 0;
                }
                let res = client
                    .post(&url)
                    .form(&[("_csrf", csrf_in(&html).as_str()), ("code", code.as_str())])
                    .send()
                    .await
                    .unwrap();
                u16::from(res.status() == 303 && location(&res) == "/")
            }));
        }
        let mut won = 0;
        for t in tasks {
            won += t.await.unwrap();
        }
        assert_eq!(won, 1, "{code}: {won} sign-ins with one code");
        // The nineteen losers were wrong codes: the second factor is now locked.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM people WHERE mfa_locked_until IS NOT NULL")
                .await,
            1
        );
        app.sql("UPDATE people SET mfa_failures = 0, mfa_locked_until = NULL")
            .await;
    }
}

#[tokio::test]
async fn five_wrong_codes_lock_the_second_factor_for_a_minute() {
    let app = TestApp::spawn().await;
    app.create_person("ana@host.example", "Ana Silva", None)
        .await;
    let ana = app.signed_in("ana@host.example", PASSWORD).await;
    let (secret, _) = enroll(&app, &ana, PASSWORD).await;
    let client = password_step(&app, "ana@host.example", PASSWORD).await;
    for _ in 0..5 {
        assert_eq!(
            submit_code(&app, &client, "000000", "en").await.status(),
            401
        );
    }
    let good = code_at(&secret, now_secs() + 30).unwrap();
    let res = submit_code(&app, &client, &good, "fr").await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .expect("the lockout says when to come back")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert!(res.text().await.unwrap().contains("verrouillé"));
    // The lock passes; then the right code works.
    app.sql("UPDATE people SET mfa_locked_until = 1 WHERE email = 'ana@host.example'")
        .await;
    assert_eq!(submit_code(&app, &client, &good, "en").await.status(), 303);
}

#[tokio::test]
async fn a_password_reset_never_bypasses_the_second_factor() {
    let app = TestApp::spawn().await;
    app.create_person("ana@host.example", "Ana Silva", None)
        .await;
    let ana = app.signed_in("ana@host.example", PASSWORD).await;
    enroll(&app, &ana, PASSWORD).await;
    let new = parvis::service::NewPassword::parse("another long rare phrase", &[]).unwrap();
    parvis::people::service::set_password(
        &app.state.db,
        &app.state.hasher,
        &Actor::cli(),
        &parvis::service::Email::parse("ana@host.example").unwrap(),
        new,
        false,
    )
    .await
    .unwrap();
    password_step(&app, "ana@host.example", "another long rare phrase").await;
}

#[tokio::test]
async fn changes_to_second_factors_need_the_current_password() {
    let app = TestApp::spawn().await;
    app.create_person("ana@host.example", "Ana Silva", None)
        .await;
    let ana = app.signed_in("ana@host.example", PASSWORD).await;
    let res = post_form(
        &app,
        &ana,
        "/account/security",
        "/account/security/totp/begin",
        &[("password", "not my password at all")],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("current password is not correct")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM mfa_totp").await, 0);
    let (_, codes) = enroll(&app, &ana, PASSWORD).await;
    let res = post_form(
        &app,
        &ana,
        "/account/security",
        "/account/security/recovery",
        &[("password", "wrong again, wrong")],
    )
    .await;
    assert_eq!(res.status(), 400);
    // Still the same codes: the first one still works.
    let client = password_step(&app, "ana@host.example", PASSWORD).await;
    assert_eq!(
        submit_code(&app, &client, &codes[0], "en").await.status(),
        303
    );
    // Removing the app with the password.
    let res = post_form(
        &app,
        &ana,
        "/account/security",
        "/account/security/totp/remove",
        &[("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM mfa_totp").await, 0);
    assert_eq!(
        signin(&app, &app.client(), "ana@host.example", PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn the_policy_sends_people_to_enroll_and_keeps_their_last_factor() {
    let app = TestApp::spawn().await;
    app.create_org("client-co", "Client Co", "client").await;
    app.create_person("buyer@client.example", "Client Buyer", Some("client-co"))
        .await;
    parvis::auth::mfa::policy::set(
        &app.state.db,
        &app.state.portals,
        &Actor::cli(),
        parvis::auth::mfa::Policy {
            admins: false,
            kinds: vec![parvis::organizations::OrgKind::Client],
        },
    )
    .await
    .unwrap();
    let buyer = app.signed_in("buyer@client.example", PASSWORD).await;
    for path in ["/", "/spaces", "/people"] {
        let res = buyer.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(location(&res), "/account/security");
    }
    let (_, page) = get_text(&buyer, &app.url("/account/security")).await;
    assert!(page.contains("requires a second factor"));
    enroll(&app, &buyer, PASSWORD).await;
    assert_eq!(get_text(&buyer, &app.url("/")).await.0, 200);
    let res = post_form(
        &app,
        &buyer,
        "/account/security",
        "/account/security/totp/remove",
        &[("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("add another one"));
    // Staff are not concerned.
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(get_text(&admin, &app.url("/")).await.0, 200);
}

#[test]
fn the_policy_and_resets_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = |args: &[&str]| {
        let mut c = parvis(dir.path());
        c.args(args);
        run(c)
    };
    assert_eq!(cmd(&["init"]).code, 0);
    let out = cmd(&[
        "mfa",
        "policy",
        "--admins",
        "true",
        "--kinds",
        "client,supplier",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Administrators must use a second factor: yes")
    );
    assert!(out.stdout.contains("client, supplier"));
    let out = cmd(&["mfa", "policy", "--kinds", "nonsense"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("client, partner, supplier or other"),
        "{}",
        out.stderr
    );
    let out = cmd(&["mfa", "policy", "--kinds", ""]);
    assert!(out.stdout.contains("must: none"), "{}", out.stdout);
    let out = cmd(&["mfa", "reset", "--email", "admin@parvis.local"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = cmd(&["mfa", "reset", "--email", "nobody@parvis.local"]);
    assert_eq!(out.code, 1);
    assert_eq!(cmd(&["audit", "verify"]).code, 0);
}
