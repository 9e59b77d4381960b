//! `GET /events`: the stream itself. Signed-in pages open it with their
//! session; API clients with a Bearer token.

use super::{Change, Out, Refused, Since};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::ApiCaller;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use std::convert::Infallible;

/// How long a client waits before reconnecting after the stream ends.
const RETRY: std::time::Duration = std::time::Duration::from_secs(3);

/// A change as one stream is told it: `mine` when its own person made it
/// (a page need not announce what its reader just did).
#[derive(serde::Serialize)]
struct Told<'a> {
    #[serde(flatten)]
    change: &'a Change,
    mine: bool,
}

fn change_event(c: &Change, me: i64) -> Event {
    let told = Told {
        change: c,
        mine: c.actor == Some(me),
    };
    Event::default()
        .event("change")
        .id(c.id.to_string())
        .json_data(told)
        .unwrap_or_else(|_| reload_event())
}

fn reload_event() -> Event {
    Event::default().event("reload").data("{}")
}

/// The bell's count: `{"unread": n}`.
fn unread_event(name: &str, n: i64) -> Event {
    Event::default()
        .event(name)
        .data(serde_json::json!({ "unread": n }).to_string())
}

pub async fn events(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let credential = caller.credential;
    let now = crate::util::now_ms();
    let idle_ms = state.config.session.idle_timeout.as_millis() as i64;
    let until = state
        .db
        .read(move |c| Ok::<_, crate::service::Error>(credential.valid_until(c, now, idle_ms)?))
        .await?
        .ok_or_else(|| HttpError::new(StatusCode::UNAUTHORIZED, "unauthorized"))?;
    // A client says where it was; anything but a number is no position.
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let principal = caller.principal;
    let me = principal.person_id;
    // Registered before reading the log: nothing committed in between is missed.
    let (subscription, rx) =
        state
            .live
            .open(principal, credential, until)
            .map_err(|r| match r {
                Refused::PersonFull => {
                    HttpError::new(StatusCode::TOO_MANY_REQUESTS, "live-too-many-streams")
                }
                Refused::Full => HttpError::new(StatusCode::SERVICE_UNAVAILABLE, "live-full"),
            })?;
    let (since, latest) = state.live.since(last);
    let mut first = vec![Event::default().retry(RETRY).comment("parvis")];
    match since {
        Since::Gap => first.push(reload_event()),
        Since::Changes(missed) if !missed.is_empty() => {
            let kinds = state.kinds;
            let visible = state
                .db
                .read(move |c| {
                    let mut out = Vec::new();
                    for change in missed {
                        let seen = crate::content::find(kinds, change.kind)
                            .map(|k| (k.seen.by)(c, &principal, change.item))
                            .transpose()?
                            .unwrap_or(false);
                        if seen {
                            out.push(change);
                        }
                    }
                    Ok::<_, crate::service::Error>(out)
                })
                .await?;
            first.extend(visible.iter().map(|c| change_event(c, me)));
        }
        Since::Changes(_) => {}
    }
    // Its position from now on, for a reconnection to start from, and the
    // bell's count to start with.
    let unread = crate::notifications::service::unread_count_of(&state.db, state.kinds, me).await?;
    first.push(unread_event("ready", unread).id(latest.to_string()));
    let rest = stream::unfold(
        (rx, subscription, latest),
        move |(mut rx, subscription, last)| async move {
            loop {
                match rx.recv().await? {
                    Out::Reload => return Some((reload_event(), (rx, subscription, last))),
                    Out::Unread(n) => {
                        return Some((unread_event("notifications", n), (rx, subscription, last)));
                    }
                    // Already sent from the log.
                    Out::Change(c) if c.id <= last => continue,
                    Out::Change(c) => {
                        let id = c.id;
                        return Some((change_event(&c, me), (rx, subscription, id)));
                    }
                }
            }
        },
    );
    let events = stream::iter(first).chain(rest).map(Ok::<_, Infallible>);
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(state.config.live.heartbeat))
        .into_response();
    // Proxies that buffer responses would hold the events back.
    res.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(res)
}
