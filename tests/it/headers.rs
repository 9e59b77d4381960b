//! Security headers on every kind of response; static assets with ETags and long caching.

use crate::helpers::*;

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{what}: {csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "same-origin", "{what}");
    assert!(
        h["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age="),
        "{what}"
    );
    assert!(h.contains_key("x-request-id"), "{what}");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for path in [
        "/signin",
        "/healthz",
        "/nope",
        "/static/css/parvis.css",
        "/",
        "/portal.css",
    ] {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_security_headers(&res, path);
    }
    let res = client.put(app.url("/signin")).send().await.unwrap();
    assert_security_headers(&res, "405");
    let res = client.post(app.url("/signin")).send().await.unwrap();
    assert_security_headers(&res, "403");
}

#[tokio::test]
async fn pages_contain_no_inline_script_or_style() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    for path in [
        "/",
        "/account",
        "/people",
        "/spaces",
        "/search?q=x",
        "/missing",
    ] {
        let (_, html) = get_text(&client, &app.url(path)).await;
        let lower = html.to_lowercase();
        assert!(
            !lower.contains("<script>") && !lower.contains("<script type"),
            "{path} has inline script"
        );
        assert!(
            !lower.contains(" style=") && !lower.contains("<style"),
            "{path} has inline style"
        );
        assert!(
            !lower.contains(" onclick=") && !lower.contains(" onload="),
            "{path} has inline handler"
        );
    }
}

#[tokio::test]
async fn static_assets_have_etags_and_long_lifetimes() {
    let app = TestApp::spawn().await;
    let client = app.bare_client();
    let (_, html) = get_text(&client, &app.url("/signin")).await;
    let css = html
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|u| u.starts_with("/static/css/parvis.css?v="))
        .expect("fingerprinted stylesheet link")
        .to_string();
    let res = client.get(app.url(&css)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let res = client
        .get(app.url(&css))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    // Without the fingerprint the lifetime is short, so an upgrade is seen quickly.
    let res = client
        .get(app.url("/static/css/parvis.css"))
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("must-revalidate")
    );
    assert_eq!(
        client
            .get(app.url("/static/../Cargo.toml"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client
            .get(app.url("/static/nothing.css"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = TestApp::spawn().await;
    let res = app
        .bare_client()
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok\n");
}
