//! One test per concern a kind must not forget, read from the real schema
//! (every migration applied) and the real source.

use super::erasure::Does;
use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// A scratch database with every migration applied.
pub(crate) fn schema() -> (tempfile::TempDir, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let c = crate::db::open_single(
        &dir.path().join("parvis.db"),
        std::time::Duration::from_secs(5),
    )
    .unwrap();
    (dir, c)
}

fn columns(c: &rusqlite::Connection, table: &str) -> Vec<String> {
    c.prepare("SELECT name FROM pragma_table_info(?1)")
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn tables(c: &rusqlite::Connection) -> Vec<String> {
    c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn owner(table: &str) -> Option<&'static ContentKind> {
    KINDS
        .iter()
        .copied()
        .find(|k| k.tables.iter().any(|t| t.name == table))
}

#[test]
fn names_are_unique_and_each_kind_owns_a_table_with_ids() {
    let (_dir, c) = schema();
    let mut names = BTreeSet::new();
    for k in KINDS {
        assert!(names.insert(k.name), "two kinds are named {}", k.name);
        let main = k
            .tables
            .first()
            .unwrap_or_else(|| panic!("{} owns no table", k.name));
        assert!(
            columns(&c, main.name).iter().any(|c| c == "id"),
            "{}'s first table {} has no id column",
            k.name,
            main.name
        );
    }
}

#[test]
fn each_placement_names_columns_and_kinds_that_exist() {
    let (_dir, c) = schema();
    for k in KINDS {
        let cols = columns(&c, k.tables[0].name);
        let named: Vec<&str> = match k.placement {
            Placement::Instance => vec![],
            Placement::Space { space } => vec![space],
            Placement::Folder { space, folder } => vec![space, folder],
            Placement::On { kind, column } => {
                assert!(
                    find(KINDS, kind).is_some(),
                    "{} sits on unknown {kind}",
                    k.name
                );
                vec![column]
            }
            Placement::Attached { kind, id } => vec![kind, id],
        };
        for col in named {
            assert!(
                cols.iter().any(|c| c == col),
                "{}.{col} does not exist",
                k.name
            );
        }
    }
}

/// A column that names a stored file is called `blob_hash`; every one is
/// known to blob collection, or a file would be collected while in use.
#[test]
fn every_blob_column_is_known_to_collection() {
    // A cache keyed by a file, forgotten with it (`blobs::extracts`).
    const KEYED_BY_FILE: &[(&str, &str)] = &[("text_extracts", "blob_hash")];
    let (_dir, c) = schema();
    let declared: BTreeSet<(&str, &str)> = KINDS
        .iter()
        .flat_map(|k| k.blobs)
        .map(|b| (b.table, b.column))
        .collect();
    let mut seen = 0;
    for t in tables(&c) {
        for col in columns(&c, &t) {
            if col.ends_with("blob_hash") && !KEYED_BY_FILE.contains(&(t.as_str(), col.as_str())) {
                seen += 1;
                assert!(
                    declared.contains(&(t.as_str(), col.as_str())),
                    "{t}.{col} names stored files but no kind declares it in `blobs`"
                );
            }
        }
    }
    assert!(seen >= 3, "the schema's blob columns were not found");
    for k in KINDS {
        for b in k.blobs {
            assert_eq!(
                owner(b.table).map(|o| o.name),
                Some(k.name),
                "{} declares {}'s blobs",
                k.name,
                b.table
            );
            c.prepare(&format!("SELECT {}", b.exists_sql())).unwrap();
        }
    }
    c.prepare(&blob_referenced_sql(KINDS)).unwrap();
}

/// Every column that refers to a person has exactly one erasure rule, from
/// the kind that owns its table.
#[test]
fn every_column_naming_a_person_has_an_erasure_rule() {
    let (_dir, c) = schema();
    let mut rules: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for k in KINDS {
        for r in k.erasure {
            *rules.entry((r.table, r.column)).or_default() += 1;
            assert_eq!(
                owner(r.table).map(|o| o.name),
                Some(k.name),
                "{} rules on {}",
                k.name,
                r.table
            );
            assert!(
                columns(&c, r.table).iter().any(|c| c == r.column),
                "{}.{} does not exist",
                r.table,
                r.column
            );
            match r.does {
                Does::Run(sql) => {
                    c.prepare(sql).unwrap();
                }
                Does::Keep(why) => assert!(!why.is_empty()),
                Does::Delete | Does::Clear => {}
            }
        }
    }
    let mut found = 0;
    for t in tables(&c) {
        let fks: Vec<String> = c
            .prepare("SELECT \"from\" FROM pragma_foreign_key_list(?1) WHERE \"table\" = 'people'")
            .unwrap()
            .query_map([&t], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for col in fks {
            found += 1;
            assert_eq!(
                rules.get(&(t.as_str(), col.as_str())).copied(),
                Some(1),
                "{t}.{col} names a person: one kind must say what erasure does to it"
            );
        }
    }
    assert!(
        found >= 20,
        "the schema's references to people were not found"
    );
}

#[test]
fn every_search_source_reads_the_schema_and_has_a_label() {
    let (_dir, c) = schema();
    let i18n = crate::i18n::I18n::load().unwrap();
    let mut searched = 0;
    for k in KINDS {
        let Some(s) = k.search else { continue };
        searched += 1;
        c.prepare(s.all).unwrap();
        assert!(
            (s.load)(&c, 1).unwrap().is_none(),
            "{} finds an item in an empty base",
            k.name
        );
        for locale in [crate::service::Locale::En, crate::service::Locale::Fr] {
            let key = format!("search-kind-{}", k.name);
            assert!(i18n.has(locale, &key), "{key} is not translated");
        }
    }
    assert!(searched >= 3);
}

/// Every audit action a kind's code records is listed by the kind (the
/// audit page offers them), and every listed one is recorded somewhere.
#[test]
fn every_audit_action_is_listed_by_its_kind() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut text = String::new();
    for p in walk(&src) {
        if !p.to_string_lossy().ends_with("kind.rs") {
            text.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
    let mut used = BTreeSet::new();
    // Every text between two quotes, opening or closing (an escaped quote or
    // a raw string would throw a count of pairs off): an action has no space.
    for piece in text.split('"') {
        let Some((prefix, rest)) = piece.split_once('.') else {
            continue;
        };
        let action_like = !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            && !matches!(rest, "html" | "example" | "jsonl" | "csv" | "tar");
        if action_like && find(KINDS, prefix).is_some() {
            used.insert(piece.to_string());
        }
    }
    for a in &used {
        let kind = find(KINDS, a.split('.').next().unwrap_or_default()).unwrap();
        assert!(
            kind.audit.contains(&a.as_str()),
            "{a} is recorded but {} does not list it",
            kind.name
        );
    }
    for k in KINDS {
        for a in k.audit {
            assert!(
                used.contains(*a),
                "{} lists {a}, which nothing records",
                k.name
            );
        }
    }
    assert!(used.len() > 30);
}

/// What a kind tells of live is among what it records, and its rule for
/// who sees an item answers "no" for an item that does not exist.
#[test]
fn live_changes_are_recorded_ones_and_a_missing_item_is_seen_by_nobody() {
    let (_dir, c) = schema();
    let admin = crate::access::Principal {
        person_id: 1,
        org_id: 1,
        org_kind: crate::domain::OrgKind::Host,
        internal: true,
        admin: true,
    };
    let mut live = 0;
    for k in KINDS {
        for a in k.seen.live {
            assert!(
                k.audit.contains(a),
                "{} tells of {a} live but does not record it",
                k.name
            );
            live += 1;
        }
        assert!(
            !(k.seen.by)(&c, &admin, 999_999).unwrap(),
            "{} shows a missing item",
            k.name
        );
    }
    assert!(live > 10);
}

/// Every reason a kind notifies for reads well in both languages.
#[test]
fn every_notification_reason_is_translated() {
    let i18n = crate::i18n::I18n::load().unwrap();
    let mut reasons = 0;
    for k in KINDS {
        for r in k.notify.reasons {
            for locale in [crate::service::Locale::En, crate::service::Locale::Fr] {
                let key = format!("notification-{}", r.name);
                assert!(i18n.has(locale, &key), "{key} is not translated");
            }
            reasons += 1;
        }
    }
    assert!(reasons >= 2);
}

#[test]
fn every_kind_has_routes_and_no_route_is_declared_twice() {
    let g = crate::web::csrf::Guard { max_form: 1 };
    let mut seen = BTreeSet::new();
    for k in KINDS {
        let api = (k.api)(crate::web::api::Api::new(), &g);
        assert!(!api.endpoints.is_empty(), "{} has no API", k.name);
        for e in &api.endpoints {
            assert!(
                seen.insert((e.method, e.path)),
                "{} {} twice",
                e.method,
                e.path
            );
        }
    }
}

/// A page read with GET is declared with `.page(path, need, …)`, so the
/// role matrix asks it; `.route` is for form posts only.
#[test]
fn every_page_a_kind_reads_says_who_may() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = 0;
    for entry in walk(&dir) {
        let name = entry.to_string_lossy().to_string();
        if !(name.ends_with("kind_routes.rs") || name.ends_with("_routes.rs")) {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&entry).unwrap();
        for piece in text.split(".route(").skip(1) {
            // The call's own text: up to its closing parenthesis.
            let mut depth = 1;
            let end = piece
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(piece.len(), |(i, _)| i);
            let call = &piece[..end];
            assert!(
                !call.contains("get("),
                "{name}: a page read with GET is routed without saying who may read it: {call}"
            );
        }
    }
    assert!(files >= 8);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}
