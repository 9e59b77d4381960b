//! README.txt: the format of an export, for whoever opens it in ten years
//! without Parvis at hand. The column lists come from the schema itself, so
//! they never lag behind it.

use super::Column;
use super::tables::{Exported, Files, Table, Treatment};
use std::fmt::Write;

const INTRO: &str = "\
PARVIS EXPORT
=============

This directory (or archive) holds everything a Parvis instance stored, in
open formats that need no Parvis to read: plain UTF-8 text, JSON Lines, CSV
and the original files.

Layout
------
  manifest.json     The format version, the number of rows in each .jsonl
                    file, and the size and BLAKE3 checksum (hex) of every
                    other file. Check a file with any BLAKE3 tool (b3sum).
  README.txt        This text.
  <entity>.jsonl    One JSON object per line, one line per row, in a fixed
                    order (by id). Every line stands alone.
  <entity>.csv      The same rows for spreadsheets (RFC 4180, header row,
                    UTF-8), for the tabular lists only.
  spaces/<space>/<folder>/.../<file name>
                    The current version of every document, in its folder.
                    Earlier versions lie beside it as <name>.v<N>.<ext>.
  trash/<space>/... Documents waiting in the trash, laid out the same way.
  people/photos/, portals/logos/
                    Profile photos and portal logos, named by the row's id.

Conventions
-----------
  - Times are integers: milliseconds since 1970-01-01T00:00:00Z (UTC).
  - Ids are integers, unique per entity; a field named <entity>_id, or
    created_by, updated_by, deleted_by, locked_by, sponsor_id, actor_id,
    refers to the row with that id (people for the *_by fields).
  - null means \"not set\". Binary values are base64 (RFC 4648).
  - A document's versions are in document_versions.jsonl; the field `file`
    is where that version's bytes are in this export, and `blob_hash` is
    their BLAKE3 checksum.
  - A folder's `path` lists the ids of its ancestors and its own id:
    /12/40/ is folder 40 inside folder 12.
  - Names that a file system would refuse (/ \\ : * ? \" < > |, control
    characters) are replaced by _ in the tree; the exact names are in the
    .jsonl files. When two names would clash, the later gets \" (2)\".
  - The audit log is a hash chain: each event's `hash` is BLAKE3 over its
    fields and the previous event's hash (`prev_hash`), so a changed,
    removed or inserted event can be detected.

What is not here, on purpose
----------------------------
  - Passwords, second-factor secrets, recovery codes, passkeys, sessions,
    personal access tokens, password-reset and invitation links and public
    share links: secrets never leave the instance. An instance rebuilt from
    this export (parvis import) sends each active person an invitation to
    choose a new password.
  - The search index, thumbnails and the text read out of files: Parvis
    computes them again from what is here.
";

/// The README of an export of `kind`.
pub fn text(
    kind: &str,
    schema_version: u32,
    tables: &[(&str, &Exported, Vec<Column>)],
    all: &[&Table],
) -> String {
    let mut out = String::from(INTRO);
    let _ = writeln!(
        out,
        "\nThis export\n-----------\n  Kind: {}\n  Schema version: {schema_version}\n",
        if kind == "person" {
            "one person's own data (profile, memberships, what they wrote and uploaded, their audit trail)"
        } else {
            "a whole instance"
        }
    );
    out.push_str("Files and fields\n----------------\n");
    for (table, e, cols) in tables {
        let _ = write!(out, "\n{}.jsonl", e.file);
        if e.csv {
            let _ = write!(out, " (and {}.csv)", e.file);
        }
        let _ = writeln!(out, "  [table {table}]");
        for col in cols {
            let (name, kind) = match e.files {
                Files::Column { column, dir, .. } if column == col.name => (
                    format!("{column}_file"),
                    format!("path of the file in {dir}/"),
                ),
                _ => (col.name.clone(), type_name(&col.declared).to_string()),
            };
            let _ = writeln!(out, "    {name:<24} {kind}");
        }
        match e.files {
            Files::Versions => {
                let _ = writeln!(out, "    {:<24} path of this version's bytes", "file");
            }
            Files::Stored { dir } => {
                let _ = writeln!(out, "    {:<24} path of its bytes in {dir}/", "file");
            }
            _ => {}
        }
        if !e.omit.is_empty() {
            let _ = writeln!(out, "    (left out: {})", e.omit.join(", "));
        }
    }
    out.push_str("\nTables not exported\n-------------------\n");
    for t in all {
        let why = match t.treatment {
            Treatment::Exported(_) => continue,
            Treatment::Derived(why) => format!("derived: {why}"),
            Treatment::Secret(why) => format!("secret: {why}"),
        };
        let _ = writeln!(out, "  {:<24} {why}", t.name);
    }
    out
}

fn type_name(declared: &str) -> &'static str {
    match declared {
        "INTEGER" => "integer or null",
        "TEXT" => "text or null",
        "BLOB" => "base64 or null",
        "REAL" => "number or null",
        _ => "value",
    }
}
