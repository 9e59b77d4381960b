//! Administration pages: only administrators reach them; people are created,
//! suspended, reactivated and imported from CSV with a dry run that writes
//! nothing and per-row errors in the administrator's language.

use crate::helpers::*;
use reqwest::multipart::{Form, Part};

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    bytes: Vec<u8>,
    mode: &str,
    lang: &str,
) -> (u16, String) {
    let (_, page) = get_text(client, &app.url("/admin/people/import")).await;
    let form = Form::new()
        .part("file", Part::bytes(bytes).file_name("people.csv"))
        .text("mode", mode.to_string());
    let res = client
        .post(app.url(&format!("/admin/people/import?_csrf={}", csrf_in(&page))))
        .header("accept-language", lang)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn administration_is_invisible_to_everyone_else() {
    let app = TestApp::spawn().await;
    app.create_person("staff@host.example", "Staff", None).await;
    let staff = app.signed_in("staff@host.example", PASSWORD).await;
    for path in ["/admin/people", "/admin/people/import"] {
        assert_eq!(get_text(&staff, &app.url(path)).await.0, 404, "{path}");
    }
    let (_, home) = get_text(&staff, &app.url("/")).await;
    assert!(!home.contains("/admin/"));
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (status, page) = get_text(&admin, &app.url("/admin/people")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Staff") && page.contains("staff@host.example"));
}

#[tokio::test]
async fn a_csv_import_is_checked_row_by_row_and_writes_all_or_nothing() {
    let app = TestApp::spawn().await;
    app.create_org("nordhavn", "Nordhavn Logistics", "client")
        .await;
    app.create_person("taken@host.example", "Taken", None).await;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let people = app.count("SELECT COUNT(*) FROM people").await;
    let bad = "email,name,organization,language\n\
               ana@host.example,Ana Silva,,fr\n\
               not-an-email,Bob,,\n\
               taken@host.example,Taken Again,,\n\
               ingrid@nordhavn.example,Ingrid,nowhere,\n\
               ana@host.example,Ana Twice,,xx\n";
    for mode in ["check", "import"] {
        let (status, html) = upload(&app, &admin, bad.as_bytes().to_vec(), mode, "fr").await;
        assert_eq!(status, 400, "{mode}");
        for text in [
            "4 lignes sont à corriger",
            "adresse e-mail n’est pas valide",
            "déjà utilisée",
            "Cette organisation n’existe pas",
            "apparaît deux fois",
        ] {
            assert!(html.contains(text), "{mode}: {text}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM people").await, people);

    for (file, message) in [
        (b"email,name\n\xe9t\xe9,x\n".to_vec(), "CSV UTF-8"),
        (
            b"mail,fullname\na,b\n".to_vec(),
            "column Parvis does not know",
        ),
        (
            b"email,title\na,b\n".to_vec(),
            "must have the columns email and name",
        ),
    ] {
        let (status, html) = upload(&app, &admin, file, "check", "en").await;
        assert_eq!(status, 400);
        assert!(html.contains(message), "{message}");
    }

    let good = "\u{feff}Email;Name;Organization;Skills\r\n\
                ana@host.example;Ana Silva;;Rust, SQL\r\n\
                ingrid@nordhavn.example;Ingrid Solberg;Nordhavn Logistics;\r\n";
    let (status, html) = upload(&app, &admin, good.as_bytes().to_vec(), "check", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("All 2 rows are right"));
    assert_eq!(app.count("SELECT COUNT(*) FROM people").await, people);
    let (status, html) = upload(&app, &admin, good.as_bytes().to_vec(), "import", "en").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("2 accounts created"));
    assert_eq!(app.count("SELECT COUNT(*) FROM people").await, people + 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM one_time_tokens WHERE purpose = 'invite'")
            .await,
        2
    );
    // The external one has the importer as sponsor and an access end date.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM people p JOIN people s ON s.id = p.sponsor_id
             WHERE p.email = 'ingrid@nordhavn.example' AND p.expires_at IS NOT NULL"
        )
        .await,
        1
    );
    // Importing the same file again is refused as a whole.
    let (status, _) = upload(&app, &admin, good.as_bytes().to_vec(), "import", "en").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn an_administrator_creates_suspends_and_reactivates_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let res = post_form(
        &app,
        &admin,
        "/admin/people",
        "/admin/people",
        &[
            ("email", "zoe@host.example"),
            ("name", "Zoé Dupré"),
            ("title", "Buyer"),
            ("department", ""),
            ("organization", "test-host"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let id = app
        .count("SELECT id FROM people WHERE email = 'zoe@host.example'")
        .await;
    let res = post_form(
        &app,
        &admin,
        "/admin/people",
        "/admin/people",
        &[
            ("email", "zoe@host.example"),
            ("name", "Zoé"),
            ("organization", "test-host"),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("already used"));
    let res = post_form(
        &app,
        &admin,
        "/admin/people",
        &format!("/admin/people/{id}/status"),
        &[("status", "disabled")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM people WHERE email = 'zoe@host.example' AND status = 'disabled'"
        )
        .await,
        1
    );
    post_form(
        &app,
        &admin,
        "/admin/people",
        &format!("/admin/people/{id}/status"),
        &[("status", "active")],
    )
    .await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM people WHERE email = 'zoe@host.example' AND status = 'active'"
        )
        .await,
        1
    );
    let me = app
        .count(&format!(
            "SELECT id FROM people WHERE email = '{ADMIN_EMAIL}'"
        ))
        .await;
    let res = post_form(
        &app,
        &admin,
        "/admin/people",
        &format!("/admin/people/{me}/status"),
        &[("status", "disabled")],
    )
    .await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn organizations_groups_spaces_and_portals_are_managed_from_the_pages() {
    let app = TestApp::spawn().await;
    app.create_person("ana@host.example", "Ana Silva", None)
        .await;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let ok = |res: &reqwest::Response, what: &str| {
        assert_eq!(res.status(), 303, "{what}");
        location(res)
    };
    let res = post_form(
        &app,
        &admin,
        "/admin/organizations",
        "/admin/organizations",
        &[("name", "Nordhavn Logistics"), ("kind", "client")],
    )
    .await;
    ok(&res, "org");
    let res = post_form(
        &app,
        &admin,
        "/admin/organizations",
        "/admin/organizations",
        &[("name", "X"), ("kind", "emperor")],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("client, partner, supplier or other")
    );

    let res = post_form(
        &app,
        &admin,
        "/admin/groups",
        "/admin/groups",
        &[("name", "Buyers")],
    )
    .await;
    let group_page = ok(&res, "group");
    let gid = group_page
        .trim_start_matches("/admin/groups/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let res = post_form(
        &app,
        &admin,
        &group_page,
        &format!("/admin/groups/{gid}/members"),
        &[("email", "ana@host.example"), ("action", "add")],
    )
    .await;
    ok(&res, "member");
    let (_, html) = get_text(&admin, &app.url(&format!("/admin/groups/{gid}"))).await;
    assert!(html.contains("Ana Silva"));

    let res = post_form(
        &app,
        &admin,
        "/admin/spaces",
        "/admin/spaces",
        &[
            ("name", "Rollout"),
            ("description", "Warehouse"),
            ("visibility", "members"),
            ("portal", "main"),
        ],
    )
    .await;
    let space_page = ok(&res, "space");
    let sid = space_page
        .trim_start_matches("/admin/spaces/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let res = post_form(
        &app,
        &admin,
        &space_page,
        &format!("/admin/spaces/{sid}/members"),
        &[
            ("kind", "organization"),
            ("who", "nordhavn-logistics"),
            ("role", "contributor"),
            ("action", "grant"),
        ],
    )
    .await;
    ok(&res, "grant");
    let res = post_form(
        &app,
        &admin,
        &space_page,
        &format!("/admin/spaces/{sid}/members"),
        &[
            ("kind", "group"),
            ("who", "buyers"),
            ("role", "manager"),
            ("action", "grant"),
        ],
    )
    .await;
    ok(&res, "grant group");
    let (_, html) = get_text(&admin, &app.url(&format!("/admin/spaces/{sid}"))).await;
    assert!(html.contains("Nordhavn Logistics") && html.contains("Buyers"));
    let res = post_form(
        &app,
        &admin,
        &space_page,
        &format!("/admin/spaces/{sid}/members"),
        &[
            ("kind", "organization"),
            ("who", "nordhavn-logistics"),
            ("action", "revoke"),
        ],
    )
    .await;
    ok(&res, "revoke");
    let res = post_form(
        &app,
        &admin,
        &space_page,
        &format!("/admin/spaces/{sid}/members"),
        &[
            ("kind", "person"),
            ("who", "nobody@x.example"),
            ("role", "reader"),
            ("action", "grant"),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM space_members").await, 1);

    let res = post_form(
        &app,
        &admin,
        "/admin/portals",
        "/admin/portals",
        &[("name", "Partners")],
    )
    .await;
    let portal_page = ok(&res, "portal");
    let pid = portal_page
        .trim_start_matches("/admin/portals/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let settings = |color: &'static str| {
        vec![
            ("name", "Lumen Partners"),
            ("hostnames", "partners.example\nnordhavn.partners.example"),
            ("kind", "client"),
            ("org", "nordhavn-logistics"),
            ("color", color),
            ("language", "fr"),
            ("welcome", "Bienvenue"),
            ("access_days", "90"),
            ("require_mfa", "on"),
        ]
    };
    let res = post_form(
        &app,
        &admin,
        &portal_page,
        &format!("/admin/portals/{pid}"),
        &settings("red"),
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("#rrggbb"));
    let res = post_form(
        &app,
        &admin,
        &portal_page,
        &format!("/admin/portals/{pid}"),
        &settings("#0B7A5A"),
    )
    .await;
    ok(&res, "portal settings");
    let p = app
        .state
        .portals
        .current()
        .all()
        .iter()
        .find(|p| p.slug == "partners")
        .cloned()
        .unwrap();
    assert_eq!(
        p.hostnames,
        vec!["nordhavn.partners.example", "partners.example"]
    );
    assert_eq!(
        (
            p.primary_color.as_str(),
            p.external_access_days,
            p.require_mfa
        ),
        ("#0b7a5a", 90, true)
    );
    assert_eq!(p.audience.len(), 2);

    // Logo: an SVG is refused, a PNG accepted.
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let admin = admin.clone();
        let (app_url, pid) = (app.url(&format!("/admin/portals/{pid}")), pid.clone());
        let post_url = app.url(&format!("/admin/portals/{pid}/logo"));
        async move {
            let (_, page) = get_text(&admin, &app_url).await;
            let _ = pid;
            let form = Form::new().part("logo", Part::bytes(bytes).file_name(name));
            admin
                .post(format!("{post_url}?_csrf={}", csrf_in(&page)))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let res = upload(
        b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
        "logo.svg",
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("SVG is refused"));
    let res = upload(crate::portals::tiny_png(), "logo.png").await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_logos").await, 1);

    let res = post_form(
        &app,
        &admin,
        &portal_page,
        &format!("/admin/portals/{pid}/delete"),
        &[],
    )
    .await;
    ok(&res, "portal delete");
    let main_id = app.state.portals.current().default_portal().id;
    let res = post_form(
        &app,
        &admin,
        "/admin/portals",
        &format!("/admin/portals/{main_id}/delete"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 409);
    let res = post_form(
        &app,
        &admin,
        &space_page,
        &format!("/admin/spaces/{sid}/delete"),
        &[],
    )
    .await;
    ok(&res, "space delete");
    let res = post_form(
        &app,
        &admin,
        &group_page,
        &format!("/admin/groups/{gid}/delete"),
        &[],
    )
    .await;
    ok(&res, "group delete");
    let chain = app.state.db.read(parvis::audit::verify).await.unwrap();
    assert!(chain.ok());
}
