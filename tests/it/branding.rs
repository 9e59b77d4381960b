//! Portal branding: colours that keep text readable, a welcome text in each
//! language, footer links, a favicon; set through the API, the admin form
//! and the CLI, refused whole when a value is wrong, shown on each portal's
//! own pages (sign-in included) and nowhere else, and kept by export/import.

use crate::helpers::*;
use parvis::access::Actor;
use parvis::auth::tokens::Scope;
use parvis::organizations::OrgKind;
use parvis::portals::service::{AudienceRef, PortalInput};
use parvis::portals::{Hostname, Image};
use parvis::service::{DisplayName, Slug};
use reqwest::Method;
use serde_json::{Value, json};

const PARTNERS: &str = "partners.test";
const INTRANET: &str = "intranet.test";

async fn app_with_partners() -> (TestApp, i64) {
    let app = TestApp::spawn_with(|c| {
        c.server.hostnames = vec!["localhost".into(), INTRANET.into(), PARTNERS.into()];
    })
    .await;
    let (db, reg, cli) = (&app.state.db, &app.state.portals, Actor::cli());
    parvis::portals::service::update(
        db,
        reg,
        &cli,
        "main",
        PortalInput {
            name: Some(DisplayName::parse("Lumen Intranet").unwrap()),
            hostnames: Some(vec![Hostname::parse(INTRANET).unwrap()]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let p = parvis::portals::service::create(
        db,
        reg,
        &cli,
        PortalInput {
            name: Some(DisplayName::parse("Lumen Partners").unwrap()),
            slug: Some(Slug::parse("partners").unwrap()),
            hostnames: Some(vec![Hostname::parse(PARTNERS).unwrap()]),
            audience: Some(vec![AudienceRef::Kind(OrgKind::Client)]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    (app, p.id)
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    lang: &str,
) -> (u16, Value) {
    let mut req = app
        .bare_client()
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("accept-language", lang);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn put_image(app: &TestApp, token: &str, path: &str, body: Vec<u8>) -> (u16, Value) {
    let res = app
        .bare_client()
        .put(app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

const BRANDING: &[(&str, &str)] = &[
    ("primary_color", "#0b7a5a"),
    ("header_color", "#0b3d2e"),
    ("welcome_text", "Welcome, partners of Lumen"),
    ("welcome_text_fr", "Bienvenue aux partenaires de Lumen"),
    ("legal_url", "https://lumen.example/legal"),
    ("support_contact", "help@lumen.example"),
];

#[tokio::test]
async fn every_branding_field_is_set_through_the_api_and_bad_values_change_nothing() {
    let (app, id) = app_with_partners().await;
    let token = api_token(&app, ADMIN_EMAIL, Scope::Admin).await;
    let path = format!("/api/v1/portals/{id}");
    for (field, value) in BRANDING {
        let (s, p) = call(
            &app,
            &token,
            Method::PATCH,
            &path,
            Some(json!({ *field: value })),
            "en",
        )
        .await;
        assert_eq!(s, 200, "{field}: {p}");
        assert_eq!(p[*field], *value, "{field}");
    }
    // A support web address and a mailto: are taken too.
    let (s, p) = call(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"support_contact": "mailto:Help@Lumen.example"})),
        "en",
    )
    .await;
    assert_eq!(
        (s, p["support_contact"].as_str()),
        (200, Some("help@lumen.example"))
    );
    let (_, before) = call(&app, &token, Method::GET, &path, None, "en").await;
    let audit = app.audit_count().await;

    for (body, code, fr) in [
        (
            json!({"primary_color": "#7fbfff"}),
            "color-accent-contrast",
            "trop claire",
        ),
        (
            json!({"primary_color": "#ffff00", "welcome_text": "changed"}),
            "color-accent-contrast",
            "4,5:1",
        ),
        (json!({"header_color": "red"}), "color-invalid", "#rrvvbb"),
        (
            json!({"legal_url": "javascript:alert(1)"}),
            "link-invalid",
            "javascript:",
        ),
        (
            json!({"legal_url": "data:text/html,<b>x</b>"}),
            "link-invalid",
            "adresse web",
        ),
        (
            json!({"legal_url": "https://lumen.example/a b"}),
            "link-invalid",
            "adresse web",
        ),
        (
            json!({"support_contact": "javascript:alert(1)"}),
            "support-contact-invalid",
            "assistance",
        ),
        (
            json!({"support_contact": "data:text/plain,hi"}),
            "support-contact-invalid",
            "assistance",
        ),
        (
            json!({"support_contact": "help@lumen.example?subject=x"}),
            "support-contact-invalid",
            "assistance",
        ),
        (
            json!({"welcome_text_fr": "x".repeat(2001)}),
            "field-too-long",
            "trop long",
        ),
        (
            json!({"welcome_text_fr": "bell\u{7}"}),
            "field-invalid",
            "caractères",
        ),
    ] {
        let (s, problem) = call(&app, &token, Method::PATCH, &path, Some(body.clone()), "fr").await;
        assert_eq!(s, 400, "{body}: {problem}");
        assert_eq!(problem["code"], code, "{body}");
        assert!(
            problem["detail"].as_str().unwrap().contains(fr),
            "{body}: {problem}"
        );
    }
    // The favicon and the logo: images only, recognised by their bytes.
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    for kind in ["favicon", "logo"] {
        let (s, problem) = put_image(&app, &token, &format!("{path}/{kind}"), svg.clone()).await;
        assert_eq!(
            (s, problem["code"].as_str()),
            (400, Some("image-type")),
            "{kind}"
        );
        let (s, problem) = put_image(&app, &token, &format!("{path}/{kind}"), Vec::new()).await;
        assert_eq!(s, 400, "{kind}: {problem}");
    }
    let (_, after) = call(&app, &token, Method::GET, &path, None, "en").await;
    assert_eq!(before, after, "a refused change changes nothing");
    assert_eq!(app.audit_count().await, audit, "nor audits anything");
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_favicons").await, 0);

    let png = crate::portals::tiny_png();
    let (s, p) = put_image(&app, &token, &format!("{path}/favicon"), png.clone()).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["favicon_type"], "image/png");
    let etag = Image::parse(png).unwrap().etag();
    assert_eq!(p["favicon_etag"], etag.as_str());
    let (s, _) = call(
        &app,
        &token,
        Method::DELETE,
        &format!("{path}/favicon"),
        None,
        "en",
    )
    .await;
    assert_eq!(s, 204);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_favicons").await, 0);
    // Emptying a link removes it.
    let (s, p) = call(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"legal_url": "", "support_contact": " "})),
        "en",
    )
    .await;
    assert_eq!(
        (s, p["legal_url"].as_str(), p["support_contact"].as_str()),
        (200, Some(""), Some(""))
    );
    // The description documents the fields.
    let (_, doc) = get_text(&app.bare_client(), &app.url("/api/v1/openapi.json")).await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    let input = &doc["components"]["schemas"]["PortalInput"]["properties"];
    for (field, _) in BRANDING {
        assert!(input.get(*field).is_some(), "{field} undocumented");
    }
    assert!(doc["paths"]["/api/v1/portals/{id}/favicon"]["put"].is_object());
}

#[tokio::test]
async fn the_admin_form_sets_the_branding_and_refuses_bad_values() {
    let (app, id) = app_with_partners().await;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let page = format!("/admin/portals/{id}");
    let form = |changes: &[(&'static str, &'static str)]| {
        let mut f: Vec<(&str, &str)> = vec![
            ("name", "Lumen Partners"),
            ("hostnames", PARTNERS),
            ("kind", "client"),
            ("color", "#0b7a5a"),
            ("header_color", "#0b3d2e"),
            ("language", "en"),
            ("welcome", "Welcome, partners"),
            ("welcome_fr", "Bienvenue, partenaires"),
            ("legal_url", "https://lumen.example/legal"),
            ("support_contact", "https://help.lumen.example/"),
            ("access_days", "365"),
        ];
        for (k, v) in changes {
            if let Some(slot) = f.iter_mut().find(|(name, _)| name == k) {
                slot.1 = v;
            }
        }
        f
    };
    let res = post_form(&app, &admin, &page, &page, &form(&[])).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let p = app.state.portals.current().by_id(id).unwrap();
    assert_eq!(
        (
            p.primary_color.as_str(),
            p.header_color.as_str(),
            p.welcome_text.as_str(),
            p.welcome_text_fr.as_str(),
            p.legal_url.as_str(),
            p.support_contact.as_str()
        ),
        (
            "#0b7a5a",
            "#0b3d2e",
            "Welcome, partners",
            "Bienvenue, partenaires",
            "https://lumen.example/legal",
            "https://help.lumen.example/"
        )
    );
    let (_, html) = get_text(&admin, &app.url(&page)).await;
    for shown in [
        "#0b3d2e",
        "Bienvenue, partenaires",
        "https://help.lumen.example/",
    ] {
        assert!(html.contains(shown), "the form shows {shown}");
    }
    let audit = app.audit_count().await;
    for (change, message) in [
        (("color", "#ffee88"), "too light"),
        (("header_color", "#12345"), "#rrggbb"),
        (
            ("legal_url", "javascript:alert(document.cookie)"),
            "javascript:",
        ),
        (("support_contact", "data:text/html,hi"), "support contact"),
    ] {
        let res = post_form(&app, &admin, &page, &page, &form(&[change])).await;
        assert_eq!(res.status(), 400, "{change:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{change:?}: no {message:?}");
        assert!(body.contains("role=\"alert\""));
    }
    assert_eq!(app.audit_count().await, audit, "nothing changed");
    assert_eq!(
        app.state.portals.current().by_id(id).unwrap().legal_url,
        "https://lumen.example/legal"
    );

    // The favicon form: an SVG refused, a PNG taken.
    let upload = |bytes: Vec<u8>| {
        let admin = admin.clone();
        let (page_url, post_url) = (app.url(&page), app.url(&format!("{page}/favicon")));
        async move {
            let (_, html) = get_text(&admin, &page_url).await;
            let form = reqwest::multipart::Form::new().part(
                "favicon",
                reqwest::multipart::Part::bytes(bytes).file_name("icon"),
            );
            admin
                .post(format!("{post_url}?_csrf={}", csrf_in(&html)))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let res = upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec()).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("SVG is refused"));
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_favicons").await, 0);
    let res = upload(crate::portals::tiny_png()).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_favicons").await, 1);
}

async fn brand_partners(app: &TestApp, id: i64) {
    let token = api_token(app, ADMIN_EMAIL, Scope::Admin).await;
    let body: serde_json::Map<String, Value> = BRANDING
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let (s, p) = call(
        app,
        &token,
        Method::PATCH,
        &format!("/api/v1/portals/{id}"),
        Some(Value::Object(body)),
        "en",
    )
    .await;
    assert_eq!(s, 200, "{p}");
    let (s, _) = put_image(
        app,
        &token,
        &format!("/api/v1/portals/{id}/favicon"),
        crate::portals::tiny_png(),
    )
    .await;
    assert_eq!(s, 200);
}

async fn signin_page(app: &TestApp, host: &str, lang: &str) -> String {
    let res = app
        .client_at(host)
        .get(app.url_at(host, "/signin"))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

#[tokio::test]
async fn each_sign_in_page_shows_its_own_portal_and_not_the_other() {
    let (app, id) = app_with_partners().await;
    brand_partners(&app, id).await;
    let etag = Image::parse(crate::portals::tiny_png()).unwrap().etag();
    let en = signin_page(&app, PARTNERS, "en").await;
    let fr = signin_page(&app, PARTNERS, "fr").await;
    for html in [&en, &fr] {
        assert!(html.contains("Lumen Partners") && !html.contains("Lumen Intranet"));
        assert!(
            html.contains("href=\"https://lumen.example/legal\""),
            "legal notice in the footer"
        );
        assert!(
            html.contains("href=\"mailto:help@lumen.example\""),
            "support in the footer"
        );
        assert!(
            html.contains(&format!("/portal/favicon?v={etag}")),
            "its favicon"
        );
        assert!(html.contains("class=\"signin-brand\""));
    }
    assert!(en.contains("Welcome, partners of Lumen") && en.contains("Legal notice"));
    assert!(fr.contains("Bienvenue aux partenaires de Lumen") && fr.contains("Mentions légales"));
    assert!(!en.contains("Bienvenue aux") && !fr.contains("Welcome, partners"));

    let intranet = signin_page(&app, INTRANET, "fr").await;
    assert!(intranet.contains("Lumen Intranet") && !intranet.contains("Lumen Partners"));
    for theirs in [
        "lumen.example/legal",
        "help@lumen.example",
        "/portal/favicon",
        "Bienvenue aux",
        "footer-links",
    ] {
        assert!(!intranet.contains(theirs), "the intranet shows {theirs}");
    }
    assert!(intranet.contains("img/logo.svg"), "the built-in icon");

    // Each portal's stylesheet: its colours, and text colours readable on them.
    let (_, css) = get_text(
        &app.client_at(PARTNERS),
        &app.url_at(PARTNERS, "/portal.css"),
    )
    .await;
    assert!(
        css.contains("--brand: #0b7a5a") && css.contains("--header-bg: #0b3d2e"),
        "{css}"
    );
    assert!(
        css.contains("--header-ink: #ffffff"),
        "white on dark green: {css}"
    );
    let (_, css) = get_text(
        &app.client_at(INTRANET),
        &app.url_at(INTRANET, "/portal.css"),
    )
    .await;
    assert!(
        css.contains("--header-bg: #ffffff") && css.contains("--header-ink: #17202c"),
        "{css}"
    );

    // A French text alone serves the English visitor too.
    let token = api_token(&app, ADMIN_EMAIL, Scope::Admin).await;
    call(
        &app,
        &token,
        Method::PATCH,
        &format!("/api/v1/portals/{id}"),
        Some(json!({"welcome_text": ""})),
        "en",
    )
    .await;
    let en = signin_page(&app, PARTNERS, "en").await;
    assert!(en.contains("Bienvenue aux partenaires de Lumen"));

    // The home page after signing in, in the person's language, with the footer.
    app.create_org("nordhavn", "Nordhavn", "client").await;
    app.create_person("ingrid@nordhavn.test", "Ingrid", Some("nordhavn"))
        .await;
    let ingrid = app
        .signed_in_at(PARTNERS, "ingrid@nordhavn.test", PASSWORD)
        .await;
    let (status, home) = get_text(&ingrid, &app.url_at(PARTNERS, "/")).await;
    assert_eq!(status, 200);
    assert!(
        home.contains("Bienvenue aux partenaires de Lumen")
            && home.contains("https://lumen.example/legal")
    );
}

#[tokio::test]
async fn the_favicon_is_served_with_its_type_and_cache_headers() {
    let (app, id) = app_with_partners().await;
    brand_partners(&app, id).await;
    let etag = Image::parse(crate::portals::tiny_png()).unwrap().etag();
    let client = app.client_at(PARTNERS);
    let res = client
        .get(app.url_at(PARTNERS, "/portal/favicon"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["etag"], format!("\"{etag}\"").as_str());
    assert_eq!(h["cache-control"], "public, max-age=86400");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(
        res.bytes().await.unwrap().as_ref(),
        crate::portals::tiny_png().as_slice()
    );
    let res = client
        .get(app.url_at(PARTNERS, "/portal/favicon"))
        .header("if-none-match", format!("\"{etag}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    // The intranet has none: its pages link the built-in icon.
    let (status, _) = get_text(
        &app.client_at(INTRANET),
        &app.url_at(INTRANET, "/portal/favicon"),
    )
    .await;
    assert_eq!(status, 404);
}

#[test]
fn branding_from_the_command_line_and_through_export_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("one");
    let cmd = |data: &std::path::Path, args: &[&str]| {
        let mut c = parvis(data);
        c.args(args);
        run(c)
    };
    assert_eq!(cmd(&data, &["init"]).code, 0);
    let png = dir.path().join("icon.png");
    std::fs::write(&png, crate::portals::tiny_png()).unwrap();
    let out = cmd(
        &data,
        &[
            "portal",
            "add",
            "--name",
            "Partners",
            "--slug",
            "partners",
            "--host",
            "partners.example",
            "--color",
            "#0B7A5A",
            "--header-color",
            "#0b3d2e",
            "--welcome",
            "Welcome",
            "--welcome-fr",
            "Bienvenue",
            "--legal-url",
            "https://lumen.example/legal",
            "--support",
            "help@lumen.example",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = cmd(
        &data,
        &[
            "portal",
            "favicon",
            "--portal",
            "partners",
            "--file",
            png.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for (args, message) in [
        (vec!["--color", "#ffff66"], "too light"),
        (vec!["--legal-url", "javascript:alert(1)"], "javascript:"),
        (vec!["--support", "data:,x"], "support contact"),
    ] {
        let mut all = vec!["portal", "set", "--portal", "partners"];
        all.extend(args.iter().copied());
        let out = cmd(&data, &all);
        assert_ne!(out.code, 0, "{args:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
    let listed = |data: &std::path::Path| -> Value {
        let out = cmd(data, &["portal", "list", "--json"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|p| p["slug"] == "partners")
            .unwrap()
    };
    let before = listed(&data);
    assert_eq!(before["header_color"], "#0b3d2e");
    assert_eq!(before["welcome_text_fr"], "Bienvenue");
    assert_eq!(before["support_contact"], "help@lumen.example");
    assert_eq!(before["favicon_type"], "image/png");

    let exported = dir.path().join("export");
    let mut c = parvis(&data);
    c.args(["export", "--out"]).arg(&exported);
    let out = run(c);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let icons: Vec<_> = std::fs::read_dir(exported.join("portals/favicons"))
        .unwrap()
        .collect();
    assert_eq!(icons.len(), 1, "the favicon is a file of the export");
    let two = dir.path().join("two");
    let mut c = parvis(&two);
    c.args(["import", "--from"]).arg(&exported);
    let out = run(c);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let after = listed(&two);
    for field in [
        "name",
        "primary_color",
        "header_color",
        "welcome_text",
        "welcome_text_fr",
        "legal_url",
        "support_contact",
        "favicon_etag",
        "favicon_type",
    ] {
        assert_eq!(before[field], after[field], "{field}");
    }
}
