//! The administration's list of people: the facts an administrator of
//! externals needs (end of access, sponsor, last sign-in, second factor,
//! status), filters that really filter and refuse unknown values, and
//! access renewed or ended for the ticked people only, each change audited.

use crate::helpers::*;

const DAY: i64 = 24 * 3600 * 1000;

struct World {
    app: TestApp,
    sofia: i64,
    ingrid: i64,
    bob: i64,
    sam: i64,
}

/// Staff Sofia sponsors Ingrid and Bob (client Nordhavn, access ending in 10
/// and 100 days) and Sam (supplier Acme, ending in 5 days, with an
/// authenticator app and two passkeys).
async fn world() -> World {
    let app = TestApp::spawn().await;
    app.create_org("nordhavn", "Nordhavn Logistics", "client")
        .await;
    app.create_org("acme", "Acme Supplies", "supplier").await;
    let sofia = app
        .create_person("sofia@host.example", "Sofia Staff", None)
        .await;
    let ingrid = app
        .create_person("ingrid@nordhavn.example", "Ingrid Client", Some("nordhavn"))
        .await;
    let bob = app
        .create_person("bob@nordhavn.example", "Bob Client", Some("nordhavn"))
        .await;
    let sam = app
        .create_person("sam@acme.example", "Sam Supplier", Some("acme"))
        .await;
    let now = parvis::util::now_ms();
    app.sql(&format!(
        "UPDATE people SET sponsor_id = {sofia}, expires_at = {} WHERE id = {ingrid};
         UPDATE people SET sponsor_id = {sofia}, expires_at = {} WHERE id = {bob};
         UPDATE people SET sponsor_id = {sofia}, expires_at = {} WHERE id = {sam};
         INSERT INTO mfa_totp (person_id, secret, confirmed_at, created_at) VALUES ({sam}, x'00', {now}, {now});
         INSERT INTO webauthn_credentials (person_id, name, credential_id, credential, created_at)
         VALUES ({sam}, 'key one', x'01', '{{}}', {now}), ({sam}, 'key two', x'02', '{{}}', {now});",
        now + 10 * DAY,
        now + 100 * DAY,
        now + 5 * DAY,
    ))
    .await;
    World {
        app,
        sofia,
        ingrid,
        bob,
        sam,
    }
}

/// The table row of the person with this e-mail address, if listed.
fn row<'a>(html: &'a str, email: &str) -> Option<&'a str> {
    // The first piece is the page's head, where the viewer's own address is.
    html.split("<tr>").skip(1).find(|r| r.contains(email))
}

fn listed(html: &str) -> Vec<&'static str> {
    [
        "sofia@host.example",
        "ingrid@nordhavn.example",
        "bob@nordhavn.example",
        "sam@acme.example",
        ADMIN_EMAIL,
    ]
    .into_iter()
    .filter(|e| row(html, e).is_some())
    .collect()
}

#[tokio::test]
async fn the_list_shows_the_facts_and_its_filters_really_filter() {
    let w = world().await;
    let app = &w.app;
    // Ingrid signs in: her last sign-in is recorded.
    app.signed_in("ingrid@nordhavn.example", PASSWORD).await;
    let last = app
        .count(&format!(
            "SELECT ifnull(last_signin_at, 0) FROM people WHERE id = {}",
            w.ingrid
        ))
        .await;
    assert!(last > parvis::util::now_ms() - 60_000, "{last}");
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let (status, html) = get_text(&admin, &app.url("/admin/people")).await;
    assert_eq!(status, 200);
    assert_eq!(listed(&html).len(), 5, "everyone without filters");
    let ingrid = row(&html, "ingrid@nordhavn.example").unwrap();
    assert!(ingrid.contains("Nordhavn Logistics") && ingrid.contains("Client"));
    assert!(ingrid.contains("Sofia Staff"), "sponsor: {ingrid}");
    assert!(ingrid.contains(&format!("href=\"/people/{}\"", w.sofia)));
    assert!(ingrid.contains("soon"), "ends within 30 days: {ingrid}");
    assert!(!ingrid.contains("Never"), "signed in: {ingrid}");
    assert!(ingrid.contains("<time datetime="));
    let bob = row(&html, "bob@nordhavn.example").unwrap();
    assert!(bob.contains("Never") && !bob.contains("soon"), "{bob}");
    assert!(bob.contains(">None<"), "no second factor: {bob}");
    let sam = row(&html, "sam@acme.example").unwrap();
    assert!(
        sam.contains("Authenticator app") && sam.contains("2 passkeys"),
        "{sam}"
    );
    assert!(sam.contains("Supplier"));
    let sofia = row(&html, "sofia@host.example").unwrap();
    assert!(sofia.contains("No end"), "{sofia}");
    // A phone shows each cell with its label.
    assert!(sam.contains("data-label=\"Last sign-in\""));

    for (query, expected) in [
        (
            "org=nordhavn",
            vec!["ingrid@nordhavn.example", "bob@nordhavn.example"],
        ),
        ("kind=supplier", vec!["sam@acme.example"]),
        (
            "kind=client",
            vec!["ingrid@nordhavn.example", "bob@nordhavn.example"],
        ),
        ("kind=internal", vec!["sofia@host.example", ADMIN_EMAIL]),
        ("kind=partner", vec![]),
        (
            "ends=30",
            vec!["ingrid@nordhavn.example", "sam@acme.example"],
        ),
        ("org=nordhavn&ends=30", vec!["ingrid@nordhavn.example"]),
        ("q=sam&kind=&org=&ends=", vec!["sam@acme.example"]),
    ] {
        let (status, html) = get_text(&admin, &app.url(&format!("/admin/people?{query}"))).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(listed(&html), expected, "{query}");
    }
    // The chosen filters stay chosen, and the bulk form keeps them.
    let (_, html) = get_text(&admin, &app.url("/admin/people?org=nordhavn&ends=30")).await;
    assert!(html.contains("<option value=\"nordhavn\" selected>"));
    assert!(html.contains("<option value=\"30\" selected>"));
    assert!(
        html.contains("action=\"/admin/people/bulk?org=nordhavn&#38;ends=30\""),
        "{}",
        &html[html.find("id=\"bulk\"").unwrap_or(0).saturating_sub(200)..][..300]
    );

    // Unknown values are refused, clearly, in the page's language.
    for (query, en, fr) in [
        (
            "kind=robot",
            "Unknown kind of organization",
            "Type d’organisation inconnu",
        ),
        (
            "org=nowhere",
            "Unknown organization in the filter",
            "Organisation inconnue",
        ),
        ("ends=abc", "between 1 and 365", "entre 1 et 365"),
        ("ends=100000", "between 1 and 365", "entre 1 et 365"),
    ] {
        let (status, html) = get_text(&admin, &app.url(&format!("/admin/people?{query}"))).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(en), "{query}: {html}");
        let res = admin
            .get(app.url(&format!("/admin/people?{query}")))
            .header("accept-language", "fr")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains(fr), "{query} in French");
    }
}

