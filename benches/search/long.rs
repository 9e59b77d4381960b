//! Long documents of real prose. The Cranfield and CISI abstracts (2,860
//! texts by many authors) are joined, in turn from a different place each
//! time, into documents of a given length: 1,000 wiki pages of ~860 words,
//! and 300 documents each of 1,000, 5,000 and 20,000 words. Each length
//! lives in its own space, seen by its own member. The queries are the
//! first two or three words that carry meaning of the collections' real
//! questions ("aeroelastic models heated", "information retrieval").

use crate::{Instance, both, p50_p99, throughput};
use parvis::access::search::{SearchGrants, space_token};
use parvis::search::index::SearchIndex;
use parvis::search::sources::Entry;
use std::path::Path;
use std::time::Duration;

struct Group {
    name: &'static str,
    docs: usize,
    words: usize,
}

const GROUPS: [Group; 4] = [
    Group {
        name: "wiki pages, ~860 words",
        docs: 1_000,
        words: 860,
    },
    Group {
        name: "1,000 words",
        docs: 300,
        words: 1_000,
    },
    Group {
        name: "5,000 words",
        docs: 300,
        words: 5_000,
    },
    Group {
        name: "20,000 words",
        docs: 300,
        words: 20_000,
    },
];
const QUERIES: usize = 50;

/// A title and its text.
type Text = (String, String);
/// Each query runs this many times per measure.
const ROUNDS: usize = 4;

fn jsonl(path: &Path, field: &str) -> Vec<Text> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["title"].as_str().unwrap_or_default().to_string(),
                v[field].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The abstracts, and the queries made of the collections' questions.
fn sources() -> Option<(Vec<Text>, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ir");
    let mut texts = Vec::new();
    let mut questions = Vec::new();
    for name in ["cranfield", "cisi"] {
        texts.extend(jsonl(&root.join(name).join("docs.jsonl"), "text"));
        questions.extend(
            jsonl(&root.join(name).join("queries.jsonl"), "text")
                .into_iter()
                .map(|(_, q)| q),
        );
    }
    if texts.len() < 1_000 {
        return None;
    }
    // Spread over both collections: every 7th question.
    let queries = questions
        .iter()
        .step_by(7)
        .enumerate()
        .map(|(i, q)| {
            let mut words = parvis::search::terms::content_words(q, parvis::service::Locale::En);
            words.truncate(2 + i % 2);
            words.join(" ")
        })
        .filter(|q| q.contains(' '))
        .take(QUERIES)
        .collect();
    Some((texts, queries))
}

/// A document of at least `words` words, from the abstracts after `start`.
fn prose(texts: &[Text], start: usize, words: usize) -> (String, String) {
    let mut body = String::new();
    let mut count = 0;
    let mut i = start;
    while count < words {
        let (title, text) = &texts[i % texts.len()];
        body.push_str(title);
        body.push_str(".\n");
        body.push_str(text);
        body.push_str("\n\n");
        count += title.split_whitespace().count() + text.split_whitespace().count();
        i += 1;
    }
    (texts[start % texts.len()].0.clone(), body)
}

