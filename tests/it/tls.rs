//! TLS: versions, the generated certificate, reload on SIGHUP without dropping
//! connections, graceful shutdown, and forwarded headers behind a proxy.

use crate::helpers::*;
use std::time::Duration;

/// DER of the named curve prime256v1 (1.2.840.10045.3.1.7).
const P256_OID: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

fn peer_cert(res: &reqwest::Response) -> Vec<u8> {
    res.extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|i| i.peer_certificate())
        .expect("TLS info")
        .to_vec()
}

#[tokio::test]
async fn tls_1_2_and_1_3_are_served_with_an_ecdsa_p256_certificate() {
    let app = TestApp::spawn().await;
    for (min, max) in [
        (
            reqwest::tls::Version::TLS_1_2,
            reqwest::tls::Version::TLS_1_2,
        ),
        (
            reqwest::tls::Version::TLS_1_3,
            reqwest::tls::Version::TLS_1_3,
        ),
    ] {
        let client = app
            .builder()
            .min_tls_version(min)
            .max_tls_version(max)
            .tls_info(true)
            .build()
            .unwrap();
        let res = client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let der = peer_cert(&res);
        assert!(
            der.windows(P256_OID.len()).any(|w| w == P256_OID),
            "certificate is not ECDSA P-256"
        );
    }
}

fn write_pair(dir: &std::path::Path, cn: &str) -> Vec<u8> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn);
    let cert = params.self_signed(&key).unwrap();
    // Replace atomically, as certificate renewal tools do.
    std::fs::write(dir.join("cert.tmp"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.tmp"), key.serialize_pem()).unwrap();
    std::fs::rename(dir.join("key.tmp"), dir.join("key.pem")).unwrap();
    std::fs::rename(dir.join("cert.tmp"), dir.join("cert.pem")).unwrap();
    cert.der().to_vec()
}

#[tokio::test]
async fn sighup_reloads_the_certificate_without_dropping_connections() {
    let dir = tempfile::tempdir().unwrap();
    let tls = dir.path().join("tls-files");
    std::fs::create_dir_all(&tls).unwrap();
    let first = write_pair(&tls, "first");
    let mut c = parvis(&dir.path().join("data"));
    c.env("PARVIS_TLS_MODE", "files")
        .env("PARVIS_TLS_CERT_FILE", tls.join("cert.pem"))
        .env("PARVIS_TLS_KEY_FILE", tls.join("key.pem"));
    let server = ServeProcess::start(c, &[]);
    let addr: std::net::SocketAddr = format!("127.0.0.1:{}", server.port).parse().unwrap();
    let url = format!("https://localhost:{}/healthz", server.port);
    let client_for = |certs: &[&Vec<u8>]| {
        let mut b = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .resolve("localhost", addr)
            .tls_info(true)
            .pool_idle_timeout(Duration::from_secs(60));
        for der in certs {
            b = b.add_root_certificate(reqwest::Certificate::from_der(der).unwrap());
        }
        b.build().unwrap()
    };
    let old_client = client_for(&[&first]);
    let res = old_client.get(&url).send().await.unwrap();
    assert_eq!(peer_cert(&res), first);

    let second = write_pair(&tls, "second");
    server.signal("HUP");
    tokio::time::sleep(Duration::from_millis(500)).await;

    // New connections get the new certificate…
    let res = client_for(&[&second]).get(&url).send().await.unwrap();
    assert_eq!(peer_cert(&res), second);
    // …while the connection opened before the reload still works.
    let res = old_client
        .get(&url)
        .send()
        .await
        .expect("old connection kept");
    assert_eq!(res.status(), 200);
    assert_eq!(
        peer_cert(&res),
        first,
        "the old connection was reused, not re-established"
    );

    // A broken file on reload keeps the current certificate.
    std::fs::write(tls.join("cert.pem"), "garbage").unwrap();
    server.signal("HUP");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let res = client_for(&[&second]).get(&url).send().await.unwrap();
    assert_eq!(peer_cert(&res), second);
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServeProcess::start(parvis(dir.path()), &[]);
    let cert = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{}", server.port).parse().unwrap();
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&cert).unwrap())
        .resolve("localhost", addr)
        .build()
        .unwrap();
    // A request whose body is still arriving when the server is told to stop.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let url = format!("https://localhost:{}/signin", server.port);
    let request = tokio::spawn(async move {
        client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
    });
    tx.send(Ok(b"email=a%40b.example".to_vec())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.send(Ok(b"&password=x".to_vec())).await.unwrap();
    drop(tx);
    let res = request
        .await
        .unwrap()
        .expect("in-flight request answered during shutdown");
    assert_eq!(res.status(), 403, "answered normally (no CSRF token)");
    assert_eq!(server.wait(30), Some(0));
}

#[tokio::test]
async fn forwarded_headers_count_only_from_trusted_proxies() {
    for (trusted, expected_ip, hsts) in [(true, "203.0.113.7", true), (false, "127.0.0.1", false)] {
        let app = TestApp::spawn_with(|c| {
            c.tls.mode = parvis::config::TlsMode::Off;
            if trusted {
                c.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
            }
        })
        .await;
        let client = app.bare_client();
        let res = client
            .get(app.url("/signin"))
            .header("x-forwarded-for", "198.51.100.1, 203.0.113.7")
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers().contains_key("strict-transport-security"),
            hsts,
            "trusted={trusted}"
        );
        let cookie = set_cookie_pair(&res, "__Host-parvis_csrf").unwrap();
        let token = cookie.trim_start_matches("__Host-parvis_csrf=").to_string();
        let res = client
            .post(app.url("/signin"))
            .header("cookie", &cookie)
            .header("x-forwarded-for", "198.51.100.1, 203.0.113.7")
            .form(&[
                ("_csrf", token.as_str()),
                ("email", "x@y.example"),
                ("password", "nope nope nope"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let ip = app
            .state
            .db
            .read(|c| {
                c.query_row(
                    "SELECT ip FROM audit_events WHERE action = 'signin.failure'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .map_err(parvis::db::DbError::from)
            })
            .await
            .unwrap();
        assert_eq!(ip, expected_ip, "trusted={trusted}");
    }
}
