//! The approval record of a finished flow: who decided what at which step,
//! on which exact bytes (their BLAKE3 hash), where each decision sits in
//! the hash-chained audit log — signed with the instance's Ed25519 key.
//!
//! The record is a JSON object; its signature covers the object without
//! its `signature` member, written canonically (keys sorted, no spaces),
//! so a pretty-printed or re-indented file still verifies and any changed
//! value does not.

use serde_json::{Map, Value, json};

pub const FORMAT: &str = "parvis-approval-record/1";

/// `value` written canonically: object keys sorted at every depth, no
/// insignificant whitespace.
pub fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let members: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        Value::String(k.clone()),
                        canonical(&map[k.as_str()])
                    )
                })
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// The signed record: `body` with its `signature` member added.
pub fn signed(
    mut body: Map<String, Value>,
    key_id: &str,
    public_key: &str,
    signature: &str,
) -> Value {
    body.insert(
        "signature".into(),
        json!({"algorithm": "Ed25519", "key_id": key_id, "public_key": public_key, "value": signature}),
    );
    Value::Object(body)
}

/// What a check of a record found, point by point.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Verdict {
    /// The file is a record of this format.
    pub readable: bool,
    /// Its signature is right for its contents and the key it names.
    pub signature: bool,
    /// The key is this instance's (or of one it was imported from).
    pub known_key: bool,
    /// The document's bytes hash as the record says (`None`: none given).
    pub document: Option<bool>,
    /// Each decision's audit entry is in this instance's chain with the
    /// hash the record gives (`None`: not asked, or not this instance's).
    pub chain: Option<bool>,
    /// What does not hold, in words (empty when everything does).
    pub problems: Vec<String>,
}

impl Verdict {
    pub fn holds(&self) -> bool {
        self.readable
            && self.signature
            && self.known_key
            && self.document != Some(false)
            && self.chain != Some(false)
    }
}

/// The record's parts a check needs, if it is one.
pub struct Parsed {
    pub body: Map<String, Value>,
    pub key_id: String,
    pub public_key: String,
    pub signature: String,
}

/// JSON read strictly: a key given twice anywhere is refused (a reader
/// taking the first would see other values than those signed, which the
/// parser keeps the last of).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::from(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::from(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::from(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::String(v))
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(Strict(v)) = a.next_element()? {
                    items.push(v);
                }
                Ok(Value::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut map = Map::new();
                while let Some(k) = a.next_key::<String>()? {
                    let Strict(v) = a.next_value()?;
                    if map.insert(k, v).is_some() {
                        return Err(serde::de::Error::custom("a key is given twice"));
                    }
                }
                Ok(Value::Object(map))
            }
        }
        d.deserialize_any(V).map(Strict)
    }
}

pub fn parse(bytes: &[u8]) -> Option<Parsed> {
    let Strict(Value::Object(mut body)) = serde_json::from_slice::<Strict>(bytes).ok()? else {
        return None;
    };
    if body.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return None;
    }
    let sig = body.remove("signature")?;
    // Nothing rides along unsigned: the signature part holds its four members.
    let members = sig.as_object()?;
    const SIGNATURE: [&str; 4] = ["algorithm", "key_id", "public_key", "value"];
    if members.len() != SIGNATURE.len() || !SIGNATURE.iter().all(|k| members.contains_key(*k)) {
        return None;
    }
    let text = |k: &str| sig.get(k).and_then(Value::as_str).map(str::to_string);
    if text("algorithm").as_deref() != Some("Ed25519") {
        return None;
    }
    Some(Parsed {
        key_id: text("key_id")?,
        public_key: text("public_key")?,
        signature: text("value")?,
        body,
    })
}

/// The document's hash the record vouches for.
pub fn document_hash(body: &Map<String, Value>) -> Option<&str> {
    body.get("document")
        .or_else(|| body.get("request"))?
        .get("blake3")?
        .as_str()
}

/// Each decision's audit entry: (id, hash); `None` when a decision lacks one.
pub fn audit_entries(body: &Map<String, Value>) -> Option<Vec<(i64, String)>> {
    body.get("decisions")?
        .as_array()?
        .iter()
        .map(|d| {
            let a = d.get("audit")?;
            Some((a.get("id")?.as_i64()?, a.get("hash")?.as_str()?.to_string()))
        })
        .collect()
}

/// Whether each decision's audit entry (id, hash) is in the chain.
pub type ChainCheck<'a> = &'a dyn Fn(&[(i64, String)]) -> bool;

