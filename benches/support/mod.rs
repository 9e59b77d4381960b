//! What the benchmarks that talk to a real server share.
// Each benchmark compiles this module for itself and uses only part of it.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs a `parvis` command (with `stdin` as its input), which must succeed;
/// returns what it printed.
pub fn run(mut command: Command, stdin: Option<&[u8]>) -> String {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("parvis runs");
    if let Some(input) = stdin
        && let Some(mut pipe) = child.stdin.take()
    {
        pipe.write_all(input).expect("parvis reads its input");
    }
    let out = child.wait_with_output().expect("parvis ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The personal access token `parvis token create` printed.
pub fn token_in(output: &str) -> String {
    output
        .split_whitespace()
        .find(|w| w.starts_with("pvs_"))
        .expect("no token printed")
        .to_string()
}

/// Starts `parvis` (a command with its data directory, without a
/// subcommand) serving on a free port; returns the process and its address.
pub fn serve(mut parvis: Command) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = parvis
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .expect("parvis serve");
    (server, format!("https://127.0.0.1:{port}"))
}

/// A client for the server's self-signed certificate.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .pool_max_idle_per_host(16)
        .build()
        .expect("an HTTP client")
}

/// Waits until the server answers (a large index may take a while to open).
pub async fn until_up(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `p` quantile (0 to 1) of `v`.
pub fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// A duration in milliseconds, one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
