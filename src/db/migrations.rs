//! Numbered SQL migrations embedded in the binary, applied at start in order,
//! forward-only. Each applied migration's BLAKE3 checksum is recorded; a
//! migration edited after it was applied stops the start.

use super::DbError;
use rusqlite::{Connection, OptionalExtension, params};

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. Never edit one that shipped: add the next number.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("migrations/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "api_tokens",
        sql: include_str!("migrations/0002_api_tokens.sql"),
    },
    Migration {
        version: 3,
        name: "outbox",
        sql: include_str!("migrations/0003_outbox.sql"),
    },
    Migration {
        version: 4,
        name: "one_time_tokens",
        sql: include_str!("migrations/0004_one_time_tokens.sql"),
    },
    Migration {
        version: 5,
        name: "identity",
        sql: include_str!("migrations/0005_identity.sql"),
    },
    Migration {
        version: 6,
        name: "passkeys",
        sql: include_str!("migrations/0006_passkeys.sql"),
    },
    Migration {
        version: 7,
        name: "documents",
        sql: include_str!("migrations/0007_documents.sql"),
    },
    Migration {
        version: 8,
        name: "folders_dav_previews",
        sql: include_str!("migrations/0008_folders_dav.sql"),
    },
    Migration {
        version: 9,
        name: "text_extracts",
        sql: include_str!("migrations/0009_text_extracts.sql"),
    },
    Migration {
        version: 10,
        name: "erasure_retention",
        sql: include_str!("migrations/0010_erasure_retention.sql"),
    },
    Migration {
        version: 11,
        name: "org_domains",
        sql: include_str!("migrations/0011_org_domains.sql"),
    },
    Migration {
        version: 12,
        name: "space_links",
        sql: include_str!("migrations/0012_space_links.sql"),
    },
    Migration {
        version: 13,
        name: "time_zones",
        sql: include_str!("migrations/0013_time_zones.sql"),
    },
    Migration {
        version: 14,
        name: "last_signin",
        sql: include_str!("migrations/0014_last_signin.sql"),
    },
    Migration {
        version: 15,
        name: "portal_branding",
        sql: include_str!("migrations/0015_portal_branding.sql"),
    },
    Migration {
        version: 16,
        name: "space_descriptions",
        sql: include_str!("migrations/0016_space_descriptions.sql"),
    },
    Migration {
        version: 17,
        name: "small_blobs",
        sql: include_str!("migrations/0017_small_blobs.sql"),
    },
    Migration {
        version: 18,
        name: "notifications",
        sql: include_str!("migrations/0018_notifications.sql"),
    },
    Migration {
        version: 19,
        name: "news",
        sql: include_str!("migrations/0019_news.sql"),
    },
    Migration {
        version: 20,
        name: "notification_delivery",
        sql: include_str!("migrations/0020_notification_delivery.sql"),
    },
    Migration {
        version: 21,
        name: "discussions",
        sql: include_str!("migrations/0021_discussions.sql"),
    },
    Migration {
        version: 22,
        name: "comments",
        sql: include_str!("migrations/0022_comments.sql"),
    },
    Migration {
        version: 23,
        name: "requests",
        sql: include_str!("migrations/0023_requests.sql"),
    },
    Migration {
        version: 24,
        name: "request_work",
        sql: include_str!("migrations/0024_request_work.sql"),
    },
    Migration {
        version: 25,
        name: "adoption",
        sql: include_str!("migrations/0025_adoption.sql"),
    },
    Migration {
        version: 26,
        name: "approvals",
        sql: include_str!("migrations/0026_approvals.sql"),
    },
    Migration {
        version: 27,
        name: "approval_states",
        sql: include_str!("migrations/0027_approval_states.sql"),
    },
    Migration {
        version: 28,
        name: "approval_discussion",
        sql: include_str!("migrations/0028_approval_discussion.sql"),
    },
    Migration {
        version: 29,
        name: "approval_requests",
        sql: include_str!("migrations/0029_approval_requests.sql"),
    },
];

