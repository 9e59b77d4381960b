//! Merges the configuration layers and names the key and layer of any error.

use super::Config;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use toml::Value;

/// Environment variables starting with `PARVIS_` that are not configuration keys.
const NON_CONFIG_ENV: &[&str] = &["PARVIS_ADMIN_EMAIL", "PARVIS_ADMIN_PASSWORD", "PARVIS_LOG"];

/// Keys that have no default value (and so are absent from the serialized defaults).
const OPTIONAL_KEYS: &[&str] = &["tls.cert_file", "tls.key_file"];

/// What the command line and the process environment contribute.
#[derive(Debug, Default, Clone)]
pub struct Layers {
    /// `--config FILE`: when absent, `<data_dir>/config.toml` is read if it exists.
    pub config_file: Option<PathBuf>,
    /// The process environment (only `PARVIS_*` variables are looked at).
    pub env: Vec<(String, String)>,
    /// Command-line flags as (config key, flag name, value).
    pub flags: Vec<(String, String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {file}: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {file} is not valid TOML: {message}")]
    Syntax { file: PathBuf, message: String },
    #[error("unknown configuration key `{key}` in {layer}")]
    UnknownKey { key: String, layer: String },
    #[error("invalid value for `{key}` in {layer}: {message}")]
    Invalid {
        key: String,
        layer: String,
        message: String,
    },
}

/// Builds the configuration from every layer, refusing unknown keys and bad values.
pub fn load(layers: &Layers) -> Result<Config, ConfigError> {
    let defaults = Value::try_from(Config::default()).map_err(|e| ConfigError::Invalid {
        key: String::new(),
        layer: "built-in defaults".into(),
        message: e.to_string(),
    })?;
    let mut known = Vec::new();
    flatten_keys("", &defaults, &mut known);
    known.extend(OPTIONAL_KEYS.iter().map(|k| k.to_string()));
    let known: BTreeSet<String> = known.into_iter().collect();

    let mut merged = defaults.clone();
    let mut origin: HashMap<String, String> = HashMap::new();

    let env_data_dir = layers
        .env
        .iter()
        .find(|(k, _)| k == "PARVIS_DATA_DIR")
        .map(|(_, v)| PathBuf::from(v));
    let flag_data_dir = layers
        .flags
        .iter()
        .find(|(k, _, _)| k == "data_dir")
        .map(|(_, _, v)| PathBuf::from(v));

    // The file layer: --config, or the data directory's own config.toml.
    let (file, explicit) = match &layers.config_file {
        Some(f) => (Some(f.clone()), true),
        None => {
            let dir = flag_data_dir
                .clone()
                .or(env_data_dir.clone())
                .unwrap_or_else(|| Config::default().data_dir);
            let candidate = dir.join("config.toml");
            (candidate.exists().then_some(candidate), false)
        }
    };
    if let Some(file) = file {
        let text = std::fs::read_to_string(&file).map_err(|source| ConfigError::Read {
            file: file.clone(),
            source,
        })?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Syntax {
            file: file.clone(),
            message: e.message().to_string(),
        })?;
        let layer = format!("config file {}", file.display());
        let mut keys = Vec::new();
        flatten_keys("", &Value::Table(table.clone()), &mut keys);
        for key in &keys {
            if !known.contains(key) {
                return Err(ConfigError::UnknownKey {
                    key: key.clone(),
                    layer,
                });
            }
            if key == "data_dir" && !explicit {
                return Err(ConfigError::Invalid {
                    key: key.clone(),
                    layer,
                    message: "the data directory's own config.toml cannot move the data directory"
                        .into(),
                });
            }
            origin.insert(key.clone(), layer.clone());
        }
        merge(&mut merged, Value::Table(table));
        // Resolve relative paths in the file against the file's folder.
        resolve_relative_paths(&mut merged, &keys, file.parent());
        validate(&merged, &origin)?;
    }

