//! Sessions: idle expiry, fresh ids at sign-in, sign-out here, elsewhere and everywhere,
//! immediate effect of disabling an account, survival across restarts.

use crate::helpers::*;
use std::time::Duration;

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-parvis_session="))
        .map(|c| {
            c.split(';')
                .next()
                .unwrap()
                .trim_start_matches("__Host-parvis_session=")
                .to_string()
        })
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::spawn_with(|c| {
        c.session.idle_timeout = Duration::from_secs(2);
    })
    .await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    assert_eq!(get_text(&client, &app.url("/")).await.0, 200);
    tokio::time::sleep(Duration::from_millis(2300)).await;
    let res = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/signin"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        0,
        "expired session removed"
    );
}

#[tokio::test]
async fn activity_keeps_a_session_alive_until_the_absolute_timeout() {
    let app = TestApp::spawn_with(|c| {
        c.session.idle_timeout = Duration::from_secs(2);
        c.session.absolute_timeout = Duration::from_secs(4);
    })
    .await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(1200)).await;
        assert_eq!(
            get_text(&client, &app.url("/")).await.0,
            200,
            "active session ended early"
        );
    }
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        client.get(app.url("/")).send().await.unwrap().status(),
        303,
        "absolute timeout ignored"
    );
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_id_and_planted_cookies_are_ignored() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.client();
    // A cookie planted by someone else is not a session and is not adopted.
    let planted = "A".repeat(43);
    let res = client
        .get(app.url("/"))
        .header("cookie", format!("__Host-parvis_session={planted}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let first = session_cookie(&signin(&app, &client, "ana@test.example", PASSWORD).await).unwrap();
    let second =
        session_cookie(&signin(&app, &app.client(), "ana@test.example", PASSWORD).await).unwrap();
    assert_ne!(first, planted);
    assert_ne!(first, second);
    // Only hashes are stored.
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = CAST('{first}' AS BLOB)"
        ))
        .await;
    assert_eq!(stored, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 2);
}

#[tokio::test]
async fn signing_out_ends_only_this_session() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let laptop = app.signed_in("ana@test.example", PASSWORD).await;
    let phone = app.signed_in("ana@test.example", PASSWORD).await;
    let res = post_form(&app, &laptop, "/", "/signout", &[]).await;
    assert_eq!(location(&res), "/signin?notice=signed-out");
    assert_eq!(laptop.get(app.url("/")).send().await.unwrap().status(), 303);
    assert_eq!(get_text(&phone, &app.url("/")).await.0, 200);
    let (_, html) = get_text(&laptop, &app.url("/signin?notice=signed-out")).await;
    assert!(html.contains("You are signed out."));
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let laptop = app.signed_in("ana@test.example", PASSWORD).await;
    let phone = app.signed_in("ana@test.example", PASSWORD).await;
    let (_, html) = get_text(&laptop, &app.url("/account")).await;
    assert!(html.contains("Sign out everywhere"));
    let res = post_form(
        &app,
        &laptop,
        "/account",
        "/signout",
        &[("everywhere", "1")],
    )
    .await;
    assert_eq!(res.status(), 303);
    for c in [&laptop, &phone] {
        assert_eq!(c.get(app.url("/")).send().await.unwrap().status(), 303);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'signout.everywhere'")
            .await,
        1
    );
}

#[tokio::test]
async fn signing_out_other_devices_keeps_this_one() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let laptop = app.signed_in("ana@test.example", PASSWORD).await;
    let phone = app.signed_in("ana@test.example", PASSWORD).await;
    let res = post_form(&app, &laptop, "/account", "/account/signout-others", &[]).await;
    assert_eq!(location(&res), "/account?notice=others-signed-out");
    assert_eq!(get_text(&laptop, &app.url("/account")).await.0, 200);
    assert_eq!(phone.get(app.url("/")).send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    parvis::people::service::set_status(
        &app.state.db,
        &parvis::access::Actor::cli(),
        &parvis::service::Email::parse("ana@test.example").unwrap(),
        parvis::people::PersonStatus::Disabled,
    )
    .await
    .unwrap();
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn authenticated_pages_are_never_cached() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    for path in ["/", "/account", "/people", "/spaces", "/search?q=a"] {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let app = TestApp::start(test_config(&path), TempOrKept::Kept(path.clone())).await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let _ = app.signed_in("ana@test.example", PASSWORD).await;
    let audit_before = app.audit_count().await;
    app.stop().await;
    // The WAL was checkpointed on the way out.
    let wal = path.join("parvis.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "WAL not checkpointed"
    );

    let app = TestApp::start(test_config(&path), TempOrKept::Kept(path.clone())).await;
    assert_eq!(
        app.audit_count().await,
        audit_before,
        "restart must not add or lose audit events"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE email = 'ana@test.example'")
            .await,
        1
    );
    assert_eq!(
        signin(&app, &app.client(), "ana@test.example", PASSWORD)
            .await
            .status(),
        303
    );
    app.stop().await;
    drop(dir);
}