pub fn run() {
    let Some((texts, queries)) = sources() else {
        println!("\n== long documents: no test collections in ../shared/data/ir; nothing measured");
        return;
    };
    println!(
        "\n== long documents: real prose from {} abstracts; {} queries of 2–3 words, each run {ROUNDS} times",
        texts.len(),
        queries.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let engine = std::sync::Arc::new(index.fresh(10_000).unwrap());
    let pages = dir.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let mut n = 0;
    for (g, group) in GROUPS.iter().enumerate() {
        let space = g as i64 + 1;
        for d in 0..group.docs {
            let (title, body) = prose(&texts, d * 13 + g * 101, group.words);
            if g == 0 {
                // The same pages, for a peer to serve.
                std::fs::write(
                    pages.join(format!("{d:04}.txt")),
                    format!("{title}\n\n{body}"),
                )
                .unwrap();
            }
            engine
                .add(&Entry {
                    key: format!("document:{n}"),
                    kind: "document",
                    allow: vec![space_token(space)],
                    title,
                    body,
                    space: Some(space),
                    updated: n as i64,
                    url: format!("/files/{n}"),
                    ..Entry::default()
                })
                .unwrap();
            n += 1;
        }
        engine.commit().unwrap();
    }
    engine.merge_all().unwrap();

    println!();
    println!(
        "{:<24} {:>34} {:>34}",
        "", "in the engine (top 20)", "results page (snippets, facets)"
    );
    for (g, group) in GROUPS.iter().enumerate() {
        let grants = SearchGrants {
            allow: vec![space_token(g as i64 + 1)],
            deny: Vec::new(),
            spaces: vec![g as i64 + 1],
        };
        let mut engine_times = Vec::new();
        let mut page_times = Vec::new();
        let mut found = 0;
        for _ in 0..ROUNDS {
            for q in &queries {
                let (e, p, hits) = both(&engine, &grants, q);
                engine_times.push(e);
                page_times.push(p);
                found += hits;
            }
        }
        println!(
            "{:<24} {:>34} {:>34}   ({:.1} hits on the first page)",
            group.name,
            p50_p99(&mut engine_times),
            p50_p99(&mut page_times),
            found as f64 / (ROUNDS * queries.len()) as f64
        );
    }

    index.swap(engine.clone()).unwrap();
    drop(engine);
    drop(index);
    let members: Vec<Vec<i64>> = (1..=GROUPS.len() as i64).map(|s| vec![s]).collect();
    let instance = Instance::start(dir.path(), GROUPS.len() as i64, &members);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = crate::support::client();
        crate::support::until_up(&client, &instance.base).await;
        let url = format!("{}/api/v1/search", instance.base);
        println!();
        println!("over HTTPS, `/api/v1/search` (snippets, facets, total), one request at a time:");
        let rounds: Vec<String> = (0..ROUNDS).flat_map(|_| queries.iter().cloned()).collect();
        for (g, group) in GROUPS.iter().enumerate() {
            let mut times =
                crate::latencies(&client, &url, Some(&instance.tokens[g]), &rounds).await;
            let budget = if g == 0 {
                "   (budget p50 ≤ 2 ms)"
            } else {
                ""
            };
            println!("  {:<24} {}{budget}", group.name, p50_p99(&mut times));
        }
        let peer = peer(&pages);
        println!();
        println!(
            "searches per second on the wiki pages, {} s per measure, alternating:",
            MEASURE.as_secs()
        );
        for connections in [1, 16] {
            let mut ours = Vec::new();
            let mut theirs = Vec::new();
            for _ in 0..2 {
                ours.push(
                    throughput(
                        &url,
                        Some(&instance.tokens[0]),
                        &queries,
                        connections,
                        MEASURE,
                    )
                    .await,
                );
                if let Some(p) = &peer {
                    theirs.push(throughput(&p.url, None, &queries, connections, MEASURE).await);
                }
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
            let line = format!(
                "  {connections:>2} connection(s): Parvis {:>7.0} /s ({})",
                mean(&ours),
                ours.iter()
                    .map(|r| format!("{r:.0}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if peer.is_some() {
                println!(
                    "{line}   DokuWiki {:>5.0} /s ({})   ratio {:.1}×   (budget ≥ 10×)",
                    mean(&theirs),
                    theirs
                        .iter()
                        .map(|r| format!("{r:.0}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    mean(&ours) / mean(&theirs).max(1e-9)
                );
            } else {
                println!("{line}   (DokuWiki not measured: set PARVIS_BENCH_PEERS=1)");
            }
        }
        if peer.is_some() {
            let _ = std::process::Command::new(peer_script())
                .arg("stop")
                .status();
        }
    });
}

const MEASURE: Duration = Duration::from_secs(8);

struct Peer {
    url: String,
}

fn peer_script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/dokuwiki")
}

/// DokuWiki serving the same pages, when asked for and available.
fn peer(pages: &Path) -> Option<Peer> {
    if std::env::var("PARVIS_BENCH_PEERS").is_err() || !peer_script().exists() {
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .ok()?
        .port();
    let out = std::process::Command::new(peer_script())
        .arg("serve")
        .arg(pages)
        .arg(port.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .ok()?;
    if !out.status.success() {
        println!("  (DokuWiki could not be started)");
        return None;
    }
    let url = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()?
        .trim()
        .to_string();
    Some(Peer { url })
}
