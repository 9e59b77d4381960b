//! What erasing a person (GDPR article 17) does to the rows of each kind that
//! name them. Every column that refers to `people` is ruled on by exactly one
//! kind: a test reads the schema's foreign keys, so a new column cannot be
//! forgotten.

use super::ContentKind;
use rusqlite::Transaction;

/// The rule for one column naming a person.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub table: &'static str,
    pub column: &'static str,
    pub does: Does,
}

#[derive(Debug, Clone, Copy)]
pub enum Does {
    /// The rows go (their sessions, their memberships).
    Delete,
    /// The column is emptied; the row stays (who sponsored them).
    Clear,
    /// A statement of its own (`?1` is the person): several columns at once.
    Run(&'static str),
    /// The row keeps naming them, shown under the neutral name; why.
    Keep(&'static str),
}

pub const fn delete(table: &'static str, column: &'static str) -> Rule {
    Rule {
        table,
        column,
        does: Does::Delete,
    }
}

pub const fn clear(table: &'static str, column: &'static str) -> Rule {
    Rule {
        table,
        column,
        does: Does::Clear,
    }
}

pub const fn keep(table: &'static str, column: &'static str, why: &'static str) -> Rule {
    Rule {
        table,
        column,
        does: Does::Keep(why),
    }
}

pub const fn run(table: &'static str, column: &'static str, sql: &'static str) -> Rule {
    Rule {
        table,
        column,
        does: Does::Run(sql),
    }
}

/// What the rules did for one person.
#[derive(Debug, Default)]
pub struct Applied {
    /// Rows changed or removed, by table.
    pub changed: Vec<(&'static str, usize)>,
    /// Items that keep naming the person and whose index entries show the
    /// name, by kind (to index again under the neutral name).
    pub kept: Vec<(&'static str, Vec<i64>)>,
}

impl Applied {
    pub fn changed_in(&self, table: &str) -> usize {
        self.changed
            .iter()
            .filter(|(t, _)| *t == table)
            .map(|(_, n)| n)
            .sum()
    }

    pub fn kept_of(&self, kind: &str) -> usize {
        self.kept
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, ids)| ids.len())
            .sum()
    }
}

/// Applies every kind's rules to `person`'s rows, in the caller's transaction.
pub fn apply(
    tx: &Transaction<'_>,
    kinds: &[&ContentKind],
    person: i64,
) -> rusqlite::Result<Applied> {
    let mut out = Applied::default();
    for kind in kinds {
        let mut kept = std::collections::BTreeSet::new();
        for rule in kind.erasure {
            let (t, c) = (rule.table, rule.column);
            let sql = match rule.does {
                Does::Delete => format!("DELETE FROM \"{t}\" WHERE {c} = ?1"),
                Does::Clear => format!("UPDATE \"{t}\" SET {c} = NULL WHERE {c} = ?1"),
                Does::Run(sql) => sql.to_string(),
                Does::Keep(_) => {
                    let own = kind.tables.first().is_some_and(|m| m.name == t);
                    if own && kind.search.is_some() {
                        let mut st =
                            tx.prepare(&format!("SELECT id FROM \"{t}\" WHERE {c} = ?1"))?;
                        for id in st.query_map([person], |r| r.get::<_, i64>(0))? {
                            kept.insert(id?);
                        }
                    }
                    continue;
                }
            };
            out.changed.push((t, tx.execute(&sql, [person])?));
        }
        if !kept.is_empty() {
            out.kept.push((kind.name, kept.into_iter().collect()));
        }
    }
    Ok(out)
}
