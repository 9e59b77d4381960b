//! Search speed at scale, printed (not asserted): a synthetic corpus
//! (`PARVIS_BENCH_DOCS`, default 1,000,000 documents over 2,000 spaces; titles
//! of 6 words and bodies of ~200 words drawn from the word frequencies of
//! the classic IR collections in `../shared/data/ir`, or a Zipf vocabulary
//! when they are absent) is indexed with Parvis's real schema and analyzers;
//! then a few hundred 1–3 word queries run for a person who may see 200
//! spaces, with the permission filter on:
//! - inside the engine (the top 20, no facets) and with everything the
//!   results page needs (snippets, facet counts, total);
//! - and, in the same run, SQLite FTS5 (bm25, the space filter as a join).
//!
//! Run: `cargo bench --bench search` (`PARVIS_BENCH_DOCS=100000` for a quick look).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::access::search::{SearchGrants, space_token};
use parvis::search::index::SearchIndex;
use parvis::search::query::{self, Request};
use parvis::search::sources::Entry;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

const SPACES: i64 = 2_000;
const VISIBLE: usize = 200;
const QUERIES: usize = 300;

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
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        dir_size(&path)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::var("PARVIS_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let vocab = Vocabulary::load();
    println!(
        "Parvis search benchmark — {} documents over {SPACES} spaces, vocabulary of {} words",
        n,
        vocab.words.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let engine = index.live();
    let fts = rusqlite::Connection::open(dir.path().join("fts.db")).unwrap();
    fts.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE TABLE docs (id INTEGER PRIMARY KEY, space INTEGER NOT NULL);
         CREATE INDEX docs_space ON docs(space);
         CREATE VIRTUAL TABLE fts USING fts5(title, body);",
    )
    .unwrap();

    // The corpus, generated once and fed to both.
    let mut rng = StdRng::seed_from_u64(2026);
    let mut docs: Vec<(i64, String, String)> = Vec::with_capacity(n.min(100_000));
    let mut tantivy_time = Duration::ZERO;
    let mut fts_time = Duration::ZERO;
    let flush = |docs: &mut Vec<(i64, String, String)>, tt: &mut Duration, ft: &mut Duration| {
        let start = Instant::now();
        for (i, title, body) in docs.iter() {
            let space = i % SPACES;
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
            engine.put(&e.key, Some(&e)).unwrap();
        }
        *tt += start.elapsed();
        let start = Instant::now();
        let tx = fts.unchecked_transaction().unwrap();
        {
            let mut d = tx
                .prepare_cached("INSERT INTO docs (id, space) VALUES (?1, ?2)")
                .unwrap();
            let mut f = tx
                .prepare_cached("INSERT INTO fts (rowid, title, body) VALUES (?1, ?2, ?3)")
                .unwrap();
            for (i, title, body) in docs.iter() {
                d.execute(rusqlite::params![i, i % SPACES]).unwrap();
                f.execute(rusqlite::params![i, title, body]).unwrap();
            }
        }
        tx.commit().unwrap();
        *ft += start.elapsed();
        docs.clear();
    };
    for i in 0..n as i64 {
        let words = 150 + (rng.random::<u32>() % 100) as usize;
        docs.push((i, vocab.text(&mut rng, 6), vocab.text(&mut rng, words)));
        if docs.len() == 50_000 {
            flush(&mut docs, &mut tantivy_time, &mut fts_time);
            eprint!("\r  {} documents", i + 1);
        }
    }
    flush(&mut docs, &mut tantivy_time, &mut fts_time);
    let start = Instant::now();
    engine.commit().unwrap();
    tantivy_time += start.elapsed();
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
        "  SQLite FTS5       {:.0} docs/s ({:.1} s)   file {:.0} MiB",
        n as f64 / fts_time.as_secs_f64(),
        fts_time.as_secs_f64(),
        std::fs::metadata(dir.path().join("fts.db"))
            .map(|m| m.len())
            .unwrap_or(0) as f64
            / 1_048_576.0
    );

    // A person who sees 200 of the 2,000 spaces.
    let mut spaces: Vec<i64> = (0..SPACES).collect();
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
        let start = Instant::now();
        let top = query::ranked(&engine, &grants, q, 20).unwrap();
        engine_times.push(start.elapsed());
        hits += top.len();
        let start = Instant::now();
        let r = query::search(
            &engine,
            &grants,
            &Request {
                q: q.clone(),
                ..Request::default()
            },
        )
        .unwrap();
        page_times.push(start.elapsed());
        assert!(r.total >= top.len());
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
    for t in [&mut engine_times, &mut page_times, &mut fts_times] {
        t.sort();
    }
    println!();
    println!(
        "{QUERIES} queries of 1–3 words for a person who sees {VISIBLE} of {SPACES} spaces ({:.1} hits per query on the first page):",
        hits as f64 / QUERIES as f64
    );
    println!(
        "  Parvis, in the engine (top 20)              p50 {:.2} ms  p99 {:.2} ms   (budget p50 ≤ 2, p99 ≤ 20)",
        pct(&engine_times, 0.5),
        pct(&engine_times, 0.99)
    );
    println!(
        "  Parvis, results page (snippets, facets)     p50 {:.2} ms  p99 {:.2} ms",
        pct(&page_times, 0.5),
        pct(&page_times, 0.99)
    );
    println!(
        "  SQLite FTS5 (bm25, space filter as a join)  p50 {:.2} ms  p99 {:.2} ms",
        pct(&fts_times, 0.5),
        pct(&fts_times, 0.99)
    );
    println!(
        "  p99 ratio FTS5 / Parvis in the engine: {:.1}×   (aim ≥ 5×)",
        pct(&fts_times, 0.99) / pct(&engine_times, 0.99).max(1e-9)
    );
}
