//! Requests budgets, printed (not asserted), on a real SQLite file with
//! 100,000 requests over 200 client organizations, 50 spaces and 20 types:
//! - an external person's list, first page with filters (open, of a type),
//!   p50/p99 over 200 reads; an agent's list of late requests;
//! - an organization's dashboard, p50/p99 over 50 reads (and an agent's,
//!   for one organization and across all);
//! - filing through the service with 16 concurrent clients, each request
//!   committed (durable) before the next: requests per second;
//! - the upsert of 10,000 orders by their ERP id, one after the other as an
//!   ERP sends them, then the same 10,000 again (nothing changes).
//!
//! The filing and upsert figures are the service's, without HTTP and TLS.
//!
//! Run: `cargo bench --bench requests`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::access::{Actor, Principal};
use parvis::app::AppState;
use parvis::config::Config;
use parvis::domain::OrgKind;
use parvis::requests::dashboard;
use parvis::requests::filing::{self, Upsert};
use parvis::requests::list::{self, Filter};
use parvis::requests::service::NewRequest;
use parvis::requests::type_service::{self, NewTypeBody};
use parvis::requests::types::example;
use std::time::Instant;

const ORGS: i64 = 200;
const SPACES: i64 = 50;
const TYPES: i64 = 20;
const REQUESTS: i64 = 100_000;
const UPSERTS: i64 = 10_000;
const CLIENTS: usize = 16;
const FILED_EACH: usize = 50;

mod support;
use support::{ms, pct};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Parvis requests benchmark — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    rt.block_on(run());
}

