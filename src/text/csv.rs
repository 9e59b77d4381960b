//! Text written into CSV files that people open in spreadsheets.

/// A cell of a CSV file: quoted when it must be (RFC 4180), and a text a
/// spreadsheet would take for a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return first) starts with an apostrophe instead.
pub fn csv_cell(raw: &str) -> String {
    let mut v = String::with_capacity(raw.len() + 2);
    if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.push('\'');
    }
    v.push_str(raw);
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}