async fn expiry(app: &TestApp, id: i64) -> i64 {
    app.count(&format!("SELECT expires_at FROM people WHERE id = {id}"))
        .await
}

async fn audited(app: &TestApp, action: &str) -> Vec<i64> {
    let action = action.to_string();
    app.state
        .db
        .read(move |c| {
            let mut st = c.prepare(
                "SELECT CAST(target_id AS INTEGER) FROM audit_events
                 WHERE action = ?1 AND target_type = 'person' ORDER BY id",
            )?;
            let v = st
                .query_map([action.as_str()], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok::<_, parvis::db::DbError>(v)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn bulk_changes_touch_exactly_the_ticked_people_and_are_audited() {
    let w = world().await;
    let app = &w.app;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let before = [
        expiry(app, w.ingrid).await,
        expiry(app, w.bob).await,
        expiry(app, w.sam).await,
    ];
    let (ingrid, bob, sam, sofia) = (
        w.ingrid.to_string(),
        w.bob.to_string(),
        w.sam.to_string(),
        w.sofia.to_string(),
    );
    let res = post_form(
        app,
        &admin,
        "/admin/people",
        "/admin/people/bulk?kind=client",
        &[
            ("person", &ingrid),
            ("person", &bob),
            ("action", "renew"),
            ("days", "60"),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Access renewed for 2 people."), "{html}");
    // The page comes back with the filters it was sent from.
    assert_eq!(
        listed(&html),
        ["ingrid@nordhavn.example", "bob@nordhavn.example"]
    );
    assert_eq!(expiry(app, w.ingrid).await, before[0] + 60 * DAY);
    assert_eq!(expiry(app, w.bob).await, before[1] + 60 * DAY);
    assert_eq!(expiry(app, w.sam).await, before[2], "Sam was not ticked");
    assert_eq!(audited(app, "person.access.renew").await, [w.ingrid, w.bob]);

    // Ending access for Sam and (by mistake) staff Sofia: Sam's ends, Sofia
    // is refused with the reason, and nothing else changes.
    let res = post_form(
        app,
        &admin,
        "/admin/people",
        "/admin/people/bulk",
        &[("person", &sam), ("person", &sofia), ("action", "end")],
    )
    .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Access ended for one person."), "{html}");
    assert!(html.contains("One person was left unchanged"), "{html}");
    assert!(
        html.contains("Sofia Staff: This is not an external account."),
        "{html}"
    );
    assert!(expiry(app, w.sam).await <= parvis::util::now_ms());
    assert_eq!(
        app.count(&format!(
            "SELECT expires_at IS NULL FROM people WHERE id = {}",
            w.sofia
        ))
        .await,
        1
    );
    assert_eq!(audited(app, "person.access.end").await, [w.sam]);
    // Sam's sessions end with his access: he can no longer sign in.
    let res = signin(app, &app.client(), "sam@acme.example", PASSWORD).await;
    assert_ne!(res.status(), 303);
}

#[tokio::test]
async fn bad_bulk_input_is_refused_and_changes_nothing_and_others_find_nothing() {
    let w = world().await;
    let app = &w.app;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let ingrid = w.ingrid.to_string();
    let before = (expiry(app, w.ingrid).await, app.audit_count().await);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("action", "renew"), ("days", "30")],
            "Tick at least one person",
        ),
        (vec![("action", "end")], "Tick at least one person"),
        (
            vec![("person", &ingrid), ("action", "renew"), ("days", "0")],
            "between 1 and 3650 days",
        ),
        (
            vec![("person", &ingrid), ("action", "renew"), ("days", "100000")],
            "between 1 and 3650 days",
        ),
        (
            vec![("person", &ingrid), ("action", "renew"), ("days", "")],
            "between 1 and 3650 days",
        ),
        (
            vec![("person", &ingrid), ("action", "renew"), ("days", "-5")],
            "between 1 and 3650 days",
        ),
        (vec![("person", &ingrid)], "renew their access or end it"),
        (
            vec![("person", &ingrid), ("action", "erase")],
            "renew their access or end it",
        ),
        (
            vec![("person", "abc"), ("action", "end")],
            "The selection is not valid",
        ),
    ];
    for (fields, message) in cases {
        let res = post_form(app, &admin, "/admin/people", "/admin/people/bulk", &fields).await;
        assert_eq!(res.status(), 400, "{fields:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{fields:?}: {html}");
        assert!(html.contains("role=\"alert\""));
    }
    // Too many people at once.
    let many: Vec<String> = (1..=501).map(|i| i.to_string()).collect();
    let mut fields: Vec<(&str, &str)> = many.iter().map(|i| ("person", i.as_str())).collect();
    fields.push(("action", "end"));
    let res = post_form(app, &admin, "/admin/people", "/admin/people/bulk", &fields).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("At most 500 people"));
    // In French too.
    let (_, page) = get_text(&admin, &app.url("/admin/people")).await;
    let res = admin
        .post(app.url("/admin/people/bulk"))
        .header("accept-language", "fr")
        .form(&[("_csrf", csrf_in(&page).as_str()), ("action", "end")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Cochez d’abord au moins une personne")
    );
    assert_eq!(
        (expiry(app, w.ingrid).await, app.audit_count().await),
        before,
        "nothing changed"
    );

    // A member of the staff who is not an administrator: no such page.
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    for path in [
        "/admin/people",
        "/admin/people?kind=client",
        "/admin/people?kind=robot",
    ] {
        assert_eq!(get_text(&sofia, &app.url(path)).await.0, 404, "{path}");
    }
    let audit = app.audit_count().await;
    let res = post_form(
        app,
        &sofia,
        "/account",
        "/admin/people/bulk",
        &[("person", &ingrid), ("action", "end")],
    )
    .await;
    assert_eq!(res.status(), 404);
    assert_eq!(expiry(app, w.ingrid).await, before.0);
    assert_eq!(app.audit_count().await, audit);
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start)
        .skip(1)
        .filter_map(|piece| piece.split(end).next())
        .collect()
}

#[tokio::test]
async fn a_sign_in_counts_once_the_second_factor_is_passed() {
    let app = TestApp::spawn().await;
    let id = app
        .create_person("tess@host.example", "Tess Totp", None)
        .await;
    // Tess enrolls an authenticator app.
    let tess = app.signed_in("tess@host.example", PASSWORD).await;
    let res = post_form(
        &app,
        &tess,
        "/account/security",
        "/account/security/totp/begin",
        &[("password", PASSWORD)],
    )
    .await;
    let html = res.text().await.unwrap();
    let secret = between(&html, "<code class=\"secret\">", "</code>")[0].to_string();
    let now = parvis::util::now_ms() as u64 / 1000;
    let code = parvis::auth::mfa::totp::code_at(&secret, now).unwrap();
    let res = post_form(
        &app,
        &tess,
        "/account/security",
        "/account/security/totp/confirm",
        &[("code", &code)],
    )
    .await;
    let html = res.text().await.unwrap();
    let recovery = between(&html, "<li><code>", "</code></li>")[0].to_string();
    app.sql(&format!(
        "UPDATE people SET last_signin_at = NULL WHERE id = {id}"
    ))
    .await;
    let last = || async {
        app.count(&format!(
            "SELECT ifnull(last_signin_at, 0) FROM people WHERE id = {id}"
        ))
        .await
    };

    // The password alone is not a sign-in yet.
    let client = app.client();
    let res = signin(&app, &client, "tess@host.example", PASSWORD).await;
    assert_eq!(location(&res), "/signin/verify");
    assert_eq!(last().await, 0);
    let (_, page) = get_text(&client, &app.url("/signin/verify")).await;
    let res = client
        .post(app.url("/signin/verify"))
        .form(&[
            ("_csrf", csrf_in(&page).as_str()),
            ("code", recovery.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(last().await > parvis::util::now_ms() - 60_000);

    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, html) = get_text(&admin, &app.url("/admin/people?q=tess")).await;
    let tess_row = row(&html, "tess@host.example").unwrap();
    assert!(tess_row.contains("Authenticator app"), "{tess_row}");
    assert!(!tess_row.contains("Never"), "{tess_row}");
}
