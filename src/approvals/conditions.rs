//! Conditions on a request's fields that choose a flow's steps: a step
//! with `when` runs only for the requests it holds for (a purchase above
//! 10,000 € adds the finance step). They are read against the fields the
//! flow decides on (the request as its customer sees it), when the flow
//! starts and each time it starts again on changed fields.

use crate::service::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

const MAX_CHOICES: usize = 100;

/// `{"field": "amount", "above": 10000}`: every test given must hold. A
/// money field is compared in its currency's units (10000 is 10,000 €); a
/// choice by its option; a field left empty holds for no test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// The value is one of these (for a multiple choice: any of them chosen).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<String>,
}

impl Condition {
    fn bounds(&self) -> [Option<f64>; 4] {
        [self.above, self.at_least, self.below, self.at_most]
    }

    /// A field key as request types write them, at least one test, finite
    /// numbers, a short list of choices.
    pub fn check(&self) -> bool {
        let bounds = self.bounds();
        let tests = bounds.iter().flatten().count() + usize::from(!self.one_of.is_empty());
        crate::requests::workflow::valid_key(&self.field)
            && tests > 0
            && bounds.iter().flatten().all(|n| n.is_finite())
            && self.one_of.len() <= MAX_CHOICES
            && self
                .one_of
                .iter()
                .all(|o| !o.trim().is_empty() && o.chars().count() <= 120)
    }

    /// Whether it holds for these field values.
    pub fn holds(&self, fields: &Map<String, Value>) -> bool {
        let Some(v) = fields.get(&self.field) else {
            return false;
        };
        if self.bounds().iter().any(Option::is_some) {
            let Some(n) = number(v) else { return false };
            let ok = self.above.is_none_or(|b| n > b)
                && self.at_least.is_none_or(|b| n >= b)
                && self.below.is_none_or(|b| n < b)
                && self.at_most.is_none_or(|b| n <= b);
            if !ok {
                return false;
            }
        }
        if !self.one_of.is_empty() {
            let chosen = |s: &str| self.one_of.iter().any(|o| o == s);
            let ok = match v {
                Value::String(s) => chosen(s),
                Value::Array(a) => a.iter().filter_map(Value::as_str).any(chosen),
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        true
    }
}

/// A value as a number: a number, or money in its currency's units.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Object(o) => o
            .get("amount")
            .and_then(Value::as_i64)
            .map(|minor| minor as f64 / 100.0),
        _ => None,
    }
}

/// Refused at start: a condition names a field the request does not show
/// its customer (or none of its type), which no flow could read.
pub fn require_fields<'a>(
    conditions: impl Iterator<Item = &'a Condition>,
    public: &[&str],
) -> Result<()> {
    for c in conditions {
        if !public.contains(&c.field.as_str()) {
            return Err(Error::InvalidItem {
                field: "when",
                item: c.field.clone(),
                code: "approval-condition-field",
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cond(v: Value) -> Condition {
        serde_json::from_value(v).unwrap()
    }

    fn fields(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_purchase_above_ten_thousand_euros_meets_the_finance_step() {
        let finance = cond(json!({"field": "amount", "above": 10000}));
        assert!(finance.check());
        let big = fields(json!({"amount": {"amount": 1_250_000, "currency": "EUR"}}));
        let exact = fields(json!({"amount": {"amount": 1_000_000, "currency": "EUR"}}));
        assert!(finance.holds(&big));
        assert!(!finance.holds(&exact), "above is strict");
        assert!(cond(json!({"field": "amount", "at_least": 10000})).holds(&exact));
        assert!(
            !finance.holds(&fields(json!({}))),
            "an empty field holds for nothing"
        );
        let range = cond(json!({"field": "n", "at_least": 2, "below": 5}));
        assert!(range.holds(&fields(json!({"n": 2}))) && !range.holds(&fields(json!({"n": 5}))));
    }

    #[test]
    fn choices_and_multiple_choices() {
        let c = cond(json!({"field": "site", "one_of": ["Lyon", "Oslo"]}));
        assert!(c.holds(&fields(json!({"site": "Oslo"}))));
        assert!(!c.holds(&fields(json!({"site": "Paris"}))));
        assert!(c.holds(&fields(json!({"site": ["Paris", "Lyon"]}))));
        assert!(!c.holds(&fields(json!({"site": 3}))));
    }

    #[test]
    fn a_condition_without_a_test_or_with_a_bad_key_is_refused() {
        assert!(!cond(json!({"field": "amount"})).check());
        assert!(!cond(json!({"field": "Amount!", "above": 1})).check());
        assert!(!cond(json!({"field": "a", "one_of": [" "]})).check());
        assert!(serde_json::from_value::<Condition>(json!({"field": "a", "over": 1})).is_err());
    }
}
