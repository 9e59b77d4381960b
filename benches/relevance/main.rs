//! Search quality as users feel it, on two classic test collections with
//! human judgments (`../shared/data/ir`: Cranfield, CISI): every query runs
//! through Parvis search (the real schema, analyzers and query building,
//! top 100), and through a plain SQLite FTS5 `bm25()` baseline on the same
//! documents in the same run; prints nDCG@10, recall@100 and MRR@10.
//!
//! A third collection is made at run time, in English and in French, from
//! LibreOffice's help pages and the keyword entries of its index (see
//! `help.rs`; `apt-get install libreoffice-help-en-us libreoffice-help-fr`):
//! short queries whose words are often not all in the page they are for.
//!
//! Run: `cargo bench --bench relevance`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use parvis::access::search::SearchGrants;
use parvis::search::index::SearchIndex;
use parvis::search::sources::Entry;
use parvis::service::Locale;
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod help;

pub struct Collection {
    docs: Vec<(String, String, String)>,
    queries: Vec<(String, String)>,
    /// query id → doc id → grade
    qrels: HashMap<String, HashMap<String, u32>>,
}

fn load(dir: &Path) -> Collection {
    let lines = |name: &str| -> Vec<serde_json::Value> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let docs = lines("docs.jsonl")
        .iter()
        .map(|d| (s(d, "id"), s(d, "title"), s(d, "text")))
        .collect();
    let queries = lines("queries.jsonl")
        .iter()
        .map(|q| (s(q, "id"), s(q, "text")))
        .collect();
    let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for line in std::fs::read_to_string(dir.join("qrels.tsv"))
        .unwrap()
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() == 3 {
            let grade: u32 = f[2].trim().parse().unwrap_or(0);
            if grade > 0 {
                qrels
                    .entry(f[0].to_string())
                    .or_default()
                    .insert(f[1].to_string(), grade);
            }
        }
    }
    Collection {
        docs,
        queries,
        qrels,
    }
}

#[derive(Default)]
struct Scores {
    ndcg: f64,
    recall: f64,
    mrr: f64,
    n: usize,
    /// Queries that found nothing.
    empty: usize,
}

impl Scores {
    fn add(&mut self, ranked: &[String], judged: &HashMap<String, u32>) {
        let dcg: f64 = ranked
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, d)| f64::from(*judged.get(d).unwrap_or(&0)) / ((i + 2) as f64).log2())
            .sum();
        let mut ideal: Vec<u32> = judged.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let idcg: f64 = ideal
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, g)| f64::from(*g) / ((i + 2) as f64).log2())
            .sum();
        let found = ranked
            .iter()
            .take(100)
            .filter(|d| judged.contains_key(*d))
            .count();
        let rr = ranked
            .iter()
            .take(10)
            .position(|d| judged.contains_key(d))
            .map_or(0.0, |p| 1.0 / (p + 1) as f64);
        self.ndcg += if idcg > 0.0 { dcg / idcg } else { 0.0 };
        self.recall += found as f64 / judged.len() as f64;
        self.mrr += rr;
        self.n += 1;
        if ranked.is_empty() {
            self.empty += 1;
        }
    }

    fn row(&self, name: &str) -> String {
        let n = self.n.max(1) as f64;
        format!(
            "  {name:<30} nDCG@10 {:.3}   recall@100 {:.3}   MRR@10 {:.3}   ({} queries, {} found nothing)",
            self.ndcg / n,
            self.recall / n,
            self.mrr / n,
            self.n,
            self.empty
        )
    }
}

fn parvis_run(c: &Collection, locale: Locale, subset: &HashSet<String>) -> (Scores, Scores) {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let engine = index.live();
    for (id, title, text) in &c.docs {
        let e = Entry {
            key: id.clone(),
            kind: "document",
            allow: vec!["all".into()],
            title: title.clone(),
            body: text.clone(),
            ..Entry::default()
        };
        engine.put(id, Some(&e)).unwrap();
    }
    engine.commit().unwrap();
    let grants = SearchGrants {
        allow: vec!["all".into()],
        ..SearchGrants::default()
    };
    let mut scores = Scores::default();
    let mut part = Scores::default();
    for (qid, text) in &c.queries {
        let Some(judged) = c.qrels.get(qid) else {
            continue;
        };
        let ranked = parvis::search::query::ranked(&engine, &grants, text, locale, 100).unwrap();
        scores.add(&ranked, judged);
        if subset.contains(qid) {
            part.add(&ranked, judged);
        }
    }
    (scores, part)
}

