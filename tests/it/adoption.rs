//! Adoption figures: people counted once a day per portal, by portal and
//! organization; the spaces they use; searches that found nothing (folded);
//! uploads and downloads — shown to administrators as counts, never as
//! names; kept through a failing write and written once it succeeds.

use crate::helpers::*;
use crate::portals::{INTRANET, PARTNERS, space, two_portals};
use parvis::auth::tokens::Scope;
use serde_json::Value;

async fn flush(app: &TestApp) {
    app.state.adoption.flush(&app.state.db).await.unwrap();
}

async fn figures(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let res = app
        .bare_client()
        .get(app.url(&format!("/api/v1/admin/adoption?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn row<'a>(rows: &'a Value, name: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {rows}"))
}

#[tokio::test]
async fn administrators_see_counts_of_people_spaces_searches_and_transfers_never_names() {
    let app = two_portals().await;
    space(
        &app,
        "plant",
        "Plant Operations",
        &["main", "partners"],
        &["staff@lumen.test", "ingrid@nordhavn.test"],
    )
    .await;
    let plant = app
        .count("SELECT id FROM spaces WHERE slug = 'plant'")
        .await;
    let staff_token = api_token(&app, "staff@lumen.test", Scope::Write).await;
    let admin_token = api_token(&app, ADMIN_EMAIL, Scope::Admin).await;

    // Stella on the intranet: several pages, one person-day; a search
    // that finds nothing; a file uploaded.
    let stella = app
        .signed_in_at(INTRANET, "staff@lumen.test", PASSWORD)
        .await;
    for path in ["/", "/spaces/plant", "/spaces/plant/files"] {
        let (status, _) = get_text(&stella, &app.url_at(INTRANET, path)).await;
        assert_eq!(status, 200, "{path}");
    }
    let (status, _) = get_text(&stella, &app.url_at(INTRANET, "/search?q=Gearbox")).await;
    assert_eq!(status, 200);
    let body = b"conveyor torque table".to_vec();
    let res = app
        .bare_client()
        .post(app.url(&format!("/api/v1/spaces/{plant}/files?name=torque.txt")))
        .bearer_auth(&staff_token)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let doc: Value = res.json().await.unwrap();
    let doc = doc["document"]["id"].as_i64().unwrap();

    // Ingrid on the partners' portal: the same search typed otherwise,
    // then the file downloaded, whole, then resumed (one download).
    let ingrid = app
        .signed_in_at(PARTNERS, "ingrid@nordhavn.test", PASSWORD)
        .await;
    let (status, _) = get_text(&ingrid, &app.url_at(PARTNERS, "/search?q=%20gearbox%20%20")).await;
    assert_eq!(status, 200);
    let (status, _) = get_text(&ingrid, &app.url_at(PARTNERS, "/search?q=gearbox&page=2")).await;
    assert_eq!(status, 200, "a second page is not a second search");
    let url = app.url_at(PARTNERS, &format!("/files/{doc}/download"));
    let got = ingrid.get(&url).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), body);
    let rest = ingrid
        .get(&url)
        .header("range", "bytes=5-")
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 206);

    // Someone who may not read the space is not counted in it.
    app.create_person("olaf@nordhavn.test", "Olaf Outsider", Some("nordhavn"))
        .await;
    let olaf = app
        .signed_in_at(PARTNERS, "olaf@nordhavn.test", PASSWORD)
        .await;
    let (status, _) = get_text(&olaf, &app.url_at(PARTNERS, "/spaces/plant")).await;
    assert_eq!(status, 404);

    flush(&app).await;
    assert_eq!(
        app.count("SELECT count(*) FROM adoption_presence").await,
        3,
        "one row per person, portal and day"
    );

    let (status, f) = figures(&app, &admin_token, "days=7").await;
    assert_eq!(status, 200, "{f}");
    let t = &f["totals"];
    assert_eq!(t["active"], 3, "{f}");
    assert_eq!(
        (t["internal"].clone(), t["external"].clone()),
        (1.into(), 2.into())
    );
    assert_eq!(t["searches"], 2);
    assert_eq!(t["searches_missed"], 2);
    assert_eq!(
        (t["uploads"].clone(), t["downloads"].clone()),
        (1.into(), 1.into())
    );
    assert_eq!(t["upload_bytes"], body.len());
    assert_eq!(t["download_bytes"], body.len());
    assert_eq!(f["per_day"].as_array().unwrap().len(), 7);
    assert_eq!(f["per_day"][6]["active"], 3);
    assert_eq!(f["per_week"].as_array().unwrap().len(), 12);
    assert_eq!(f["per_week"][11]["active"], 3);
    assert_eq!(row(&f["by_portal"], "Lumen Intranet")["today"], 1);
    assert_eq!(row(&f["by_portal"], "Lumen Partners")["week"], 2);
    assert_eq!(row(&f["by_org"], "Nordhavn Logistics")["period"], 2);
    assert_eq!(
        f["misses"],
        serde_json::json!([{"query": "gearbox", "count": 2}])
    );
    let top = &f["top_spaces"][0];
    assert_eq!(top["name"], "Plant Operations");
    assert_eq!(
        (
            top["people"].clone(),
            top["uploads"].clone(),
            top["downloads"].clone()
        ),
        (2.into(), 1.into(), 1.into()),
        "{top}"
    );

    // Narrowed to an organization, or a portal.
    let nordhavn = app
        .count("SELECT id FROM organizations WHERE slug = 'nordhavn'")
        .await;
    let (_, f) = figures(&app, &admin_token, &format!("organization={nordhavn}")).await;
    assert_eq!(f["totals"]["active"], 2);
    assert_eq!(f["totals"]["searches"], 1);
    assert_eq!(f["top_spaces"][0]["people"], 1);
    let partners = app
        .count("SELECT id FROM portals WHERE slug = 'partners'")
        .await;
    let (_, f) = figures(&app, &admin_token, &format!("portal={partners}")).await;
    assert_eq!(f["totals"]["active"], 2);
    assert_eq!(f["misses"][0]["count"], 1);

    // Bad input: a clear error, in the reader's language.
    for (query, status) in [
        ("days=12", 400),
        ("portal=999999", 404),
        ("organization=999999", 404),
        (
            &format!("portal={partners}&organization={nordhavn}") as &str,
            400,
        ),
        ("days=abc", 400),
    ] {
        let (got, body) = figures(&app, &admin_token, query).await;
        assert_eq!(got, status, "{query}: {body}");
    }
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let res = admin
        .get(app.url("/admin/adoption?days=12"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("7, 30 ou 90 jours"));

    // The page: figures and tables, no one's name.
    let (status, html) = get_text(&admin, &app.url("/admin/adoption?days=7")).await;
    assert_eq!(status, 200);
    for shown in [
        "aria-current=\"page\">Adoption<",
        "Active people per day",
        "Plant Operations",
        "Nordhavn Logistics",
        ">gearbox<",
        "<svg",
    ] {
        assert!(html.contains(shown), "{shown}");
    }
    for person in [
        "Stella Staff",
        "Ingrid Solberg",
        "Olaf Outsider",
        "ingrid@nordhavn.test",
    ] {
        assert!(
            !html.contains(person),
            "{person} named on the adoption page"
        );
    }
    let res = admin
        .get(app.url(&format!(
            "/admin/adoption?days=7&of=organization-{nordhavn}"
        )))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let fr = res.text().await.unwrap();
    assert!(
        fr.contains("Personnes actives par jour") && fr.contains("Nordhavn Logistics seulement")
    );

    // Each figure downloads as CSV.
    let res = admin
        .get(app.url("/admin/adoption?days=7&figure=misses"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert_eq!(lines, ["Searched for,Times", "gearbox,2"]);

    // Nobody else finds the figures.
    let (status, _) = get_text(&stella, &app.url_at(INTRANET, "/admin/adoption")).await;
    assert_eq!(status, 404);
    let (status, _) = figures(&app, &staff_token, "").await;
    assert!(status == 403 || status == 404, "{status}");

    // Erased, Ingrid's days go; counters that name nobody stay.
    let ingrid_id = app
        .count("SELECT id FROM people WHERE email = 'ingrid@nordhavn.test'")
        .await;
    parvis::people::erasure::erase(
        &app.state.db,
        app.state.kinds,
        &parvis::access::Actor::cli(),
        ingrid_id,
    )
    .await
    .unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT (SELECT count(*) FROM adoption_presence WHERE person_id = {ingrid_id})
                  + (SELECT count(*) FROM adoption_space_presence WHERE person_id = {ingrid_id})"
        ))
        .await,
        0
    );
    let (_, f) = figures(&app, &admin_token, "days=7").await;
    let left = app
        .count("SELECT count(DISTINCT person_id) FROM adoption_presence")
        .await;
    assert_eq!(f["totals"]["active"], left);
    assert_eq!(f["totals"]["searches"], 2);
}

