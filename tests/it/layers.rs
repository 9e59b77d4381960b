//! Layers import downward only. The foundation (values, storage, text,
//! translation, TLS, mail, the outbox) knows nothing of access or of any
//! feature; `access` knows only the foundation; the audit log's core only
//! those two. Read from the source, so a new upward import fails here.

use std::collections::BTreeSet;
use std::path::Path;

const FOUNDATION: &[&str] = &[
    "util", "text", "config", "db", "i18n", "service", "domain", "tls", "blobs", "outbox", "mail",
];

/// The modules `crate::…` paths name in one file (`use crate::{a, b}` too).
fn imports(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = BTreeSet::new();
    for piece in text.split("crate::").skip(1) {
        let names: Vec<&str> = match piece.strip_prefix('{') {
            Some(list) => list.split('}').next().unwrap_or("").split(',').collect(),
            None => vec![piece],
        };
        for name in names {
            let name: String = name
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every Rust file of a module (a folder or one file).
fn files(module: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(module);
    if !dir.is_dir() {
        return vec![dir.with_extension("rs")];
    }
    let mut out = Vec::new();
    let mut stack = vec![dir];
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

fn upward(files: &[std::path::PathBuf], allowed: &[&str], own: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    for f in files {
        for m in imports(f) {
            if m != own && !allowed.contains(&m.as_str()) {
                wrong.push(format!("{} imports crate::{m}", f.display()));
            }
        }
    }
    wrong
}

#[test]
fn layers_import_downward_only() {
    let mut wrong = Vec::new();
    for module in FOUNDATION {
        wrong.extend(upward(&files(module), FOUNDATION, module));
    }
    wrong.extend(upward(&files("access"), FOUNDATION, "access"));
    // Every layer notes adoption figures: they know only the foundation.
    wrong.extend(upward(&files("adoption"), FOUNDATION, "adoption"));
    let below_audit: Vec<&str> = FOUNDATION.iter().copied().chain(["access"]).collect();
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/audit/mod.rs");
    wrong.extend(upward(&[core], &below_audit, "audit"));
    assert!(wrong.is_empty(), "upward imports:\n{}", wrong.join("\n"));
    // The test reads something: the foundation's files exist and import each other.
    assert!(files("db").len() > 1);
    assert!(imports(&files("mail")[0]).len() + imports(&files("db")[0]).len() > 0);
}

#[test]
fn the_import_reader_sees_every_form() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.rs");
    std::fs::write(
        &f,
        "use crate::db::Db;\nuse crate::{spaces, people::service};\nfn f() { crate::util::now_ms(); }",
    )
    .unwrap();
    let got: Vec<String> = imports(&f).into_iter().collect();
    assert_eq!(got, ["db", "people", "spaces", "util"]);
}

/// Every Rust file under `src`.
fn all_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&root).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        out.extend(files(name.trim_end_matches(".rs")));
    }
    out
}

/// The `crate::feature::module` pairs a file's text names.
fn modules_named(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for piece in text.split("crate::").skip(1) {
        let path: String = piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut parts = path.split("::");
        if let (Some(feature), Some(module)) = (parts.next(), parts.next()) {
            out.push((feature.to_string(), module.to_string()));
        }
    }
    out
}

/// Handlers reach the database through their feature's service (where
/// access decides), never through a store; and a feature's handlers are
/// named only by the routers (the server, the API, the kinds' route files)
/// and by the same feature's own handlers.
#[test]
fn handlers_never_reach_a_store_and_only_routers_name_handlers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    let mut handlers = 0;
    for f in all_files() {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        let is_handler = name == "web.rs" || name == "api.rs" || name.ends_with("_web.rs");
        let infrastructure = rel.starts_with("web/") || rel.starts_with("server/");
        if is_handler && !infrastructure {
            handlers += 1;
            if text.contains("store::") {
                wrong.push(format!("{rel} reaches a store"));
            }
        }
        let router = rel.starts_with("server/") || name.ends_with("_routes.rs");
        if router {
            continue;
        }
        let own = rel
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs");
        for (feature, module) in modules_named(&text) {
            let handler_module = module == "web" || module == "api" || module.ends_with("_web");
            if handler_module && feature != own && feature != "web" {
                wrong.push(format!("{rel} names crate::{feature}::{module}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(handlers > 15, "only {handlers} handler files were read");
}

/// `web` (the HTTP infrastructure: context, extractors, errors, pages, the
/// API's helpers) sits below the features and `server` (the router, the
/// listener) on top: no feature imports `server`, and `web` imports neither
/// `server` nor the command line, the administration, the demo nor any
/// feature's handlers or routes.
#[test]
fn features_build_on_web_and_only_the_command_line_starts_the_server() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for f in all_files() {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        let top = rel.starts_with("server/") || rel.starts_with("cli/") || rel == "main.rs";
        if !top && imports(&f).contains("server") {
            wrong.push(format!("{rel} imports crate::server"));
        }
    }
    let web = files("web");
    assert!(web.len() > 5, "the web module was not read");
    for f in &web {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).unwrap();
        for m in imports(f) {
            if ["server", "cli", "admin", "demo", "ops", "dav"].contains(&m.as_str()) {
                wrong.push(format!("{rel} imports crate::{m}"));
            }
        }
        for (feature, module) in modules_named(&text) {
            let handlers = module == "web"
                || module == "api"
                || module == "kind"
                || module.ends_with("_web")
                || module.ends_with("_routes");
            if feature != "web" && handlers {
                wrong.push(format!("{rel} names crate::{feature}::{module}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A change is recorded from a typed value through `content::events::record`,
/// which writes the audit entry and the index update in one call: nothing
/// else appends to the audit log by hand.
#[test]
fn changes_reach_the_audit_log_only_as_typed_values() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    let mut recorders = 0;
    for f in all_files() {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        if text.contains("record(") {
            recorders += 1;
        }
        if rel.starts_with("audit/") || rel == "content/events.rs" {
            continue;
        }
        if text.contains("audit::append") || text.contains("Event::new(") {
            wrong.push(rel);
        }
    }
    assert!(
        wrong.is_empty(),
        "appended by hand in: {}",
        wrong.join(", ")
    );
    assert!(recorders > 15, "only {recorders} files record changes");
}