/// Checks a record's signature and, if given, the document's bytes; the
/// key's standing and the chain are the caller's (`known`, `in_chain`).
pub fn check(
    bytes: &[u8],
    document: Option<&str>,
    known: impl Fn(&str, &str) -> bool,
    in_chain: Option<ChainCheck<'_>>,
) -> Verdict {
    let mut v = Verdict {
        readable: false,
        signature: false,
        known_key: false,
        document: None,
        chain: None,
        problems: Vec::new(),
    };
    let Some(p) = parse(bytes) else {
        v.problems
            .push("this is not an approval record (or its signature part is missing)".into());
        return v;
    };
    v.readable = true;
    let message = canonical(&Value::Object(p.body.clone()));
    let id_matches = super::keys::id_of(&p.public_key).as_deref() == Some(p.key_id.as_str());
    v.signature =
        id_matches && super::keys::verify(&p.public_key, message.as_bytes(), &p.signature);
    if !v.signature {
        v.problems
            .push("the signature does not match the record's contents: it was changed after signing, or signed by another key".into());
    }
    v.known_key = known(&p.key_id, &p.public_key);
    if !v.known_key {
        v.problems.push(format!(
            "key {} is not this instance's: the record was signed elsewhere",
            p.key_id
        ));
    }
    if let Some(hash) = document {
        let ok = document_hash(&p.body) == Some(hash);
        v.document = Some(ok);
        if !ok {
            v.problems
                .push("the file's bytes are not those that were approved".into());
        }
    }
    if let Some(in_chain) = in_chain
        && v.known_key
    {
        let ok = audit_entries(&p.body).is_some_and(|e| !e.is_empty() && in_chain(&e));
        v.chain = Some(ok);
        if !ok {
            v.problems
                .push("a decision is not in the audit log with the hash the record gives".into());
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sorts_keys_at_every_depth() {
        let v = json!({"b": 1, "a": {"d": [1, {"z": true, "y": null}], "c": "é\"q"}});
        assert_eq!(
            canonical(&v),
            r#"{"a":{"c":"é\"q","d":[1,{"y":null,"z":true}]},"b":1}"#
        );
    }

    #[test]
    fn a_record_verifies_and_any_change_breaks_it() {
        let (_dir, c) = crate::content::tests::schema();
        let (id, pair) = super::super::keys::signing_key(&c, 1).unwrap();
        let public = super::super::keys::known(&c).unwrap()[0].public_key.clone();
        let doc = b"the deliverable, version 3";
        let hash = blake3::hash(doc).to_hex().to_string();
        let body = json!({"format": FORMAT, "document": {"blake3": hash, "name": "plan.pdf"},
                          "decisions": [{"step": 1, "audit": {"id": 7, "hash": "ab"}}]});
        let Value::Object(body) = body else { panic!() };
        let sig =
            super::super::keys::sign(&pair, canonical(&Value::Object(body.clone())).as_bytes());
        let record = signed(body, &id, &public, &sig);
        let pretty = serde_json::to_vec_pretty(&record).unwrap();
        let ours = |k: &str, _: &str| k == id;
        let chain_ok = |e: &[(i64, String)]| e == [(7, "ab".to_string())];
        let v = check(&pretty, Some(&hash), ours, Some(&chain_ok));
        assert!(v.holds(), "{v:?}");

        let another = blake3::hash(b"another file").to_hex().to_string();
        let other = check(&pretty, Some(&another), ours, None);
        assert_eq!(other.document, Some(false));
        assert!(!other.holds());
        let tampered = String::from_utf8(pretty.clone())
            .unwrap()
            .replace("plan.pdf", "plan2.pdf");
        let v = check(tampered.as_bytes(), None, ours, None);
        assert!(v.readable && !v.signature && !v.holds(), "{v:?}");
        let v = check(&pretty, None, |_, _| false, Some(&chain_ok));
        assert!(!v.known_key && v.chain.is_none() && !v.holds());
        assert!(!check(b"{}", None, ours, None).readable);
        // A key given twice, or an unsigned member beside the signature: not a record.
        let text = String::from_utf8(pretty.clone()).unwrap();
        let twice = text.replacen(
            "\"document\": {",
            "\"document\": {\n    \"name\": \"forged.pdf\",",
            1,
        );
        assert!(
            twice.contains("forged.pdf") && !check(twice.as_bytes(), None, ours, None).readable
        );
        let extra = text.replacen(
            "\"algorithm\"",
            "\"signer\": \"Jean Dupont\",\n    \"algorithm\"",
            1,
        );
        assert!(extra.contains("Jean") && !check(extra.as_bytes(), None, ours, None).readable);
        assert!(!check(b"\xff\xfe", None, ours, None).readable);
    }
}
