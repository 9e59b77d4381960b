//! Parse, don't validate: each type can only hold a value that passed its rules.

use super::Error;
use crate::util::Secret;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An e-mail address, trimmed and lower-cased; checked for shape, not deliverability.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, Error> {
        let s = raw.trim().to_lowercase();
        let bad = || Error::invalid("email", "email-invalid");
        if s.is_empty() || s.len() > 254 {
            return Err(bad());
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local_ok && domain_ok {
            Ok(Email(s))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or("")
    }

    /// What follows the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

/// The domain of an organization's addresses (`nordhavn.example`): lower-case
/// labels with at least one dot; a leading `@` is forgiven.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EmailDomain(String);

impl EmailDomain {
    pub fn parse(raw: &str) -> Result<EmailDomain, Error> {
        let s = raw.trim().trim_start_matches('@').to_lowercase();
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if s.len() <= 253 && s.contains('.') && s.split('.').all(label_ok) {
            Ok(EmailDomain(s))
        } else {
            Err(Error::invalid("domains", "domain-invalid"))
        }
    }

    /// A list typed in one field: separated by spaces, commas or new lines;
    /// duplicates dropped, at most 20.
    pub fn parse_list(raw: &str) -> Result<Vec<EmailDomain>, Error> {
        let mut out: Vec<EmailDomain> = Vec::new();
        for part in raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
            if part.is_empty() {
                continue;
            }
            let d = EmailDomain::parse(part)?;
            if !out.contains(&d) {
                out.push(d);
            }
        }
        if out.len() > 20 {
            return Err(Error::invalid("domains", "domains-too-many"));
        }
        Ok(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A human name (person, organization, space): 1–120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, Error> {
        let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err(Error::invalid("name", "name-empty"));
        }
        if s.chars().count() > 120 {
            return Err(Error::invalid("name", "name-too-long"));
        }
        if s.chars().any(char::is_control) {
            return Err(Error::invalid("name", "name-invalid"));
        }
        Ok(DisplayName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A URL-safe identifier: lower-case ASCII letters, digits and single dashes, 2–60 long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Slug, Error> {
        let s = raw.trim();
        let ok = (2..=60).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(Error::invalid("slug", "slug-invalid"))
        }
    }

    /// Derives a slug from a name: accents folded, everything else becomes dashes.
    pub fn from_name(name: &str) -> Slug {
        let mut out = String::new();
        for c in name.chars() {
            let folded = fold_accent(c).to_ascii_lowercase();
            if folded.is_ascii_alphanumeric() {
                out.push(folded);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            if out.len() >= 60 {
                break;
            }
        }
        let trimmed = out.trim_matches('-').to_string();
        if trimmed.len() < 2 {
            Slug(format!(
                "x-{}",
                crate::util::random_token(4)
                    .to_ascii_lowercase()
                    .replace(['_', '-'], "x")
            ))
        } else {
            Slug(trimmed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ÿ' | 'ý' => 'y',
        'ñ' => 'n',
        'œ' => 'o',
        'æ' => 'a',
        other => other,
    }
}

/// The languages Parvis speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    pub fn parse(raw: &str) -> Option<Locale> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// The language's own name, as shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
        }
    }
}

/// A password someone chose: 12 to 256 characters, not a well-known password.
/// No composition rules: length and rarity are what make a password strong.
pub struct NewPassword(Secret<String>);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    /// `context` holds words the password must not just repeat (e-mail, name).
    pub fn parse(raw: &str, context: &[&str]) -> Result<NewPassword, Error> {
        // Bound the work before anything else looks at the input.
        if raw.len() > Self::MAX_CHARS * 4 {
            return Err(Error::invalid("password", "password-too-long"));
        }
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(Error::invalid("password", "password-too-short"));
        }
        if chars > Self::MAX_CHARS {
            return Err(Error::invalid("password", "password-too-long"));
        }
        if super::common_passwords::is_common(raw, context) {
            return Err(Error::invalid("password", "password-too-common"));
        }
        Ok(NewPassword(Secret::new(raw.to_string())))
    }

    pub fn secret(&self) -> &Secret<String> {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Claire.Martin@Example.COM ")
                .unwrap()
                .as_str(),
            "claire.martin@example.com"
        );
        for bad in [
            "", "a", "a@b", "@b.c", "a@.b.c", "a..b@c.d", "a b@c.d", "a@b..c", "<a>@b.c",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Email::parse(&format!("{}@b.c", "a".repeat(65))).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(
            DisplayName::parse("  Zoé   Dupont ").unwrap().as_str(),
            "Zoé Dupont"
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(121)).is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn slugs() {
        assert!(Slug::parse("nordhavn-logistics").is_ok());
        for bad in ["", "a", "-a", "a-", "a--b", "A", "a_b", "é"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            Slug::from_name("Société Générale & Fils").as_str(),
            "societe-generale-fils"
        );
        assert!(Slug::parse(Slug::from_name("!!").as_str()).is_ok());
    }

    #[test]
    fn passwords() {
        assert!(NewPassword::parse("short", &[]).is_err());
        assert!(NewPassword::parse(&"x".repeat(257), &[]).is_err());
        assert!(NewPassword::parse(&"é".repeat(300), &[]).is_err());
        assert!(NewPassword::parse("correct horse battery staple", &[]).is_ok());
        let longest: String = (0..256)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .collect();
        assert!(NewPassword::parse(&longest, &[]).is_ok());
        let err = NewPassword::parse("qwerty123456", &[]).unwrap_err();
        assert!(matches!(
            err,
            Error::Invalid {
                code: "password-too-common",
                ..
            }
        ));
    }
}
