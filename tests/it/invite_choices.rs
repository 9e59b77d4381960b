//! Inviting cannot put a person in the wrong company: no organization or role
//! is preselected, the organization owning the address's domain is proposed,
//! a disagreement must be confirmed (for that organization only), an address
//! that has an account becomes "add to this space", the link goes to the
//! portal meant for the invitee's organization, and managers pick people
//! they may know of.

use crate::helpers::*;
use crate::invitations::{mails, token_in, world};
use parvis::access::Actor;
use parvis::organizations::OrgKind;
use parvis::portals::Hostname;
use parvis::portals::service::{AudienceRef, PortalInput};
use parvis::service::{DisplayName, EmailDomain, Slug};

/// The supplier comes first alphabetically: the form once preselected it.
async fn two_companies(app: &TestApp) {
    app.create_org("atelier", "Atelier Verdier", "supplier")
        .await;
    let id = app
        .count("SELECT id FROM organizations WHERE slug = 'client-co'")
        .await;
    for (org, domain) in [(id, "client.example"), (0, "verdier.example")] {
        let org = if org == 0 {
            app.count("SELECT id FROM organizations WHERE slug = 'atelier'")
                .await
        } else {
            org
        };
        parvis::organizations::service::update(
            &app.state.db,
            &Actor::cli(),
            org,
            parvis::organizations::service::Changes {
                name: None,
                domains: Some(vec![EmailDomain::parse(domain).unwrap()]),
            },
        )
        .await
        .unwrap();
    }
}

async fn invite(
    app: &TestApp,
    who: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let res = post_form(
        app,
        who,
        "/spaces/rollout",
        "/spaces/rollout/invite",
        fields,
    )
    .await;
    let status = res.status().as_u16();
    let to = if status == 303 {
        location(&res)
    } else {
        String::new()
    };
    (status, to, res.text().await.unwrap())
}

/// The `<select>` with this id, as written in the page.
fn select<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<select id=\"{id}\""))
        .unwrap_or_else(|| panic!("no select {id}"));
    let end = start + html[start..].find("</select>").unwrap();
    &html[start..end]
}

fn people(email: &str) -> String {
    format!("SELECT COUNT(*) FROM people WHERE email = '{email}'")
}

