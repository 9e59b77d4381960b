//! Comments budgets, printed (not asserted), against the library on a real
//! SQLite file with 100,000 files in one space and 50,000 comments on them:
//! - what the indexer asks when a whole space changes (its visibility, a
//!   member): the entries to rewrite, with and without the lookup of the
//!   comments attached to each file (the cost comments added); and when
//!   one file changes;
//! - the entries `parvis check` and `reindex` expect;
//! - one file's thread of 100 comments with their reactions, as its page
//!   reads it, p50/p99 over 200 reads.
//!
//! Run: `cargo bench --bench comments`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::access::{Actor, Principal};
use parvis::app::AppState;
use parvis::comments::model::On;
use parvis::config::Config;
use parvis::content::{ContentKind, KINDS};
use parvis::domain::OrgKind;
use parvis::search::sources::{Change, all_keys, expand};
use std::time::{Duration, Instant};

const FILES: i64 = 100_000;
const COMMENTS: i64 = 50_000;
const THREAD: i64 = 100;

mod support;
use support::{ms, pct};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis comments benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    rt.block_on(run());
}

/// The median of `runs` timings of `f`, with what it returned.
async fn timed<T, F, Fut>(runs: usize, mut f: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f().await);
        times.push(t.elapsed());
    }
    (pct(times, 0.5), last.unwrap())
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    config.log.level = "warn".into();
    let state = AppState::open(config).await.unwrap();
    let started = Instant::now();
    state
        .db
        .write(|tx| {
            let now = parvis::util::now_ms();
            tx.execute_batch(&format!(
                "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
                   VALUES (1, 'host', 'Host', 'host', 0, 0);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
                 INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
                   SELECT i, 1, 'p' || i || '@x.example', 'Person ' || i, 0, 0 FROM n;
                 INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
                   VALUES (1, 'big', 'Big', 'members', 0, 0);
                 INSERT INTO space_members (space_id, person_id, role, added_at) VALUES (1, 1, 'reader', 0);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {FILES})
                 INSERT INTO documents (id, space_id, name, created_by, created_at, updated_at)
                   SELECT i, 1, 'file ' || i || '.txt', 2, 0, 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {COMMENTS} - {THREAD})
                 INSERT INTO comments (target_type, target_id, body, author_id, created_at)
                   SELECT 'document', 1 + (i * 7) % {FILES}, 'A remark, number ' || i, 1 + i % 100, {now} FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {THREAD})
                 INSERT INTO comments (target_type, target_id, body, author_id, created_at)
                   SELECT 'document', 0 + {FILES}, 'On the last file, number ' || i, 1 + i % 100, {now} FROM n;
                 INSERT INTO reactions (target_type, target_id, person_id, reaction, created_at)
                   SELECT 'comment', c.id, p.id, 'like', {now} FROM comments c JOIN people p ON p.id <= 5
                   WHERE c.target_id = {FILES};
                 ANALYZE;"
            ))?;
            Ok::<_, parvis::service::Error>(())
        })
        .await
        .unwrap();
    println!(
        "  data: {FILES} files in one space, {COMMENTS} comments on them ({:.1} s to write)",
        started.elapsed().as_secs_f64()
    );

    let without: &'static [&'static ContentKind] = Box::leak(
        KINDS
            .iter()
            .copied()
            .filter(|k| k.name != "comment")
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    for (label, kinds) in [("without comments", without), ("with comments", KINDS)] {
        let (t, n) = timed(5, || {
            state.db.read(move |c| {
                Ok::<_, parvis::service::Error>(expand(c, kinds, &Change::SpaceContent(1))?.len())
            })
        })
        .await;
        println!(
            "  a whole space changes, {label}: {} entries to rewrite, found in {} (median of 5)",
            n.unwrap(),
            ms(t)
        );
    }
    let (t, n) = timed(50, || {
        state.db.read(move |c| {
            Ok::<_, parvis::service::Error>(expand(c, KINDS, &Change::Document(FILES))?.len())
        })
    })
    .await;
    println!(
        "  one file changes: {} entries (the file and its comments) in {} (median of 50)",
        n.unwrap(),
        ms(t)
    );
    let (t, n) = timed(5, || {
        state
            .db
            .read(|c| Ok::<_, parvis::service::Error>(all_keys(c, KINDS)?.len()))
    })
    .await;
    println!(
        "  entries the index should hold: {} in {} (median of 5)",
        n.unwrap(),
        ms(t)
    );

    let reader = Actor::person(
        Principal {
            person_id: 1,
            org_id: 1,
            org_kind: OrgKind::Host,
            internal: true,
            admin: false,
        },
        None,
    );
    let mut times = Vec::new();
    for _ in 0..200 {
        let on = On {
            kind: "document".into(),
            id: FILES,
        };
        let t = Instant::now();
        let thread = parvis::comments::service::thread(&state.db, state.kinds, &reader, on, 0)
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(thread.comments.len(), THREAD as usize);
    }
    println!(
        "  a file's thread of {THREAD} comments with their reactions: p50 {}, p99 {}",
        ms(pct(times.clone(), 0.5)),
        ms(pct(times, 0.99))
    );
}
