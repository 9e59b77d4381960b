//! The JSON API's authentication: Bearer tokens (created, scoped, expiring,
//! revocable) and the pages' own session.

use crate::helpers::*;
use parvis::access::Actor;
use parvis::auth::tokens::{self, Scope};
use parvis::service::Email;

async fn token(app: &TestApp, email: &str, scope: Scope, days: Option<u32>) -> (i64, String) {
    let created = tokens::create(
        &app.state.db,
        &Actor::cli(),
        &Email::parse(email).unwrap(),
        "test",
        scope,
        days,
    )
    .await
    .unwrap();
    (created.id, created.secret.expose().clone())
}

#[tokio::test]
async fn a_bearer_token_identifies_its_owner() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let (_, secret) = token(&app, "ana@test.example", Scope::Read, None).await;
    assert!(secret.starts_with("pvs_"));
    let res = app
        .bare_client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["email"], "ana@test.example");
    assert_eq!(me["scope"], "read");
    assert_eq!(me["internal"], true);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
            .await,
        1
    );
    // Only the hash is stored.
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE CAST(token_hash AS TEXT) LIKE '%{}%'",
            &secret[4..20]
        ))
        .await;
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn wrong_revoked_and_expired_tokens_are_refused() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.bare_client();
    let call = |t: String| {
        let client = client.clone();
        let url = app.url("/api/v1/me");
        async move { client.get(url).bearer_auth(t).send().await.unwrap() }
    };
    for bad in [
        "pvs_nope".to_string(),
        format!("pvs_{}", "A".repeat(43)),
        "garbage".into(),
        String::new(),
    ] {
        let res = call(bad.clone()).await;
        assert_eq!(res.status(), 401, "{bad}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        assert!(res.headers().contains_key("www-authenticate"));
    }
    let (id, secret) = token(&app, "ana@test.example", Scope::Write, None).await;
    assert_eq!(call(secret.clone()).await.status(), 200);
    tokens::revoke(&app.state.db, &Actor::cli(), id)
        .await
        .unwrap();
    assert_eq!(
        call(secret).await.status(),
        401,
        "revocation takes effect at once"
    );

    let (id, secret) = token(&app, "ana@test.example", Scope::Write, Some(1)).await;
    app.sql(&format!(
        "UPDATE api_tokens SET expires_at = 1 WHERE id = {id}"
    ))
    .await;
    assert_eq!(call(secret).await.status(), 401, "expired");

    // A disabled owner's tokens stop working too.
    let (_, secret) = token(&app, "ana@test.example", Scope::Read, None).await;
    app.sql("UPDATE people SET status = 'disabled' WHERE email = 'ana@test.example'")
        .await;
    assert_eq!(call(secret).await.status(), 401, "disabled owner");
}

#[tokio::test]
async fn admin_scope_is_for_administrators_only() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let err = tokens::create(
        &app.state.db,
        &Actor::cli(),
        &Email::parse("ana@test.example").unwrap(),
        "x",
        Scope::Admin,
        None,
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(
        err,
        parvis::service::Error::Invalid {
            code: "scope-admin-needs-admin",
            ..
        }
    ));
    let (_, secret) = token(&app, ADMIN_EMAIL, Scope::Admin, None).await;
    let me = app.api_get(&secret, "/api/v1/me").await;
    assert_eq!(me["scope"], "admin");
    assert_eq!(me["admin"], true);
}

#[tokio::test]
async fn a_person_cannot_mint_tokens_for_someone_else() {
    let app = TestApp::spawn().await;
    let ana = app
        .create_person("ana@test.example", "Ana Silva", None)
        .await;
    app.create_person("bo@test.example", "Bo", None).await;
    let p = parvis::auth::signin::principal(&app.state.db, ana)
        .await
        .unwrap();
    let actor = Actor::person(p, None);
    assert!(
        tokens::create(
            &app.state.db,
            &actor,
            &Email::parse("bo@test.example").unwrap(),
            "x",
            Scope::Read,
            None
        )
        .await
        .is_err()
    );
    assert!(
        tokens::create(
            &app.state.db,
            &actor,
            &Email::parse("ana@test.example").unwrap(),
            "x",
            Scope::Read,
            None
        )
        .await
        .is_ok()
    );
}

