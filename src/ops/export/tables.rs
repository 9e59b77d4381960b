//! What an export holds, table by table. Every table of the schema is listed
//! here as exported, derived (rebuilt from the others) or secret (never leaves
//! the instance); a test fails when a later migration adds a table that is
//! not, so export stays complete. An exported table gives all its columns
//! except those named in `omit`: a new column is exported without anyone
//! having to remember it.

/// How a table is treated by `parvis export`.
#[derive(Debug, Clone, Copy)]
pub enum Treatment {
    Exported(Exported),
    /// Rebuilt from exported data (or a cache, or work in flight); the reason.
    Derived(&'static str),
    /// Credentials and bearer secrets; the reason.
    Secret(&'static str),
}

/// A table written to `<file>.jsonl` (and `<file>.csv` for tabular lists).
#[derive(Debug, Clone, Copy)]
pub struct Exported {
    pub file: &'static str,
    /// Columns left out: secrets or transient state; each must have a default.
    pub omit: &'static [&'static str],
    /// The sort that makes the file the same from one export to the next.
    pub order: &'static str,
    pub csv: bool,
    pub files: Files,
    /// For a person's own export: the rows that are theirs (`?1` is their id).
    pub person: Option<&'static str>,
}

/// Bytes a table's rows refer to, written as files beside the JSON Lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    None,
    /// A BLOB column written to `<dir>/<key>.<extension of content_type>`; the
    /// row carries `<column>_file` instead of the column.
    Column {
        column: &'static str,
        key: &'static str,
        dir: &'static str,
    },
    /// Document versions: the file in the readable tree; the row carries `file`.
    Versions,
}

#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub treatment: Treatment,
}

const fn exported(name: &'static str, e: Exported) -> Table {
    Table {
        name,
        treatment: Treatment::Exported(e),
    }
}

const fn plain(file: &'static str, order: &'static str) -> Exported {
    Exported {
        file,
        omit: &[],
        order,
        csv: false,
        files: Files::None,
        person: None,
    }
}

const fn derived(name: &'static str, why: &'static str) -> Table {
    Table {
        name,
        treatment: Treatment::Derived(why),
    }
}

const fn secret(name: &'static str, why: &'static str) -> Table {
    Table {
        name,
        treatment: Treatment::Secret(why),
    }
}

