//! What pages show to whom: an external person sees only the spaces they were
//! granted and the people who share them; anything else answers exactly like
//! something that does not exist.

use crate::helpers::*;

struct World {
    app: TestApp,
    staff: i64,
    partner: i64,
    client_member: i64,
    rival: i64,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    app.create_org("client-co", "Client Co", "client").await;
    app.create_org("rival-co", "Rival Co", "client").await;
    let staff = app
        .create_person("staff@host.example", "Staff Person", None)
        .await;
    let client_member = app
        .create_person("buyer@client.example", "Client Buyer", Some("client-co"))
        .await;
    let _colleague = app
        .create_person(
            "colleague@client.example",
            "Client Colleague",
            Some("client-co"),
        )
        .await;
    let rival = app
        .create_person("spy@rival.example", "Rival Spy", Some("rival-co"))
        .await;
    app.create_org("partner-co", "Partner Co", "partner").await;
    let partner = app
        .create_person("pat@partner.example", "Partner Person", Some("partner-co"))
        .await;
    app.sql(&format!(
        "INSERT INTO spaces (id, slug, name, description, visibility, created_at, updated_at) VALUES
           (1, 'all-hands', 'All hands', 'Open to staff', 'internal', 0, 0),
           (2, 'client-project', 'Client project', 'Shared with Client Co', 'members', 0, 0),
           (3, 'rival-deal', 'Secret rival deal', 'Shared with Rival Co', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, org_id, role, added_at) VALUES
           (2, {staff}, NULL, 'manager', 0),
           (2, {client_member}, NULL, 'contributor', 0),
           (2, {partner}, NULL, 'reader', 0),
           (3, NULL, (SELECT id FROM organizations WHERE slug = 'rival-co'), 'reader', 0);"
    ))
    .await;
    World {
        app,
        staff,
        partner,
        client_member,
        rival,
    }
}

#[tokio::test]
async fn an_external_person_sees_only_what_they_were_granted() {
    let w = world().await;
    let app = &w.app;
    let buyer = app.signed_in("buyer@client.example", PASSWORD).await;
    let (_, spaces) = get_text(&buyer, &app.url("/spaces")).await;
    assert!(spaces.contains("Client project"));
    for hidden in ["All hands", "Secret rival deal"] {
        assert!(!spaces.contains(hidden), "external sees {hidden}");
    }
    let (_, people) = get_text(&buyer, &app.url("/people")).await;
    assert!(people.contains("Staff Person") && people.contains("Client Buyer"));
    for hidden in ["Rival Spy", "Rival Co", "Client Colleague", "Administrator"] {
        assert!(!people.contains(hidden), "external sees {hidden}");
    }
    // A co-member from a third organization is visible, their organization is not.
    assert!(people.contains("Partner Person"));
    assert!(
        !people.contains("Partner Co"),
        "external learns of another organization"
    );
    let (_, profile) = get_text(&buyer, &app.url(&format!("/people/{}", w.partner))).await;
    assert!(profile.contains("Partner Person") && !profile.contains("Partner Co"));
    // Search never reveals more than the listings.
    for q in ["Rival", "Secret", "All hands", "Colleague"] {
        let (_, html) = get_text(&buyer, &app.url(&format!("/search?q={q}"))).await;
        assert!(html.contains("Nothing matches"), "search for {q} leaked");
    }
}

#[tokio::test]
async fn a_hidden_profile_answers_like_a_missing_one() {
    let w = world().await;
    let app = &w.app;
    let buyer = app.signed_in("buyer@client.example", PASSWORD).await;
    let (ok, _) = get_text(&buyer, &app.url(&format!("/people/{}", w.staff))).await;
    assert_eq!(ok, 200);
    let (hidden_status, hidden) = get_text(&buyer, &app.url(&format!("/people/{}", w.rival))).await;
    let (missing_status, missing) = get_text(&buyer, &app.url("/people/987654")).await;
    assert_eq!(hidden_status, 404);
    assert_eq!(missing_status, 404);
    let strip = |h: &str, path: &str| {
        h.replace(path, "PATH")
            .split("<code>")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        strip(&hidden, &format!("/people/{}", w.rival)),
        strip(&missing, "/people/987654"),
        "a hidden profile must look exactly like a missing one"
    );
}

#[tokio::test]
async fn staff_see_the_directory_and_open_spaces_but_not_closed_ones() {
    let w = world().await;
    let app = &w.app;
    let staff = app.signed_in("staff@host.example", PASSWORD).await;
    let (_, spaces) = get_text(&staff, &app.url("/spaces")).await;
    assert!(spaces.contains("All hands") && spaces.contains("Client project"));
    assert!(!spaces.contains("Secret rival deal"));
    let (_, people) = get_text(&staff, &app.url("/people")).await;
    assert!(people.contains("Rival Spy") && people.contains("Client Colleague"));
    let (status, _) = get_text(&staff, &app.url(&format!("/people/{}", w.client_member))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn anonymous_visitors_see_nothing() {
    let w = world().await;
    let app = &w.app;
    let client = app.client();
    for path in [
        "/",
        "/spaces",
        "/people",
        &format!("/people/{}", w.staff),
        "/search?q=a",
        "/account",
    ] {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        assert!(location(&res).starts_with("/signin?next="), "{path}");
    }
}

#[tokio::test]
async fn a_space_page_opens_for_its_members_only() {
    let w = world().await;
    let app = &w.app;
    let buyer = app.signed_in("buyer@client.example", PASSWORD).await;
    let (status, html) = get_text(&buyer, &app.url("/spaces/client-project")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Client project") && html.contains("Contributor"));
    assert!(html.contains("Staff Person") && html.contains("Partner Person"));
    assert!(!html.contains("Partner Co"));
    let (hidden_status, hidden) = get_text(&buyer, &app.url("/spaces/rival-deal")).await;
    let (missing_status, missing) = get_text(&buyer, &app.url("/spaces/no-such-space")).await;
    assert_eq!((hidden_status, missing_status), (404, 404));
    let strip = |h: &str, path: &str| {
        h.replace(path, "PATH")
            .split("<code>")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        strip(&hidden, "/spaces/rival-deal"),
        strip(&missing, "/spaces/no-such-space")
    );
    // Internal staff read internal-open spaces without being members.
    let staff = app.signed_in("staff@host.example", PASSWORD).await;
    let (status, html) = get_text(&staff, &app.url("/spaces/all-hands")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Reader"));
    assert_eq!(
        get_text(&staff, &app.url("/spaces/rival-deal")).await.0,
        404
    );
}
