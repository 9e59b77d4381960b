//! A request type's fields and the values people give them: what each kind
//! of field accepts, checked the same way on every channel (the form, the
//! API, an ERP's upsert, a CSV import). A value names people,
//! organizations, files and documents by id; whether the writer may name
//! them is for the service to ask of `access`.

use super::workflow::valid_key;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;

const MAX_TEXT: usize = 500;
const MAX_LONG_TEXT: usize = 20_000;
const MAX_CHOICES: usize = 100;
const MAX_FIELDS: usize = 60;
/// Money as minor units (cents): at most a thousand billion in any currency.
const MAX_MINOR: i64 = 100_000_000_000_000;

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Every kind is a struct, empty or not: serde refuses unknown keys in the
// struct variants of an internally tagged enum, not in its unit variants.
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldKind {
    /// One line.
    Text {},
    /// Several paragraphs of Markdown.
    LongText {},
    Number {},
    /// An amount in this currency (ISO 4217, `EUR`), in minor units.
    Money {
        currency: String,
    },
    Date {},
    Choice {
        options: Vec<String>,
    },
    MultipleChoice {
        options: Vec<String>,
    },
    Person {},
    Organization {},
    /// A file sent with the request.
    File {},
    /// A link to a document of the library.
    Document {},
}

/// One field of a type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub key: String,
    pub label_en: String,
    pub label_fr: String,
    /// `{"type": "money", "currency": "EUR"}`, `{"type": "date"}`…
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// Shown to internal people only: never on any channel an external
    /// person reaches.
    #[serde(default)]
    pub internal: bool,
}

/// Why a value or a definition is refused: the field's key and a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: String,
    /// `request-field-<code>` in the translations.
    pub code: &'static str,
}

fn err(key: &str, code: &'static str) -> FieldError {
    FieldError {
        key: key.to_string(),
        code,
    }
}

