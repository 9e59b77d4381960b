//! Oversized requests get an answer, never a dropped connection.
//!
//! A body announced larger than the limit is read and thrown away (up to a
//! bound) before the 413: a client still writing it would otherwise meet a
//! closed connection (TCP reset) and never read the answer. Headers too large
//! for any page get a 431 from `head`. What the HTTP layer refuses itself
//! (hyper: a URI over 64 KiB, a head over `MAX_HEAD_BYTES`) it answers with a
//! bare status line; on HTTP/1 connections `HeadGuard` puts the answer the
//! router renders in its place.

use crate::web::error::HttpError;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Most bytes of header names and values any route accepts.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Largest request head the HTTP/1 layer reads whole (so that it can answer
/// it); larger ones are cut off.
pub const MAX_HEAD_BYTES: usize = 256 * 1024;
/// An oversized body is read and dropped up to this size before the 413;
/// a larger one is refused at once (its client may then see a reset).
const DRAIN_MAX: u64 = 64 * 1024 * 1024;
/// …and for at most this long.
const DRAIN_TIME: Duration = Duration::from_secs(30);

/// Set by `HeadGuard` on the stand-in of a request the HTTP layer refused.
#[derive(Debug, Clone, Copy)]
pub struct HeadRefused(pub StatusCode);

/// Refuses headers too large for any route (431), and renders the refusals
/// `HeadGuard` passes on.
pub async fn head(req: Request, next: Next) -> Response {
    let refused = |status: StatusCode| {
        let code = if status == StatusCode::URI_TOO_LONG {
            "uri-too-long"
        } else {
            "too-large"
        };
        HttpError::new(status, code).into_response()
    };
    if let Some(HeadRefused(status)) = req.extensions().get::<HeadRefused>() {
        return refused(*status);
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    if headers > MAX_HEADER_BYTES {
        return refused(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    }
    next.run(req).await
}

/// Refuses a body announced larger than `limit` (413) after reading it.
pub async fn body(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let declared = crate::web::extract::declared_length(req.headers());
    let Some(declared) = declared.filter(|n| *n > limit as u64) else {
        return next.run(req).await;
    };
    // A client waiting for "100 Continue" has not sent the body: nothing to drain.
    let waits = req
        .headers()
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if declared <= DRAIN_MAX && !waits {
        let mut stream = req.into_body().into_data_stream();
        let drain = async { while let Some(Ok(_)) = stream.next().await {} };
        let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
    }
    HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large").into_response()
}

/// What a refused request head said about itself, enough to answer it in
/// the visitor's language and format.
#[derive(Default)]
struct Capture {
    /// The first bytes read since the last answer (method and path).
    start: Vec<u8>,
    /// The last bytes read (the headers, after a long request line).
    end: Vec<u8>,
    fresh: bool,
}

const START: usize = 4 * 1024;
const END: usize = 16 * 1024;

impl Capture {
    fn read(&mut self, data: &[u8]) {
        if self.fresh {
            self.start.clear();
            self.end.clear();
            self.fresh = false;
        }
        let room = START.saturating_sub(self.start.len());
        self.start.extend_from_slice(&data[..room.min(data.len())]);
        let tail = &data[data.len().saturating_sub(END)..];
        self.end.extend_from_slice(tail);
        if self.end.len() > END {
            let cut = self.end.len() - END;
            self.end.drain(..cut);
        }
    }

    /// A stand-in request: the method, the path without its query, and the
    /// headers that choose the portal, language and format.
    fn stand_in(&self, status: StatusCode, peer: SocketAddr) -> Request {
        let line = self.start.split(|b| *b == b'\n').next().unwrap_or(&[]);
        let mut words = line.split(|b| *b == b' ');
        let method = words.next().unwrap_or(b"GET");
        let target = words.next().unwrap_or(b"/");
        let path = target.split(|b| *b == b'?').next().unwrap_or(b"/");
        let path = std::str::from_utf8(path)
            .ok()
            .filter(|p| p.starts_with('/') && p.len() <= 2048)
            .unwrap_or("/");
        let mut b = Request::builder()
            .method(axum::http::Method::from_bytes(method).unwrap_or(axum::http::Method::GET))
            .uri(path);
        let text = String::from_utf8_lossy(&self.end);
        let head = text.split("\r\n\r\n").next().unwrap_or("");
        for l in head.split("\r\n").skip(1) {
            let Some((name, value)) = l.split_once(':') else {
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            if ["host", "accept", "accept-language", "cookie"].contains(&name.as_str())
                && let Ok(v) = HeaderValue::from_str(value.trim())
            {
                b = b.header(name, v);
            }
        }
        b.extension(ConnectInfo(peer))
            .extension(HeadRefused(status))
            .body(Body::empty())
            .unwrap_or_else(|_| {
                let mut r = Request::new(Body::empty());
                r.extensions_mut().insert(ConnectInfo(peer));
                r.extensions_mut().insert(HeadRefused(status));
                r
            })
    }
}

type Rendering = Pin<Box<dyn Future<Output = Vec<u8>> + Send>>;

enum Replace {
    None,
    Rendering(Rendering),
    Writing(Vec<u8>, usize),
}

/// An HTTP/1 connection whose bare "414" / "431" answers (hyper's own, for
/// heads it refuses before the router sees them) are replaced by the router's.
pub struct HeadGuard<T> {
    inner: T,
    app: Router,
    peer: SocketAddr,
    capture: Capture,
    replace: Replace,
}

impl<T> HeadGuard<T> {
    pub fn new(inner: T, app: Router, peer: SocketAddr) -> Self {
        HeadGuard {
            inner,
            app,
            peer,
            capture: Capture::default(),
            replace: Replace::None,
        }
    }
}

/// The status of hyper's own refusal of a head, if `buf` is one: a status
/// line our router never sends bare (it always names a content type).
fn hyper_refusal(buf: &[u8]) -> Option<StatusCode> {
    let status = if buf.starts_with(b"HTTP/1.1 414 ") || buf.starts_with(b"HTTP/1.0 414 ") {
        StatusCode::URI_TOO_LONG
    } else if buf.starts_with(b"HTTP/1.1 431 ") || buf.starts_with(b"HTTP/1.0 431 ") {
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    } else {
        return None;
    };
    let head = buf.split(|b| *b == b'\n').take(64);
    let typed = head
        .map(|l| l.to_ascii_lowercase())
        .any(|l| l.starts_with(b"content-type:"));
    (!typed).then_some(status)
}

async fn render(app: Router, req: Request) -> Vec<u8> {
    use tower::ServiceExt as _;
    let res = match app.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let (parts, body) = res.into_parts();
    let body = axum::body::to_bytes(body, 1024 * 1024)
        .await
        .unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        parts.status.as_u16(),
        parts.status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in &parts.headers {
        if [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::CONNECTION,
        ]
        .contains(name)
        {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&body);
    out
}

impl<T: AsyncRead + Unpin> AsyncRead for HeadGuard<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        this.capture.read(&buf.filled()[before..]);
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for HeadGuard<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        loop {
            match &mut this.replace {
                Replace::None => {
                    let Some(status) = hyper_refusal(buf) else {
                        // An answer starts: what is read next is another request.
                        this.capture.fresh = true;
                        return Pin::new(&mut this.inner).poll_write(cx, buf);
                    };
                    let req = this.capture.stand_in(status, this.peer);
                    this.replace = Replace::Rendering(Box::pin(render(this.app.clone(), req)));
                }
                Replace::Rendering(fut) => {
                    let bytes = ready!(fut.as_mut().poll(cx));
                    this.replace = Replace::Writing(bytes, 0);
                }
                Replace::Writing(bytes, at) => {
                    while *at < bytes.len() {
                        let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &bytes[*at..]))?;
                        if n == 0 {
                            return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                        }
                        *at += n;
                    }
                    // Ours is written in place of hyper's; later writes pass.
                    this.replace = Replace::None;
                    this.capture.fresh = true;
                    return Poll::Ready(Ok(buf.len()));
                }
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hyper_bare_refusals_are_replaced() {
        assert_eq!(
            hyper_refusal(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n"),
            Some(StatusCode::URI_TOO_LONG)
        );
        assert_eq!(
            hyper_refusal(b"HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n"),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        assert_eq!(
            hyper_refusal(b"HTTP/1.1 414 URI Too Long\r\ncontent-type: text/html\r\n\r\n"),
            None
        );
        assert_eq!(hyper_refusal(b"HTTP/1.1 200 OK\r\n\r\n"), None);
    }

    #[test]
    fn a_stand_in_keeps_the_path_and_the_headers_that_matter() {
        let mut c = Capture::default();
        let q = "a".repeat(100 * 1024);
        c.read(format!("GET /api/v1/search?q={q} HTTP/1.1\r\n").as_bytes());
        c.read(b"Host: localhost\r\nAccept-Language: fr\r\nX-Other: 1\r\n\r\n");
        let req = c.stand_in(StatusCode::URI_TOO_LONG, "127.0.0.1:1".parse().unwrap());
        assert_eq!(req.uri().path(), "/api/v1/search");
        assert_eq!(req.headers()["accept-language"], "fr");
        assert_eq!(req.headers()["host"], "localhost");
        assert!(!req.headers().contains_key("x-other"));
        assert!(req.extensions().get::<HeadRefused>().is_some());
    }
}