#[tokio::test]
async fn the_invitation_form_chooses_nothing_for_the_inviter_and_proposes_the_addresss_company() {
    let w = world().await;
    let app = &w.app;
    two_companies(app).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, page) = get_text(&sofia, &app.url("/spaces/rollout")).await;
    assert_eq!(status, 200);
    for id in ["invite-org", "invite-role"] {
        let s = select(&page, id);
        assert!(s.contains("<option value=\"\">Choose…</option>"), "{s}");
        assert!(!s.contains("selected"), "{id} preselects something: {s}");
    }
    assert!(page.contains("Atelier Verdier") && page.contains("Client Co"));

    // Sent with the defaults the page offers (nothing chosen): nothing is
    // created, and the organization owning the domain is proposed.
    let (status, _, body) = invite(
        app,
        &sofia,
        &[
            ("email", "nils@client.example"),
            ("name", "Nils Berg"),
            ("org", ""),
            ("role", ""),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Addresses at client.example belong to Client Co"),
        "{body}"
    );
    assert!(
        select(&body, "invite-org").contains("value=\"client-co\" selected"),
        "the proposal is selected"
    );
    assert_eq!(app.count(&people("nils@client.example")).await, 0);

    // A role must be chosen too.
    let (status, _, body) = invite(
        app,
        &sofia,
        &[
            ("email", "nils@client.example"),
            ("name", "Nils Berg"),
            ("org", "client-co"),
            ("role", ""),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("Choose a role."), "{body}");
    assert_eq!(app.count(&people("nils@client.example")).await, 0);

    // An address of a domain nobody owns, with no organization chosen.
    let (status, _, body) = invite(
        app,
        &sofia,
        &[
            ("email", "ann@gmail.example"),
            ("name", "Ann"),
            ("org", ""),
            ("role", "reader"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Choose the organization this person belongs to."),
        "{body}"
    );
    assert!(w.sink.account_mails().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_address_of_another_company_is_invited_there_only_once_confirmed_for_that_company() {
    let w = world().await;
    let app = &w.app;
    two_companies(app).await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    // The tester's case: a Client Co address in the supplier's organization.
    let wrong = [
        ("email", "nils@client.example"),
        ("name", "Nils Berg"),
        ("org", "atelier"),
        ("role", "contributor"),
    ];
    let (status, _, body) = invite(app, &sofia, &wrong).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("nils@client.example is an address of Client Co, not of Atelier Verdier"),
        "{body}"
    );
    assert!(body.contains("name=\"org_confirmed\" value=\"atelier\""));
    assert_eq!(app.count(&people("nils@client.example")).await, 0);

    // A confirmation given for one organization does not hold for another.
    let mut moved = wrong.to_vec();
    moved.push(("org_confirmed", "client-co"));
    let (status, _, _) = invite(app, &sofia, &moved).await;
    assert_eq!(status, 400);
    assert_eq!(app.count(&people("nils@client.example")).await, 0);

    // The right organization needs no confirmation.
    let right = [
        ("email", "nils@client.example"),
        ("name", "Nils Berg"),
        ("org", "client-co"),
        ("role", "contributor"),
    ];
    let (status, _, _) = invite(app, &sofia, &right).await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM people p JOIN organizations o ON o.id = p.org_id \
             WHERE p.email = 'nils@client.example' AND o.slug = 'client-co'"
        )
        .await,
        1
    );

    // An address outside an organization's listed domains asks too, and is
    // accepted once confirmed for that organization.
    let unlisted = [
        ("email", "freelance@mail.example"),
        ("name", "Free Lance"),
        ("org", "atelier"),
        ("role", "reader"),
    ];
    let (status, _, body) = invite(app, &sofia, &unlisted).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Atelier Verdier does not list mail.example"),
        "{body}"
    );
    let mut confirmed = unlisted.to_vec();
    confirmed.push(("org_confirmed", "atelier"));
    let (status, _, _) = invite(app, &sofia, &confirmed).await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'person.invite' \
             AND json_extract(detail, '$.org_confirmed') = 1"
        )
        .await,
        1,
        "the confirmation is on record"
    );
}