#[tokio::test]
async fn the_pages_session_also_reaches_the_api() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    let res = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["scope"], "write");
    assert_eq!(
        app.client()
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[test]
fn tokens_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = |args: &[&str]| {
        let mut c = parvis(dir.path());
        c.args(args);
        c
    };
    assert_eq!(run(cmd(&["init"])).code, 0);
    let out = run(cmd(&[
        "token",
        "create",
        "--user",
        "admin@parvis.local",
        "--name",
        "backup",
        "--scope",
        "admin",
        "--expires",
        "30",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let secret = out.stdout.trim();
    assert!(secret.starts_with("pvs_") && secret.len() == 47, "{secret}");
    let out = run(cmd(&["token", "list", "--user", "admin@parvis.local"]));
    assert!(
        out.stdout.contains("backup")
            && out.stdout.contains("active")
            && !out.stdout.contains(secret)
    );
    assert_eq!(
        run(cmd(&[
            "token",
            "create",
            "--user",
            "admin@parvis.local",
            "--name",
            "x",
            "--scope",
            "root"
        ]))
        .code,
        2
    );
    assert_eq!(run(cmd(&["token", "revoke", "1"])).code, 0);
    assert!(
        run(cmd(&["token", "list", "--user", "admin@parvis.local"]))
            .stdout
            .contains("revoked")
    );
    assert_eq!(run(cmd(&["token", "revoke", "99"])).code, 1);
}

#[tokio::test]
async fn bearer_clients_that_keep_cookies_are_never_refused_for_csrf() {
    let app = TestApp::spawn().await;
    let (_, secret) = token(&app, ADMIN_EMAIL, Scope::Admin, None).await;
    let ana = app
        .create_person("ana@test.example", "Ana Silva", None)
        .await;
    // A script that keeps cookies, as Python's requests.Session or curl -b do.
    let client = app.client();
    let res = client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(set_cookie_pair(&res, "__Host-parvis_csrf"), None);
    let res = client
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(set_cookie_pair(&res, "__Host-parvis_csrf"), None);
    // Even holding a visitor's CSRF cookie from a page, Bearer writes pass.
    let res = client.get(app.url("/signin")).send().await.unwrap();
    assert!(set_cookie_pair(&res, "__Host-parvis_csrf").is_some());
    let res = client
        .post(app.url("/api/v1/me/tokens"))
        .bearer_auth(&secret)
        .json(&serde_json::json!({"name": "kept", "scope": "read"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let created: serde_json::Value = res.json().await.unwrap();
    let (s, group) = {
        let res = client
            .post(app.url("/api/v1/groups"))
            .bearer_auth(&secret)
            .json(&serde_json::json!({"name": "Buyers"}))
            .send()
            .await
            .unwrap();
        (res.status(), res.json::<serde_json::Value>().await.unwrap())
    };
    assert_eq!(s, 201, "{group}");
    let res = client
        .put(app.url(&format!("/api/v1/groups/{}/members/{ana}", group["id"])))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = client
        .delete(app.url(&format!("/api/v1/me/tokens/{}", created["id"])))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    // A session cookie without the token is still refused, on the API and the pages.
    let signed = app.signed_in("ana@test.example", PASSWORD).await;
    let res = signed
        .post(app.url("/api/v1/me/tokens"))
        .json(&serde_json::json!({"name": "forged", "scope": "read"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "csrf");
    let res = signed
        .post(app.url("/account/signout-others"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("This form has expired"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_tokens WHERE name = 'forged'")
            .await,
        0
    );
}