fn one_line(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// Checks a type's fields: keys, labels, options, currencies.
pub fn check_defs(defs: &[FieldDef]) -> Result<(), FieldError> {
    if defs.len() > MAX_FIELDS {
        return Err(err("", "too-many"));
    }
    let mut seen = std::collections::HashSet::new();
    for d in defs {
        if !valid_key(&d.key) {
            return Err(err(&d.key, "bad-key"));
        }
        if !seen.insert(d.key.as_str()) {
            return Err(err(&d.key, "duplicate"));
        }
        for label in [&d.label_en, &d.label_fr] {
            if label.trim().is_empty() || label.chars().count() > 120 || !one_line(label) {
                return Err(err(&d.key, "bad-label"));
            }
        }
        match &d.kind {
            FieldKind::Money { currency } if !is_currency(currency) => {
                return Err(err(&d.key, "bad-currency"));
            }
            FieldKind::Choice { options } | FieldKind::MultipleChoice { options } => {
                let distinct: std::collections::HashSet<&String> = options.iter().collect();
                if options.is_empty()
                    || options.len() > MAX_CHOICES
                    || distinct.len() != options.len()
                    || options
                        .iter()
                        .any(|o| o.trim().is_empty() || o.chars().count() > 120 || !one_line(o))
                {
                    return Err(err(&d.key, "bad-options"));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_currency(c: &str) -> bool {
    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())
}

/// The value given for `def` (`None`: not given or null), checked and
/// made canonical; `None` back when it is empty and may be.
pub fn value(def: &FieldDef, given: Option<&Value>) -> Result<Option<Value>, FieldError> {
    let key = def.key.as_str();
    let given = match given {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::Array(a)) if a.is_empty() => None,
        Some(v) => Some(v),
    };
    let Some(v) = given else {
        return if def.required {
            Err(err(key, "required"))
        } else {
            Ok(None)
        };
    };
    let bad = || err(key, "invalid");
    let id = |v: &Value| v.as_i64().filter(|i| *i > 0).ok_or_else(bad);
    let out = match &def.kind {
        FieldKind::Text {} => {
            let s = v.as_str().ok_or_else(bad)?.trim();
            if s.chars().count() > MAX_TEXT || !one_line(s) {
                return Err(err(key, "too-long-or-not-one-line"));
            }
            Value::from(s)
        }
        FieldKind::LongText {} => {
            let s = v.as_str().ok_or_else(bad)?.trim_end();
            if s.len() > MAX_LONG_TEXT || s.contains('\0') {
                return Err(err(key, "too-long"));
            }
            Value::from(s)
        }
        FieldKind::Number {} => {
            let n = v.as_f64().filter(|n| n.is_finite()).ok_or_else(bad)?;
            Value::from(n)
        }
        FieldKind::Money { currency } => {
            // `{"amount": 12345, "currency": "EUR"}`: minor units, and the
            // type's currency said again, so that a sum in another one is
            // refused rather than read as this one.
            let o = v.as_object().ok_or_else(bad)?;
            if o.keys().any(|k| k != "amount" && k != "currency") {
                return Err(bad());
            }
            let amount = o
                .get("amount")
                .and_then(Value::as_i64)
                .filter(|a| a.abs() <= MAX_MINOR)
                .ok_or_else(bad)?;
            if o.get("currency").and_then(Value::as_str) != Some(currency.as_str()) {
                return Err(err(key, "wrong-currency"));
            }
            serde_json::json!({"amount": amount, "currency": currency})
        }
        FieldKind::Date {} => {
            let s = v.as_str().ok_or_else(bad)?;
            let d: Date = s.parse().map_err(|_| bad())?;
            Value::from(d.to_string())
        }
        FieldKind::Choice { options } => {
            let s = v.as_str().ok_or_else(bad)?;
            if !options.iter().any(|o| o == s) {
                return Err(err(key, "not-a-choice"));
            }
            Value::from(s)
        }
        FieldKind::MultipleChoice { options } => {
            let a = v.as_array().ok_or_else(bad)?;
            let mut chosen = Vec::new();
            for o in options {
                if a.iter().any(|x| x.as_str() == Some(o.as_str())) {
                    chosen.push(Value::from(o.as_str()));
                }
            }
            if chosen.len() != a.len() {
                // Something not in the list, or twice.
                return Err(err(key, "not-a-choice"));
            }
            Value::Array(chosen)
        }
        FieldKind::Person {}
        | FieldKind::Organization {}
        | FieldKind::File {}
        | FieldKind::Document {} => Value::from(id(v)?),
    };
    Ok(Some(out))
}

/// Every field's value from `given` (an object keyed by field key):
/// unknown keys refused, required ones asked for, each checked. What is
/// kept is only the fields that have a value.
pub fn values(
    defs: &[FieldDef],
    given: &serde_json::Map<String, Value>,
) -> Result<serde_json::Map<String, Value>, FieldError> {
    if let Some(unknown) = given.keys().find(|k| !defs.iter().any(|d| &d.key == *k)) {
        return Err(err(unknown, "unknown"));
    }
    let mut out = serde_json::Map::new();
    for d in defs {
        if let Some(v) = value(d, given.get(&d.key))? {
            out.insert(d.key.clone(), v);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(key: &str, kind: FieldKind, required: bool) -> FieldDef {
        FieldDef {
            key: key.into(),
            label_en: key.into(),
            label_fr: key.into(),
            kind,
            required,
            internal: false,
        }
    }

    fn order() -> Vec<FieldDef> {
        vec![
            def("reference", FieldKind::Text {}, true),
            def("details", FieldKind::LongText {}, false),
            def("quantity", FieldKind::Number {}, true),
            def(
                "amount",
                FieldKind::Money {
                    currency: "EUR".into(),
                },
                false,
            ),
            def("due", FieldKind::Date {}, false),
            def(
                "site",
                FieldKind::Choice {
                    options: vec!["Lyon".into(), "Oslo".into()],
                },
                false,
            ),
            def(
                "checks",
                FieldKind::MultipleChoice {
                    options: vec!["x-ray".into(), "salt-spray".into()],
                },
                false,
            ),
            def("contact", FieldKind::Person {}, false),
        ]
    }

    fn given(v: Value) -> serde_json::Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn values_are_checked_and_made_canonical() {
        let defs = order();
        assert_eq!(check_defs(&defs), Ok(()));
        let v = values(
            &defs,
            &given(json!({
                "reference": "  PO-7781 ", "quantity": 12, "amount": {"amount": 129900, "currency": "EUR"},
                "due": "2027-01-15", "site": "Oslo", "checks": ["salt-spray", "x-ray"], "details": "",
                "contact": 4
            })),
        )
        .unwrap();
        assert_eq!(v["reference"], "PO-7781");
        assert_eq!(
            v["checks"],
            json!(["x-ray", "salt-spray"]),
            "in the type's order"
        );
        assert!(!v.contains_key("details"), "empty is not kept");
        assert_eq!(v["amount"], json!({"amount": 129900, "currency": "EUR"}));
    }

    #[test]
    fn each_wrong_value_is_named_with_its_field_and_rule() {
        let defs = order();
        let base = json!({"reference": "PO-1", "quantity": 1});
        let with = |k: &str, v: Value| {
            let mut g = given(base.clone());
            g.insert(k.into(), v);
            values(&defs, &g).err().map(|e| (e.key, e.code))
        };
        let e = |k: &str, c: &'static str| Some((k.to_string(), c));
        assert_eq!(
            values(&defs, &given(json!({"quantity": 1})))
                .err()
                .map(|e| e.code),
            Some("required")
        );
        assert_eq!(with("colour", json!("red")), e("colour", "unknown"));
        assert_eq!(with("quantity", json!("12")), e("quantity", "invalid"));
        assert_eq!(
            with("reference", json!("a\nb")),
            e("reference", "too-long-or-not-one-line")
        );
        assert_eq!(
            with("reference", json!("x".repeat(501))),
            e("reference", "too-long-or-not-one-line")
        );
        assert_eq!(
            with("amount", json!({"amount": 5, "currency": "USD"})),
            e("amount", "wrong-currency")
        );
        assert_eq!(
            with("amount", json!({"amount": 5})),
            e("amount", "wrong-currency")
        );
        assert_eq!(
            with("amount", json!({"amount": 1.5, "currency": "EUR"})),
            e("amount", "invalid")
        );
        assert_eq!(with("amount", json!(12)), e("amount", "invalid"));
        assert_eq!(with("due", json!("2027-02-30")), e("due", "invalid"));
        assert_eq!(with("due", json!("tomorrow")), e("due", "invalid"));
        assert_eq!(with("site", json!("Paris")), e("site", "not-a-choice"));
        assert_eq!(
            with("checks", json!(["x-ray", "x-ray"])),
            e("checks", "not-a-choice")
        );
        assert_eq!(
            with("checks", json!(["gamma"])),
            e("checks", "not-a-choice")
        );
        assert_eq!(with("contact", json!(-3)), e("contact", "invalid"));
        assert_eq!(with("contact", json!("4")), e("contact", "invalid"));
        assert_eq!(with("details", json!("a\0b")), e("details", "too-long"));
    }

    #[test]
    fn a_type_s_fields_are_checked_before_they_are_kept() {
        let bad = |d: FieldDef| check_defs(&[d]).err().map(|e| e.code);
        assert_eq!(
            bad(def("Bad Key", FieldKind::Text {}, false)),
            Some("bad-key")
        );
        assert_eq!(
            bad(def(
                "a",
                FieldKind::Money {
                    currency: "euro".into()
                },
                false
            )),
            Some("bad-currency")
        );
        assert_eq!(
            bad(def("a", FieldKind::Choice { options: vec![] }, false)),
            Some("bad-options")
        );
        assert_eq!(
            bad(def(
                "a",
                FieldKind::Choice {
                    options: vec!["x".into(), "x".into()]
                },
                false
            )),
            Some("bad-options")
        );
        let mut d = def("a", FieldKind::Text {}, false);
        d.label_fr = "".into();
        assert_eq!(bad(d), Some("bad-label"));
        assert_eq!(
            check_defs(&[
                def("a", FieldKind::Text {}, false),
                def("a", FieldKind::Date {}, false)
            ])
            .err()
            .map(|e| e.code),
            Some("duplicate")
        );
        // As an administrator writes it, in JSON: unknown keys refused.
        let json = json!({"key": "po", "label_en": "PO", "label_fr": "BC", "kind": {"type": "money", "currency": "EUR"}, "required": true});
        let d: FieldDef = serde_json::from_value(json).unwrap();
        assert_eq!(
            d.kind,
            FieldKind::Money {
                currency: "EUR".into()
            }
        );
        let json = json!({"key": "po", "label_en": "PO", "label_fr": "BC", "kind": {"type": "text"}, "colour": "red"});
        assert!(serde_json::from_value::<FieldDef>(json).is_err());
        let json = json!({"key": "po", "label_en": "PO", "label_fr": "BC", "kind": {"type": "text", "max": 3}});
        assert!(serde_json::from_value::<FieldDef>(json).is_err());
    }
}
