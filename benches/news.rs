//! News budgets, printed (not asserted), against the library on a real
//! SQLite file:
//! - the feed of a person in 50 spaces, with 100,000 posts in the instance
//!   (space posts across 500 spaces, and instance-wide ones to audiences),
//!   first page and a later one, p50/p99 over 300 reads (budget p99 ≤ 50 ms);
//! - the acknowledgement report of an announcement to 50,000 people, 20,000
//!   of whom acknowledged (budget ≤ 500 ms);
//! - the home page's feed with 100,000 topics besides the posts: the news
//!   card and the latest discussions of the same person (budget p99 ≤ 50 ms).
//!
//! Run: `cargo bench --bench news`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::access::{Actor, Principal};
use parvis::app::AppState;
use parvis::config::Config;
use parvis::domain::OrgKind;
use parvis::news::feed::{Scope, feed};
use std::time::Instant;

const SPACES: i64 = 500;
const MY_SPACES: i64 = 50;
const POSTS: i64 = 100_000;
const PEOPLE: i64 = 50_000;
const ACKED: i64 = 20_000;
const TOPICS: i64 = 100_000;

mod support;
use support::{ms, pct};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis news benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    rt.block_on(run());
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
    let announcement = state
        .db
        .write(|tx| {
            let now = parvis::util::now_ms();
            tx.execute_batch(&format!(
                "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
                   VALUES (1, 'host', 'Host', 'host', 0, 0), (2, 'client', 'Client', 'client', 0, 0);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PEOPLE})
                 INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
                   SELECT i, CASE WHEN i % 5 = 0 THEN 2 ELSE 1 END, 'p' || i || '@x.example', 'Person ' || i, 0, 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SPACES})
                 INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
                   SELECT i, 's' || i, 'Space ' || i, 'members', 0, 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MY_SPACES})
                 INSERT INTO space_members (space_id, person_id, role, added_at)
                   SELECT i * {step}, 1, 'reader', 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {POSTS})
                 INSERT INTO news (id, space_id, author_id, title, body, publish_at, announced,
                                   requires_ack, created_at, updated_at)
                   SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE 1 + i % {SPACES} END, 2,
                          'Post ' || i, 'Some news text, number ' || i || '.',
                          {now} - i * 300000, 1, (i % 97 = 0), 0, 0 FROM n;
                 INSERT INTO news_targets (news_id, kind, ref, org_kind)
                   SELECT id, 'space', space_id, NULL FROM news WHERE space_id IS NOT NULL;
                 INSERT INTO news_targets (news_id, kind, ref, org_kind)
                   SELECT id, CASE WHEN id % 20 = 0 THEN 'internal' ELSE 'org_kind' END, NULL,
                          CASE WHEN id % 20 = 0 THEN NULL ELSE 'client' END
                   FROM news WHERE space_id IS NULL;
                 INSERT INTO news (id, space_id, author_id, title, body, publish_at, announced,
                                   requires_ack, created_at, updated_at)
                   VALUES ({POSTS} + 1, NULL, 2, 'Code of conduct', 'Read it.', {now}, 1, 1, 0, 0);
                 INSERT INTO news_targets (news_id, kind, ref, org_kind)
                   VALUES ({POSTS} + 1, 'internal', NULL, NULL), ({POSTS} + 1, 'org_kind', NULL, 'client');
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ACKED})
                 INSERT INTO news_acks (news_id, person_id, version, at)
                   SELECT {POSTS} + 1, i * 2, 1, {now} FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SPACES})
                 INSERT INTO forums (id, space_id, name, mode, created_at, updated_at)
                   SELECT i, i, 'Forum', 'discussion', 0, 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {TOPICS})
                 INSERT INTO topics (id, forum_id, space_id, title, body, author_id, reply_count,
                                     created_at, last_activity_at)
                   SELECT i, 1 + i % {SPACES}, 1 + i % {SPACES}, 'Topic ' || i, 'A question, number ' || i || '.',
                          2, i % 7, {now} - i * 300000, {now} - i * 300000 FROM n;
                 ANALYZE;",
                step = SPACES / MY_SPACES,
            ))?;
            Ok::<_, parvis::service::Error>(POSTS + 1)
        })
        .await
        .unwrap();
    println!(
        "  data: {POSTS} posts in {SPACES} spaces and for audiences, {PEOPLE} people ({:.1} s to write)",
        started.elapsed().as_secs_f64()
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
    let mut first = Vec::new();
    let mut later = Vec::new();
    let mut before = None;
    for _ in 0..300 {
        let t = Instant::now();
        let f = feed(&state.db, &reader, Scope::default(), 20)
            .await
            .unwrap();
        first.push(t.elapsed());
        assert_eq!(f.posts.len(), 20);
        let last = f.posts.last().unwrap();
        before = before.or(Some((last.publish_at.unwrap(), last.id)));
        let t = Instant::now();
        let scope = Scope {
            before: Some((last.publish_at.unwrap() - 30 * 86_400_000, i64::MAX)),
            ..Scope::default()
        };
        feed(&state.db, &reader, scope, 20).await.unwrap();
        later.push(t.elapsed());
    }
    println!(
        "  feed, person in {MY_SPACES} spaces: first page p50 {} p99 {}; a page a month back p50 {} p99 {} (budget p99 ≤ 50 ms)",
        ms(pct(first.clone(), 0.5)),
        ms(pct(first, 0.99)),
        ms(pct(later.clone(), 0.5)),
        ms(pct(later, 0.99)),
    );
    // The home page: its news card (5 posts) and its latest discussions (5
    // topics of the person's spaces), as `home::web::page` reads them.
    let mut home = Vec::new();
    let mut topics = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        let f = feed(&state.db, &reader, Scope::default(), 5).await.unwrap();
        let u = Instant::now();
        let latest = parvis::discussions::service::latest(&state.db, &reader, 5)
            .await
            .unwrap();
        topics.push(u.elapsed());
        home.push(t.elapsed());
        assert_eq!((f.posts.len(), latest.len()), (5, 5));
    }
    println!(
        "  home feed, person in {MY_SPACES} spaces, {POSTS} posts and {TOPICS} topics: news and discussions p50 {} p99 {}; of which the latest topics p50 {} p99 {} (budget p99 ≤ 50 ms)",
        ms(pct(home.clone(), 0.5)),
        ms(pct(home, 0.99)),
        ms(pct(topics.clone(), 0.5)),
        ms(pct(topics, 0.99)),
    );
    let writer = Actor::cli();
    let mut runs = Vec::new();
    let mut people = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let r = parvis::news::report::report(&state.db, &writer, announcement)
            .await
            .unwrap();
        runs.push(t.elapsed());
        people = r.people;
        assert_eq!(r.acknowledged, ACKED);
    }
    let t = Instant::now();
    let r = parvis::news::report::report(&state.db, &writer, announcement)
        .await
        .unwrap();
    let csv = parvis::news::report::csv(&r);
    let with_csv = t.elapsed();
    println!(
        "  acknowledgement report, {people} people ({ACKED} acknowledged): p50 {} max {}; with its CSV ({} KiB) {} (budget ≤ 500 ms)",
        ms(pct(runs.clone(), 0.5)),
        ms(pct(runs, 1.0)),
        csv.len() / 1024,
        ms(with_csv),
    );
}