/// Every table, exported ones in the order an import inserts them.
pub const TABLES: &[Table] = &[
    exported("instance_settings", plain("settings", "key")),
    exported(
        "organizations",
        Exported {
            csv: true,
            person: Some("id = (SELECT org_id FROM people WHERE id = ?1)"),
            ..plain("organizations", "id")
        },
    ),
    exported(
        "organization_domains",
        Exported {
            csv: true,
            ..plain("organization_domains", "domain")
        },
    ),
    exported("portals", plain("portals", "id")),
    exported("portal_hostnames", plain("portal_hostnames", "hostname")),
    exported("portal_audience", plain("portal_audience", "id")),
    exported(
        "portal_logos",
        Exported {
            files: Files::Column {
                column: "data",
                key: "portal_id",
                dir: "portals/logos",
            },
            ..plain("portal_logos", "portal_id")
        },
    ),
    exported(
        "portal_favicons",
        Exported {
            files: Files::Column {
                column: "data",
                key: "portal_id",
                dir: "portals/favicons",
            },
            ..plain("portal_favicons", "portal_id")
        },
    ),
    exported(
        "people",
        Exported {
            omit: &[
                "password_hash",
                "password_must_change",
                "mfa_failures",
                "mfa_locked_until",
            ],
            csv: true,
            person: Some("id = ?1"),
            ..plain("people", "id")
        },
    ),
    exported(
        "person_photos",
        Exported {
            files: Files::Column {
                column: "data",
                key: "person_id",
                dir: "people/photos",
            },
            person: Some("person_id = ?1"),
            ..plain("person_photos", "person_id")
        },
    ),
    exported(
        "groups",
        Exported {
            csv: true,
            person: Some("id IN (SELECT group_id FROM group_members WHERE person_id = ?1)"),
            ..plain("groups", "id")
        },
    ),
    exported(
        "group_members",
        Exported {
            csv: true,
            person: Some("person_id = ?1"),
            ..plain("group_members", "group_id, person_id")
        },
    ),
    exported(
        "spaces",
        Exported {
            csv: true,
            person: Some("id IN (SELECT space_id FROM space_members WHERE person_id = ?1)"),
            ..plain("spaces", "id")
        },
    ),
    exported(
        "space_members",
        Exported {
            csv: true,
            person: Some("person_id = ?1"),
            ..plain("space_members", "id")
        },
    ),
    exported(
        "space_portals",
        plain("space_portals", "space_id, portal_id"),
    ),
    exported(
        "space_links",
        Exported {
            csv: true,
            person: Some("created_by = ?1"),
            ..plain("space_links", "id")
        },
    ),
    exported(
        "folders",
        Exported {
            person: Some("created_by = ?1"),
            ..plain("folders", "id")
        },
    ),
    exported(
        "folder_access",
        Exported {
            person: Some("person_id = ?1"),
            ..plain("folder_access", "id")
        },
    ),
    exported(
        "documents",
        Exported {
            csv: true,
            person: Some(
                "created_by = ?1 OR id IN (SELECT document_id FROM document_versions WHERE created_by = ?1)",
            ),
            ..plain("documents", "id")
        },
    ),
    exported(
        "document_versions",
        Exported {
            csv: true,
            files: Files::Versions,
            person: Some("created_by = ?1"),
            ..plain("document_versions", "id")
        },
    ),
    exported("dav_properties", plain("dav_properties", "id")),
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
    derived("previews", "thumbnails, made again from the files"),
    derived(
        "small_blobs",
        "the contents of small files, exported as the files themselves",
    ),
    derived(
        "text_extracts",
        "text read out of the files for search, read again",
    ),
    secret("sessions", "sign-in sessions"),
    secret(
        "api_tokens",
        "personal access tokens (hashes of bearer secrets)",
    ),
    secret("one_time_tokens", "password reset and invitation links"),
    secret("mfa_totp", "authenticator app secrets"),
    secret("mfa_recovery_codes", "second-factor recovery codes"),
    secret(
        "webauthn_credentials",
        "passkeys, bound to this instance's host names",
    ),
    secret(
        "webauthn_registrations",
        "passkey registrations in progress",
    ),
    secret(
        "signin_challenges",
        "sign-ins waiting for their second factor",
    ),
    secret("share_links", "public links to documents (bearer secrets)"),
];

/// The exported tables, in import order.
pub fn exported_tables() -> impl Iterator<Item = (&'static str, &'static Exported)> {
    TABLES.iter().filter_map(|t| match &t.treatment {
        Treatment::Exported(e) => Some((t.name, e)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn schema() -> (tempfile::TempDir, rusqlite::Connection) {
        let dir = tempfile::tempdir().unwrap();
        let c = crate::db::open_single(
            &dir.path().join("parvis.db"),
            std::time::Duration::from_secs(5),
        )
        .unwrap();
        (dir, c)
    }

    /// The guard of export completeness: a table added by a later migration
    /// must be exported, or declared derived or secret here, with a reason.
    #[test]
    fn every_table_of_the_schema_is_exported_derived_or_secret() {
        let (_dir, c) = schema();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let listed: HashSet<&str> = TABLES.iter().map(|t| t.name).collect();
        for t in &tables {
            assert!(
                listed.contains(t.as_str()),
                "table {t} is neither exported nor listed as derived or secret in src/ops/export/tables.rs"
            );
        }
        for t in TABLES {
            assert!(
                tables.iter().any(|n| n == t.name),
                "{} is listed but does not exist",
                t.name
            );
            if let Treatment::Derived(why) | Treatment::Secret(why) = t.treatment {
                assert!(!why.is_empty());
            }
        }
        assert_eq!(listed.len(), TABLES.len(), "a table is listed twice");
    }

    #[test]
    fn what_an_export_leaves_out_and_selects_exists() {
        let (_dir, c) = schema();
        let mut files = HashSet::new();
        for (table, e) in exported_tables() {
            assert!(files.insert(e.file), "{} written twice", e.file);
            let cols: Vec<String> = c
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .unwrap()
                .query_map([table], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for o in e.omit {
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
