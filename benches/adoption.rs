//! Adoption figures, printed (not asserted), on a real SQLite file with
//! 5,000 people (1,000 staff, 4,000 of 200 client organizations) over 92
//! days — the most kept — on two portals and 200 spaces:
//! - the administrators' figures (what `/admin/adoption` reads): 30 and 90
//!   days, for the whole instance and narrowed to one organization or one
//!   portal, p50/p99 over 30 reads each;
//! - what noting costs a request (`Recorder::active`, a person already
//!   seen today; `searched`): nanoseconds per call;
//! - writing a busy day's notes at once (5,000 people, 10,000 space
//!   visits, counters): one flush.
//!
//! Run: `cargo bench --bench adoption`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::adoption::{Metric, Recorder, figures};
use parvis::app::AppState;
use parvis::config::Config;
use std::time::Instant;

const ORGS: i64 = 200;
const STAFF: i64 = 1_000;
const EXTERNALS: i64 = 4_000;
const SPACES: i64 = 200;
const DAYS: i64 = 92;
const READS: usize = 30;

mod support;
use support::{ms, pct};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis adoption benchmark — {}",
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
    let today = parvis::adoption::today(&state.time_zone);
    let first = parvis::adoption::days_before(&today, DAYS - 1);
    let started = Instant::now();
    // Organization 1 is the host; people 1..=1000 its staff, then 20 per
    // client. Staff come 7 days in 10, externals 2 in 10 (a fixed spread,
    // not random: the same figures every run), each in two spaces a day.
    state
        .db
        .write(move |tx| {
            tx.execute_batch(&format!(
                "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
                   VALUES (1, 'host', 'Host', 'host', 0, 0);
                 WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < {ORGS} + 1)
                 INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
                   SELECT i, 'client-' || i, 'Client ' || i, 'client', 0, 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {STAFF} + {EXTERNALS})
                 INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
                   SELECT i, CASE WHEN i <= {STAFF} THEN 1 ELSE 2 + (i - {STAFF} - 1) / 20 END,
                          'p' || i || '@example.org', 'Person ' || i, 0, 0 FROM n;
                 INSERT OR IGNORE INTO portals (id, slug, name, is_default, created_at, updated_at)
                   VALUES (1, 'main', 'Intranet', 1, 0, 0);
                 INSERT INTO portals (id, slug, name, is_default, created_at, updated_at)
                   VALUES (900, 'partners', 'Partners', 0, 0, 0);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SPACES})
                 INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
                   SELECT i, 'space-' || i, 'Space ' || i, 'members', 0, 0 FROM n;
                 CREATE TEMP TABLE days AS
                   WITH RECURSIVE d(k, day) AS (SELECT 0, '{first}'
                     UNION ALL SELECT k + 1, date(day, '+1 day') FROM d WHERE k < {DAYS} - 1)
                   SELECT k, day FROM d;
                 CREATE TEMP TABLE came AS
                   SELECT d.k, d.day, p.id AS person, p.org_id AS org
                     FROM days d, people p
                    WHERE (p.id * 7919 + d.k * 104729) % 10 < CASE WHEN p.org_id = 1 THEN 7 ELSE 2 END;
                 INSERT INTO adoption_presence (day, portal_id, person_id, org_id)
                   SELECT day, CASE WHEN org = 1 THEN (SELECT id FROM portals WHERE is_default = 1) ELSE 900 END,
                          person, org FROM came;
                 INSERT OR IGNORE INTO adoption_space_presence (day, space_id, person_id)
                   SELECT day, 1 + (person * 31 + k) % {SPACES}, person FROM came
                   UNION ALL SELECT day, 1 + (person * 17 + k * 3) % {SPACES}, person FROM came;
                 INSERT INTO adoption_counts (day, metric, org_id, space_id, n, bytes)
                   SELECT day, 'download', org, 1 + (person * 31 + k) % {SPACES}, 1 + person % 4, 400000 FROM came
                   WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n, bytes = bytes + excluded.bytes;
                 INSERT INTO adoption_counts (day, metric, org_id, space_id, n, bytes)
                   SELECT day, 'upload', org, 1 + (person * 17 + k * 3) % {SPACES}, 1, 1300000 FROM came
                    WHERE person % 5 = 0
                   ON CONFLICT DO UPDATE SET n = n + excluded.n, bytes = bytes + excluded.bytes;
                 INSERT INTO adoption_counts (day, metric, org_id, space_id, n, bytes)
                   SELECT day, 'search', org, 0, count(*) * 2, 0 FROM came GROUP BY day, org;
                 INSERT INTO adoption_counts (day, metric, org_id, space_id, n, bytes)
                   SELECT day, 'search_miss', org, 0, count(*) / 3 + 1, 0 FROM came GROUP BY day, org;
                 INSERT INTO adoption_misses (day, portal_id, query, n)
                   SELECT d.day, 900, 'missed query ' || q.k, 1 + (q.k * 13 + d.k) % 7
                     FROM days d, days q WHERE q.k < 60;"
            ))?;
            Ok::<_, parvis::service::Error>(())
        })
        .await
        .unwrap();
    let rows = |sql: &'static str| {
        let db = state.db.clone();
        async move {
            db.read(move |c| {
                c.query_row(sql, [], |r| r.get::<_, i64>(0))
                    .map_err(parvis::db::DbError::from)
            })
            .await
            .unwrap()
        }
    };
    println!(
        "setup: {} presence rows, {} space rows, {} counter rows in {:.1} s",
        rows("SELECT count(*) FROM adoption_presence").await,
        rows("SELECT count(*) FROM adoption_space_presence").await,
        rows("SELECT count(*) FROM adoption_counts").await,
        started.elapsed().as_secs_f64()
    );

    let default_portal = rows("SELECT id FROM portals WHERE is_default = 1").await;
    for (label, days, narrow) in [
        ("whole instance, 30 days", 30, figures::Narrow::default()),
        ("whole instance, 90 days", 90, figures::Narrow::default()),
        (
            "one organization, 30 days",
            30,
            figures::Narrow {
                org: Some(57),
                ..Default::default()
            },
        ),
        (
            "one portal (staff), 30 days",
            30,
            figures::Narrow {
                portal: Some(default_portal),
                ..Default::default()
            },
        ),
    ] {
        let mut times = Vec::with_capacity(READS);
        let mut active = 0;
        for _ in 0..READS {
            let today = today.clone();
            let t = Instant::now();
            let f = state
                .db
                .read(move |c| figures::read(c, &today, days, &narrow))
                .await
                .unwrap();
            times.push(t.elapsed());
            active = f.totals.active;
        }
        println!(
            "figures, {label}: p50 {}, p99 {} ({active} people active)",
            ms(pct(times.clone(), 0.5)),
            ms(pct(times, 0.99)),
        );
    }

    // Noting: a person seen already today costs a lock and a set lookup.
    let recorder = Recorder::new(state.time_zone.clone());
    let calls = 1_000_000;
    let t = Instant::now();
    for i in 0..calls {
        let person = 1 + i % (STAFF + EXTERNALS);
        recorder.active(person, 1, default_portal);
    }
    let per_active = t.elapsed().as_nanos() as f64 / calls as f64;
    let t = Instant::now();
    for i in 0..100_000 {
        recorder.searched(1 + i % ORGS, default_portal, "q", i % 3 != 0);
    }
    let per_search = t.elapsed().as_nanos() as f64 / 100_000.0;
    println!("noting: active {per_active:.0} ns per request, a search {per_search:.0} ns");

    // A busy day's notes, written at once (the loop writes every 10 s).
    for person in 1..=(STAFF + EXTERNALS) {
        for k in 0..2 {
            let space = 1 + (person * 13 + k * 7) % SPACES;
            recorder.transfer(Metric::Download, person, 1, space, 1_000);
        }
    }
    let t = Instant::now();
    let written = recorder.flush(&state.db).await.unwrap();
    println!(
        "flush of a busy day's notes: {written} rows in {}",
        ms(t.elapsed())
    );
}
