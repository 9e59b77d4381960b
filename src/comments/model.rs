//! Comments and reactions as values, and the checks on what people send.

use crate::service::{Error, Result};
use crate::talk::Writer;
use serde::Serialize;

/// At most this many bytes in a comment: a remark, not a document.
pub const MAX_BODY: usize = 10_000;
/// Comments listed at once, oldest first.
pub const PAGE: u32 = 100;
/// Reactions one person may add per minute, across everything: a bounded
/// effect for a script that clicks.
pub const REACTIONS_PER_MINUTE: i64 = 60;

/// The item a comment or reaction is on: a kind's name and an id,
/// written `document:12`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct On {
    pub kind: String,
    pub id: i64,
}

/// A comment as its reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: i64,
    pub on: String,
    pub body: String,
    pub author: Writer,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub reactions: Vec<Count>,
    /// The reader wrote it (and may change it).
    pub mine: bool,
    /// The reader may remove it (its writer, the item's moderators).
    pub removable: bool,
}

impl Comment {
    pub fn html(&self) -> String {
        crate::text::markdown::to_html(&self.body)
    }
}

/// One reaction on an item: how many, and whether the reader is one.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub reaction: Reaction,
    pub count: i64,
    pub mine: bool,
}

/// The reactions people may give: a small fixed set, so that reactions
/// say something and cannot carry text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reaction {
    Like,
    Love,
    Celebrate,
    Laugh,
    Surprised,
    Thanks,
}

impl Reaction {
    pub const ALL: [Reaction; 6] = [
        Reaction::Like,
        Reaction::Love,
        Reaction::Celebrate,
        Reaction::Laugh,
        Reaction::Surprised,
        Reaction::Thanks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reaction::Like => "like",
            Reaction::Love => "love",
            Reaction::Celebrate => "celebrate",
            Reaction::Laugh => "laugh",
            Reaction::Surprised => "surprised",
            Reaction::Thanks => "thanks",
        }
    }

    pub fn parse(s: &str) -> Result<Reaction> {
        Reaction::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or(Error::invalid("reaction", "reaction-invalid"))
    }

    pub fn emoji(self) -> &'static str {
        match self {
            Reaction::Like => "👍",
            Reaction::Love => "❤️",
            Reaction::Celebrate => "🎉",
            Reaction::Laugh => "😄",
            Reaction::Surprised => "😮",
            Reaction::Thanks => "🙏",
        }
    }
}

impl On {
    /// `kind:id`, as the API and the forms write it.
    pub fn parse(s: &str) -> Result<On> {
        let bad = || Error::invalid("on", "comment-on-invalid");
        let (kind, id) = s.split_once(':').ok_or_else(bad)?;
        let id = id.parse::<i64>().map_err(|_| bad())?;
        if kind.is_empty() || kind.len() > 40 || !kind.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(bad());
        }
        Ok(On {
            kind: kind.to_string(),
            id,
        })
    }

    pub fn text(&self) -> String {
        format!("{}:{}", self.kind, self.id)
    }
}

/// A comment's Markdown, checked: not empty, not too long, no NUL.
pub fn body(raw: &str) -> Result<String> {
    if raw.len() > MAX_BODY {
        return Err(Error::invalid("body", "comment-too-long"));
    }
    if raw.contains('\0') {
        return Err(Error::invalid("body", "comment-invalid"));
    }
    let b = raw.trim_end().to_string();
    if b.trim().is_empty() {
        return Err(Error::invalid("body", "comment-required"));
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_and_reactions_are_read_strictly() {
        assert_eq!(
            On::parse("document:12").unwrap(),
            On {
                kind: "document".into(),
                id: 12
            }
        );
        for bad in [
            "",
            "document",
            "document:",
            ":12",
            "Document:1",
            "doc:x",
            "a b:1",
            "document:1:2",
        ] {
            assert!(On::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Reaction::parse("love").unwrap(), Reaction::Love);
        for bad in ["", "LIKE", "👍", "like ", "<script>"] {
            assert!(Reaction::parse(bad).is_err(), "{bad}");
        }
        assert!(body(" \n ").is_err());
        assert!(body("a\0b").is_err());
        assert!(body(&"x".repeat(MAX_BODY + 1)).is_err());
        assert_eq!(body("ok \n").unwrap(), "ok");
    }
}