#[tokio::test]
async fn the_api_refuses_a_disagreeing_organization_unless_confirmed() {
    let w = world().await;
    let app = &w.app;
    two_companies(app).await;
    let token = api_token(
        app,
        "sofia@host.example",
        parvis::auth::tokens::Scope::Write,
    )
    .await;
    let body = |confirmed: bool| {
        serde_json::json!({
            "email": "nils@client.example", "name": "Nils Berg", "organization": "atelier",
            "spaces": [{"space": "rollout", "role": "reader"}],
            "organization_confirmed": confirmed,
        })
    };
    let res = app
        .bare_client()
        .post(app.url("/api/v1/invitations"))
        .bearer_auth(&token)
        .json(&body(false))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "invite-org-mismatch", "{problem}");
    assert_eq!(app.count(&people("nils@client.example")).await, 0);
    let res = app
        .bare_client()
        .post(app.url("/api/v1/invitations"))
        .bearer_auth(&token)
        .json(&body(true))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn the_mail_links_to_the_invitees_portal_and_names_space_inviter_and_end_of_access() {
    let w = world().await;
    let app = &w.app;
    let cli = Actor::cli();
    // The main portal admits everyone; the partners' portal is meant for clients.
    parvis::portals::service::create(
        &app.state.db,
        &app.state.portals,
        &cli,
        PortalInput {
            name: Some(DisplayName::parse("Host Partners").unwrap()),
            slug: Some(Slug::parse("partners").unwrap()),
            hostnames: Some(vec![Hostname::parse("partners.test").unwrap()]),
            audience: Some(vec![AudienceRef::Kind(OrgKind::Client)]),
            external_access_days: Some(90),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, _, _) = invite(
        app,
        &sofia,
        &[
            ("email", "ingrid@client.example"),
            ("name", "Ingrid Solberg"),
            ("org", "client-co"),
            ("role", "reader"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, subject, text) = mails(&w, 1).await.pop().unwrap();
    assert_eq!(
        subject,
        "Sofia Almeida invites you to Client rollout on Host Partners"
    );
    assert!(
        text.contains("https://partners.test") && text.contains("/invite/"),
        "the link goes to the partners' portal: {text}"
    );
    assert!(
        text.contains("the space Client rollout on Host Partners"),
        "{text}"
    );
    let ends = app
        .count("SELECT expires_at FROM people WHERE email = 'ingrid@client.example'")
        .await;
    let date = parvis::i18n::time::format_date(
        ends,
        parvis::service::Locale::En,
        &jiff::tz::TimeZone::UTC,
    );
    assert!(
        text.contains(&format!("Your access runs until {date}")),
        "{text}"
    );
    assert!(
        ends > parvis::util::now_ms() + 89 * 86_400_000,
        "the portal's 90 days"
    );
    let portal = app
        .count("SELECT p.portal_id = (SELECT id FROM portals WHERE slug = 'partners') FROM people p WHERE email = 'ingrid@client.example'")
        .await;
    assert_eq!(portal, 1, "the account belongs to the partners' portal");
    // The link is good.
    let token = token_in(&text);
    let (status, page) = get_text(&app.client(), &app.url(&format!("/invite/{token}"))).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ingrid Solberg"));
}

#[tokio::test]
async fn an_address_that_has_an_account_is_added_to_the_space_instead() {
    let w = world().await;
    let app = &w.app;
    app.create_person("erik@client.example", "Erik Lund", Some("client-co"))
        .await;
    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, _, body) = invite(
        app,
        &sofia,
        &[
            ("email", "Erik@Client.example"),
            ("name", "Erik"),
            ("org", "client-co"),
            ("role", "contributor"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Erik Lund (Client Co) already has an account"),
        "{body}"
    );
    assert!(body.contains("name=\"person\" value=\"erik@client.example\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM space_members WHERE person_id = (SELECT id FROM people WHERE email = 'erik@client.example')").await,
        0
    );
    let res = post_form(
        app,
        &sofia,
        "/spaces/rollout",
        "/spaces/rollout/members",
        &[("person", "erik@client.example"), ("role", "contributor")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, page) = get_text(&sofia, &app.url(&location(&res))).await;
    assert!(
        page.contains("Erik Lund was added to this space."),
        "{page}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM space_members WHERE role = 'contributor' AND person_id = (SELECT id FROM people WHERE email = 'erik@client.example')").await,
        1
    );
    assert!(w.sink.account_mails().is_empty(), "no invitation was sent");
}

#[tokio::test]
async fn a_manager_adds_people_they_may_know_of_by_name_and_nobody_else_can() {
    let w = world().await;
    let app = &w.app;
    app.create_org("other-co", "Other Co", "client").await;
    app.create_person("olga@other.example", "Olga Other", Some("other-co"))
        .await;
    app.create_person("ext@client.example", "Ext Manager", Some("client-co"))
        .await;
    parvis::spaces::service::grant(
        &app.state.db,
        &Actor::cli(),
        &Slug::parse("rollout").unwrap(),
        parvis::spaces::service::MemberRef::Person(
            parvis::service::Email::parse("ext@client.example").unwrap(),
        ),
        parvis::spaces::Role::Manager,
    )
    .await
    .unwrap();
    app.create_person("paul@host.example", "Paul Staff", None)
        .await;

    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (_, page) = get_text(&sofia, &app.url("/spaces/rollout")).await;
    assert!(
        page.contains("data-people-picker"),
        "the picker is on the page"
    );
    // The picker's source: the people the manager may know of.
    let res = sofia
        .get(app.url("/api/v1/people?limit=8&q=paul"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let found: serde_json::Value = res.json().await.unwrap();
    assert_eq!(found["items"][0]["email"], "paul@host.example", "{found}");
    // Added by name, as typed without the picker.
    let res = post_form(
        app,
        &sofia,
        "/spaces/rollout",
        "/spaces/rollout/members",
        &[("person", "Paul Staff"), ("role", "reader")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM space_members WHERE person_id = (SELECT id FROM people WHERE email = 'paul@host.example')").await,
        1
    );
    // No role chosen: refused, nothing changes.
    let res = post_form(
        app,
        &sofia,
        "/spaces/rollout",
        "/spaces/rollout/members",
        &[("person", "olga@other.example"), ("role", "")],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Choose a role."));

    // An external manager works in the space but does not decide who joins
    // it: no forms, and posting anyway reveals nothing about Olga.
    let ext = app.signed_in("ext@client.example", PASSWORD).await;
    let (status, page) = get_text(&ext, &app.url("/spaces/rollout")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Client rollout"));
    assert!(!page.contains("Add a member") && !page.contains("Invite someone external"));
    let mut answers = Vec::new();
    for who in ["olga@other.example", "nobody@nowhere.example"] {
        let res = post_form(
            app,
            &ext,
            "/spaces/rollout",
            "/spaces/rollout/members",
            &[("person", who), ("role", "reader")],
        )
        .await;
        answers.push(res.status().as_u16());
    }
    assert_eq!(answers[0], answers[1], "existing and missing look alike");
    assert_ne!(answers[0], 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM space_members WHERE person_id = (SELECT id FROM people WHERE email = 'olga@other.example')").await,
        0
    );
}

#[tokio::test]
async fn an_organizations_domains_are_its_own() {
    let app = TestApp::spawn().await;
    let token = api_token(&app, ADMIN_EMAIL, parvis::auth::tokens::Scope::Admin).await;
    let create = |slug: &str, domains: serde_json::Value| {
        let body =
            serde_json::json!({"name": slug, "slug": slug, "kind": "client", "domains": domains});
        app.bare_client()
            .post(app.url("/api/v1/organizations"))
            .bearer_auth(&token)
            .json(&body)
    };
    let res = create(
        "first",
        serde_json::json!(["@First.example", "first.example"]),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(res.status(), 201);
    let org: serde_json::Value = res.json().await.unwrap();
    assert_eq!(org["domains"], serde_json::json!(["first.example"]));
    for (domains, code) in [
        (serde_json::json!(["first.example"]), "domain-taken"),
        (serde_json::json!(["not a domain"]), "domain-invalid"),
        (serde_json::json!(["localhost"]), "domain-invalid"),
    ] {
        let res = create("second", domains).send().await.unwrap();
        assert_eq!(res.status(), 400);
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["code"], code);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organizations WHERE slug = 'second'")
            .await,
        0,
        "a refused organization is not half created"
    );
}

#[tokio::test]
async fn a_csv_row_whose_address_belongs_elsewhere_is_refused_and_an_empty_one_goes_to_its_domain()
{
    let w = world().await;
    let app = &w.app;
    two_companies(app).await;
    let cli = Actor::cli();
    let run = |csv: &'static str| {
        parvis::people::import::run(&app.state.db, &cli, csv.as_bytes().to_vec(), None, false)
    };
    let report =
        run("email,name,organization\nnils@client.example,Nils,atelier\nbad,Bad,atelier\n")
            .await
            .unwrap();
    assert_eq!(report.rows[0].errors, vec!["org-domain-elsewhere"]);
    assert_eq!(
        report.rows[1].errors,
        vec!["email-invalid"],
        "no domain to disagree with"
    );
    // Without an organization, the row joins the one owning its domain.
    let report = run("email,name\nnils@client.example,Nils\n").await.unwrap();
    assert!(report.ok(), "{:?}", report.rows);
    assert_eq!(report.rows[0].organization, "Client Co");
}
