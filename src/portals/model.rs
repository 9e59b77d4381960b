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
    /// The header's background (`#rrggbb`); its text colour is computed.
    pub header_color: String,
    pub default_locale: Locale,
    /// The welcome text in English (shown to French visitors when there is no French one).
    pub welcome_text: String,
    /// The welcome text in French (shown to English visitors when there is no English one).
    pub welcome_text_fr: String,
    /// The legal notice's web address, in every page's footer; empty: none.
    pub legal_url: String,
    /// Where to ask for help (an e-mail address or a web address), in every
    /// page's footer; empty: none.
    pub support_contact: String,
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
    /// Fingerprint and type of the uploaded favicon; `None`: the logo's.
    pub favicon_etag: Option<String>,
    pub favicon_type: Option<String>,
}

impl Portal {
    /// What serves requests before `init` has created the default portal.
    pub fn fallback() -> Portal {
        Portal {
            id: 0,
            slug: "main".into(),
            name: "Parvis".into(),
            primary_color: "#1f5fbf".into(),
            header_color: "#ffffff".into(),
            default_locale: Locale::En,
            welcome_text: String::new(),
            welcome_text_fr: String::new(),
            legal_url: String::new(),
            support_contact: String::new(),
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
            favicon_etag: None,
            favicon_type: None,
        }
    }

    /// Whether members of this organization may sign in here.
    pub fn admits(&self, org_id: i64, kind: OrgKind) -> bool {
        self.audience.iter().any(|a| match *a {
            Audience::Kind { kind: k } => k == kind,
            Audience::Organization { id } => id == org_id,
        })
    }

    /// The welcome text in this language, else in the other one.
    pub fn welcome(&self, locale: Locale) -> &str {
        let (en, fr) = (self.welcome_text.as_str(), self.welcome_text_fr.as_str());
        let (first, other) = match locale {
            Locale::Fr => (fr, en),
            _ => (en, fr),
        };
        if first.is_empty() { other } else { first }
    }

    /// The support contact as a link target (`mailto:` for an address), if any.
    pub fn support_href(&self) -> Option<String> {
        let c = self.support_contact.as_str();
        if c.is_empty() {
            None
        } else if c.contains("://") {
            Some(c.to_string())
        } else {
            Some(format!("mailto:{c}"))
        }
    }

    /// The accent colour as the pages use it: the stored one when text stays
    /// readable on it and in it, else darkened until it is (a colour stored
    /// before the check existed).
    pub fn accent(&self) -> String {
        let c = Rgb::parse(&self.primary_color).unwrap_or(Rgb(0x1f, 0x5f, 0xbf));
        c.darkened_until_readable().hex()
    }

    /// The current language button in the header (background, text): the
    /// accent with white text where it stands out from the header (3:1),
    /// else the header's ink with the header's colour as text.
    pub fn header_active(&self) -> (String, String) {
        let bg = Rgb::parse(&self.header_color).unwrap_or(WHITE);
        let accent = self.accent();
        match Rgb::parse(&accent) {
            Some(a) if a.contrast(&bg) >= 3.0 => (accent, "#ffffff".into()),
            _ => (bg.inks().0.to_string(), bg.hex()),
        }
    }

    /// The header's background and the text colours readable on it
    /// (strong, soft).
    pub fn header_colors(&self) -> (String, &'static str, &'static str) {
        let bg = Rgb::parse(&self.header_color).unwrap_or(Rgb(0xff, 0xff, 0xff));
        let (ink, soft) = bg.inks();
        (bg.hex(), ink, soft)
    }
}