#[tokio::test]
async fn figures_wait_through_a_failing_write_and_check_fails_until_they_are_written() {
    let app = TestApp::spawn().await;
    // The writer refuses the figures, as a failing disk would.
    app.sql(
        "CREATE TEMP TRIGGER adoption_refused BEFORE INSERT ON adoption_presence
         BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
    )
    .await;
    let admin = app.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(get_text(&admin, &app.url("/")).await.0, 200);
    assert!(app.state.adoption.flush(&app.state.db).await.is_err());
    assert_eq!(app.count("SELECT count(*) FROM adoption_presence").await, 0);
    let check = |app: &TestApp| {
        parvis::ops::check::run(&app.state.config)
            .into_iter()
            .find(|f| f.check == "adoption figures")
            .unwrap()
    };
    let finding = check(&app);
    assert_eq!(finding.status, parvis::ops::check::Status::Fail);
    assert!(
        finding.detail.contains("disk I/O error"),
        "{}",
        finding.detail
    );

    // The fault goes: the figures held meanwhile are written, and check passes.
    app.sql("DROP TRIGGER temp.adoption_refused").await;
    app.state.adoption.flush(&app.state.db).await.unwrap();
    assert_eq!(app.count("SELECT count(*) FROM adoption_presence").await, 1);
    assert_eq!(check(&app).status, parvis::ops::check::Status::Ok);
}
