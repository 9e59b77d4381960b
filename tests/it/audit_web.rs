//! The audit log in the browser: administrators filter and page through it,
//! verify the chain on demand (tampering shows), download the filtered
//! events as CSV (quoted, never a formula); a space's managers see their
//! space's activity trimmed by what they may know; everyone else finds nothing.

use crate::helpers::*;
use parvis::access::Actor;
use parvis::audit::{self, Event};

/// Appends events as the CLI would, in one transaction.
async fn append(
    app: &TestApp,
    events: Vec<(&'static str, &'static str, String, serde_json::Value)>,
) {
    app.state
        .db
        .write(move |tx| {
            let actor = Actor::cli();
            for (action, kind, id, detail) in &events {
                audit::append(
                    tx,
                    Event::new(&actor, action)
                        .target(kind, id)
                        .detail(detail.clone()),
                )?;
            }
            Ok::<_, parvis::db::DbError>(())
        })
        .await
        .unwrap();
}

/// The CSV's lines after the header (none holds a line break here).
async fn csv(client: &reqwest::Client, app: &TestApp, query: &str) -> (u16, Vec<String>) {
    let res = client
        .get(app.url(&format!("/admin/audit.csv?{query}")))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    if status == 200 {
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
    }
    let text = res.text().await.unwrap();
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
    assert_eq!(lines.pop().as_deref(), Some(""), "ends with CRLF");
    if status == 200 {
        assert_eq!(
            lines.remove(0),
            "id,at,actor_kind,actor_id,actor_name,actor_email,action,target_type,target_id,ip,detail"
        );
    }
    (status, lines)
}

fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

