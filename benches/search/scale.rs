//! Scale: a synthetic corpus (`PARVIS_BENCH_DOCS`, default 1,000,000
//! documents over 2,000 spaces; titles of 6 words and bodies of mixed
//! lengths — most of 150–250 words, one in ten of 1,000–3,000 and one in a
//! hundred of 5,000–10,000, like a share of extracted PDFs — drawn from the
//! word frequencies of the classic IR collections in `../shared/data/ir`, or
//! a Zipf vocabulary when they are absent) is indexed with Parvis's real
//! schema and analyzers, the way a rebuild does it; then a few hundred 1–3
//! word queries run for a person who may see 200 spaces, with the
//! permission filter on:
//! - inside the engine (the top 20, no facets) and with everything the
//!   results page needs (snippets, facet counts, total);
//! - and, in the same run, SQLite FTS5 (bm25, the space filter as a join);
//! - again while a second generation is built from the same corpus (the
//!   indexing work of `parvis reindex`);
//! - and over HTTP: a real server on that index, `/api/v1/search` and
//!   `/api/v1/search/suggest` with a personal access token, then 16
//!   searchers at once, with the server's resident memory.

use crate::{Instance, both, dir_size, p50_p99, pct, throughput};
use parvis::access::search::{SearchGrants, space_token};
use parvis::search::index::{Engine, SearchIndex};
use parvis::search::sources::Entry;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const SPACES: i64 = 2_000;
const VISIBLE: usize = 200;
const QUERIES: usize = 300;
/// Documents per commit, as a rebuild commits as it goes.
const BATCH: usize = 50_000;

type Doc = (i64, String, String);

/// Words and cumulative weights to draw from.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn load() -> Vocabulary {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ir");
        let mut counts: HashMap<String, f64> = HashMap::new();
        for name in ["cranfield", "cisi"] {
            if let Ok(text) = std::fs::read_to_string(root.join(name).join("docs.jsonl")) {
                for w in text
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| w.len() > 1 && *w != "id" && *w != "title" && *w != "text")
                {
                    *counts.entry(w.to_lowercase()).or_default() += 1.0;
                }
            }
        }
        if counts.len() < 1000 {
            // Zipf over made-up words.
            for i in 1..=30_000u32 {
                counts.insert(format!("w{i:x}q"), 1.0 / f64::from(i));
            }
        }
        let mut pairs: Vec<(String, f64)> = counts.into_iter().collect();
        pairs.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut total = 0.0;
        let mut words = Vec::new();
        let mut cumulative = Vec::new();
        for (w, c) in pairs {
            total += c;
            words.push(w);
            cumulative.push(total);
        }
        Vocabulary { words, cumulative }
    }

    fn draw(&self, rng: &mut StdRng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.random::<f64>() * total;
        let i = self.cumulative.partition_point(|c| *c < x);
        &self.words[i.min(self.words.len() - 1)]
    }

    fn text(&self, rng: &mut StdRng, n: usize) -> String {
        let mut s = String::with_capacity(n * 8);
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.draw(rng));
        }
        s
    }

    /// The corpus, batch by batch: the same documents for the same count.
    fn corpus(&self, n: usize, mut each: impl FnMut(&[Doc])) {
        let mut rng = StdRng::seed_from_u64(2026);
        let mut docs: Vec<Doc> = Vec::with_capacity(n.min(BATCH));
        for i in 0..n as i64 {
            let words = match rng.random::<u32>() % 100 {
                0 => 5_000 + (rng.random::<u32>() % 5_000) as usize,
                1..=10 => 1_000 + (rng.random::<u32>() % 2_000) as usize,
                _ => 150 + (rng.random::<u32>() % 100) as usize,
            };
            docs.push((i, self.text(&mut rng, 6), self.text(&mut rng, words)));
            if docs.len() == BATCH {
                each(&docs);
                docs.clear();
            }
        }
        if !docs.is_empty() {
            each(&docs);
        }
    }
}

/// Spaces are numbered from 1, as in the database.
fn space_of(doc: i64) -> i64 {
    1 + doc % SPACES
}

/// Writes a batch into an engine and commits it.
fn feed(engine: &Engine, docs: &[Doc]) {
    for (i, title, body) in docs {
        let space = space_of(*i);
        let e = Entry {
            key: format!("document:{i}"),
            kind: "document",
            allow: vec![space_token(space)],
            title: title.clone(),
            body: body.clone(),
            space: Some(space),
            updated: *i,
            url: format!("/files/{i}"),
            ..Entry::default()
        };
        engine.add(&e).unwrap();
    }
    engine.commit().unwrap();
}

