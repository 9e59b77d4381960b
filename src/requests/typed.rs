//! Values as people type them (a form's inputs, a CSV's cells), read as
//! the API takes them: `1 234,50` is an amount in minor units, `#12` an id.
//! What does not read as its kind is passed on as typed, for the service
//! to refuse by name.

use super::fields::FieldKind;
use super::types::TypeRow;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A typed amount (`1234.5`, `1 234,50`) in minor units.
fn minor_units(raw: &str) -> Option<i64> {
    let clean: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let clean = clean.replace(',', ".");
    let (whole, cents) = match clean.split_once('.') {
        Some((w, c)) if c.len() <= 2 && c.bytes().all(|b| b.is_ascii_digit()) => {
            (w, format!("{c:0<2}"))
        }
        Some(_) => return None,
        None => (clean.as_str(), "00".to_string()),
    };
    let negative = whole.starts_with('-');
    let w: i64 = whole.trim_start_matches('-').parse().ok()?;
    let v = w
        .checked_mul(100)?
        .checked_add(cents.parse::<i64>().ok()?)?;
    Some(if negative { -v } else { v })
}

/// The values a form gives, as the API takes them: what does not read as
/// its kind is passed on as typed, for the service to refuse by name.
pub fn values(t: &TypeRow, draft: &HashMap<String, Vec<String>>) -> Map<String, Value> {
    let mut out = Map::new();
    for f in &t.definition.fields {
        let Some(given) = draft.get(&format!("f.{}", f.key)) else {
            continue;
        };
        let first = given.first().map(|s| s.trim()).unwrap_or_default();
        let v = match &f.kind {
            FieldKind::MultipleChoice { .. } => Value::from(given.clone()),
            _ if first.is_empty() => continue,
            FieldKind::Number {} => first
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .unwrap_or_else(|| Value::from(first)),
            FieldKind::Money { currency } => match minor_units(first) {
                Some(a) => serde_json::json!({"amount": a, "currency": currency}),
                None => Value::from(first),
            },
            FieldKind::Person {}
            | FieldKind::Organization {}
            | FieldKind::Document {}
            | FieldKind::File {} => first
                .trim_start_matches('#')
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(first)),
            _ => Value::from(first),
        };
        out.insert(f.key.clone(), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::minor_units;

    #[test]
    fn amounts_read_as_people_type_them() {
        assert_eq!(minor_units("1234.5"), Some(123_450));
        assert_eq!(minor_units("1 234,50"), Some(123_450));
        assert_eq!(minor_units("12"), Some(1_200));
        assert_eq!(minor_units("-3.05"), Some(-305));
        for bad in ["", "1.234", "abc", "1,2,3", "99999999999999999999"] {
            assert_eq!(minor_units(bad), None, "{bad}");
        }
    }
}
