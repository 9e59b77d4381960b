//! A keyword-query collection in English and in French, made at run time
//! from LibreOffice's help as Debian packages it (`libreoffice-help-en-us`,
//! `libreoffice-help-fr`): the documents are the help pages (title and
//! text), the queries are the entries of the help's own index, written by
//! its documentation team as keywords for the page they point to ("jump --
//! to given sheet" for the page "Go to Sheet"), and each query's relevant
//! pages are those its entries point to. Only entries of two to four words
//! are kept: what people type in a search box. The entries are not in the
//! pages' text, and their words often are not all there either.

use crate::Collection;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub const ROOT: &str = "/usr/share/libreoffice/help";

/// The collection for one language of the help (`en-US`, `fr`), when installed.
pub fn load(lang: &str) -> Option<Collection> {
    let root = Path::new(ROOT);
    let index = std::fs::read_to_string(root.join(lang).join("bookmarks.js")).ok()?;
    let mut docs = Vec::new();
    let mut known = HashSet::new();
    let mut stack = vec![root.join(lang).join("text")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "html")
                && let Ok(html) = std::fs::read_to_string(&path)
                && let Some((title, text)) = page(&html)
            {
                let id = path.strip_prefix(root).ok()?.to_string_lossy().into_owned();
                known.insert(id.clone());
                docs.push((id, title, text));
            }
        }
    }
    docs.sort();
    // Entry text → the pages it points to.
    let mut pages: HashMap<String, HashSet<String>> = HashMap::new();
    for line in index.lines() {
        let (Some(url), Some(text)) = (
            between(line, "url:\"", "\""),
            between(line, "text:\"", "\""),
        ) else {
            continue;
        };
        let url = url.split(['?', '#']).next().unwrap_or_default();
        let query = text.replace("--", " ");
        let words = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        if (2..=4).contains(&words) && known.contains(url) {
            pages
                .entry(query.split_whitespace().collect::<Vec<_>>().join(" "))
                .or_default()
                .insert(url.to_string());
        }
    }
    let mut queries: Vec<(String, String)> = Vec::new();
    let mut qrels = HashMap::new();
    let mut texts: Vec<_> = pages.into_iter().collect();
    texts.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (text, urls)) in texts.into_iter().enumerate() {
        let id = format!("q{i}");
        qrels.insert(id.clone(), urls.into_iter().map(|u| (u, 1)).collect());
        queries.push((id, text));
    }
    Some(Collection {
        docs,
        queries,
        qrels,
    })
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}

/// A help page's title (its first heading) and text (its display area, up
/// to the footer), without markup.
fn page(html: &str) -> Option<(String, String)> {
    let start = html.find("<div id=\"DisplayArea\"")?;
    let end = html[start..]
        .find("<footer")
        .map_or(html.len(), |e| start + e);
    let area = &html[start..end];
    let title = between(area, "<h1", "</h1>")
        .map(|h| plain(h.split_once('>').map_or(h, |(_, t)| t)))
        .unwrap_or_default();
    let text = plain(area);
    (!text.trim().is_empty()).then_some((title, text))
}

/// Text without tags, entities decoded, spaces collapsed.
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
