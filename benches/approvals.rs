//! Approval budgets, printed (not asserted), on a real SQLite file: 10,000
//! flows in progress across 1,000 spaces (ten documents each, one flow per
//! document, each step waiting for three people):
//! - "waiting for me" (`approvals::service::waiting`) for a person awaited
//!   by 1,000 flows across 100 spaces (the list gives the 200 longest
//!   waiting), p50/p99 over 200 reads (budget 50 ms);
//! - a library folder of 10,000 files, some of them under review, first page,
//!   p50/p99 over 100 reads (budget 50 ms; states are not shown in the
//!   library yet, so this is the listing as it stands);
//! - checking a signed record against the instance (signature, key, audit
//!   chain, the document's bytes), p50/p99 over 500 checks (budget 10 ms).
//!
//! Run: `cargo bench --bench approvals`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::access::{Actor, Principal};
use parvis::app::AppState;
use parvis::approvals::flows::Decision;
use parvis::approvals::service;
use parvis::config::Config;
use parvis::documents::ReviewState;
use parvis::domain::OrgKind;
use std::time::Instant;

const SPACES: i64 = 1_000;
const DOCS_PER_SPACE: i64 = 10;
const PEOPLE: i64 = 3_000;
/// The person the "waiting for me" list is read for, awaited in every tenth space.
const ME: i64 = 7;
const BIG_SPACE: i64 = SPACES + 1;
const BIG_FOLDER: i64 = 10_000;

mod support;
use support::{ms, pct};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis approvals benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    rt.block_on(run());
}