    // The environment layer.
    let mut env: Vec<&(String, String)> = layers
        .env
        .iter()
        .filter(|(k, _)| k.starts_with("PARVIS_") && !NON_CONFIG_ENV.contains(&k.as_str()))
        .collect();
    env.sort();
    for (name, raw) in env {
        let key = env_key(name, &known).ok_or_else(|| ConfigError::UnknownKey {
            key: name.clone(),
            layer: "the environment".into(),
        })?;
        let layer = format!("environment variable {name}");
        set_key(&mut merged, &key, typed(&defaults, &key, raw, &layer)?);
        origin.insert(key, layer);
    }
    validate(&merged, &origin)?;

    // The command-line layer.
    for (key, flag, raw) in &layers.flags {
        if !known.contains(key) {
            return Err(ConfigError::UnknownKey {
                key: key.clone(),
                layer: format!("flag {flag}"),
            });
        }
        let layer = format!("flag {flag}");
        set_key(&mut merged, key, typed(&defaults, key, raw, &layer)?);
        origin.insert(key.clone(), layer);
    }
    let config = validate(&merged, &origin)?;
    config
        .check()
        .map_err(|(key, message)| ConfigError::Invalid {
            layer: origin
                .get(key)
                .cloned()
                .unwrap_or_else(|| "the configuration".into()),
            key: key.to_string(),
            message,
        })?;
    Ok(config)
}

/// Deserializes the merged value; a failure is reported with the key's path.
fn validate(merged: &Value, origin: &HashMap<String, String>) -> Result<Config, ConfigError> {
    let de = merged.clone();
    serde_path_to_error::deserialize::<_, Config>(de).map_err(|e| {
        let key = e.path().to_string();
        let layer = origin
            .get(&key)
            .cloned()
            .unwrap_or_else(|| "the configuration".into());
        ConfigError::Invalid {
            key,
            layer,
            message: e.into_inner().message().to_string(),
        }
    })
}

/// `PARVIS_SESSION_IDLE_TIMEOUT` → `session.idle_timeout`; `PARVIS_DATA_DIR` → `data_dir`.
fn env_key(name: &str, known: &BTreeSet<String>) -> Option<String> {
    let rest = name.strip_prefix("PARVIS_")?.to_ascii_lowercase();
    if known.contains(&rest) {
        return Some(rest);
    }
    let (section, key) = rest.split_once('_')?;
    let dotted = format!("{section}.{key}");
    known.contains(&dotted).then_some(dotted)
}

/// Converts a string from the environment or a flag to the type the key's default has.
fn typed(defaults: &Value, key: &str, raw: &str, layer: &str) -> Result<Value, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        key: key.to_string(),
        layer: layer.to_string(),
        message,
    };
    Ok(match get_key(defaults, key) {
        Some(Value::Integer(_)) => Value::Integer(
            raw.trim()
                .parse::<i64>()
                .map_err(|_| invalid(format!("expected a whole number, got {raw:?}")))?,
        ),
        Some(Value::Boolean(_)) => Value::Boolean(match raw.trim() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            _ => return Err(invalid(format!("expected true or false, got {raw:?}"))),
        }),
        Some(Value::Float(_)) => Value::Float(
            raw.trim()
                .parse::<f64>()
                .map_err(|_| invalid(format!("expected a number, got {raw:?}")))?,
        ),
        Some(Value::Array(_)) => Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        _ => Value::String(raw.to_string()),
    })
}

/// Lists the dotted paths of every leaf (non-table value).
pub(super) fn flatten_keys(prefix: &str, value: &Value, out: &mut Vec<String>) {
    if let Value::Table(t) = value {
        for (k, v) in t {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if v.is_table() {
                flatten_keys(&path, v, out);
            } else {
                out.push(path);
            }
        }
    }
}

fn get_key<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(value, |v, part| v.get(part))
}

fn set_key(value: &mut Value, key: &str, new: Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut cur = value;
    for part in parts {
        let Value::Table(t) = cur else { return };
        cur = t
            .entry(part.to_string())
            .or_insert_with(|| Value::Table(toml::Table::new()));
    }
    if let Value::Table(t) = cur {
        t.insert(last.to_string(), new);
    }
}

fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Table(b), Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) if existing.is_table() && v.is_table() => merge(existing, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// Paths written in a config file are relative to that file, not to the working directory.
fn resolve_relative_paths(merged: &mut Value, keys: &[String], base: Option<&Path>) {
    let Some(base) = base else { return };
    for key in ["data_dir", "tls.cert_file", "tls.key_file"] {
        if !keys.iter().any(|k| k == key) {
            continue;
        }
        if let Some(Value::String(s)) = get_key(merged, key) {
            let p = PathBuf::from(s);
            if p.is_relative() {
                let joined = base.join(p).to_string_lossy().into_owned();
                set_key(merged, key, Value::String(joined));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TlsMode;
    use std::io::Write;
    use std::time::Duration;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn file_with(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        f.write_all(text.as_bytes()).expect("write");
        f
    }

    #[test]
    fn layers_apply_in_order() {
        let f = file_with("[session]\nidle_timeout = \"10m\"\nabsolute_timeout = \"2h\"\n");
        let layers = Layers {
            config_file: Some(f.path().to_path_buf()),
            env: env(&[("PARVIS_SESSION_IDLE_TIMEOUT", "20m"), ("HOME", "/root")]),
            flags: vec![(
                "server.listen".into(),
                "--listen".into(),
                "127.0.0.1:9000".into(),
            )],
        };
        let c = load(&layers).expect("loads");
        assert_eq!(c.session.idle_timeout, Duration::from_secs(20 * 60));
        assert_eq!(c.session.absolute_timeout, Duration::from_secs(2 * 3600));
        assert_eq!(c.server.listen.to_string(), "127.0.0.1:9000");
    }

    #[test]
    fn unknown_key_in_file_is_named() {
        let f = file_with("[tls]\nmod = \"off\"\n");
        let err = load(&Layers {
            config_file: Some(f.path().to_path_buf()),
            ..Default::default()
        })
        .expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains("tls.mod"), "{msg}");
        assert!(msg.contains(&f.path().display().to_string()), "{msg}");
    }

    #[test]
    fn invalid_value_in_file_is_named() {
        let f = file_with("[tls]\nmode = \"sometimes\"\n");
        let err = load(&Layers {
            config_file: Some(f.path().to_path_buf()),
            ..Default::default()
        })
        .expect_err("refused");
        assert!(err.to_string().contains("tls.mode"), "{err}");
    }

    #[test]
    fn invalid_env_value_is_named() {
        let err = load(&Layers {
            env: env(&[("PARVIS_STORAGE_SQLITE_READERS", "many")]),
            ..Default::default()
        })
        .expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains("storage.sqlite_readers"), "{msg}");
        assert!(msg.contains("PARVIS_STORAGE_SQLITE_READERS"), "{msg}");
    }

    #[test]
    fn unknown_env_key_is_named() {
        let err = load(&Layers {
            env: env(&[("PARVIS_TLS_MOOD", "off")]),
            ..Default::default()
        })
        .expect_err("refused");
        assert!(err.to_string().contains("PARVIS_TLS_MOOD"), "{err}");
    }

    #[test]
    fn env_sets_typed_values() {
        let c = load(&Layers {
            env: env(&[
                ("PARVIS_TLS_MODE", "off"),
                ("PARVIS_SERVER_TRUSTED_PROXIES", "10.0.0.1/32, ::1/128"),
                ("PARVIS_SERVER_MAX_BODY_BYTES", "4096"),
                ("PARVIS_ADMIN_EMAIL", "a@b.c"),
            ]),
            ..Default::default()
        })
        .expect("loads");
        assert_eq!(c.tls.mode, TlsMode::Off);
        assert_eq!(c.server.trusted_proxies.len(), 2);
        assert_eq!(c.server.max_body_bytes, 4096);
    }

    #[test]
    fn cross_key_rules_name_the_key() {
        let err = load(&Layers {
            env: env(&[("PARVIS_TLS_MODE", "files")]),
            ..Default::default()
        })
        .expect_err("refused");
        assert!(err.to_string().contains("tls.cert_file"), "{err}");
    }

    #[test]
    fn syntax_errors_name_the_file() {
        let f = file_with("[tls\nmode = 1");
        let err = load(&Layers {
            config_file: Some(f.path().to_path_buf()),
            ..Default::default()
        })
        .expect_err("refused");
        assert!(matches!(err, ConfigError::Syntax { .. }), "{err}");
    }
}
