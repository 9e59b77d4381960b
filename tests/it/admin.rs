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
