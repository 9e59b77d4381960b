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

/// One HTTP/1.1 connection over TLS, written and read by hand: clients
/// refuse to build an address over 64 KiB, so this one sends raw bytes.
struct RawH1 {
    tls: tokio_rustls::client::TlsStream<tokio::net::TcpStream>,
}

impl RawH1 {
    async fn connect(app: &TestApp) -> RawH1 {
        use rustls_pki_types::pem::PemObject;
        use std::sync::Arc;
        let (cert, _) = parvis::tls::self_signed_paths(&app.state.config.data_dir);
        let pem = std::fs::read(cert).unwrap();
        let mut roots = rustls::RootCertStore::empty();
        for c in rustls_pki_types::CertificateDer::pem_slice_iter(&pem) {
            roots.add(c.unwrap()).unwrap();
        }
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .unwrap();
        RawH1 { tls }
    }

    /// Writes the whole request, then reads one answer: status, headers
    /// (lower-case names), body. Panics if the connection drops instead.
    async fn exchange(&mut self, head: &str, body: &[u8]) -> (u16, Vec<(String, String)>, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut req = head.as_bytes().to_vec();
        req.extend_from_slice(body);
        self.tls
            .write_all(&req)
            .await
            .expect("the request is written whole");
        self.tls.flush().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = self
                .tls
                .read(&mut chunk)
                .await
                .expect("an answer, not a reset");
            assert!(n > 0, "the connection closed without an answer");
            buf.extend_from_slice(&chunk[..n]);
        };
        let text = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = text.split("\r\n");
        let status: u16 = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map(|(_, v)| v.parse().unwrap())
            .expect("a length");
        while buf.len() < head_end + len {
            let n = self.tls.read(&mut chunk).await.expect("the whole answer");
            assert!(n > 0, "the answer was cut");
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).to_string();
        (status, headers, body)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[tokio::test]
async fn oversize_bodies_and_addresses_are_answered_never_dropped() {
    let app = TestApp::spawn().await;
    let token = api_token(&app, ADMIN_EMAIL, parvis::auth::tokens::Scope::Admin).await;
    let before = app.count("SELECT COUNT(*) FROM groups").await;
    // A 20 MB JSON body, written whole by the client, over HTTP/1.1 and HTTP/2.
    let big = serde_json::json!({"name": "x".repeat(20 * 1024 * 1024)}).to_string();
    let h1 = app.builder().http1_only().build().unwrap();
    for client in [&h1, &app.bare_client()] {
        let res = client
            .post(app.url("/api/v1/groups"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .expect("a 20 MB body is answered");
        assert_eq!(res.status(), 413);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["code"], "too-large");
        assert_eq!(problem["status"], 413);
    }
    // Written whole before reading, as Python's requests does.
    let mut conn = RawH1::connect(&app).await;
    let (status, headers, body) = conn
        .exchange(
            &format!(
                "POST /api/v1/groups HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer {token}\r\n\
                 content-type: application/json\r\ncontent-length: {}\r\n\r\n",
                big.len()
            ),
            big.as_bytes(),
        )
        .await;
    assert_eq!(status, 413);
    assert_eq!(header(&headers, "content-type"), "application/problem+json");
    assert!(body.contains("\"too-large\""), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM groups").await, before);

    // 200 KB addresses, to the API and to a page, on a connection that
    // already served a request (as Python's requests or curl reuse theirs).
    let mut conn = RawH1::connect(&app).await;
    let (status, _, _) = conn
        .exchange("GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n", b"")
        .await;
    assert_eq!(status, 200);
    let q = "a".repeat(200 * 1024);
    let (status, headers, body) = conn
        .exchange(
            &format!(
                "GET /api/v1/search?q={q} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer {token}\r\n\r\n"
            ),
            b"",
        )
        .await;
    assert_eq!(status, 414);
    assert_eq!(header(&headers, "content-type"), "application/problem+json");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["code"], "uri-too-long");
    let mut conn = RawH1::connect(&app).await;
    let (status, headers, body) = conn
        .exchange(
            &format!(
                "GET /search?q={q} HTTP/1.1\r\nhost: localhost\r\naccept-language: fr\r\n\r\n"
            ),
            b"",
        )
        .await;
    assert_eq!(status, 414);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(body.contains("L’adresse est trop longue"), "{body}");
    // Headers the HTTP layer reads whole, still too large for any page.
    let mut conn = RawH1::connect(&app).await;
    let (status, headers, body) = conn
        .exchange(
            &format!(
                "GET /api/v1/me HTTP/1.1\r\nhost: localhost\r\nx-filler: {}\r\n\r\n",
                "z".repeat(100 * 1024)
            ),
            b"",
        )
        .await;
    assert_eq!(status, 431);
    assert_eq!(header(&headers, "content-type"), "application/problem+json");
    assert!(body.contains("\"status\":431"), "{body}");
    assert_eq!(
        h1.get(app.url("/healthz")).send().await.unwrap().status(),
        200
    );
}