fn person(id: i64, org: i64, internal: bool) -> Actor {
    Actor::person(
        Principal {
            person_id: id,
            org_id: org,
            org_kind: if internal {
                OrgKind::Host
            } else {
                OrgKind::Client
            },
            internal,
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
    // Organization 1 is the host; 2..=201 are clients, five people each
    // (person 1000 + 5·org + k); person 1 is an internal agent of every space.
    state
        .db
        .write(|tx| {
            tx.execute_batch(&format!(
                "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
                   VALUES (1, 'host', 'Host', 'host', 0, 0);
                 WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < {ORGS} + 1)
                 INSERT INTO organizations (id, slug, name, kind, created_at, updated_at)
                   SELECT i, 'client-' || i, 'Client ' || i, 'client', 0, 0 FROM n;
                 INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
                   VALUES (1, 1, 'agent@host.example', 'Agent', 0, 0);
                 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {ORGS} * 5 - 1)
                 INSERT INTO people (id, org_id, email, display_name, created_at, updated_at)
                   SELECT 1010 + i, 2 + i / 5, 'p' || i || '@client.example', 'Client person ' || i, 0, 0 FROM n;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SPACES})
                 INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at)
                   SELECT i, 'space-' || i, 'Space ' || i, 'members', 0, 0 FROM n;
                 INSERT INTO space_members (space_id, person_id, role, added_at)
                   SELECT id, 1, 'contributor', 0 FROM spaces;
                 INSERT INTO space_members (space_id, org_id, role, added_at)
                   SELECT 1 + (id - 2) % {SPACES}, id, 'reader', 0 FROM organizations WHERE kind = 'client';"
            ))?;
            Ok::<_, parvis::service::Error>(())
        })
        .await
        .unwrap();
    for t in 0..TYPES {
        let mut d = example(
            &format!("T{t}"),
            &format!("Type {t}"),
            &format!("Type {t}"),
            "Europe/Paris",
        );
        d.visibility = parvis::requests::types::Visibility::Organization;
        type_service::create(
            &state.db,
            &Actor::system(),
            NewTypeBody {
                key: format!("type-{t}"),
                space: None,
                agent_group: None,
                definition: d,
            },
        )
        .await
        .unwrap();
    }
    // 100,000 requests: each of an organization, in its space, of one of
    // the types, a third closed, some late.
    let now = parvis::util::now_ms();
    state
        .db
        .write(move |tx| {
            tx.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {REQUESTS} - 1)
                 INSERT INTO requests (type_id, type_version, space_id, number, title, status, is_open,
                     priority, requester_id, org_id, fields, created_at, updated_at, closed_at,
                     respond_due_at, resolve_due_at, clock_since)
                   SELECT 1 + i % {TYPES}, 1, 1 + (i % {ORGS}) % {SPACES}, 'B-' || i,
                          'Request number ' || i,
                          CASE i % 3 WHEN 0 THEN 'resolved' WHEN 1 THEN 'new' ELSE 'in-progress' END,
                          i % 3 <> 0, 'normal', 1010 + (i % {ORGS}) * 5 + i % 5, 2 + i % {ORGS}, '{{}}',
                          {now} - i * 60000, {now} - i * 60000,
                          CASE WHEN i % 3 = 0 THEN {now} ELSE NULL END,
                          {now} - i * 60000 + 28800000,
                          CASE WHEN i % 3 = 0 THEN NULL ELSE {now} - i * 60000 + 144000000 END,
                          CASE WHEN i % 3 = 0 THEN NULL ELSE {now} - i * 60000 END
                   FROM n;
                 ANALYZE;"
            ))?;
            Ok::<_, parvis::service::Error>(())
        })
        .await
        .unwrap();
    println!(
        "  data: {REQUESTS} requests over {ORGS} organizations, {SPACES} spaces, {TYPES} types ({:.1} s to write)",
        started.elapsed().as_secs_f64()
    );

    // An external person of organization 2 (person 1010), and the agent.
    let client = person(1010, 2, false);
    let agent = person(1, 1, true);
    for (label, who, filter) in [
        (
            "an external person's open requests of one type",
            client,
            Filter {
                open: Some(true),
                type_key: Some("type-0".into()),
                ..Filter::default()
            },
        ),
        (
            "an external person's requests, no filter",
            client,
            Filter::default(),
        ),
        (
            "an agent's late requests in all 50 spaces",
            agent,
            Filter {
                breached: Some(true),
                ..Filter::default()
            },
        ),
        (
            "an agent's open requests of one organization",
            agent,
            Filter {
                open: Some(true),
                organization: Some(7),
                ..Filter::default()
            },
        ),
    ] {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..200 {
            let t = Instant::now();
            let page = list::list(&state.db, &who, filter.clone()).await.unwrap();
            times.push(t.elapsed());
            n = page.items.len();
        }
        println!(
            "  {label}: first page of {n}, p50 {}, p99 {} (200 reads)",
            ms(pct(times.clone(), 0.5)),
            ms(pct(times, 0.99))
        );
    }

    // Dashboards: an organization's own (its external person), and an
    // agent's for one organization and across all.
    for (label, who, org) in [
        (
            "an external person's dashboard (their organization)",
            client,
            None,
        ),
        ("an agent's dashboard of one organization", agent, Some(7)),
        (
            "an agent's dashboard across every organization",
            agent,
            None,
        ),
    ] {
        let mut times = Vec::new();
        let mut open = 0;
        for _ in 0..50 {
            let t = Instant::now();
            let d = dashboard::dashboard(&state.db, &who, org).await.unwrap();
            times.push(t.elapsed());
            open = d.by_type.iter().map(|t| t.open).sum::<i64>();
        }
        println!(
            "  {label}: {open} open, p50 {}, p99 {} (50 reads)",
            ms(pct(times.clone(), 0.5)),
            ms(pct(times, 0.99))
        );
    }

    // Filing: 16 clients, each filing one request after another.
    let t = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS as i64 {
        let state = state.clone();
        tasks.push(tokio::spawn(async move {
            let org = 2 + c;
            let who = person(1010 + (org - 2) * 5, org, false);
            let space = 1 + (org - 2) % SPACES;
            for k in 0..FILED_EACH {
                let new = NewRequest {
                    type_key: "type-3".into(),
                    title: format!("Filed by client {c}, number {k}"),
                    fields: Default::default(),
                    priority: None,
                    on_behalf_of: None,
                };
                filing::file(&state.db, &who, space, new).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let filed = (CLIENTS * FILED_EACH) as f64;
    println!(
        "  filing with {CLIENTS} concurrent clients: {filed} requests in {:.2} s, {:.0} per second",
        t.elapsed().as_secs_f64(),
        filed / t.elapsed().as_secs_f64()
    );

    // Upserts by ERP id: 10,000 new orders, then the same again.
    for pass in ["new", "the same again"] {
        let t = Instant::now();
        for i in 0..UPSERTS {
            let org = 2 + i % ORGS;
            let body = Upsert {
                space: 1 + (org - 2) % SPACES,
                title: format!("Order {i}"),
                fields: Default::default(),
                status: Some(if i % 2 == 0 { "new" } else { "in-progress" }.into()),
                priority: None,
                requester: Some(1010 + (org - 2) * 5),
            };
            filing::upsert(&state.db, &agent, "type-5", &format!("ERP-{i}"), body)
                .await
                .unwrap();
        }
        println!(
            "  upsert of {UPSERTS} orders by ERP id ({pass}): {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
}
