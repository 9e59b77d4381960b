//! Saying requests in the reader's language: names of statuses and types,
//! field values, timeline entries, errors naming a field.

use super::fields::FieldKind;
use super::model::{FieldValue, Named};
use crate::service::Error;
use crate::talk::Writer;
use crate::web::page::Chrome;
use serde_json::Value;

/// What every request page says.
pub trait Says {
    fn chrome(&self) -> &Chrome;

    fn name(&self, n: &Named) -> String {
        n.name(self.chrome().lang).to_string()
    }

    fn who(&self, w: &Writer) -> String {
        w.name
            .clone()
            .unwrap_or_else(|| self.chrome().tr.t("discussion-former-member").to_string())
    }

    fn label(&self, f: &FieldValue) -> String {
        if self.chrome().lang == "fr" {
            f.label_fr.clone()
        } else {
            f.label_en.clone()
        }
    }

    /// A field's value as text (long text is shown as Markdown by `html`).
    fn value(&self, f: &FieldValue) -> String {
        shown(&f.kind, &f.value)
    }

    fn long(&self, f: &FieldValue) -> bool {
        matches!(f.kind, FieldKind::LongText {})
    }

    /// A long text's value, rendered and sanitized.
    fn value_html(&self, f: &FieldValue) -> String {
        self.html(&self.value(f))
    }

    fn html(&self, markdown: &str) -> String {
        crate::text::markdown::to_html(markdown)
    }
}

/// A value as a reader reads it: money with its currency and two
/// decimals, choices joined, references by number.
pub fn shown(kind: &FieldKind, v: &Value) -> String {
    match (kind, v) {
        (_, Value::Null) => String::new(),
        (FieldKind::Money { currency }, v) => {
            let minor = v["amount"].as_i64().unwrap_or_default();
            let sign = if minor < 0 { "-" } else { "" };
            let m = minor.unsigned_abs();
            format!("{sign}{}.{:02} {currency}", m / 100, m % 100)
        }
        (FieldKind::MultipleChoice { .. }, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (
            FieldKind::Person {}
            | FieldKind::Organization {}
            | FieldKind::Document {}
            | FieldKind::File {},
            v,
        ) => {
            format!("#{v}")
        }
        (_, Value::String(s)) => s.clone(),
        (_, v) => v.to_string(),
    }
}

/// A page shown again with a refusal says so in its status.
pub fn status_for(error: &Option<String>) -> axum::http::StatusCode {
    if error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    }
}

/// The message of a refusal a form shows beside it: a field's own rule
/// names the field; anything else that is not the reader's doing is
/// the error page's.
pub fn said(tr: &crate::i18n::Tr, e: Error) -> Result<String, crate::web::error::HttpError> {
    match e {
        Error::InvalidItem { code, item, .. } => Ok(tr.t1(&format!("error-{code}"), "item", item)),
        Error::Invalid { code, .. } | Error::Exists(code) | Error::Conflict(code) => {
            Ok(tr.t(&format!("error-{code}")).to_string())
        }
        // A file that does not fit is the sender's to change, on the form.
        Error::TooLarge { .. } => Ok(tr.t("error-file-too-large").to_string()),
        Error::QuotaExceeded => Ok(tr.t("error-quota-exceeded").to_string()),
        Error::StorageFull => Ok(tr.t("error-storage-full").to_string()),
        other => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_people_write_them() {
        let eur = FieldKind::Money {
            currency: "EUR".into(),
        };
        assert_eq!(
            shown(&eur, &json!({"amount": 1_845_000, "currency": "EUR"})),
            "18450.00 EUR"
        );
        assert_eq!(
            shown(&eur, &json!({"amount": -5, "currency": "EUR"})),
            "-0.05 EUR"
        );
        let many = FieldKind::MultipleChoice { options: vec![] };
        assert_eq!(shown(&many, &json!(["a", "b"])), "a, b");
        assert_eq!(shown(&FieldKind::Text {}, &json!("x")), "x");
        assert_eq!(shown(&FieldKind::Number {}, &json!(2.5)), "2.5");
        assert_eq!(shown(&FieldKind::Text {}, &Value::Null), "");
    }
}
