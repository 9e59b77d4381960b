//! A post as it is written (a checked `Draft`) and as it is read (`Post`).

use crate::access::news::Target;
use crate::service::{Error, Result};
use serde::Serialize;

/// At most this many characters in a title.
pub const MAX_TITLE: usize = 200;
/// At most this many bytes of Markdown in a body: a long post, far from a
/// book; more is refused before anything is stored.
pub const MAX_BODY: usize = 100_000;
/// At most this many audiences on one post.
pub const MAX_TARGETS: usize = 50;
/// At most this many attachments on one post, each at most `MAX_FILE` bytes.
pub const MAX_FILES: usize = 10;
pub const MAX_FILE: usize = 10 * 1024 * 1024;

/// When a post is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    /// Kept by its writers until they publish it.
    Draft,
    Now,
    /// From this time (ms); a time already past is now.
    At(i64),
}

impl Publish {
    /// The `publish_at` column for it.
    pub fn at(self, now: i64) -> Option<i64> {
        match self {
            Publish::Draft => None,
            Publish::Now => Some(now),
            Publish::At(t) => Some(t.max(now)),
        }
    }
}

/// A post's content and settings, checked.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub body: String,
    /// Instance-wide posts only: who they are for (at least one). A space's
    /// post is for its space, whatever is sent here.
    pub targets: Vec<Target>,
    pub publish: Publish,
    pub expires_at: Option<i64>,
    pub pinned: bool,
    pub requires_ack: bool,
}

impl Draft {
    /// Checks the texts and times; the audiences are checked against the
    /// database by the service.
    pub fn check(mut self, now: i64) -> Result<Draft> {
        self.title = self.title.trim().to_string();
        if self.title.is_empty() {
            return Err(Error::invalid("title", "news-title-required"));
        }
        if self.title.chars().count() > MAX_TITLE || self.title.chars().any(char::is_control) {
            return Err(Error::invalid("title", "news-title-invalid"));
        }
        if self.body.len() > MAX_BODY {
            return Err(Error::invalid("body", "news-body-too-long"));
        }
        if self.body.contains('\0') {
            return Err(Error::invalid("body", "news-body-invalid"));
        }
        if self.body.trim().is_empty() {
            return Err(Error::invalid("body", "news-body-required"));
        }
        if self.targets.len() > MAX_TARGETS {
            return Err(Error::invalid("audience", "news-audience-too-many"));
        }
        self.targets.sort_by_key(|t| t.columns());
        self.targets.dedup();
        if let Some(expiry) = self.expires_at {
            let from = self.publish.at(now).unwrap_or(now);
            if expiry <= from {
                return Err(Error::invalid(
                    "expires_at",
                    "news-expiry-before-publication",
                ));
            }
        }
        Ok(self)
    }
}

/// Where a post is in its life, at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Draft,
    Scheduled,
    Published,
    Expired,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Scheduled => "scheduled",
            State::Published => "published",
            State::Expired => "expired",
        }
    }
}

/// A post, as shown to someone who may read it.
#[derive(Debug, Clone, Serialize)]
pub struct Post {
    pub id: i64,
    pub space: Option<SpaceRef>,
    pub author_id: Option<i64>,
    /// Only when the reader may see the author.
    pub author_name: Option<String>,
    pub title: String,
    pub body: String,
    pub version: i64,
    pub publish_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub pinned: bool,
    pub requires_ack: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The cover image's fingerprint, if there is one.
    pub cover: Option<String>,
    /// When the reader acknowledged the current text (announcements).
    pub acknowledged_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpaceRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl Post {
    pub fn state(&self, now: i64) -> State {
        match self.publish_at {
            None => State::Draft,
            Some(t) if t > now => State::Scheduled,
            Some(_) if self.expires_at.is_some_and(|e| e <= now) => State::Expired,
            Some(_) => State::Published,
        }
    }

    /// The first words of the body, as plain text, for lists.
    pub fn excerpt(&self) -> String {
        crate::text::markdown::plain_excerpt(&self.body, 240)
    }

    pub fn html(&self) -> String {
        crate::text::markdown::to_html(&self.body)
    }

    /// Whether the reader still has to acknowledge it.
    pub fn awaits_ack(&self) -> bool {
        self.requires_ack && self.acknowledged_at.is_none()
    }
}

/// An attachment, without its bytes.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A post with what its page shows around it.
#[derive(Debug, Clone)]
pub struct Full {
    pub post: Post,
    pub targets: Vec<Target>,
    pub files: Vec<Attachment>,
    /// Whether the reader writes it (edit, report).
    pub writes: bool,
}

/// An uploaded attachment, checked.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl NewFile {
    pub fn check(name: &str, data: Vec<u8>) -> Result<NewFile> {
        let name = crate::documents::model::FileName::parse(name)
            .map_err(|_| Error::invalid("files", "news-file-name-invalid"))?;
        if data.is_empty() {
            return Err(Error::invalid("files", "news-file-empty"));
        }
        if data.len() > MAX_FILE {
            return Err(Error::TooLarge { field: "files" });
        }
        let content_type = crate::documents::model::sniff(&data, &name).to_string();
        Ok(NewFile {
            name: name.as_str().to_string(),
            content_type,
            data,
        })
    }
}
