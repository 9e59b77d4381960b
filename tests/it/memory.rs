//! The `[runtime]` and `storage.sqlite_cache_kib` settings are honoured: an
//! idle server gives memory back once per quiet period, and only when idle.

use crate::helpers::TestApp;
use std::time::Duration;

#[tokio::test]
async fn an_idle_server_gives_memory_back_once_per_quiet_period() {
    let app = TestApp::spawn_with(|c| {
        c.runtime.release_memory_after = Duration::from_millis(400);
    })
    .await;
    let client = app.client();
    let ok = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let before = app.state.activity.releases();
    // Requests closer together than the delay keep the caches.
    for _ in 0..6 {
        client.get(app.url("/healthz")).send().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.state.activity.releases(), before);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        app.state.activity.releases(),
        before + 1,
        "once, not at every tick"
    );
    client.get(app.url("/healthz")).send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(app.state.activity.releases(), before + 2);
    app.stop().await;
}

#[tokio::test]
async fn zero_never_releases() {
    let app = TestApp::spawn_with(|c| {
        c.runtime.release_memory_after = Duration::ZERO;
    })
    .await;
    app.client().get(app.url("/healthz")).send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.state.activity.releases(), 0);
    app.stop().await;
}

#[tokio::test]
async fn sqlite_cache_size_is_the_configured_one_and_survives_a_release() {
    let app = TestApp::spawn_with(|c| {
        c.storage.sqlite_cache_kib = 1234;
    })
    .await;
    let size = || async {
        app.state
            .db
            .read(|c| {
                c.query_row("PRAGMA cache_size", [], |r| r.get::<_, i64>(0))
                    .map_err(parvis::db::DbError::from)
            })
            .await
            .unwrap()
    };
    assert_eq!(size().await, -1234);
    parvis::server::idle::release(&app.state).await;
    assert_eq!(size().await, -1234);
    app.stop().await;
}