pub fn run() {
    let n: usize = std::env::var("PARVIS_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let vocab = Vocabulary::load();
    println!(
        "\n== scale: {} documents of mixed lengths over {SPACES} spaces, vocabulary of {} words",
        n,
        vocab.words.len(),
    );
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    // Built as `parvis reindex` builds: a fresh generation, committed as it
    // goes, merged at the end.
    let engine = std::sync::Arc::new(index.fresh(n).unwrap());
    let fts = rusqlite::Connection::open(dir.path().join("fts.db")).unwrap();
    fts.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE TABLE docs (id INTEGER PRIMARY KEY, space INTEGER NOT NULL);
         CREATE INDEX docs_space ON docs(space);
         CREATE VIRTUAL TABLE fts USING fts5(title, body);",
    )
    .unwrap();

    // The corpus, generated once and fed to both.
    let mut tantivy_time = Duration::ZERO;
    let mut fts_time = Duration::ZERO;
    let mut fed = 0;
    vocab.corpus(n, |docs| {
        let start = Instant::now();
        feed(&engine, docs);
        tantivy_time += start.elapsed();
        let start = Instant::now();
        let tx = fts.unchecked_transaction().unwrap();
        {
            let mut d = tx
                .prepare_cached("INSERT INTO docs (id, space) VALUES (?1, ?2)")
                .unwrap();
            let mut f = tx
                .prepare_cached("INSERT INTO fts (rowid, title, body) VALUES (?1, ?2, ?3)")
                .unwrap();
            for (i, title, body) in docs {
                d.execute(rusqlite::params![i, space_of(*i)]).unwrap();
                f.execute(rusqlite::params![i, title, body]).unwrap();
            }
        }
        tx.commit().unwrap();
        fts_time += start.elapsed();
        fed += docs.len();
        eprint!("\r  {fed} documents");
    });
    let segments = engine.segments();
    let start = Instant::now();
    engine.merge_all().unwrap();
    let merge_time = start.elapsed();
    tantivy_time += merge_time;
    eprintln!();
    println!();
    println!("indexing:");
    println!(
        "  Parvis (tantivy)  {:.0} docs/s ({:.1} s)   index {:.0} MiB   (budget ≥ 10,000 docs/s)",
        n as f64 / tantivy_time.as_secs_f64(),
        tantivy_time.as_secs_f64(),
        dir_size(&dir.path().join("index")) as f64 / 1_048_576.0
    );
    println!(
        "    of which the final merge of {segments} segments into {}: {:.1} s",
        engine.segments(),
        merge_time.as_secs_f64()
    );
    println!(
        "  SQLite FTS5       {:.0} docs/s ({:.1} s)   file {:.0} MiB",
        n as f64 / fts_time.as_secs_f64(),
        fts_time.as_secs_f64(),
        std::fs::metadata(dir.path().join("fts.db"))
            .map(|m| m.len())
            .unwrap_or(0) as f64
            / 1_048_576.0
    );

    // A person who sees 200 of the 2,000 spaces.
    let mut rng = StdRng::seed_from_u64(7);
    let mut spaces: Vec<i64> = (1..=SPACES).collect();
    for i in 0..VISIBLE {
        let j = i + (rng.random::<u64>() as usize % (spaces.len() - i));
        spaces.swap(i, j);
    }
    spaces.truncate(VISIBLE);
    let grants = SearchGrants {
        allow: spaces.iter().map(|s| space_token(*s)).collect(),
        deny: Vec::new(),
        spaces: spaces.clone(),
    };
    // 1–3 words, from the middle of the distribution (not the stop words at the top).
    let mid = &vocab.words[vocab.words.len().min(50)..vocab.words.len().min(3_000)];
    let queries: Vec<String> = (0..QUERIES)
        .map(|_| {
            let k = 1 + rng.random::<u32>() % 3;
            (0..k)
                .map(|_| mid[rng.random::<u64>() as usize % mid.len()].clone())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();

    let mut engine_times = Vec::new();
    let mut page_times = Vec::new();
    let mut fts_times = Vec::new();
    let mut hits = 0usize;
    let in_list = spaces
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut st = fts
        .prepare(&format!(
            "SELECT d.id FROM fts JOIN docs d ON d.id = fts.rowid
             WHERE fts MATCH ?1 AND d.space IN ({in_list}) ORDER BY bm25(fts) LIMIT 20"
        ))
        .unwrap();
    for q in &queries {
        let (in_engine, page, found) = both(&engine, &grants, q);
        engine_times.push(in_engine);
        page_times.push(page);
        hits += found;
        let fq = q
            .split_whitespace()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" AND ");
        let start = Instant::now();
        let rows: Vec<i64> = st
            .query_map([fq], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        fts_times.push(start.elapsed());
        let _ = rows;
    }
    drop(st);
    drop(fts);
    let _ = std::fs::remove_file(dir.path().join("fts.db"));
    println!();
    println!(
        "{QUERIES} queries of 1–3 words for a person who sees {VISIBLE} of {SPACES} spaces ({:.1} hits per query on the first page):",
        hits as f64 / QUERIES as f64
    );
    let fts_p99 = {
        fts_times.sort();
        pct(&fts_times, 0.99)
    };
    engine_times.sort();
    let engine_p99 = pct(&engine_times, 0.99);
    println!(
        "  Parvis, in the engine (top 20)              {}   (budget p50 ≤ 2, p99 ≤ 20)",
        p50_p99(&mut engine_times)
    );
    println!(
        "  Parvis, results page (snippets, facets)     {}",
        p50_p99(&mut page_times)
    );
    println!(
        "  SQLite FTS5 (bm25, space filter as a join)  {}",
        p50_p99(&mut fts_times)
    );
    println!(
        "  p99 ratio FTS5 / Parvis in the engine: {:.1}×   (aim ≥ 5×)",
        fts_p99 / engine_p99.max(1e-9)
    );

    // The same queries while a new generation is built from the same corpus,
    // as `parvis reindex` builds it: on a thread of lower priority.
    let building = AtomicBool::new(true);
    let mut during_engine = Vec::new();
    let mut during_page = Vec::new();
    let rebuild_time = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            parvis::util::lower_thread_priority();
            let start = Instant::now();
            let rebuild = index.fresh(n).unwrap();
            vocab.corpus(n, |docs| feed(&rebuild, docs));
            rebuild.merge_all().unwrap();
            building.store(false, Ordering::SeqCst);
            start.elapsed()
        });
        'outer: loop {
            for q in &queries {
                if !building.load(Ordering::SeqCst) {
                    break 'outer;
                }
                let (in_engine, page, _) = both(&engine, &grants, q);
                during_engine.push(in_engine);
                during_page.push(page);
                // A person reads between searches.
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        worker.join().unwrap()
    });
    println!();
    println!(
        "the same queries while a second generation is built at lower priority ({:.0} docs/s, {:.1} s), {} queries:",
        n as f64 / rebuild_time.as_secs_f64(),
        rebuild_time.as_secs_f64(),
        during_engine.len()
    );
    println!(
        "  Parvis, in the engine (top 20)              {}",
        p50_p99(&mut during_engine)
    );
    println!(
        "  Parvis, results page (snippets, facets)     {}",
        p50_p99(&mut during_page)
    );

    // Over HTTP: this index, live in a real instance.
    index.swap(engine.clone()).unwrap();
    drop(engine);
    drop(index);
    let d = dir.path();
    let instance = Instance::start(d, SPACES, &[spaces.clone()]);
    let (base, token) = (instance.base.clone(), instance.tokens[0].clone());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = crate::support::client();
        crate::support::until_up(&client, &base).await;
        let mut search_times = Vec::new();
        let mut suggest_times = Vec::new();
        let mut found = 0u64;
        for q in &queries {
            let start = Instant::now();
            let res = client
                .get(format!("{base}/api/v1/search"))
                .query(&[("q", q.as_str())])
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let body: serde_json::Value = res.json().await.unwrap();
            search_times.push(start.elapsed());
            found += body["total"].as_u64().unwrap_or(0);
            // What the box sends while the last word is being typed.
            let typed: String = q.chars().take(q.len().saturating_sub(2).max(2)).collect();
            let start = Instant::now();
            let res = client
                .get(format!("{base}/api/v1/search/suggest"))
                .query(&[("q", typed.as_str())])
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let _: serde_json::Value = res.json().await.unwrap();
            suggest_times.push(start.elapsed());
        }
        assert!(found > 0, "the server found nothing in the benchmark index");
        println!();
        println!(
            "over HTTPS, a real server on this index, the member's token ({} results per query on average):",
            found / QUERIES as u64
        );
        println!(
            "  /api/v1/search (snippets, facets, total)     {}   (budget p50 ≤ 10, p99 ≤ 50)",
            p50_p99(&mut search_times)
        );
        println!(
            "  /api/v1/search/suggest                       {}",
            p50_p99(&mut suggest_times)
        );
        let (rss, _, _, threads) = instance.memory();
        println!("  server after these queries: RSS {rss:.0} MiB, {threads} threads");
        let url = format!("{base}/api/v1/search");
        let searching = throughput(&url, Some(&token), &queries, 16, Duration::from_secs(20));
        let mut peak = (0.0f64, 0.0f64, 0.0f64, 0usize);
        let sampling = async {
            let end = Instant::now() + Duration::from_secs(19);
            while Instant::now() < end {
                let m = instance.memory();
                if m.0 > peak.0 {
                    peak = m;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        };
        let (rate, ()) = tokio::join!(searching, sampling);
        println!(
            "  16 searchers at once for 20 s: {rate:.0} searches/s; server at its peak RSS {:.0} MiB = {:.0} MiB anonymous + {:.0} MiB mapped files (the index), {} threads   (budget: anonymous ≤ 256 MiB)",
            peak.0, peak.1, peak.2, peak.3
        );
        tokio::time::sleep(Duration::from_secs(30)).await;
        let (rss, anon, file, threads) = instance.memory();
        println!(
            "  30 s later: RSS {rss:.0} MiB = {anon:.0} anonymous + {file:.0} mapped, {threads} threads"
        );
    });
    drop(instance);
}