/// The page background the accent must stand out from (`--bg` in the stylesheet).
const PAGE_BG: Rgb = Rgb(0xf4, 0xf6, 0xf9);
const INK: Rgb = Rgb(0x17, 0x20, 0x2c);
const INK_SOFT: Rgb = Rgb(0x4a, 0x55, 0x66);
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
const BLACK: Rgb = Rgb(0, 0, 0);
/// WCAG 2.1 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// An sRGB colour, for contrast computations (WCAG 2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn parse(s: &str) -> Option<Rgb> {
        if !is_hex_color(s) {
            return None;
        }
        let ch = |i: usize| u8::from_str_radix(s.get(i..i + 2)?, 16).ok();
        Some(Rgb(ch(1)?, ch(3)?, ch(5)?))
    }

    pub fn hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance.
    pub fn luminance(&self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Contrast ratio, 1 to 21.
    pub fn contrast(&self, other: &Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// Whether white text on it and it as text on the page background are
    /// both readable (it is the buttons' background and the links' colour).
    pub fn readable_accent(&self) -> bool {
        self.contrast(&PAGE_BG) >= MIN_CONTRAST && self.contrast(&WHITE) >= MIN_CONTRAST
    }

    fn darkened_until_readable(self) -> Rgb {
        let mut c = self;
        for _ in 0..64 {
            if c.readable_accent() {
                return c;
            }
            let d = |v: u8| (f64::from(v) * 0.92) as u8;
            c = Rgb(d(c.0), d(c.1), d(c.2));
        }
        c
    }

    /// The text colours used on this background: the page's own ink and soft
    /// ink where they are readable, else white, else black.
    pub fn inks(&self) -> (&'static str, &'static str) {
        let ok = |c: &Rgb| self.contrast(c) >= MIN_CONTRAST;
        let strong = if ok(&INK) {
            "#17202c"
        } else if ok(&WHITE) {
            "#ffffff"
        } else {
            "#000000"
        };
        let soft = if ok(&INK_SOFT) { "#4a5566" } else { strong };
        (strong, soft)
    }

    /// Whether some text colour is readable on it (always true with black or white,
    /// kept as the check the header colour passes).
    pub fn has_readable_ink(&self) -> bool {
        self.contrast(&WHITE).max(self.contrast(&BLACK)) >= MIN_CONTRAST
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

    /// An accent colour: white text on it and it as text on the page must
    /// both reach WCAG AA contrast (4.5:1), or it is refused.
    pub fn parse_accent(raw: &str) -> Result<Color, Error> {
        let c = Color::parse(raw)?;
        match Rgb::parse(c.as_str()) {
            Some(rgb) if rgb.readable_accent() => Ok(c),
            _ => Err(Error::invalid("primary_color", "color-accent-contrast")),
        }
    }

    /// A header background: any colour on which black or white text is readable.
    pub fn parse_header(raw: &str) -> Result<Color, Error> {
        let c = Color::parse(raw)?;
        match Rgb::parse(c.as_str()) {
            Some(rgb) if rgb.has_readable_ink() => Ok(c),
            _ => Err(Error::invalid("header_color", "color-header-contrast")),
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

/// A web address shown as a link (legal notice, support): `https://` or
/// `http://` with a host, nothing a browser would run (`javascript:`,
/// `data:`), no spaces or control characters, at most 500 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebLink(String);

impl WebLink {
    pub fn parse(raw: &str, field: &'static str) -> Result<WebLink, Error> {
        let s = raw.trim();
        let bad = || Error::invalid(field, "link-invalid");
        if s.len() > 500
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'))
        {
            return Err(bad());
        }
        let lower = s.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let host = rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .rsplit('@')
            .next()
            .unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains('@')
            || Hostname::parse(host).is_err()
        {
            return Err(bad());
        }
        Ok(WebLink(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a portal's visitors ask for help: an e-mail address or a web address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportContact(String);

impl SupportContact {
    pub fn parse(raw: &str) -> Result<SupportContact, Error> {
        let s = raw.trim();
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Ok(SupportContact(
                WebLink::parse(s, "support_contact")?.as_str().to_string(),
            ));
        }
        let address = lower.strip_prefix("mailto:").map_or(s, |_| &s[7..]);
        match crate::service::Email::parse(address) {
            Ok(e) if !address.contains(['?', '&', '/', ':']) => {
                Ok(SupportContact(e.as_str().to_string()))
            }
            _ => Err(Error::invalid("support_contact", "support-contact-invalid")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A welcome text: at most 2,000 characters, no control characters but line breaks and tabs.
pub fn check_welcome(text: &str, field: &'static str) -> Result<String, Error> {
    let t = text.trim();
    if t.chars().count() > 2000 {
        return Err(Error::invalid(field, "field-too-long"));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::invalid(field, "field-invalid"));
    }
    Ok(t.to_string())
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

impl crate::access::Audience for Portal {
    fn admits(&self, org_id: i64, kind: OrgKind) -> bool {
        Portal::admits(self, org_id, kind)
    }

    fn allows_share_links(&self) -> bool {
        self.share_links
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
    fn colours_keep_text_readable() {
        // Parvis blue and the demo's green pass; pale colours do not.
        assert!(Color::parse_accent("#1f5fbf").is_ok());
        assert!(Color::parse_accent("#0b7a5a").is_ok());
        for pale in ["#ffff00", "#7fbfff", "#ffffff", "#22cc88"] {
            assert!(Color::parse_accent(pale).is_err(), "{pale} accepted");
        }
        assert!(Color::parse_accent("red").is_err());
        for header in ["#ffffff", "#000000", "#0b3d2e", "#ffff00", "#777777"] {
            let c = Color::parse_header(header).unwrap();
            let rgb = Rgb::parse(c.as_str()).unwrap();
            let (ink, soft) = rgb.inks();
            assert!(
                rgb.contrast(&Rgb::parse(ink).unwrap()) >= MIN_CONTRAST,
                "{header}"
            );
            assert!(
                rgb.contrast(&Rgb::parse(soft).unwrap()) >= MIN_CONTRAST,
                "{header}"
            );
        }
        let mut p = Portal::fallback();
        p.primary_color = "#99ccff".into();
        let fixed = Rgb::parse(&p.accent()).unwrap();
        assert!(fixed.readable_accent(), "{}", p.accent());
        p.primary_color = "#0b7a5a".into();
        assert_eq!(p.accent(), "#0b7a5a");
    }

    #[test]
    fn links_and_contacts() {
        assert!(WebLink::parse("https://lumen.example/legal", "legal_url").is_ok());
        assert!(WebLink::parse("http://lumen.example:8080/a?b=c#d", "legal_url").is_ok());
        for bad in [
            "javascript:alert(1)",
            "JavaScript://lumen.example/%0aalert(1)",
            "data:text/html,<script>",
            "https://",
            "https://exa mple.com",
            "https://user@evil.example",
            "//lumen.example",
            "lumen.example/legal",
            "https://lumen.example/\"<x>",
            "ftp://lumen.example",
        ] {
            assert!(
                WebLink::parse(bad, "legal_url").is_err(),
                "{bad:?} accepted"
            );
        }
        assert_eq!(
            SupportContact::parse("Support@Lumen.example")
                .unwrap()
                .as_str(),
            "support@lumen.example"
        );
        assert_eq!(
            SupportContact::parse("mailto:help@lumen.example")
                .unwrap()
                .as_str(),
            "help@lumen.example"
        );
        assert!(SupportContact::parse("https://help.lumen.example").is_ok());
        for bad in [
            "javascript:alert(1)",
            "not an address",
            "a@b.example?subject=x",
            "data:x",
        ] {
            assert!(SupportContact::parse(bad).is_err(), "{bad:?} accepted");
        }
        let mut p = Portal::fallback();
        p.welcome_text = "Hello".into();
        assert_eq!(p.welcome(Locale::Fr), "Hello");
        p.welcome_text_fr = "Bonjour".into();
        assert_eq!(p.welcome(Locale::Fr), "Bonjour");
        p.welcome_text = String::new();
        assert_eq!(p.welcome(Locale::En), "Bonjour");
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

/// Which of a portal's stored images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalImage {
    Logo,
    Favicon,
}

impl PortalImage {
    /// The table holding it (one row per portal).
    pub(crate) fn table(self) -> &'static str {
        match self {
            PortalImage::Logo => "portal_logos",
            PortalImage::Favicon => "portal_favicons",
        }
    }

    /// Its audit event's name.
    pub(crate) fn action(self) -> &'static str {
        match self {
            PortalImage::Logo => "portal.logo",
            PortalImage::Favicon => "portal.favicon",
        }
    }
}