/// Migrations that build a table others refer to again: they run with
/// foreign keys off (dropping the old table would otherwise delete the
/// rows that refer to it), as SQLite's own procedure says, and every
/// reference is checked before they commit.
const REBUILDS: &[u32] = &[29];

fn checksum(sql: &str) -> String {
    blake3::hash(sql.as_bytes()).to_hex().to_string()
}

/// How the database file compares with the migrations this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub applied: u32,
    pub known: u32,
    pub edited: Vec<u32>,
}

pub fn migration_status(conn: &Connection) -> Result<MigrationStatus, DbError> {
    let mut stmt =
        conn.prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut edited = Vec::new();
    for (version, sum) in &rows {
        if let Some(m) = MIGRATIONS.iter().find(|m| m.version == *version)
            && checksum(m.sql) != *sum
        {
            edited.push(*version);
        }
    }
    Ok(MigrationStatus {
        applied: rows.last().map(|r| r.0).unwrap_or(0),
        known: MIGRATIONS.last().map(|m| m.version).unwrap_or(0),
        edited,
    })
}

pub(super) fn apply(conn: &mut Connection) -> Result<(), DbError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT;",
    )?;
    let status = migration_status(conn)?;
    if let Some(&version) = status.edited.first() {
        let name = MIGRATIONS
            .iter()
            .find(|m| m.version == version)
            .map(|m| m.name.to_string())
            .unwrap_or_default();
        return Err(DbError::MigrationEdited { version, name });
    }
    if status.applied > status.known {
        return Err(DbError::SchemaTooNew {
            found: status.applied,
            known: status.known,
        });
    }
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| m.version > status.applied) {
        let rebuilds = REBUILDS.contains(&m.version);
        if rebuilds {
            conn.execute_batch("PRAGMA foreign_keys=OFF")?;
        }
        let applied_one = apply_one(conn, m, rebuilds);
        if rebuilds {
            conn.execute_batch("PRAGMA foreign_keys=ON")?;
        }
        if applied_one? {
            applied.push(m.version);
        }
    }
    if let (Some(first), Some(last)) = (applied.first(), applied.last()) {
        // The schema's pages are written into the database file at once,
        // rather than left in the write-ahead log: a new instance starts
        // small (a whole schema is over a megabyte of log).
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        tracing::info!(from = first, to = last, "database schema migrated");
    }
    Ok(())
}

/// Applies one migration in its own transaction: whether it was applied
/// (another process may have applied it meanwhile).
fn apply_one(conn: &mut Connection, m: &Migration, rebuilds: bool) -> Result<bool, DbError> {
    let tx = conn.transaction()?;
    let already: Option<u32> = tx
        .query_row(
            "SELECT version FROM schema_migrations WHERE version = ?1",
            [m.version],
            |r| r.get(0),
        )
        .optional()?;
    if already.is_some() {
        return Ok(false);
    }
    tx.execute_batch(m.sql)?;
    if rebuilds {
        let dangling: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            return Err(DbError::DanglingReferences {
                name: m.name.to_string(),
                count: dangling,
            });
        }
    }
    tx.execute(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![m.version, m.name, checksum(m.sql), crate::util::now_ms()],
    )?;
    tracing::debug!(version = m.version, name = m.name, "applied migration");
    tx.commit()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                m.version as usize,
                i + 1,
                "migration {} out of order",
                m.name
            );
        }
    }

    #[test]
    fn applying_twice_is_a_no_op_and_edits_are_detected() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        apply(&mut conn).unwrap();
        let st = migration_status(&conn).unwrap();
        assert_eq!(st.applied, st.known);
        conn.execute(
            "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1",
            [],
        )
        .unwrap();
        assert!(matches!(
            apply(&mut conn),
            Err(DbError::MigrationEdited { version: 1, .. })
        ));
    }

    #[test]
    fn newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)",
            [],
        )
        .unwrap();
        assert!(matches!(
            apply(&mut conn),
            Err(DbError::SchemaTooNew { .. })
        ));
    }
}
