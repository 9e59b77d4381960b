//! Translations (Fluent files under `assets/locales/<lang>/`) and language
//! negotiation: explicit choice > the person's saved language > the browser's
//! Accept-Language > the portal's default.

pub mod time;

use crate::service::Locale;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rust_embed::RustEmbed;
use std::collections::HashMap;
use std::sync::Arc;
use unic_langid::LanguageIdentifier;

#[derive(RustEmbed)]
#[folder = "assets/locales/"]
struct Files;

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("translation file {file} has errors: {message}")]
    Parse { file: String, message: String },
}

/// Every bundle, loaded once at start.
pub struct I18n {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
    /// Messages without arguments, formatted once at start: pages use dozens per view.
    plain: HashMap<(Locale, String), String>,
}

impl I18n {
    pub fn load() -> Result<I18n, I18nError> {
        let mut bundles = HashMap::new();
        for locale in Locale::ALL {
            let lang: LanguageIdentifier = locale.code().parse().map_err(|_| I18nError::Parse {
                file: locale.code().into(),
                message: "bad language tag".into(),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            // Isolation marks would end up as invisible characters in HTML and e-mail.
            bundle.set_use_isolating(false);
            for (file, text) in sources(locale) {
                let res = FluentResource::try_new(text).map_err(|(_, errs)| I18nError::Parse {
                    file: file.clone(),
                    message: format!("{errs:?}"),
                })?;
                bundle.add_resource(res).map_err(|errs| I18nError::Parse {
                    file: file.clone(),
                    message: format!("{errs:?}"),
                })?;
            }
            bundles.insert(locale, bundle);
        }
        let mut plain = HashMap::new();
        for (locale, bundle) in &bundles {
            for id in message_ids(*locale) {
                let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                    continue;
                };
                let mut errors = Vec::new();
                let text = bundle
                    .format_pattern(pattern, None, &mut errors)
                    .into_owned();
                if errors.is_empty() {
                    plain.insert((*locale, id), text);
                }
            }
        }
        Ok(I18n { bundles, plain })
    }

    fn format(&self, locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(bundle) = self.bundles.get(&locale) else {
            return key.to_string();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, locale = locale.code(), "missing translation");
            return key.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundles
            .get(&locale)
            .is_some_and(|b| b.has_message(key))
    }
}

/// The ids of the messages of one language: lines `id = …` at the start of a line.
pub fn message_ids(locale: Locale) -> Vec<String> {
    sources(locale)
        .iter()
        .flat_map(|(_, text)| {
            text.lines()
                .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
                .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The `.ftl` sources of one language, by file name.
pub fn sources(locale: Locale) -> Vec<(String, String)> {
    let prefix = format!("{}/", locale.code());
    let mut out: Vec<(String, String)> = Files::iter()
        .filter(|p| p.starts_with(&prefix) && p.ends_with(".ftl"))
        .filter_map(|p| {
            let file = Files::get(&p)?;
            Some((
                p.to_string(),
                String::from_utf8_lossy(&file.data).into_owned(),
            ))
        })
        .collect();
    out.sort();
    out
}

/// A translator bound to one language; cheap to clone into page structs.
#[derive(Clone)]
pub struct Tr {
    i18n: Arc<I18n>,
    pub locale: Locale,
}

impl Tr {
    pub fn new(i18n: Arc<I18n>, locale: Locale) -> Tr {
        Tr { i18n, locale }
    }

    /// The message `key` (one without arguments).
    pub fn t(&self, key: &str) -> &str {
        match self.i18n.plain.get(&(self.locale, key.to_string())) {
            Some(text) => text,
            None => {
                tracing::warn!(key, locale = self.locale.code(), "missing translation");
                "?"
            }
        }
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<FluentValue<'static>>) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), value.into());
        self.i18n.format(self.locale, key, Some(&args))
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        a: (&str, impl Into<FluentValue<'static>>),
        b: (&str, impl Into<FluentValue<'static>>),
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(a.0.to_string(), a.1.into());
        args.set(b.0.to_string(), b.1.into());
        self.i18n.format(self.locale, key, Some(&args))
    }

    /// The message `key` with any number of arguments.
    pub fn format(&self, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            fa.set(name.to_string(), value.clone());
        }
        self.i18n.format(self.locale, key, Some(&fa))
    }

    pub fn code(&self) -> &'static str {
        self.locale.code()
    }

    pub fn has(&self, key: &str) -> bool {
        self.i18n.has(self.locale, key)
    }
}

/// The best language for a request.
pub fn negotiate(
    chosen: Option<&str>,
    saved: Option<Locale>,
    accept_language: Option<&str>,
    fallback: Locale,
) -> Locale {
    chosen
        .and_then(Locale::parse)
        .or(saved)
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or(fallback)
}

/// The first language Parvis speaks in an Accept-Language header, by weight.
fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranges: Vec<(f32, usize, Locale)> = header
        .split(',')
        .take(32)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.trim().split(';');
            let tag = bits.next()?.trim();
            let primary = tag.split('-').next()?;
            let locale = Locale::parse(primary)?;
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0 && q.is_finite()).then_some((q, i, locale))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.first().map(|r| r.2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(locale: Locale) -> BTreeSet<String> {
        message_ids(locale).into_iter().collect()
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let en = ids(Locale::En);
        let fr = ids(Locale::Fr);
        assert!(en.len() > 50, "english has only {} keys", en.len());
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in French: {only_en:?}");
        assert!(only_fr.is_empty(), "missing in English: {only_fr:?}");
    }

    #[test]
    fn bundles_parse_and_format() {
        let i18n = Arc::new(I18n::load().expect("locales parse"));
        let en = Tr::new(i18n.clone(), Locale::En);
        let fr = Tr::new(i18n, Locale::Fr);
        assert_eq!(en.t("signin-title"), "Sign in");
        assert_eq!(fr.t("signin-title"), "Connexion");
        assert!(fr.t1("throttle-wait", "seconds", 30).contains("30"));
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let i18n = Arc::new(I18n::load().expect("locales parse"));
        let mut used = BTreeSet::new();
        let mut stack = vec![
            std::path::PathBuf::from("assets/templates"),
            std::path::PathBuf::from("src"),
        ];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let is_key = |k: &str| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                };
                for marker in [".t(\"", ".t1(\"", ".t2(\"", ".format(\""] {
                    for piece in text.split(marker).skip(1) {
                        if let Some(key) = piece.split('"').next()
                            && is_key(key)
                        {
                            used.insert(key.to_string());
                        }
                    }
                }
                // Notices name their message key second: `Notice::new("saved", "notice-…")`.
                for piece in text.split("Notice::new(\"").skip(1) {
                    if let Some(key) = piece.split('"').nth(2)
                        && is_key(key)
                    {
                        used.insert(key.to_string());
                    }
                }
                // Error codes become `error-<code>` messages shown to people.
                for marker in ["Conflict(\"", "Exists(\"", "bad_request(\"", "=> with(\""] {
                    for piece in text.split(marker).skip(1) {
                        if let Some(code) = piece.split('"').next()
                            && is_key(code)
                        {
                            used.insert(format!("error-{code}"));
                        }
                    }
                }
                for marker in ["::invalid(", "HttpError::new("] {
                    for piece in text.split(marker).skip(1) {
                        let args = piece.split(')').next().unwrap_or("");
                        if let Some(code) = args.split('"').nth(3).or_else(|| {
                            (marker == "HttpError::new(")
                                .then(|| args.split('"').nth(1))
                                .flatten()
                        }) && is_key(code)
                        {
                            used.insert(format!("error-{code}"));
                        }
                    }
                }
            }
        }
        assert!(used.len() > 20, "found only {} keys in use", used.len());
        let missing: Vec<String> = used
            .iter()
            .flat_map(|key| {
                Locale::ALL
                    .iter()
                    .filter(|l| !i18n.has(**l, key))
                    .map(move |l| format!("{key} ({})", l.code()))
            })
            .collect();
        assert!(missing.is_empty(), "used but missing: {missing:#?}");
    }