fn fts5_run(c: &Collection, subset: &HashSet<String>) -> (Scores, Scores) {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.execute_batch("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, text);")
        .unwrap();
    {
        let mut st = db
            .prepare("INSERT INTO d (id, title, text) VALUES (?1, ?2, ?3)")
            .unwrap();
        for (id, title, text) in &c.docs {
            st.execute([id, title, text]).unwrap();
        }
    }
    let mut st = db
        .prepare("SELECT id FROM d WHERE d MATCH ?1 ORDER BY bm25(d) LIMIT 100")
        .unwrap();
    let mut scores = Scores::default();
    let mut part = Scores::default();
    for (qid, text) in &c.queries {
        let Some(judged) = c.qrels.get(qid) else {
            continue;
        };
        // Each word quoted (no operator survives), any of them may match.
        let q = text
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        let ranked: Vec<String> = if q.is_empty() {
            Vec::new()
        } else {
            st.query_map([q], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        scores.add(&ranked, judged);
        if subset.contains(qid) {
            part.add(&ranked, judged);
        }
    }
    (scores, part)
}

/// The queries one of whose (folded) words is missing from a page judged
/// relevant to them.
fn lacking_a_word(c: &Collection, locale: Locale) -> HashSet<String> {
    let words = |t: &str| -> HashSet<String> {
        parvis::search::terms::content_words(t, locale)
            .into_iter()
            .collect()
    };
    let docs: HashMap<&str, HashSet<String>> = c
        .docs
        .iter()
        .map(|(id, title, text)| (id.as_str(), words(&format!("{title} {text}"))))
        .collect();
    c.queries
        .iter()
        .filter(|(qid, text)| {
            let q = words(text);
            c.qrels.get(qid).is_some_and(|judged| {
                judged.keys().any(|d| {
                    docs.get(d.as_str())
                        .is_some_and(|have| q.iter().any(|w| !have.contains(w)))
                })
            })
        })
        .map(|(qid, _)| qid.clone())
        .collect()
}

fn compare(name: &str, c: &Collection, locale: Locale) {
    println!();
    println!(
        "{name}: {} documents, {} judged queries",
        c.docs.len(),
        c.qrels.len()
    );
    let subset = lacking_a_word(c, locale);
    let (fts, fts_part) = fts5_run(c, &subset);
    let (ours, ours_part) = parvis_run(c, locale, &subset);
    println!("{}", fts.row("SQLite FTS5 bm25"));
    println!("{}", ours.row("Parvis"));
    let ratio = |a: &Scores, b: &Scores| {
        let n = |s: &Scores| s.ndcg / s.n.max(1) as f64;
        let r = |s: &Scores| s.recall / s.n.max(1) as f64;
        format!(
            "nDCG@10 ratio Parvis / FTS5 {:.2} (budget ≥ 1.15), recall@100 ratio {:.2} (budget ≥ 1.00)",
            n(a) / n(b).max(1e-9),
            r(a) / r(b).max(1e-9)
        )
    };
    println!("  {}", ratio(&ours, &fts));
    if !subset.is_empty() && subset.len() < c.qrels.len() {
        println!("  the {} queries with a word the page lacks:", subset.len());
        println!("{}", fts_part.row("  SQLite FTS5 bm25"));
        println!("{}", ours_part.row("  Parvis"));
        println!("    {}", ratio(&ours_part, &fts_part));
    }
}

fn main() {
    println!(
        "Parvis search relevance — {}",
        parvis::util::format_ms(parvis::util::now_ms())
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ir");
    if root.exists() {
        for name in ["cranfield", "cisi"] {
            compare(name, &load(&root.join(name)), Locale::En);
        }
    } else {
        println!("no test collections at {}", root.display());
    }
    for (lang, locale) in [("en-US", Locale::En), ("fr", Locale::Fr)] {
        match help::load(lang) {
            Some(c) => compare(&format!("LibreOffice help keywords, {lang}"), &c, locale),
            None => println!(
                "\nno LibreOffice help in {lang} at {} (apt-get install libreoffice-help-en-us libreoffice-help-fr)",
                help::ROOT
            ),
        }
    }
}
