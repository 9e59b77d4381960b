//! Portals: the Host header picks the branding and the audience; a person
//! signs in only where the audience admits them; each home lists what is
//! published there.

use crate::helpers::*;
use parvis::access::Actor;
use parvis::organizations::OrgKind;
use parvis::portals::service::{AudienceRef, PortalInput};
use parvis::portals::{Color, Hostname};
use parvis::service::{DisplayName, Email, Slug};
use parvis::spaces::service::{MemberRef, NewSpace};
use parvis::spaces::{Role, Visibility};

pub const INTRANET: &str = "intranet.test";
pub const PARTNERS: &str = "partners.test";

pub async fn two_portals() -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.server.hostnames = vec!["localhost".into(), INTRANET.into(), PARTNERS.into()];
    })
    .await;
    app.create_org("nordhavn", "Nordhavn Logistics", "client")
        .await;
    app.create_org("verdier", "Atelier Verdier", "supplier")
        .await;
    app.create_person("staff@lumen.test", "Stella Staff", None)
        .await;
    app.create_person("ingrid@nordhavn.test", "Ingrid Solberg", Some("nordhavn"))
        .await;
    app.create_person("marc@verdier.test", "Marc Verdier", Some("verdier"))
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
            audience: Some(vec![AudienceRef::Kind(OrgKind::Host)]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    parvis::portals::service::create(
        db,
        reg,
        &cli,
        PortalInput {
            name: Some(DisplayName::parse("Lumen Partners").unwrap()),
            slug: Some(Slug::parse("partners").unwrap()),
            hostnames: Some(vec![Hostname::parse(PARTNERS).unwrap()]),
            audience: Some(vec![
                AudienceRef::Kind(OrgKind::Client),
                AudienceRef::Org(Slug::parse("verdier").unwrap()),
            ]),
            primary_color: Some(Color::parse("#0b7a5a").unwrap()),
            welcome_text: Some("Welcome, partners".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app
}

pub async fn space(app: &TestApp, slug: &str, name: &str, portals: &[&str], members: &[&str]) {
    let new = NewSpace {
        name: DisplayName::parse(name).unwrap(),
        slug: Some(Slug::parse(slug).unwrap()),
        description: String::new(),
        visibility: Visibility::Members,
        portals: portals.iter().map(|p| Slug::parse(p).unwrap()).collect(),
    };
    parvis::spaces::service::create(&app.state.db, &Actor::cli(), new)
        .await
        .unwrap();
    for m in members {
        parvis::spaces::service::grant(
            &app.state.db,
            &Actor::cli(),
            &Slug::parse(slug).unwrap(),
            MemberRef::Person(Email::parse(m).unwrap()),
            Role::Contributor,
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn the_host_name_picks_the_portal_and_its_branding() {
    let app = two_portals().await;
    let (_, intranet) = get_text(&app.client_at(INTRANET), &app.url_at(INTRANET, "/signin")).await;
    assert!(intranet.contains("Lumen Intranet") && !intranet.contains("Lumen Partners"));
    let partners = app.client_at(PARTNERS);
    let (_, page) = get_text(&partners, &app.url_at(PARTNERS, "/signin")).await;
    assert!(page.contains("Lumen Partners") && !page.contains("Lumen Intranet"));
    let (_, css) = get_text(&partners, &app.url_at(PARTNERS, "/portal.css")).await;
    assert!(css.contains("#0b7a5a"), "{css}");
    // Any other name is served by the default portal.
    let (_, other) = get_text(&app.client(), &app.url("/signin")).await;
    assert!(other.contains("Lumen Intranet"));
}

#[tokio::test]
async fn a_supplier_cannot_sign_in_on_the_intranet_but_can_on_its_portal() {
    let app = two_portals().await;
    for (lang, text) in [
        ("en", "cannot sign in on this portal"),
        ("fr", "ne peut pas se connecter sur ce portail"),
    ] {
        let client = app.client_at(INTRANET);
        let res = app
            .signin_at(&client, INTRANET, "marc@verdier.test", PASSWORD, lang)
            .await;
        assert_eq!(res.status(), 401);
        let body = res.text().await.unwrap();
        assert!(body.contains(text), "{lang}: {body}");
    }
    // A wrong password on the wrong portal tells nothing about the account.
    let client = app.client_at(INTRANET);
    let res = app
        .signin_at(
            &client,
            INTRANET,
            "marc@verdier.test",
            "not the password at all",
            "en",
        )
        .await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Wrong e-mail address or password")
    );

    let marc = app
        .signed_in_at(PARTNERS, "marc@verdier.test", PASSWORD)
        .await;
    let (status, home) = get_text(&marc, &app.url_at(PARTNERS, "/")).await;
    assert_eq!(status, 200);
    assert!(home.contains("Welcome, partners"));
    app.signed_in_at(PARTNERS, "ingrid@nordhavn.test", PASSWORD)
        .await;
}

#[tokio::test]
async fn staff_sign_in_where_the_audience_admits_them_and_admins_everywhere() {
    let app = two_portals().await;
    app.signed_in_at(INTRANET, "staff@lumen.test", PASSWORD)
        .await;
    let client = app.client_at(PARTNERS);
    let res = app
        .signin_at(&client, PARTNERS, "staff@lumen.test", PASSWORD, "en")
        .await;
    assert_eq!(res.status(), 401, "staff are not in the partners' audience");
    app.signed_in_at(PARTNERS, ADMIN_EMAIL, ADMIN_PASSWORD)
        .await;
    app.signed_in_at(INTRANET, ADMIN_EMAIL, ADMIN_PASSWORD)
        .await;
}

/// The session cookie of one portal, sent with another portal's Host header.
#[tokio::test]
async fn a_session_does_not_open_a_portal_whose_audience_refuses_it() {
    let app = two_portals().await;
    let client = app
        .builder()
        .resolve(PARTNERS, app.addr)
        .resolve(INTRANET, app.addr)
        .build()
        .unwrap();
    let res = client
        .get(app.url_at(PARTNERS, "/signin"))
        .send()
        .await
        .unwrap();
    let csrf_cookie = set_cookie_pair(&res, "__Host-parvis_csrf").unwrap();
    let html = res.text().await.unwrap();
    let res = client
        .post(app.url_at(PARTNERS, "/signin"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("_csrf", csrf_in(&html).as_str()),
            ("email", "ingrid@nordhavn.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let session = set_cookie_pair(&res, "__Host-parvis_session").unwrap();
    let on = |host: &'static str| {
        let client = client.clone();
        let session = session.clone();
        let url = app.url_at(host, "/");
        async move {
            client
                .get(url)
                .header("cookie", session)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(on(PARTNERS).await, 200);
    assert_eq!(
        on(INTRANET).await,
        303,
        "the intranet must not accept an extranet session"
    );
}

#[tokio::test]
async fn each_home_lists_the_spaces_published_there() {
    let app = two_portals().await;
    space(
        &app,
        "handbook",
        "Staff handbook",
        &["main"],
        &["staff@lumen.test"],
    )
    .await;
    space(
        &app,
        "nordhavn-rollout",
        "Nordhavn rollout",
        &["partners", "main"],
        &["staff@lumen.test", "ingrid@nordhavn.test"],
    )
    .await;
    space(
        &app,
        "supplier-desk",
        "Supplier desk",
        &["partners"],
        &["ingrid@nordhavn.test"],
    )
    .await;
    let staff = app
        .signed_in_at(INTRANET, "staff@lumen.test", PASSWORD)
        .await;
    let (_, home) = get_text(&staff, &app.url_at(INTRANET, "/")).await;
    assert!(home.contains("Staff handbook") && home.contains("Nordhavn rollout"));
    assert!(!home.contains("Supplier desk"));
    let ingrid = app
        .signed_in_at(PARTNERS, "ingrid@nordhavn.test", PASSWORD)
        .await;
    let (_, home) = get_text(&ingrid, &app.url_at(PARTNERS, "/")).await;
    assert!(home.contains("Nordhavn rollout") && home.contains("Supplier desk"));
    assert!(!home.contains("Staff handbook"), "not a member");
}

#[test]
fn portals_from_the_command_line() {
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
    let out = cmd(&[
        "portal",
        "add",
        "--name",
        "Partners",
        "--host",
        "partners.example",
        "--audience",
        "client",
        "--audience",
        "org:nordhavn",
        "--color",
        "#0B7A5A",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = cmd(&["portal", "list"]);
    assert!(
        out.stdout.contains("partners.example") && out.stdout.contains("org:nordhavn"),
        "{}",
        out.stdout
    );
    for (args, message) in [
        (
            vec!["portal", "add", "--name", "X", "--host", "bad_host!"],
            "host name",
        ),
        (
            vec!["portal", "add", "--name", "X", "--color", "red"],
            "#rrggbb",
        ),
        (
            vec!["portal", "add", "--name", "Y", "--host", "partners.example"],
            "already answers",
        ),
        (
            vec!["portal", "set", "--portal", "main", "--audience", "client"],
            "open to the staff",
        ),
        (
            vec!["portal", "remove", "--portal", "main"],
            "cannot be removed",
        ),
    ] {
        let out = cmd(&args);
        assert_ne!(out.code, 0, "{args:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
    let svg = dir.path().join("logo.svg");
    std::fs::write(
        &svg,
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    )
    .unwrap();
    let out = cmd(&[
        "portal",
        "logo",
        "--portal",
        "partners",
        "--file",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("SVG is refused"), "{}", out.stderr);
    let png = dir.path().join("logo.png");
    std::fs::write(&png, tiny_png()).unwrap();
    let out = cmd(&[
        "portal",
        "logo",
        "--portal",
        "partners",
        "--file",
        png.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = cmd(&[
        "space", "add", "--name", "Shared", "--portal", "partners", "--portal", "nope",
    ]);
    assert!(
        out.stderr.contains("no portal has this slug"),
        "{}",
        out.stderr
    );
    let out = cmd(&["audit", "verify"]);
    assert_eq!(out.code, 0);
}

/// A 1×1 PNG.
pub fn tiny_png() -> Vec<u8> {
    let b64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

#[tokio::test]
async fn the_logo_is_served_with_its_type_and_never_as_active_content() {
    let app = two_portals().await;
    let image = parvis::portals::Image::parse(tiny_png()).unwrap();
    parvis::portals::service::set_logo(
        &app.state.db,
        &app.state.portals,
        &Actor::cli(),
        "partners",
        Some(image),
    )
    .await
    .unwrap();
    let client = app.client_at(PARTNERS);
    let (_, page) = get_text(&client, &app.url_at(PARTNERS, "/signin")).await;
    assert!(
        page.contains("/portal/logo?v="),
        "the header shows the uploaded logo"
    );
    let res = client
        .get(app.url_at(PARTNERS, "/portal/logo"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().as_ref(), tiny_png().as_slice());
    // The intranet has no logo of its own: the built-in one is shown.
    let (status, _) = get_text(
        &app.client_at(INTRANET),
        &app.url_at(INTRANET, "/portal/logo"),
    )
    .await;
    assert_eq!(status, 404);
}
