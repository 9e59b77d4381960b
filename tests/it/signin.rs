//! Sign-in: success, failure, the same answer for unknown accounts, throttling,
//! CSRF, audit records.

use crate::helpers::*;

#[tokio::test]
async fn signing_in_opens_a_session_and_shows_the_home_page() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.client();
    let res = signin(&app, &client, "Ana@Test.example", PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-parvis_session="))
        .expect("session cookie set");
    for attr in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "cookie lacks {attr}: {cookie}");
    }
    let (status, html) = get_text(&client, &app.url("/")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hello Ana"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'signin.success'")
            .await,
        1
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let wrong = signin(
        &app,
        &app.client(),
        "ana@test.example",
        "not the right password",
    )
    .await;
    let wrong_status = wrong.status();
    let wrong_html = wrong.text().await.unwrap();
    let unknown = signin(
        &app,
        &app.client(),
        "nobody@test.example",
        "not the right password",
    )
    .await;
    assert_eq!(wrong_status, 401);
    assert_eq!(unknown.status(), 401);
    let unknown_html = unknown.text().await.unwrap();
    let msg = "Wrong e-mail address or password.";
    assert!(wrong_html.contains(msg) && unknown_html.contains(msg));
    // The pages differ only by the echoed e-mail and CSRF token.
    let strip = |h: &str, email: &str| h.replace(email, "E").replace(&csrf_in(h), "T");
    assert_eq!(
        strip(&wrong_html, "ana@test.example"),
        strip(&unknown_html, "nobody@test.example")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'signin.failure'")
            .await,
        2
    );
    // No session was created.
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn disabled_and_expired_accounts_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let id = app.create_person("gone@test.example", "Gone", None).await;
    app.sql(&format!(
        "UPDATE people SET status = 'disabled' WHERE id = {id}"
    ))
    .await;
    assert_eq!(
        signin(&app, &app.client(), "gone@test.example", PASSWORD)
            .await
            .status(),
        401
    );
    let id = app.create_person("old@test.example", "Old", None).await;
    app.sql(&format!(
        "UPDATE people SET expires_at = 1000 WHERE id = {id}"
    ))
    .await;
    assert_eq!(
        signin(&app, &app.client(), "old@test.example", PASSWORD)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let app = TestApp::spawn_with(|c| c.auth.account_free_failures = 2).await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.client();
    // The free failures get the ordinary answer.
    for _ in 0..2 {
        assert_eq!(
            signin(&app, &client, "ana@test.example", "wrong password here")
                .await
                .status(),
            401
        );
    }
    // Then the delays grow: 1 s, 2 s, 4 s… Wait them out until one is long.
    let mut delays = Vec::new();
    for _ in 0..12 {
        let res = signin(&app, &client, "ana@test.example", "wrong password here").await;
        if res.status() == 429 {
            let retry: u64 = res.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            delays.push(retry);
            if retry >= 4 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(retry * 1000 + 100)).await;
        }
    }
    assert!(delays.last().is_some_and(|d| *d >= 4), "delays {delays:?}");
    // While blocked, even the right password is refused, with the wait in words.
    let res = signin(&app, &client, "ana@test.example", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let html = res.text().await.unwrap();
    assert!(html.contains("Too many attempts"), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    // Another account from the same address is not blocked by this one's failures.
    app.create_person("bo@test.example", "Bo", None).await;
    assert_eq!(
        signin(&app, &client, "bo@test.example", PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn sign_in_without_or_with_a_wrong_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.client();
    let _ = get_text(&client, &app.url("/signin")).await;
    let form = [("email", "ana@test.example"), ("password", PASSWORD)];
    let res = client
        .post(app.url("/signin"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body = res.text().await.unwrap();
    assert!(body.contains("This form has expired"), "{body}");
    let res = client
        .post(app.url("/signin"))
        .form(&[
            ("_csrf", "x".repeat(43).as_str()),
            ("email", "ana@test.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A token from another visitor does not work either.
    let other = app.client();
    let (_, html) = get_text(&other, &app.url("/signin")).await;
    let foreign = csrf_in(&html);
    let res = client
        .post(app.url("/signin"))
        .form(&[
            ("_csrf", foreign.as_str()),
            ("email", "ana@test.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn cross_site_posts_are_refused_even_with_a_token() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.client();
    let (_, html) = get_text(&client, &app.url("/signin")).await;
    let token = csrf_in(&html);
    let res = client
        .post(app.url("/signin"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("_csrf", token.as_str()),
            ("email", "ana@test.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn state_changes_of_a_signed_in_person_need_the_session_token() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    // Every state-changing route refuses a request without the token, and the session survives.
    for path in [
        "/signin",
        "/signout",
        "/language",
        "/account/password",
        "/account/signout-others",
    ] {
        let res = client
            .post(app.url(path))
            .form(&[("lang", "fr")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
    }
    assert_eq!(get_text(&client, &app.url("/")).await.0, 200);
    // The header form of the token works for scripts.
    let (_, html) = get_text(&client, &app.url("/")).await;
    let token = csrf_in(&html);
    let res = client
        .post(app.url("/account/signout-others"))
        .header("x-csrf-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn the_next_parameter_only_leads_back_into_the_site() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let res = app
        .client()
        .get(app.url("/people?q=a"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/signin?next=%2Fpeople%3Fq%3Da");
    for (next, expected) in [
        ("/people?q=a", "/people?q=a"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
    ] {
        let client = app.client();
        let (_, html) = get_text(&client, &app.url("/signin")).await;
        let token = csrf_in(&html);
        let res = client
            .post(app.url("/signin"))
            .form(&[
                ("_csrf", token.as_str()),
                ("email", "ana@test.example"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&res), expected, "next={next}");
    }
}

#[tokio::test]
async fn a_one_time_password_must_be_replaced_before_anything_else() {
    let app = TestApp::spawn().await;
    let id = app
        .create_person("new@test.example", "New Person", None)
        .await;
    app.sql(&format!(
        "UPDATE people SET password_must_change = 1 WHERE id = {id}"
    ))
    .await;
    let client = app.client();
    let res = signin(&app, &client, "new@test.example", PASSWORD).await;
    assert_eq!(location(&res), "/account#password");
    let res = client.get(app.url("/people")).send().await.unwrap();
    assert_eq!(location(&res), "/account#password");
    // A common password is refused, in the person's language.
    let res = post_form(
        &app,
        &client,
        "/account",
        "/account/password",
        &[
            ("current", PASSWORD),
            ("new", "Password2024!"),
            ("confirm", "Password2024!"),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("too common"));
    let new = "orchard lantern violet seventeen";
    let res = post_form(
        &app,
        &client,
        "/account",
        "/account/password",
        &[("current", PASSWORD), ("new", new), ("confirm", new)],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(get_text(&client, &app.url("/people")).await.0, 200);
    // The new password works, the old one does not.
    assert_eq!(
        signin(&app, &app.client(), "new@test.example", new)
            .await
            .status(),
        303
    );
    assert_eq!(
        signin(&app, &app.client(), "new@test.example", PASSWORD)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn changing_the_password_requires_the_current_one() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    let new = "orchard lantern violet seventeen";
    let res = post_form(
        &app,
        &client,
        "/account",
        "/account/password",
        &[
            ("current", "not my password at all"),
            ("new", new),
            ("confirm", new),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("current password is not correct")
    );
    assert_eq!(
        signin(&app, &app.client(), "ana@test.example", PASSWORD)
            .await
            .status(),
        303
    );
}

/// Posts the sign-in form as a visitor at `ip` (through a trusted proxy).
async fn signin_from(app: &TestApp, ip: &str, email: &str, password: &str) -> reqwest::Response {
    let client = app.client();
    let res = client
        .get(app.url("/signin"))
        .header("x-forwarded-for", ip)
        .send()
        .await
        .unwrap();
    let token = csrf_in(&res.text().await.unwrap());
    client
        .post(app.url("/signin"))
        .header("x-forwarded-for", ip)
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_attacker_hammering_one_account_does_not_lock_its_owner_out() {
    let app = TestApp::spawn_with(|c| {
        c.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        c.auth.account_free_failures = 2;
    })
    .await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let attacker = "198.51.100.66";
    let mut throttled = None;
    for _ in 0..10 {
        let res = signin_from(&app, attacker, "ana@test.example", "wrong password here").await;
        if res.status() == 429 {
            throttled = Some(res);
            break;
        }
        assert_eq!(res.status(), 401);
    }
    let res = throttled.expect("the attacker's address is throttled");
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert!(res.text().await.unwrap().contains("Too many attempts"));
    // From the attacker's address even the right password waits.
    assert_eq!(
        signin_from(&app, attacker, "ana@test.example", PASSWORD)
            .await
            .status(),
        429
    );
    // The owner, elsewhere, signs in with the right password at once.
    let res = signin_from(&app, "203.0.113.10", "ana@test.example", PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert!(set_cookie_pair(&res, "__Host-parvis_session").is_some());
}

/// Posts `fields` to `to` (with the CSRF token of `from`) until the answer is
/// 429, at most `tries` times; that answer must say when to come back.
async fn until_throttled(
    app: &TestApp,
    client: &reqwest::Client,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let res = post_form(app, client, from, to, fields).await;
        if res.status() == 429 {
            let retry = res
                .headers()
                .get("retry-after")
                .unwrap_or_else(|| panic!("{to}: a 429 without Retry-After"));
            let secs: u64 = retry.to_str().unwrap().parse().unwrap();
            assert!((1..=900).contains(&secs), "{to}: Retry-After {secs}");
            return res;
        }
        statuses.push(res.status().as_u16());
    }
    panic!("{to} never throttled: {statuses:?}");
}

#[tokio::test]
async fn every_throttled_page_says_when_to_retry() {
    let (app, token) = deal_room().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    // Forgotten password.
    let visitor = app.client();
    let res = until_throttled(
        &app,
        &visitor,
        "/forgot",
        "/forgot",
        &[("email", "ana@test.example")],
    )
    .await;
    assert!(res.text().await.unwrap().contains("Too many attempts"));
    // The password asked again on the account and security pages.
    let ana = app.signed_in("ana@test.example", PASSWORD).await;
    let res = until_throttled(
        &app,
        &ana,
        "/account",
        "/account/email",
        &[
            ("email", "ana2@test.example"),
            ("password", "not my password at all"),
        ],
    )
    .await;
    assert!(res.text().await.unwrap().contains("Too many attempts"));
    until_throttled(
        &app,
        &ana,
        "/account/security",
        "/account/security/totp/begin",
        &[("password", "not my password at all")],
    )
    .await;
    // A share link's password.
    assert_eq!(
        upload_to_deal_room(&app, &token, "offer.pdf", b"%PDF-1.7 offer".to_vec()).await,
        201
    );
    app.sql("UPDATE portals SET share_links_allowed = 1").await;
    app.state.portals.reload(&app.state.db).await.unwrap();
    let doc = app
        .count("SELECT id FROM documents WHERE name = 'offer.pdf'")
        .await;
    let res = app
        .bare_client()
        .post(app.url(&format!("/api/v1/documents/{doc}/shares")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"days": 7, "password": "a share pass phrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let url = res.json::<serde_json::Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_string();
    let path = &url[url.find("/s/").unwrap()..];
    let res = until_throttled(
        &app,
        &app.client(),
        path,
        path,
        &[("password", "guess guess guess")],
    )
    .await;
    assert!(res.text().await.unwrap().contains("Too many attempts"));
}
