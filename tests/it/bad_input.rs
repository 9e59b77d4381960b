//! Hostile and malformed requests: each gets a clear error, nothing is written,
//! and the server keeps serving.

use crate::helpers::*;

async fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    (
        app.audit_count().await,
        app.count("SELECT COUNT(*) FROM sessions").await,
        app.count("SELECT COUNT(*) FROM people").await,
    )
}

#[tokio::test]
async fn malformed_requests_get_clear_errors_and_change_nothing() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    let (_, html) = get_text(&client, &app.url("/")).await;
    let token = csrf_in(&html);
    let before = snapshot(&app).await;

    // Wrong types and unknown things in the path are simply not found.
    for path in [
        "/people/abc",
        "/people/99999999999999999999999",
        "/people/-1",
        "/people/%FF%FE",
        "/a/../../etc/passwd",
    ] {
        let (status, body) = get_text(&client, &app.url(path)).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("Page not found"), "{path}");
    }
    // Wrong method.
    let res = client.delete(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 405);
    // A form that is not URL-encoded where one is expected.
    let res = client
        .post(app.url("/language"))
        .header("x-csrf-token", &token)
        .header("content-type", "application/json")
        .body("{\"lang\": \"fr\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    assert!(res.text().await.unwrap().contains("not accepted"));
    // Missing fields.
    let res = client
        .post(app.url("/language"))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("could not be read"));
    // Invalid UTF-8 and control characters in a value.
    let res = client
        .post(app.url("/language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}&lang=%FF%FE%00"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // Markup in a search is shown as text, never as markup.
    let (status, body) = get_text(
        &client,
        &app.url("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!body.contains("<script>alert(1)</script>"));
    assert!(
        body.contains("&#60;script&#62;alert(1)"),
        "the query is echoed, escaped"
    );
    // A 10,000-character query with emoji and control characters.
    let long = format!("{}🙂\u{7}", "é".repeat(10_000));
    let res = client
        .get(app.url("/people"))
        .query(&[("q", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    assert_eq!(snapshot(&app).await, before, "bad input changed something");
    assert_eq!(
        get_text(&client, &app.url("/")).await.0,
        200,
        "server still serving"
    );
}

#[tokio::test]
async fn oversize_bodies_are_refused_before_they_are_read() {
    let app = TestApp::spawn_with(|c| c.server.max_body_bytes = 64 * 1024).await;
    let client = app.client();
    let (_, html) = get_text(&client, &app.url("/signin")).await;
    let token = csrf_in(&html);
    let before = snapshot(&app).await;
    let big = "x".repeat(200 * 1024);
    // With a Content-Length.
    let res = client
        .post(app.url("/signin"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-language", "fr")
        .body(format!("_csrf={token}&email=a%40b.c&password={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("Trop volumineux"));
    // Streamed without a length.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..50)
        .map(|_| Ok(format!("_csrf={token}&pad={}", "y".repeat(8 * 1024)).into_bytes()))
        .collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let res = client
        .post(app.url("/signin"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn huge_headers_are_refused() {
    let app = TestApp::spawn().await;
    let res = app
        .bare_client()
        .get(app.url("/signin"))
        .header("x-filler", "z".repeat(100 * 1024))
        .send()
        .await;
    match res {
        Ok(r) => assert_eq!(r.status(), 431),
        // HTTP/2 may reset the stream instead; either way nothing is served.
        Err(e) => assert!(e.is_request() || e.is_connect() || e.is_body(), "{e}"),
    }
    assert_eq!(
        app.bare_client()
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn api_clients_get_problem_json() {
    let app = TestApp::spawn().await;
    let res = app
        .bare_client()
        .get(app.url("/api/v1/nothing"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], 404);
    assert_eq!(body["code"], "not-found");
    assert_eq!(body["title"], "Page introuvable");
}

#[tokio::test]
async fn garbage_bytes_on_the_socket_do_not_disturb_the_server() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn().await;
    // Not TLS at all.
    let mut s = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\xff\xfe garbage")
        .await
        .unwrap();
    let mut buf = [0u8; 64];
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), s.read(&mut buf)).await;
    drop(s);
    assert_eq!(
        app.bare_client()
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
