//! The account page: one's profile and skills (found in the directory), a
//! photo checked by its bytes and shown only to those who may see the
//! person, an e-mail change behind the password (the old address is told),
//! and personal access tokens shown once.

use crate::helpers::*;
use reqwest::multipart::{Form, Part};

#[tokio::test]
async fn a_person_keeps_their_profile_photo_address_and_tokens() {
    let app = TestApp::spawn().await;
    app.create_org("rival-co", "Rival Co", "client").await;
    app.create_person("ana@host.example", "Ana Silva", None)
        .await;
    app.create_person("spy@rival.example", "Rival Spy", Some("rival-co"))
        .await;
    let ana = app.signed_in("ana@host.example", PASSWORD).await;
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/profile",
        &[
            ("name", "Ana Silva"),
            ("title", "Buyer"),
            ("department", "Purchasing"),
            ("phone", "+33 1 23 45 67 89"),
            ("skills", "Negotiation,  SAP ,, Incoterms"),
            ("language", "fr"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = get_text(&ana, &app.url("/people?q=incoterms")).await;
    assert!(html.contains("Ana Silva"), "found by a skill");
    let ana_id = app
        .count("SELECT id FROM people WHERE email = 'ana@host.example'")
        .await;
    let (_, profile) = get_text(&ana, &app.url(&format!("/people/{ana_id}"))).await;
    assert!(
        profile.contains("Negotiation")
            && profile.contains("SAP")
            && profile.contains("lang=\"fr\"")
    );

    // Photo: an SVG is refused, a PNG shown to colleagues, hidden from strangers.
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let ana = ana.clone();
        let (page_url, url) = (app.url("/account"), app.url("/account/photo"));
        async move {
            let (_, page) = get_text(&ana, &page_url).await;
            ana.post(format!("{url}?_csrf={}", csrf_in(&page)))
                .multipart(Form::new().part("photo", Part::bytes(bytes).file_name(name)))
                .send()
                .await
                .unwrap()
        }
    };
    let res = upload(b"<svg onload='alert(1)'/>".to_vec(), "me.svg").await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        upload(crate::portals::tiny_png(), "me.png").await.status(),
        303
    );
    let res = ana
        .get(app.url(&format!("/people/{ana_id}/photo")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let spy = app.signed_in("spy@rival.example", PASSWORD).await;
    assert_eq!(
        get_text(&spy, &app.url(&format!("/people/{ana_id}/photo")))
            .await
            .0,
        404
    );

    // The address changes only with the password; the old address is told.
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/email",
        &[
            ("email", "ana.silva@host.example"),
            ("password", "wrong password here"),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE email = 'ana@host.example'")
            .await,
        1
    );
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/email",
        &[("email", "spy@rival.example"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 400, "taken");
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/email",
        &[("email", "Ana.Silva@host.example"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE email = 'ana.silva@host.example'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'person.email.change'")
            .await,
        1
    );

    // A token is shown once, listed without its secret, and revoked.
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/tokens",
        &[("name", "Backup script"), ("scope", "read"), ("days", "30")],
    )
    .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let secret = html
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(secret.starts_with("pvs_"));
    let me = app
        .bare_client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let (_, page) = get_text(&ana, &app.url("/account")).await;
    assert!(page.contains("Backup script") && !page.contains(&secret));
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/tokens",
        &[("name", "Admin"), ("scope", "admin"), ("days", "")],
    )
    .await;
    assert_eq!(res.status(), 400, "not an administrator");
    let id = app
        .count("SELECT id FROM api_tokens WHERE name = 'Backup script'")
        .await;
    let res = post_form(
        &app,
        &ana,
        "/account",
        &format!("/account/tokens/{id}/revoke"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    let me = app
        .bare_client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    // Nobody revokes someone else's token.
    let theirs = parvis::auth::tokens::create(
        &app.state.db,
        &parvis::access::Actor::cli(),
        &parvis::service::Email::parse("spy@rival.example").unwrap(),
        "theirs",
        parvis::auth::tokens::Scope::Read,
        None,
    )
    .await
    .unwrap();
    let res = post_form(
        &app,
        &ana,
        "/account",
        &format!("/account/tokens/{}/revoke", theirs.id),
        &[],
    )
    .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn times_are_shown_in_the_persons_time_zone_or_the_instances() {
    let app = TestApp::spawn_with(|c| c.server.time_zone = "America/New_York".into()).await;
    app.create_person("ana@host.example", "Ana", None).await;
    let ana = app.signed_in("ana@host.example", PASSWORD).await;
    let (status, page) = get_text(&ana, &app.url("/account")).await;
    assert_eq!(status, 200);
    // The sessions list tells when this one started, in the instance's zone.
    assert!(page.contains(" EST") || page.contains(" EDT"), "{page}");
    assert!(page.contains("(America/New_York)</option>"));
    // The profile's language is labelled for the person, not as an admin's setting,
    // and the header's switch says it changes the profile.
    assert!(
        page.contains("<label for=\"pf-lang\">Language</label>"),
        "{page}"
    );
    assert!(!page.contains("Language for new visitors"));
    assert!(page.contains("title=\"Français: your pages and e-mails, saved in your profile\""));
    assert!(!page.contains(" UTC<"), "{page}");

    let form = |tz: &'static str| {
        vec![
            ("name", "Ana"),
            ("title", ""),
            ("department", ""),
            ("phone", ""),
            ("skills", ""),
            ("language", "en"),
            ("time_zone", tz),
        ]
    };
    // An unknown zone is refused in the person's language; nothing changes.
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/profile",
        &form("Mars/Olympus"),
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Choose a time zone from the list.")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE time_zone IS NOT NULL")
            .await,
        0
    );
    let res = post_form(
        &app,
        &ana,
        "/account",
        "/account/profile",
        &form("Europe/Paris"),
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, page) = get_text(&ana, &app.url("/account")).await;
    assert!(page.contains(" CET") || page.contains(" CEST"), "{page}");
    assert!(page.contains("<option value=\"Europe/Paris\" selected>"));
    // Back to the organization's.
    let res = post_form(&app, &ana, "/account", "/account/profile", &form("")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE time_zone IS NOT NULL")
            .await,
        0
    );
    // Through the API, shown to the person.
    let token = api_token(&app, "ana@host.example", parvis::auth::tokens::Scope::Write).await;
    let id = app
        .count("SELECT id FROM people WHERE email = 'ana@host.example'")
        .await;
    let res = app
        .bare_client()
        .patch(app.url(&format!("/api/v1/people/{id}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"time_zone": "Asia/Tokyo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["time_zone"], "Asia/Tokyo");
    let res = app
        .bare_client()
        .patch(app.url(&format!("/api/v1/people/{id}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"time_zone": "Nowhere/Land"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "time-zone-invalid");
}
