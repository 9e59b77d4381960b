//! What an export holds, table by table: the tables no kind owns (settings,
//! the audit log, work in flight, caches of files) here, and each kind's own
//! in its registry entry (`content::ContentKind::tables`). Every table of the
//! schema is listed as exported, derived (rebuilt from the others) or secret
//! (never leaves the instance); a test fails when a later migration adds a
//! table that is not, so export stays complete.

use crate::content::ContentKind;
pub use crate::content::export::{
    Exported, Files, Table, Treatment, derived, exported, plain, secret,
};

/// Tables no kind owns that an import inserts before the kinds' own.
const BEFORE: &[Table] = &[exported("instance_settings", plain("settings", "key"))];

/// Tables no kind owns that come after the kinds' own.
const AFTER: &[Table] = &[
    exported(
        "audit_events",
        Exported {
            csv: true,
            person: Some(
                "(actor_kind = 'person' AND actor_id = ?1) OR (target_type = 'person' AND target_id = CAST(?1 AS TEXT))",
            ),
            ..plain("audit_log", "id")
        },
    ),
    // Adoption counters name nobody (who was active is the people's kind's).
    exported(
        "adoption_counts",
        plain("adoption_counts", "day, metric, org_id, space_id"),
    ),
    exported(
        "adoption_misses",
        plain("adoption_misses", "day, portal_id, query"),
    ),
    derived(
        "adoption_flushes",
        "how the last writes of the adoption figures went",
    ),
    derived(
        "audit_head",
        "the audit chain's newest hash and row count, recomputed from the audit log",
    ),
    derived(
        "schema_migrations",
        "the migrations applied; an import applies them all",
    ),
    derived(
        "outbox",
        "work in flight (mail, index updates), done or dropped",
    ),
    derived(
        "blob_orphans",
        "files no version refers to any more, waiting for removal",
    ),
    derived(
        "small_blobs",
        "the contents of small files, exported as the files themselves",
    ),
    derived(
        "text_extracts",
        "text read out of the files for search, read again",
    ),
];

/// Every table of an instance with these kinds, exported ones in the order
/// an import inserts them.
pub fn tables(kinds: &[&'static ContentKind]) -> Vec<&'static Table> {
    BEFORE
        .iter()
        .chain(kinds.iter().flat_map(|k| k.tables))
        .chain(AFTER)
        .collect()
}

/// The exported tables, in import order.
pub fn exported_tables(kinds: &[&'static ContentKind]) -> Vec<(&'static str, &'static Exported)> {
    tables(kinds)
        .into_iter()
        .filter_map(|t| match &t.treatment {
            Treatment::Exported(e) => Some((t.name, e)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::tests::schema;
    use std::collections::HashSet;

    /// The guard of export completeness: a table added by a later migration
    /// must be exported, or declared derived or secret here, with a reason.
    #[test]
    fn every_table_of_the_schema_is_exported_derived_or_secret() {
        let (_dir, c) = schema();
        let in_schema: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let all = tables(crate::content::KINDS);
        let listed: HashSet<&str> = all.iter().map(|t| t.name).collect();
        for t in &in_schema {
            assert!(
                listed.contains(t.as_str()),
                "table {t} is neither exported nor listed as derived or secret in src/ops/export/tables.rs or its kind's registry entry"
            );
        }
        for t in all.iter().copied() {
            assert!(
                in_schema.iter().any(|n| n == t.name),
                "{} is listed but does not exist",
                t.name
            );
            if let Treatment::Derived(why) | Treatment::Secret(why) = t.treatment {
                assert!(!why.is_empty());
            }
        }
        assert_eq!(listed.len(), all.len(), "a table is listed twice");
    }

    #[test]
    fn what_an_export_leaves_out_and_selects_exists() {
        let (_dir, c) = schema();
        let mut files = HashSet::new();
        for (table, e) in exported_tables(crate::content::KINDS) {
            assert!(files.insert(e.file), "{} written twice", e.file);
            let cols: Vec<String> = c
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .unwrap()
                .query_map([table], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for o in e.omit.iter().chain(e.person_omit) {
                assert!(cols.iter().any(|c| c == o), "{table}.{o} does not exist");
            }
            if let Files::Column { column, key, .. } = e.files {
                assert!(cols.iter().any(|c| c == column) && cols.iter().any(|c| c == key));
            }
            c.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY {}", e.order))
                .unwrap();
            if let Some(sql) = e.person {
                c.prepare(&format!("SELECT * FROM \"{table}\" WHERE {sql}"))
                    .unwrap();
            }
        }
    }
}
