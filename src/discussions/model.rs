//! Forums, topics and replies as they are written (checked) and read.

use crate::service::{DisplayName, Error, Result};
use serde::Serialize;

/// At most this many characters in a topic's title.
pub const MAX_TITLE: usize = 200;
/// At most this many bytes of Markdown in a topic or a reply: a long
/// message, far from a book; more is refused before anything is stored.
pub const MAX_BODY: usize = 50_000;
/// At most this many characters in a forum's description.
pub const MAX_DESCRIPTION: usize = 2_000;
pub use crate::talk::MAX_MENTIONS;
/// Replies shown or listed at once.
pub const PAGE: u32 = 100;

/// Whether a forum holds discussions, or questions with answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Discussion,
    Questions,
}

impl Mode {
    pub fn parse(s: &str) -> Result<Mode> {
        match s {
            "discussion" => Ok(Mode::Discussion),
            "questions" => Ok(Mode::Questions),
            "" => Err(Error::invalid("mode", "forum-mode-required")),
            _ => Err(Error::invalid("mode", "forum-mode-invalid")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Discussion => "discussion",
            Mode::Questions => "questions",
        }
    }
}

/// A forum's name, description and mode, checked.
#[derive(Debug, Clone)]
pub struct ForumFields {
    pub name: DisplayName,
    pub description: String,
    pub mode: Mode,
}

pub fn description(raw: &str) -> Result<String> {
    let d = raw.trim().to_string();
    if d.chars().count() > MAX_DESCRIPTION || d.contains('\0') {
        return Err(Error::invalid("description", "forum-description-invalid"));
    }
    Ok(d)
}

/// A topic's title, checked: one line, not empty, not too long.
pub fn title(raw: &str) -> Result<String> {
    let t = raw.trim().to_string();
    if t.is_empty() {
        return Err(Error::invalid("title", "topic-title-required"));
    }
    if t.chars().count() > MAX_TITLE || t.chars().any(char::is_control) {
        return Err(Error::invalid("title", "topic-title-invalid"));
    }
    Ok(t)
}

/// A message's Markdown, checked: not empty, not too long, no NUL.
pub fn body(raw: &str) -> Result<String> {
    if raw.len() > MAX_BODY {
        return Err(Error::invalid("body", "discussion-body-too-long"));
    }
    if raw.contains('\0') {
        return Err(Error::invalid("body", "discussion-body-invalid"));
    }
    let b = raw.trim_end().to_string();
    if b.trim().is_empty() {
        return Err(Error::invalid("body", "discussion-body-required"));
    }
    Ok(b)
}

/// The people a message mentions, refused beyond `MAX_MENTIONS`.
pub fn mentioned(body: &str) -> Result<Vec<i64>> {
    crate::talk::mentioned(body, "discussion-mentions-too-many")
}

/// Something written, with the people it mentions who may not read it
/// (and so were not told): the writer is told instead.
#[derive(Debug, Clone, Serialize)]
pub struct Posted<T> {
    #[serde(flatten)]
    pub item: T,
    pub not_told: Vec<Writer>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Forum {
    pub id: i64,
    pub space: i64,
    pub name: String,
    pub description: String,
    pub mode: Mode,
    pub topics: i64,
    /// The latest activity in it (ms), if any.
    pub last_activity_at: Option<i64>,
}

pub use crate::talk::Writer;

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub id: i64,
    pub forum: i64,
    pub space: i64,
    pub title: String,
    pub body: String,
    pub author: Writer,
    pub pinned: bool,
    pub locked: bool,
    /// In a forum of questions, the accepted answer.
    pub accepted_reply: Option<i64>,
    pub replies: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub last_activity_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub id: i64,
    pub topic: i64,
    pub body: String,
    pub author: Writer,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub accepted: bool,
}

/// The text an edit replaced.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub title: Option<String>,
    pub body: String,
    pub written_by: Writer,
    pub written_at: i64,
    pub replaced_at: i64,
}

/// Moderation of a topic; `None` keeps.
#[derive(Debug, Clone, Default)]
pub struct Moderation {
    pub pinned: Option<bool>,
    pub locked: Option<bool>,
    /// Another forum (of a space the moderator also manages).
    pub forum: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_checked_before_anything_is_stored() {
        assert!(title("  ").is_err());
        assert!(title("a\nb").is_err());
        assert!(title(&"x".repeat(MAX_TITLE + 1)).is_err());
        assert_eq!(title(" Hello ").unwrap(), "Hello");
        assert!(body("").is_err());
        assert!(body(" \n ").is_err());
        assert!(body("a\0b").is_err());
        assert!(body(&"x".repeat(MAX_BODY + 1)).is_err());
        assert_eq!(body("Hi\n\n").unwrap(), "Hi");
        assert!(Mode::parse("").is_err());
        assert!(Mode::parse("chat").is_err());
        assert_eq!(Mode::parse("questions").unwrap(), Mode::Questions);
    }
}