fn person(id: i64) -> Actor {
    Actor::person(
        Principal {
            person_id: id,
            org_id: 1,
            org_kind: OrgKind::Host,
            internal: true,
            admin: false,
        },
        None,
    )
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
    // People 1..=3000 of the host; each space has three members who are
    // its flows' approvers (person ME in every tenth space); one template
    // per space; every document under review at its first step.
    state
        .db
        .write(|tx| {
            tx.execute_batch(&format!(
                "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
                   VALUES (1, 'host', 'Host', 'host', 0, 0);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PEOPLE})
                 INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
                   SELECT i, 1, 'p' || i || '@host.example', 'Person ' || i, 0, 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SPACES} + 1)
                 INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
                   SELECT i, 'space-' || i, 'Space ' || i, 'members', 0, 0 FROM n;
                 CREATE TEMP TABLE approvers AS
                   SELECT s.id AS space, CASE WHEN k = 0 AND s.id % 10 = 0 THEN {ME}
                                              ELSE 10 + (s.id * 3 + k) % ({PEOPLE} - 10) END AS person
                     FROM spaces s, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2)
                    WHERE s.id <= {SPACES};
                 INSERT OR IGNORE INTO space_members (space_id, person_id, role, added_at)
                   SELECT space, person, 'manager', 0 FROM approvers;
                 INSERT INTO approval_templates (id, space_id, name, version, created_at, updated_at)
                   SELECT id, id, 'Review', 1, 0, 0 FROM spaces WHERE id <= {SPACES};
                 INSERT INTO approval_template_versions (template_id, version, definition, created_at)
                   SELECT id, 1, '{{\"steps\":[{{\"name\":\"Managers\",\"approvers\":[{{\"type\":\"role\",\"role\":\"manager\"}}],\"deadline_days\":5}}],\"forbid_self_approval\":true}}', 0
                     FROM approval_templates;
                 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {SPACES} * {DOCS_PER_SPACE} - 1)
                 INSERT INTO documents (id, space_id, name, current_version, size, blob_hash, created_at, updated_at)
                   SELECT 1 + i, 1 + i / {DOCS_PER_SPACE}, 'Deliverable ' || i || '.pdf', 1, 1000,
                          printf('%064x', i), 0, 0 FROM n;
                 INSERT INTO document_versions (document_id, number, blob_hash, size, content_type, original_name, created_at)
                   SELECT id, 1, blob_hash, size, 'application/pdf', name, 0 FROM documents;
                 INSERT INTO approval_flows (id, template_id, template_version, space_id, document_id,
                     version_number, content_blake3, state, step, round, started_at, step_started_at)
                   SELECT id, space_id, 1, space_id, id, 1, blob_hash, 'running', 0, 1, id, id FROM documents;
                 INSERT INTO approval_waiting (person_id, flow_id, since)
                   SELECT a.person, f.id, f.started_at FROM approval_flows f
                     JOIN approvers a ON a.space = f.space_id;
                 -- A big library: 10,000 files in one folder of one space.
                 INSERT INTO space_members (space_id, person_id, role, added_at)
                   VALUES ({BIG_SPACE}, {ME}, 'manager', 0);
                 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {BIG_FOLDER} - 1)
                 INSERT INTO documents (space_id, name, current_version, size, blob_hash, created_at, updated_at)
                   SELECT {BIG_SPACE}, printf('File %05d.pdf', i), 1, 1000, printf('%064x', 100000 + i), 0, 0 FROM n;
                 -- Their states: a third in review, a fifth approved, one in a hundred rejected.
                 UPDATE documents SET review_version = 1, review_state = CASE
                     WHEN id % 100 = 0 THEN 'rejected' WHEN id % 5 = 0 THEN 'approved'
                     WHEN id % 3 = 0 THEN 'review' END
                   WHERE space_id = {BIG_SPACE};"
            ))?;
            Ok::<_, parvis::service::Error>(())
        })
        .await
        .unwrap();
    println!(
        "setup: {} flows in progress across {SPACES} spaces, a folder of {BIG_FOLDER} files, in {:.1} s",
        SPACES * DOCS_PER_SPACE,
        started.elapsed().as_secs_f64()
    );

    let me = person(ME);
    let mut times = Vec::new();
    let mut listed = 0;
    for _ in 0..200 {
        let t = Instant::now();
        listed = service::waiting(&state.db, &me).await.unwrap().len();
        times.push(t.elapsed());
    }
    println!(
        "waiting for me: {listed} flows, p50 {}, p99 {} (200 reads)",
        ms(pct(times.clone(), 0.5)),
        ms(pct(times, 0.99))
    );

    let app = state.clone();
    for (state, what) in [
        (None, "any state"),
        (Some(ReviewState::Approved), "approved (a fifth)"),
        (Some(ReviewState::Rejected), "rejected (one in a hundred)"),
    ] {
        let mut times = Vec::new();
        let mut shown = 0;
        for _ in 0..100 {
            let t = Instant::now();
            let lib =
                parvis::documents::service::library(&app.db, &me, BIG_SPACE, None, None, state, 50)
                    .await
                    .unwrap();
            times.push(t.elapsed());
            shown = lib.documents.len();
            assert!(
                lib.documents
                    .iter()
                    .all(|d| state.is_none_or(|s| d.review == s))
            );
        }
        assert_eq!(shown, 50);
        println!(
            "a folder of {BIG_FOLDER} files with their states, first page of 50, {what}: p50 {}, p99 {} (100 reads)",
            ms(pct(times.clone(), 0.5)),
            ms(pct(times, 0.99))
        );
    }

    // The deadlines loop's look over every running flow with a deadline,
    // with nothing owed yet: what it costs every 30 s, outside the writer.
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let told = parvis::approvals::deadlines::step(&app.db, 0, &tz)
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(told, 0);
    }
    println!(
        "deadlines: a look over {} running flows with a deadline, nothing owed: p50 {}, p99 {} (20 looks)",
        SPACES * DOCS_PER_SPACE,
        ms(pct(times.clone(), 0.5)),
        ms(pct(times, 0.99))
    );

    // One flow decided for real, through the services: its signed record.
    let content = b"The deliverable, as approved".to_vec();
    let hash = blake3::hash(&content).to_hex().to_string();
    let doc = state
        .db
        .write(move |tx| {
            tx.execute(
                "INSERT INTO documents (space_id, name, current_version, size, blob_hash, created_at, updated_at)
                 VALUES (1, 'Signed.pdf', 1, 28, ?1, 0, 0)",
                [&hash],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO document_versions (document_id, number, blob_hash, size, content_type, original_name, created_at)
                 VALUES (?1, 1, ?2, 28, 'application/pdf', 'Signed.pdf', 0)",
                rusqlite::params![id, hash],
            )?;
            Ok::<_, parvis::service::Error>(id)
        })
        .await
        .unwrap();
    let approvers: Vec<i64> = state
        .db
        .read(|c| {
            let mut st = c.prepare("SELECT person_id FROM space_members WHERE space_id = 1")?;
            let ids = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok::<_, parvis::service::Error>(ids)
        })
        .await
        .unwrap();
    let flow = service::start(&state.db, &person(approvers[0]), doc, 1)
        .await
        .unwrap();
    service::decide(
        &state.db,
        &person(approvers[1]),
        flow.id,
        Decision::Approve,
        "Fine.",
        &flow.blob_hash,
    )
    .await
    .unwrap();
    let (_, _, record) = service::flow(&state.db, &person(approvers[0]), flow.id)
        .await
        .unwrap();
    let record = record.expect("a record").into_bytes();
    let mut times = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        // The file's bytes are hashed as they arrive, then compared.
        let hash = blake3::hash(&content).to_hex().to_string();
        let v = service::verify(&state.db, record.clone(), Some(hash))
            .await
            .unwrap();
        times.push(t.elapsed());
        assert!(v.holds());
    }
    println!(
        "checking a record (signature, key, audit chain, the file's bytes): p50 {}, p99 {} (500 checks)",
        ms(pct(times.clone(), 0.5)),
        ms(pct(times, 0.99))
    );
}
