//! A post as a form or an API body sends it, read into a checked `Draft`.

use super::model::{Draft, NewFile, Publish};
use crate::access::news::Target;
use crate::domain::OrgKind;
use crate::service::{Error, Result};
use crate::web::extract::Part;
use jiff::tz::TimeZone;

/// An audience as forms and the API name it: `internal`, `space:<id>`,
/// `org:<id>`, `org_kind:<kind>`, `group:<id>`, `portal:<id>`.
pub fn parse_target(raw: &str) -> Result<Target> {
    let bad = || Error::invalid("audience", "news-audience-unknown");
    let raw = raw.trim();
    if raw == "internal" {
        return Ok(Target::Internal);
    }
    let (kind, value) = raw.split_once(':').ok_or_else(bad)?;
    if kind == "org_kind" {
        return OrgKind::parse(value)
            .map(Target::OrgKind)
            .map_err(|_| bad());
    }
    let id: i64 = value.parse().map_err(|_| bad())?;
    Ok(match kind {
        "space" => Target::Space(id),
        "org" => Target::Org(id),
        "group" => Target::Group(id),
        "portal" => Target::Portal(id),
        _ => return Err(bad()),
    })
}

/// The name `parse_target` reads.
pub fn target_name(t: Target) -> String {
    match t {
        Target::Internal => "internal".into(),
        Target::OrgKind(k) => format!("org_kind:{}", k.as_str()),
        other => {
            let (kind, id, _) = other.columns();
            format!("{kind}:{}", id.unwrap_or_default())
        }
    }
}

/// What the form sent, as typed (shown again after an error).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Fields {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// `instance` or `space:<id>`; none chosen is refused (no default).
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub audience: Vec<String>,
    /// `now`, `draft` or `schedule`.
    #[serde(default)]
    pub publish: String,
    #[serde(default)]
    pub publish_at: String,
    #[serde(default)]
    pub expires_at: String,
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub requires_ack: bool,
    #[serde(skip)]
    pub remove_cover: bool,
    #[serde(skip)]
    pub remove_files: Vec<i64>,
}

/// A form's fields, its cover and its new attachments.
pub struct Sent {
    pub fields: Fields,
    pub cover: Option<Vec<u8>>,
    pub files: Vec<(String, Vec<u8>)>,
}

fn text(data: Vec<u8>) -> Result<String> {
    String::from_utf8(data).map_err(|_| Error::invalid("body", "news-body-invalid"))
}

impl Sent {
    pub fn from_parts(parts: Vec<Part>) -> Result<Sent> {
        let mut f = Fields::default();
        let mut cover = None;
        let mut files = Vec::new();
        for p in parts {
            match p.name.as_str() {
                "cover" if !p.data.is_empty() => cover = Some(p.data),
                "files" if !p.data.is_empty() => {
                    files.push((p.file_name.unwrap_or_default(), p.data));
                }
                "cover" | "files" => {}
                "title" => f.title = text(p.data)?,
                "body" => f.body = text(p.data)?,
                "place" => f.place = text(p.data)?,
                "audience" => f.audience.push(text(p.data)?),
                "publish" => f.publish = text(p.data)?,
                "publish_at" => f.publish_at = text(p.data)?,
                "expires_at" => f.expires_at = text(p.data)?,
                "pinned" => f.pinned = !p.data.is_empty(),
                "requires_ack" => f.requires_ack = !p.data.is_empty(),
                "remove_cover" => f.remove_cover = !p.data.is_empty(),
                "remove_file" => {
                    if let Ok(id) = text(p.data)?.trim().parse() {
                        f.remove_files.push(id);
                    }
                }
                _ => {}
            }
        }
        Ok(Sent {
            fields: f,
            cover,
            files,
        })
    }

    pub fn cover(&self) -> Result<Option<crate::portals::Image>> {
        self.cover
            .clone()
            .map(crate::portals::Image::parse)
            .transpose()
            .map_err(|_| Error::invalid("cover", "news-cover-invalid"))
    }

    pub fn files(&self) -> Result<Vec<NewFile>> {
        if self.files.len() > super::model::MAX_FILES {
            return Err(Error::invalid("files", "news-files-too-many"));
        }
        self.files
            .iter()
            .map(|(name, data)| NewFile::check(name, data.clone()))
            .collect()
    }
}

impl Fields {
    /// Where the post goes: `None` for the whole instance.
    pub fn place(&self) -> Result<Option<i64>> {
        match self.place.trim() {
            "instance" => Ok(None),
            "" => Err(Error::invalid("place", "news-place-required")),
            other => match parse_target(other) {
                Ok(Target::Space(id)) => Ok(Some(id)),
                _ => Err(Error::invalid("place", "news-place-required")),
            },
        }
    }

    fn time(raw: &str, field: &'static str, tz: &TimeZone) -> Result<Option<i64>> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        crate::i18n::time::parse_local(raw, tz)
            .map(Some)
            .ok_or(Error::invalid(field, "news-time-invalid"))
    }

    pub fn draft(&self, tz: &TimeZone) -> Result<Draft> {
        let publish = match self.publish.trim() {
            "now" => Publish::Now,
            "draft" => Publish::Draft,
            "schedule" => Publish::At(
                Self::time(&self.publish_at, "publish_at", tz)?
                    .ok_or(Error::invalid("publish_at", "news-time-invalid"))?,
            ),
            _ => return Err(Error::invalid("publish", "news-publish-invalid")),
        };
        let targets = self
            .audience
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| parse_target(a))
            .collect::<Result<Vec<_>>>()?;
        Ok(Draft {
            title: self.title.clone(),
            body: self.body.clone(),
            targets,
            publish,
            expires_at: Self::time(&self.expires_at, "expires_at", tz)?,
            pinned: self.pinned,
            requires_ack: self.requires_ack,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_are_read_back_from_their_names_and_nothing_else_is() {
        for t in [
            Target::Internal,
            Target::Space(3),
            Target::Org(4),
            Target::OrgKind(OrgKind::Client),
            Target::Group(5),
            Target::Portal(6),
        ] {
            assert_eq!(parse_target(&target_name(t)).unwrap(), t);
        }
        for bad in [
            "",
            "everyone",
            "space:",
            "space:x",
            "org_kind:alien",
            "group:1:2",
            "people:1",
        ] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_form_without_a_place_or_a_way_to_publish_is_refused() {
        let f = Fields::default();
        assert!(f.place().is_err());
        assert!(f.draft(&TimeZone::UTC).is_err());
        let f = Fields {
            publish: "schedule".into(),
            publish_at: "2026-13-40T99:00".into(),
            ..Fields::default()
        };
        assert!(f.draft(&TimeZone::UTC).is_err());
        let f = Fields {
            publish: "schedule".into(),
            publish_at: "2026-12-05T09:30".into(),
            ..Fields::default()
        };
        assert!(matches!(
            f.draft(&TimeZone::UTC).unwrap().publish,
            Publish::At(1_796_463_000_000)
        ));
    }
}
