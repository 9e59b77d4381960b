//! Portal types: the portal itself, who may sign in there, and the values an
//! administrator types (host names, colours, logos), each parsed once.

use crate::organizations::OrgKind;
use crate::service::{Error, Locale};
use serde::Serialize;
use std::fmt;

/// One rule of a portal's audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Audience {
    /// Every organization of this kind (`host` = the internal staff).
    Kind { kind: OrgKind },
    /// One named organization.
    Organization { id: i64 },
}

/// A branded entry point, as the request pipeline and the pages see it.
#[derive(Debug, Clone, Serialize)]
pub struct Portal {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub primary_color: String,
    pub default_locale: Locale,
    pub welcome_text: String,
    pub is_default: bool,
    pub hostnames: Vec<String>,
    pub audience: Vec<Audience>,
    /// How long an external account invited here stays open before its sponsor renews it.
    pub external_access_days: u32,
    /// Everyone signing in here must use a second factor.
    pub require_mfa: bool,
    /// Contributors may create public share links to documents here.
    pub share_links: bool,
    /// Fingerprint of the uploaded logo; `None` shows the built-in one.
    pub logo_etag: Option<String>,
}

impl Portal {
    /// What serves requests before `init` has created the default portal.
    pub fn fallback() -> Portal {
        Portal {
            id: 0,
            slug: "main".into(),
            name: "Parvis".into(),
            primary_color: "#1f5fbf".into(),
            default_locale: Locale::En,
            welcome_text: String::new(),
            is_default: true,
            hostnames: Vec::new(),
            audience: OrgKind::ALL
                .iter()
                .map(|&kind| Audience::Kind { kind })
                .collect(),
            external_access_days: 365,
            require_mfa: false,
            share_links: false,
            logo_etag: None,
        }
    }

    /// Whether members of this organization may sign in here.
    pub fn admits(&self, org_id: i64, kind: OrgKind) -> bool {
        self.audience.iter().any(|a| match *a {
            Audience::Kind { kind: k } => k == kind,
            Audience::Organization { id } => id == org_id,
        })
    }

    /// The URL of the logo shown in the header.
    pub fn logo_url(&self) -> String {
        match &self.logo_etag {
            Some(tag) => format!("/portal/logo?v={tag}"),
            None => crate::server::assets::url("img/logo.svg"),
        }
    }
}

/// A host name a portal answers to: lower-case ASCII labels (punycode for
/// international names), no port, no trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Hostname(String);

impl Hostname {
    pub fn parse(raw: &str) -> Result<Hostname, Error> {
        let bad = || Error::invalid("hostname", "hostname-invalid");
        let s = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        if s.is_empty() || s.len() > 253 {
            return Err(bad());
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if s.split('.').all(label_ok) {
            Ok(Hostname(s))
        } else {
            Err(bad())
        }
    }

    /// The host part of a `Host` header (`name:port`, `[v6]:port`), if it is a host name.
    pub fn from_header(raw: &str) -> Option<Hostname> {
        if raw.starts_with('[') {
            return None;
        }
        let host = raw.rsplit_once(':').map_or(raw, |(h, _)| h);
        Hostname::parse(host).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Hostname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `#rrggbb` colour (it goes into the portal stylesheet, so nothing else may pass).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Color(String);

impl Color {
    pub fn parse(raw: &str) -> Result<Color, Error> {
        let s = raw.trim().to_ascii_lowercase();
        if is_hex_color(&s) {
            Ok(Color(s))
        } else {
            Err(Error::invalid("color", "color-invalid"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Color {
    /// Parvis blue.
    fn default() -> Color {
        Color("#1f5fbf".to_string())
    }
}

/// Whether a colour is a `#rrggbb` value.
pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// An uploaded image (portal logo, profile photo), recognised by its bytes,
/// never by the name or type the browser claimed. SVG is refused: it can carry
/// script, and a logo does not need it.
#[derive(Debug, Clone)]
pub struct Image {
    pub content_type: &'static str,
    pub data: Vec<u8>,
}

impl Image {
    pub const MAX_BYTES: usize = 512 * 1024;

    pub fn parse(data: Vec<u8>) -> Result<Image, Error> {
        if data.is_empty() {
            return Err(Error::invalid("image", "image-empty"));
        }
        if data.len() > Self::MAX_BYTES {
            return Err(Error::invalid("image", "image-too-large"));
        }
        let content_type = if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "image/jpeg"
        } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
            "image/gif"
        } else if data.len() > 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
            "image/webp"
        } else {
            return Err(Error::invalid("image", "image-type"));
        };
        Ok(Image { content_type, data })
    }

    pub fn etag(&self) -> String {
        blake3::hash(&self.data).to_hex()[..16].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        assert_eq!(
            Hostname::parse(" Extranet.Lumen.Example. ")
                .unwrap()
                .as_str(),
            "extranet.lumen.example"
        );
        assert_eq!(Hostname::parse("localhost").unwrap().as_str(), "localhost");
        for bad in [
            "",
            "a..b",
            "-a.b",
            "a-.b",
            "a_b.c",
            "exa mple.com",
            "évian.fr",
            "a/b",
            "http://a.b",
            "a.b:8443",
            &"a".repeat(64),
        ] {
            assert!(Hostname::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            Hostname::from_header("Portal.Example:8443")
                .unwrap()
                .as_str(),
            "portal.example"
        );
        assert!(Hostname::from_header("[::1]:8443").is_none());
    }

    #[test]
    fn colors() {
        assert_eq!(Color::parse("#1F5FBF").unwrap().as_str(), "#1f5fbf");
        for bad in ["", "1f5fbf", "#1f5fb", "#1f5fbfz", "red", "#fff;}body{x:y"] {
            assert!(Color::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn images_are_recognised_by_their_bytes() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        assert_eq!(Image::parse(png).unwrap().content_type, "image/png");
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        assert!(Image::parse(svg.to_vec()).is_err());
        assert!(Image::parse(Vec::new()).is_err());
        let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
        huge.resize(Image::MAX_BYTES + 1, 0);
        assert!(Image::parse(huge).is_err());
    }

    #[test]
    fn audience() {
        let mut p = Portal::fallback();
        p.audience = vec![
            Audience::Kind {
                kind: OrgKind::Client,
            },
            Audience::Organization { id: 7 },
        ];
        assert!(p.admits(3, OrgKind::Client));
        assert!(p.admits(7, OrgKind::Supplier));
        assert!(!p.admits(8, OrgKind::Supplier));
        assert!(!p.admits(1, OrgKind::Host));
    }
}