#[tokio::test]
async fn administrators_filter_page_and_download_the_log() {
    let app = TestApp::spawn().await;
    let sofia = app
        .create_person("sofia@host.example", "Sofia Staff", None)
        .await;
    app.signed_in("sofia@host.example", PASSWORD).await;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    append(
        &app,
        vec![
            (
                "test.quote",
                "thing",
                "1".into(),
                serde_json::json!({"n": 1, "s": "a,b \"q\""}),
            ),
            (
                "test.formula",
                "thing",
                "=1+1".into(),
                serde_json::json!({}),
            ),
            (
                "test.formula",
                "thing",
                "+33 1".into(),
                serde_json::json!({}),
            ),
            ("test.formula", "thing", "-2".into(), serde_json::json!({})),
            (
                "test.formula",
                "thing",
                "@SUM(A1)".into(),
                serde_json::json!({}),
            ),
        ],
    )
    .await;

    let (status, html) = get_text(&admin, &app.url("/admin/audit")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("aria-current=\"page\">Activity log<"),
        "the admin nav has it"
    );
    assert!(html.contains("test.quote") && html.contains("signin.success"));
    assert!(html.contains("has not been verified"));

    // The CSV: header, quoting, formulas neutralized.
    let (status, all) = csv(&admin, &app, "").await;
    assert_eq!(status, 200);
    let total = app.audit_count().await as usize;
    assert_eq!(all.len(), total, "every event, newest first");
    assert!(all[0].starts_with(&format!("{},", total)));
    let quote = all.iter().find(|l| l.contains("test.quote")).unwrap();
    assert!(
        quote.ends_with(r#",test.quote,thing,1,,"{""n"":1,""s"":""a,b \""q\""""}""#),
        "{quote}"
    );
    assert!(quote.contains(",cli,,,,test.quote,"), "{quote}");
    for cell in ["'=1+1", "'+33 1", "'-2", "'@SUM(A1)"] {
        assert!(
            all.iter()
                .any(|l| l.contains(&format!(",test.formula,thing,{cell},"))),
            "{cell}: {all:?}"
        );
    }
    assert!(!all.iter().any(|l| l.contains(",=1+1,")));

    // Filters narrow the page and the CSV alike.
    let (_, mine) = csv(&admin, &app, "who=sofia%40host.example").await;
    assert!(!mine.is_empty());
    assert!(
        mine.iter()
            .all(|l| l.contains(",person,") && l.contains(",Sofia Staff,sofia@host.example,")),
        "{mine:?}"
    );
    let (_, by_name) = csv(&admin, &app, "who=Sofia+Staff").await;
    assert_eq!(by_name, mine);
    let (_, formulas) = csv(&admin, &app, "action=test.f").await;
    assert_eq!(formulas.len(), 4);
    let (_, about) = csv(
        &admin,
        &app,
        &format!("target_type=person&target_id={sofia}"),
    )
    .await;
    assert!(!about.is_empty());
    assert!(
        about
            .iter()
            .all(|l| l.contains(&format!(",person,{sofia},"))),
        "{about:?}"
    );
    let (_, one) = csv(&admin, &app, "target_type=thing&target_id=1").await;
    assert_eq!(one.len(), 1);
    let (_, created) = csv(&admin, &app, "action=person.create&target_type=person").await;
    assert_eq!(
        created.len(),
        2,
        "the administrator's and Sofia's: {created:?}"
    );
    assert!(created[0].contains(&format!(",person.create,person,{sofia},")));
    let d = today();
    let (_, same_day) = csv(&admin, &app, &format!("from={d}&to={d}")).await;
    assert_eq!(same_day.len(), total);
    let (_, before) = csv(&admin, &app, "to=2000-01-01").await;
    assert!(before.is_empty());
    let (_, after) = csv(&admin, &app, "from=2999-01-01").await;
    assert!(after.is_empty());
    let (status, html) = get_text(&admin, &app.url("/admin/audit?action=test.formula")).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<tr id=\"event-").count(), 4);
    assert!(html.contains("href=\"/admin/audit.csv?action=test.formula\""));

    // Bad filters: a clear error, nothing listed.
    for (query, message) in [
        (
            "who=nobody%40nowhere.example",
            "Nobody has this e-mail address or exactly this name.",
        ),
        ("from=2024-13-45", "Dates are written YYYY-MM-DD."),
        ("from=yesterday", "Dates are written YYYY-MM-DD."),
        (
            "from=2025-02-02&to=2025-02-01",
            "The first day must come before the last one.",
        ),
        (
            "target_type=Person%21",
            "The object type is a word in lower case",
        ),
        (
            "action=%3Cscript%3E",
            "The action is the start of an action name",
        ),
        ("before=abc", "This page of the log does not exist"),
        ("before=-1", "This page of the log does not exist"),
    ] {
        let (status, html) = get_text(&admin, &app.url(&format!("/admin/audit?{query}"))).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(message), "{query}: {html}");
        assert_eq!(html.matches("<tr id=\"event-").count(), 0, "{query}");
        let res = admin
            .get(app.url(&format!("/admin/audit.csv?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "CSV {query}");
    }
    let res = admin
        .get(app.url("/admin/audit?from=2024-13-45"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Les dates s’écrivent AAAA-MM-JJ.")
    );

    // Pages of 50, newest first, each event once.
    append(
        &app,
        (0..120)
            .map(|i| ("test.bulk", "thing", format!("b{i}"), serde_json::json!({})))
            .collect(),
    )
    .await;
    let mut seen: Vec<i64> = Vec::new();
    let mut url = "/admin/audit?action=test.bulk".to_string();
    let mut pages = 0;
    loop {
        let (status, html) = get_text(&admin, &app.url(&url)).await;
        assert_eq!(status, 200, "{url}");
        pages += 1;
        for part in html.split("<tr id=\"event-").skip(1) {
            seen.push(part.split('"').next().unwrap().parse().unwrap());
        }
        match html
            .split("rel=\"next\"")
            .next()
            .and_then(|h| h.rsplit("href=\"").next())
        {
            Some(href) if html.contains("rel=\"next\"") => {
                url = href.split('"').next().unwrap().replace("&#38;", "&");
            }
            _ => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 120);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeat"
    );

    // Nobody else finds any of it.
    let staff = app.signed_in("sofia@host.example", PASSWORD).await;
    for path in ["/admin/audit", "/admin/audit.csv", "/admin/audit?who=x"] {
        assert_eq!(get_text(&staff, &app.url(path)).await.0, 404, "{path}");
    }
    let res = post_form(&app, &staff, "/account", "/admin/audit/verify", &[]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        get_text(&app.client(), &app.url("/admin/audit")).await.0 / 100,
        3
    );
}

#[tokio::test]
async fn the_chain_is_verified_on_demand_and_tampering_shows() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, html) = get_text(&admin, &app.url("/admin/audit")).await;
    assert!(html.contains("The chain has not been verified since the server started."));
    let res = post_form(&app, &admin, "/admin/audit", "/admin/audit/verify", &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/audit#chain");
    let count = app.audit_count().await;
    let (_, html) = get_text(&admin, &app.url("/admin/audit")).await;
    assert!(
        html.contains(&format!("the chain of {count} events is intact")),
        "{html}"
    );
    assert!(html.contains(&format!("{count} events are kept.")));

    // An attacker with the database file edits an event.
    app.sql(
        "DROP TRIGGER audit_events_no_update;
         UPDATE audit_events SET detail = '{\"forged\":true}' WHERE id = 2;",
    )
    .await;
    let res = post_form(&app, &admin, "/admin/audit", "/admin/audit/verify", &[]).await;
    assert_eq!(res.status(), 303);
    let (_, html) = get_text(&admin, &app.url("/admin/audit")).await;
    assert!(
        html.contains("the chain is broken after 1 intact events"),
        "{html}"
    );
    assert!(html.contains("row 2 was modified"), "{html}");
    assert!(html.contains("role=\"alert\""));
}

#[tokio::test]
async fn space_managers_see_their_space_activity_trimmed_and_others_find_nothing() {
    let (app, token) = deal_room().await;
    app.create_org("client-co", "Client Co", "client").await;
    let boss = app
        .create_person("boss@client.example", "Boss External", Some("client-co"))
        .await;
    let reader = app
        .create_person("reader@host.example", "Reader Staff", None)
        .await;
    let hidden = app
        .create_person("hidden@host.example", "Hidden Staff", None)
        .await;
    app.create_person("outsider@host.example", "Outsider Staff", None)
        .await;
    app.sql(&format!(
        "INSERT INTO space_members (space_id, person_id, role, added_at) VALUES
           (7, {boss}, 'manager', 0), (7, {reader}, 'reader', 0);
         INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES
           (8, 'other', 'Other room', 'members', 0, 0);
         INSERT INTO space_members (space_id, person_id, role, added_at)
           SELECT 8, id, 'manager', 0 FROM people WHERE email = 'sofia@host.example';"
    ))
    .await;
    assert_eq!(
        upload_to_deal_room(&app, &token, "plan.txt", b"plan".to_vec()).await,
        201
    );
    let other = app
        .bare_client()
        .post(app.url("/api/v1/spaces/8/files?name=secret-other.txt"))
        .bearer_auth(&token)
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 201);
    // A member of the staff outside the space changes it (as an administrator
    // would): the external manager may not know who they are.
    let principal = parvis::auth::signin::principal(&app.state.db, hidden)
        .await
        .unwrap();
    app.state
        .db
        .write(move |tx| {
            audit::append(
                tx,
                Event::new(&Actor::person(principal, None), "space.update").target("space", 7),
            )?;
            audit::append(
                tx,
                Event::new(&Actor::person(principal, None), "person.update").target("person", 7),
            )?;
            Ok::<_, parvis::db::DbError>(())
        })
        .await
        .unwrap();

    let sofia = app.signed_in("sofia@host.example", PASSWORD).await;
    let (status, html) = get_text(&sofia, &app.url("/spaces/deal/activity")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Activity in Deal room"));
    assert!(
        html.contains("document.create") && html.contains("plan.txt"),
        "{html}"
    );
    assert!(html.contains("Sofia Almeida"));
    assert!(
        html.contains("space.update") && html.contains("Hidden Staff"),
        "{html}"
    );
    assert!(!html.contains("secret-other.txt"), "another space's file");
    assert!(!html.contains("person.update"), "not about the space");

    let boss_client = app.signed_in("boss@client.example", PASSWORD).await;
    let (status, html) = get_text(&boss_client, &app.url("/spaces/deal/activity")).await;
    assert_eq!(status, 200);
    assert!(html.contains("plan.txt") && html.contains("space.update"));
    assert!(
        !html.contains("Hidden Staff"),
        "a person the external may not know of"
    );
    assert!(html.contains("Someone"));
    assert!(!html.contains("secret-other.txt"));

    // A reader, a member of the staff outside the space, an external with no
    // part in it: no such page, like a missing space.
    for (email, password) in [
        ("reader@host.example", PASSWORD),
        ("outsider@host.example", PASSWORD),
    ] {
        let c = app.signed_in(email, password).await;
        for path in [
            "/spaces/deal/activity",
            "/spaces/other/activity",
            "/spaces/nowhere/activity",
        ] {
            assert_eq!(get_text(&c, &app.url(path)).await.0, 404, "{email} {path}");
        }
    }
    assert_eq!(
        get_text(&boss_client, &app.url("/spaces/other/activity"))
            .await
            .0,
        404
    );
    assert_eq!(
        get_text(&sofia, &app.url("/spaces/deal/activity?before=abc"))
            .await
            .0,
        400
    );
    // Administrators manage every space.
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(
        get_text(&admin, &app.url("/spaces/other/activity")).await.0,
        200
    );
}
