//! Instants as people read them: in their time zone, in their language's
//! order, and "2 hours ago" where that is what people expect.

use super::Tr;
use crate::service::Locale;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A time zone by its IANA name (`Europe/Paris`), checked against the
/// time zone database built into the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneName(String);

impl ZoneName {
    pub fn parse(raw: &str) -> Result<ZoneName, crate::service::Error> {
        let name = raw.trim();
        if name.is_empty() || name.len() > 64 || TimeZone::get(name).is_err() {
            return Err(crate::service::Error::invalid(
                "time_zone",
                "time-zone-invalid",
            ));
        }
        Ok(ZoneName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn zone(&self) -> TimeZone {
        TimeZone::get(&self.0).unwrap_or(TimeZone::UTC)
    }
}

/// Every time zone name the binary knows, sorted (for the profile's choice).
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| n.contains('/') && !n.starts_with("Etc/") && !n.starts_with("SystemV/"))
        .collect();
    names.push("UTC".to_string());
    names.sort();
    names.dedup();
    names
}

/// The zone named, or `fallback` when the name is missing or unknown. Runs on
/// every request of a person who chose a zone: zones are parsed once and
/// kept (there are a few hundred names at most).
pub fn zone_or(name: Option<&str>, fallback: &TimeZone) -> TimeZone {
    use std::collections::HashMap;
    use std::sync::{OnceLock, RwLock};
    static ZONES: OnceLock<RwLock<HashMap<String, TimeZone>>> = OnceLock::new();
    let Some(name) = name else {
        return fallback.clone();
    };
    let zones = ZONES.get_or_init(Default::default);
    if let Some(tz) = zones.read().ok().and_then(|m| m.get(name).cloned()) {
        return tz;
    }
    match TimeZone::get(name) {
        Ok(tz) => {
            if let Ok(mut m) = zones.write() {
                m.insert(name.to_string(), tz.clone());
            }
            tz
        }
        Err(_) => fallback.clone(),
    }
}

fn zoned(ms: i64, tz: &TimeZone) -> Option<jiff::Zoned> {
    Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_zoned(tz.clone()))
}

/// A date and time in `tz`, with the zone's abbreviation (`CET`, `UTC`).
pub fn format_datetime(ms: i64, locale: Locale, tz: &TimeZone) -> String {
    let Some(z) = zoned(ms, tz) else {
        return String::new();
    };
    let pattern = match locale {
        Locale::Fr => "%d/%m/%Y %H:%M %Z",
        Locale::En => "%Y-%m-%d %H:%M %Z",
    };
    z.strftime(pattern).to_string()
}

/// A date in `tz`.
pub fn format_date(ms: i64, locale: Locale, tz: &TimeZone) -> String {
    let Some(z) = zoned(ms, tz) else {
        return String::new();
    };
    let pattern = match locale {
        Locale::Fr => "%d/%m/%Y",
        Locale::En => "%Y-%m-%d",
    };
    z.strftime(pattern).to_string()
}

/// `then` told relative to `now` ("2 hours ago") up to a week, the date after.
pub fn relative(then: i64, now: i64, tr: &Tr, tz: &TimeZone) -> String {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    match (now - then).max(0) {
        p if p < MINUTE => tr.t("time-just-now").to_string(),
        p if p < HOUR => tr.t1("time-minutes-ago", "n", p / MINUTE),
        p if p < DAY => tr.t1("time-hours-ago", "n", p / HOUR),
        p if p < 2 * DAY => tr.t("time-yesterday").to_string(),
        p if p < 7 * DAY => tr.t1("time-days-ago", "n", p / DAY),
        _ => format_date(then, tr.locale, tz),
    }
}

/// The instant in RFC 3339 (UTC), for `<time datetime>`.
pub fn iso(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A time zone as chosen in a form or a body: a name, or empty for the instance's.
pub fn zone_choice(raw: &str) -> Result<Option<ZoneName>, crate::service::Error> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        ZoneName::parse(raw).map(Some)
    }
}

/// A `datetime-local` field's value (`2026-12-05T09:30`) read in `tz`, as
/// ms; an API's RFC 3339 instant (`2026-12-05T08:30:00Z`) is taken as is.
pub fn parse_local(raw: &str, tz: &TimeZone) -> Option<i64> {
    let raw = raw.trim();
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Some(t.as_millisecond());
    }
    let dt: jiff::civil::DateTime = raw.parse().ok()?;
    Some(dt.to_zoned(tz.clone()).ok()?.timestamp().as_millisecond())
}

/// The value a `datetime-local` field shows for `ms` in `tz`.
pub fn format_local(ms: i64, tz: &TimeZone) -> String {
    zoned(ms, tz)
        .map(|z| z.strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_in_the_zone_asked_for() {
        // 2026-12-04 23:30 UTC is already the 5th in Paris.
        let ms = 1_796_427_000_000;
        let paris = ZoneName::parse("Europe/Paris").unwrap().zone();
        assert_eq!(
            format_datetime(ms, Locale::En, &TimeZone::UTC),
            "2026-12-04 23:30 UTC"
        );
        assert_eq!(
            format_datetime(ms, Locale::Fr, &paris),
            "05/12/2026 00:30 CET"
        );
        assert_eq!(format_date(ms, Locale::En, &paris), "2026-12-05");
        // Summer time.
        let july = 1_783_000_000_000;
        assert!(format_datetime(july, Locale::En, &paris).ends_with("CEST"));
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn only_known_zones_are_accepted() {
        assert!(ZoneName::parse("America/New_York").is_ok());
        for bad in ["", "Mars/Olympus", "../../etc/passwd", "Europe/Paris\n"] {
            assert!(
                ZoneName::parse(bad).is_err() || bad.trim() != bad,
                "{bad:?}"
            );
        }
        assert!(ZoneName::parse("Mars/Olympus").is_err());
        assert!(zone_names().iter().any(|n| n == "Europe/Paris"));
        assert!(zone_names().iter().any(|n| n == "UTC"));
    }

    #[test]
    fn a_zone_is_looked_up_once_and_an_unknown_one_falls_back() {
        let paris = zone_or(Some("Europe/Paris"), &TimeZone::UTC);
        assert_eq!(paris.iana_name(), Some("Europe/Paris"));
        assert_eq!(
            zone_or(Some("Europe/Paris"), &TimeZone::UTC).iana_name(),
            Some("Europe/Paris")
        );
        assert_eq!(
            zone_or(Some("Nowhere/Land"), &paris).iana_name(),
            Some("Europe/Paris")
        );
        assert_eq!(zone_or(None, &TimeZone::UTC), TimeZone::UTC);
    }
}