    #[test]
    fn negotiation_order() {
        assert_eq!(
            negotiate(Some("fr"), Some(Locale::En), Some("en"), Locale::En),
            Locale::Fr
        );
        assert_eq!(
            negotiate(None, Some(Locale::Fr), Some("en"), Locale::En),
            Locale::Fr
        );
        assert_eq!(
            negotiate(None, None, Some("de-DE,fr-CA;q=0.8,en;q=0.5"), Locale::En),
            Locale::Fr
        );
        assert_eq!(
            negotiate(None, None, Some("en;q=0.1, fr;q=0.9"), Locale::En),
            Locale::Fr
        );
        assert_eq!(negotiate(None, None, Some("de"), Locale::Fr), Locale::Fr);
        assert_eq!(
            negotiate(Some("xx"), None, Some("garbage;;;q=abc"), Locale::En),
            Locale::En
        );
    }
}

/// "1.4 MB" / "1,4 Mo".
pub fn human_size(bytes: i64, locale: crate::service::Locale) -> String {
    let units_en = ["B", "KB", "MB", "GB", "TB"];
    let units_fr = ["o", "Ko", "Mo", "Go", "To"];
    let units = if locale == crate::service::Locale::Fr {
        units_fr
    } else {
        units_en
    };
    let mut v = bytes.max(0) as f64;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    let places = if i == 0 { 0 } else { 1 };
    format!("{} {}", decimal(v, places, locale), units[i])
}

/// A number with `places` decimals as the locale writes it ("4.3", "4,3").
pub fn decimal(v: f64, places: usize, locale: crate::service::Locale) -> String {
    let text = format!("{v:.places$}");
    if locale == crate::service::Locale::Fr {
        text.replace('.', ",")
    } else {
        text
    }
}

#[cfg(test)]
mod size_tests {
    use super::human_size;

    #[test]
    fn sizes() {
        assert_eq!(human_size(999, crate::service::Locale::En), "999 B");
        assert_eq!(human_size(1_400_000, crate::service::Locale::Fr), "1,4 Mo");
    }
}
